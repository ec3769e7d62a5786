/**
 * Stands in for modules the browser build never runs (the HiGHS ILP solver behind
 * @fs-access/siting's exact solvers, csv-parse behind its cost-matrix reader): the map
 * only uses the greedy. Keeps a 3.5 MB WebAssembly file out of the bundle.
 */
function unavailable(): never {
  throw new Error('not available in the browser build of the map');
}
export default unavailable;
export const parse = unavailable;
