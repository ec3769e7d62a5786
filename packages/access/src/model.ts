/**
 * The travel-time model interface. Coverage, gaps and reports only see this interface, so
 * the crow-fly and the road model are interchangeable.
 *
 * Times are seconds (Float64), household → site direction.
 */
import type { Points } from './geo.ts';

/** Status of a household unit in a nearest-site result. */
export const REACHED = 0;
/** The unit joined the network but no site can be reached from it (one-way dead end, island…). */
export const NO_ROUTE = 1;
/** The unit is farther than the snapping distance from any road. */
export const NOT_SNAPPED = 2;
/** A cut-off was given and no site lies within it (the unit may also have no route at all). */
export const BEYOND_LIMIT = 3;

export type UnitStatus = typeof REACHED | typeof NO_ROUTE | typeof NOT_SNAPPED | typeof BEYOND_LIMIT;

/** For every household unit, its nearest site and the time to it. */
export interface NearestSites {
  /** Seconds to the nearest site; NaN unless status is REACHED. */
  time: Float64Array;
  /** Index of the nearest site in the sites given; -1 unless status is REACHED. */
  site: Int32Array;
  /** REACHED, NO_ROUTE, NOT_SNAPPED or BEYOND_LIMIT per unit. */
  status: Uint8Array;
}

/** Units within a time of one point (a candidate site): a sparse cover set. */
export interface Reach {
  /** Unit indices, in increasing time (ties: increasing index). */
  unit: Uint32Array;
  /** Seconds from each unit to the point. */
  time: Float64Array;
}

export interface NearestOptions {
  /**
   * Cut-off (s): units whose nearest site is farther get status BEYOND_LIMIT. Without it the
   * search is complete and every unit gets its exact time (or NO_ROUTE / NOT_SNAPPED).
   */
  maxTimeS?: number;
}

/**
 * A model bound to one set of household units (indexed or snapped once, then queried for
 * any number of site sets — the what-if loop).
 */
export interface UnitTimes {
  readonly count: number;
  /** Per unit, NOT_SNAPPED for units the model cannot place (road model), else REACHED. */
  readonly placement: Uint8Array;
  /** Nearest site of every unit among `sites`. */
  nearest(sites: Points, options?: NearestOptions): NearestSites;
  /** Units whose time to a site at (lon, lat) is at most maxTimeS. */
  reach(lon: number, lat: number, maxTimeS: number): Reach;
}

export interface TravelTimeModel {
  readonly kind: 'crowfly' | 'road';
  /** The model's parameters, as written into report summaries. */
  readonly parameters: Record<string, number | string>;
  /** Binds the model to household units (the expensive, reusable part). */
  forUnits(units: Points): UnitTimes;
}
