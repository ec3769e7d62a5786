/**
 * Prepares the static files the map loads: for each département, the household units (as
 * binary columns), the sites the report considers, the candidate places, commune outlines,
 * neighbouring département outlines, and the CLI report itself (summary.json, report.md,
 * communes.csv, gaps.geojson, sites.geojson) made by running `fs-access report`.
 *
 * The units the map computes on are loaded here with the same loaders and options as the
 * report command; before anything is written, the report is rebuilt from exactly those
 * units (access's buildReport + summaryJson) and must give the CLI's summary.json byte for
 * byte — so what the browser computes is what the CLI printed, or preparation fails.
 *
 * Usage: tsx apps/map/scripts/prepare-data.ts [--departements 87,40] [--out DIR]
 *        [--sites FILE] [--communes FILE] [--grid PATH] [--candidates-dir DIR]
 * Default out: apps/map/public/data (git-ignored).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CrowFlyModel, REACHED, buildReport, communeCandidates, selectCandidatesInArea, summaryJson, type AreaGeometry, type ReportSource } from '@fs-access/access';
import { householdLayer } from './features.ts';
import { writeTiles } from './tiles.ts';
import {
  COMMUNE_MERGES_2019,
  assignCommunes,
  dataPath,
  findDataPath,
  insideOutline,
  listTiles,
  loadCandidates,
  loadCommuneHouseholds,
  loadGridTiles,
  loadManifest,
  loadOutlines,
  loadSites,
  outlineBBox,
  repoRoot,
  type Candidates,
  type Households,
  type Outlines,
  type Sites,
} from '@fs-access/data';
import {
  FORMAT_VERSION,
  candidatesToJson,
  encodeUnits,
  sitesToJson,
  type DataIndex,
  type DepartementMeta,
} from '../src/prepared.ts';

/** Preparation failed: the message names the département and the file or step. */
export class PrepareDataError extends Error {
  override name = 'PrepareDataError';
}

export const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT = path.join(APP_DIR, 'public', 'data');
export const DEFAULT_DEPARTEMENTS = ['87', '40'];
export const THRESHOLDS_MIN = [20, 30];

export interface PrepareOptions {
  /** Département codes; default 87 and 40 (each kept only if its household data exists). */
  departements?: string[];
  /** Output folder (replaced département by département). */
  outDir?: string;
  /** France services CSV (default: the manifest's). */
  sitesFile?: string;
  /** Communes CSV (default: the manifest's). */
  communesFile?: string;
  /** Filosofi GISCO tiles folder (default: the manifest's). */
  gridPath?: string;
  /** Folder holding annuaire-<dep>.sjson (default: the data layout's candidates/). */
  candidatesDir?: string;
  log?: (message: string) => void;
}

/** What the units of one département are, loaded exactly as `fs-access report` loads them. */
export interface LoadedDepartement {
  code: string;
  name: string;
  kind: 'grid' | 'communes';
  units: Households;
  communeNames: Map<string, string>;
  gridAccounting: { communeHouseholds: number; note?: string } | undefined;
  /** The national sites list. */
  sites: Sites;
  /** Commune-level households (the fallback candidates are their centroids). */
  communes: Households & { name: string[] };
  depOutlines: Outlines;
  communeOutlinesFile: string | undefined;
}

/**
 * Loads the household units of a département the way the report command does: the grid
 * (Filosofi cells whose centre lies in the département outline, communes assigned from
 * the commune outlines with the 2019 merges) when the grid data holds cells there, else
 * the 2021 commune households.
 */
