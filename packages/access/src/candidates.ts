/**
 * Candidate places for new sites, beyond the loaders of @fs-access/data (annuaire, user CSV,
 * GeoJSON): commune centroids, centres of gap areas, and the check that keeps candidates
 * inside the area studied. Browser-safe (no file access).
 *
 * Units: coordinates WGS84 degrees; distances metres; times seconds.
 */
import type { Candidates, Households, Rejection } from '@fs-access/data';
import { COVERED, categoryOf } from './coverage.ts';
import { findGaps, type GridUnits } from './gaps.ts';
import { greatCircleM } from './geo.ts';
import type { NearestSites } from './model.ts';

/** A Polygon or MultiPolygon geometry, WGS84 [lon, lat] rings (GeoJSON coordinates). */
export type AreaGeometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

function emptyCandidates(): Candidates {
  return { count: 0, id: [], name: [], kind: [], commune: [], lon: new Float64Array(0), lat: new Float64Array(0), rejected: [] };
}

/** The candidates at the given indices (rejections kept as they are unless `rejected` is given). */
export function subsetCandidates(c: Candidates, index: ArrayLike<number>, rejected: Rejection[] = c.rejected): Candidates {
  const pick = <T>(a: T[]) => Array.from(index, (i) => a[i]);
  return {
    count: index.length,
    id: pick(c.id),
    name: pick(c.name),
    kind: pick(c.kind),
    commune: pick(c.commune),
    lon: Float64Array.from(index, (i) => c.lon[i]),
    lat: Float64Array.from(index, (i) => c.lat[i]),
    rejected,
  };
}

/**
 * One candidate per commune, at its centroid: id = INSEE code, name = commune name
 * (`units.name` when the loader gave it, else `names`), kind 'commune-centroid'. Takes
 * commune-level households (the communes loader's output).
 */
export function communeCandidates(communes: Pick<Households, 'count' | 'id' | 'lon' | 'lat'> & { name?: string[] }, names?: ReadonlyMap<string, string>): Candidates {
  const out = emptyCandidates();
  const keep: number[] = [];
  for (let i = 0; i < communes.count; i++) if (Number.isFinite(communes.lon[i]) && Number.isFinite(communes.lat[i])) keep.push(i);
  out.count = keep.length;
  out.id = keep.map((i) => communes.id[i]);
  out.name = keep.map((i) => communes.name?.[i] ?? names?.get(communes.id[i]) ?? '');
  out.kind = keep.map(() => 'commune-centroid');
  out.commune = keep.map((i) => communes.id[i]);
  out.lon = Float64Array.from(keep, (i) => communes.lon[i]);
  out.lat = Float64Array.from(keep, (i) => communes.lat[i]);
  return out;
}

/**
 * Candidates at the centres of the areas left uncovered at `thresholdS` by the sites
 * behind `nearest`:
 * - grid units: one per gap (contiguous uncovered cells, `findGaps`), at its
 *   household-weighted centre, largest gap first; id `gap-{T min}-{rank}`, name
 *   "Zone non couverte n° {rank} ({main commune})", commune = the gap's main commune;
 * - commune units: one per uncovered commune (beyond T or unreachable), at its centroid,
 *   in unit order; id `gap-{T min}-{INSEE code}`.
 * Kind 'gap-centroid'. Gaps without households (all cells at 0) are skipped.
 */
export function gapCandidates(
  units: Households & { name?: string[] },
  nearest: NearestSites,
  thresholdS: number,
  options: { communeNames?: ReadonlyMap<string, string>; connectivity?: 4 | 8 } = {},
): Candidates {
  const tMin = Math.round((thresholdS / 60) * 100) / 100;
  const names = options.communeNames;
  const rows: { id: string; name: string; commune: string; lon: number; lat: number }[] = [];
  if (units.kind === 'grid') {
    const gaps = findGaps(units as GridUnits, nearest, thresholdS, { connectivity: options.connectivity ?? 8 });
    for (const g of gaps) {
      if (!(g.tally.households > 0) || !Number.isFinite(g.lon) || !Number.isFinite(g.lat)) continue;
      const main = g.communes[0]?.code ?? '';
      const label = main ? ` (${names?.get(main) ?? main})` : '';
      rows.push({ id: `gap-${tMin}-${g.rank}`, name: `Zone non couverte n° ${g.rank}${label}`, commune: main, lon: g.lon, lat: g.lat });
    }
  } else {
    for (let i = 0; i < units.count; i++) {
      if (categoryOf(nearest, i, thresholdS) === COVERED) continue;
      if (!Number.isFinite(units.lon[i]) || !Number.isFinite(units.lat[i])) continue;
      const code = units.id[i];
      rows.push({ id: `gap-${tMin}-${code}`, name: units.name?.[i] ?? names?.get(code) ?? code, commune: code, lon: units.lon[i], lat: units.lat[i] });
    }
  }
  return {
    count: rows.length,
    id: rows.map((r) => r.id),
    name: rows.map((r) => r.name),
    kind: rows.map(() => 'gap-centroid'),
    commune: rows.map((r) => r.commune),
    lon: Float64Array.from(rows, (r) => r.lon),
    lat: Float64Array.from(rows, (r) => r.lat),
    rejected: [],
  };
}

