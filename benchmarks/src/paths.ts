import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** benchmarks/ (this package's root). */
export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root. */
export const REPO_ROOT = path.resolve(BENCH_DIR, '..');

/** A file of the shared real-data mirror (`../shared/data` beside the repo, or $FS_ACCESS_DATA). */
export function dataPath(...parts: string[]): string {
  const root = process.env.FS_ACCESS_DATA ?? path.resolve(REPO_ROOT, '../shared/data');
  return path.join(root, ...parts);
}

export function exists(file: string): boolean {
  return fs.existsSync(file);
}
