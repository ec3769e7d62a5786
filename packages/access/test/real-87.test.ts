/**
 * The engine on the real Haute-Vienne data: household totals conserved, categories adding
 * up, coverage monotone in the threshold and in the set of sites.
 */
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  COMMUNE_MERGES_2019,
  assignCommunes,
  findDataPath,
  insideOutline,
  loadCommuneHouseholds,
  loadGridTiles,
  loadOutlines,
  loadSites,
  outlineBBox,
  type Households,
  type Sites,
} from '@fs-access/data';
import { CrowFlyModel, buildReport, computeCoverage, pointsWithinReach, subsetSites, type AreaReport } from '../src/index.ts';

const communesFile = findDataPath('communes/communes-2024.csv');
const sitesFile = findDataPath('france-services/liste-fs-20240801.csv');
const depFile = findDataPath('admin/departements.geojson');
const gridDir = findDataPath('filosofi/men/2019/200m');
const outlines87 = findDataPath('communes/communes-87-haute-vienne.geojson');
const haveData = Boolean(communesFile && sitesFile && depFile);

/** Households of 87 straight from the CSV, independently of the loader: distinct COM codes. */
function householdsFromCsv(file: string, dep: string): { communes: number; households: number } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const head = lines[0].split(',');
  const [ci, cd, ct, cm] = ['insee_com', 'insee_dep', 'commune_type', 'menages_2021'].map((k) => head.indexOf(k));
  const seen = new Map<string, number>();
  for (const line of lines.slice(1)) {
    // The columns read here come before any quoted field that could hold a comma.
    const f = line.split(',');
    if (f[cd] === dep && f[ct] === 'COM') seen.set(f[ci], Number(f[cm]));
  }
  let households = 0;
  for (const h of seen.values()) households += h;
  return { communes: seen.size, households };
}

describe.skipIf(!haveData)('Haute-Vienne (87), real data', () => {
  let units: Households & { name: string[] };
  let sites: Sites;
  let names: Map<string, string>;
  const model = new CrowFlyModel();
  const area = { code: '87', name: 'Haute-Vienne' };
  const report = (u: Households, s: Sites, thresholdsMin = [20, 30]): AreaReport =>
    buildReport({ area, units: u, communeNames: names, sites: s, model, thresholdsMin, sources: [] });

  beforeAll(async () => {
    units = await loadCommuneHouseholds(communesFile!, { departement: '87' });
    sites = await loadSites(sitesFile!);
    names = new Map(units.id.map((id, i) => [id, units.name[i]]));
  });

  it('commune level: 184,106 households = sum of menages_2021 over the 195 communes; every household in exactly one category', () => {
    const csv = householdsFromCsv(communesFile!, '87');
    expect(csv).toEqual({ communes: 195, households: 184_106 });
    const r = report(units, sites);
    expect(r.coverage.totalRead.households).toBe(184_106);
    expect(r.coverage.totalRead.units).toBe(195);
    for (const t of r.coverage.byThreshold) {
      expect(t.covered.households + t.beyond.households + t.unreachable.households + t.rejected.households).toBe(184_106);
      expect(t.covered.units + t.beyond.units + t.unreachable.units + t.rejected.units).toBe(195);
    }
    // Communes partition the département.
    expect(r.coverage.communes.reduce((s, c) => s + c.total.households, 0)).toBe(184_106);
    // Sites across the border count: some considered sites lie outside 87.
    expect(r.sites.departement.some((d) => d !== '87')).toBe(true);
    expect(r.sites.departement.filter((d) => d === '87')).toHaveLength(24);
  });

  it('coverage is monotone in the threshold (5 to 60 min)', () => {
    const th = [5, 10, 15, 20, 25, 30, 40, 60];
    const r = report(units, sites, th);
    for (let k = 1; k < th.length; k++) expect(r.coverage.byThreshold[k].covered.households).toBeGreaterThanOrEqual(r.coverage.byThreshold[k - 1].covered.households);
  });

  it('adding a site never lowers coverage; removing one never raises it; no sites → nothing covered', () => {
    const base = pointsWithinReach(sites, units, 65_000);
    const baseSites = subsetSites(sites, base);
    const times = model.forUnits(units);
    const th = { thresholdsS: [600, 1200, 1800] };
    const before = computeCoverage(units, times.nearest(baseSites), th);
    fc.assert(
      fc.property(fc.double({ min: 0.8, max: 1.9, noNaN: true }), fc.double({ min: 45.4, max: 46.4, noNaN: true }), fc.nat(base.length - 1), (lon, lat, drop) => {
        const more = { ...baseSites, count: baseSites.count + 1, lon: Float64Array.from([...baseSites.lon, lon]), lat: Float64Array.from([...baseSites.lat, lat]) };
        const after = computeCoverage(units, times.nearest(more), th);
        const keep = Array.from({ length: baseSites.count }, (_, i) => i).filter((i) => i !== drop);
        const fewer = computeCoverage(units, times.nearest(subsetSites(baseSites, keep)), th);
        for (let k = 0; k < 3; k++) {
          expect(after.byThreshold[k].covered.households).toBeGreaterThanOrEqual(before.byThreshold[k].covered.households);
          expect(fewer.byThreshold[k].covered.households).toBeLessThanOrEqual(before.byThreshold[k].covered.households);
        }
      }),
      { numRuns: 25 },
    );
    const none = report(units, subsetSites(sites, []));
    for (const t of none.coverage.byThreshold) {
      expect(t.covered.households).toBe(0);
      expect(t.unreachable.households).toBe(184_106);
    }
  });

  it.skipIf(!gridDir || !outlines87)('grid level: cells inside the outline, communes assigned, categories add up, gaps hold every uncovered household', async () => {
    const deps = loadOutlines(depFile!);
    const cells = await loadGridTiles(gridDir!, undefined, { bbox: outlineBBox(deps, '87'), keep: insideOutline(deps, '87') });
    assignCommunes(cells, loadOutlines(outlines87!), { remap: COMMUNE_MERGES_2019 });
    const r = buildReport({
      area,
      units: cells,
      communeNames: names,
      sites,
      model,
      thresholdsMin: [15, 20],
      sources: [],
      gridAccounting: { communeHouseholds: 184_106 },
    });
    const read = r.coverage.totalRead;
    expect(read.units).toBe(cells.count + cells.rejected.length);
    let h = 0;
    for (let i = 0; i < cells.count; i++) h += cells.households[i];
    expect(read.households).toBeCloseTo(h, 6);
    // Filosofi counts tax households: fewer than the census, but most of them.
    expect(h / 184_106).toBeGreaterThan(0.85);
    expect(h / 184_106).toBeLessThan(1);
    r.coverage.byThreshold.forEach((t, k) => {
      expect(t.covered.households + t.beyond.households + t.unreachable.households + t.rejected.households).toBeCloseTo(read.households, 6);
      const inGaps = r.gaps![k].reduce((s, g) => s + g.tally.households, 0);
      expect(inGaps).toBeCloseTo(t.beyond.households + t.unreachable.households, 6);
    });
    // Almost every cell falls in a 2024 commune of 87.
    const coded = cells.commune.filter((c) => c.startsWith('87')).length;
    expect(coded / cells.count).toBeGreaterThan(0.99);
    for (const c of r.coverage.communes) if (c.code !== '') expect(names.has(c.code)).toBe(true);
  });
});
