/**
 * Child process of the memory test and of scripts/make-national-grid.ts: reads one INSEE
 * grid file with loadInseeGrid and prints one JSON line with the count, the time and the
 * process's peak resident memory (process.resourceUsage().maxRSS, which covers the whole
 * run: parsing, the kept arrays and the garbage collector's slack).
 *
 *   node --import tsx test/memory/read-grid.ts FILE
 */
import { loadInseeGrid } from '../../packages/data/src/index.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: read-grid.ts FILE');
const t0 = performance.now();
const h = await loadInseeGrid(file);
const seconds = (performance.now() - t0) / 1000;
// Touch the result so it is alive at the peak (the loader's output is what a report keeps).
let sum = 0;
for (let i = 0; i < h.count; i += 1000) sum += h.households[i] + h.id[i].length;
const out = {
  count: h.count,
  rejected: h.rejected.length,
  seconds,
  maxRssMB: (process.resourceUsage().maxRSS * 1024) / 2 ** 20,
  heapUsedMB: process.memoryUsage().heapUsed / 2 ** 20,
  check: sum > 0,
};
process.stdout.write(JSON.stringify(out) + '\n');
