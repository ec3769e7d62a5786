/** `fs-access report`: the coverage report of a département (or of France at commune level). */
import fs from 'node:fs';
import path from 'node:path';
import {
  CrowFlyModel,
  RoadModel,
  buildReport,
  carNetwork,
  communesCsv,
  departementRows,
  gapsGeoJson,
  householdsCsv,
  householdsGeoJson,
  reportMarkdown,
  sitesGeoJson,
  summaryJson,
  type ReportSource,
  type TravelTimeModel,
} from '@fs-access/access';
import {
  COMMUNE_MERGES_2019,
  assignCommunes,
  dataPath,
  findDataPath,
  insideOutline,
  listTiles,
  loadCommuneHouseholds,
  loadGridTiles,
  loadInseeGrid,
  loadManifest,
  loadOutlines,
  loadSites,
  outlineBBox,
  type Households,
  type SourceEntry,
} from '@fs-access/data';
import { UsageError, inputFile, numberOption, parse, required, withOutputDir } from '../cli-kit.ts';

export const usage = `Usage: fs-access report --departement CODE --out DIR [options]

Coverage of a département by France services: the time from every household unit to its
nearest site, the share of households within each threshold, per commune, and the areas
left uncovered. Sites of neighbouring départements count.

Options:
  --departement CODE     '87', '2A', '974'…, or 'all' (whole country, commune level)
  --out DIR              output folder (created; must not exist or be empty)
  --households KIND      communes (default: 2021 census households at commune centroids)
                         or grid (Filosofi 200 m cells whose centre is in the département)
  --thresholds LIST      minutes, comma-separated (default 20,30)
  --model NAME           crowfly (default without --osm) or road (default with --osm)
  --osm FILE.pbf         OpenStreetMap extract for the road model
  --access-speed KMH     road model: speed of the leg between a point and the road (default 15)
  --max-snap M           road model: farthest a point may be from a road (default 1000)
  --sites FILE           France services CSV (default: the manifest's france-services file)
  --communes FILE        communes CSV (default: the manifest's communes file)
  --grid PATH            grid: a folder of GISCO tiles {tx}/{ty}.csv or INSEE's CSV
                         (default: the manifest's filosofi tiles)
  --json                 print summary.json on stdout

Writes summary.json, communes.csv, households.geojson (households.csv for 'all'),
gaps.geojson, sites.geojson and report.md (in French). Times are in minutes in the
outputs, GeoJSON in WGS84, CSV UTF-8 with '.' decimals. Same inputs, same bytes.`;

function log(msg: string): void {
  process.stderr.write(`report: ${msg}\n`);
}

function timed<T>(label: string, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  log(`${label} (${((performance.now() - t0) / 1000).toFixed(2)} s)`);
  return out;
}

async function timedAsync<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  log(`${label} (${((performance.now() - t0) / 1000).toFixed(2)} s)`);
  return out;
}

function parseThresholds(raw: string | undefined): number[] {
  if (raw === undefined) return [20, 30];
  const parts = raw.split(',').map((s) => s.trim());
  const values = parts.map((p) => numberOption('thresholds', p, { min: 0, max: 24 * 60 }));
  if (values.some((v) => v <= 0)) throw new UsageError(`--thresholds: minutes must be > 0, got "${raw}"`);
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  return sorted;
}

/** The manifest entry of a data file (by its path in the data layout), if any. */
function manifestSources(): SourceEntry[] {
  try {
    return loadManifest().sources;
  } catch {
    return [];
  }
}

function sourceFor(entries: SourceEntry[], file: string, fallbackName: string): ReportSource {
  const norm = file.split(path.sep).join('/');
  const e = entries.find((s) => norm.endsWith('/' + s.path) || norm === s.path);
  if (e) return { name: e.name, date: e.date, url: e.url, description: e.description };
  return { name: fallbackName, date: 'inconnue', url: path.basename(file), description: 'fichier fourni en ligne de commande' };
}

