/**
 * @fs-access/osm — OpenStreetMap extracts to a car road graph, snapping, routes.
 *
 * Units: arc weights of `CarGraph.graph` are travel times in deciseconds (integers, ≥ 1 on
 * any arc with a length); `distanceGraph()` weights are decimetres; lengths are metres
 * (haversine, mean Earth radius 6,371,008.8 m); speeds km/h; coordinates [lon, lat] degrees.
 *
 * Invariants: the car graph is strongly connected (largest component kept, the rest
 * counted in `stats`), holds no parallel arcs (a road joining the same two nodes as
 * another is split by an extra node) and keeps the full geometry of every arc.
 *
 * Reading works in Node and in browsers: only a path input (and node:zlib) uses Node APIs.
 */
export { buildCarGraph, CarGraph, type CarGraphStats, type CarGraphParts, type BuildCarGraphOptions } from './build.ts';
export { carProfile, evaluateWay, parseMaxspeed, relevantKeys, tagsOf, type CarProfile, type WayRule } from './profile.ts';
export { Snapper, type Snap } from './snap.ts';
export { route, type RouteOptions, type RouteResult, type RouteMetric } from './route.ts';
export { readOsm, countOsm, OsmPasses, type OsmInput, type ReadOptions, type OsmCounts } from './source.ts';
export {
  fileBlocks,
  blobData,
  BlockDecoder,
  fflateInflate,
  type FileBlock,
  type Inflate,
  type BlockVisitor,
  type WayView,
  type TagGetter,
  type BlockCounts,
} from './pbf.ts';
export { parseOsmXml } from './xml.ts';
export { OsmFormatError, RouteError } from './errors.ts';
export { haversineM, EARTH_RADIUS_M } from './geo.ts';
