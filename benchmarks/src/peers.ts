/**
 * Runs the Python peers (benchmarks/peers/graph_peers.py with /usr/bin/python3) on a graph
 * exported once as raw little-endian CSR arrays, and reads their answers back.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoadGraph } from '@fs-access/graph';
import { summarize, type Timing } from './stats.ts';

export const PYTHON = process.env.FS_BENCH_PYTHON ?? '/usr/bin/python3';
export const PEER_SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../peers/graph_peers.py');

/** Error from a peer process that crashed (as opposed to a peer that is not installed). */
export class PeerError extends Error {
  override name = 'PeerError';
}

function writeRaw(file: string, a: Uint32Array | Float64Array): void {
  // Typed arrays are little-endian on every platform Node runs on here (x86-64, arm64).
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  fs.renameSync(tmp, file);
}

/**
 * Writes the graph the peers search FORWARD on. For our direction 'to' that is the reversed
 * graph, whose CSR is exactly our reverse arrays (same deduplicated arcs, same costs).
 */
export function exportGraph(graph: RoadGraph, dir: string, direction: 'to' | 'from' = 'to'): void {
  fs.mkdirSync(dir, { recursive: true });
  const rev = direction === 'to';
  writeRaw(path.join(dir, 'indptr.u32'), rev ? graph.rOffsets : graph.offsets);
  writeRaw(path.join(dir, 'indices.u32'), rev ? graph.rTargets : graph.targets);
  writeRaw(path.join(dir, 'weights.u32'), rev ? graph.rWeights : graph.weights);
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ n: graph.n, m: graph.m, direction }));
}

export function writeSources(dir: string, name: 'sources' | 'bounded', sources: Uint32Array): void {
  writeRaw(path.join(dir, `${name}.u32`), sources);
}

export function pythonAvailable(): boolean {
  return fs.existsSync(PYTHON);
}

/** Runs a command, collecting stdout; rejects with stderr on a non-zero exit. */
export function runProcess(cmd: string, args: string[], options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = options.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          reject(new PeerError(`${cmd} ${args.join(' ')}: timed out after ${options.timeoutMs} ms`));
        }, options.timeoutMs)
      : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(new PeerError(`${cmd}: ${e.message}`));
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new PeerError(`${cmd} ${args.join(' ')} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

export type PeerOutcome =
  | { kind: 'ok'; peer: string; version: string; timing: Timing }
  | { kind: 'skipped'; reason: string };

async function runPeerScript(args: string[], timeoutMs: number): Promise<PeerOutcome> {
  if (!pythonAvailable()) return { kind: 'skipped', reason: `${PYTHON} not found` };
  const { stdout } = await runProcess(PYTHON, [PEER_SCRIPT, ...args], { timeoutMs });
  const last = stdout.trim().split('\n').pop() ?? '';
  let parsed: { skipped?: string; peer?: string; version?: string; times_ms?: number[] };
  try {
    parsed = JSON.parse(last);
  } catch {
    throw new PeerError(`peer printed no JSON result: ${stdout.slice(0, 200)}`);
  }
  if (parsed.skipped) return { kind: 'skipped', reason: parsed.skipped };
  return { kind: 'ok', peer: parsed.peer!, version: parsed.version!, timing: summarize(parsed.times_ms!) };
}

/**
 * Multi-source search by a Python peer on the graph exported in `dir` from the sources in
 * `dir/sources.u32`. Returns its timing and its costs (float64, Infinity = unreached).
 */
export async function runMultiPeer(
  dir: string,
  peer: 'scipy' | 'networkx' | 'igraph',
  runs: number,
  timeoutMs = 30 * 60_000,
): Promise<{ outcome: PeerOutcome; costs?: Float64Array }> {
  const outcome = await runPeerScript(['multi', dir, peer, String(runs)], timeoutMs);
  if (outcome.kind !== 'ok') return { outcome };
  const buf = fs.readFileSync(path.join(dir, `costs-${peer}.f64`));
  const costs = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return { outcome, costs };
}

/** scipy bounded searches (one `dijkstra(limit=…)` call per source in `dir/bounded.u32`). */
export async function runBoundedPeer(dir: string, runs: number, limit: number, timeoutMs = 30 * 60_000): Promise<{ outcome: PeerOutcome; count?: BigInt64Array; sum?: Float64Array }> {
  const outcome = await runPeerScript(['bounded', dir, 'scipy', String(runs), String(limit)], timeoutMs);
  if (outcome.kind !== 'ok') return { outcome };
  const c = fs.readFileSync(path.join(dir, 'bounded-count.i64'));
  const s = fs.readFileSync(path.join(dir, 'bounded-sum.f64'));
  return {
    outcome,
    count: new BigInt64Array(c.buffer.slice(c.byteOffset, c.byteOffset + c.byteLength)),
    sum: new Float64Array(s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength)),
  };
}
