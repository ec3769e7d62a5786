/** benchmarks/RESULTS.md and results.json from the rows. */
import fs from 'node:fs';
import os from 'node:os';
import type { BenchRow } from './types.ts';

export interface ResultsFile {
  generated: string;
  machine: { cpu: string; cores: number; memory_bytes: number; node: string; platform: string };
  /**
   * When each suite last ran, with how many timed runs, and which rows it produced
   * (`rows[first … first + count)`; a suite may name its rows' `suite` differently, e.g. osm-read).
   */
  suites: Record<string, { ran: string; runs: number; seconds: number; first: number; count: number; load?: [number, number] }>;
  rows: BenchRow[];
}

export function machineInfo(): ResultsFile['machine'] {
  return { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memory_bytes: os.totalmem(), node: process.version, platform: `${os.platform()} ${os.arch()}` };
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

function fmtRange(median?: number, min?: number, max?: number): string {
  if (median === undefined || !Number.isFinite(median)) return '—';
  if (min === undefined || max === undefined) return fmtMs(median);
  if (median >= 1000) return `${fmtMs(median)} (${(min / 1000).toPrecision(3)}–${(max / 1000).toPrecision(3)})`;
  const digits = median >= 100 ? 0 : median >= 10 ? 1 : 2;
  return `${fmtMs(median)} (${min.toFixed(digits)}–${max.toFixed(digits)})`;
}

export function fmtBytes(b: number | undefined): string {
  if (b === undefined || !Number.isFinite(b)) return '';
  if (b >= 1024 ** 3) return `${(b / 1024 ** 3).toFixed(2)} GiB`;
  if (b >= 1024 ** 2) return `${(b / 1024 ** 2).toFixed(1)} MiB`;
  if (b >= 1024) return `${(b / 1024).toFixed(1)} KiB`;
  return `${b} B`;
}

const esc = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownTable(rows: BenchRow[]): string {
  const head = '| suite | input | size | our median (min–max) | peer | peer median (min–max) | ratio | memory | notes |\n|---|---|---|---|---|---|---|---|---|\n';
  return (
    head +
    rows
      .map((r) =>
        [
          r.suite,
          esc(r.input),
          esc(r.size),
          fmtRange(r.ours_ms, r.ours_min_ms, r.ours_max_ms),
          esc(r.peer),
          fmtRange(r.peer_ms, r.peer_min_ms, r.peer_max_ms),
          r.ratio !== undefined && Number.isFinite(r.ratio) ? `${r.ratio < 0.1 ? r.ratio.toFixed(3) : r.ratio.toFixed(2)}×` : '',
          fmtBytes(r.memory_bytes),
          esc(r.notes),
        ].join(' | '),
      )
      .map((line) => `| ${line} |`)
      .join('\n') +
    '\n'
  );
}

interface Target {
  what: string;
  check(rows: BenchRow[]): string;
}

const find = (rows: BenchRow[], suite: string, input: RegExp, peer?: RegExp) => rows.find((r) => r.suite === suite && input.test(r.input) && (!peer || peer.test(r.peer ?? '')));
const answersOk = (r: BenchRow) => !/DIFFER/.test(r.notes ?? '');

/** The targets of issues 2 and 7 — reported, never asserted. */
const TARGETS: Target[] = [
  {
    what: 'NY multi-source ≤ 0.5× scipy (aim 0.3×)',
    check: (rows) => {
      const r = find(rows, 'graph-ny', /multi-source \(bucket/, /^scipy/);
      if (!r || r.ratio === undefined) return 'not measured';
      return `${r.ratio.toFixed(2)}× — ${r.ratio <= 0.5 ? 'met' : 'NOT met'}${r.ratio <= 0.3 ? ' (aim met too)' : ''}${answersOk(r) ? '' : ' (answers differ!)'}`;
    },
  },
  {
    what: 'NY multi-source ≥ 15× faster than networkx',
    check: (rows) => {
      const r = find(rows, 'graph-ny', /multi-source \(bucket/, /^networkx/);
      if (!r || r.ratio === undefined) return 'not measured';
      return `${(1 / r.ratio).toFixed(0)}× faster — ${1 / r.ratio >= 15 ? 'met' : 'NOT met'}`;
    },
  },
  {
    what: '1,000 bounded searches on NY well under 1 s',
    check: (rows) => {
      const verdict = (r: BenchRow | undefined) => (r ? `${fmtMs(r.ours_ms)} — ${r.ours_ms < 1000 ? 'met' : 'NOT met'}` : 'not measured');
      const multi = find(rows, 'graph-ny', /bounded searches, cut at p5 of the multi-source/);
      const single = find(rows, 'graph-ny', /bounded searches, cut at p5 of node-to-node/);
      return `cut-off at the 5th percentile of the multi-source costs: ${verdict(multi)}; at the 5th percentile of node-to-node costs (≈ 10,800 nodes per search): ${verdict(single)}`;
    },
  },
  {
    what: 'graph memory ≤ 32 bytes per arc (NY, with coordinates)',
    check: (rows) => {
      const r = find(rows, 'graph-ny', /load/);
      const m = r?.notes?.match(/([\d.]+) bytes\/arc/);
      if (!m) return 'not measured';
      return `${m[1]} bytes/arc — ${Number(m[1]) <= 32 ? 'met' : 'NOT met'}`;
    },
  },
  {
    what: '4M-node synthetic multi-source search < 2 s',
    check: (rows) => {
      const r = find(rows, 'synthetic', /grid 2000×2000: multi-source/);
      if (!r) return 'not measured';
      const h = find(rows, 'synthetic', /grid 2000×2000, nodes renumbered/);
      return `${fmtMs(r.ours_ms)} (row-major node order) — ${r.ours_ms < 2000 ? 'met' : 'NOT met'}${h ? `; ${fmtMs(h.ours_ms)} with Hilbert node order — ${h.ours_ms < 2000 ? 'met' : 'NOT met'}` : ''}`;
    },
  },
];

export function renderMarkdown(results: ResultsFile): string {
  const m = results.machine;
  const suites = Object.entries(results.suites)
    .map(([name, s]) => `\`${name}\` ${s.ran} (${s.runs} timed runs, ${Math.round(s.seconds)} s${s.load ? `, load average ${s.load[0].toFixed(1)} → ${s.load[1].toFixed(1)}` : ''})`)
    .join('; ');
  const differ = results.rows.filter((r) => /DIFFER/.test(r.notes ?? ''));
  return `# Benchmark results

Generated by \`pnpm bench\` (benchmarks/src/run.ts) — do not edit by hand. How to read it and how each number is
made: [README.md](README.md).

Machine: ${m.cpu}, ${m.cores} cores, ${fmtBytes(m.memory_bytes)} RAM, Node ${m.node}, ${m.platform}.
Suites: ${suites}.

The load average (1 min, ${m.cores} cores) at the start and end of each suite shows how much other work shared the
machine: above ${m.cores}, absolute times are inflated; ratios to peers measured in the same run much less so.

Times are medians of the timed runs after one warm-up, with (min–max). **ratio = ours / peer** in the same run:
below 1 we are faster. Every peer answer was compared with ours node by node before its time was kept; a peer
whose answers differ is still listed, with the count of differing nodes and an exact optimality certificate of
both answers in the notes.${differ.length ? ` **${differ.length} row(s) have differing answers** (search for DIFFER).` : ''}

## Targets (reported, not asserted)

${TARGETS.map((t) => `- ${t.what}: ${t.check(results.rows)}`).join('\n')}

## All rows

${markdownTable(results.rows)}`;
}

/** Writes a file through a temp name + rename, so a crash never leaves half a file. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export function toJson(results: ResultsFile): string {
  // NaN (a row with no time of ours) becomes null in JSON.
  return JSON.stringify(results, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
