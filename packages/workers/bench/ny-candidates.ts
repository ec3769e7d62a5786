/**
 * Road-mode siting benchmark on DIMACS NY (264,346 nodes, 733,846 arcs, travel times):
 * households at every node (weight 1), 50 random existing sites, 1,000 random candidate
 * nodes (distinct, not sites). The cut-off T is the 5th percentile of the finite costs of
 * the multi-source search from the 50 sites (nearest rank: the ⌈0.05·N⌉-th smallest of
 * the N reached nodes' costs), so 5 % of households count as already covered.
 *
 * Timed, median of 5: cover sets of all 1,000 candidates (one bounded reverse search each,
 * cut at T) + CELF k = 5, with the work in 1 worker, in 2 workers, and in-process. Pool
 * start-up (spawn, tsx, graph handed over as a SharedArrayBuffer) is timed apart: it is
 * paid once per session, not per question. Every variant's result is checked identical.
 *
 * Usage: pnpm tsx packages/workers/bench/ny-candidates.ts [--candidates N] [--runs R] [--percentile P] [--json]
 * Prints one markdown table row, or with --json one JSON object (read by `pnpm bench`, suite `siting`).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { nearestSources, readDimacsFile, UNREACHED } from '@fs-access/graph';
import { maximalCovering, type CoverSets } from '@fs-access/siting';
import { CoverPool, coverSetsInProcess } from '../src/index.ts';

const { values } = parseArgs({
  options: {
    graph: { type: 'string' },
    candidates: { type: 'string', default: '1000' },
    sites: { type: 'string', default: '50' },
    runs: { type: 'string', default: '5' },
    percentile: { type: 'string', default: '5' },
    k: { type: 'string', default: '5' },
    chunk: { type: 'string' },
    queue: { type: 'string', default: 'heap' },
    json: { type: 'boolean', default: false },
  },
});
const here = path.dirname(fileURLToPath(import.meta.url));
const grPath = values.graph ?? path.resolve(here, '../../../../shared/data/graphs/USA-road-t.NY.gr.gz');
const nCand = Number(values.candidates);
const nSites = Number(values.sites);
const runs = Number(values.runs);
const pct = Number(values.percentile);
const k = Number(values.k);
const chunkSize = values.chunk === undefined ? undefined : Number(values.chunk);
const queue = values.queue === 'bucket' ? 'bucket' : 'heap';

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const graph = await readDimacsFile(grPath, undefined, { shared: true });
const r = rng(20240801);
const taken = new Uint8Array(graph.n);
const pickDistinct = (count: number) => {
  const out = new Uint32Array(count);
  for (let i = 0; i < count; ) {
    const v = Math.floor(r() * graph.n);
    if (taken[v]) continue;
    taken[v] = 1;
    out[i++] = v;
  }
  return out;
};
const sites = pickDistinct(nSites);
const candidates = pickDistinct(nCand);

const near = nearestSources(graph, sites);
const finite = Array.from(near.cost).filter((c) => c !== UNREACHED).sort((a, b) => a - b);
const T = finite[Math.max(0, Math.ceil((pct / 100) * finite.length) - 1)];
const alreadyCovered = Uint8Array.from(near.cost, (c) => (c <= T ? 1 : 0));

function solve(cover: CoverSets) {
  return maximalCovering({ cover, alreadyCovered, k });
}

async function timeIt(run: () => Promise<string> | string): Promise<{ ms: number; min: number; max: number; out: string }> {
  let out = '';
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    out = await run();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), min: Math.min(...times), max: Math.max(...times), out };
}

const inProc = await timeIt(() => JSON.stringify(solve(coverSetsInProcess({ graph, queue }, candidates, T))));

const byWorkers: { size: number; ms: number; min: number; max: number; startMs: number; out: string }[] = [];
for (const size of [1, 2]) {
  const t0 = performance.now();
  const pool = await CoverPool.create({ graph, size, queue });
  const startMs = performance.now() - t0;
  try {
    // One untimed round warms the JIT in each worker, as the in-process run had its own.
    await pool.coverSets(candidates, T, { chunkSize });
    const t = await timeIt(async () => JSON.stringify(solve(await pool.coverSets(candidates, T, { chunkSize }))));
    byWorkers.push({ size, ...t, startMs });
  } finally {
    await pool.close();
  }
}

for (const w of byWorkers) {
  if (w.out !== inProc.out) throw new Error(`${w.size} worker(s) gave a different result than the in-process run`);
}
const sets = coverSetsInProcess({ graph, queue }, candidates, T);
const picks = solve(sets);
const speedup = byWorkers[0].ms / byWorkers[1].ms;
const f = (ms: number) => `${ms.toFixed(0)} ms`;
process.stderr.write(
  `NY: ${graph.n} nodes, ${graph.m} arcs; ${nSites} sites, ${nCand} candidates, T = p${pct} = ${T} (${alreadyCovered.reduce((a, b) => a + b, 0)} nodes already covered); ` +
    `cover sets hold ${sets.units.length} entries (${(sets.units.length / nCand).toFixed(0)} per candidate); CELF k=${k} newly covers ${picks.covered - picks.baseline} nodes in ${picks.evaluations} evaluations\n` +
    `pool start-up: 1 worker ${f(byWorkers[0].startMs)}, 2 workers ${f(byWorkers[1].startMs)}; results identical for in-process, 1 and 2 workers; ` +
    `load average at the end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores (a busy machine flattens the speed-up)\n`,
);
if (values.json) {
  const pick = (w: (typeof byWorkers)[number]) => ({ ms: w.ms, min: w.min, max: w.max, startMs: w.startMs });
  process.stdout.write(
    JSON.stringify({ nodes: graph.n, arcs: graph.m, sites: nSites, candidates: nCand, percentile: pct, T, k, coverEntries: sets.units.length, newlyCovered: picks.covered - picks.baseline, inProcessMs: inProc.ms, oneWorker: pick(byWorkers[0]), twoWorkers: pick(byWorkers[1]), speedup }) + '\n',
  );
} else {
  process.stdout.write(
    `| NY road siting: ${nCand} candidate cover sets (T = p${pct} = ${T}) + CELF k=${k} | ${graph.n.toLocaleString('en')} nodes, ${nSites} sites | ` +
      `${f(byWorkers[0].ms)} (1 worker) | ${f(byWorkers[1].ms)} (2 workers) | ${speedup.toFixed(2)}× | in-process ${f(inProc.ms)} |\n`,
  );
}
