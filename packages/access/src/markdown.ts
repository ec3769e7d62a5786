/**
 * report.md: the report in French for a prefecture — key figures, the worst-served
 * communes, the uncovered areas, the method and the sources with their dates. Number
 * formatting is done here (not by Intl) so the text is identical on every machine.
 */
import { CROWFLY_CALIBRATION } from './crowfly.ts';
import type { CommuneCoverage, Tally } from './coverage.ts';
import type { AreaReport, DepartementRow } from './report.ts';

const NBSP = '\u00a0';

/** 184106.4 → "184 106" (non-breaking space between thousands). */
export function frInt(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const s = String(Math.round(Math.abs(x)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  return (x < -0.5 ? '-' : '') + grouped;
}

/** 12.345 → "12,3" with `digits` decimals. */
export function frDec(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '–';
  const [int, dec] = Math.abs(x).toFixed(digits).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  const neg = x < 0 && Number(Math.abs(x).toFixed(digits)) !== 0;
  return (neg ? '-' : '') + grouped + (dec ? ',' + dec : '');
}

/** 0.9234 → "92,3 %". */
export function frPct(share: number, digits = 1): string {
  return Number.isFinite(share) ? `${frDec(share * 100, digits)}${NBSP}%` : '–';
}

/** Minutes; '–' for NaN (no figure), 'injoignable' for Infinity (no route). */
function frMin(seconds: number): string {
  if (Number.isNaN(seconds)) return '–';
  return Number.isFinite(seconds) ? `${frDec(seconds / 60, 1)}${NBSP}min` : 'injoignable';
}

/** A markdown table; `align` has one letter per column, 'l' or 'r' (default: first left, others right). */
function table(head: string[], rows: string[][], align?: string): string {
  const esc = (s: string) => s.replaceAll('|', '\\|');
  const a = align ?? 'l' + 'r'.repeat(head.length - 1);
  return [
    `| ${head.map(esc).join(' | ')} |`,
    `|${head.map((_, k) => (a[k] === 'r' ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

function poorCell(t: Tally): string {
  return t.poorKnownUnits > 0 ? frInt(t.poor) : 'n.d.';
}

/** Worst communes: lowest share within the first threshold, then longest mean time, then code. */
export function worstCommunes(communes: CommuneCoverage[], count = 10): CommuneCoverage[] {
  const share = (c: CommuneCoverage) => (c.total.households > 0 ? c.covered[0].households / c.total.households : 1);
  const mean = (c: CommuneCoverage) => (Number.isFinite(c.meanTimeS) ? c.meanTimeS : Infinity);
  return communes
    .filter((c) => c.total.households > 0)
    .sort((a, b) => share(a) - share(b) || mean(b) - mean(a) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .slice(0, count);
}

function methodSection(report: AreaReport): string[] {
  const { input } = report;
  const p = input.model.parameters;
  const lines: string[] = ['## Méthode', ''];
  if (input.model.kind === 'crowfly') {
    const err = (CROWFLY_CALIBRATION as { error?: { medianAbsS?: number; p90AbsS?: number } }).error;
    lines.push(
      `- **Temps de trajet estimé à vol d'oiseau** (aucun réseau routier chargé) : distance orthodromique × facteur de détour ${frDec(Number(p.detourFactor), 3)} ÷ vitesse ${frDec(Number(p.speedKmh), 1)}${NBSP}km/h + ${frDec(Number(p.accessTimeS), 0)}${NBSP}s d'accès.`,
      err && Number.isFinite(err.medianAbsS)
        ? `- Ces paramètres sont calibrés sur des graphes routiers réels (script \`scripts/calibrate-crowfly.ts\`) : écart médian au temps routier ${frMin(err.medianAbsS!)}, 90e centile ${frMin(err.p90AbsS!)}. C'est une estimation : un relief ou une rivière sans pont allongent les trajets réels.`
        : `- Paramètres par défaut (calibration non exécutée).`,
    );
  } else {
    lines.push(
      `- **Temps de trajet en voiture** sur le réseau routier OpenStreetMap (vitesses par type de voie, sens uniques respectés).`,
      `- Chaque ménage et chaque site est rattaché au point le plus proche du tronçon routier le plus proche (au plus ${frInt(Number(p.maxSnapDistanceM))}${NBSP}m) ; le trajet entre le point et la route compte à ${frDec(Number(p.accessSpeedKmh), 1)}${NBSP}km/h.`,
      `- Une seule recherche de plus court chemin part de tous les sites sur le graphe inversé : le temps calculé est celui du trajet ménage → site.`,
    );
  }
  lines.push(
    input.units.kind === 'communes'
      ? `- **Ménages** : ménages 2021 du recensement par commune, placés au centroïde de la commune (toute la commune reçoit le même temps).`
      : `- **Ménages** : carreaux de 200${NBSP}m de Filosofi (INSEE), ménages fiscaux placés au centre du carreau.`,
  );
  if (input.gridAccounting) {
    const c = input.gridAccounting.communeHouseholds;
    const g = report.coverage.total.households;
    lines.push(
      `- Les carreaux retenus (centre dans le département) comptent ${frInt(g)} ménages fiscaux, soit ${c > 0 ? frPct(g / c) : '–'} des ${frInt(c)} ménages du recensement 2021 des communes du département (Filosofi compte les ménages fiscaux et omet les personnes vivant en collectivité).${input.gridAccounting.note ? ' ' + input.gridAccounting.note : ''}`,
    );
  }
  lines.push(
    `- **Sites pris en compte** : les ${frInt(report.sites.count)} sites France services à moins de ${frDec(report.selectionRadiusM / 1000, 0)}${NBSP}km (à vol d'oiseau) des ménages${input.area.code === 'all' ? '' : ', y compris ceux des départements voisins'} ; un site plus éloigné ne peut pas être atteint dans le seuil le plus long, même à 130${NBSP}km/h.`,
    `- **Catégories** (pour chaque seuil, chaque ménage est dans une seule) : *couvert* (temps ≤ seuil), *au-delà* (joignable, temps > seuil), *injoignable* (pas d'itinéraire, ou trop loin de toute route), *rejeté* (ligne de données inutilisable, avec son motif).`,
    `- Un site « bus » ou itinérant est compté à l'adresse de son site de rattachement.`,
    '',
  );
  return lines;
}

function sourcesSection(report: AreaReport): string[] {
  const lines = ['## Sources', ''];
  for (const s of report.input.sources) lines.push(`- ${s.description ? `${s.description} — ` : ''}\`${s.name}\`, ${s.date} : <${s.url}>`);
  lines.push('');
  return lines;
}

function keyFigures(report: AreaReport): string[] {
  const { coverage, input } = report;
  const lines: string[] = ['## Chiffres clés', ''];
  const read = coverage.totalRead;
  lines.push(
    `- **${frInt(read.households)} ménages** (${frInt(read.inhabitants)} habitants) répartis en ${frInt(read.units)} ${input.units.kind === 'communes' ? 'communes' : 'carreaux habités'}${coverage.rejected.units > 0 ? `, dont ${frInt(coverage.rejected.units)} lignes rejetées` : ''}.`,
  );
  for (const t of coverage.byThreshold) {
    lines.push(`- **${frPct(t.shareCovered)} des ménages** à ${frDec(t.thresholdS / 60, 0)}${NBSP}minutes ou moins d'un espace France services (${plural(t.covered.households, 'ménage')}).`);
  }
  const d = coverage.distribution;
  lines.push(`- Temps médian ${frMin(d.p50)} ; 90${NBSP}% des ménages à moins de ${frMin(d.p90)} ; 99${NBSP}% à moins de ${frMin(d.p99)} ; le plus long ${frMin(d.max)}.`);
  const inArea = input.area.code === 'all' ? report.sites.count : report.sites.departement.filter((x: string) => x === input.area.code).length;
  lines.push(
    `- ${frInt(report.sites.count)} sites pris en compte${input.area.code === 'all' ? '' : ` : ${frInt(inArea)} dans le département, ${frInt(report.sites.count - inArea)} dans les départements voisins`}.${report.sitesNotPlaced.length > 0 ? ` ${frInt(report.sitesNotPlaced.length)} site(s) trop loin du réseau routier chargé n'ont pas pu être rattachés.` : ''}`,
    '',
  );
  const head = ['Seuil', 'Ménages couverts', 'Part', 'Au-delà', 'Injoignables', 'Rejetés', 'Habitants couverts', 'Ménages pauvres couverts'];
  lines.push(
    table(
      head,
      coverage.byThreshold.map((t) => [
        `${frDec(t.thresholdS / 60, 0)}${NBSP}min`,
        frInt(t.covered.households),
        frPct(t.shareCovered),
        frInt(t.beyond.households),
        frInt(t.unreachable.households),
        frInt(t.rejected.units) + (t.rejected.units > 0 ? ' lignes' : ''),
        `${frInt(t.covered.inhabitants)} (${frPct(t.shareInhabitantsCovered)})`,
        t.covered.poorKnownUnits > 0 ? `${poorCell(t.covered)} (${frPct(t.sharePoorCovered)})` : 'n.d.',
      ]),
    ),
    '',
  );
  return lines;
}

function distributionSection(report: AreaReport): string[] {
  const d = report.coverage.distribution;
  const total = report.coverage.total.households;
  let acc = 0;
  const rows = d.bands
    .filter((b) => b.units > 0 || b.toS <= report.thresholdsS[report.thresholdsS.length - 1])
    .map((b) => {
      acc += b.households;
      const label = Number.isFinite(b.toS) ? `${frDec(b.fromS / 60, 0)} à ${frDec(b.toS / 60, 0)}${NBSP}min` : `plus de ${frDec(b.fromS / 60, 0)}${NBSP}min`;
      return [label, frInt(b.households), total > 0 ? frPct(b.households / total) : '–', total > 0 ? frPct(acc / total) : '–'];
    });
  if (d.unreachableHouseholds > 0) rows.push(['injoignables', frInt(d.unreachableHouseholds), total > 0 ? frPct(d.unreachableHouseholds / total) : '–', '']);
  return ['## Répartition des temps de trajet', '', table(['Temps', 'Ménages', 'Part', 'Cumul'], rows), ''];
}

function worstSection(report: AreaReport): string[] {
  const { input, coverage } = report;
  const worst = worstCommunes(coverage.communes);
  const t0 = input.thresholdsMin[0];
  const head = ['Commune', 'Code', 'Ménages', `Part à ${t0}${NBSP}min`, ...input.thresholdsMin.slice(1).map((t) => `Part à ${t}${NBSP}min`), 'Temps moyen', 'Temps max', 'Site le plus proche'];
  const rows = worst.map((c) => [
    input.communeNames.get(c.code) ?? '',
    c.code,
    frInt(c.total.households),
    ...input.thresholdsMin.map((_, k) => frPct(c.total.households > 0 ? c.covered[k].households / c.total.households : NaN)),
    c.unreachable[0].units === c.total.units ? 'injoignable' : frMin(c.meanTimeS),
    c.unreachable[0].units > 0 ? 'injoignable' : frMin(c.maxTimeS),
    c.mainSite >= 0 ? report.sites.name[c.mainSite] : '–',
  ]);
  return [
    '## Les 10 communes les moins bien desservies',
    '',
    `Classées par part de ménages à ${t0}${NBSP}minutes ou moins (croissante), puis par temps moyen (décroissant).`,
    '',
    table(head, rows, 'llr' + 'r'.repeat(input.thresholdsMin.length) + 'rrl'),
    '',
  ];
}

/** "1 commune", "0 commune", "2 communes" (French: plural from 2). */
function plural(n: number, word: string): string {
  return `${frInt(n)} ${word}${Math.abs(n) >= 2 ? 's' : ''}`;
}

function gapsSection(report: AreaReport): string[] {
  const { input } = report;
  const lines = ['## Zones non couvertes', ''];
  if (report.gaps) {
    lines.push("Ensembles de carreaux habités contigus (voisinage de 8) dont les ménages sont au-delà du seuil ou injoignables ; le fichier `gaps.geojson` en donne les contours.", '');
    report.gaps.forEach((list, k) => {
      const households = list.reduce((s, g) => s + g.tally.households, 0);
      lines.push(`### Au-delà de ${input.thresholdsMin[k]}${NBSP}minutes : ${plural(list.length, 'zone')}, ${plural(households, 'ménage')}`, '');
      if (list.length === 0) return lines.push('Aucune.', '');
      lines.push(
        table(
          ['Rang', 'Ménages', 'Carreaux', 'Surface', 'Communes principales'],
          list.slice(0, 10).map((g) => [
            String(g.rank),
            frInt(g.tally.households),
            frInt(g.tally.units),
            `${frDec(g.areaKm2, 2)}${NBSP}km²`,
            g.communes
              .slice(0, 3)
              .map((c) => input.communeNames.get(c.code) || c.code || 'hors commune')
              .join(', '),
          ]),
          'rrrrl',
        ),
        '',
      );
    });
  } else if (report.uncoveredCommunes) {
    report.uncoveredCommunes.forEach((list, k) => {
      const households = list.reduce((s, c) => s + c.households, 0);
      lines.push(`### Communes au-delà de ${input.thresholdsMin[k]}${NBSP}minutes : ${plural(list.length, 'commune')}, ${plural(households, 'ménage')}`, '');
      if (list.length === 0) return lines.push('Aucune.', '');
      lines.push(
        table(
          ['Rang', 'Commune', 'Code', 'Ménages', 'Temps'],
          list.slice(0, 10).map((c) => [String(c.rank), input.communeNames.get(c.code) ?? '', c.code, frInt(c.households), frMin(c.timeS)]),
          'rllrr',
        ),
        '',
      );
      if (list.length > 10) lines.push(`Et ${plural(list.length - 10, 'autre')} dans \`gaps.geojson\`.`, '');
    });
  }
  return lines;
}

function nationalSection(rows: DepartementRow[], thresholdsMin: number[]): string[] {
  const empty = rows.filter((r) => r.coverage.totalRead.households === 0);
  const head = ['Département', 'Code', 'Sites', 'Ménages', ...thresholdsMin.map((t) => `Part à ${t}${NBSP}min`), 'Temps médian', 'Temps 90e c.'];
  return [
    '## Par département',
    '',
    table(
      head,
      rows.map((r) => [
        r.name,
        r.code,
        frInt(r.sites),
        frInt(r.coverage.totalRead.households),
        ...r.coverage.byThreshold.map((t) => frPct(t.shareCovered)),
        frMin(r.coverage.distribution.p50),
        frMin(r.coverage.distribution.p90),
      ]),
      'll' + 'r'.repeat(head.length - 2),
    ),
    '',
    ...(empty.length > 0
      ? [
          `Sans ménage dans le fichier des communes (les sites y sont comptés, pas la couverture) : ${empty.map((r) => `${r.name || r.code} (${r.code})`).join(', ')}.`,
          '',
        ]
      : []),
  ];
}

const FILES = [
  '## Fichiers',
  '',
  '- `summary.json` : tous les chiffres de ce rapport.',
  '- `communes.csv` : une ligne par commune (séparateur virgule, décimales avec un point, UTF-8).',
  '- `households.geojson` (ou `households.csv` pour la France entière) : le temps et le site le plus proche de chaque unité (carreau ou commune).',
  '- `gaps.geojson` : les zones (carreaux) ou communes non couvertes, par seuil.',
  '- `sites.geojson` : les sites pris en compte et les ménages qu\'ils desservent.',
  '',
  'Les fichiers GeoJSON sont en WGS84 et s\'ouvrent tels quels dans QGIS.',
  '',
];

/** report.md in French. `rows` only for the national report. */
export function reportMarkdown(report: AreaReport, rows?: DepartementRow[]): string {
  const { input } = report;
  const title =
    input.area.code === 'all'
      ? '# Accès aux espaces France services — France entière'
      : `# Accès aux espaces France services — ${input.area.name || 'département'} (${input.area.code})`;
  const model = input.model.kind === 'crowfly' ? "temps estimé à vol d'oiseau" : 'temps en voiture sur le réseau routier';
  const lines = [
    title,
    '',
    `Temps de trajet de chaque ménage jusqu'à l'espace France services le plus proche (${model}), seuils ${input.thresholdsMin.map((t) => `${t}${NBSP}min`).join(' et ')}. Rapport produit par \`fs-access report\`.`,
    '',
    ...keyFigures(report),
    ...(rows ? nationalSection(rows, input.thresholdsMin) : []),
    ...distributionSection(report),
    ...worstSection(report),
    ...gapsSection(report),
    ...methodSection(report),
    ...sourcesSection(report),
    ...FILES,
  ];
  return lines.join('\n') + '\n';
}