/** Ray casting on one ring (any orientation); points on an edge may fall either side. */
function inRing(lon: number, lat: number, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i][0];
    const yi = ring[i][1];
    const xj = ring[j][0];
    const yj = ring[j][1];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function polygonsOf(g: AreaGeometry): number[][][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** True when (lon, lat) lies inside the geometry (holes excluded). */
export function insideGeometry(lon: number, lat: number, geometry: AreaGeometry): boolean {
  for (const poly of polygonsOf(geometry)) {
    if (poly.length === 0 || !inRing(lon, lat, poly[0])) continue;
    let inHole = false;
    for (let h = 1; h < poly.length && !inHole; h++) inHole = inRing(lon, lat, poly[h]);
    if (!inHole) return true;
  }
  return false;
}

/**
 * Distance (m) from a point to the geometry: 0 inside, else to the nearest point of its
 * boundary. Segments are measured in a local equirectangular projection around the point
 * (error well under 1 % for the few kilometres of a buffer), the final distance on the sphere.
 */
export function distanceToGeometryM(lon: number, lat: number, geometry: AreaGeometry): number {
  if (insideGeometry(lon, lat, geometry)) return 0;
  const kx = Math.cos((lat * Math.PI) / 180);
  let best = Infinity;
  let bx = NaN;
  let by = NaN;
  for (const poly of polygonsOf(geometry)) {
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const ax = (ring[i][0] - lon) * kx;
        const ay = ring[i][1] - lat;
        const dx = (ring[i + 1][0] - lon) * kx - ax;
        const dy = ring[i + 1][1] - lat - ay;
        const len2 = dx * dx + dy * dy;
        const t = len2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2)) : 0;
        const px = ax + t * dx;
        const py = ay + t * dy;
        const d2 = px * px + py * py;
        if (d2 < best) {
          best = d2;
          bx = px / kx + lon;
          by = py + lat;
        }
      }
    }
  }
  return Number.isFinite(best) ? greatCircleM(lon, lat, bx, by) : Infinity;
}

export interface AreaSelection {
  /** The candidates kept, in their original order (the loader's rejections carried over, plus the new ones). */
  candidates: Candidates;
  /** Indices (into the candidates given) of those kept. */
  kept: Uint32Array;
  /** Candidates refused here: reason 'outside-area', detail with the distance. */
  outside: Rejection[];
}

/**
 * Keeps the candidates inside the area's outline or within `bufferM` of it (default 5 km:
 * a town hall just across the border can still serve the area; a place 50 km away is a
 * wrong file or a swapped coordinate). The others become rejections with reason
 * 'outside-area', naming the candidate, its distance and the area — never silently dropped
 * (their `line` is 0: the check runs on loaded candidates; the id names the record).
 */
export function selectCandidatesInArea(
  candidates: Candidates,
  area: { geometry: AreaGeometry; code: string; bufferM?: number; file?: string },
): AreaSelection {
  const bufferM = area.bufferM ?? 5000;
  if (!(bufferM >= 0)) throw new RangeError(`bufferM must be ≥ 0, got ${bufferM}`);
  const kept: number[] = [];
  const outside: Rejection[] = [];
  for (let i = 0; i < candidates.count; i++) {
    const d = distanceToGeometryM(candidates.lon[i], candidates.lat[i], area.geometry);
    if (d <= bufferM) {
      kept.push(i);
      continue;
    }
    outside.push({
      file: area.file ?? '',
      // The check runs after loading: the file line is not known here, the id names the record.
      line: 0,
      id: candidates.id[i],
      reason: 'outside-area',
      detail: `candidate ${candidates.id[i]} (${candidates.lon[i]}, ${candidates.lat[i]}) lies ${(d / 1000).toFixed(1)} km outside ${area.code} (buffer ${(bufferM / 1000).toFixed(1)} km)`,
    });
  }
  const idx = Uint32Array.from(kept);
  return { candidates: subsetCandidates(candidates, idx, [...candidates.rejected, ...outside]), kept: idx, outside };
}
