/**
 * The source manifest (data/manifest.json): every data file the project uses, with its
 * public address, licence, size and sha256, plus named groups ('filosofi-87', 'default').
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { ManifestError } from './errors.ts';
import { manifestPath } from './paths.ts';
import type { SourceEntry } from './types.ts';

export interface Manifest {
  /** Format version of this file. */
  version: number;
  sources: SourceEntry[];
  /** Group name → source or group names. */
  groups: Record<string, string[]>;
}

/** SHA-256 of a file, hex, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Checks shape and consistency (unique names and paths, hex checksums, groups that resolve). */
export function validateManifest(m: Manifest, where = 'manifest'): Manifest {
  if (!m || !Array.isArray(m.sources)) throw new ManifestError(`${where}: no "sources" array`);
  const names = new Set<string>();
  const paths = new Set<string>();
  m.sources.forEach((s, i) => {
    for (const k of ['name', 'path', 'url', 'licence', 'sha256', 'format', 'date', 'description'] as const) {
      if (typeof s[k] !== 'string' || s[k] === '') throw new ManifestError(`${where}: source ${i + 1} (${s.name ?? '?'}) has no "${k}"`);
    }
    if (!Number.isInteger(s.size) || s.size < 0) throw new ManifestError(`${where}: source ${s.name} has no valid "size"`);
    if (!/^[0-9a-f]{64}$/.test(s.sha256)) throw new ManifestError(`${where}: source ${s.name}: sha256 must be 64 lower-case hex digits`);
    if (s.path.startsWith('/') || s.path.split('/').includes('..')) throw new ManifestError(`${where}: source ${s.name}: path must be relative, without '..'`);
    if (names.has(s.name)) throw new ManifestError(`${where}: source name ${s.name} listed twice`);
    if (paths.has(s.path)) throw new ManifestError(`${where}: path ${s.path} listed twice`);
    names.add(s.name);
    paths.add(s.path);
  });
  const groups = m.groups ?? {};
  for (const g of Object.keys(groups)) {
    if (names.has(g)) throw new ManifestError(`${where}: group ${g} has the name of a source`);
    expandNames(m, [g]);
  }
  return m;
}

/** Reads and validates data/manifest.json (or another manifest file). */
export function loadManifest(file = manifestPath): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ManifestError(`${file}: cannot read the manifest (${(err as Error).message})`);
  }
  m.groups ??= {};
  return validateManifest(m, file);
}

/**
 * Source entries for a list of source and group names (groups expand recursively; 'all'
 * means every source), each once, in manifest order. An empty list means the 'default'
 * group. Throws ManifestError for an unknown name.
 */
export function expandNames(m: Manifest, names: string[]): SourceEntry[] {
  const byName = new Map(m.sources.map((s) => [s.name, s]));
  const wanted = new Set<string>();
  const visit = (n: string, stack: string[]) => {
    if (byName.has(n)) {
      wanted.add(n);
      return;
    }
    if (n === 'all' && !m.groups.all) {
      for (const s of m.sources) wanted.add(s.name);
      return;
    }
    const g = m.groups[n];
    if (!g) {
      throw new ManifestError(
        `unknown source or group "${n}"${stack.length ? ` (in group ${stack.join(' → ')})` : ''}; groups: ${[...Object.keys(m.groups), 'all'].join(', ')} (\`fs-access data list\` shows the sources)`,
      );
    }
    if (stack.includes(n)) throw new ManifestError(`group ${n} contains itself (${[...stack, n].join(' → ')})`);
    for (const x of g) visit(x, [...stack, n]);
  };
  const list = names.length > 0 ? names : ['default'];
  for (const n of list) visit(n, []);
  return m.sources.filter((s) => wanted.has(s.name));
}
