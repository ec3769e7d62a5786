/**
 * The inputs of a département-level command (report, sites, closure): the household units
 * (communes or Filosofi grid cells), the national site list, the département outlines and
 * names, and the travel-time model (crow-fly, or road from an OSM extract) — with the
 * sources cited in the outputs. One place, so every command reads the same data the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CrowFlyModel, RoadModel, carNetwork, selectSitesForPlanning, subsetSites, type ReportSource, type TravelTimeModel, type UnitTimes } from '@fs-access/access';
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
  type Outlines,
  type Sites,
  type SourceEntry,
} from '@fs-access/data';
import type { CarGraph } from '@fs-access/osm';
import { UsageError, inputFile, numberOption, type Options } from './cli-kit.ts';

/** The parseArgs options every département command shares. */
export const INPUT_OPTIONS = {
  departement: { type: 'string' },
  households: { type: 'string' },
  model: { type: 'string' },
  osm: { type: 'string' },
  'access-speed': { type: 'string' },
  'max-snap': { type: 'string' },
  sites: { type: 'string' },
  communes: { type: 'string' },
  grid: { type: 'string' },
} as const satisfies Options;

/** Their usage lines (after --departement, which each command words itself). */
export const INPUT_USAGE = `  --households KIND      communes (default: 2021 census households at commune centroids)
                         or grid (Filosofi 200 m cells whose centre is in the département)
  --model NAME           crowfly (default without --osm) or road (default with --osm)
  --osm FILE.pbf         OpenStreetMap extract for the road model
  --access-speed KMH     road model: speed of the leg between a point and the road (default 15)
  --max-snap M           road model: farthest a point may be from a road (default 1000)
  --sites FILE           France services CSV (default: the manifest's france-services file)
  --communes FILE        communes CSV (default: the manifest's communes file)
  --grid PATH            grid: a folder of GISCO tiles {tx}/{ty}.csv or INSEE's CSV
                         (default: the manifest's filosofi tiles)`;

type InputValues = { [K in keyof typeof INPUT_OPTIONS]?: string };

/** The command line's input options, checked (no file read yet beyond existence). */
export interface InputChoice {
  /** Normalised code ('87', '2A', '974') or 'all'. */
  dep: string;
  depRaw: string;
  kind: 'communes' | 'grid';
  modelName: 'crowfly' | 'road';
  osmFile?: string;
  accessSpeedKmh: number;
  maxSnapDistanceM: number;
  sitesFile: string;
  communesFile: string;
  gridPath?: string;
}

/** Checks the input options; `allowAll` accepts --departement all (commune level only). */
export function checkInputOptions(values: InputValues, { allowAll = false }: { allowAll?: boolean } = {}): InputChoice {
  const raw = values.departement;
  if (raw === undefined || raw.trim() === '') throw new UsageError('--departement is required');
  const depRaw = raw.trim();
  const dep = depRaw.toLowerCase() === 'all' ? 'all' : depRaw.toUpperCase().padStart(2, '0');
  if (dep === 'all' && !allowAll) throw new UsageError('--departement all is not available for this command: give one département code');
  const kind = values.households ?? 'communes';
  if (kind !== 'communes' && kind !== 'grid') throw new UsageError(`--households must be communes or grid, got "${kind}"`);
  if (dep === 'all' && kind === 'grid') throw new UsageError('--departement all runs at commune level only (--households communes)');
  const modelName = values.model ?? (values.osm ? 'road' : 'crowfly');
  if (modelName !== 'crowfly' && modelName !== 'road') throw new UsageError(`--model must be crowfly or road, got "${modelName}"`);
  if (modelName === 'road' && !values.osm) throw new UsageError('--model road needs --osm FILE.pbf');
  if (modelName === 'crowfly' && values.osm) throw new UsageError('--osm is only used by --model road');
  const osmFile = values.osm ? inputFile('osm', values.osm) : undefined;
  const accessSpeedKmh = numberOption('access-speed', values['access-speed'], { min: 0.1, max: 200, fallback: 15 });
  const maxSnapDistanceM = numberOption('max-snap', values['max-snap'], { min: 0, max: 100_000, fallback: 1000 });
  return {
    dep,
    depRaw,
    kind,
    modelName,
    osmFile,
    accessSpeedKmh,
    maxSnapDistanceM,
    sitesFile: values.sites ? inputFile('sites', values.sites) : dataPath('france-services/liste-fs-20240801.csv'),
    communesFile: values.communes ? inputFile('communes', values.communes) : dataPath('communes/communes-2024.csv'),
    gridPath: values.grid,
  };
}

/** The manifest's entries ([] when there is no manifest). */
export function manifestSources(): SourceEntry[] {
  try {
    return loadManifest().sources;
  } catch {
    return [];
  }
}

