/**
 * Interrupted work: `fs-access data fetch` killed in the middle of a download (against a
 * local HTTP server) resumes, or restarts cleanly when its partial file is damaged; a
 * `report` killed by a signal — while loading, or while writing its outputs — never
 * leaves a half-written output folder, and the next run cleans what a SIGKILL left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fsAccess, hasSharedData, repoRoot, serveDir, sharedData } from './harness.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-interrupted-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'data/manifest.json'), 'utf8')) as { sources: { name: string; path: string; sha256: string; size: number }[] };
const entry = manifest.sources.find((s) => s.name === 'annuaire-87')!;
const sha256 = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** Starts `fs-access ARGS` in one Node process (so a signal reaches the command itself). */
function start(args: string[]): { child: ChildProcess; stderr: () => string; done: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'packages/cli/src/bin.ts'), ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => err, done };
}

/** Polls `cond` every millisecond or so until it holds (or `ms` pass). */
async function until(cond: () => boolean, ms = 60_000): Promise<boolean> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 1));
  }
  return false;
}

const size = (f: string) => {
  try {
    return fs.statSync(f).size;
  } catch {
    return -1;
  }
};

describe.skipIf(!hasSharedData)('data fetch killed mid-download', () => {
  it('SIGKILL: only a .part file is left; the next run resumes it with a Range request and verifies the checksum', async () => {
    const cache = path.join(tmp, 'cache-kill');
    const dest = path.join(cache, entry.path);
    const slow = await serveDir(sharedData, { bytesPerTick: 4096 });
    try {
      const run = start(['data', 'fetch', 'annuaire-87', '--no-mirror', '--base-url', slow.url, '--cache', cache]);
      expect(await until(() => size(`${dest}.part`) > 60_000)).toBe(true);
      run.child.kill('SIGKILL');
      expect((await run.done).signal).toBe('SIGKILL');
    } finally {
      await slow.close();
    }
    expect(fs.existsSync(dest)).toBe(false);
    const partial = size(`${dest}.part`);
    expect(partial).toBeGreaterThan(60_000);
    expect(partial).toBeLessThan(entry.size);

    const fast = await serveDir(sharedData);
    try {
      const r = await fsAccess(['data', 'fetch', 'annuaire-87', '--no-mirror', '--base-url', fast.url, '--cache', cache]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^downloaded\s+annuaire-87\b/m);
      expect(r.stderr).toContain(`annuaire-87: resuming at byte ${partial}`);
      expect(fast.log.map((l) => [l.range, l.status])).toEqual([[`bytes=${partial}-`, 206]]);
    } finally {
      await fast.close();
    }
    expect(sha256(dest)).toBe(entry.sha256);
    expect(fs.existsSync(`${dest}.part`)).toBe(false);
  });

  it('SIGINT, then the partial file damaged: the resumed file fails its checksum and the next attempt restarts from 0', async () => {
    const cache = path.join(tmp, 'cache-int');
    const dest = path.join(cache, entry.path);
    const slow = await serveDir(sharedData, { bytesPerTick: 4096 });
    try {
      const run = start(['data', 'fetch', 'annuaire-87', '--no-mirror', '--base-url', slow.url, '--cache', cache]);
      expect(await until(() => size(`${dest}.part`) > 40_000)).toBe(true);
      run.child.kill('SIGINT');
      const end = await run.done;
      expect(end.code !== 0 || end.signal !== null).toBe(true);
    } finally {
      await slow.close();
    }
    expect(fs.existsSync(dest)).toBe(false);
    // A damaged byte in the part (a disk or a copy went wrong): resuming alone cannot fix it.
    const part = fs.readFileSync(`${dest}.part`);
    part[1000] ^= 0xff;
    fs.writeFileSync(`${dest}.part`, part);

    const fast = await serveDir(sharedData);
    try {
      const r = await fsAccess(['data', 'fetch', 'annuaire-87', '--no-mirror', '--base-url', fast.url, '--cache', cache]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('annuaire-87: checksum mismatch after resuming a partial file; downloading again from 0');
      expect(fast.log.map((l) => [l.range, l.status])).toEqual([
        [`bytes=${part.length}-`, 206],
        [undefined, 200],
      ]);
    } finally {
      await fast.close();
    }
    expect(sha256(dest)).toBe(entry.sha256);
    expect(fs.readdirSync(path.dirname(dest))).toEqual([path.basename(dest)]);
  });
});

const OUTPUTS = ['communes.csv', 'gaps.geojson', 'households.geojson', 'report.md', 'sites.geojson', 'summary.json'];

/** The output folder is absent, or complete (every file, summary.json whole): never half-written. */
function absentOrComplete(out: string): 'absent' | 'complete' {
  if (!fs.existsSync(out)) return 'absent';
  expect(fs.readdirSync(out).sort()).toEqual(OUTPUTS);
  JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8').length).toBeGreaterThan(100);
  return 'complete';
}

const temps = (dir: string) => fs.readdirSync(dir).filter((f) => f.includes('.tmp-'));

describe.skipIf(!hasSharedData)('report interrupted by a signal', () => {
  it('SIGINT while loading: no output folder, no temp', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'r-int-'));
    const out = path.join(dir, 'out');
    const run = start(['report', '--departement', '87', '--households', 'grid', '--out', out]);
    expect(await until(() => run.stderr().includes('sites loaded'))).toBe(true);
    run.child.kill('SIGINT');
    const end = await run.done;
    expect(end.code !== 0 || end.signal !== null).toBe(true);
    expect(absentOrComplete(out)).toBe('absent');
    expect(temps(dir)).toEqual([]);
  });

  it('SIGTERM or SIGKILL as the outputs are written: the folder is absent or complete; a rerun sweeps what SIGKILL left', async () => {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const dir = fs.mkdtempSync(path.join(tmp, `r-${signal}-`));
      const out = path.join(dir, 'out');
      const run = start(['report', '--departement', '87', '--households', 'grid', '--out', out]);
      // Kill the moment the temp output folder appears (the outputs are being written).
      const sawTemp = await until(() => temps(dir).length > 0 || fs.existsSync(out) || run.child.exitCode !== null);
      expect(sawTemp).toBe(true);
      run.child.kill(signal);
      await run.done;
      const state = absentOrComplete(out);
      if (process.env.DEBUG_INTERRUPT) console.log(signal, state, temps(dir));
      if (signal === 'SIGTERM') expect(temps(dir)).toEqual([]); // the handler removed it
      // Whatever was left, the next run (into a fresh name if the folder exists) succeeds and leaves no temp.
      const again = fs.existsSync(out) ? path.join(dir, 'out2') : out;
      const r = await fsAccess(['report', '--departement', '87', '--households', 'grid', '--out', again]);
      expect(r.code, r.stderr).toBe(0);
      expect(absentOrComplete(again)).toBe('complete');
      // A SIGKILLed run's temp is swept only by a run writing the same output name.
      if (again === out) expect(temps(dir)).toEqual([]);
    }
  });

  it('a temp folder left by a killed run (dead pid, half-written) is removed by the next run of the same output', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'r-stale-'));
    const out = path.join(dir, 'out');
    // pid 2^22 + 1 is above the largest pid Linux can give (PID_MAX_LIMIT = 2^22): no live process has it.
    const stale = path.join(dir, `.out.tmp-${2 ** 22 + 1}-0`);
    fs.mkdirSync(stale);
    fs.writeFileSync(path.join(stale, 'summary.json'), '{"half": ');
    const r = await fsAccess(['report', '--departement', '87', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(stale)).toBe(false);
    expect(absentOrComplete(out)).toBe('complete');
    expect(temps(dir)).toEqual([]);
  });
});
