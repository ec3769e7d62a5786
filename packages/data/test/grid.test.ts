import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGridTiles, loadInseeGrid, laeaToLonLat, lonLatToLaea, parseCellId, cellId } from '../src/grid.ts';
import { CsvSchemaError } from '../src/errors.ts';
import { fixture, tempDir, writeFile } from './helpers.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Expected centres computed independently with PROJ 9.1.1 (Debian proj-bin), EPSG:3035
// takes northing first:
//   echo "2650100 3700100" | cs2cs -f %.9f EPSG:3035 EPSG:4326   → 46.658131778 1.877341188
//   echo "2100100 3900100" | cs2cs -f %.9f EPSG:3035 EPSG:4326   → 41.877145489 4.944036921
//   echo "2563500 3635300" | cs2cs -f %.9f EPSG:3035 EPSG:4326   → 45.817474497 1.165176659
// proj4js differs from PROJ by ~6e-9° (under 1 mm), hence 7 decimals.
const CS2CS: [number, number, number, number][] = [
  [3700100, 2650100, 1.877341188, 46.658131778],
  [3900100, 2100100, 4.944036921, 41.877145489],
  [3635300, 2563500, 1.165176659, 45.817474497],
];

describe('EPSG:3035 conversion', () => {
  it('matches cs2cs on known points, both ways', () => {
    for (const [x, y, lon, lat] of CS2CS) {
      const [a, b] = laeaToLonLat(x, y);
      expect(a).toBeCloseTo(lon, 7);
      expect(b).toBeCloseTo(lat, 7);
      const [x2, y2] = lonLatToLaea(lon, lat);
      expect(x2).toBeCloseTo(x, 2);
      expect(y2).toBeCloseTo(y, 2);
    }
  });

  it('round-trips cell ids', () => {
    expect(parseCellId('CRS3035RES200mN2650000E3700000')).toEqual([3700000, 2650000]);
    expect(cellId(3700000, 2650000)).toBe('CRS3035RES200mN2650000E3700000');
    expect(parseCellId('CRS3035RES200mN2650050E3700000')).toBeUndefined();
    expect(parseCellId('CRS3035RES1000mN2650000E3700000')).toBeUndefined();
  });
});

describe('loadInseeGrid', () => {
  it("reads INSEE's ';'-separated file with capitalised columns", async () => {
    const h = await loadInseeGrid(fixture('grid', 'insee-semicolon.csv'));
    expect(h.kind).toBe('grid');
    expect(h.rejected).toEqual([]);
    expect(h.id).toEqual(['CRS3035RES200mN2650000E3700000', 'CRS3035RES200mN2100000E3900000']);
    expect(Array.from(h.households)).toEqual([10.25, 2]);
    expect(Array.from(h.inhabitants)).toEqual([25.5, 4]);
    expect(Array.from(h.poor)).toEqual([1.5, 0]);
    expect(Array.from(h.x3035)).toEqual([3700000, 3900000]);
    expect(Array.from(h.y3035)).toEqual([2650000, 2100000]);
    // A single commune code in lcog_geo fills commune; a cell over two communes stays ''.
    expect(h.commune).toEqual(['36999', '']);
    expect(h.lon[0]).toBeCloseTo(CS2CS[0][2], 7);
    expect(h.lat[0]).toBeCloseTo(CS2CS[0][3], 7);
    expect(h.lon[1]).toBeCloseTo(CS2CS[1][2], 7);
    expect(h.lat[1]).toBeCloseTo(CS2CS[1][3], 7);
  });

  it("reads the ','-separated lower-case form the same way", async () => {
    const h = await loadInseeGrid(fixture('grid', 'insee-comma.csv'));
    expect(h.count).toBe(1);
    expect(h.households[0]).toBe(10.25);
    expect(h.commune).toEqual(['']);
  });

  it('rejects bad cell ids, negative or non-numeric counts, cells outside France, duplicates, with lines', async () => {
    const file = fixture('grid', 'insee-bad.csv');
    const h = await loadInseeGrid(file);
    expect(h.id).toEqual(['CRS3035RES200mN2650000E3700000', 'CRS3035RES200mN2650600E3700000']);
    expect(Number.isNaN(h.poor[1])).toBe(true); // empty men_pauv: unknown, kept
    expect(h.rejected.map((r) => [r.line, r.reason])).toEqual([
      [3, 'bad-cell-id'], // northing not a multiple of 200
      [4, 'bad-cell-id'], // 1 km cell
      [5, 'bad-cell-id'], // not an id
      [6, 'bad-count'], // men -2
      [7, 'bad-count'], // ind "beaucoup"
      [8, 'outside-france'], // Bavaria
      [9, 'duplicate-id'],
      [10, 'bad-cell-id'], // overseas CRS
    ]);
    for (const r of h.rejected) expect(r.file).toBe(file);
    expect(h.rejected[3].detail).toContain('men "-2"');
    expect(h.rejected[4].detail).toContain('ind "beaucoup"');
    expect(h.rejected[7].detail).toContain('only 200 m cells in EPSG:3035');
    expect(h.rejected[6].detail).toContain(`${file}:2`);
  });

  it('names a missing column', async () => {
    const file = writeFile(dir, 'nomen.csv', 'idcar_200m;ind;men_pauv\nCRS3035RES200mN2650000E3700000;1;0\n');
    const err = await loadInseeGrid(file).catch((e) => e);
    expect(err).toBeInstanceOf(CsvSchemaError);
    expect(err.message).toBe(`${file}:1: missing column men (header has: idcar_200m, ind, men_pauv)`);
  });

  it('keeps only cells in the bbox or accepted by keep()', async () => {
    const f = fixture('grid', 'insee-semicolon.csv');
    expect((await loadInseeGrid(f, { bbox: [1, 46, 3, 47] })).id).toEqual(['CRS3035RES200mN2650000E3700000']);
    expect((await loadInseeGrid(f, { keep: (_lon, lat) => lat < 42 })).id).toEqual(['CRS3035RES200mN2100000E3900000']);
  });
});

describe('loadGridTiles (GISCO)', () => {
  it('places tile cells with X = 3200000 + (tx·128 + x)·200 and rejects bad rows', async () => {
    const file = fixture('grid', 'tiles', '17', '22.csv');
    const h = await loadGridTiles(fixture('grid', 'tiles'));
    // tile 17/22, cell (0,1): X = 3200000 + 17·128·200 = 3635200, Y = 2000000 + (22·128+1)·200 = 2563400
    expect(h.id).toEqual(['CRS3035RES200mN2563400E3635200', `CRS3035RES200mN${2000000 + (22 * 128 + 127) * 200}E${3200000 + (17 * 128 + 127) * 200}`]);
    expect(h.lon[0]).toBeCloseTo(CS2CS[2][2], 7);
    expect(h.lat[0]).toBeCloseTo(CS2CS[2][3], 7);
    expect(Array.from(h.households)).toEqual([1.8, 17.5]);
    expect(Array.from(h.poor)).toEqual([0.1, 3.2]);
    expect(h.commune).toEqual(['', '']);
    expect(h.rejected.map((r) => [r.file, r.line, r.reason])).toEqual([
      [file, 4, 'bad-cell-id'], // x = 128
      [file, 5, 'bad-cell-id'], // y = 2.5
      [file, 6, 'bad-count'], // ind = -1
    ]);
  });
});
