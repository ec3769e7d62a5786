/**
 * One line of the benchmark table (benchmarks/RESULTS.md, benchmarks/results.json).
 * Times are wall-clock milliseconds: the median of ≥ 5 runs after a warm-up, with the
 * fastest and slowest run. `ratio` = ours_ms / peer_ms measured in the same run (lower is
 * better for us). Shared with the OSM suite (src/osm.ts).
 */
export interface BenchRow {
  suite: string;
  input: string;
  /** Human-readable size, e.g. "264,346 nodes / 730,100 arcs". */
  size: string;
  ours_ms: number;
  ours_min_ms?: number;
  ours_max_ms?: number;
  /** Peer name, or `skipped: <reason>` when the peer could not run. */
  peer?: string;
  peer_ms?: number;
  peer_min_ms?: number;
  peer_max_ms?: number;
  ratio?: number;
  memory_bytes?: number;
  notes?: string;
}

/** A suite: a name for `--suite` and a function producing rows. */
export interface Suite {
  name: string;
  description: string;
  run(ctx: SuiteContext): Promise<BenchRow[]>;
}

export interface SuiteContext {
  /** Timed runs per measurement (after one warm-up run). ≥ 5. */
  runs: number;
  /** True with --quick: fewer runs and smaller inputs where a suite allows. */
  quick: boolean;
  /** Scratch directory for exported graphs and peer outputs (removed at the end). */
  tmpDir: string;
  /** Progress line on stderr. */
  log(message: string): void;
}
