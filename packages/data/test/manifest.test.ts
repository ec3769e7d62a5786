import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest, expandNames, sha256File, validateManifest, type Manifest } from '../src/manifest.ts';
import { ManifestError } from '../src/errors.ts';
import { repoRoot } from '../src/paths.ts';
import { shared } from './helpers.ts';

const manifest = loadManifest();

/** MANIFEST.sha256 as published with the mirror: path → sha256. */
function published(): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of fs.readFileSync(shared('MANIFEST.sha256'), 'utf8').split('\n')) {
    const r = /^([0-9a-f]{64}) {2}\.\/(.+)$/.exec(line);
    if (r) m.set(r[2], r[1]);
  }
  return m;
}

describe('data/manifest.json', () => {
  it('lists exactly the files of MANIFEST.sha256 with the same checksums', () => {
    const pub = published();
    expect(pub.size).toBe(42);
    expect(new Map(manifest.sources.map((s) => [s.path, s.sha256]))).toEqual(pub);
  });

  it('has the sizes and checksums of the real files', async () => {
    for (const s of manifest.sources) {
      const file = shared(s.path);
      expect(fs.statSync(file).size, s.path).toBe(s.size);
      expect(await sha256File(file), s.path).toBe(s.sha256);
    }
  });

  it('gives every source a public https url, a licence, a date and a description', () => {
    for (const s of manifest.sources) {
      expect(s.url, s.name).toMatch(/^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\//);
      // The url ends with the file name, except for converted files (.osm.gz → .osm.pbf).
      if (!s.conversion) expect(path.posix.basename(s.url).replace('geom_dep', 'departements').replace('communes.csv', 'communes-2024.csv'), s.name).toBe(path.posix.basename(s.path));
      expect(s.licence.length).toBeGreaterThan(3);
      expect(s.date).not.toBe('');
    }
    expect(manifest.sources.filter((s) => s.conversion).map((s) => s.name)).toEqual(['osm-monaco', 'osm-north-bayreuth']);
  });

  it('expands groups: filosofi-87 is the 25 tiles, default holds it', () => {
    const tiles = expandNames(manifest, ['filosofi-87']);
    expect(tiles.length).toBe(25);
    expect(tiles[0].name).toBe('filosofi-200m-15-20');
    expect(tiles[24].path).toBe('filosofi/men/2019/200m/19/24.csv');
    const def = expandNames(manifest, []).map((s) => s.name);
    expect(def).toContain('france-services');
    expect(def).toContain('filosofi-200m-17-22');
    expect(def.length).toBe(5 + 25);
    expect(expandNames(manifest, ['all']).length).toBe(42);
    expect(expandNames(manifest, ['communes', 'communes', 'default']).length).toBe(30);
  });

  it('is what scripts/make-manifest.ts regenerates from the mirror', () => {
    const out = execFileSync(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), [path.join(repoRoot, 'packages/data/scripts/make-manifest.ts'), '--check', '--mirror', shared()], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('');
  });

  it('throws ManifestError for unknown names, cyclic groups and bad entries', () => {
    expect(() => expandNames(manifest, ['nope'])).toThrow(ManifestError);
    expect(() => expandNames(manifest, ['nope'])).toThrow('unknown source or group "nope"');
    const base: Manifest = { version: 1, sources: [manifest.sources[0]], groups: { a: ['b'], b: ['a'] } };
    expect(() => validateManifest(base)).toThrow('contains itself');
    const bad: Manifest = { version: 1, sources: [{ ...manifest.sources[0], sha256: 'abc' }], groups: {} };
    expect(() => validateManifest(bad)).toThrow('sha256 must be 64 lower-case hex digits');
    const dup: Manifest = { version: 1, sources: [manifest.sources[0], { ...manifest.sources[1], name: manifest.sources[0].name }], groups: {} };
    expect(() => validateManifest(dup)).toThrow('listed twice');
  });
});
