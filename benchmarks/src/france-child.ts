/**
 * The france-projection workload, run in its own process so that its peak memory
 * (process.resourceUsage().maxRSS) is its own. Prints one JSON line: { rows: BenchRow[] }.
 * Argument: the number of timed runs.
 */
import KDBush from 'kdbush';
import { UNREACHED, nearestSources, type RoadGraph } from '@fs-access/graph';
import { fmtSize, oursRow } from './rows.ts';
import { measure, prng, sampleDistinct, summarize } from './stats.ts';
import { buildSynthetic, syntheticEdges } from './synthetic.ts';
import type { BenchRow } from './types.ts';

/** Assumed size of France's contracted car graph (see README: "France projection"). */
export const FRANCE_NODES = 10_000_000;
/** France services sites (national list of 1 August 2024). */
export const FRANCE_SITES = 2845;
/** Inhabited 200 m cells of INSEE's Filosofi grid for metropolitan France (household points). */
export const FRANCE_HOUSEHOLD_POINTS = 2_300_000;
/** Metropolitan France ≈ 550,000 km²: the grid spacing that gives the same area. */
const SPACING_M = Math.round(Math.sqrt(550_000e6 / FRANCE_NODES));
/** Speed of the leg off the network (household point → snapped node). */
const ACCESS_KMH = 15;

function households(count: number, extent: number, seed: number): Float64Array {
  // 60 % around 2,000 "towns" (Gaussian, σ 1.5 km), 40 % spread uniformly: cells cluster like settlements.
  const rand = prng(seed);
  const towns = new Float64Array(4000);
  for (let i = 0; i < towns.length; i++) towns[i] = rand() * extent;
  const xy = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) {
    let x: number;
    let y: number;
    if (rand() < 0.6) {
      const t = Math.floor(rand() * 2000);
      const r = 1500 * Math.sqrt(-2 * Math.log(1 - rand()));
      const a = 2 * Math.PI * rand();
      x = towns[2 * t] + r * Math.cos(a);
      y = towns[2 * t + 1] + r * Math.sin(a);
    } else {
      x = rand() * extent;
      y = rand() * extent;
    }
    xy[2 * i] = Math.min(extent, Math.max(0, x));
    xy[2 * i + 1] = Math.min(extent, Math.max(0, y));
  }
  return xy;
}

function buildIndex(xy: Float64Array, n: number): KDBush {
  const index = new KDBush(n, 64, Float32Array);
  for (let i = 0; i < n; i++) index.add(xy[2 * i], xy[2 * i + 1]);
  return index.finish();
}

/** Nearest node of every point: kdbush radius queries, doubling the radius until a node is found. */
function snap(index: KDBush, nodeXY: Float64Array, points: Float64Array, r0: number): { node: Uint32Array; metres: Float32Array } {
  const count = points.length / 2;
  const node = new Uint32Array(count);
  const metres = new Float32Array(count);
  const out = new Uint32Array(1024);
  for (let i = 0; i < count; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    let r = r0;
    for (;;) {
      let k = index.withinInto(x, y, r, out);
      let ids: ArrayLike<number> = out;
      if (k > out.length) {
        ids = index.within(x, y, r);
        k = ids.length;
      }
      if (k > 0) {
        let best = -1;
        let bestD = Infinity;
        for (let j = 0; j < k; j++) {
          const v = ids[j];
          const dx = nodeXY[2 * v] - x;
          const dy = nodeXY[2 * v + 1] - y;
          const d = dx * dx + dy * dy;
          if (d < bestD || (d === bestD && v < best)) {
            bestD = d;
            best = v;
          }
        }
        node[i] = best;
        metres[i] = Math.sqrt(bestD);
        break;
      }
      r *= 2;
    }
  }
  return { node, metres };
}

