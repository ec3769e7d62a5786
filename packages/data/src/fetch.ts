/**
 * Fills the cache (data/cache, same layout as a mirror) with the manifest's sources: from
 * a mirror directory when there is one, else over HTTP(S) with resume (Range on the
 * `.part` file), bounded retries with exponential backoff, and a sha256 check. A file
 * reaches its cache path only by rename after its checksum matched, so the cache never
 * holds a wrong or half-written file under a real name.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import crypto from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { ChecksumError, DownloadError, ManifestError } from './errors.ts';
import { expandNames, loadManifest, sha256File, type Manifest } from './manifest.ts';
import { defaultCacheDir, resolveMirror } from './paths.ts';
import type { SourceEntry } from './types.ts';

export interface FetchOptions {
  /** The manifest to read entries from (default data/manifest.json). */
  manifest?: Manifest;
  /**
   * Mirror directory to copy from. Default: env FS_ACCESS_MIRROR, else ../shared/data
   * beside the checkout when it exists. `false`: never use a mirror (network only).
   */
  mirror?: string | false;
  /** Cache directory (default <repo>/data/cache). */
  cacheDir?: string;
  /**
   * Download `${baseUrl}/${entry.path}` instead of the manifest url (tests, or a private
   * mirror served over HTTP). Default: env FS_ACCESS_BASE_URL.
   */
  baseUrl?: string;
  /** Fetch again even when the cached file has the right checksum. */
  force?: boolean;
  /** Extra attempts after a failed one (network errors, 5xx, 408, 429). Default 4. */
  retries?: number;
  /** First backoff delay in ms, doubled each retry, capped at 10 s. Default 500. */
  retryDelayMs?: number;
  /** Abort an attempt whose socket is idle this long (ms). Default 30,000. */
  timeoutMs?: number;
  /** Called as bytes arrive (or are copied): source name, bytes done, bytes expected. */
  onProgress?: (name: string, bytesDone: number, bytesTotal: number) => void;
  /** Called with one-line notes (retries, resumes) for a log. */
  onNote?: (message: string) => void;
}

export interface FetchResult {
  name: string;
  /** Absolute path in the cache. */
  path: string;
  /** 'cached': already there with the right checksum; 'copied': from the mirror; 'downloaded': over the network. */
  status: 'cached' | 'copied' | 'downloaded';
  bytes: number;
  /** Where it came from: the cache path, the mirror path or the url. */
  from: string;
  /** HTTP requests made (0 unless downloaded). */
  requests: number;
}

/** True when `file` exists with the entry's size and sha256. */
export async function isValidCopy(file: string, entry: SourceEntry): Promise<boolean> {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return false;
  }
  if (!st.isFile() || st.size !== entry.size) return false;
  return (await sha256File(file)) === entry.sha256;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Copies a mirror file to `dest` via `dest.part` (the download's temp name too, so an
 * interrupted copy leaves one file that the next run overwrites), hashing on the way;
 * ChecksumError and no file on mismatch.
 */
