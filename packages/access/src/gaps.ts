/**
 * Gap areas: contiguous uncovered grid cells (beyond the threshold or unreachable), merged
 * into polygons and ranked by households. Cells are the 200 m EPSG:3035 cells of the grid
 * (south-west corners x3035, y3035); contiguity is 8-connectivity by default (cells touching
 * at a corner belong to the same gap; its outline is then a MultiPolygon).
 */
import { COVERED, categoryOf, emptyTally, type HouseholdUnits, type Tally } from './coverage.ts';
import { fromEpsg3035 } from './geo.ts';
import type { NearestSites } from './model.ts';
import { cellKey, cellsToPolygons, type CellPolygon } from './outline.ts';

export interface GridUnits extends HouseholdUnits {
  lon: Float64Array;
  lat: Float64Array;
  /** EPSG:3035 south-west corner of each cell (m). */
  x3035: Float64Array;
  y3035: Float64Array;
}

export interface GapOptions {
  /** 4 or 8 (default 8). */
  connectivity?: 4 | 8;
  /** Cell size (m); default 200. */
  cellSizeM?: number;
}

export interface Gap {
  /** 1 = the gap with the most households. */
  rank: number;
  /** Unit indices of its cells, increasing. */
  units: Uint32Array;
  tally: Tally;
  areaKm2: number;
  /** Household-weighted centre (WGS84). */
  lon: number;
  lat: number;
  /** Communes touched, by households in the gap (decreasing), then code. */
  communes: { code: string; households: number }[];
  /** Outline in cell-corner indices (multiply by the cell size for EPSG:3035 metres). */
  polygons: CellPolygon[];
}

/** Uncovered grid cells at `thresholdS`, grouped into contiguous gaps, largest first. */
export function findGaps(units: GridUnits, nearest: NearestSites, thresholdS: number, options: GapOptions = {}): Gap[] {
  const connectivity = options.connectivity ?? 8;
  const size = options.cellSizeM ?? 200;
  const n = units.count;
  if (units.x3035.length !== n || units.y3035.length !== n) throw new RangeError('gaps need grid units (x3035/y3035 per unit)');
  const ci = new Int32Array(n);
  const cj = new Int32Array(n);
  const cellUnit = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (categoryOf(nearest, i, thresholdS) === COVERED) continue;
    ci[i] = Math.round(units.x3035[i] / size);
    cj[i] = Math.round(units.y3035[i] / size);
    const key = cellKey(ci[i], cj[i]);
    // Two units in one cell (should not happen) join the same gap through the first.
    if (!cellUnit.has(key)) cellUnit.set(key, i);
  }
  const neighbours =
    connectivity === 4
      ? [
          [1, 0],
          [-1, 0],
          [0, 1],
          [0, -1],
        ]
      : [
          [1, 0],
          [-1, 0],
          [0, 1],
          [0, -1],
          [1, 1],
          [1, -1],
          [-1, 1],
          [-1, -1],
        ];

  const component = new Int32Array(n).fill(-1);
  const groups: number[][] = [];
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    if (component[i] >= 0 || categoryOf(nearest, i, thresholdS) === COVERED) continue;
    const g = groups.length;
    const members: number[] = [];
    component[i] = g;
    stack.push(i);
    while (stack.length > 0) {
      const u = stack.pop()!;
      members.push(u);
      for (const [dx, dy] of neighbours) {
        const v = cellUnit.get(cellKey(ci[u] + dx, cj[u] + dy));
        if (v !== undefined && component[v] < 0) {
          component[v] = g;
          stack.push(v);
        }
      }
    }
    // Units sharing a cell with a member.
    groups.push(members);
  }
  for (let i = 0; i < n; i++) {
    if (component[i] >= 0 || categoryOf(nearest, i, thresholdS) === COVERED) continue;
    const first = cellUnit.get(cellKey(ci[i], cj[i]))!;
    component[i] = component[first];
    groups[component[i]].push(i);
  }

  const gaps: Gap[] = groups.map((members) => {
    members.sort((a, b) => a - b);
    const tally = emptyTally();
    let wx = 0;
    let wy = 0;
    let w = 0;
    const byCommune = new Map<string, number>();
    const gi: number[] = [];
    const gj: number[] = [];
    for (const u of members) {
      const h = units.households[u];
      tally.units++;
      tally.households += h;
      tally.inhabitants += units.inhabitants[u];
      if (Number.isFinite(units.poor[u])) {
        tally.poor += units.poor[u];
        tally.poorKnownUnits++;
      }
      wx += (units.x3035[u] + size / 2) * h;
      wy += (units.y3035[u] + size / 2) * h;
      w += h;
      const code = units.commune[u] ?? '';
      byCommune.set(code, (byCommune.get(code) ?? 0) + h);
      gi.push(ci[u]);
      gj.push(cj[u]);
    }
    if (!(w > 0)) {
      wx = 0;
      wy = 0;
      for (const u of members) {
        wx += units.x3035[u] + size / 2;
        wy += units.y3035[u] + size / 2;
      }
      w = members.length;
    }
    const [lon, lat] = fromEpsg3035(wx / w, wy / w);
    const cellCount = new Set(members.map((u) => cellKey(ci[u], cj[u]))).size;
    return {
      rank: 0,
      units: Uint32Array.from(members),
      tally,
      areaKm2: (cellCount * size * size) / 1e6,
      lon,
      lat,
      communes: Array.from(byCommune, ([code, households]) => ({ code, households })).sort(
        (a, b) => b.households - a.households || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
      ),
      polygons: cellsToPolygons(gi, gj),
    };
  });
  gaps.sort((a, b) => b.tally.households - a.tally.households || a.units[0] - b.units[0]);
  gaps.forEach((g, k) => (g.rank = k + 1));
  return gaps;
}

/** A gap's outline as GeoJSON MultiPolygon coordinates (WGS84, rounded to `digits`). */
export function gapCoordinates(gap: Gap, cellSizeM = 200, digits = 6): number[][][][] {
  const f = 10 ** digits;
  return gap.polygons.map((polygon) =>
    polygon.map((ring) => {
      const out: number[][] = [];
      for (let k = 0; k < ring.length; k += 2) {
        const [lon, lat] = fromEpsg3035(ring[k] * cellSizeM, ring[k + 1] * cellSizeM);
        out.push([Math.round(lon * f) / f, Math.round(lat * f) / f]);
      }
      return out;
    }),
  );
}