function main(): void {
  const runs = Number(process.argv[2] ?? 5);
  const log = (m: string) => process.stderr.write(`france-projection: ${m}\n`);
  const suite = 'france-projection';
  const rows: BenchRow[] = [];
  const t0 = performance.now();

  log(`generating a ${FRANCE_NODES.toLocaleString('en-US')}-node road-like graph (spacing ${SPACING_M} m)`);
  const edges = syntheticEdges({ nodes: FRANCE_NODES, seed: 33, spacing: SPACING_M });
  const extent = edges.side * SPACING_M;
  const build = measure(() => buildSynthetic(edges), runs);
  const graph: RoadGraph = build.result;
  const size = fmtSize(graph.n, graph.m);
  rows.push(oursRow({ suite, input: 'build CSR (forward + reverse)', size }, build.timing, { memory_bytes: graph.byteLength, notes: `${(graph.byteLength / graph.m).toFixed(1)} bytes/arc` }));

  log('kdbush index of the nodes');
  const index = measure(() => buildIndex(edges.xy, graph.n), runs);
  rows.push(oursRow({ suite, input: 'kdbush index of the graph nodes', size: fmtSize(graph.n) }, index.timing, { memory_bytes: index.result.data.byteLength, notes: 'Float32 coordinates, node size 64' }));

  log(`${FRANCE_HOUSEHOLD_POINTS.toLocaleString('en-US')} household points`);
  const points = households(FRANCE_HOUSEHOLD_POINTS, extent, 2019);
  const snapped = measure(() => snap(index.result, edges.xy, points, SPACING_M), runs);
  let maxLeg = 0;
  for (const d of snapped.result.metres) if (d > maxLeg) maxLeg = d;
  rows.push(
    oursRow({ suite, input: `snap ${FRANCE_HOUSEHOLD_POINTS.toLocaleString('en-US')} household points to the nearest node`, size: `${FRANCE_HOUSEHOLD_POINTS.toLocaleString('en-US')} points` }, snapped.timing, {
      notes: `kdbush withinInto, radius doubling from ${SPACING_M} m; longest leg ${Math.round(maxLeg)} m`,
    }),
  );

  const sites = sampleDistinct(FRANCE_SITES, graph.n, 2845);
  log(`multi-source search from ${FRANCE_SITES} sites`);
  const search = measure(() => nearestSources(graph, sites, { direction: 'to' }), runs);
  rows.push(
    oursRow({ suite, input: `multi-source search, ${FRANCE_SITES.toLocaleString('en-US')} sites, reverse graph, no cut-off`, size }, search.timing, {
      notes: 'bucket queue; every node gets its nearest site and the time to it',
    }),
  );

  log('household times and coverage tally');
  const { cost } = search.result;
  const { node, metres } = snapped.result;
  const tally = () => {
    // Time in seconds = network time (deciseconds) / 10 + access leg at ACCESS_KMH.
    let within20 = 0;
    let within30 = 0;
    let unreached = 0;
    const leg = 3.6 / ACCESS_KMH;
    for (let i = 0; i < node.length; i++) {
      const c = cost[node[i]];
      if (c === UNREACHED) {
        unreached++;
        continue;
      }
      const s = c / 10 + metres[i] * leg;
      if (s <= 1200) within20++;
      if (s <= 1800) within30++;
    }
    return { within20, within30, unreached };
  };
  const pass = measure(tally, runs);
  const share = (k: number) => `${((100 * k) / node.length).toFixed(1)} %`;
  rows.push(
    oursRow({ suite, input: 'look up times and tally households within 20 / 30 min', size: `${FRANCE_HOUSEHOLD_POINTS.toLocaleString('en-US')} points` }, pass.timing, {
      notes: `synthetic geography, so the shares mean nothing: ${share(pass.result.within20)} ≤ 20 min, ${share(pass.result.within30)} ≤ 30 min, ${pass.result.unreached} unreached`,
    }),
  );

  const total = summarize([build.timing.median + index.timing.median + snapped.timing.median + search.timing.median + pass.timing.median]);
  const peak = process.resourceUsage().maxRSS * 1024;
  rows.push(
    oursRow({ suite, input: 'national pass: build + index + snap + search + tally (sum of medians)', size }, total, {
      memory_bytes: peak,
      notes: `memory = peak RSS of the whole benchmark process (maxRSS), graph generation and all repetitions included; wall time of the process ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    }),
  );
  process.stdout.write(JSON.stringify({ rows }) + '\n');
}

main();
