/**
 * What every command shares: argument parsing, typed usage errors, output written
 * atomically (a temp file or folder renamed at the end, so an error or a signal never
 * leaves a half-written result), and a progress bar on stderr.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';

/** A command line that cannot be run as given; exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** util.parseArgs with strict checking, turning its errors into UsageError. */
export function parse<T extends Options>(argv: string[], options: T, allowPositionals = false) {
  // `--thresholds -5`: parseArgs takes "-5" for an option and answers "argument is
  // ambiguous"; a negative number after a value option is its value, so the command's own
  // range check can say what is wrong with it.
  const args = argv.slice();
  for (let i = 0; i + 1 < args.length; i++) {
    const m = /^--([^=]+)$/.exec(args[i]);
    if (m && options[m[1]]?.type === 'string' && /^-(\d|\.\d)/.test(args[i + 1])) {
      args.splice(i, 2, `${args[i]}=${args[i + 1]}`);
    }
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Parses a number option, with bounds; throws UsageError naming the option. */
export function numberOption(name: string, raw: string | undefined, { min = -Infinity, max = Infinity, integer = false, fallback }: { min?: number; max?: number; integer?: boolean; fallback?: number } = {}): number {
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got "${raw}"`);
  if (integer && !Number.isInteger(v)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  if (v < min || v > max) {
    const range = max === Infinity ? `≥ ${min}` : min === -Infinity ? `≤ ${max}` : `between ${min} and ${max}`;
    throw new UsageError(`--${name} must be ${range}, got ${raw}`);
  }
  return v;
}

/** Requires an option to be present. */
export function required<T>(name: string, value: T | undefined): T {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** Checks that an input file exists and is a file; throws UsageError naming it. */
export function inputFile(name: string, file: string | undefined): string {
  const f = required(name, file);
  let st: fs.Stats;
  try {
    st = fs.statSync(f);
  } catch {
    throw new UsageError(`--${name}: file not found: ${f}`);
  }
  if (!st.isFile()) throw new UsageError(`--${name}: not a file: ${f}`);
  return f;
}

let tmpCounter = 0;
function tmpName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}-${tmpCounter++}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp outputs of `target` left by a process that no longer exists: SIGKILL
 * or a power cut gives no chance to clean up, so the next run does it (a live process's
 * temps are left alone).
 */
function sweepStaleTemps(target: string): void {
  const dir = path.dirname(target);
  const prefix = `.${path.basename(target)}.tmp-`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

const pendingTemps = new Set<string>();
let signalsHooked = false;
function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const t of pendingTemps) fs.rmSync(t, { recursive: true, force: true });
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

/**
 * Runs `write(tmpDir)` and renames tmpDir to `dir` only if it succeeds. Refuses a `dir`
 * that exists and is not empty (an empty one is replaced). Cleans up on error or signal,
 * and removes the temps of an earlier run that was killed outright (SIGKILL).
 */
export async function withOutputDir<T>(dir: string, write: (tmpDir: string) => Promise<T>): Promise<T> {
  if (fs.existsSync(dir)) {
    const st = fs.statSync(dir);
    if (!st.isDirectory()) throw new UsageError(`--out: ${dir} exists and is not a folder`);
    if (fs.readdirSync(dir).length > 0) throw new UsageError(`--out: folder ${dir} exists and is not empty`);
  }
  fs.mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
  sweepStaleTemps(path.resolve(dir));
  const tmp = tmpName(path.resolve(dir));
  hookSignals();
  pendingTemps.add(tmp);
  fs.mkdirSync(tmp);
  try {
    const result = await write(tmp);
    if (fs.existsSync(dir)) fs.rmdirSync(dir);
    fs.renameSync(tmp, dir);
    return result;
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    pendingTemps.delete(tmp);
  }
}

/** Same as withOutputDir for one file: `write(tmpPath)` then rename. */
export async function withOutputFile<T>(file: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  sweepStaleTemps(path.resolve(file));
  const tmp = tmpName(path.resolve(file));
  hookSignals();
  pendingTemps.add(tmp);
  try {
    const result = await write(tmp);
    fs.renameSync(tmp, file);
    return result;
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  } finally {
    pendingTemps.delete(tmp);
  }
}

/** A progress bar on stderr, drawn only when stderr is a terminal (quiet in CI and pipes). */
export class Progress {
  private last = 0;
  private readonly tty = process.stderr.isTTY === true;
  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}
  update(done: number): void {
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const share = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const width = 30;
    const bar = '█'.repeat(Math.round(share * width)).padEnd(width, '░');
    process.stderr.write(`\r${this.label} ${bar} ${(share * 100).toFixed(0).padStart(3)}%`);
  }
  done(): void {
    if (this.tty) process.stderr.write(`\r${this.label} ${'█'.repeat(30)} 100%\n`);
  }
}

// `fs-access data list | head`: the reader closing the pipe early is not an error of ours;
// without this, the EPIPE surfaces as an unhandled 'error' event and a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
