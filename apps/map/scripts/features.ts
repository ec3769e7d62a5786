/**
 * The households layer as GeoJSON (tiled once by prepare-data, drawn by MapLibre from the
 * vector tiles): feature id = unit index, properties `unit` (the same) and `t` = minutes to
 * the nearest site in the report (-1: no site). Grid: the 200 m EPSG:3035 squares; commune
 * level: the commune outlines (2018 outlines of since-merged communes carry the merged
 * commune's unit), or a 1 km square at the centroid where a commune has no outline.
 */
import { fromEpsg3035 } from '@fs-access/access';
import type { Households } from '@fs-access/data';
import { colourMinutes } from '../src/legend.ts';

type Feature = { type: 'Feature'; id: number; properties: { unit: number; t: number }; geometry: { type: string; coordinates: unknown } };

const r5 = (x: number) => Math.round(x * 1e5) / 1e5;


function square(units: Households, i: number, cellSizeM: number): number[][] {
  let ring: number[][];
  if (units.kind === 'grid') {
    const x = units.x3035[i];
    const y = units.y3035[i];
    ring = [fromEpsg3035(x, y), fromEpsg3035(x + cellSizeM, y), fromEpsg3035(x + cellSizeM, y + cellSizeM), fromEpsg3035(x, y + cellSizeM)].map(([a, b]) => [r5(a), r5(b)]);
  } else {
    const dLat = 500 / 111_320;
    const dLon = dLat / Math.cos((units.lat[i] * Math.PI) / 180);
    const [lon, lat] = [units.lon[i], units.lat[i]];
    ring = [
      [r5(lon - dLon), r5(lat - dLat)],
      [r5(lon + dLon), r5(lat - dLat)],
      [r5(lon + dLon), r5(lat + dLat)],
      [r5(lon - dLon), r5(lat + dLat)],
    ];
  }
  ring.push(ring[0]);
  return ring;
}

/**
 * The layer's text. `outlines`: commune outline features whose `properties.unit` is the
 * unit they show (commune level only).
 */
export function householdLayer(units: Households, minutes: ArrayLike<number>, cellSizeM: number, outlines: { properties: { unit: number }; geometry: Feature['geometry'] }[] = []): GeoJSON.FeatureCollection {
  const hasOutline = new Uint8Array(units.count);
  const parts: Feature[] = [];
  const push = (f: Feature) => parts.push(f);
  if (units.kind === 'communes') {
    for (const o of outlines) {
      const u = o.properties.unit;
      if (!(u >= 0 && u < units.count)) continue;
      hasOutline[u] = 1;
      push({ type: 'Feature', id: u, properties: { unit: u, t: colourMinutes(minutes[u]) }, geometry: o.geometry });
    }
  }
  for (let i = 0; i < units.count; i++) {
    if (hasOutline[i]) continue;
    push({ type: 'Feature', id: i, properties: { unit: i, t: colourMinutes(minutes[i]) }, geometry: { type: 'Polygon', coordinates: [square(units, i, cellSizeM)] } });
  }
  return { type: 'FeatureCollection', features: parts as unknown as GeoJSON.Feature[] };
}
