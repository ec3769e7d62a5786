import { SitingInputError } from './errors.ts';

/**
 * Times are in the caller's unit (seconds, deciseconds…), the same for `time`,
 * `timeWithout` and `threshold`. A unit no site reaches has time +Infinity or
 * 0xffffffff (the graph's UNREACHED): both compare as > any threshold below them.
 */
export interface ClosureInput {
  /** Index of the site that closes. */
  site: number;
  /** Per unit: index of its nearest site now (-1 if none). */
  nearest: ArrayLike<number>;
  /** Per unit: time to its nearest site now. */
  time: ArrayLike<number>;
  /**
   * Per unit: time to the nearest site once `site` is closed, computed by the caller's
   * model (a search without that site). Must be ≥ time for every unit.
   */
  timeWithout: ArrayLike<number>;
  /** Coverage threshold T: a unit is covered when its time ≤ T. */
  threshold: number;
  /** Per unit weight (households…); default 1. */
  weight?: ArrayLike<number>;
}

export interface ClosureImpact {
  site: number;
  /** Units covered now and not once the site closes (time ≤ T < timeWithout), ascending. */
  units: Uint32Array;
  /** Their time once the site is closed (same order as units; may be Infinity / UNREACHED). */
  newTime: Float64Array;
  /** Number and weight of the units that lose coverage. */
  lostUnits: number;
  lostWeight: number;
  /** Units whose nearest site was `site` (they all get slower or equal) and their weight. */
  servedUnits: number;
  servedWeight: number;
  /** Units still covered but slower after the closure. */
  slowerUnits: number;
  slowerWeight: number;
}

function checkLength(name: string, a: ArrayLike<number>, n: number): void {
  if (a.length !== n) throw new SitingInputError(`${name} has ${a.length} entries for ${n} units`);
}

/**
 * What closing one site costs: the units that lose coverage at threshold T, with their
 * new times, and totals. Generic: the caller's model supplies the times with and without
 * the site, so this works for road, crow-fly or any cost matrix.
 * Throws SitingInputError when some unit would get faster without the site (an
 * inconsistent model) or arrays differ in length.
 */
export function closureImpact(input: ClosureInput): ClosureImpact {
  const { site, nearest, time, timeWithout, threshold, weight } = input;
  const n = time.length;
  checkLength('nearest', nearest, n);
  checkLength('timeWithout', timeWithout, n);
  if (weight) checkLength('weight', weight, n);
  if (!(threshold >= 0)) throw new SitingInputError(`threshold must be ≥ 0, got ${threshold}`);
  const lost: number[] = [];
  let lostWeight = 0;
  let servedUnits = 0;
  let servedWeight = 0;
  let slowerUnits = 0;
  let slowerWeight = 0;
  for (let u = 0; u < n; u++) {
    const t = time[u];
    const t2 = timeWithout[u];
    if (t2 < t) throw new SitingInputError(`unit ${u}: time without site ${site} (${t2}) is below the time with it (${t})`);
    const w = weight ? weight[u] : 1;
    if (nearest[u] === site) {
      servedUnits++;
      servedWeight += w;
    }
    if (t <= threshold) {
      if (t2 > threshold) {
        lost.push(u);
        lostWeight += w;
      } else if (t2 > t) {
        slowerUnits++;
        slowerWeight += w;
      }
    }
  }
  const units = Uint32Array.from(lost);
  const newTime = new Float64Array(units.length);
  for (let i = 0; i < units.length; i++) newTime[i] = timeWithout[units[i]];
  return { site, units, newTime, lostUnits: units.length, lostWeight, servedUnits, servedWeight, slowerUnits, slowerWeight };
}

/**
 * Coverage lost by closing each site in turn, from one pass over the units: a unit
 * served by site s within T is lost when its time to the second-nearest site exceeds T.
 * `secondTime` is that time (Infinity / UNREACHED when there is no other site).
 * Closing several sites at once is not the sum of these (use closureImpact with the
 * caller's times).
 */
export function closureLossBySite(input: {
  nearest: ArrayLike<number>;
  time: ArrayLike<number>;
  secondTime: ArrayLike<number>;
  threshold: number;
  siteCount: number;
  weight?: ArrayLike<number>;
}): { lostUnits: Uint32Array; lostWeight: Float64Array } {
  const { nearest, time, secondTime, threshold, siteCount, weight } = input;
  const n = time.length;
  checkLength('nearest', nearest, n);
  checkLength('secondTime', secondTime, n);
  if (weight) checkLength('weight', weight, n);
  const lostUnits = new Uint32Array(siteCount);
  const lostWeight = new Float64Array(siteCount);
  for (let u = 0; u < n; u++) {
    const s = nearest[u];
    if (s < 0) continue;
    if (s >= siteCount) throw new SitingInputError(`unit ${u}: nearest site ${s} ≥ siteCount ${siteCount}`);
    if (secondTime[u] < time[u]) throw new SitingInputError(`unit ${u}: second-nearest time ${secondTime[u]} is below the nearest time ${time[u]}`);
    if (time[u] <= threshold && secondTime[u] > threshold) {
      lostUnits[s]++;
      lostWeight[s] += weight ? weight[u] : 1;
    }
  }
  return { lostUnits, lostWeight };
}
