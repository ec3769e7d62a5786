/**
 * Vector tiles of the households layer, written once by prepare-data so that the page
 * loads only the few tiles in view (instead of parsing and tiling 25,000 polygons in the
 * browser). Tiled with MapLibre's own geojson-vt and encoded with its vt-pbf (the versions
 * MapLibre reads): layer `households` (feature id = unit index) and `communes` (outlines).
 */
import fs from 'node:fs';
import path from 'node:path';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';

export interface LayerOptions {
  data: GeoJSON.FeatureCollection;
  /** geojson-vt simplification tolerance; 0 keeps every 200 m square at every zoom. */
  tolerance: number;
  /** Tile buffer (tile units of 4096). */
  buffer: number;
}

function tileX(lon: number, z: number): number {
  return Math.floor(((lon + 180) / 360) * 2 ** z);
}

function tileY(lat: number, z: number): number {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
}

/**
 * Writes `{dir}/{z}/{x}/{y}.pbf` with one layer per entry of `layers`, for every tile
 * touching `bbox` (one tile of margin) at zooms minZoom..maxZoom, empty tiles included (the
 * page asks for every tile within the source bounds). Returns the tiles and bytes written.
 */
export function writeTiles(layers: Record<string, LayerOptions>, dir: string, bbox: [number, number, number, number], o: { minZoom: number; maxZoom: number }): { tiles: number; bytes: number } {
  const indexes = Object.entries(layers).map(
    ([name, l]) => [name, new GeoJSONVT(l.data, { maxZoom: o.maxZoom, indexMaxZoom: o.minZoom, tolerance: l.tolerance, buffer: l.buffer, extent: 4096 })] as const,
  );
  let tiles = 0;
  let bytes = 0;
  for (let z = o.minZoom; z <= o.maxZoom; z++) {
    const x0 = tileX(bbox[0], z) - 1;
    const x1 = tileX(bbox[2], z) + 1;
    const y0 = tileY(bbox[3], z) - 1;
    const y1 = tileY(bbox[1], z) + 1;
    for (let x = x0; x <= x1; x++) {
      fs.mkdirSync(path.join(dir, String(z), String(x)), { recursive: true });
      for (let y = y0; y <= y1; y++) {
        const content = Object.fromEntries(indexes.map(([name, index]) => [name, index.getTile(z, x, y) ?? ({ features: [] } as never)]));
        const pbf = fromGeojsonVt(content, { version: 2, extent: 4096 });
        fs.writeFileSync(path.join(dir, String(z), String(x), `${y}.pbf`), pbf);
        tiles++;
        bytes += pbf.length;
      }
    }
  }
  return { tiles, bytes };
}
