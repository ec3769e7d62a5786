/**
 * What every case of the bad-input catalogue shares: a fresh folder per case, the inputs
 * written into it, the check that nothing else appeared there afterwards, and the ways
 * to assert an outcome — a typed error (class and exact message), a rejected record
 * (reason, line, detail), or the real `fs-access` command in a child process (exit code
 * and the exact `name: message` line on stderr).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { pbfBlocks } from '../fuzz/targets-binary.ts';

export { pbfBlocks };

export const repoRoot = path.resolve(__dirname, '../..');
export const sharedData = process.env.FS_ACCESS_MIRROR ?? path.resolve(repoRoot, '../shared/data');
export const hasSharedData = fs.existsSync(path.join(sharedData, 'france-services'));

/** A case's private folder: inputs go in with `write`; `extra()` lists what appeared besides them. */
export class CaseDir {
  readonly dir: string;
  private readonly inputs = new Set<string>();
  constructor(id: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `fs-bad-${id}-`));
  }
  /** Writes an input file (parent folders included) and returns its absolute path. */
  write(name: string, content: string | Uint8Array): string {
    const p = path.join(this.dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    this.input(p);
    return p;
  }
  /** Declares a path (file or folder, and its parents) as an input, not an output. */
  input(p: string): string {
    let rel = path.relative(this.dir, p);
    while (rel && rel !== '.') {
      this.inputs.add(rel);
      rel = path.dirname(rel);
    }
    return p;
  }
  /** A path in the folder that must not exist after the case (an output). */
  out(name: string): string {
    return path.join(this.dir, name);
  }
  /** Every file or folder in the case folder that is not an input (temp files included). */
  extra(): string[] {
    const found: string[] = [];
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(this.dir, rel), { withFileTypes: true })) {
        const r = path.join(rel, e.name);
        if (!this.inputs.has(r)) found.push(e.isDirectory() ? `${r}/` : r);
        if (e.isDirectory()) walk(r);
      }
    };
    walk('');
    return found.sort();
  }
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** Runs `fn`; it must throw an instance of `cls` (same `name`) whose message is exactly `message` (or matches the RegExp). */
export async function expectError(fn: () => unknown, cls: ErrorClass, message: string | RegExp): Promise<Error> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected ${cls.name}, nothing was thrown`).toBeDefined();
  expect(caught).toBeInstanceOf(cls);
  const e = caught as Error;
  expect(e.name).toBe(cls.name);
  if (typeof message === 'string') expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
  return e;
}

export interface RejectionLike {
  file: string;
  line: number;
  id?: string;
  reason: string;
  detail: string;
}

/** The load kept `kept` records and rejected exactly `expected` (all fields compared). */
export function expectRejections(result: { count: number; rejected: RejectionLike[] }, kept: number, expected: RejectionLike[]): void {
  expect(result.rejected).toEqual(expected);
  expect(result.count).toBe(kept);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `fs-access ARGS` as a user would, in its own Node process (node --import tsx, one
 * process so a signal reaches the command itself), from the repository root.
 */
export function fsAccess(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'packages/cli/src/bin.ts'), ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * The command failed as a bad input must: exit code `code` (1 data, 2 command line), and
 * stderr holds exactly the line `fs-access CMD: NAME: MESSAGE` (for a data error) or
 * `fs-access CMD: MESSAGE` (usage error, followed by the usage text) — never a stack trace.
 */
export function expectCliError(r: CliResult, command: string, code: 1 | 2, errorName: string | null, message: string | RegExp): void {
  const lines = r.stderr.split('\n');
  const prefix = errorName ? `fs-access ${command}: ${errorName}: ` : `fs-access ${command}: `;
  const line = lines.find((l) => l.startsWith(prefix) && !l.startsWith(`fs-access ${command}: internal error`));
  expect(line, `no "${prefix}…" line in stderr:\n${r.stderr}`).toBeDefined();
  const msg = line!.slice(prefix.length);
  if (typeof message === 'string') expect(msg).toBe(message);
  else expect(msg).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('internal error');
  expect(r.code).toBe(code);
}

/** mulberry32: deterministic bytes for the "random" inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}


export interface Served {
  path: string;
  range?: string;
  status: number;
}

/**
 * A static HTTP server on 127.0.0.1 serving `root` (Range requests honoured), for the
 * `data fetch` cases. `bytesPerTick` > 0 sends bodies slowly (that many bytes every 10 ms)
 * so a test can interrupt a download midway.
 */
export async function serveDir(root: string, options: { bytesPerTick?: number } = {}): Promise<{ url: string; log: Served[]; close(): Promise<void> }> {
  const http = await import('node:http');
  const log: Served[] = [];
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname).slice(1);
    const file = path.join(root, rel);
    const entry: Served = { path: rel, range: req.headers.range, status: 404 };
    log.push(entry);
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    const data = fs.readFileSync(file);
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    if (start >= data.length && m) {
      entry.status = 416;
      res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
      return;
    }
    entry.status = m ? 206 : 200;
    res.writeHead(entry.status, {
      'content-length': data.length - start,
      'accept-ranges': 'bytes',
      ...(m ? { 'content-range': `bytes ${start}-${data.length - 1}/${data.length}` } : {}),
    });
    const body = data.subarray(start);
    const step = options.bytesPerTick ?? 0;
    if (step <= 0) {
      res.end(body);
      return;
    }
    let o = 0;
    const tick = () => {
      if (res.destroyed) return;
      if (o >= body.length) return void res.end();
      res.write(body.subarray(o, o + step));
      o += step;
      setTimeout(tick, 10);
    };
    tick();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
