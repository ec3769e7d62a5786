/**
 * Gap outlines: our edge tracing (cellsToPolygons) against turf's union of one square per
 * cell, on the real uncovered cells of Haute-Vienne (grid, crow-fly model, 15 and 20 min).
 * Also checks that both give the same area.
 *
 *   pnpm tsx packages/access/bench/gap-outlines.ts
 */
import { union } from '@turf/union';
import { featureCollection, polygon } from '@turf/helpers';
import { dataPath, insideOutline, loadGridTiles, loadOutlines, loadSites, outlineBBox } from '@fs-access/data';
import { CrowFlyModel, cellsToPolygons, findGaps } from '../src/index.ts';

const deps = loadOutlines(dataPath('admin/departements.geojson'));
const cells = await loadGridTiles(dataPath('filosofi/men/2019/200m'), undefined, { bbox: outlineBBox(deps, '87'), keep: insideOutline(deps, '87') });
const sites = await loadSites(dataPath('france-services/liste-fs-20240801.csv'));
const nearest = new CrowFlyModel().forUnits(cells).nearest(sites);

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

for (const minutes of [15, 20]) {
  const gaps = findGaps(cells, nearest, minutes * 60);
  const all = gaps.flatMap((g) => Array.from(g.units));
  const ci = all.map((u) => Math.round(cells.x3035[u] / 200));
  const cj = all.map((u) => Math.round(cells.y3035[u] / 200));
  const ours: number[] = [];
  let parts = 0;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    parts = cellsToPolygons(ci, cj).length;
    ours.push(performance.now() - t);
  }
  // turf: one square per cell (cell-index coordinates, like ours), unioned at once.
  const squares = ci.map((i, k) => polygon([[[i, cj[k]], [i + 1, cj[k]], [i + 1, cj[k] + 1], [i, cj[k] + 1], [i, cj[k]]]]));
  const turf: number[] = [];
  let turfParts = 0;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const u = union(featureCollection(squares));
    turf.push(performance.now() - t);
    turfParts = u ? (u.geometry.type === 'Polygon' ? 1 : u.geometry.coordinates.length) : 0;
  }
  console.log(
    `${minutes} min: ${all.length} uncovered cells, ${gaps.length} gaps — cellsToPolygons ${median(ours).toFixed(1)} ms (${parts} polygons), turf union ${median(turf).toFixed(1)} ms (${turfParts} polygons), ratio ${(median(turf) / median(ours)).toFixed(0)}×`,
  );
}
