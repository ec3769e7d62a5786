/**
 * `pnpm bench` — runs the benchmark suites and writes benchmarks/RESULTS.md and
 * benchmarks/results.json.
 *
 *   pnpm bench                      every suite, 7 timed runs per measurement
 *   pnpm bench --quick              5 timed runs per measurement (the minimum we quote)
 *   pnpm bench --suite graph-ny     one suite alone (repeatable); its rows replace that
 *                                   suite's rows in the existing results, the others stay
 *   pnpm bench --runs 9             explicit run count (≥ 5)
 *   pnpm bench --list               the suites
 *
 * A peer that is not installed is reported as `skipped: <reason>`; a suite that crashes is
 * reported as an error row and makes the exit code 1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR } from './paths.ts';
import { machineInfo, renderMarkdown, toJson, writeAtomic, type ResultsFile } from './report.ts';
import { nationalGrid, report, siting } from './suites/applications.ts';
import { france } from './suites/france.ts';
import { graphBay, graphNy } from './suites/graph.ts';
import { pgrouting } from './suites/pgrouting.ts';
import { synthetic } from './suites/synthetic.ts';
import type { BenchRow, Suite } from './types.ts';

const osmSuite: Suite = {
  name: 'osm',
  description: 'OSM extracts through the car profile (benchmarks/src/osm.ts)',
  run: async () => {
    const file = path.join(BENCH_DIR, 'src/osm.ts');
    if (!fs.existsSync(file)) return [{ suite: 'osm', input: 'OSM extracts', size: '', ours_ms: NaN, peer: 'skipped: benchmarks/src/osm.ts not present yet' }];
    // A variable specifier keeps the type checker from requiring a module that may not exist yet.
    const spec = './osm.ts';
    const mod = (await import(spec)) as { runOsmBench?: () => Promise<BenchRow[]> };
    if (typeof mod.runOsmBench !== 'function') return [{ suite: 'osm', input: 'OSM extracts', size: '', ours_ms: NaN, peer: 'skipped: src/osm.ts does not export runOsmBench()' }];
    return mod.runOsmBench();
  },
};

export const SUITES: Suite[] = [graphNy, graphBay, pgrouting, synthetic, france, osmSuite, report, siting, nationalGrid];

class UsageError extends Error {
  override name = 'UsageError';
}

function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  const names = (values.suite ?? []).flatMap((s) => s.split(',')).filter(Boolean);
  for (const n of names) {
    if (!SUITES.some((s) => s.name === n)) throw new UsageError(`unknown suite "${n}"; suites: ${SUITES.map((s) => s.name).join(', ')}`);
  }
  let runs = values.quick ? 5 : 7;
  if (values.runs !== undefined) {
    runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 5) throw new UsageError(`--runs must be an integer ≥ 5 (medians of fewer runs are not quoted), got "${values.runs}"`);
  }
  return { names, runs, quick: values.quick!, list: values.list!, help: values.help! };
}

async function main(): Promise<number> {
  let opts: ReturnType<typeof parseCli>;
  try {
    opts = parseCli(process.argv.slice(2).filter((a) => a !== '--'));
  } catch (e) {
    process.stderr.write(`${(e as Error).name}: ${(e as Error).message}\nUsage: pnpm bench [--suite NAME]… [--quick] [--runs N] [--list]\n`);
    return 2;
  }
  if (opts.help || opts.list) {
    for (const s of SUITES) process.stdout.write(`${s.name.padEnd(18)} ${s.description}\n`);
    return 0;
  }
  const selected = opts.names.length ? SUITES.filter((s) => opts.names.includes(s.name)) : SUITES;
  const tmpRoot = path.join(BENCH_DIR, '.tmp');
  fs.mkdirSync(tmpRoot, { recursive: true });
  const tmpDir = fs.mkdtempSync(path.join(tmpRoot, 'run-'));
  const start = performance.now();
  const log = (m: string) => process.stderr.write(`[${((performance.now() - start) / 1000).toFixed(0).padStart(4)} s] ${m}\n`);

  const jsonFile = path.join(BENCH_DIR, 'results.json');
  let previous: ResultsFile | undefined;
  if (opts.names.length && fs.existsSync(jsonFile)) {
    try {
      previous = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as ResultsFile;
    } catch {
      previous = undefined;
    }
  }
  const results: ResultsFile = {
    generated: new Date().toISOString(),
    machine: machineInfo(),
    suites: { ...(previous?.suites ?? {}) },
    rows: [],
  };
  const fresh = new Map<string, BenchRow[]>();
  let failed = 0;
  try {
    for (const suite of selected) {
      log(`suite ${suite.name}: ${suite.description}`);
      const t0 = performance.now();
      const load0 = os.loadavg()[0];
      let rows: BenchRow[];
      try {
        rows = await suite.run({ runs: opts.runs, quick: opts.quick, tmpDir: path.join(tmpDir, suite.name), log });
      } catch (e) {
        failed++;
        const err = e as Error;
        log(`suite ${suite.name} FAILED: ${err.stack ?? err.message}`);
        rows = [{ suite: suite.name, input: 'suite failed', size: '', ours_ms: NaN, peer: `error: ${err.name}: ${err.message}` }];
      }
      fresh.set(suite.name, rows);
      results.suites[suite.name] = { ran: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', runs: opts.runs, seconds: (performance.now() - t0) / 1000, first: 0, count: 0, load: [load0, os.loadavg()[0]] };
    }
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  // Suite order as declared; suites not run this time keep their previous rows.
  for (const s of SUITES) {
    let rows = fresh.get(s.name);
    if (!rows) {
      const old = previous?.suites[s.name];
      rows = old && Number.isInteger(old.first) && Number.isInteger(old.count) ? previous!.rows.slice(old.first, old.first + old.count) : [];
    }
    if (rows.length === 0 && !fresh.has(s.name)) {
      delete results.suites[s.name];
      continue;
    }
    results.suites[s.name] = { ...results.suites[s.name], first: results.rows.length, count: rows.length };
    results.rows.push(...rows);
  }
  writeAtomic(jsonFile, toJson(results));
  writeAtomic(path.join(BENCH_DIR, 'RESULTS.md'), renderMarkdown(results));
  log(`wrote benchmarks/RESULTS.md and benchmarks/results.json (${results.rows.length} rows)${failed ? `; ${failed} suite(s) failed` : ''}`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
