/**
 * The static files the map loads (written by scripts/prepare-data.ts, read by the engine
 * worker and by the tests): one folder per département under `data/<code>/`, listed in
 * `data/index.json`.
 *
 * Household units travel as one binary file of columns (`units.bin`: Float64 lon, lat,
 * households, inhabitants, poor, x3035, y3035, then Int32 commune index) so that the
 * browser gets the very doubles the CLI report summed: the panel's figures are then the
 * CLI's to the last digit. Sites and candidates are small JSON struct-of-arrays (JSON
 * round-trips doubles exactly).
 *
 * Browser-safe: no file access here.
 */
import type { Candidates, Households, Rejection, Sites } from '@fs-access/data';
import type { ReportSource } from '@fs-access/access';

/** Version of the layout below; the app refuses files of another version. */
export const FORMAT_VERSION = 1;

/** Float64 columns of units.bin, in file order. */
export const FLOAT_COLUMNS = ['lon', 'lat', 'households', 'inhabitants', 'poor', 'x3035', 'y3035'] as const;
export type FloatColumn = (typeof FLOAT_COLUMNS)[number];

export interface ColumnLayout {
  name: FloatColumn | 'commune';
  type: 'float64' | 'int32';
  /** Byte offset in units.bin (a multiple of 8). */
  offset: number;
  /** Number of values (0 for x3035/y3035 at commune level). */
  length: number;
}

/** data/<code>/meta.json */
export interface DepartementMeta {
  format: number;
  code: string;
  name: string;
  /** 'grid' = Filosofi 200 m cells; 'communes' = households at commune centroids. */
  kind: 'grid' | 'communes';
  count: number;
  columns: ColumnLayout[];
  /** Commune codes indexed by the `commune` column ('' = none). */
  communeCodes: string[];
  /** INSEE code → name, for the communes of the département (as the report names them). */
  communeNames: Record<string, string>;
  /** Records the loaders rejected (they count in the totals read). */
  rejected: Rejection[];
  gridAccounting: { communeHouseholds: number; note?: string } | null;
  sources: ReportSource[];
  thresholdsMin: number[];
  /** Crow-fly model parameters the report used. */
  model: Record<string, number | string>;
  /** [minLon, minLat, maxLon, maxLat] of the département outline. */
  bbox: [number, number, number, number];
  /** Cell size (m) of grid units. */
  cellSizeM: number;
  /** Outline code remap (2018 outline code → 2024 commune code). */
  communeRemap: Record<string, string>;
  /** Candidate places for new sites: where they come from. */
  candidates: { source: string; file: string; count: number; rejected: number };
  /** Sites considered by the report (national list within reach of the units). */
  siteCount: number;
  generated: string;
}

/** data/index.json */
export interface DataIndex {
  format: number;
  defaultDepartement: string;
  departements: {
    code: string;
    name: string;
    kind: 'grid' | 'communes';
    units: number;
    households: number;
    bbox: [number, number, number, number];
    /** Whether the tiles hold a `communes` layer (commune outlines). */
    communeOutlines: boolean;
  }[];
}

/** sites.json: the sites the report considered, struct-of-arrays. */
export type SitesJson = Omit<Sites, 'lon' | 'lat' | 'rejected' | 'count'> & { lon: number[]; lat: number[] };
/** candidates.json, struct-of-arrays. */
export type CandidatesJson = Omit<Candidates, 'lon' | 'lat' | 'rejected' | 'count'> & { lon: number[]; lat: number[] };

export class PreparedDataError extends Error {
  override name = 'PreparedDataError';
}

/** The grid cell id INSEE uses, from the south-west corner. */
export function gridCellId(x: number, y: number): string {
  return `CRS3035RES200mN${y}E${x}`;
}

/** Column layout for `count` units (x3035/y3035 empty at commune level). */
export function columnLayout(kind: 'grid' | 'communes', count: number): { columns: ColumnLayout[]; byteLength: number } {
  const columns: ColumnLayout[] = [];
  let offset = 0;
  for (const name of FLOAT_COLUMNS) {
    const length = kind === 'communes' && (name === 'x3035' || name === 'y3035') ? 0 : count;
    columns.push({ name, type: 'float64', offset, length });
    offset += length * 8;
  }
  columns.push({ name: 'commune', type: 'int32', offset, length: count });
  offset += count * 4;
  return { columns, byteLength: offset };
}

