/**
 * Candidate sets: the area check (inside the outline or within a buffer, against a brute
 * force on a square and on the real outline of 87), commune centroids, gap centres, and
 * what the loaders do with duplicate ids, missing columns and bad coordinates.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvSchemaError, loadCandidates } from '@fs-access/data';
import {
  COVERED,
  CrowFlyModel,
  categoryOf,
  communeCandidates,
  distanceToGeometryM,
  findGaps,
  gapCandidates,
  greatCircleM,
  insideGeometry,
  selectCandidatesInArea,
  type AreaGeometry,
  type GridUnits,
} from '../src/index.ts';
import { files, haveData, load87, type Data87 } from './planning-data.ts';

const square: AreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [1, 45],
      [2, 45],
      [2, 46],
      [1, 46],
      [1, 45],
    ],
    // A hole.
    [
      [1.4, 45.4],
      [1.6, 45.4],
      [1.6, 45.6],
      [1.4, 45.6],
      [1.4, 45.4],
    ],
  ],
};

/** Distance to the square's outer boundary by sampling it densely (the oracle). */
function sampledDistance(lon: number, lat: number, ring: number[][]): number {
  let best = Infinity;
  for (let i = 0; i + 1 < ring.length; i++) {
    for (let s = 0; s <= 2000; s++) {
      const t = s / 2000;
      best = Math.min(best, greatCircleM(lon, lat, ring[i][0] + t * (ring[i + 1][0] - ring[i][0]), ring[i][1] + t * (ring[i + 1][1] - ring[i][1])));
    }
  }
  return best;
}

