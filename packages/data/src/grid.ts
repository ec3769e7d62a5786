/**
 * Loaders for INSEE's Filosofi 200 m grid, in both forms users meet: INSEE's national CSV
 * (`carreaux_200m_met`, one row per inhabited cell, id `CRS3035RES200mN{Y}E{X}`) and
 * Eurostat GISCO's tiled CSV (`{tx}/{ty}.csv`, cell index inside a 128 × 128 tile).
 * Cells are converted to their WGS84 centre with proj4 (EPSG:3035, ETRS89-LAEA).
 */
import fs from 'node:fs';
import path from 'node:path';
import proj4 from 'proj4';
import { columnIndex, parseNumber, readCsv, FloatColumn, type CsvReadOptions } from './csv.ts';
import { CsvSchemaError } from './errors.ts';
import { inBox, METRO_BOX, type BBox } from './geo.ts';
import type { Households, Rejection } from './types.ts';

/** EPSG:3035 (ETRS89 / LAEA Europe), as proj4 needs it. */
export const EPSG3035 = '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';

/** GISCO tiling of the Filosofi grid: origin and cells per tile side. */
export const GISCO_ORIGIN_X = 3_200_000;
export const GISCO_ORIGIN_Y = 2_000_000;
export const GISCO_TILE_CELLS = 128;
export const CELL_SIZE = 200;

const toWgs84 = proj4(EPSG3035, 'WGS84');

/** WGS84 [lon, lat] of an EPSG:3035 point (metres). */
export function laeaToLonLat(x: number, y: number): [number, number] {
  const p = toWgs84.forward([x, y]);
  return [p[0], p[1]];
}

/** EPSG:3035 [x, y] (metres) of a WGS84 point. */
export function lonLatToLaea(lon: number, lat: number): [number, number] {
  const p = toWgs84.inverse([lon, lat]);
  return [p[0], p[1]];
}

/** INSEE's id of the 200 m cell whose south-west corner is (x, y) in EPSG:3035 metres. */
export function cellId(x: number, y: number): string {
  return `CRS3035RES200mN${y}E${x}`;
}

const CELL_ID = /^CRS3035RES200mN(\d+)E(\d+)$/;

/** The south-west corner [x, y] of a cell id, or undefined if the id is not a 200 m EPSG:3035 id. */
export function parseCellId(id: string): [number, number] | undefined {
  const m = CELL_ID.exec(id);
  if (!m) return undefined;
  const y = Number(m[1]);
  const x = Number(m[2]);
  if (x % CELL_SIZE !== 0 || y % CELL_SIZE !== 0) return undefined;
  return [x, y];
}

export interface GridLoadOptions extends CsvReadOptions {
  /** Keep only cells whose centre is in this [minLon, minLat, maxLon, maxLat] box (others are skipped, not rejected). */
  bbox?: BBox;
  /** Keep only cells for which this returns true (centre lon/lat in degrees, south-west corner in EPSG:3035 metres). */
  keep?: (lon: number, lat: number, x3035: number, y3035: number) => boolean;
}

/** Accumulates cells, shared by both forms. */
class GridBuilder {
  id: string[] = [];
  commune: string[] = [];
  lon = new FloatColumn(1 << 14);
  lat = new FloatColumn(1 << 14);
  households = new FloatColumn(1 << 14);
  inhabitants = new FloatColumn(1 << 14);
  poor = new FloatColumn(1 << 14);
  x = new FloatColumn(1 << 14);
  y = new FloatColumn(1 << 14);
  rejected: Rejection[] = [];
  // Cell key (x/200 · 2^16 + y/200) → file index · 2^32 + line where it was first read,
  // to reject a cell listed twice. Numbers only: 2.3 M string values cost seconds of GC.
  private seen = new Map<number, number>();
  private files: string[] = [];
  // The bbox as an EPSG:3035 rectangle (a little larger), to skip far cells before proj4.
  private readonly rect: [number, number, number, number] | undefined;
  constructor(private readonly opts: GridLoadOptions) {
    this.rect = opts.bbox ? laeaRectAround(opts.bbox) : undefined;
  }