export async function loadDepartement(dep: string, opts: PrepareOptions = {}): Promise<LoadedDepartement> {
  const sitesFile = opts.sitesFile ?? dataPath('france-services/liste-fs-20240801.csv');
  const communesFile = opts.communesFile ?? dataPath('communes/communes-2024.csv');
  const depOutlines = loadOutlines(dataPath('admin/departements.geojson'));
  const name = depOutlines.name[depOutlines.code.indexOf(dep)];
  if (name === undefined) throw new PrepareDataError(`département ${dep}: no outline in admin/departements.geojson`);
  if (dep === '13' || dep === '69' || dep === '75') {
    // The report adds arrondissement rows for these three; the map does not mirror that yet.
    throw new PrepareDataError(`département ${dep}: Paris, Lyon and Marseille need the report's arrondissement rows, which the map does not prepare`);
  }
  const sites = await loadSites(sitesFile);
  const communes = await loadCommuneHouseholds(communesFile, { departement: dep });
  if (communes.count === 0) throw new PrepareDataError(`département ${dep}: no household in ${communesFile}`);
  const communeNames = new Map<string, string>();
  for (let i = 0; i < communes.count; i++) communeNames.set(communes.id[i], communes.name[i]);

  const manifest = loadManifest().sources;
  const outlinesEntry = manifest.find((s) => s.name === `outlines-${dep.toLowerCase()}`);
  const communeOutlinesFile = outlinesEntry ? findDataPath(outlinesEntry.path) : undefined;

  const gridPath = opts.gridPath ?? findDataPath('filosofi/men/2019/200m');
  let grid: Households | undefined;
  if (gridPath && fs.existsSync(gridPath)) {
    const cells = await loadGridTiles(gridPath, listTiles(gridPath), { bbox: outlineBBox(depOutlines, dep, 0), keep: insideOutline(depOutlines, dep) });
    if (cells.count > 0) grid = cells;
  }
  if (!grid) return { code: dep, name, kind: 'communes', units: communes, communeNames, gridAccounting: undefined, sites, communes, depOutlines, communeOutlinesFile };

  if (communeOutlinesFile) assignCommunes(grid, loadOutlines(communeOutlinesFile), { remap: COMMUNE_MERGES_2019 });
  let communeHouseholds = 0;
  for (let i = 0; i < communes.count; i++) communeHouseholds += communes.households[i];
  const gridAccounting = {
    communeHouseholds,
    note: communeOutlinesFile ? undefined : 'Aucun contour communal disponible : les carreaux ne sont pas rattachés à une commune.',
  };
  return { code: dep, name, kind: 'grid', units: grid, communeNames, gridAccounting, sites, communes, depOutlines, communeOutlinesFile };
}

/** Runs `fs-access report` (the CLI, in a child process) into `outDir`. */
export function runReportCommand(args: string[], log: (m: string) => void = () => {}): Promise<void> {
  const bin = path.join(repoRoot, 'packages', 'cli', 'src', 'bin.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bin, 'report', ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (err) => reject(new PrepareDataError(`fs-access report ${args.join(' ')}: could not start (${err.message})`)));
    child.on('close', (code) => {
      if (code === 0) {
        const last = stderr.trim().split('\n').pop();
        if (last) log(last);
        resolve();
      } else reject(new PrepareDataError(`fs-access report ${args.join(' ')} exited with code ${code}:\n${stderr.trim()}`));
    });
  });
}

