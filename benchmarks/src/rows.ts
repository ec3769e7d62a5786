/** Building table rows from timings, peer outcomes and answer checks. */
import { shortestPath, type RoadGraph } from '@fs-access/graph';
import { certify, compareCosts, describeCertificate, describeComparison } from './compare.ts';
import type { PeerOutcome } from './peers.ts';
import type { Timing } from './stats.ts';
import type { BenchRow } from './types.ts';

export const fmtSize = (n: number, m?: number) =>
  m === undefined ? `${n.toLocaleString('en-US')} nodes` : `${n.toLocaleString('en-US')} nodes / ${m.toLocaleString('en-US')} arcs`;

export function oursRow(base: { suite: string; input: string; size: string }, t: Timing, extra: Partial<BenchRow> = {}): BenchRow {
  return { ...base, ours_ms: t.median, ours_min_ms: t.min, ours_max_ms: t.max, ...extra };
}

/**
 * A row comparing one of our timings with a peer's. The peer's costs are checked against ours
 * first; when they differ, the exact certificate is run on both answers to say which is wrong,
 * and the difference goes into the notes (the time is still reported, flagged).
 */
export function peerRow(
  base: { suite: string; input: string; size: string },
  ours: Timing,
  outcome: PeerOutcome,
  check: { graph: RoadGraph; sources: ArrayLike<number>; ours: Uint32Array; peer?: ArrayLike<number>; direction?: 'to' | 'from' } | { note: string },
  extra: Partial<BenchRow> = {},
): BenchRow {
  const row = oursRow(base, ours, extra);
  if (outcome.kind === 'skipped') {
    row.peer = `skipped: ${outcome.reason}`;
    return row;
  }
  let note: string;
  if ('note' in check) note = check.note;
  else {
    if (!check.peer) throw new Error('peer answer missing');
    const cmp = compareCosts(check.ours, check.peer);
    note = describeComparison(cmp);
    if (cmp.differing > 0) {
      const dir = check.direction ?? 'to';
      note += `; ours: ${describeCertificate(certify(check.graph, check.sources, check.ours, dir))}`;
      note += `; peer: ${describeCertificate(certify(check.graph, check.sources, check.peer, dir))}`;
      note += `; brute force (point-to-point Dijkstra to every source): ${bruteForce(check.graph, check.sources, cmp.examples.slice(0, 3), dir)}`;
    }
  }
  row.peer = `${outcome.peer} ${outcome.version}`;
  row.peer_ms = outcome.timing.median;
  row.peer_min_ms = outcome.timing.min;
  row.peer_max_ms = outcome.timing.max;
  row.ratio = ours.median / outcome.timing.median;
  row.notes = [extra.notes, note].filter(Boolean).join('; ');
  return row;
}

/** For a few differing nodes, the nearest-source cost by one point-to-point search per source. */
function bruteForce(graph: RoadGraph, sources: ArrayLike<number>, nodes: { node: number; ours: number; peer: number }[], dir: 'to' | 'from'): string {
  if (sources.length > 500) return 'skipped (too many sources)';
  return nodes
    .map(({ node, ours, peer }) => {
      let best = Infinity;
      for (let i = 0; i < sources.length; i++) {
        const r = dir === 'to' ? shortestPath(graph, node, sources[i]) : shortestPath(graph, sources[i], node);
        if (r && r.cost < best) best = r.cost;
      }
      const verdict = best === ours && best !== peer ? 'ours right' : best === peer && best !== ours ? 'peer right' : 'neither';
      return `node ${node} = ${best} (${verdict})`;
    })
    .join(', ');
}

export function skippedRow(base: { suite: string; input: string; size: string }, reason: string): BenchRow {
  return { ...base, ours_ms: NaN, peer: `skipped: ${reason}` };
}