  /** Validates counts and position, then adds the cell; returns nothing (rejections are recorded). */
  add(file: string, line: number, x: number, y: number, rawInd: string, rawMen: string, rawPoor: string, commune: string, knownId?: string): void {
    const r = this.rect;
    if (r && (x < r[0] || x > r[2] || y < r[1] || y > r[3])) return;
    const id = knownId ?? cellId(x, y);
    const ind = parseNumber(rawInd);
    const men = parseNumber(rawMen);
    const poor = rawPoor.trim() === '' ? NaN : parseNumber(rawPoor);
    const bad: string[] = [];
    if (!(ind >= 0)) bad.push(`ind "${rawInd}"`);
    if (!(men >= 0)) bad.push(`men "${rawMen}"`);
    if (rawPoor.trim() !== '' && !(poor >= 0)) bad.push(`men_pauv "${rawPoor}"`);
    if (bad.length > 0) {
      this.rejected.push({ file, line, id, reason: 'bad-count', detail: `${bad.join(', ')}: counts must be numbers ≥ 0` });
      return;
    }
    const [lon, lat] = laeaToLonLat(x + CELL_SIZE / 2, y + CELL_SIZE / 2);
    if (!inBox(lon, lat, METRO_BOX)) {
      this.rejected.push({ file, line, id, reason: 'outside-france', detail: `cell centre (${lon.toFixed(5)}, ${lat.toFixed(5)}) is outside metropolitan France` });
      return;
    }
    if (this.opts.bbox && !inBox(lon, lat, this.opts.bbox)) return;
    if (this.opts.keep && !this.opts.keep(lon, lat, x, y)) return;
    const key = (x / CELL_SIZE) * 65536 + y / CELL_SIZE;
    const prev = this.seen.get(key);
    if (prev !== undefined) {
      const at = `${this.files[Math.floor(prev / 2 ** 32)]}:${prev % 2 ** 32}`;
      this.rejected.push({ file, line, id, reason: 'duplicate-id', detail: `cell already read at ${at}` });
      return;
    }
    if (this.files[this.files.length - 1] !== file) this.files.push(file);
    this.seen.set(key, (this.files.length - 1) * 2 ** 32 + line);
    this.id.push(id);
    this.commune.push(commune);
    this.lon.push(lon);
    this.lat.push(lat);
    this.households.push(men);
    this.inhabitants.push(ind);
    this.poor.push(poor);
    this.x.push(x);
    this.y.push(y);
  }

  finish(): Households {
    return {
      kind: 'grid',
      count: this.id.length,
      id: this.id,
      lon: this.lon.finish(),
      lat: this.lat.finish(),
      households: this.households.finish(),
      inhabitants: this.inhabitants.finish(),
      poor: this.poor.finish(),
      commune: this.commune,
      x3035: this.x.finish(),
      y3035: this.y.finish(),
      rejected: this.rejected,
    };
  }
}

/**
 * An EPSG:3035 rectangle holding a lon/lat box: the box edges sampled every 1/64 of their
 * length, projected, grown by 1 km (LAEA bends the edges; the sampled bow is far smaller).
 */
