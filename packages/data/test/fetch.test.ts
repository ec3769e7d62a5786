/**
 * Fetch against a real HTTP server on 127.0.0.1 serving a temp directory: resume, retry,
 * checksum, errors, mirror copies, and a download killed with SIGKILL then resumed.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchSources, resolveSource, cacheStatus } from '../src/fetch.ts';
import { ChecksumError, DownloadError } from '../src/errors.ts';
import type { Manifest } from '../src/manifest.ts';
import type { SourceEntry } from '../src/types.ts';
import { repoRoot } from '../src/paths.ts';
import { tempDir, writeFile } from './helpers.ts';

interface Served {
  path: string;
  range?: string;
  status: number;
}

/** Per-path behaviour of the test server. */
interface Behaviour {
  /** Destroy the socket after this many body bytes, on the next request only. */
  dropAfter: Map<string, number>;
  /** Answer HTTP 500 this many times before serving. */
  failTimes: Map<string, number>;
  /** Send the body in 8 KiB pieces every 5 ms. */
  slow: Set<string>;
}

const root = tempDir('fs-access-served-');
const log: Served[] = [];
const behaviour: Behaviour = { dropAfter: new Map(), failTimes: new Map(), slow: new Set() };
let server: http.Server;
let baseUrl = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname).slice(1);
    const file = path.join(root, rel);
    const entry: Served = { path: rel, range: req.headers.range, status: 0 };
    log.push(entry);
    const fails = behaviour.failTimes.get(rel) ?? 0;
    if (fails > 0) {
      behaviour.failTimes.set(rel, fails - 1);
      entry.status = 500;
      res.writeHead(500).end('busy');
      return;
    }
    if (!fs.existsSync(file)) {
      entry.status = 404;
      res.writeHead(404).end('not found');
      return;
    }
    const data = fs.readFileSync(file);
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m) {
      start = Number(m[1]);
      if (start >= data.length) {
        entry.status = 416;
        res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
        return;
      }
      entry.status = 206;
      res.writeHead(206, { 'content-length': data.length - start, 'content-range': `bytes ${start}-${data.length - 1}/${data.length}`, 'accept-ranges': 'bytes' });
    } else {
      entry.status = 200;
      res.writeHead(200, { 'content-length': data.length, 'accept-ranges': 'bytes' });
    }
    const body = data.subarray(start);
    const drop = behaviour.dropAfter.get(rel);
    if (drop !== undefined) {
      behaviour.dropAfter.delete(rel);
      res.write(body.subarray(0, drop), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    if (behaviour.slow.has(rel)) {
      let at = 0;
      const tick = () => {
        if (res.destroyed) return;
        if (at >= body.length) return void res.end();
        res.write(body.subarray(at, at + 8192));
        at += 8192;
        setTimeout(tick, 5);
      };
      tick();
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  fs.rmSync(root, { recursive: true, force: true });
});

let cacheDir = '';
beforeEach(() => {
  log.length = 0;
  behaviour.dropAfter.clear();
  behaviour.failTimes.clear();
  behaviour.slow.clear();
  cacheDir = tempDir('fs-access-cache-');
});
afterEach(() => {
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

/** Serves random bytes at relPath and returns a matching manifest entry. */
function serve(name: string, relPath: string, size: number, seed: number): { entry: SourceEntry; bytes: Buffer } {
  const bytes = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  writeFile(root, relPath, bytes);
  const entry: SourceEntry = {
    name,
    path: relPath,
    url: `https://example.invalid/${relPath}`,
    licence: 'test',
    size,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    format: 'bin',
    date: '2024',
    description: 'test bytes',
  };
  return { entry, bytes };
}

const manifestOf = (...entries: SourceEntry[]): Manifest => ({ version: 1, sources: entries, groups: { both: entries.map((e) => e.name) } });
const opts = (manifest: Manifest, extra = {}) => ({ manifest, cacheDir, mirror: false as const, baseUrl, retryDelayMs: 5, ...extra });
const leftovers = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile());

describe('fetchSources over HTTP', () => {
  it('downloads a good file, checks it, and skips it the next time', async () => {
    const { entry, bytes } = serve('good', 'a/good.bin', 300_000, 1);
    const progress: number[] = [];
    const [r] = await fetchSources(['good'], opts(manifestOf(entry), { onProgress: (_n: string, done: number, total: number) => (expect(total).toBe(300_000), progress.push(done)) }));
    expect(r.status).toBe('downloaded');
    expect(r.from).toBe(`${baseUrl}/a/good.bin`);
    expect(fs.readFileSync(path.join(cacheDir, 'a/good.bin')).equals(bytes)).toBe(true);
    expect(progress.at(-1)).toBe(300_000);
    expect(log.map((l) => l.status)).toEqual([200]);
    const [again] = await fetchSources(['both'], opts(manifestOf(entry)));
    expect(again.status).toBe('cached');
    expect(log.length).toBe(1);
    const [forced] = await fetchSources(['good'], opts(manifestOf(entry), { force: true }));
    expect(forced.status).toBe('downloaded');
    expect(log.length).toBe(2);
    expect(leftovers(cacheDir)).toEqual([path.join('a', 'good.bin')]);
  });

  it('throws ChecksumError and leaves nothing in the cache when the file differs', async () => {
    const { entry } = serve('wrong', 'wrong.bin', 50_000, 2);
    const bad = { ...entry, sha256: '0'.repeat(64) };
    const err = await fetchSources(['wrong'], opts(manifestOf(bad))).catch((e) => e);
    expect(err).toBeInstanceOf(ChecksumError);
    expect(err.name).toBe('ChecksumError');
    expect(err.message).toContain(`${baseUrl}/wrong.bin`);
    expect(err.message).toContain(`the manifest says ${'0'.repeat(64)}`);
    expect(err.actual).toBe(entry.sha256);
    expect(leftovers(cacheDir)).toEqual([]);
  });

  it('throws DownloadError naming the url and status for a 404, without retrying', async () => {
    const { entry } = serve('gone', 'gone.bin', 10, 3);
    fs.rmSync(path.join(root, 'gone.bin'));
    const err = await fetchSources(['gone'], opts(manifestOf(entry))).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.status).toBe(404);
    expect(err.url).toBe(`${baseUrl}/gone.bin`);
    expect(err.message).toBe(`${baseUrl}/gone.bin: HTTP 404 Not Found`);
    expect(log.length).toBe(1);
    expect(leftovers(cacheDir)).toEqual([]);
  });

  it('resumes with a Range request when the connection drops midway', async () => {
    const { entry, bytes } = serve('drop', 'drop.bin', 400_000, 4);
    behaviour.dropAfter.set('drop.bin', 150_000);
    const notes: string[] = [];
    const [r] = await fetchSources(['drop'], opts(manifestOf(entry), { onNote: (m: string) => notes.push(m) }));
    expect(r.status).toBe('downloaded');
    expect(r.requests).toBe(2);
    expect(log.length).toBe(2);
    expect(log[0]).toMatchObject({ status: 200, range: undefined });
    expect(log[1].status).toBe(206);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(log[1].range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(150_000);
    expect(fs.readFileSync(path.join(cacheDir, 'drop.bin')).equals(bytes)).toBe(true);
    expect(notes.some((n) => n.includes('retry 1/4'))).toBe(true);
  });

  it('retries server errors with backoff, and gives up after the bound', async () => {
    const { entry } = serve('flaky', 'flaky.bin', 1000, 5);
    behaviour.failTimes.set('flaky.bin', 2);
    const [r] = await fetchSources(['flaky'], opts(manifestOf(entry)));
    expect(r.status).toBe('downloaded');
    expect(log.map((l) => l.status)).toEqual([500, 500, 200]);
    log.length = 0;
    behaviour.failTimes.set('flaky.bin', 100);
    const err = await fetchSources(['flaky'], opts(manifestOf(entry), { force: true, retries: 2 })).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toContain('failed after 3 attempts');
    expect(err.message).toContain('HTTP 500');
    expect(log.length).toBe(3);
  });

  it('resumes a partial file left by an earlier run, and restarts when its bytes are wrong', async () => {
    const { entry, bytes } = serve('part', 'p/part.bin', 200_000, 6);
    const part = writeFile(cacheDir, 'p/part.bin.part', bytes.subarray(0, 120_000));
    const [r] = await fetchSources(['part'], opts(manifestOf(entry)));
    expect(r.status).toBe('downloaded');
    expect(log.map((l) => [l.status, l.range])).toEqual([[206, 'bytes=120000-']]);
    expect(fs.existsSync(part)).toBe(false);
    expect(fs.readFileSync(path.join(cacheDir, 'p/part.bin')).equals(bytes)).toBe(true);

    // A partial file from something else: resumed, fails the checksum, downloaded again from 0.
    log.length = 0;
    fs.rmSync(path.join(cacheDir, 'p/part.bin'));
    writeFile(cacheDir, 'p/part.bin.part', Buffer.alloc(120_000, 7));
    const [r2] = await fetchSources(['part'], opts(manifestOf(entry)));
    expect(r2.status).toBe('downloaded');
    expect(log.map((l) => [l.status, l.range])).toEqual([
      [206, 'bytes=120000-'],
      [200, undefined],
    ]);
    expect(fs.readFileSync(path.join(cacheDir, 'p/part.bin')).equals(bytes)).toBe(true);

    // A partial file longer than the source is dropped.
    log.length = 0;
    fs.rmSync(path.join(cacheDir, 'p/part.bin'));
    writeFile(cacheDir, 'p/part.bin.part', Buffer.alloc(250_000, 1));
    await fetchSources(['part'], opts(manifestOf(entry)));
    expect(log.map((l) => [l.status, l.range])).toEqual([[200, undefined]]);
    expect(leftovers(cacheDir)).toEqual([path.join('p', 'part.bin')]);
  });

  it('resumes after the fetching process was killed with SIGKILL', async () => {
    const { entry, bytes } = serve('killed', 'killed.bin', 1_000_000, 8);
    behaviour.slow.add('killed.bin');
    const manifestFile = writeFile(cacheDir, 'manifest-killed.json', JSON.stringify(manifestOf(entry)));
    const script = writeFile(
      cacheDir,
      'child.mts',
      `import { fetchSources } from ${JSON.stringify(path.join(repoRoot, 'packages/data/src/fetch.ts'))};
       import { loadManifest } from ${JSON.stringify(path.join(repoRoot, 'packages/data/src/manifest.ts'))};
       await fetchSources(['killed'], { manifest: loadManifest(${JSON.stringify(manifestFile)}), cacheDir: ${JSON.stringify(cacheDir)}, mirror: false, baseUrl: ${JSON.stringify(baseUrl)} });`,
    );
    // One process (node with the tsx loader), so SIGKILL leaves no orphan still downloading.
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let childErr = '';
    child.stderr.on('data', (d) => (childErr += d));
    const exited = new Promise((r) => child.once('exit', r));
    const part = path.join(cacheDir, 'killed.bin.part');
    const deadline = Date.now() + 20_000;
    while (!(fs.existsSync(part) && fs.statSync(part).size >= 100_000) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    expect(childErr).toBe('');
    expect(child.exitCode).toBe(null);
    child.kill('SIGKILL');
    await exited;
    const partial = fs.statSync(part).size;
    expect(partial).toBeGreaterThanOrEqual(100_000);
    expect(partial).toBeLessThan(1_000_000);
    expect(fs.existsSync(path.join(cacheDir, 'killed.bin'))).toBe(false);

    behaviour.slow.clear();
    log.length = 0;
    const [r] = await fetchSources(['killed'], opts(manifestOf(entry)));
    expect(r.status).toBe('downloaded');
    expect(log.map((l) => [l.status, l.range])).toEqual([[206, `bytes=${partial}-`]]);
    expect(fs.readFileSync(path.join(cacheDir, 'killed.bin')).equals(bytes)).toBe(true);
  });

  it('refuses to download a converted source from its upstream url', async () => {
    const { entry } = serve('conv', 'conv.bin', 10, 9);
    const conv = { ...entry, conversion: 'osmium cat x.osm.gz -o x.osm.pbf' };
    const err = await fetchSources(['conv'], { manifest: manifestOf(conv), cacheDir, mirror: false }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toContain('copy it from a mirror');
    expect(log.length).toBe(0);
  });
});

describe('fetchSources from a mirror', () => {
  it('copies and verifies, prefers the mirror to the network, and resolveSource returns the cache path', async () => {
    const { entry, bytes } = serve('m', 'm/file.bin', 70_000, 10);
    const mirror = tempDir('fs-access-mirror-');
    writeFile(mirror, 'm/file.bin', bytes);
    const [r] = await fetchSources(['m'], { ...opts(manifestOf(entry)), mirror });
    expect(r.status).toBe('copied');
    expect(r.from).toBe(path.join(mirror, 'm/file.bin'));
    expect(log.length).toBe(0);
    expect(await resolveSource('m', { ...opts(manifestOf(entry)), mirror })).toBe(path.join(cacheDir, 'm/file.bin'));
    expect((await cacheStatus([entry], cacheDir))[0].state).toBe('ok');
    fs.rmSync(mirror, { recursive: true, force: true });
  });

  it('throws ChecksumError for a corrupt mirror file and writes nothing', async () => {
    const { entry } = serve('mc', 'mc.bin', 1000, 11);
    const mirror = tempDir('fs-access-mirror-');
    writeFile(mirror, 'mc.bin', Buffer.alloc(1000, 1));
    const err = await fetchSources(['mc'], { ...opts(manifestOf(entry)), mirror }).catch((e) => e);
    expect(err).toBeInstanceOf(ChecksumError);
    expect(err.message).toContain(`mirror file ${path.join(mirror, 'mc.bin')}`);
    expect(leftovers(cacheDir)).toEqual([]);
    expect((await cacheStatus([entry], cacheDir))[0].state).toBe('missing');
    fs.rmSync(mirror, { recursive: true, force: true });
  });

  it('falls back to the network for a file the mirror lacks', async () => {
    const { entry } = serve('net', 'net.bin', 1000, 12);
    const mirror = tempDir('fs-access-mirror-');
    const [r] = await fetchSources(['net'], { ...opts(manifestOf(entry)), mirror });
    expect(r.status).toBe('downloaded');
    fs.rmSync(mirror, { recursive: true, force: true });
  });
});
