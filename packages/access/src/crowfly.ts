/**
 * The crow-fly model: time (s) = great-circle distance (m) × detour factor ÷ speed (m/s)
 * + a fixed access time (s). No road network needed; nearest-site and radius queries run on
 * kdbush indexes with geokdbush's great-circle search.
 *
 * Defaults come from `crowfly-calibration.json`, written by `scripts/calibrate-crowfly.ts`
 * from real road graphs (see the package README for the fit and its error).
 */
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import calibration from './crowfly-calibration.json' with { type: 'json' };
import { greatCircleM, type Points } from './geo.ts';
import { BEYOND_LIMIT, REACHED, type NearestOptions, type NearestSites, type Reach, type TravelTimeModel, type UnitTimes } from './model.ts';

export interface CrowFlyParameters {
  /** Road distance ÷ great-circle distance (≥ 1). */
  detourFactor: number;
  /** Average speed along the road distance, km/h. */
  speedKmh: number;
  /** Fixed time added to every trip (parking, leaving home), seconds. */
  accessTimeS: number;
}

/** The calibrated defaults (see crowfly-calibration.json). */
export const CROWFLY_DEFAULTS: Readonly<CrowFlyParameters> = Object.freeze({
  detourFactor: calibration.detourFactor,
  speedKmh: calibration.speedKmh,
  accessTimeS: calibration.accessTimeS,
});

/** The full calibration record (fit, error, graphs used). */
export const CROWFLY_CALIBRATION: Readonly<Record<string, unknown>> = calibration;

/** Slack on radius queries so float rounding never drops a unit exactly at the limit. */
const RADIUS_SLACK = 1 + 1e-9;

export class CrowFlyModel implements TravelTimeModel {
  readonly kind = 'crowfly' as const;
  readonly detourFactor: number;
  readonly speedKmh: number;
  readonly accessTimeS: number;
  /** Seconds per metre of great-circle distance. */
  private readonly secondsPerMetre: number;

  constructor(parameters: Partial<CrowFlyParameters> = {}) {
    const p = { ...CROWFLY_DEFAULTS, ...parameters };
    if (!(p.detourFactor >= 1)) throw new RangeError(`detourFactor must be ≥ 1, got ${p.detourFactor}`);
    if (!(p.speedKmh > 0)) throw new RangeError(`speedKmh must be > 0, got ${p.speedKmh}`);
    if (!(p.accessTimeS >= 0)) throw new RangeError(`accessTimeS must be ≥ 0, got ${p.accessTimeS}`);
    this.detourFactor = p.detourFactor;
    this.speedKmh = p.speedKmh;
    this.accessTimeS = p.accessTimeS;
    this.secondsPerMetre = p.detourFactor / (p.speedKmh / 3.6);
  }

  get parameters(): Record<string, number | string> {
    return { model: 'crowfly', detourFactor: this.detourFactor, speedKmh: this.speedKmh, accessTimeS: this.accessTimeS };
  }

  /** Seconds for a great-circle distance in metres. */
  timeForDistance(metres: number): number {
    return metres * this.secondsPerMetre + this.accessTimeS;
  }

  /** Largest great-circle distance (m) reachable within `seconds` (negative: nothing is). */
  distanceForTime(seconds: number): number {
    return (seconds - this.accessTimeS) / this.secondsPerMetre;
  }

  /** Seconds between two points. */
  time(lon1: number, lat1: number, lon2: number, lat2: number): number {
    return this.timeForDistance(greatCircleM(lon1, lat1, lon2, lat2));
  }

  forUnits(units: Points): UnitTimes {
    return new CrowFlyUnitTimes(this, units);
  }
}

/** kdbush index over the points with finite coordinates; `ids` maps index ids back. */
function indexPoints(points: Points): { index: KDBush | null; ids: Uint32Array } {
  let n = 0;
  for (let i = 0; i < points.count; i++) if (Number.isFinite(points.lon[i]) && Number.isFinite(points.lat[i])) n++;
  const ids = new Uint32Array(n);
  if (n === 0) return { index: null, ids };
  const index = new KDBush(n);
  for (let i = 0, k = 0; i < points.count; i++) {
    if (Number.isFinite(points.lon[i]) && Number.isFinite(points.lat[i])) {
      index.add(points.lon[i], points.lat[i]);
      ids[k++] = i;
    }
  }
  index.finish();
  return { index, ids };
}

class CrowFlyUnitTimes implements UnitTimes {
  readonly count: number;
  readonly placement: Uint8Array;
  private unitIndex: { index: KDBush | null; ids: Uint32Array } | null = null;

  constructor(
    private readonly model: CrowFlyModel,
    private readonly units: Points,
  ) {
    this.count = units.count;
    // Every unit with coordinates can be placed; loaders reject the others upstream.
    this.placement = new Uint8Array(units.count);
  }

  nearest(sites: Points, options: NearestOptions = {}): NearestSites {
    const { units, model } = this;
    const n = units.count;
    const time = new Float64Array(n).fill(NaN);
    const site = new Int32Array(n).fill(-1);
    const status = new Uint8Array(n).fill(BEYOND_LIMIT);
    const { index, ids } = indexPoints(sites);
    if (index === null) return { time, site, status };
    const maxTimeS = options.maxTimeS ?? Infinity;
    const maxDistKm = Number.isFinite(maxTimeS) ? (model.distanceForTime(maxTimeS) / 1000) * RADIUS_SLACK : Infinity;
    if (maxDistKm < 0) return { time, site, status };
    for (let i = 0; i < n; i++) {
      const lon = units.lon[i];
      const lat = units.lat[i];
      const found = around(index, lon, lat, 1, maxDistKm);
      if (found.length === 0) continue;
      const s = ids[found[0]];
      const t = model.time(lon, lat, sites.lon[s], sites.lat[s]);
      if (t > maxTimeS) continue;
      time[i] = t;
      site[i] = s;
      status[i] = REACHED;
    }
    return { time, site, status };
  }

  reach(lon: number, lat: number, maxTimeS: number): Reach {
    const { units, model } = this;
    this.unitIndex ??= indexPoints(units);
    const { index, ids } = this.unitIndex;
    const maxDistM = model.distanceForTime(maxTimeS);
    if (index === null || !(maxDistM >= 0)) return { unit: new Uint32Array(0), time: new Float64Array(0) };
    const found = around(index, lon, lat, Infinity, (maxDistM / 1000) * RADIUS_SLACK);
    const pairs: [number, number][] = [];
    for (const k of found) {
      const u = ids[k];
      const t = model.time(units.lon[u], units.lat[u], lon, lat);
      if (t <= maxTimeS) pairs.push([t, u]);
    }
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const unit = new Uint32Array(pairs.length);
    const time = new Float64Array(pairs.length);
    pairs.forEach(([t, u], k) => {
      unit[k] = u;
      time[k] = t;
    });
    return { unit, time };
  }
}
