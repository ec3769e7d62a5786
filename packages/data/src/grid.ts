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
import { checkUsable } from './usable.ts';

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

/**
 * The ids of cells given their south-west corners, as flat one-byte strings (~56 bytes
 * each). Why not keep the ids read from the file: a field papaparse cuts from its input
 * is a V8 "sliced string" that keeps the whole 1 MiB chunk it came from alive, so 2.3 M
 * kept ids held the entire national file (~650 MB) in memory. A template literal would
 * make a tree of 3–4 "cons strings" per id instead (~150 bytes).
 */
function cellIds(x: Float64Array, y: Float64Array): string[] {
  const n = x.length;
  const out = new Array<string>(n);
  const buf = Buffer.alloc(64);
  const prefix = buf.write('CRS3035RES200mN', 0, 'latin1');
  for (let i = 0; i < n; i++) {
    let p = prefix + buf.write(String(y[i]), prefix, 'latin1');
    buf[p++] = 0x45; // 'E'
    p += buf.write(String(x[i]), p, 'latin1');
    out[i] = buf.toString('latin1', 0, p);
  }
  return out;
}

/** A copy of a string that does not share memory with the (large) string it was cut from. */
function detached(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
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
  count = 0;
  /** Cells skipped by the bbox / keep filters (not rejections). */
  filtered = 0;
  commune: string[] = [];
  lon = new FloatColumn(1 << 14);
  lat = new FloatColumn(1 << 14);
  households = new FloatColumn(1 << 14);
  inhabitants = new FloatColumn(1 << 14);
  poor = new FloatColumn(1 << 14);
  x = new FloatColumn(1 << 14);
  y = new FloatColumn(1 << 14);
  rejected: Rejection[] = [];
  // A cell listed twice is found at the end by sorting the kept cells (see dropDuplicates):
  // a Map from cell to first line cost ~110 MB on the national grid, the sort ~36 MB.
  /** Line of each kept cell, and the file each run of kept cells came from. */
  private lines = new FloatColumn(1 << 14);
  private fileOf: { start: number; file: string }[] = [];
  /** Reading order of the files (to keep rejections in reading order). */
  private fileOrder = new Map<string, number>();
  // The bbox as an EPSG:3035 rectangle (a little larger), to skip far cells before proj4.
  private readonly rect: [number, number, number, number] | undefined;
  constructor(private readonly opts: GridLoadOptions) {
    this.rect = opts.bbox ? laeaRectAround(opts.bbox) : undefined;
  }

  /** Validates counts and position, then adds the cell; returns nothing (rejections are recorded). */
  add(file: string, line: number, x: number, y: number, rawInd: string, rawMen: string, rawPoor: string, commune: string, knownId?: string): void {
    const r = this.rect;
    if (r && (x < r[0] || x > r[2] || y < r[1] || y > r[3])) {
      this.filtered++;
      return;
    }
    // Only rejections carry the id as text; kept cells get theirs from x, y (see cellIds).
    const id = () => (knownId !== undefined ? detached(knownId) : cellId(x, y));
    const ind = parseNumber(rawInd);
    const men = parseNumber(rawMen);
    const poor = rawPoor.trim() === '' ? NaN : parseNumber(rawPoor);
    const bad: string[] = [];
    // `< Infinity` too: "1e309" parses to Infinity, which would poison every sum.
    if (!(ind >= 0 && ind < Infinity)) bad.push(`ind "${rawInd}"`);
    if (!(men >= 0 && men < Infinity)) bad.push(`men "${rawMen}"`);
    if (rawPoor.trim() !== '' && !(poor >= 0 && poor < Infinity)) bad.push(`men_pauv "${rawPoor}"`);
    if (bad.length > 0) {
      this.rejected.push({ file, line, id: id(), reason: 'bad-count', detail: `${bad.join(', ')}: counts must be numbers ≥ 0` });
      return;
    }
    const [lon, lat] = laeaToLonLat(x + CELL_SIZE / 2, y + CELL_SIZE / 2);
    if (!inBox(lon, lat, METRO_BOX)) {
      this.rejected.push({ file, line, id: id(), reason: 'outside-france', detail: `cell centre (${lon.toFixed(5)}, ${lat.toFixed(5)}) is outside metropolitan France` });
      return;
    }
    if ((this.opts.bbox && !inBox(lon, lat, this.opts.bbox)) || (this.opts.keep && !this.opts.keep(lon, lat, x, y))) {
      this.filtered++;
      return;
    }
    if (this.fileOf[this.fileOf.length - 1]?.file !== file) this.fileOf.push({ start: this.count, file });
    this.lines.push(line);
    this.count++;
    this.commune.push(commune);
    this.lon.push(lon);
    this.lat.push(lat);
    this.households.push(men);
    this.inhabitants.push(ind);
    this.poor.push(poor);
    this.x.push(x);
    this.y.push(y);
  }

  /** Notes the start of a file, so that rejections can be kept in reading order. */
  startFile(file: string): void {
    if (!this.fileOrder.has(file)) this.fileOrder.set(file, this.fileOrder.size);
  }

  /**
   * Finds cells kept twice (same corner): the first read stays, each later one becomes a
   * 'duplicate-id' rejection, merged into `rejected` in reading order. Returns the mask of
   * kept indices to drop, or undefined when there is none (the usual case).
   */
  private dropDuplicates(x: Float64Array, y: Float64Array, lines: Float64Array): Uint8Array | undefined {
    const n = x.length;
    if (n < 2) return undefined;
    // One double per cell: (cell key, index). Metropolitan cells (the only ones kept) have
    // x, y < 6.5 Mm, so x/200 and y/200 fit 15 bits; with index < 2^23 the sum stays below
    // 2^53 and sorts exactly. Sorting by (key, index) puts a cell's first reading first.
    const IDX = 2 ** 23;
    if (n >= IDX) throw new RangeError(`${n} grid cells: more than this loader can check for duplicates (${IDX})`);
    const k = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const xi = x[i] / CELL_SIZE;
      const yi = y[i] / CELL_SIZE;
      if (!(xi >= 0 && xi < 32768 && yi >= 0 && yi < 32768)) throw new RangeError(`cell corner (${x[i]}, ${y[i]}) outside the range of metropolitan France`);
      k[i] = (xi * 32768 + yi) * IDX + i;
    }
    k.sort();
    let drop: Uint8Array | undefined;
    const dups: Rejection[] = [];
    const fileAt = (i: number) => {
      let lo = 0;
      let hi = this.fileOf.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.fileOf[mid].start <= i) lo = mid;
        else hi = mid - 1;
      }
      return this.fileOf[lo].file;
    };
    for (let j = 1, first = k[0] % IDX; j < n; j++) {
      const i = k[j] % IDX;
      if (Math.floor(k[j] / IDX) !== Math.floor(k[j - 1] / IDX)) {
        first = i;
        continue;
      }
      drop ??= new Uint8Array(n);
      drop[i] = 1;
      dups.push({ file: fileAt(i), line: lines[i], id: cellId(x[i], y[i]), reason: 'duplicate-id', detail: `cell already read at ${fileAt(first)}:${lines[first]}` });
    }
    if (drop) {
      const order = (r: Rejection) => (this.fileOrder.get(r.file) ?? 0) * 2 ** 32 + r.line;
      // Array sort is stable: rejections of one line keep their order.
      this.rejected = [...this.rejected, ...dups].sort((a, b) => order(a) - order(b));
    }
    return drop;
  }

  /**
   * The Households. `id` is an ordinary string[] built on first access (then kept): a
   * national run that never looks at the ids does not pay ~130 MB for them.
   */
  finish(): Households {
    const cols = {
      lon: this.lon.finish(),
      lat: this.lat.finish(),
      households: this.households.finish(),
      inhabitants: this.inhabitants.finish(),
      poor: this.poor.finish(),
      x3035: this.x.finish(),
      y3035: this.y.finish(),
    };
    const lines = this.lines.finish();
    let commune = this.commune;
    const drop = this.dropDuplicates(cols.x3035, cols.y3035, lines);
    if (drop) {
      const keep = (a: Float64Array) => a.filter((_, i) => !drop[i]);
      for (const k of Object.keys(cols) as (keyof typeof cols)[]) cols[k] = keep(cols[k]);
      commune = commune.filter((_, i) => !drop[i]);
    }
    const count = cols.lon.length;
    // No cell kept because the filters skipped them all: the caller says "none in the area";
    // "none usable" would blame the wrong thing.
    if (!(count === 0 && this.filtered > 0)) checkUsable(count, this.rejected, 'cells');
    const { x3035, y3035 } = cols;
    const out = { kind: 'grid', count, ...cols, commune, rejected: this.rejected } as Omit<Households, 'id'> as Households;
    let ids: string[] | undefined;
    Object.defineProperty(out, 'id', {
      enumerable: true,
      configurable: true,
      get: () => (ids ??= cellIds(x3035, y3035)),
      set: (v: string[]) => {
        ids = v;
      },
    });
    return out;
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
 * UnusableInputError when cells were read but none is usable.
 */
export async function loadGridTiles(dir: string, tiles?: Tile[], opts: GridLoadOptions = {}): Promise<Households> {
  const list = tiles ?? listTiles(dir);
  const b = new GridBuilder(opts);
  for (const { tx, ty } of list) {
    const file = path.join(dir, String(tx), `${ty}.csv`);
    b.startFile(file);
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
 * 'outside-france', 'duplicate-id'; UnusableInputError when cells were read but none is
 * usable. Kept ids are rebuilt from the corner (leading zeros in the file's id are not kept).
 */
export async function loadInseeGrid(file: string, opts: GridLoadOptions = {}): Promise<Households> {
  const b = new GridBuilder(opts);
  b.startFile(file);
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
        const rawField = (f[cid] ?? '').trim();
        const corner = parseCellId(rawField);
        if (!corner) {
          const raw = detached(rawField);
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
        b.add(file, line, corner[0], corner[1], f[cind] ?? '', f[cmen] ?? '', f[cpoor] ?? '', /^[0-9][0-9AB]\d{3}$/.test(com) ? com : '', rawField);
      },
    },
    opts,
  );
  return b.finish();
}