/** First differing line of two texts, for the error message. */
function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: CLI ${JSON.stringify(la[i])} vs map ${JSON.stringify(lb[i])}`;
  }
  return 'no difference';
}

function roundCoords(value: unknown, f: number): unknown {
  if (typeof value === 'number') return Math.round(value * f) / f;
  if (Array.isArray(value)) return value.map((v) => roundCoords(v, f));
  return value;
}

type Geometry = { type: string; coordinates: unknown };

type OutlineFeature = { type: 'Feature'; id?: number; properties: { code: string; nom: string; commune: string; unit: number }; geometry: Geometry };

/** Commune outlines for the map: 5-decimal coordinates (≈ 1 m), code, name and the unit each outline shows. */
function communeOutlines(file: string, units: Households): OutlineFeature[] {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as { features: { properties: Record<string, unknown>; geometry: Geometry }[] };
  const unitOf = new Map<string, number>();
  if (units.kind === 'communes') units.id.forEach((code, i) => unitOf.set(code, i));
  return doc.features.map((f) => {
    const code = String(f.properties.code ?? '');
    const current = COMMUNE_MERGES_2019[code] ?? code;
    return {
      type: 'Feature' as const,
      properties: { code, nom: String(f.properties.nom ?? ''), commune: current, unit: unitOf.get(current) ?? -1 },
      geometry: { type: f.geometry.type, coordinates: roundCoords(f.geometry.coordinates, 1e5) },
    };
  });
}

/** Outlines of the départements around `bbox` (the base map), 4-decimal coordinates. */
function contextGeoJson(outlines: Outlines, dep: string, bbox: [number, number, number, number]): string {
  const m = 1.5;
  const features: unknown[] = [];
  for (let i = 0; i < outlines.count; i++) {
    const b = outlines.bbox.subarray(4 * i, 4 * i + 4);
    if (b[2] < bbox[0] - m || b[0] > bbox[2] + m || b[3] < bbox[1] - m || b[1] > bbox[3] + m) continue;
    features.push({
      type: 'Feature',
      properties: { code: outlines.code[i], nom: outlines.name[i], current: outlines.code[i] === dep },
      geometry: { type: outlines.geometry[i].type, coordinates: roundCoords(outlines.geometry[i].coordinates, 1e4) },
    });
  }
  return JSON.stringify({ type: 'FeatureCollection', features });
}

function candidatesFile(dep: string, dir: string | undefined): string | undefined {
  const rel = `candidates/annuaire-${dep}.sjson`;
  if (dir) {
    const p = path.join(dir, `annuaire-${dep}.sjson`);
    return fs.existsSync(p) ? p : undefined;
  }
  return findDataPath(rel);
}

/** Candidate places, chosen as `fs-access sites` chooses them by default. */
export const CANDIDATE_BUFFER_M = 5000;

/**
 * The default candidates of `fs-access sites`: the département's annuaire (places farther
 * than 5 km outside its outline rejected, access's selectCandidatesInArea), or the commune
 * centroids when there is no annuaire.
 */
export async function defaultCandidates(loaded: LoadedDepartement, dir?: string): Promise<{ candidates: Candidates; source: string; file: string }> {
  const file = candidatesFile(loaded.code, dir);
  if (!file) return { candidates: communeCandidates(loaded.communes, loaded.communeNames), source: 'communes', file: '' };
  const i = loaded.depOutlines.code.indexOf(loaded.code);
  const sel = selectCandidatesInArea(await loadCandidates(file), { geometry: loaded.depOutlines.geometry[i] as AreaGeometry, code: loaded.code, bufferM: CANDIDATE_BUFFER_M, file });
  return { candidates: sel.candidates, source: 'annuaire', file };
}

/** Prepares one département into `<outDir>/<dep>` (written to a temp folder, then renamed). */
export async function prepareDepartement(dep: string, opts: PrepareOptions = {}): Promise<DataIndex['departements'][number]> {
  const log = opts.log ?? (() => {});
  const outDir = opts.outDir ?? DEFAULT_OUT;
  const t0 = performance.now();
  const loaded = await loadDepartement(dep, opts);
  const { units, kind } = loaded;
  log(`${dep} ${loaded.name}: ${units.count} ${kind === 'grid' ? 'grid cells' : 'communes'}`);

  // The CLI report on the same inputs.
  const cliDir = fs.mkdtempSync(path.join(os.tmpdir(), `fs-access-map-${dep}-`));
  const reportDir = path.join(cliDir, 'report');
  try {
    const args = ['--departement', dep, '--households', kind, '--out', reportDir];
    if (opts.sitesFile) args.push('--sites', opts.sitesFile);
    if (opts.communesFile) args.push('--communes', opts.communesFile);
    if (opts.gridPath && kind === 'grid') args.push('--grid', opts.gridPath);
    await runReportCommand(args, (m) => log(`  ${m}`));
    const cliSummary = fs.readFileSync(path.join(reportDir, 'summary.json'), 'utf8');
    const sources = (JSON.parse(cliSummary) as { sources: ReportSource[] }).sources;

    // Rebuild it from the units the map will load: it must be the same file.
    const model = new CrowFlyModel();
    const report = buildReport({
      area: { code: dep, name: loaded.name },
      units,
      communeNames: loaded.communeNames,
      sites: loaded.sites,
      model,
      thresholdsMin: THRESHOLDS_MIN,
      sources,
      gridAccounting: loaded.gridAccounting,
    });
    const mine = summaryJson(report);
    if (mine !== cliSummary) {
      throw new PrepareDataError(`département ${dep}: the map's units do not reproduce the CLI's summary.json (${firstDifference(cliSummary, mine)})`);
    }

    const { candidates, source: candSource, file: candFile } = await defaultCandidates(loaded, opts.candidatesDir);
    const bbox = outlineBBox(loaded.depOutlines, dep, 0) as [number, number, number, number];
    const encoded = encodeUnits(units);
    const meta: DepartementMeta = {
      format: FORMAT_VERSION,
      code: dep,
      name: loaded.name,
      kind,
      count: units.count,
      columns: encoded.columns,
      communeCodes: encoded.communeCodes,
      communeNames: Object.fromEntries(loaded.communeNames),
      rejected: units.rejected,
      gridAccounting: loaded.gridAccounting ?? null,
      sources,
      thresholdsMin: THRESHOLDS_MIN,
      model: model.parameters,
      bbox,
      cellSizeM: 200,
      communeRemap: { ...COMMUNE_MERGES_2019 },
      candidates: { source: candSource, file: candFile ? path.basename(candFile) : '', count: candidates.count, rejected: candidates.rejected.length },
      siteCount: report.sites.count,
      generated: new Date().toISOString(),
    };

    fs.mkdirSync(outDir, { recursive: true });
    const tmp = path.join(outDir, `.${dep}.tmp-${process.pid}`);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp);
    const write = (name: string, data: string | Uint8Array) => fs.writeFileSync(path.join(tmp, name), data);
    write('meta.json', JSON.stringify(meta));
    write('units.bin', encoded.bytes);
    write('sites.json', JSON.stringify(sitesToJson(report.sites)));
    write('candidates.json', JSON.stringify(candidatesToJson(candidates)));
    write('context.geojson', contextGeoJson(loaded.depOutlines, dep, bbox));
    const outlines = loaded.communeOutlinesFile ? communeOutlines(loaded.communeOutlinesFile, units) : null;
    const minutes = Float64Array.from(report.nearest.time, (t, i) => (report.nearest.status[i] === REACHED ? t / 60 : NaN));
    const layer = householdLayer(units, minutes, meta.cellSizeM, outlines ?? []);
    // Grid squares: no simplification (a 200 m square must not vanish at low zoom), no buffer (fills only).
    const layers: Parameters<typeof writeTiles>[0] = { households: kind === 'grid' ? { data: layer, tolerance: 0, buffer: 0 } : { data: layer, tolerance: 3, buffer: 64 } };
    if (outlines) layers.communes = { data: { type: 'FeatureCollection', features: outlines as unknown as GeoJSON.Feature[] }, tolerance: 3, buffer: 64 };
    const tiles = writeTiles(layers, path.join(tmp, 'tiles'), bbox, { minZoom: 5, maxZoom: 12 });
    log(`  map layers: ${tiles.tiles} vector tiles, ${(tiles.bytes / 1e6).toFixed(1)} MB`);
    for (const f of ['summary.json', 'report.md', 'communes.csv', 'gaps.geojson', 'sites.geojson']) fs.copyFileSync(path.join(reportDir, f), path.join(tmp, f));
    const target = path.join(outDir, dep);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
    log(`  → ${path.relative(process.cwd(), target) || target} (${((performance.now() - t0) / 1000).toFixed(1)} s; summary identical to the CLI's)`);
    return { code: dep, name: loaded.name, kind, units: units.count, households: report.coverage.totalRead.households, bbox, communeOutlines: outlines !== null };
  } finally {
    fs.rmSync(cliDir, { recursive: true, force: true });
  }
}

