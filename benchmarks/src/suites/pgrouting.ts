/**
 * pgrouting: PostgreSQL 15 + pgRouting on the NY graph, on a throw-away cluster that this
 * suite creates in a temp directory, serves on a Unix socket only, and stops at the end.
 * The arcs are loaded reversed (our direction 'to'), so a directed search from the sources
 * gives every node's cost to its nearest source.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nearestSources, readDimacsFile, type RoadGraph } from '@fs-access/graph';
import { runProcess } from '../peers.ts';
import { dataPath, exists } from '../paths.ts';
import { fmtSize, peerRow, skippedRow } from '../rows.ts';
import { measure, sampleDistinct, summarize, type Timing } from '../stats.ts';
import type { BenchRow, Suite, SuiteContext } from '../types.ts';
import { SOURCES_SEED, SOURCE_COUNT } from './graph.ts';

const PG_BIN = process.env.FS_BENCH_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PGR_CONTROL = '/usr/share/postgresql/15/extension/pgrouting.control';
const PSQL = fs.existsSync(path.join(PG_BIN, 'psql')) ? path.join(PG_BIN, 'psql') : '/usr/bin/psql';

/** Why pgRouting cannot run here, or null when it can. */
export function pgroutingMissing(): string | null {
  for (const bin of ['initdb', 'pg_ctl', 'postgres']) {
    if (!fs.existsSync(path.join(PG_BIN, bin))) return `${path.join(PG_BIN, bin)} not found (run benchmarks/setup.sh)`;
  }
  if (!fs.existsSync(PGR_CONTROL)) return 'pgRouting extension not installed (postgresql-15-pgrouting; run benchmarks/setup.sh)';
  if (!fs.existsSync(PSQL)) return 'psql not found';
  return null;
}

/** Runs commands as an unprivileged user when we are root (initdb refuses root). */
class Runner {
  readonly user: string | null;
  constructor() {
    if (process.getuid?.() !== 0) this.user = null;
    else {
      let user = 'nobody';
      try {
        execFileSync('id', ['-u', 'fsbench'], { stdio: 'ignore' });
        user = 'fsbench';
      } catch {
        /* setup.sh not run: nobody will do */
      }
      this.user = user;
    }
  }
  wrap(cmd: string, args: string[]): [string, string[]] {
    return this.user ? ['runuser', ['-u', this.user, '--', cmd, ...args]] : [cmd, args];
  }
  run(cmd: string, args: string[], input?: string, timeoutMs = 30 * 60_000) {
    const [c, a] = this.wrap(cmd, args);
    return runProcess(c, a, { input, timeoutMs, env: { ...process.env, PGTZ: 'UTC', LC_ALL: 'C' } });
  }
}

class Cluster {
  private started = false;
  readonly data: string;
  constructor(
    readonly dir: string,
    private readonly runner: Runner,
  ) {
    this.data = path.join(dir, 'data');
  }

