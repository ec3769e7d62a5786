/**
 * `fs-access report` end to end, run as a user would (a child process): outputs that QGIS
 * and a spreadsheet can read, byte-identical reruns, the national run, and bad input that
 * leaves nothing behind.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDataPath, loadSites, repoRoot } from '@fs-access/data';

const haveData = Boolean(findDataPath('communes/communes-2024.csv') && findDataPath('france-services/liste-fs-20240801.csv') && findDataPath('admin/departements.geojson'));
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const bin = path.join(repoRoot, 'packages', 'cli', 'src', 'bin.ts');

function fsAccess(...args: string[]) {
  const r = spawnSync(tsx, [bin, ...args], { encoding: 'utf8', cwd: repoRoot, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface FeatureCollection {
  type: string;
  features: { type: string; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[];
}

function readGeoJson(file: string): FeatureCollection {
  const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as FeatureCollection;
  expect(fc.type).toBe('FeatureCollection');
  const check = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      expect(c[0]).toBeGreaterThanOrEqual(-180);
      expect(c[0]).toBeLessThanOrEqual(180);
      expect(c[1]).toBeGreaterThanOrEqual(-90);
      expect(c[1]).toBeLessThanOrEqual(90);
    } else if (Array.isArray(c)) c.forEach(check);
  };
  for (const f of fc.features) {
    expect(f.type).toBe('Feature');
    check(f.geometry.coordinates);
  }
  return fc;
}

/** Minimal CSV reader for our own output (quoted fields with doubled quotes). */
function readCsv(file: string): string[][] {
  const text = fs.readFileSync(file, 'utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += ch;
  }
  return rows;
}

describe.skipIf(!haveData)('fs-access report', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-report-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('87 at commune level: the six files, readable as they are, and byte-identical on a rerun', () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    const r1 = fsAccess('report', '--departement', '87', '--out', a, '--json');
    expect(r1.code, r1.stderr).toBe(0);
    expect(fsAccess('report', '--departement', '87', '--out', b).code).toBe(0);
    const files = ['communes.csv', 'gaps.geojson', 'households.geojson', 'report.md', 'sites.geojson', 'summary.json'];
    expect(fs.readdirSync(a).sort()).toEqual(files);
    for (const f of files) expect(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), f).toBe(true);

    const summary = JSON.parse(fs.readFileSync(path.join(a, 'summary.json'), 'utf8'));
    expect(JSON.parse(r1.stdout)).toEqual(summary);
    expect(summary.totals.read.households).toBe(184_106);
    for (const t of summary.coverage) {
      expect(t.covered.households + t.beyond.households + t.unreachable.households + t.rejected.households).toBe(184_106);
    }
    const households = readGeoJson(path.join(a, 'households.geojson'));
    expect(households.features).toHaveLength(195);
    const csv = readCsv(path.join(a, 'communes.csv'));
    expect(csv[0].slice(0, 5)).toEqual(['code', 'name', 'departement', 'units', 'households']);
    expect(csv).toHaveLength(196);
    expect(csv.slice(1).reduce((s, r) => s + Number(r[4]), 0)).toBe(184_106);
    expect(csv.find((r) => r[0] === '87085')?.[1]).toBe('Limoges');
    const sites = readGeoJson(path.join(a, 'sites.geojson'));
    expect(sites.features.filter((f) => f.properties.in_area === true)).toHaveLength(24);
    readGeoJson(path.join(a, 'gaps.geojson'));
    const md = fs.readFileSync(path.join(a, 'report.md'), 'utf8');
    expect(md).toContain('Haute-Vienne (87)');
    expect(md).toContain('184\u00a0106 ménages');
    expect(md).toContain('## Sources');
    expect(md).toContain('2024-08-01');
  });

  it('87 on the grid: states the share of the census households the cells hold', () => {
    const out = path.join(tmp, 'grid');
    const r = fsAccess('report', '--departement', '87', '--households', 'grid', '--thresholds', '20', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.households.kind).toBe('grid');
    expect(summary.gridAccounting.communeHouseholds).toBe(184_106);
    expect(summary.gridAccounting.share).toBeGreaterThan(0.85);
    expect(summary.gridAccounting.share).toBeLessThan(1);
    const gaps = readGeoJson(path.join(out, 'gaps.geojson'));
    expect(gaps.features.length).toBeGreaterThan(0);
    expect(gaps.features[0].geometry.type).toBe('MultiPolygon');
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toMatch(/soit \d+,\d\u00a0% des 184\u00a0106 ménages/);
  });

  it('the whole country at commune level lists every département present in the sites file', async () => {
    const out = path.join(tmp, 'all');
    const r = fsAccess('report', '--departement', 'all', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['communes.csv', 'gaps.geojson', 'households.csv', 'report.md', 'sites.geojson', 'summary.json']);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    const listed = new Set((summary.departements as { code: string }[]).map((d) => d.code));
    const sites = await loadSites(findDataPath('france-services/liste-fs-20240801.csv')!);
    for (const d of new Set(sites.departement)) expect(listed.has(d), d).toBe(true);
    const rows = summary.departements as { code: string; households: number; sites: number }[];
    expect(rows.find((d) => d.code === '87')).toMatchObject({ households: 184_106, sites: 24 });
    // Paris, Marseille and Lyon are in (their arrondissements).
    expect(rows.find((d) => d.code === '75')!.households).toBeGreaterThan(1_000_000);
    const total = rows.reduce((s, d) => s + d.households, 0);
    expect(total).toBeCloseTo(summary.totals.read.households, 0);
  });

  it('unknown département: a usage error listing the valid codes, nothing written', () => {
    const out = path.join(tmp, 'bad');
    const r = fsAccess('report', '--departement', '99', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown code "99"');
    expect(r.stderr).toContain('87');
    expect(r.stderr).toContain('2A');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('.bad'))).toEqual([]);
  });

  it('bad input file: a typed error naming the file, nothing half-written', () => {
    const badCsv = path.join(tmp, 'communes-bad.csv');
    fs.writeFileSync(badCsv, 'insee_com,commune\n87085,Limoges\n');
    const out = path.join(tmp, 'bad-input');
    const r = fsAccess('report', '--departement', '87', '--communes', badCsv, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('communes-bad.csv');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses a non-empty --out and leaves it alone', () => {
    const out = path.join(tmp, 'full');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.txt'), 'x');
    const r = fsAccess('report', '--departement', '87', '--out', out);
    expect(r.code).toBe(2);
    expect(fs.readdirSync(out)).toEqual(['keep.txt']);
    expect(fsAccess('report', '--departement', '87', '--model', 'road', '--out', path.join(tmp, 'x')).code).toBe(2);
    expect(fsAccess('report', '--departement', '87', '--thresholds', '20,abc', '--out', path.join(tmp, 'y')).code).toBe(2);
  });
});
