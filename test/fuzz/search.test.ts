/** Fuzzing the graph searches against the brute-force oracle on every generated graph. */
import { expect, it } from 'vitest';
import { assertClean, ciRuns, fuzzSeed, runFuzz } from './fuzz.ts';
import { searchTarget } from './targets-search.ts';

const runs = ciRuns();

it(`nearestSources / BoundedSearch / shortestPath equal Floyd–Warshall on ${runs} random graphs`, async () => {
  const report = await runFuzz(searchTarget, runs, fuzzSeed());
  assertClean(report, runs, 1, false);
  expect(report.outcomes).toEqual({ ok: runs });
});
