/**
 * Where things are: the repository root (computed from this file's location, so it does
 * not depend on the working directory), the cache, the mirror.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataNotFoundError } from './errors.ts';

/** Absolute path of the repository checkout (packages/data/src → ../../..). */
export const repoRoot: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The git-ignored cache that `data fetch` fills: `<repo>/data/cache`. */
export const defaultCacheDir: string = path.join(repoRoot, 'data', 'cache');

/** `<repo>/data/manifest.json`. */
export const manifestPath: string = path.join(repoRoot, 'data', 'manifest.json');

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The mirror directory to copy from, in order: the explicit argument, env
 * `FS_ACCESS_MIRROR`, `../shared/data` beside the checkout when it exists; undefined
 * means "use the network". An explicit or env mirror that does not exist is still
 * returned (the caller reports the missing file rather than silently going online).
 */
export function resolveMirror(explicit?: string): string | undefined {
  if (explicit) return path.resolve(explicit);
  const env = process.env.FS_ACCESS_MIRROR;
  if (env) return path.resolve(env);
  const beside = path.resolve(repoRoot, '..', 'shared', 'data');
  return isDir(beside) ? beside : undefined;
}

/**
 * Absolute path of a data file given its path relative to the data layout (the same
 * under data/cache and under a mirror, e.g. 'france-services/liste-fs-20240801.csv'):
 * the cache first, then the mirror. Does not check the checksum (fetch does).
 * Throws DataNotFoundError naming both places when the file is in neither.
 */
export function dataPath(relPath: string, { cacheDir = defaultCacheDir, mirror }: { cacheDir?: string; mirror?: string } = {}): string {
  const inCache = path.join(cacheDir, relPath);
  if (fs.existsSync(inCache)) return inCache;
  const m = resolveMirror(mirror);
  if (m) {
    const inMirror = path.join(m, relPath);
    if (fs.existsSync(inMirror)) return inMirror;
  }
  throw new DataNotFoundError(
    `${relPath}: not in the cache (${inCache})${m ? ` nor in the mirror (${path.join(m, relPath)})` : ' and no mirror found'}; run \`pnpm fs-access data fetch\``,
    relPath,
  );
}

/** Like dataPath, but undefined instead of an error (for tests that skip without the data). */
export function findDataPath(relPath: string, opts: { cacheDir?: string; mirror?: string } = {}): string | undefined {
  try {
    return dataPath(relPath, opts);
  } catch (err) {
    if (err instanceof DataNotFoundError) return undefined;
    throw err;
  }
}