/** The source to cite for a file: its manifest entry, else the file's name. */
export function sourceFor(entries: SourceEntry[], file: string, fallbackName: string): ReportSource {
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

export interface DepartementInputs {
  choice: InputChoice;
  area: { code: string; name: string };
  /** The household units of the area (communes or grid cells). */
  units: Households;
  /** The area's communes (commune level), whatever `units` is. */
  communes: Households & { name?: string[] };
  communeNames: Map<string, string>;
  /** Every site of the sites file (the commands pick those within reach). */
  sites: Sites;
  depOutlines: Outlines;
  depNames: Map<string, string>;
  model: TravelTimeModel;
  /** The road model's car graph (for workers). */
  car?: CarGraph;
  sources: ReportSource[];
  manifest: SourceEntry[];
  gridAccounting?: { communeHouseholds: number; note?: string };
}

async function timedAsync<T>(log: (msg: string) => void, label: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  log(`${label} (${((performance.now() - t0) / 1000).toFixed(2)} s)`);
  return out;
}

/** Loads everything a département command needs; `log` gets progress lines for stderr. */
export async function loadDepartementInputs(choice: InputChoice, log: (msg: string) => void): Promise<DepartementInputs> {
  const { dep, depRaw, kind, modelName } = choice;
  const manifest = manifestSources();
  const depOutlinesFile = dataPath('admin/departements.geojson');
  const sites = await timedAsync(log, 'sites loaded', () => loadSites(choice.sitesFile));
  // Rejected sites are not used: say so, with the first one, so a bad row is never silent.
  if (sites.rejected.length > 0) {
    const r = sites.rejected[0];
    log(`${sites.rejected.length} site row(s) rejected, e.g. ${r.file}:${r.line}: ${r.reason}: ${r.detail}`);
  }
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

  const communes = await timedAsync(log, 'communes loaded', () => loadCommuneHouseholds(choice.communesFile, dep === 'all' ? {} : { departement: dep }));
  const communeNames = new Map<string, string>();
  for (let i = 0; i < communes.count; i++) communeNames.set(communes.id[i], communes.name[i]);
  const sources: ReportSource[] = [sourceFor(manifest, choice.sitesFile, 'france-services'), sourceFor(manifest, choice.communesFile, 'communes')];

  let units: Households = communes;
  let gridAccounting: { communeHouseholds: number; note?: string } | undefined;
  if (kind === 'grid') {
    const gridPath = choice.gridPath ?? dataPath('filosofi/men/2019/200m');
    if (!fs.existsSync(gridPath)) throw new UsageError(`--grid: not found: ${gridPath}`);
    const inside = insideOutline(depOutlines, dep);
    const bbox = outlineBBox(depOutlines, dep, 0);
    units = await timedAsync(log, 'grid cells loaded', () => loadGrid(gridPath, inside, bbox));
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
      gridEntry && !choice.gridPath
        ? { name: 'filosofi-200m', date: gridEntry.date, url: gridEntry.url.replace(/\d+\/\d+\.csv$/, '{tx}/{ty}.csv'), description: 'INSEE Filosofi 2019, carreaux de 200 m (tuiles GISCO)' }
        : { name: 'filosofi-200m', date: 'inconnue', url: path.basename(gridPath), description: 'carreaux de 200 m fournis en ligne de commande' },
    );
  }
  sources.push(sourceFor(manifest, depOutlinesFile, 'departements'));

  let model: TravelTimeModel;
  let car: CarGraph | undefined;
  if (modelName === 'road') {
    // Loaded only here: the crow-fly commands do not pay for the OSM reader.
    const { buildCarGraph } = await import('@fs-access/osm');
    const osmFile = choice.osmFile!;
    car = await timedAsync(log, 'road graph built', () => buildCarGraph(osmFile));
    log(`road graph: ${car.stats.nodes} nodes, ${car.stats.arcs} arcs (largest strongly connected component; ${car.stats.removedNodes} nodes removed)`);
    model = new RoadModel(carNetwork(car), { accessSpeedKmh: choice.accessSpeedKmh, maxSnapDistanceM: choice.maxSnapDistanceM });
    sources.push(sourceFor(manifest, osmFile, path.basename(osmFile)));
  } else {
    model = new CrowFlyModel();
  }

  const area = { code: dep, name: dep === 'all' ? 'France' : (depNames.get(dep) ?? '') };
  return { choice, area, units, communes, communeNames, sites, depOutlines, depNames, model, car, sources, manifest, gridAccounting };
}

/** Writes text files into a folder (each as one or several chunks). */
export function writeFiles(dir: string, files: Record<string, string | string[]>): void {
  for (const [name, text] of Object.entries(files)) {
    const fd = fs.openSync(path.join(dir, name), 'w');
    try {
      for (const chunk of typeof text === 'string' ? [text] : text) fs.writeSync(fd, chunk);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * The existing sites a planning command considers: every site within reach of the area's
 * units (selectSitesForPlanning: max(2T, 60 min) at 130 km/h), neighbours' included, and
 * how many of them lie in the département.
 */
export function planningSites(inputs: DepartementInputs, thresholdS: number): { sites: Sites; inArea: number } {
  const sites = subsetSites(inputs.sites, selectSitesForPlanning(inputs.sites, inputs.units, thresholdS));
  let inArea = 0;
  for (let s = 0; s < sites.count; s++) if (sites.departement[s] === inputs.area.code) inArea++;
  return { sites, inArea };
}

/** Warns when the road model could not place many units (an extract that misses the area). */
export function warnUnplaced(inputs: DepartementInputs, times: UnitTimes, log: (msg: string) => void): void {
  if (inputs.choice.modelName !== 'road') return;
  let n = 0;
  for (let i = 0; i < times.count; i++) if (times.placement[i] !== 0) n++;
  if (n > 0.1 * times.count) {
    log(`warning: ${n} of ${times.count} household units are farther than ${inputs.choice.maxSnapDistanceM} m from the roads of ${path.basename(inputs.choice.osmFile!)} — does the extract cover the département?`);
  }
}
