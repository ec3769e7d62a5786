/**
 * The car profile: which ways a car may use, in which directions, how fast. It is plain
 * data (`carProfile`), so a user can copy it, change a speed or a rule, and pass it to
 * `buildCarGraph(file, { profile })`; `evaluateWay` is the one function that reads it.
 * Speeds in km/h. The table and the rules are documented in packages/osm/README.md.
 */
import type { TagGetter } from './pbf.ts';

export interface CarProfile {
  name: string;
  /**
   * highway=* values a car may use → default speed (km/h) when the way has no usable
   * maxspeed. A highway value not listed here (footway, track, construction, proposed, …)
   * is not used.
   */
  speeds: Record<string, number>;
  /**
   * Expected average speed as a share of the posted (or default) speed, per highway value,
   * `default` for the others: junctions, bends and traffic keep a car below the limit.
   */
  speedFactor: Record<string, number> & { default: number };
  /** Symbolic maxspeed values (`FR:urban`, …) → km/h. `none` is handled apart (class default). */
  maxspeedZones: Record<string, number>;
  /** How several values (`50;30`) combine: 'min' (the default) or 'max'. */
  maxspeedList: 'min' | 'max';
  /** Speed (km/h) for maxspeed=walk. */
  walkSpeed: number;
  /** Upper bound of any speed (km/h), before the factor. */
  maxSpeed: number;
  /** highway=* values that are one-way unless tagged oneway=no (motorway). */
  impliedOneway: string[];
  /** junction=* values that are one-way (roundabout, circular). */
  onewayJunctions: string[];
  /** Access keys from the most general to the most specific; the most specific present wins. */
  accessKeys: string[];
  /** Access values that forbid cars (no, private, …). */
  deniedAccess: string[];
  /** service=* values that exclude the way. */
  excludedServices: string[];
  /** service=* values → speed cap (km/h) before the factor (parking aisles, driveways: penalised, not excluded). */
  serviceSpeeds: Record<string, number>;
  /** Other tags that exclude a way when they have one of the listed values. */
  excludedTags: Record<string, string[]>;
}

/**
 * Default car profile for France. Speeds are legal limits or typical posted speeds (code
 * de la route: motorway 130, dual carriageway 110, other rural roads 80 since 2018,
 * built-up areas 50, zones 30 and 20) and become expected averages through speedFactor.
 */
export const carProfile: CarProfile = {
  name: 'car-fr',
  speeds: {
    motorway: 130,
    motorway_link: 70,
    trunk: 110,
    trunk_link: 60,
    primary: 80,
    primary_link: 50,
    secondary: 80,
    secondary_link: 50,
    tertiary: 70,
    tertiary_link: 40,
    unclassified: 60,
    residential: 40,
    living_street: 20,
    service: 20,
    road: 40,
  },
  speedFactor: { default: 0.8, motorway: 0.9, motorway_link: 0.9, trunk: 0.9, trunk_link: 0.9 },
  maxspeedZones: {
    'FR:urban': 50,
    'FR:rural': 80,
    'FR:trunk': 110,
    'FR:motorway': 130,
    'FR:zone30': 30,
    'FR:zone20': 20,
    'FR:living_street': 20,
    'FR:walk': 6,
    'DE:urban': 50,
    'DE:rural': 100,
    'DE:living_street': 7,
    'DE:zone30': 30,
    'DE:zone20': 20,
    'AD:urban': 50,
    'AD:rural': 90,
    'MC:urban': 50,
    'IT:urban': 50,
    'IT:rural': 90,
    'IT:trunk': 110,
    'IT:motorway': 130,
    'ES:urban': 50,
    'ES:rural': 90,
    'ES:trunk': 100,
    'ES:motorway': 120,
    'BE:urban': 50,
    'BE-VLG:rural': 70,
    'BE-WAL:rural': 90,
    'BE:motorway': 120,
    'CH:urban': 50,
    'CH:rural': 80,
    'CH:trunk': 100,
    'CH:motorway': 120,
    'LU:urban': 50,
    'LU:rural': 90,
    'LU:motorway': 130,
  },
  maxspeedList: 'min',
  walkSpeed: 6,
  maxSpeed: 130,
  impliedOneway: ['motorway'],
  onewayJunctions: ['roundabout', 'circular'],
  accessKeys: ['access', 'vehicle', 'motor_vehicle', 'motorcar'],
  deniedAccess: ['no', 'private', 'agricultural', 'forestry', 'emergency', 'military', 'psv', 'bus', 'delivery', 'use_sidepath'],
  excludedServices: ['emergency_access'],
  serviceSpeeds: { parking_aisle: 10, driveway: 10, alley: 15, drive_through: 10 },
  excludedTags: { area: ['yes'], impassable: ['yes'], status: ['impassable'] },
};

