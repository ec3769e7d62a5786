/** The whole catalogue, and its rendering as docs/bad-inputs.md. */
import type { Case } from './case.ts';
import { dataCases } from './cases-data.ts';
import { fileCases } from './cases-files.ts';
import { commandCases, planningCases } from './cases-commands.ts';

export const allCases: Case[] = [...dataCases, ...fileCases, ...commandCases, ...planningCases];

const OUTCOME: Record<Case['outcome'], string> = {
  error: 'typed error',
  rejection: 'row rejected',
  accepted: 'read correctly',
  exit: 'command fails',
};

/** docs/bad-inputs.md: the list of cases, grouped by reader / command. */
export function renderCatalogue(cases: Case[]): string {
  const errors = cases.filter((c) => c.outcome === 'error' || c.outcome === 'exit').length;
  const out: string[] = [
    '# Bad inputs: what fs-access does with them',
    '',
    '<!-- Generated from test/bad-inputs/*.ts by `UPDATE_CATALOGUE=1 pnpm vitest run test/bad-inputs`; do not edit. -->',
    '',
    `The catalogue \`test/bad-inputs\` runs ${cases.length} cases (${errors} ending in a typed error or a failed`,
    'command) through every reader and every command. Each case asserts the exact outcome and that',
    'nothing was written: the folder the case ran in holds its inputs and nothing else afterwards',
    '(no output file or folder, no `.tmp-*` leftover). In messages below, FILE stands for the',
    "input's path.",
    '',
    '- **typed error**: a whole-file problem. The error has its own class (`name`) and a message',
    '  naming the file and the line (`FILE:LINE: …`) or the PBF block (`FILE: blob N at byte B: …`).',
    '- **row rejected**: a problem in one record. The record goes to `rejected` with file, line,',
    '  reason and detail; the rest is used and the report counts the rejected households',
    '  ("nothing is lost"). When *every* row is rejected, or most rows have swapped or projected',
    '  coordinates (a column problem), the loader throws `UnusableInputError` instead.',
    '- **read correctly**: tolerated variations (a BOM, `;` with decimal commas, repeated postal codes).',
    '- **command fails**: `fs-access` exits with 1 (bad input data: `fs-access CMD: ErrorName: message`)',
    '  or 2 (bad command line: `fs-access CMD: message` and the usage), never with a stack trace.',
    '',
  ];
  const byTarget = new Map<string, Case[]>();
  for (const c of cases) byTarget.set(c.target, [...(byTarget.get(c.target) ?? []), c]);
  for (const [target, list] of byTarget) {
    out.push(`## ${target}`, '', '| case | input | outcome | expected |', '|---|---|---|---|');
    for (const c of list) out.push(`| \`${c.id}\` | ${c.input.replaceAll('|', '\\|')} | ${OUTCOME[c.outcome]} | ${c.expected.replaceAll('|', '\\|')} |`);
    out.push('');
  }
  out.push(
    '## Fuzzing',
    '',
    '`test/fuzz` feeds generated and mutated inputs to every reader — 10,000 per reader in CI',
    '(small valid OSM PBF files with raw or zlib blobs, then byte mutations, and 2,000 mutations of',
    'the first blocks of the real Monaco extract; DIMACS `.gr`/`.co` with token-level damage and',
    'any chunking; sites, INSEE grid, communes and cost-matrix CSV built from their real columns',
    'with good and bad values, separators, line endings, a BOM, then byte damage) and checks each',
    'result: only the typed errors above, or a result that passes the reader\'s invariants (ids',
    'unique, coordinates in France, counts finite and ≥ 0, a DIMACS graph equal to its arcs). The',
    'graph searches (`nearestSources` with both queues and directions, `BoundedSearch`,',
    '`shortestPath`) are checked against Floyd–Warshall on 10,000 random graphs. The long run is',
    '`pnpm fuzz` (100,000 inputs per target by default, a random seed, `--runs N --seed S --only …`);',
    'a failure prints the shrunk counterexample and the seed that replays it',
    '(`FUZZ_SEED=S FUZZ_RUNS=N pnpm vitest run test/fuzz`).',
    '',
    '## Interrupted work and memory',
    '',
    '`test/bad-inputs/interrupted.test.ts`: `data fetch` killed (SIGKILL) mid-download resumes with a',
    'Range request and checks the sha256; a damaged partial file is detected and the download',
    'restarts from 0; a `report` interrupted while loading leaves nothing, interrupted (SIGTERM,',
    'SIGKILL) while writing leaves no output folder or a complete one, and the next run removes',
    'the temp folder a SIGKILL left. `test/memory` reads a 300,000-cell synthetic INSEE grid and',
    'checks the peak memory per cell against the 1.5 GB budget for the national 2.3 M cells; the',
    'full run is `pnpm tsx scripts/make-national-grid.ts --measure`.',
    '',
  );
  return out.join('\n');
}
