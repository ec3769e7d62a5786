/** `fs-access nearest`: the nearest source of every node of a DIMACS graph. */
import fs from 'node:fs';
import { nearestSources, readDimacsFile, UNREACHED } from '@fs-access/graph';
import { UsageError, inputFile, numberOption, parse, required, withOutputFile } from '../cli-kit.ts';

export const usage = `Usage: fs-access nearest --graph FILE.gr[.gz] --sources ID,ID,… [--max COST] [--from] --out FILE.csv

Writes node,cost,source for every node (1-based DIMACS ids). cost is the shortest-path cost
from the node to its nearest source (with --from: from the nearest source to the node), in
the graph's own unit; cost and source are empty where no source is reachable within --max.
Ties between sources go to the one listed first.`;

export async function run(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    graph: { type: 'string' },
    sources: { type: 'string' },
    max: { type: 'string' },
    from: { type: 'boolean' },
    out: { type: 'string' },
    queue: { type: 'string' },
  });
  const graphFile = inputFile('graph', values.graph);
  const out = required('out', values.out);
  const ids = required('sources', values.sources)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length === 0) throw new UsageError('--sources: give at least one node id');
  const maxCost = values.max === undefined ? undefined : numberOption('max', values.max, { min: 0 });
  const queue = values.queue ?? 'bucket';
  if (queue !== 'bucket' && queue !== 'heap') throw new UsageError(`--queue must be bucket or heap, got "${queue}"`);

  const graph = await readDimacsFile(graphFile);
  const sources = new Uint32Array(ids.length);
  ids.forEach((raw, i) => {
    const id = Number(raw);
    if (!Number.isInteger(id) || id < 1 || id > graph.n) throw new UsageError(`--sources: "${raw}" is not a node id (1..${graph.n})`);
    sources[i] = id - 1;
  });
  const { cost, source } = nearestSources(graph, sources, { maxCost, queue, direction: values.from ? 'from' : 'to' });

  await withOutputFile(out, async (tmp) => {
    const fd = fs.openSync(tmp, 'w');
    try {
      let buf = 'node,cost,source\n';
      for (let v = 0; v < graph.n; v++) {
        buf += cost[v] === UNREACHED ? `${v + 1},,\n` : `${v + 1},${cost[v]},${sources[source[v]] + 1}\n`;
        if (buf.length > 1 << 20) {
          fs.writeSync(fd, buf);
          buf = '';
        }
      }
      fs.writeSync(fd, buf);
    } finally {
      fs.closeSync(fd);
    }
  });
  process.stderr.write(`nearest: ${graph.n} nodes written to ${out}\n`);
}