/** Household units → units.bin bytes and the commune code table. */
export function encodeUnits(units: Households): { bytes: Uint8Array; columns: ColumnLayout[]; communeCodes: string[] } {
  const { columns, byteLength } = columnLayout(units.kind, units.count);
  const buffer = new ArrayBuffer(byteLength);
  const codes: string[] = [];
  const codeIndex = new Map<string, number>();
  for (const col of columns) {
    if (col.type === 'float64') {
      const src = units[col.name as FloatColumn];
      if (src.length !== col.length) throw new PreparedDataError(`column ${col.name} has ${src.length} values, expected ${col.length}`);
      new Float64Array(buffer, col.offset, col.length).set(src);
    } else {
      const out = new Int32Array(buffer, col.offset, col.length);
      for (let i = 0; i < units.count; i++) {
        const code = units.commune[i] ?? '';
        let k = codeIndex.get(code);
        if (k === undefined) {
          codeIndex.set(code, (k = codes.length));
          codes.push(code);
        }
        out[i] = k;
      }
    }
  }
  return { bytes: new Uint8Array(buffer), columns, communeCodes: codes };
}

/** units.bin + meta → Households (the loaders' shape, so the access package takes it as is). */
export function decodeUnits(meta: DepartementMeta, buffer: ArrayBuffer): Households {
  if (meta.format !== FORMAT_VERSION) throw new PreparedDataError(`meta.json of ${meta.code}: format ${meta.format}, this app reads format ${FORMAT_VERSION}; run prepare-data again`);
  const expected = columnLayout(meta.kind, meta.count).byteLength;
  if (buffer.byteLength !== expected) throw new PreparedDataError(`units.bin of ${meta.code}: ${buffer.byteLength} bytes, expected ${expected}; run prepare-data again`);
  const cols: Partial<Record<FloatColumn, Float64Array>> = {};
  let communeIdx = new Int32Array(0);
  for (const col of meta.columns) {
    // Copies keep each column on its own buffer (transferable, and aligned whatever the source).
    if (col.type === 'float64') cols[col.name as FloatColumn] = new Float64Array(buffer.slice(col.offset, col.offset + col.length * 8));
    else communeIdx = new Int32Array(buffer.slice(col.offset, col.offset + col.length * 4));
  }
  const commune = Array.from(communeIdx, (k) => meta.communeCodes[k] ?? '');
  const x = cols.x3035!;
  const y = cols.y3035!;
  const id = meta.kind === 'grid' ? Array.from({ length: meta.count }, (_, i) => gridCellId(x[i], y[i])) : commune.slice();
  return {
    kind: meta.kind,
    count: meta.count,
    id,
    lon: cols.lon!,
    lat: cols.lat!,
    households: cols.households!,
    inhabitants: cols.inhabitants!,
    poor: cols.poor!,
    commune,
    x3035: x,
    y3035: y,
    rejected: meta.rejected,
  };
}

export function sitesToJson(s: Sites): SitesJson {
  return {
    id: s.id,
    name: s.name,
    commune: s.commune,
    communeName: s.communeName,
    departement: s.departement,
    address: s.address,
    type: s.type,
    format: s.format,
    hours: s.hours,
    lon: Array.from(s.lon),
    lat: Array.from(s.lat),
  };
}

export function sitesFromJson(j: SitesJson): Sites {
  return { ...j, count: j.id.length, lon: Float64Array.from(j.lon), lat: Float64Array.from(j.lat), rejected: [] };
}

export function candidatesToJson(c: Candidates): CandidatesJson {
  return { id: c.id, name: c.name, kind: c.kind, commune: c.commune, lon: Array.from(c.lon), lat: Array.from(c.lat) };
}

export function candidatesFromJson(j: CandidatesJson): Candidates {
  return { ...j, count: j.id.length, lon: Float64Array.from(j.lon), lat: Float64Array.from(j.lat), rejected: [] };
}
