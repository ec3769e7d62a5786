/** Fuzzing buildCarGraph (OSM PBF): generated and mutated inputs; only typed errors or a valid result (see fuzz.ts). */
import { expect, it } from 'vitest';
import { assertClean, ciRuns, fuzzSeed, runFuzz } from './fuzz.ts';
import path from 'node:path';
import { monacoPrefix, pbfTarget, realPbfTarget } from './targets-binary.ts';

const runs = ciRuns();

it(`buildCarGraph (OSM PBF): ${runs} generated inputs, no crash, only typed errors`, async () => {
  const report = await runFuzz(pbfTarget, runs, fuzzSeed());
  assertClean(report, runs, 0.05);
  expect(report.runs).toBe(runs);
});

const prefix = monacoPrefix(process.env.FS_ACCESS_MIRROR ?? path.resolve(__dirname, '../../../shared/data'));
const realRuns = Math.max(1, Math.round(runs / 5));

it.skipIf(!prefix)(`readOsm: ${realRuns} mutations of the first blocks of monaco.osm.pbf (read from the mirror), only OsmFormatError`, async () => {
  const report = await runFuzz(realPbfTarget(prefix!), realRuns, fuzzSeed());
  assertClean(report, realRuns, 0);
  expect(report.outcomes.OsmFormatError).toBeGreaterThan(0);
});
