/**
 * @fs-access/graph — road graphs on typed arrays and the searches on them.
 *
 * Units: arc costs are non-negative integers in the caller's unit (DIMACS files keep
 * theirs; the OSM car graph uses deciseconds). Node ids are 0-based (DIMACS id − 1).
 * Coordinates are [lon, lat] in degrees.
 *
 * Invariants: a RoadGraph never holds parallel arcs (the cheapest is kept) nor self-loops;
 * its forward and reverse CSR describe the same arcs; all arrays share one buffer.
 */
export { RoadGraph, GraphFormatError, type EdgeList, type BuildOptions } from './road-graph.ts';
export {
  nearestSources,
  BoundedSearch,
  shortestPath,
  maxArcCost,
  UNREACHED,
  type Direction,
  type QueueKind,
  type SearchOptions,
  type NearestOptions,
  type NearestResult,
  type PathResult,
} from './search.ts';
export { BinaryHeap, BucketQueue, type CostQueue } from './queues.ts';
export { stronglyConnectedComponents, largestComponent, type Components, type LargestComponent } from './components.ts';
export {
  parseDimacsGraph,
  parseDimacsCoords,
  formatDimacsGraph,
  formatDimacsCoords,
  DimacsError,
  type DimacsGraph,
  type ByteSource,
} from './dimacs.ts';
export { readDimacsFile, writeDimacsFile, writeTextAtomic, readFileBytes } from './files.ts';
export { hilbertOrder, renumber } from './order.ts';