  async start(): Promise<void> {
    await this.runner.run(path.join(PG_BIN, 'initdb'), ['-D', this.data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--locale=C']);
    const opts = `-k ${this.dir} -c listen_addresses='' -c fsync=off -c shared_buffers=512MB -c work_mem=256MB -c max_wal_size=4GB`;
    await this.runner.run(path.join(PG_BIN, 'pg_ctl'), ['-D', this.data, '-o', opts, '-l', path.join(this.dir, 'server.log'), '-w', 'start']);
    this.started = true;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.runner.run(path.join(PG_BIN, 'pg_ctl'), ['-D', this.data, '-m', 'fast', '-w', 'stop']);
  }

  private connArgs(): string[] {
    return ['-h', this.dir, '-U', 'postgres', '-d', 'postgres', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'];
  }

  /** Runs SQL through psql on the socket; returns stdout. */
  async psql(sql: string, input?: string): Promise<string> {
    // With -c, `COPY … FROM STDIN` reads psql's own standard input: the `input` text.
    const { stdout } = await this.runner.run(PSQL, [...this.connArgs(), '-c', sql], input);
    return stdout;
  }

  /** Runs one statement `1 + runs` times in one session; returns the timed runs (psql \timing, ms). */
  async time(sql: string, runs: number): Promise<Timing> {
    const script = ['\\timing on', ...Array.from({ length: runs + 1 }, () => `${sql};`)].join('\n');
    const { stdout } = await this.runner.run(PSQL, this.connArgs(), script);
    const times = [...stdout.matchAll(/^Time: ([\d.]+) ms/gm)].map((m) => Number(m[1]));
    if (times.length !== runs + 1) throw new Error(`expected ${runs + 1} timings from psql, got ${times.length}: ${stdout.slice(0, 300)}`);
    return summarize(times.slice(1));
  }
}

function arcsCsv(graph: RoadGraph): string {
  // Reversed arcs (our 'to'), 1-based ids like DIMACS: node v of ours is vertex v + 1.
  const parts: string[] = [];
  let id = 1;
  for (let v = 0; v < graph.n; v++) {
    for (let e = graph.rOffsets[v]; e < graph.rOffsets[v + 1]; e++) parts.push(`${id++}\t${v + 1}\t${graph.rTargets[e] + 1}\t${graph.rWeights[e]}`);
  }
  return parts.join('\n') + '\n';
}

function parseCosts(n: number, text: string): Float64Array {
  const costs = new Float64Array(n).fill(Infinity);
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [node, agg] = line.split('|');
    const v = Number(node) - 1;
    if (v < 0 || v >= n) continue; // the virtual super-source (vertex 0)
    const c = Number(agg);
    if (c < costs[v]) costs[v] = c;
  }
  return costs;
}

async function runPgrouting(ctx: SuiteContext): Promise<BenchRow[]> {
  const gr = dataPath('graphs/USA-road-t.NY.gr.gz');
  const base = { suite: 'pgrouting', input: 'USA-road-t.NY', size: '' };
  const missing = pgroutingMissing();
  if (missing) return [skippedRow(base, missing)];
  if (!exists(gr)) return [skippedRow(base, `${gr} not found`)];

  const graph = await readDimacsFile(gr);
  base.size = fmtSize(graph.n, graph.m);
  const sources = sampleDistinct(SOURCE_COUNT, graph.n, SOURCES_SEED);
  ctx.log('pgrouting: our multi-source search');
  const { timing: ours, result } = measure(() => nearestSources(graph, sources, { direction: 'to' }), ctx.runs);

  const runner = new Runner();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-bench-pg-'));
  if (runner.user) {
    const uid = Number(execFileSync('id', ['-u', runner.user]).toString());
    const gid = Number(execFileSync('id', ['-g', runner.user]).toString());
    fs.chownSync(dir, uid, gid);
  }
  const cluster = new Cluster(dir, runner);
  const rows: BenchRow[] = [];
  try {
    ctx.log(`pgrouting: starting PostgreSQL in ${dir}${runner.user ? ` as ${runner.user}` : ''}`);
    await cluster.start();
    await cluster.psql('CREATE EXTENSION pgrouting CASCADE');
    const version = (await cluster.psql('SELECT pgr_version()')).trim();
    const pgVersion = (await cluster.psql('SHOW server_version')).trim().split(' ')[0];
    // Table `arcs` holds the reversed graph; `arcs_ss` adds a virtual vertex 0 with 0-cost
    // arcs to every source (the super-source form: one single-start search).
    await cluster.psql('CREATE TABLE arcs (id bigint, source bigint, target bigint, cost float8)');
    ctx.log('pgrouting: COPY arcs');
    await cluster.psql('COPY arcs FROM STDIN', arcsCsv(graph));
    await cluster.psql('CREATE TABLE arcs_ss AS SELECT * FROM arcs');
    const ssArcs = Array.from(sources, (s, i) => `${graph.m + 1 + i}\t0\t${s + 1}\t0\n`).join('');
    await cluster.psql('COPY arcs_ss FROM STDIN', ssArcs);
    await cluster.psql('VACUUM ANALYZE');

    const starts = `ARRAY[${Array.from(sources, (s) => s + 1).join(',')}]::bigint[]`;
    const distance = '1e15';
    const variants = [
      {
        label: `pgr_drivingDistance(${SOURCE_COUNT} starts, equicost := true)`,
        sql: `pgr_drivingDistance('SELECT id, source, target, cost FROM arcs', ${starts}, ${distance}, directed := true, equicost := true)`,
      },
      {
        label: 'pgr_drivingDistance(virtual super-source)',
        sql: `pgr_drivingDistance('SELECT id, source, target, cost FROM arcs_ss', 0, ${distance}, directed := true)`,
      },
    ];
    for (const v of variants) {
      ctx.log(`pgrouting: ${v.label}: answer`);
      const answer = parseCosts(graph.n, await cluster.psql(`COPY (SELECT node, agg_cost FROM ${v.sql}) TO STDOUT WITH (DELIMITER '|')`));
      ctx.log(`pgrouting: ${v.label}: timing`);
      const timing = await cluster.time(`SELECT count(*) FROM ${v.sql}`, ctx.runs);
      rows.push(
        peerRow(
          { ...base, input: `USA-road-t.NY: multi-source vs ${v.label}` },
          ours,
          { kind: 'ok', peer: 'pgRouting', version: `${version} (PostgreSQL ${pgVersion})`, timing },
          { graph, sources, ours: result.cost, peer: answer },
          { notes: 'pgRouting time includes reading the arcs through its edges SQL (it does so on every call); psql \\timing over a Unix socket' },
        ),
      );
    }
  } catch (err) {
    const log = fs.existsSync(path.join(dir, 'server.log')) ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8').split('\n').slice(-5).join(' | ') : '';
    rows.push(skippedRow(base, `pgRouting failed: ${(err as Error).message}${log ? ` (server log: ${log})` : ''}`));
  } finally {
    await cluster.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export const pgrouting: Suite = {
  name: 'pgrouting',
  description: 'PostgreSQL 15 + pgRouting on USA-road-t.NY (server started on a Unix socket in a temp dir, stopped after)',
  run: runPgrouting,
};