/** Direction and speed of a way for a car; null when a car may not use it. */
export interface WayRule {
  /** Along the order of the way's nodes. */
  forward: boolean;
  /** Against the order of the way's nodes. */
  backward: boolean;
  /** Expected average speed (km/h) in each direction, after the factor. */
  forwardKmh: number;
  backwardKmh: number;
}

const MPH = 1.609344;
const KNOT = 1.852;

/**
 * Parses a maxspeed value to km/h. Returns 'none' for an unlimited road (the caller uses
 * the class default) and null when the value is not understood (signals, variable, typos):
 * - a number, with an optional unit: `90`, `90 km/h`, `90kmh`, `50 mph`, `10 knots`;
 * - a zone from profile.maxspeedZones (`FR:rural`, `FR:urban`, `FR:zone30`, …), or any
 *   `XX:zoneNN` / `XX:zone:NN` (→ NN);
 * - `walk` → profile.walkSpeed; `none` → 'none';
 * - a list `50;30` (or `50|30`) → the minimum (profile.maxspeedList = 'min') of the parsed
 *   parts, ignoring parts not understood.
 * Zero, negative or non-finite numbers are not understood (null).
 */
export function parseMaxspeed(raw: string | undefined, profile: CarProfile = carProfile): number | 'none' | null {
  if (raw === undefined) return null;
  const value = raw.trim();
  if (value === '') return null;
  if (value.includes(';') || value.includes('|')) {
    let best: number | null = null;
    let none = false;
    for (const part of value.split(/[;|]/)) {
      const v = parseMaxspeed(part, profile);
      if (v === 'none') none = true;
      else if (v !== null) best = best === null ? v : profile.maxspeedList === 'min' ? Math.min(best, v) : Math.max(best, v);
    }
    return best ?? (none ? 'none' : null);
  }
  const lower = value.toLowerCase();
  if (lower === 'none') return 'none';
  if (lower === 'walk') return profile.walkSpeed;
  const zone = profile.maxspeedZones[value];
  if (zone !== undefined) return zone;
  const z = /^[A-Z]{2}(?:-[A-Z]+)?:zone:?(\d+)$/i.exec(value);
  if (z) return Number(z[1]);
  // A country's motorway without a zone entry (DE:motorway): no general limit.
  if (/^[A-Z]{2}(?:-[A-Z]+)?:motorway$/i.test(value)) return 'none';
  const m = /^(\d+(?:\.\d+)?)\s*(km\/h|kmh|kph|mph|knots)?$/i.exec(value);
  if (!m) return null;
  let v = Number(m[1]);
  const unit = m[2]?.toLowerCase();
  if (unit === 'mph') v *= MPH;
  else if (unit === 'knots') v *= KNOT;
  return v > 0 && Number.isFinite(v) ? v : null;
}

/** Keys derived from a profile, computed once per profile object. */
interface ProfileKeys {
  forward: string[];
  backward: string[];
  relevant: Set<string>;
}
const keyCache = new WeakMap<CarProfile, ProfileKeys>();
function keysOf(profile: CarProfile): ProfileKeys {
  let k = keyCache.get(profile);
  if (!k) {
    const forward = profile.accessKeys.map((a) => `${a}:forward`);
    const backward = profile.accessKeys.map((a) => `${a}:backward`);
    const relevant = new Set(['highway', 'service', 'oneway', 'junction', 'maxspeed', 'maxspeed:forward', 'maxspeed:backward', ...profile.accessKeys, ...forward, ...backward, ...Object.keys(profile.excludedTags)]);
    k = { forward, backward, relevant };
    keyCache.set(profile, k);
  }
  return k;
}

