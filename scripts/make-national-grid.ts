/**
 * A synthetic national-size household grid in INSEE's format (`carreaux_200m_met`,
 * Filosofi 2019: 34 `;`-separated columns, `Idcar_200m` = `CRS3035RES200mN{Y}E{X}`), with
 * cells spread over metropolitan France in EPSG:3035, then (with --measure) the time and
 * peak memory of `loadInseeGrid` reading it in a fresh process.
 *
 *   pnpm tsx scripts/make-national-grid.ts [--rows 2300000] [--out FILE] [--measure] [--keep]
 *
 * Without --out the file goes to a temp folder, removed after --measure unless --keep.
 * The file is written in chunks (~530 MB for 2.3 M rows): nothing holds it whole.
 * Deterministic: the same --rows always gives the same bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { laeaToLonLat, lonLatToLaea, METRO_BOX } from '../packages/data/src/index.ts';

/** INSEE's column list for the 2019 200 m file (the loader needs Idcar_200m, Ind, Men, Men_pauv). */
export const INSEE_COLUMNS = [
  'Idcar_200m', 'Idcar_1km', 'Idcar_nat', 'I_est_200', 'I_est_1km', 'lcog_geo', 'Ind', 'Men', 'Men_pauv', 'Men_1ind',
  'Men_5ind', 'Men_prop', 'Men_fmp', 'Ind_snv', 'Men_surf', 'Men_coll', 'Men_mais', 'Log_av45', 'Log_45_70', 'Log_70_90',
  'Log_ap90', 'Log_inc', 'Log_soc', 'Ind_0_3', 'Ind_4_5', 'Ind_6_10', 'Ind_11_17', 'Ind_18_24', 'Ind_25_39', 'Ind_40_54',
  'Ind_55_64', 'Ind_65_79', 'Ind_80p', 'Ind_inc',
];

/** mulberry32: a small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The EPSG:3035 rectangle (multiples of 200 m) around METRO_BOX. */
function metroRect(): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const [a, b, c, d] = METRO_BOX;
  for (let k = 0; k <= 100; k++) {
    const t = k / 100;
    for (const [lon, lat] of [
      [a + (c - a) * t, b],
      [a + (c - a) * t, d],
      [a, b + (d - b) * t],
      [c, b + (d - b) * t],
    ]) {
      const [x, y] = lonLatToLaea(lon, lat);
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  }
  const r = (v: number) => Math.floor(v / 200) * 200;
  return [r(minX), r(minY), r(maxX) + 200, r(maxY) + 200];
}

function inMetro(x: number, y: number): boolean {
  const [lon, lat] = laeaToLonLat(x + 100, y + 100);
  return lon >= METRO_BOX[0] && lon <= METRO_BOX[2] && lat >= METRO_BOX[1] && lat <= METRO_BOX[3];
}

/**
 * Writes `rows` cells to `file`. Cells are drawn south to north, west to east, each kept
 * with a probability set from a first random sample so the draw spans the whole box
 * (a little above, so the northernmost rows may be thinned by the stop at `rows`);
 * counts are fractional like Filosofi's imputed values.
 */
