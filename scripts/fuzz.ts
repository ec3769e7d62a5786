/**
 * The long fuzzing run: every target of test/fuzz (OSM PBF generated and real, DIMACS,
 * the four CSV readers, the graph searches against brute force) on many more inputs than
 * CI, with a fresh random seed unless one is given. Prints one line per target and a
 * summary; exits 1 if any input made a reader crash (the shrunk counterexample is printed,
 * with the seed that replays it: FUZZ_SEED=S FUZZ_RUNS=N pnpm vitest run test/fuzz).
 *
 *   pnpm fuzz [--runs 100000] [--seed S] [--jobs 2] [--only pbf,dimacs,…]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runFuzz, type FuzzReport, type FuzzTarget } from '../test/fuzz/fuzz.ts';
import { dimacsTarget, monacoPrefix, pbfTarget, realPbfTarget } from '../test/fuzz/targets-binary.ts';
import { communesTarget, costsTarget, gridTarget, sitesTarget } from '../test/fuzz/targets-csv.ts';
import { searchTarget } from '../test/fuzz/targets-search.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mirror = process.env.FS_ACCESS_MIRROR ?? path.resolve(root, '../shared/data');

function targets(): FuzzTarget<unknown, unknown>[] {
  const list: FuzzTarget<never, never>[] = [pbfTarget, dimacsTarget, sitesTarget, gridTarget, communesTarget, costsTarget, searchTarget] as never;
  const prefix = monacoPrefix(mirror);
  if (prefix) list.splice(1, 0, realPbfTarget(prefix) as never);
  return list as FuzzTarget<unknown, unknown>[];
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    seed: { type: 'string' },
    jobs: { type: 'string' },
    only: { type: 'string' },
    child: { type: 'boolean' },
  },
});
const runs = values.runs ? Number(values.runs) : 100_000;
const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const jobs = values.jobs ? Number(values.jobs) : 2;
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1, got ${values.runs}`);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
const wanted = values.only?.split(',').map((s) => s.trim());
const chosen = targets().filter((t) => !wanted || wanted.includes(t.name));
if (wanted && chosen.length !== wanted.length) throw new Error(`--only: unknown target(s); targets: ${targets().map((t) => t.name).join(', ')}`);

if (values.child) {
  // One target in this process: print its report as JSON for the parent.
  const t0 = process.cpuUsage();
  const report = await runFuzz(chosen[0], runs, seed);
  const cpu = process.cpuUsage(t0);
  // Peak memory of the whole run: a reader that sizes arrays from a corrupt length shows here.
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ...report, cpuS: (cpu.user + cpu.system) / 1e6, maxRssMB }) + '\n');
} else {
  process.stderr.write(`fuzz: ${chosen.length} targets × ${runs.toLocaleString('en')} inputs, seed ${seed}, ${jobs} at a time\n`);
  const queue = [...chosen];
  const reports: (FuzzReport & { cpuS: number; maxRssMB: number })[] = [];
  /** A fuzz process is small: more than this means some input made a reader allocate far beyond its size. */
  const RSS_LIMIT_MB = 1024;
  const t0 = performance.now();
  const runChild = (t: FuzzTarget<unknown, unknown>) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', '--only', t.name, '--runs', String(runs), '--seed', String(seed)], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.on('error', reject);
      child.on('close', (code) => {
        const line = out.trim().split('\n').pop() ?? '';
        if (code !== 0 || !line.startsWith('{')) return reject(new Error(`${t.name}: fuzz child exited with ${code}`));
        const r = JSON.parse(line) as FuzzReport & { cpuS: number; maxRssMB: number };
        if (r.maxRssMB > RSS_LIMIT_MB && !r.failure) r.failure = `${r.target}: peak memory ${r.maxRssMB.toFixed(0)} MB over ${RSS_LIMIT_MB} MB: an input made a reader allocate far beyond its size (rerun with --only ${r.target} --seed ${seed} and bisect --runs)`;
        reports.push(r);
        const outcomes = Object.entries(r.outcomes)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        process.stdout.write(`${r.failure ? 'FAIL' : 'ok  '} ${r.target.padEnd(12)} ${String(r.runs).padStart(8)} inputs  ${(r.ms / 1000).toFixed(0).padStart(5)} s wall ${r.cpuS.toFixed(0).padStart(5)} s cpu ${r.maxRssMB.toFixed(0).padStart(5)} MB  ${outcomes}\n`);
        if (r.failure) process.stdout.write(r.failure + '\n');
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: Math.max(1, jobs) }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) await runChild(t);
    }),
  );
  const failed = reports.filter((r) => r.failure);
  const total = reports.reduce((s, r) => s + r.runs, 0);
  process.stdout.write(
    `fuzz: ${total.toLocaleString('en')} inputs over ${reports.length} targets in ${((performance.now() - t0) / 1000).toFixed(0)} s (seed ${seed}): ${failed.length === 0 ? 'no crash' : `${failed.length} target(s) FAILED: ${failed.map((r) => r.target).join(', ')}`}\n`,
  );
  if (failed.length > 0) process.exitCode = 1;
}
