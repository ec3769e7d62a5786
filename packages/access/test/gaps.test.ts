import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellsToPolygons, findGaps, fromEpsg3035, gapCoordinates, toEpsg3035, type CellPolygon, type NearestSites } from '../src/index.ts';
import { makeUnits } from './fixtures.ts';

function ringArea(ring: number[]): number {
  let a = 0;
  for (let k = 0; k + 3 < ring.length; k += 2) a += ring[k] * ring[k + 3] - ring[k + 2] * ring[k + 1];
  return a / 2;
}

function inRing(ring: number[], x: number, y: number): boolean {
  let inside = false;
  for (let k = 0; k + 3 < ring.length; k += 2) {
    const [x1, y1, x2, y2] = [ring[k], ring[k + 1], ring[k + 2], ring[k + 3]];
    if (y1 > y !== y2 > y && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1) inside = !inside;
  }
  return inside;
}

function inPolygons(polys: CellPolygon[], x: number, y: number): number {
  let count = 0;
  for (const [outer, ...holes] of polys) if (inRing(outer, x, y) && !holes.some((h) => inRing(h, x, y))) count++;
  return count;
}

const cellsArb = fc.array(fc.record({ i: fc.integer({ min: 0, max: 7 }), j: fc.integer({ min: 0, max: 7 }) }), { maxLength: 50 });

describe('cellsToPolygons', () => {
  it('covers exactly the cells: area, and every cell centre inside exactly one polygon', () => {
    fc.assert(
      fc.property(cellsArb, (cells) => {
        const polys = cellsToPolygons(
          cells.map((c) => c.i),
          cells.map((c) => c.j),
        );
        const set = new Set(cells.map((c) => `${c.i},${c.j}`));
        let area = 0;
        for (const [outer, ...holes] of polys) {
          expect(ringArea(outer)).toBeGreaterThan(0); // outer rings counter-clockwise
          for (const h of holes) expect(ringArea(h)).toBeLessThan(0); // holes clockwise
          area += ringArea(outer) + holes.reduce((s, h) => s + ringArea(h), 0);
          for (const ring of [outer, ...holes]) {
            expect(ring[0]).toBe(ring[ring.length - 2]);
            expect(ring[1]).toBe(ring[ring.length - 1]);
            // No collinear vertices: consecutive edges change direction.
            for (let k = 0; k + 5 < ring.length; k += 2) {
              const d1 = [Math.sign(ring[k + 2] - ring[k]), Math.sign(ring[k + 3] - ring[k + 1])];
              const d2 = [Math.sign(ring[k + 4] - ring[k + 2]), Math.sign(ring[k + 5] - ring[k + 3])];
              expect(d1).not.toEqual(d2);
            }
          }
        }
        expect(area).toBe(set.size);
        for (let i = -1; i <= 8; i++) for (let j = -1; j <= 8; j++) expect(inPolygons(polys, i + 0.5, j + 0.5)).toBe(set.has(`${i},${j}`) ? 1 : 0);
      }),
      { numRuns: 300 },
    );
  });

  it('splits cells touching at a corner; keeps a hole', () => {
    expect(cellsToPolygons([0, 1], [0, 1])).toHaveLength(2);
    // 3×3 ring of cells around an empty centre: one polygon with one hole.
    const ci: number[] = [];
    const cj: number[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i !== 1 || j !== 1) ci.push(i), cj.push(j);
    const polys = cellsToPolygons(ci, cj);
    expect(polys).toHaveLength(1);
    expect(polys[0]).toHaveLength(2);
    expect(polys[0][0]).toEqual([0, 0, 3, 0, 3, 3, 0, 3, 0, 0]);
  });
});