async function copyFromMirror(entry: SourceEntry, src: string, dest: string, opts: FetchOptions): Promise<void> {
  const tmp = `${dest}.part`;
  const hash = crypto.createHash('sha256');
  let done = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      done += chunk.length;
      opts.onProgress?.(entry.name, done, entry.size);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(fs.createReadStream(src, { highWaterMark: 1 << 20 }), meter, fs.createWriteStream(tmp));
    const actual = hash.digest('hex');
    if (actual !== entry.sha256 || done !== entry.size) {
      throw new ChecksumError(
        `${entry.name}: mirror file ${src} has sha256 ${actual} (${done} bytes), the manifest says ${entry.sha256} (${entry.size} bytes); nothing was written to the cache`,
        entry.name,
        entry.sha256,
        actual,
      );
    }
    fs.renameSync(tmp, dest);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** An attempt that failed in a way worth retrying. */
class RetryableError extends Error {
  override name = 'RetryableError';
}

const isPermanent = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

/**
 * One HTTP GET into `part`, resuming from its current size with a Range request. Resolves
 * when the response body has been fully written; rejects with DownloadError for a
 * permanent failure, RetryableError otherwise.
 */
function getOnce(url: string, part: string, entry: SourceEntry, opts: FetchOptions, redirects = 0): Promise<void> {
  let start = 0;
  try {
    start = fs.statSync(part).size;
  } catch {
    start = 0;
  }
  if (start > entry.size) {
    fs.rmSync(part, { force: true });
    start = 0;
  }
  if (start === entry.size) return Promise.resolve();
  const lib = url.startsWith('https:') ? https : http;
  return new Promise<void>((resolve, reject) => {
    const headers: Record<string, string> = { 'user-agent': 'fs-access-data' };
    if (start > 0) headers.range = `bytes=${start}-`;
    const req = lib.get(url, { headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= 5) return reject(new DownloadError(`${url}: too many redirects`, url, status));
        const next = new URL(res.headers.location, url).toString();
        getOnce(next, part, entry, opts, redirects + 1).then(resolve, reject);
        return;
      }
      if (status === 416) {
        // Our partial file is not a prefix the server recognises: start over.
        res.resume();
        fs.rmSync(part, { force: true });
        return reject(new RetryableError(`${url}: HTTP 416 for bytes=${start}-, restarting from 0`));
      }
      if (status !== 200 && status !== 206) {
        res.resume();
        const e = `${url}: HTTP ${status} ${res.statusMessage ?? ''}`.trim();
        return reject(isPermanent(status) ? new DownloadError(e, url, status) : new RetryableError(e));
      }
      let offset = 0;
      if (status === 206) {
        const m = /^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''));
        if (!m || Number(m[1]) !== start) {
          res.resume();
          fs.rmSync(part, { force: true });
          return reject(new RetryableError(`${url}: unexpected Content-Range "${res.headers['content-range']}" for bytes=${start}-, restarting from 0`));
        }
        offset = start;
      }
      if (start > 0 && status === 206) opts.onNote?.(`${entry.name}: resuming at byte ${start}`);
      let done = offset;
      const meter = new Transform({
        transform(chunk: Buffer, _e, cb) {
          done += chunk.length;
          opts.onProgress?.(entry.name, done, entry.size);
          cb(null, chunk);
        },
      });
      // 200 rewrites the file from 0 (server ignored the Range); 206 appends.
      pipeline(res, meter, fs.createWriteStream(part, { flags: offset > 0 ? 'a' : 'w' })).then(
        () => {
          if (!res.complete) reject(new RetryableError(`${url}: connection closed after ${done} of ${entry.size} bytes`));
          else resolve();
        },
        (err: Error) => reject(new RetryableError(`${url}: ${err.message} after ${done} of ${entry.size} bytes`)),
      );
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`no data for ${opts.timeoutMs ?? 30_000} ms`)));
    req.on('error', (err) => reject(new RetryableError(`${url}: ${err.message}`)));
  });
}

/** Downloads into `dest` through `dest.part` (kept between runs for resume), with retries and the checksum check. */
async function download(entry: SourceEntry, url: string, dest: string, opts: FetchOptions): Promise<number> {
  const part = `${dest}.part`;
  const retries = opts.retries ?? 4;
  const baseDelay = opts.retryDelayMs ?? 500;
  let failures = 0;
  let requests = 0;
  let restartedAfterMismatch = false;
  for (;;) {
    const hadPartial = fs.existsSync(part) && fs.statSync(part).size > 0;
    try {
      requests++;
      await getOnce(url, part, entry, opts);
    } catch (err) {
      if (err instanceof DownloadError) {
        fs.rmSync(part, { force: true });
        throw err;
      }
      failures++;
      if (failures > retries) {
        throw new DownloadError(`${url}: failed after ${failures} attempts (last: ${(err as Error).message}); the partial file ${part} is kept for the next run to resume`, url);
      }
      const delay = Math.min(10_000, baseDelay * 2 ** (failures - 1));
      opts.onNote?.(`${entry.name}: ${(err as Error).message}; retry ${failures}/${retries} in ${delay} ms`);
      await sleep(delay);
      continue;
    }
    const actual = await sha256File(part);
    if (actual === entry.sha256) {
      fs.renameSync(part, dest);
      return requests;
    }
    fs.rmSync(part, { force: true });
    if (hadPartial && !restartedAfterMismatch) {
      // The leftover partial file may have come from another version or a corrupted run.
      restartedAfterMismatch = true;
      opts.onNote?.(`${entry.name}: checksum mismatch after resuming a partial file; downloading again from 0`);
      continue;
    }
    throw new ChecksumError(`${entry.name}: sha256 of ${url} is ${actual}, the manifest says ${entry.sha256}; nothing was written to the cache`, entry.name, entry.sha256, actual);
  }
}

/** The address a source is downloaded from, given the options (baseUrl or env override, else the manifest url). */
export function sourceUrl(entry: SourceEntry, opts: Pick<FetchOptions, 'baseUrl'> = {}): string {
  const base = opts.baseUrl ?? process.env.FS_ACCESS_BASE_URL;
  if (base) return `${base.replace(/\/+$/, '')}/${entry.path.split('/').map(encodeURIComponent).join('/')}`;
  return entry.url;
}