export function makeNationalGrid(file: string, rows: number): { rows: number; bytes: number } {
  const [x0, y0, x1, y1] = metroRect();
  const rand = rng(20240801);
  // Share of the rectangle's cells whose centre is in the box, from 20,000 random cells.
  let inside = 0;
  const SAMPLE = 20_000;
  for (let k = 0; k < SAMPLE; k++) {
    const x = x0 + Math.floor((rand() * (x1 - x0)) / 200) * 200;
    const y = y0 + Math.floor((rand() * (y1 - y0)) / 200) * 200;
    if (inMetro(x, y)) inside++;
  }
  const cellsInBox = ((x1 - x0) / 200) * ((y1 - y0) / 200) * (inside / SAMPLE);
  // A little above the exact share so the last rows are reached before `rows` runs out.
  const p = Math.min(1, (rows / cellsInBox) * 1.02);
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let bytes = 0;
  let buf = INSEE_COLUMNS.join(';') + '\n';
  const dec = (v: number, digits: number) => (Math.round(v * 10 ** digits) / 10 ** digits).toString();
  try {
    const cols = (x1 - x0) / 200;
    const total = cols * ((y1 - y0) / 200);
    // Each cell of the rectangle drawn with probability p, south to north, west to east:
    // jump straight to the next drawn cell (geometric gaps) instead of a draw per cell.
    const logq = Math.log(1 - p);
    for (let c = -1; ; ) {
      c += p >= 1 ? 1 : 1 + Math.floor(Math.log(1 - rand()) / logq);
      if (c >= total) break;
      const x = x0 + (c % cols) * 200;
      const y = y0 + Math.floor(c / cols) * 200;
      if (!inMetro(x, y)) continue;
      const ind = 1 + rand() * 60;
      const men = ind / (1.5 + rand());
      const poor = men * rand() * 0.3;
      const com = `${String(1 + Math.floor(rand() * 95)).padStart(2, '0')}${String(1 + Math.floor(rand() * 700)).padStart(3, '0')}`;
      const x1k = Math.floor(x / 1000) * 1000;
      const y1k = Math.floor(y / 1000) * 1000;
      const fields = [
        `CRS3035RES200mN${y}E${x}`,
        `CRS3035RES1000mN${y1k}E${x1k}`,
        `CRS3035RES200mN${y}E${x}`,
        rand() < 0.2 ? '1' : '0',
        '0',
        com,
        dec(ind, 1),
        dec(men, 7),
        dec(poor, 7),
      ];
      // The 25 other counts: plausible fractions of the inhabitants or households.
      for (let col = 9; col < INSEE_COLUMNS.length; col++) fields.push(dec((col < 17 ? men : ind) * rand() * 0.4, col % 3 === 0 ? 7 : 1));
      buf += fields.join(';') + '\n';
      if (buf.length > 1 << 20) {
        bytes += fs.writeSync(fd, buf);
        buf = '';
      }
      if (++written === rows) break;
    }
    bytes += fs.writeSync(fd, buf);
  } finally {
    fs.closeSync(fd);
  }
  return { rows: written, bytes };
}

export interface GridMeasure {
  count: number;
  rejected: number;
  seconds: number;
  maxRssMB: number;
  heapUsedMB: number;
}

/** Reads `file` with loadInseeGrid in a fresh Node process; its peak RSS is the reader's alone. */
export function measureRead(file: string): GridMeasure {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const child = path.join(root, 'test/memory/read-grid.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, file], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`read-grid failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as GridMeasure;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, out: { type: 'string' }, measure: { type: 'boolean' }, keep: { type: 'boolean' } } });
  const rows = values.rows ? Number(values.rows) : 2_300_000;
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a whole number ≥ 1, got ${values.rows}`);
  const dir = values.out ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'fs-access-national-'));
  const file = values.out ?? path.join(dir!, 'carreaux_200m_met.csv');
  const t0 = performance.now();
  const made = makeNationalGrid(file, rows);
  process.stderr.write(`wrote ${made.rows} cells, ${(made.bytes / 1e6).toFixed(0)} MB to ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  if (values.measure) {
    const m = measureRead(file);
    process.stdout.write(
      `loadInseeGrid: ${m.count} cells kept, ${m.rejected} rejected, ${m.seconds.toFixed(1)} s, peak RSS ${m.maxRssMB.toFixed(0)} MB ` +
        `(${((m.maxRssMB * 2 ** 20) / m.count).toFixed(0)} bytes per cell), heap after ${m.heapUsedMB.toFixed(0)} MB\n`,
    );
    process.stdout.write(JSON.stringify({ rows: made.rows, bytes: made.bytes, ...m }) + '\n');
    if (dir && !values.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}