/** Grid cells of a département: GISCO tiles or INSEE's CSV, centre inside the département outline. */
async function loadGrid(gridPath: string, keep: (lon: number, lat: number) => boolean, bbox: [number, number, number, number]): Promise<Households> {
  const st = fs.statSync(gridPath);
  if (st.isDirectory()) {
    const tiles = listTiles(gridPath);
    return loadGridTiles(gridPath, tiles, { bbox, keep: (lon, lat) => keep(lon, lat) });
  }
  return loadInseeGrid(gridPath, { bbox, keep: (lon, lat) => keep(lon, lat) });
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    departement: { type: 'string' },
    out: { type: 'string' },
    households: { type: 'string' },
    thresholds: { type: 'string' },
    model: { type: 'string' },
    osm: { type: 'string' },
    'access-speed': { type: 'string' },
    'max-snap': { type: 'string' },
    sites: { type: 'string' },
    communes: { type: 'string' },
    grid: { type: 'string' },
    json: { type: 'boolean' },
  });
  const t0 = performance.now();
  const depRaw = required('departement', values.departement).trim();
  const dep = depRaw.toLowerCase() === 'all' ? 'all' : depRaw.toUpperCase().padStart(2, '0');
  const out = required('out', values.out);
  const kind = values.households ?? 'communes';
  if (kind !== 'communes' && kind !== 'grid') throw new UsageError(`--households must be communes or grid, got "${kind}"`);
  if (dep === 'all' && kind === 'grid') throw new UsageError('--departement all runs at commune level only (--households communes)');
  const thresholdsMin = parseThresholds(values.thresholds);
  const modelName = values.model ?? (values.osm ? 'road' : 'crowfly');
  if (modelName !== 'crowfly' && modelName !== 'road') throw new UsageError(`--model must be crowfly or road, got "${modelName}"`);
  if (modelName === 'road' && !values.osm) throw new UsageError('--model road needs --osm FILE.pbf');
  if (modelName === 'crowfly' && values.osm) throw new UsageError('--osm is only used by --model road');
  const osmFile = values.osm ? inputFile('osm', values.osm) : undefined;
  const accessSpeedKmh = numberOption('access-speed', values['access-speed'], { min: 0.1, max: 200, fallback: 15 });
  const maxSnapDistanceM = numberOption('max-snap', values['max-snap'], { min: 0, max: 100_000, fallback: 1000 });
  if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0)) {
    throw new UsageError(`--out: ${out} exists and is not an empty folder`);
  }

  const manifest = manifestSources();
  const sitesFile = values.sites ? inputFile('sites', values.sites) : dataPath('france-services/liste-fs-20240801.csv');
  const communesFile = values.communes ? inputFile('communes', values.communes) : dataPath('communes/communes-2024.csv');
  const depOutlinesFile = dataPath('admin/departements.geojson');

  const sites = await timedAsync('sites loaded', () => loadSites(sitesFile));
  const depOutlines = loadOutlines(depOutlinesFile);
  const depNames = new Map<string, string>();
  // Overseas collectivities with sites but no outline in the départements file.
  const extraNames: Record<string, string> = { '975': 'Saint-Pierre-et-Miquelon', '977': 'Saint-Barthélemy', '978': 'Saint-Martin' };
  for (const [code, name] of Object.entries(extraNames)) depNames.set(code, name);
  for (let i = 0; i < depOutlines.count; i++) depNames.set(depOutlines.code[i], depOutlines.name[i]);
  const valid = [...new Set([...sites.departement, ...depOutlines.code])].filter((c) => c !== '').sort();
  if (dep !== 'all' && !valid.includes(dep)) {
    throw new UsageError(`--departement: unknown code "${depRaw}"; valid codes: ${valid.join(', ')}, all`);
  }

  const communes = await timedAsync('communes loaded', () => loadCommuneHouseholds(communesFile, dep === 'all' ? {} : { departement: dep }));
  const communeNames = new Map<string, string>();
  for (let i = 0; i < communes.count; i++) communeNames.set(communes.id[i], communes.name[i]);
  const sources: ReportSource[] = [sourceFor(manifest, sitesFile, 'france-services'), sourceFor(manifest, communesFile, 'communes')];

  let units: Households = communes;
  let gridAccounting: { communeHouseholds: number; note?: string } | undefined;
  if (kind === 'grid') {
    const gridPath = values.grid ?? dataPath('filosofi/men/2019/200m');
    if (!fs.existsSync(gridPath)) throw new UsageError(`--grid: not found: ${gridPath}`);
    const inside = insideOutline(depOutlines, dep);
    const bbox = outlineBBox(depOutlines, dep, 0);
    units = await timedAsync('grid cells loaded', () => loadGrid(gridPath, inside, bbox));
    if (units.count === 0) {
      throw new UsageError(`--households grid: ${gridPath} holds no cell of département ${dep}; use --grid with INSEE's national file, or --households communes`);
    }
    // Commune of each cell: commune outlines when the project has them, else none ('').
    const outlinesEntry = manifest.find((s) => s.name === `outlines-${dep.toLowerCase()}`);
    const outlinesFile = outlinesEntry ? findDataPath(outlinesEntry.path) : undefined;
    if (outlinesFile) {
      const res = assignCommunes(units, loadOutlines(outlinesFile), { remap: COMMUNE_MERGES_2019 });
      sources.push(sourceFor(manifest, outlinesFile, 'outlines'));
      if (res.outside.length > 0) log(`${res.outside.length} cells (${res.outsideHouseholds.toFixed(1)} households) in no commune outline`);
    }
    let communeHouseholds = 0;
    for (let i = 0; i < communes.count; i++) communeHouseholds += communes.households[i];
    gridAccounting = {
      communeHouseholds,
      note: outlinesFile ? undefined : 'Aucun contour communal disponible : les carreaux ne sont pas rattachés à une commune.',
    };
    const gridEntry = manifest.find((s) => s.path.startsWith('filosofi/'));
    sources.push(
      gridEntry && !values.grid
        ? { name: 'filosofi-200m', date: gridEntry.date, url: gridEntry.url.replace(/\d+\/\d+\.csv$/, '{tx}/{ty}.csv'), description: 'INSEE Filosofi 2019, carreaux de 200 m (tuiles GISCO)' }
        : { name: 'filosofi-200m', date: 'inconnue', url: path.basename(gridPath), description: 'carreaux de 200 m fournis en ligne de commande' },
    );
  }
  sources.push(sourceFor(manifest, depOutlinesFile, 'departements'));

  let model: TravelTimeModel;
  if (modelName === 'road') {
    // Loaded only here: the crow-fly report does not pay for the OSM reader.
    const { buildCarGraph } = await import('@fs-access/osm');
    const car = await timedAsync('road graph built', () => buildCarGraph(osmFile!));
    log(`road graph: ${car.stats.nodes} nodes, ${car.stats.arcs} arcs (largest strongly connected component; ${car.stats.removedNodes} nodes removed)`);
    model = new RoadModel(carNetwork(car), { accessSpeedKmh, maxSnapDistanceM });
    sources.push(sourceFor(manifest, osmFile!, path.basename(osmFile!)));
  } else {
    model = new CrowFlyModel();
  }

  const area = { code: dep, name: dep === 'all' ? 'France' : (depNames.get(dep) ?? '') };
  const report = timed('coverage computed', () =>
    buildReport({ area, units, communeNames, sites, model, thresholdsMin, sources, gridAccounting }),
  );
  if (modelName === 'road') {
    const notSnapped = report.coverage.byThreshold[0].unreachable.units;
    if (notSnapped > 0.1 * units.count) {
      log(`warning: ${notSnapped} of ${units.count} household units are unreachable (farther than ${maxSnapDistanceM} m from the roads of ${path.basename(osmFile!)}?) — does the extract cover the département?`);
    }
  }
  const rows = dep === 'all' ? timed('départements split', () => departementRows(report, depNames)) : undefined;

  const summary = summaryJson(report, rows);
  await withOutputDir(out, async (tmp) => {
    const write = (name: string, text: string | string[]) => {
      const fd = fs.openSync(path.join(tmp, name), 'w');
      try {
        for (const chunk of typeof text === 'string' ? [text] : text) fs.writeSync(fd, chunk);
      } finally {
        fs.closeSync(fd);
      }
    };
    timed('outputs written', () => {
      write('summary.json', summary);
      write('communes.csv', communesCsv(report));
      if (dep === 'all') write('households.csv', householdsCsv(report));
      else write('households.geojson', householdsGeoJson(report));
      write('gaps.geojson', gapsGeoJson(report));
      write('sites.geojson', sitesGeoJson(report));
      write('report.md', reportMarkdown(report, rows));
    });
  });
  const first = report.coverage.byThreshold.map((t) => `${(t.shareCovered * 100).toFixed(1)} % within ${t.thresholdS / 60} min`).join(', ');
  log(`${area.name} (${dep}): ${report.coverage.totalRead.households.toFixed(0)} households, ${first}; written to ${out} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  if (values.json) process.stdout.write(summary);
}