/** Brings one source into the cache (see fetchSources). */
export async function fetchSource(entry: SourceEntry, opts: FetchOptions = {}): Promise<FetchResult> {
  const cacheDir = path.resolve(opts.cacheDir ?? defaultCacheDir);
  const dest = path.join(cacheDir, entry.path);
  if (!opts.force && (await isValidCopy(dest, entry))) {
    return { name: entry.name, path: dest, status: 'cached', bytes: entry.size, from: dest, requests: 0 };
  }
  const created = fs.mkdirSync(path.dirname(dest), { recursive: true });
  try {
    return await bringIn(entry, dest, opts);
  } catch (err) {
    // A failed fetch leaves no trace but a resumable .part: not even the folders it made.
    if (created) removeEmptyDirs(path.dirname(dest), created);
    throw err;
  }
}

/** Removes `dir` and its parents up to `top` (included) while they are empty. */
function removeEmptyDirs(dir: string, top: string): void {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      if (fs.readdirSync(d).length > 0) return;
      fs.rmdirSync(d);
    } catch {
      return;
    }
    if (path.resolve(d) === path.resolve(top) || path.dirname(d) === d) return;
  }
}

async function bringIn(entry: SourceEntry, dest: string, opts: FetchOptions): Promise<FetchResult> {
  const mirror = opts.mirror === false ? undefined : resolveMirror(opts.mirror);
  const inMirror = mirror ? path.join(mirror, entry.path) : undefined;
  if (inMirror && fs.existsSync(inMirror)) {
    await copyFromMirror(entry, inMirror, dest, opts);
    return { name: entry.name, path: dest, status: 'copied', bytes: entry.size, from: inMirror, requests: 0 };
  }
  const url = sourceUrl(entry, opts);
  if (entry.conversion && url === entry.url) {
    throw new DownloadError(
      `${entry.name}: ${entry.path} is not served as is by ${entry.url} (it was made with: ${entry.conversion}); copy it from a mirror (--mirror DIR or FS_ACCESS_MIRROR)${inMirror ? `; not found in ${inMirror}` : ''}`,
      entry.url,
    );
  }
  if (inMirror) opts.onNote?.(`${entry.name}: not in the mirror (${inMirror}), downloading ${url}`);
  const requests = await download(entry, url, dest, opts);
  return { name: entry.name, path: dest, status: 'downloaded', bytes: entry.size, from: url, requests };
}

/**
 * Brings the named sources (or groups; none = the 'default' group) into the cache, one
 * after the other: skips a file already cached with the right sha256 (unless `force`),
 * else copies it from the mirror, else downloads it. Throws ManifestError for an unknown
 * name, ChecksumError when a copy or download does not match the manifest, DownloadError
 * when the network fails for good (HTTP 4xx at once; other errors after `retries`).
 */
export async function fetchSources(names: string[], opts: FetchOptions = {}): Promise<FetchResult[]> {
  const manifest = opts.manifest ?? loadManifest();
  const entries = expandNames(manifest, names);
  const out: FetchResult[] = [];
  for (const e of entries) out.push(await fetchSource(e, opts));
  return out;
}

/**
 * Absolute cache path of one source (not a group), fetched first if it is missing or
 * does not match its checksum.
 */
export async function resolveSource(name: string, opts: FetchOptions = {}): Promise<string> {
  const manifest = opts.manifest ?? loadManifest();
  const entry = manifest.sources.find((s) => s.name === name);
  if (!entry) {
    if (manifest.groups[name]) throw new ManifestError(`"${name}" is a group; resolveSource takes one source name (${manifest.groups[name].join(', ')})`);
    expandNames(manifest, [name]); // throws the unknown-name error with the list of names
  }
  return (await fetchSource(entry!, opts)).path;
}

export interface CacheStatus {
  entry: SourceEntry;
  path: string;
  /** 'ok': present with the right checksum; 'missing'; 'partial': only a .part file; 'mismatch': present but wrong size or checksum. */
  state: 'ok' | 'missing' | 'partial' | 'mismatch';
}

/** What the cache holds for each entry (hashes every present file). */
export async function cacheStatus(entries: SourceEntry[], cacheDir = defaultCacheDir): Promise<CacheStatus[]> {
  const out: CacheStatus[] = [];
  for (const entry of entries) {
    const p = path.join(cacheDir, entry.path);
    let state: CacheStatus['state'];
    if (fs.existsSync(p)) state = (await isValidCopy(p, entry)) ? 'ok' : 'mismatch';
    else state = fs.existsSync(`${p}.part`) ? 'partial' : 'missing';
    out.push({ entry, path: p, state });
  }
  return out;
}