function laeaRectAround(b: BBox): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let k = 0; k <= 64; k++) {
    const t = k / 64;
    const lon = b[0] + (b[2] - b[0]) * t;
    const lat = b[1] + (b[3] - b[1]) * t;
    for (const [a, c] of [
      [lon, b[1]],
      [lon, b[3]],
      [b[0], lat],
      [b[2], lat],
    ]) {
      const [x, y] = lonLatToLaea(a, c);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  const m = 1000 + CELL_SIZE;
  return [minX - m, minY - m, maxX + m, maxY + m];
}

function requireColumns(file: string, idx: Map<string, number>, names: string[][], columns: string[]): number[] {
  const out: number[] = [];
  const missing: string[] = [];
  for (const alts of names) {
    const i = alts.map((a) => idx.get(a)).find((v) => v !== undefined);
    if (i === undefined) missing.push(alts[0]);
    out.push(i ?? -1);
  }
  if (missing.length > 0) {
    throw new CsvSchemaError(`${file}:1: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header has: ${columns.join(', ')})`, file, 1, missing);
  }
  return out;
}

/** A tile of the GISCO grid: column tx, row ty (file `{tx}/{ty}.csv`). */
export interface Tile {
  tx: number;
  ty: number;
}

/** Every `{tx}/{ty}.csv` under dir, sorted by tx then ty. */
export function listTiles(dir: string): Tile[] {
  const tiles: Tile[] = [];
  for (const a of fs.readdirSync(dir)) {
    if (!/^\d+$/.test(a) || !fs.statSync(path.join(dir, a)).isDirectory()) continue;
    for (const b of fs.readdirSync(path.join(dir, a))) {
      const m = /^(\d+)\.csv$/.exec(b);
      if (m) tiles.push({ tx: Number(a), ty: Number(m[1]) });
    }
  }
  return tiles.sort((p, q) => p.tx - q.tx || p.ty - q.ty);
}

/**
 * Reads GISCO tiles `{dir}/{tx}/{ty}.csv` (all tiles found under dir when `tiles` is
 * omitted). Cell south-west corner: X = 3,200,000 + (tx·128 + x)·200, Y = 2,000,000 +
 * (ty·128 + y)·200 (EPSG:3035 metres). Rejections: 'bad-cell-id' (x or y not an integer
 * in 0..127), 'bad-count' (ind, men or men_pauv negative or not a number; an empty
 * men_pauv is kept as NaN), 'outside-france', 'duplicate-id'. Line numbers are per tile file.
 */
export async function loadGridTiles(dir: string, tiles?: Tile[], opts: GridLoadOptions = {}): Promise<Households> {
  const list = tiles ?? listTiles(dir);
  const b = new GridBuilder(opts);
  for (const { tx, ty } of list) {
    const file = path.join(dir, String(tx), `${ty}.csv`);
    let cx = -1;
    let cy = -1;
    let cind = -1;
    let cmen = -1;
    let cpoor = -1;
    await readCsv(
      file,
      {
        header(columns) {
          [cx, cy, cind, cmen, cpoor] = requireColumns(file, columnIndex(columns), [['x'], ['y'], ['ind'], ['men'], ['men_pauv']], columns);
        },
        row(f, line) {
          const rx = (f[cx] ?? '').trim();
          const ry = (f[cy] ?? '').trim();
          const x = /^\d+$/.test(rx) ? Number(rx) : NaN;
          const y = /^\d+$/.test(ry) ? Number(ry) : NaN;
          if (!(x >= 0 && x < GISCO_TILE_CELLS && y >= 0 && y < GISCO_TILE_CELLS)) {
            b.rejected.push({ file, line, reason: 'bad-cell-id', detail: `cell index x "${rx}", y "${ry}" must be integers in 0..${GISCO_TILE_CELLS - 1}` });
            return;
          }
          const X = GISCO_ORIGIN_X + (tx * GISCO_TILE_CELLS + x) * CELL_SIZE;
          const Y = GISCO_ORIGIN_Y + (ty * GISCO_TILE_CELLS + y) * CELL_SIZE;
          b.add(file, line, X, Y, f[cind] ?? '', f[cmen] ?? '', f[cpoor] ?? '', '');
        },
      },
      opts,
    );
  }
  return b.finish();
}

/**
 * Reads INSEE's national grid CSV (`carreaux_200m_met`, Filosofi 2015/2017/2019), `;` or
 * `,` separated, column names in any letter case: the id column `Idcar_200m` (or 2015's
 * `IdINSPIRE`), `Ind`, `Men`, `Men_pauv`; `lcog_geo` / `Depcom`, when it holds a single
 * commune code, fills `commune` (a cell spanning several communes lists them all: it stays
 * '' and assignCommunes can place it). Streams the file: the national file (~2.3 M rows)
 * never sits in memory as text. Rejections: 'bad-cell-id' (not `CRS3035RES200mN{Y}E{X}`
 * with multiples of 200; other CRS such as overseas grids are not supported), 'bad-count',
 * 'outside-france', 'duplicate-id'.
 */
export async function loadInseeGrid(file: string, opts: GridLoadOptions = {}): Promise<Households> {
  const b = new GridBuilder(opts);
  let cid = -1;
  let cind = -1;
  let cmen = -1;
  let cpoor = -1;
  let ccom = -1;
  await readCsv(
    file,
    {
      header(columns, delimiter) {
        const idx = columnIndex(columns);
        if (delimiter !== ',' && delimiter !== ';') {
          throw new CsvSchemaError(`${file}:1: separator '${delimiter === '\t' ? '\\t' : delimiter}' not supported; expected ';' or ','`, file, 1);
        }
        [cid, cind, cmen, cpoor] = requireColumns(file, idx, [['idcar_200m', 'idinspire'], ['ind'], ['men'], ['men_pauv']], columns);
        ccom = idx.get('lcog_geo') ?? idx.get('depcom') ?? -1;
      },
      row(f, line) {
        const raw = (f[cid] ?? '').trim();
        const corner = parseCellId(raw);
        if (!corner) {
          b.rejected.push({
            file,
            line,
            id: raw || undefined,
            reason: 'bad-cell-id',
            detail: raw.startsWith('CRS') && !raw.startsWith('CRS3035RES200m')
              ? `cell id "${raw}": only 200 m cells in EPSG:3035 (metropolitan France) are supported`
              : `cell id "${raw}" is not CRS3035RES200mN{Y}E{X} with Y, X multiples of 200`,
          });
          return;
        }
        const com = ccom >= 0 ? (f[ccom] ?? '').trim() : '';
        b.add(file, line, corner[0], corner[1], f[cind] ?? '', f[cmen] ?? '', f[cpoor] ?? '', /^[0-9][0-9AB]\d{3}$/.test(com) ? com : '', raw);
      },
    },
    opts,
  );
  return b.finish();
}