describe('findGaps', () => {
  const gridArb = fc.array(
    fc.record({ i: fc.integer({ min: 0, max: 9 }), j: fc.integer({ min: 0, max: 9 }), covered: fc.boolean(), h: fc.double({ min: 0, max: 20, noNaN: true }) }),
    { maxLength: 60 },
  );

  function setup(cells: { i: number; j: number; covered: boolean; h: number }[]) {
    const uniq = new Map(cells.map((c) => [`${c.i},${c.j}`, c]));
    const list = [...uniq.values()];
    const x0 = 3_600_000;
    const y0 = 2_500_000;
    const units = makeUnits(
      list.map((c) => {
        const [lon, lat] = fromEpsg3035(x0 + c.i * 200 + 100, y0 + c.j * 200 + 100);
        return { lon, lat, households: c.h, x3035: x0 + c.i * 200, y3035: y0 + c.j * 200, commune: c.i < 5 ? '87001' : '87002' };
      }),
      'grid',
    );
    const nearest: NearestSites = {
      time: Float64Array.from(list, (c) => (c.covered ? 600 : 2400)),
      site: Int32Array.from(list, () => 0),
      status: Uint8Array.from(list, () => 0),
    };
    return { list, units, nearest };
  }

  /** Brute-force components by repeated relaxation. */
  function components(list: { i: number; j: number; covered: boolean }[], conn: 4 | 8): number[] {
    const label = list.map((c, k) => (c.covered ? -1 : k));
    let changed = true;
    while (changed) {
      changed = false;
      for (let a = 0; a < list.length; a++)
        for (let b = 0; b < list.length; b++) {
          if (label[a] < 0 || label[b] < 0) continue;
          const di = Math.abs(list[a].i - list[b].i);
          const dj = Math.abs(list[a].j - list[b].j);
          const adj = conn === 4 ? di + dj === 1 : Math.max(di, dj) === 1;
          if (adj && label[b] < label[a]) {
            label[a] = label[b];
            changed = true;
          }
        }
    }
    return label;
  }

  for (const conn of [4, 8] as const) {
    it(`${conn}-connectivity: gaps = connected components of uncovered cells, households conserved`, () => {
      fc.assert(
        fc.property(gridArb, (cells) => {
          const { list, units, nearest } = setup(cells);
          const gaps = findGaps(units, nearest, 1200, { connectivity: conn });
          const label = components(list, conn);
          const expected = new Set(label.filter((l) => l >= 0));
          expect(gaps.length).toBe(expected.size);
          // Same partition: units of a gap share one brute-force label, and labels are not split.
          const seen = new Set<number>();
          for (const g of gaps) {
            const labels = new Set(Array.from(g.units, (u) => label[u]));
            expect(labels.size).toBe(1);
            const l = [...labels][0];
            expect(seen.has(l)).toBe(false);
            seen.add(l);
            expect(g.units.length).toBe(label.filter((x) => x === l).length);
            expect(g.areaKm2).toBeCloseTo(g.units.length * 0.04, 9);
            let area = 0;
            for (const [outer, ...holes] of g.polygons) area += ringArea(outer) + holes.reduce((s, h) => s + ringArea(h), 0);
            expect(area).toBe(g.units.length);
          }
          // Ranked by households.
          for (let k = 1; k < gaps.length; k++) expect(gaps[k].tally.households).toBeLessThanOrEqual(gaps[k - 1].tally.households);
          const uncovered = list.reduce((s, c) => s + (c.covered ? 0 : c.h), 0);
          expect(gaps.reduce((s, g) => s + g.tally.households, 0)).toBeCloseTo(uncovered, 6);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('gap outlines project back onto the cell corners (EPSG:3035 ↔ WGS84)', () => {
    const { units, nearest } = setup([{ i: 2, j: 3, covered: false, h: 5 }]);
    const [gap] = findGaps(units, nearest, 1200);
    const coords = gapCoordinates(gap);
    expect(coords).toHaveLength(1);
    const ring = coords[0][0];
    expect(ring).toHaveLength(5);
    const [x, y] = toEpsg3035(ring[0][0], ring[0][1]);
    expect(Math.abs(x - (3_600_000 + 2 * 200))).toBeLessThan(0.2);
    expect(Math.abs(y - (2_500_000 + 3 * 200))).toBeLessThan(0.2);
  });
});
