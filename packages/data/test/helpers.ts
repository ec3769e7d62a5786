import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { repoRoot } from '../src/paths.ts';

/** A hand-made fixture under data/fixtures. */
export const fixture = (...parts: string[]) => path.join(repoRoot, 'data', 'fixtures', ...parts);

/** The real data (the read-only mirror beside the checkout, or $FS_ACCESS_MIRROR). */
export const shared = (...parts: string[]) => path.join(process.env.FS_ACCESS_MIRROR ?? path.resolve(repoRoot, '..', 'shared', 'data'), ...parts);

const created: string[] = [];
// Registered when a test file imports this module: removes every temp dir it made.
afterAll(() => {
  for (const d of created) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh temp directory, removed after the test file's tests. */
export function tempDir(prefix = 'fs-access-data-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(d);
  return d;
}

/** Writes bytes or text to a file in dir and returns its path. */
export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}
