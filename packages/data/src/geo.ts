/**
 * Plausibility checks for WGS84 points in France: one lon/lat box for metropolitan France
 * (Corsica included) and one per overseas territory, and the checks that tell a usable
 * point from swapped axes or projected metres.
 */

/** [minLon, minLat, maxLon, maxLat] in degrees. */
export type BBox = [number, number, number, number];

/** Metropolitan France, Corsica included (the brief's box: lon −5.5..10, lat 41..51.5). */
export const METRO_BOX: BBox = [-5.5, 41, 10, 51.5];

/**
 * Overseas départements and collectivities, keyed by their INSEE code. Boxes drawn a few
 * kilometres around the land (the ANCT list has sites in 971, 972, 973, 974, 976 and 978).
 */
export const OVERSEAS_BOXES: Readonly<Record<string, BBox>> = {
  '971': [-61.9, 15.8, -60.9, 16.6], // Guadeloupe
  '972': [-61.3, 14.35, -60.75, 14.9], // Martinique
  '973': [-54.7, 2.0, -51.5, 6.0], // Guyane
  '974': [55.15, -21.45, 55.9, -20.8], // La Réunion
  '975': [-56.5, 46.7, -56.1, 47.2], // Saint-Pierre-et-Miquelon
  '976': [44.9, -13.1, 45.35, -12.55], // Mayotte
  '977': [-62.95, 17.85, -62.75, 17.98], // Saint-Barthélemy
  '978': [-63.2, 17.98, -62.95, 18.15], // Saint-Martin
  '986': [-178.3, -14.4, -176.1, -13.1], // Wallis-et-Futuna
  '987': [-154.8, -28.0, -134.9, -7.8], // Polynésie française
  '988': [163.5, -22.9, 168.2, -19.5], // Nouvelle-Calédonie
};

export function inBox(lon: number, lat: number, b: BBox): boolean {
  return lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];
}

/** The region code a point falls in: 'metro', an overseas code, or '' when in none. */
export function regionOf(lon: number, lat: number): string {
  if (inBox(lon, lat, METRO_BOX)) return 'metro';
  for (const [code, b] of Object.entries(OVERSEAS_BOXES)) if (inBox(lon, lat, b)) return code;
  return '';
}

/** The region a département code belongs to: 'metro' for '01'..'95', '2A', '2B'; the code for overseas; '' if unknown. */
export function regionOfDepartement(dep: string): string {
  if (/^(0[1-9]|[1-8]\d|9[0-5]|2[AB])$/i.test(dep)) return 'metro';
  if (dep in OVERSEAS_BOXES) return dep;
  return '';
}

export interface PointCheck {
  ok: boolean;
  reason?: string;
  detail?: string;
}

function looksLambert93(x: number, y: number): boolean {
  return x >= 50_000 && x <= 1_300_000 && y >= 6_000_000 && y <= 7_200_000;
}

/**
 * Checks a lon/lat pair read from a file. `departement`, when given, must agree with the
 * region the point is in (a Guadeloupe site must be in Guadeloupe's box).
 * Reasons: 'bad-coordinates' (empty / not a number), 'projected-coordinates' (metres,
 * e.g. Lambert-93), 'swapped-lat-lon' (the pair is plausible only with the axes swapped),
 * 'wrong-region' (in France but not where its département is), 'outside-france'.
 */
export function checkLonLat(lon: number, lat: number, departement = '', rawLon = String(lon), rawLat = String(lat)): PointCheck {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
    return { ok: false, reason: 'bad-coordinates', detail: `longitude "${rawLon}", latitude "${rawLat}" are not both numbers` };
  }
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
    const l93 = looksLambert93(lon, lat) || looksLambert93(lat, lon);
    return {
      ok: false,
      reason: 'projected-coordinates',
      detail: l93
        ? `longitude ${rawLon}, latitude ${rawLat} look like Lambert-93 (EPSG:2154) metres, not WGS84 degrees`
        : `longitude ${rawLon}, latitude ${rawLat} are outside ±180/±90: projected metres, not WGS84 degrees`,
    };
  }
  const want = regionOfDepartement(departement);
  const here = regionOf(lon, lat);
  if (here !== '' && (want === '' || want === here)) return { ok: true };
  const swapped = regionOf(lat, lon);
  if (swapped !== '' && (want === '' || want === swapped)) {
    return { ok: false, reason: 'swapped-lat-lon', detail: `longitude ${rawLon}, latitude ${rawLat} are plausible only swapped (latitude and longitude columns exchanged?)` };
  }
  if (here !== '') {
    return { ok: false, reason: 'wrong-region', detail: `point (${rawLon}, ${rawLat}) is in ${here === 'metro' ? 'metropolitan France' : here} but its département is ${departement}` };
  }
  return { ok: false, reason: 'outside-france', detail: `point (${rawLon}, ${rawLat}) is outside metropolitan France and every overseas territory` };
}
