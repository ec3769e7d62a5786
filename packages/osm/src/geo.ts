/**
 * Lengths on the sphere. Haversine with the IUGG mean Earth radius R1 = 6,371,008.8 m:
 * on road segments (metres to kilometres) its error against the WGS84 ellipsoid (Karney)
 * is below 0.5 % and far below the uncertainty of speeds, which is what the costs depend on.
 */

/** IUGG mean Earth radius R1 (m). */
export const EARTH_RADIUS_M = 6_371_008.8;
export const RAD = Math.PI / 180;
/** Metres per degree of latitude (and of longitude at the equator) on the mean sphere. */
export const METRES_PER_DEGREE = EARTH_RADIUS_M * RAD;

/** Great-circle distance in metres between two [lon, lat] points in degrees (haversine). */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const sLat = Math.sin(((lat2 - lat1) * RAD) / 2);
  const sLon = Math.sin(((lon2 - lon1) * RAD) / 2);
  const h = sLat * sLat + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * sLon * sLon;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
