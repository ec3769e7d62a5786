/**
 * The bad-input catalogue: every reader and every command fed wrong files and wrong
 * values. Each case asserts the outcome exactly (error class and message, or rejected
 * record with reason, line and detail, or exit code and stderr line) and that nothing was
 * written: the case's folder holds its inputs and nothing else afterwards (no output, no
 * `.tmp-*` leftover). docs/bad-inputs.md is rendered from the same list and checked here
 * (regenerate it with `UPDATE_CATALOGUE=1 pnpm vitest run test/bad-inputs`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCases, renderCatalogue } from './catalogue.ts';
import { CaseDir, hasSharedData, repoRoot } from './harness.ts';

const DOC = path.join(repoRoot, 'docs/bad-inputs.md');

describe('bad-input catalogue', () => {
  const groups = new Map<string, typeof allCases>();
  for (const c of allCases) {
    const g = c.outcome === 'exit' ? 'commands' : 'readers';
    groups.set(g, [...(groups.get(g) ?? []), c]);
  }
  for (const [group, cases] of groups) {
    // Commands run as child processes: a few at once hides their start-up time.
    const d = group === 'commands' ? describe.concurrent : describe;
    d(group, () => {
      for (const c of cases) {
        it.skipIf(c.needsData && !hasSharedData)(`${c.id}: ${c.target} — ${c.input}`, async () => {
          const t = new CaseDir(c.id);
          try {
            await c.run(t);
            expect(t.extra(), 'files left in the case folder besides the inputs').toEqual([]);
          } finally {
            t.remove();
          }
        });
      }
    });
  }

  it('has unique ids, at least 30 error cases, every reader and command', () => {
    const ids = allCases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(allCases.filter((c) => c.outcome === 'error' || c.outcome === 'exit').length).toBeGreaterThanOrEqual(30);
    const targets = new Set(allCases.map((c) => c.target.split(' ').slice(0, 2).join(' ')));
    for (const t of ['loadSites', 'loadInseeGrid', 'loadGridTiles', 'loadCommuneHouseholds', 'buildCarGraph', 'readDimacsFile', 'readCostMatrix']) expect(targets).toContain(t);
    for (const cmd of ['report', 'nearest', 'route', 'cover', 'data']) expect(targets).toContain(`fs-access ${cmd}`);
  });

  it('docs/bad-inputs.md lists every case', () => {
    const text = renderCatalogue(allCases);
    if (process.env.UPDATE_CATALOGUE) {
      fs.mkdirSync(path.dirname(DOC), { recursive: true });
      fs.writeFileSync(DOC, text);
    }
    expect(fs.readFileSync(DOC, 'utf8')).toBe(text);
  });
});
