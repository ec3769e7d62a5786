/**
 * The main job (`pnpm start`): from nothing to the map in a browser.
 *
 * 1. Fetches the source data into data/cache (from the mirror beside the checkout, or the
 *    network), checking every checksum — `fs-access data fetch default landes`.
 * 2. Runs the Haute-Vienne coverage report into out/87/ (`fs-access report --departement 87
 *    --households grid`) and prints where it went and the key figures.
 * 3. Prepares the map's static data (apps/map/public/data: Haute-Vienne, and Landes).
 * 4. Builds the map app (vite build → apps/map/dist).
 * 5. Serves it with `vite preview` on 127.0.0.1 and prints the address, until Ctrl-C.
 *
 * Options: --no-serve (stop after the build: tests, CI), --port N (default 4173; the next
 * free one if taken), --departements 87,40 (map data to prepare).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fetchSources, repoRoot, resolveMirror } from '../packages/data/src/index.ts';
import { APP_DIR, buildApp, previewApp } from '../apps/map/scripts/app.ts';
import { prepareData, runReportCommand } from '../apps/map/scripts/prepare-data.ts';

function say(message: string): void {
  process.stdout.write(`${message}\n`);
}

const pct = (x: number) => `${(100 * x).toFixed(1).replace('.', ',')} %`;
const int = (x: number) => Math.round(x).toLocaleString('fr-FR');
const dec = (x: number) => x.toFixed(1).replace('.', ',');
/** "0 zone", "1 zone", "2 zones" (French: singular below 2). */
const n = (x: number, word: string, plural = `${word}s`) => `${int(x)} ${Math.round(x) < 2 ? word : plural}`;

/** Runs the report into `dir`, replacing an earlier report only once the new one is complete. */
async function report(dir: string): Promise<void> {
  const old = fs.existsSync(dir) ? `${dir}.old-${process.pid}` : null;
  if (old) fs.renameSync(dir, old);
  try {
    await runReportCommand(['--departement', '87', '--households', 'grid', '--out', dir]);
  } catch (err) {
    if (old) fs.renameSync(old, dir);
    throw err;
  }
  if (old) fs.rmSync(old, { recursive: true, force: true });
}

interface Summary {
  area: { code: string; name: string };
  totals: { read: { households: number; units: number } };
  coverage: { thresholdMinutes: number; covered: { households: number }; shareCovered: number; sharePoorCovered: number | null }[];
  times: { p50Minutes: number; maxMinutes: number };
  gaps?: { thresholdMinutes: number; count: number; households: number }[];
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'no-serve': { type: 'boolean' },
      port: { type: 'string' },
      departements: { type: 'string' },
    },
    strict: true,
  });
  const t0 = performance.now();

  // 1. Data.
  const mirror = resolveMirror();
  say(`1/5 Données : copie dans data/cache depuis ${mirror ?? 'le réseau (adresses du manifeste)'}…`);
  const fetched = await fetchSources(['default', 'landes']);
  const copied = fetched.filter((f) => f.status !== 'cached').length;
  say(`    ${fetched.length} fichiers vérifiés (sha256), ${copied} copiés ou téléchargés.`);

  // 2. The Haute-Vienne report.
  const out = path.join(repoRoot, 'out', '87');
  say('2/5 Rapport de la Haute-Vienne (fs-access report --departement 87 --households grid)…');
  await report(out);
  const s = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as Summary;
  say(`    Écrit dans ${path.relative(process.cwd(), out) || out}/ : report.md, summary.json, communes.csv, households.geojson, gaps.geojson, sites.geojson`);
  say(`    ${s.area.name} : ${int(s.totals.read.households)} ménages en ${int(s.totals.read.units)} carreaux de 200 m`);
  for (const c of s.coverage) {
    const gaps = s.gaps?.find((g) => g.thresholdMinutes === c.thresholdMinutes);
    say(
      `    à ${c.thresholdMinutes} min d'un espace France services : ${pct(c.shareCovered)} des ménages (${int(c.covered.households)})` +
        (c.sharePoorCovered !== null ? `, ${pct(c.sharePoorCovered)} des ménages pauvres` : '') +
        (gaps ? ` ; ${n(gaps.count, 'zone non couverte', 'zones non couvertes')}, ${n(gaps.households, 'ménage')}` : ''),
    );
  }
  say(`    temps médian ${dec(s.times.p50Minutes)} min, le plus long ${dec(s.times.maxMinutes)} min`);

  // 3. Map data.
  say('3/5 Données de la carte (apps/map/public/data)…');
  const index = await prepareData({
    departements: values.departements?.split(',').filter((d) => d.trim() !== ''),
    log: (m) => say(`    ${m}`),
  });

  // 4. Build.
  say('4/5 Construction de l’application (vite build)…');
  const dist = path.join(APP_DIR, 'dist');
  await buildApp(dist);
  let js = 0;
  for (const f of fs.readdirSync(path.join(dist, 'assets'))) if (f.endsWith('.js')) js += fs.statSync(path.join(dist, 'assets', f)).size;
  say(`    apps/map/dist : ${(js / 1024).toFixed(0)} Kio de JavaScript ; départements : ${index.departements.map((d) => `${d.code} ${d.name}`).join(', ')}`);
  say(`    prêt en ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // 5. Serve.
  if (values['no-serve']) return;
  const port = values.port ? Number(values.port) : 4173;
  const { url, server } = await previewApp(dist, port, false);
  say(`5/5 La carte est servie sur ${url}  (Ctrl-C pour arrêter)`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`${err.name}: ${err.message}\n`);
  process.exit(String((err as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS') ? 2 : 1);
});
