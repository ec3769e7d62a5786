/** Fuzzing loadInseeGrid: generated and mutated inputs; only typed errors or a valid result (see fuzz.ts). */
import { expect, it } from 'vitest';
import { assertClean, ciRuns, fuzzSeed, runFuzz } from './fuzz.ts';
import { gridTarget } from './targets-csv.ts';

const runs = ciRuns();

it(`loadInseeGrid: ${runs} generated inputs, no crash, only typed errors`, async () => {
  const report = await runFuzz(gridTarget, runs, fuzzSeed());
  assertClean(report, runs, 0.05);
  expect(report.runs).toBe(runs);
});
