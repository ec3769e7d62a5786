/**
 * Distances on the sphere and the EPSG:3035 grid, shared by the models, coverage and gaps.
 * Distances in metres, angles in degrees, WGS84 [lon, lat].
 */
import proj4 from 'proj4';

/**
 * Mean Earth radius (m). geokdbush uses 6371 km too, so its ranking and our distances agree.
 */
export const EARTH_RADIUS_M = 6_371_000;

const RAD = Math.PI / 180;

/** Great-circle (haversine) distance in metres. */
export function greatCircleM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const sLat = Math.sin(((lat2 - lat1) * RAD) / 2);
  const sLon = Math.sin(((lon2 - lon1) * RAD) / 2);
  const h = sLat * sLat + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * sLon * sLon;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Points as struct-of-arrays (sites, households, candidates all have this shape). */
export interface Points {
  count: number;
  lon: Float64Array;
  lat: Float64Array;
}

/** [minLon, minLat, maxLon, maxLat] of finite coordinates; null when there are none. */
export function bboxOf(points: Points): [number, number, number, number] | null {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (let i = 0; i < points.count; i++) {
    const lon = points.lon[i];
    const lat = points.lat[i];
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  return minLon <= maxLon ? [minLon, minLat, maxLon, maxLat] : null;
}

/**
 * Distance (m) from a point to a lon/lat box, a lower bound of the distance to anything
 * inside the box. Exact enough for selecting points "within reach" of a région of France
 * (it takes the nearest box point in lon/lat, which is the nearest on the sphere for boxes
 * that do not span the poles).
 */
export function distanceToBboxM(lon: number, lat: number, bbox: readonly [number, number, number, number]): number {
  const cLon = Math.min(Math.max(lon, bbox[0]), bbox[2]);
  const cLat = Math.min(Math.max(lat, bbox[1]), bbox[3]);
  return greatCircleM(lon, lat, cLon, cLat);
}

/** ETRS89 / LAEA Europe, the projection of INSEE's and Eurostat's grids. */
export const EPSG3035 =
  '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';

let converter: proj4.Converter | null = null;
function laea(): proj4.Converter {
  converter ??= proj4(EPSG3035, 'EPSG:4326');
  return converter;
}

/** EPSG:3035 metres → WGS84 [lon, lat] degrees. */
export function fromEpsg3035(x: number, y: number): [number, number] {
  const p = laea().forward([x, y]);
  return [p[0], p[1]];
}

/** WGS84 [lon, lat] degrees → EPSG:3035 metres. */
export function toEpsg3035(lon: number, lat: number): [number, number] {
  const p = laea().inverse([lon, lat]);
  return [p[0], p[1]];
}
