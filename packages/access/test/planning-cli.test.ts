/**
 * `fs-access sites` and `fs-access closure` end to end, run as a user would (child
 * processes) on the real Haute-Vienne data: the files, the same bytes with 1, 2 and 4
 * workers, agreement with the library and the report, bad input that leaves nothing behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSites, repoRoot } from '@fs-access/data';
import { CrowFlyModel, SitingPlanner, buildReport, subsetSites } from '../src/index.ts';
import { files, haveData, load87, type Data87 } from './planning-data.ts';

const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const bin = path.join(repoRoot, 'packages', 'cli', 'src', 'bin.ts');

function fsAccess(...args: string[]) {
  const r = spawnSync(tsx, [bin, ...args], { encoding: 'utf8', cwd: repoRoot, timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking: independent runs go side by side. */
function fsAccessAsync(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(tsx, [bin, ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b) => (stdout += b));
    p.stderr.on('data', (b) => (stderr += b));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const read = (dir: string, f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

describe.skipIf(!haveData)('fs-access sites / closure on 87', () => {
  let tmp: string;
  let d: Data87;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-sites-'));
    d = await load87();
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('sites --k 3: picks.json / .csv / .geojson, greedy and exact reported, the same as the library and the report', () => {
    const out = path.join(tmp, 'k3');
    const r = fsAccess('sites', '--departement', '87', '--k', '3', '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['picks.csv', 'picks.geojson', 'picks.json']);
    const doc = JSON.parse(read(out, 'picks.json'));
    expect(JSON.parse(r.stdout)).toEqual(doc);
    expect(doc.question).toBe('best-k');
    expect(doc.inputs.candidates).toMatchObject({ source: 'annuaire', file: 'annuaire-87.sjson', read: 449, accepted: 447, rejected: 2, rejectedByReason: { 'bad-coordinates': 1, 'outside-area': 1 } });
    expect(doc.greedy.picks).toHaveLength(3);
    expect(doc.exact.status).toBe('optimal');
    expect(doc.exact.picks).toHaveLength(3);
    expect(doc.exact.gain).toBeGreaterThanOrEqual(doc.greedy.gain - 0.01);
    expect(doc.exact.ratio).toBeGreaterThanOrEqual(1 - 1 / Math.E);
    console.log(
      `fs-access sites --departement 87 --k 3: greedy ${doc.greedy.picks.map((p: { id: string; gain: { households: number } }) => `${p.id} +${p.gain.households}`).join(', ')}; ` +
        `exact ${doc.exact.picks.map((p: { id: string }) => p.id).join(', ')} = ${doc.exact.gain} (ratio ${doc.exact.ratio})`,
    );
    // Shares chain: each pick's "before" is the previous "after"; the first is the baseline.
    let before = doc.baseline;
    for (const p of doc.greedy.picks) {
      expect(p.before).toEqual(before);
      expect(p.after.households).toBeCloseTo(before.households + p.gain.households, 1);
      before = p.after;
    }
    // Same picks as the library on the same inputs.
    const model = new CrowFlyModel();
    const planner = new SitingPlanner({ model, units: d.communes, sites: d.sitesFor(d.communes, 1200), candidates: d.candidates, thresholdS: 1200 });
    expect(doc.greedy.picks.map((p: { id: string }) => p.id)).toEqual(planner.recommend({ k: 3 }).picks.map((p) => p.id));
    // The baseline is the report's coverage at 20 min.
    const report = buildReport({ area: { code: '87', name: '' }, units: d.communes, communeNames: new Map(), sites: d.allSites, model, thresholdsMin: [20], sources: [] });
    expect(doc.baseline.share).toBeCloseTo(report.coverage.byThreshold[0].shareCovered, 6);
    expect(doc.baseline.households).toBeCloseTo(report.coverage.byThreshold[0].covered.households, 2);
    // CSV: header + greedy + exact rows; GeoJSON: the picks and every unit they newly cover.
    const csv = read(out, 'picks.csv').trimEnd().split('\n');
    expect(csv[0]).toMatch(/^solution,rank,id,name,/);
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['greedy', 'greedy', 'greedy', 'exact', 'exact', 'exact']);
    const gj = JSON.parse(read(out, 'picks.geojson'));
    const units = gj.features.filter((f: { properties: { feature: string } }) => f.properties.feature === 'unit');
    expect(gj.features.length - units.length).toBe(6);
    expect(units.length).toBe(doc.greedy.picks.reduce((s: number, p: { gain: { units: number } }) => s + p.gain.units, 0));
    for (const f of units) expect(f.properties.time_to_pick_min).toBeLessThanOrEqual(20);
  });

  it('--workers 1, 2, 4: byte-identical files', async () => {
    const outs = await Promise.all(
      [1, 2, 4].map(async (w) => {
        const out = path.join(tmp, `w${w}`);
        const r = await fsAccessAsync('sites', '--departement', '87', '--k', '4', '--workers', String(w), '--no-exact', '--out', out);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain(`(${w} worker${w > 1 ? 's' : ''},`);
        return out;
      }),
    );
    for (const f of ['picks.json', 'picks.csv', 'picks.geojson']) {
      const a = fs.readFileSync(path.join(outs[0], f));
      for (const o of outs.slice(1)) expect(fs.readFileSync(path.join(o, f)).equals(a), `${f} ${o}`).toBe(true);
    }
    expect(JSON.parse(read(outs[0], 'picks.json')).exact).toEqual({ status: 'skipped', reason: '--no-exact' });
  });

  it('--minimum: the fewest sites for a share; --k beyond the useful candidates stops early and says so', async () => {
    const [r, many] = await Promise.all([
      fsAccessAsync('sites', '--departement', '87', '--minimum', '99%', '--json'),
      fsAccessAsync('sites', '--departement', '87', '--k', '500', '--candidates-kind', 'communes', '--no-exact', '--json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.question).toBe('minimum-sites');
    expect(doc.targetShare).toBe(0.99);
    expect(doc.greedy.reached).toBe(true);
    expect(doc.greedy.final.share).toBeGreaterThanOrEqual(0.99);
    expect(doc.exact.picks.length).toBeLessThanOrEqual(doc.greedy.picks.length);
    expect(many.code, many.stderr).toBe(0);
    const m = JSON.parse(many.stdout);
    expect(m.greedy.stopReason).toBe('no-gain');
    expect(m.greedy.picks.length).toBeLessThan(500);
    expect(m.inputs.candidates.source).toBe('communes');
    expect(many.stderr).toMatch(/only \d+ of 500 sites picked/);
  });

  it('bad input: candidates outside the area, duplicate ids, missing columns, bad options — clear errors, nothing written', async () => {
    const far = path.join(tmp, 'far.csv');
    fs.writeFileSync(far, 'id,name,lat,lon\nP1,Paris,48.8566,2.3522\nM1,Marseille,43.2965,5.3698\n');
    const out = path.join(tmp, 'bad');
    let r = fsAccess('sites', '--departement', '87', '--candidates', far, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CandidatesError: far.csv: no usable candidate in 87 (2 read, 2 rejected; first: candidate P1');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(out)).toBe(false);

    const dup = path.join(tmp, 'dup.csv');
    fs.writeFileSync(dup, 'id;name;lat;lon\nA;Nantiat;46.0094;1.1719\nB;Bessines;46.1076;1.3694\nA;Nantiat bis;46.01;1.17\n');
    r = fsAccess('sites', '--departement', '87', '--candidates', dup, '--json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.inputs.candidates).toMatchObject({ source: 'file', read: 3, accepted: 2, rejectedByReason: { 'duplicate-id': 1 } });
    expect(doc.greedy.picks.map((p: { id: string }) => p.id).sort()).toEqual(['A', 'B']);

    const cols = path.join(tmp, 'cols.csv');
    fs.writeFileSync(cols, 'id,name,latitude\nA,x,46\n');
    r = fsAccess('sites', '--departement', '87', '--candidates', cols, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CsvSchemaError');
    expect(r.stderr).toContain('cols.csv:1: missing column lon');
    expect(fs.existsSync(out)).toBe(false);

    const usage = [
      ['--objective', 'poor'],
      ['--k', '0'],
      ['--k', '2', '--minimum', '0.9'],
      ['--candidates-kind', 'schools'],
    ];
    const runs = await Promise.all(usage.map((args) => fsAccessAsync('sites', '--departement', '87', ...args, '--out', out)));
    runs.forEach((u, i) => expect(u.code, usage[i].join(' ')).toBe(2));
    expect(runs[0].stderr).toContain('--objective poor needs --households grid');
    expect(fs.existsSync(out)).toBe(false);
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.txt'), 'x');
    expect(fsAccess('sites', '--departement', '87', '--out', out).code).toBe(2);
    expect(fs.readdirSync(out)).toEqual(['keep.txt']);
  });

  it('closure: per site and together, with new times; the loss matches the coverage recomputed without the site', () => {
    const out = path.join(tmp, 'closure');
    const r = fsAccess('closure', '--departement', '87', '--site', '513,511', '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['closure.csv', 'closure.geojson', 'closure.json']);
    const doc = JSON.parse(read(out, 'closure.json'));
    expect(JSON.parse(r.stdout)).toEqual(doc);
    expect(doc.closures.map((c: { sites: { id: string }[] }) => c.sites.map((s) => s.id))).toEqual([['513'], ['511']]);
    expect(doc.together.sites.map((s: { id: string }) => s.id)).toEqual(['513', '511']);
    const model = new CrowFlyModel();
    const sites = d.sitesFor(d.communes, 1200);
    const covered = (s: typeof sites) => buildReport({ area: { code: '87', name: '' }, units: d.communes, communeNames: new Map(), sites: s, model, thresholdsMin: [20], sources: [] }).coverage.byThreshold[0].covered.households;
    const base = covered(sites);
    for (const c of [...doc.closures, doc.together]) {
      const ids = c.sites.map((s: { id: string }) => s.id);
      const keep = sites.id.map((_, i) => i).filter((i) => !ids.includes(sites.id[i]));
      expect(c.lost.households).toBeCloseTo(base - covered(subsetSites(sites, keep)), 1);
      for (const u of c.units) {
        expect(u.timeBeforeMinutes).toBeLessThanOrEqual(20);
        expect(u.timeAfterMinutes).toBeGreaterThan(20);
        expect(ids).not.toContain(u.newSite);
      }
    }
    expect(doc.together.lost.households).toBeGreaterThanOrEqual(Math.max(...doc.closures.map((c: { lost: { households: number } }) => c.lost.households)));
    const csv = read(out, 'closure.csv').trimEnd().split('\n');
    expect(csv.length - 1).toBe(doc.closures.reduce((s: number, c: { units: unknown[] }) => s + c.units.length, 0) + doc.together.units.length);
    // Without --out / --json: a summary on stdout.
    const plain = fsAccess('closure', '--departement', '87', '--site', '513');
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/closing 513 France services Châteauponsac: \d+ households \(\d+ units\) lose coverage/);
  });

  it('closure: an unknown id, or a site too far away, is a usage error listing ids of the département', async () => {
    const all = await loadSites(files.sites!);
    const corsica = all.id[all.departement.indexOf('2A')];
    const [unknown, far, none] = await Promise.all([
      fsAccessAsync('closure', '--departement', '87', '--site', 'nope'),
      fsAccessAsync('closure', '--departement', '87', '--site', corsica),
      fsAccessAsync('closure', '--departement', '87'),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown site id "nope"; sites of 87: 510, 511, 512, 513');
    expect(far.code).toBe(2);
    expect(far.stderr).toContain(`${corsica} (département 2A) is too far from 87`);
    expect(none.code).toBe(2);
  });
});