describe('candidates in an area', () => {
  it('inside / in a hole / outside; the distance outside matches a dense sampling of the boundary', () => {
    expect(insideGeometry(1.2, 45.2, square)).toBe(true);
    expect(insideGeometry(1.5, 45.5, square)).toBe(false);
    expect(insideGeometry(2.5, 45.5, square)).toBe(false);
    expect(distanceToGeometryM(1.2, 45.2, square)).toBe(0);
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 2.5, noNaN: true }), fc.double({ min: 44.6, max: 46.4, noNaN: true }), (lon, lat) => {
        const inOuter = lon > 1 && lon < 2 && lat > 45 && lat < 46;
        const inHole = lon > 1.4 && lon < 1.6 && lat > 45.4 && lat < 45.6;
        const d = distanceToGeometryM(lon, lat, square);
        if (inOuter && !inHole) expect(d).toBe(0);
        else {
          const ring = inHole ? square.coordinates[1] : square.coordinates[0];
          const oracle = sampledDistance(lon, lat, ring as number[][]);
          // The sampling's own step (≤ 28 m along a 1° edge) and the local projection.
          expect(Math.abs(d - oracle)).toBeLessThanOrEqual(30 + 0.005 * oracle);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('selectCandidatesInArea keeps the order, rejects the far ones with a reason, and honours the buffer', () => {
    const c = {
      count: 4,
      id: ['a', 'b', 'c', 'd'],
      name: ['in', 'near', 'far', 'in too'],
      kind: ['user', 'user', 'user', 'user'],
      commune: ['', '', '', ''],
      lon: Float64Array.of(1.2, 2.03, 3, 1.9),
      lat: Float64Array.of(45.2, 45.5, 45.5, 45.9),
      rejected: [],
    };
    const s = selectCandidatesInArea(c, { geometry: square, code: 'SQ', bufferM: 5000, file: 'f.csv' });
    expect(s.candidates.id).toEqual(['a', 'b', 'd']);
    expect(Array.from(s.kept)).toEqual([0, 1, 3]);
    expect(s.outside).toHaveLength(1);
    expect(s.outside[0]).toMatchObject({ id: 'c', reason: 'outside-area', file: 'f.csv' });
    // 1° of longitude at 45.5° N, to the square's east edge.
    expect(s.outside[0].detail).toContain(`${(greatCircleM(3, 45.5, 2, 45.5) / 1000).toFixed(1)} km outside SQ`);
    expect(s.candidates.rejected).toEqual(s.outside);
    expect(selectCandidatesInArea(c, { geometry: square, code: 'SQ', bufferM: 0 }).candidates.id).toEqual(['a', 'd']);
    expect(() => selectCandidatesInArea(c, { geometry: square, code: 'SQ', bufferM: -1 })).toThrow(RangeError);
  });
});

describe.skipIf(!haveData)('candidate sets of 87', () => {
  let d: Data87;
  let tmp: string;
  beforeAll(async () => {
    d = await load87();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-cands-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the annuaire: 449 lines, one without coordinates, one geocoded in Paris (286 km away) — both rejected with their reason', async () => {
    const raw = await loadCandidates(files.annuaire!);
    expect(raw.count + raw.rejected.length).toBe(449);
    const sel = selectCandidatesInArea(raw, { geometry: d.geometry, code: '87' });
    expect(sel.outside.map((r) => r.id)).toEqual(['prefecture_greffe_associations-87126-01']);
    expect(sel.candidates.count).toBe(447);
    expect(sel.candidates.rejected.map((r) => r.reason).sort()).toEqual(['bad-coordinates', 'outside-area']);
    // Every kept candidate is inside 87 or within 5 km of its outline.
    for (let i = 0; i < sel.candidates.count; i++) expect(distanceToGeometryM(sel.candidates.lon[i], sel.candidates.lat[i], d.geometry)).toBeLessThanOrEqual(5000);
  });

  it('commune centroids: one per commune, id = INSEE code, name from the loader', () => {
    const c = communeCandidates(d.communes);
    expect(c.count).toBe(195);
    expect(c.id).toEqual(d.communes.id);
    expect(c.name[c.id.indexOf('87085')]).toBe('Limoges');
    expect(new Set(c.kind)).toEqual(new Set(['commune-centroid']));
  });

  it('gap centres: one per gap with households on the grid, one per uncovered commune at commune level', () => {
    const model = new CrowFlyModel();
    const T = 1200;
    const gridNearest = model.forUnits(d.grid).nearest(d.sitesFor(d.grid, T));
    const gaps = findGaps(d.grid as GridUnits, gridNearest, T).filter((g) => g.tally.households > 0);
    const c = gapCandidates(d.grid, gridNearest, T, { communeNames: new Map(d.communes.id.map((id, i) => [id, d.communes.name[i]])) });
    expect(c.count).toBe(gaps.length);
    expect(c.id[0]).toBe('gap-20-1');
    expect(c.lon[0]).toBe(gaps[0].lon);
    expect(c.name[0]).toMatch(/^Zone non couverte n° 1 \(.+\)$/);
    const comNearest = model.forUnits(d.communes).nearest(d.sitesFor(d.communes, T));
    const cc = gapCandidates(d.communes, comNearest, T);
    const uncovered = d.communes.id.filter((_, i) => categoryOf(comNearest, i, T) !== COVERED);
    expect(cc.commune).toEqual(uncovered);
    expect(cc.count).toBeGreaterThan(0);
  });

  it('user files: duplicate ids are rejected by the loader (first kept), missing columns are a CsvSchemaError naming the file', async () => {
    const dup = path.join(tmp, 'dup.csv');
    fs.writeFileSync(dup, 'id,name,lat,lon\nA,Mairie A,45.9,1.3\nB,Mairie B,45.8,1.2\nA,Mairie A bis,45.7,1.1\nC,Far away,48.85,2.35\n');
    const c = await loadCandidates(dup);
    expect(c.id).toEqual(['A', 'B', 'C']);
    expect(c.rejected).toEqual([expect.objectContaining({ line: 4, id: 'A', reason: 'duplicate-id' })]);
    const sel = selectCandidatesInArea(c, { geometry: d.geometry, code: '87', file: dup });
    expect(sel.candidates.id).toEqual(['A', 'B']);
    expect(sel.candidates.rejected.map((r) => r.reason)).toEqual(['duplicate-id', 'outside-area']);
    const bad = path.join(tmp, 'bad.csv');
    fs.writeFileSync(bad, 'id,nom,latitude\nA,Mairie,45.9\n');
    await expect(loadCandidates(bad)).rejects.toBeInstanceOf(CsvSchemaError);
    await expect(loadCandidates(bad)).rejects.toThrow(/bad\.csv:1: missing column lon/);
  });
});