/**
 * The tag keys evaluateWay may read under this profile: a reader can copy just these
 * (skipping names, notes and the like) before calling it.
 */
export function relevantKeys(profile: CarProfile = carProfile): ReadonlySet<string> {
  return keysOf(profile).relevant;
}

/** The access value that applies: the most specific of the keys present. */
function accessValue(tags: TagGetter, keys: string[]): string | undefined {
  for (let i = keys.length - 1; i >= 0; i--) {
    const v = tags.get(keys[i]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * Applies the profile to a way's tags (a Map, a reader's way, or `tagsOf({...})`).
 * Rules, in order:
 * 1. highway must be in profile.speeds (so construction, proposed, footway, track… are out);
 *    area=yes, impassable=yes and the other profile.excludedTags are out.
 * 2. access: the most specific of access < vehicle < motor_vehicle < motorcar present decides;
 *    a value in profile.deniedAccess excludes the way (`motorcar=yes` on `access=no` allows it).
 * 3. service=* in excludedServices is out; in serviceSpeeds caps the speed.
 * 4. one-way: oneway=yes|true|1 forward only, -1|reverse backward only, no|false|0 both ways;
 *    reversible|alternating excluded (direction changes during the day); otherwise
 *    junction=roundabout|circular and highway=motorway are one-way forward.
 * 5. speed: maxspeed:forward / maxspeed:backward, else maxspeed, parsed by parseMaxspeed;
 *    none or not understood → the class default; capped at profile.maxSpeed and the service
 *    cap; then × speedFactor (per class, else default).
 */
export function evaluateWay(tags: TagGetter, profile: CarProfile = carProfile): WayRule | null {
  const highway = tags.get('highway');
  if (highway === undefined) return null;
  const base = profile.speeds[highway];
  if (base === undefined) return null;
  for (const key in profile.excludedTags) {
    const v = tags.get(key);
    if (v !== undefined && profile.excludedTags[key].includes(v)) return null;
  }
  const keys = keysOf(profile);
  const access = accessValue(tags, profile.accessKeys);
  if (access !== undefined && profile.deniedAccess.includes(access)) return null;

  let cap = profile.maxSpeed;
  const service = tags.get('service');
  if (service !== undefined) {
    if (profile.excludedServices.includes(service)) return null;
    const s = profile.serviceSpeeds[service];
    if (s !== undefined) cap = Math.min(cap, s);
  }

  let forward = true;
  let backward = true;
  const oneway = tags.get('oneway');
  if (oneway === 'yes' || oneway === 'true' || oneway === '1') backward = false;
  else if (oneway === '-1' || oneway === 'reverse') forward = false;
  else if (oneway === 'reversible' || oneway === 'alternating') return null;
  else if (oneway !== 'no' && oneway !== 'false' && oneway !== '0') {
    const junction = tags.get('junction');
    if ((junction !== undefined && profile.onewayJunctions.includes(junction)) || profile.impliedOneway.includes(highway)) backward = false;
  }
  // Direction-specific access (motorcar:forward=no and the like).
  const accF = accessValue(tags, keys.forward);
  if (accF !== undefined && profile.deniedAccess.includes(accF)) forward = false;
  const accB = accessValue(tags, keys.backward);
  if (accB !== undefined && profile.deniedAccess.includes(accB)) backward = false;
  if (!forward && !backward) return null;

  const factor = profile.speedFactor[highway] ?? profile.speedFactor.default;
  const all = parseMaxspeed(tags.get('maxspeed'), profile);
  const f = parseMaxspeed(tags.get('maxspeed:forward'), profile);
  const b = parseMaxspeed(tags.get('maxspeed:backward'), profile);
  const speed = (p: number | 'none' | null) => Math.min(typeof p === 'number' ? p : base, cap, profile.maxSpeed) * factor;
  return { forward, backward, forwardKmh: speed(f ?? all), backwardKmh: speed(b ?? all) };
}

/** Wraps a plain object of tags for evaluateWay. */
export function tagsOf(tags: Record<string, string>): TagGetter {
  return { get: (k) => (Object.prototype.hasOwnProperty.call(tags, k) ? tags[k] : undefined) };
}
