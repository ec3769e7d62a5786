/** Fuzzing loadSites: generated and mutated inputs; only typed errors or a valid result (see fuzz.ts). */
import { expect, it } from 'vitest';
import { assertClean, ciRuns, fuzzSeed, runFuzz } from './fuzz.ts';
import { sitesTarget } from './targets-csv.ts';

const runs = ciRuns();

it(`loadSites: ${runs} generated inputs, no crash, only typed errors`, async () => {
  const report = await runFuzz(sitesTarget, runs, fuzzSeed());
  assertClean(report, runs, 0.05);
  expect(report.runs).toBe(runs);
});