/** Whether a département has household data to prepare (a row in the communes file). */
async function hasHouseholds(dep: string, communesFile: string | undefined): Promise<boolean> {
  const file = communesFile ?? findDataPath('communes/communes-2024.csv');
  if (!file) return false;
  const c = await loadCommuneHouseholds(file, { departement: dep });
  return c.count > 0;
}

/** Prepares every département asked for and writes `<outDir>/index.json`. */
export async function prepareData(opts: PrepareOptions = {}): Promise<DataIndex> {
  const outDir = opts.outDir ?? DEFAULT_OUT;
  const asked = opts.departements ?? DEFAULT_DEPARTEMENTS;
  const entries: DataIndex['departements'] = [];
  for (const raw of asked) {
    const dep = raw.trim().toUpperCase().padStart(2, '0');
    // 87 is the app's home: its absence is an error; others are skipped when they lack data.
    if (dep !== '87' && !opts.departements && !(await hasHouseholds(dep, opts.communesFile))) {
      opts.log?.(`${dep}: no household data, skipped`);
      continue;
    }
    entries.push(await prepareDepartement(dep, opts));
  }
  const index: DataIndex = { format: FORMAT_VERSION, defaultDepartement: entries.some((e) => e.code === '87') ? '87' : (entries[0]?.code ?? ''), departements: entries };
  const tmp = path.join(outDir, `.index.json.tmp-${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify(index, null, 2) + '\n');
  fs.renameSync(tmp, path.join(outDir, 'index.json'));
  return index;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      departements: { type: 'string' },
      out: { type: 'string' },
      sites: { type: 'string' },
      communes: { type: 'string' },
      grid: { type: 'string' },
      'candidates-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`Usage: prepare-data [--departements 87,40] [--out DIR] [--sites FILE] [--communes FILE] [--grid PATH] [--candidates-dir DIR]\n`);
    return;
  }
  const t0 = performance.now();
  const index = await prepareData({
    departements: values.departements?.split(',').filter((s) => s.trim() !== ''),
    outDir: values.out ? path.resolve(values.out) : undefined,
    sitesFile: values.sites ? path.resolve(values.sites) : undefined,
    communesFile: values.communes ? path.resolve(values.communes) : undefined,
    gridPath: values.grid ? path.resolve(values.grid) : undefined,
    candidatesDir: values['candidates-dir'] ? path.resolve(values['candidates-dir']) : undefined,
    log: (m) => process.stderr.write(`prepare-data: ${m}\n`),
  });
  process.stderr.write(`prepare-data: ${index.departements.map((d) => d.code).join(', ')} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`${err.name}: ${err.message}\n`);
    process.exit(String((err as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS') ? 2 : 1);
  });
}
