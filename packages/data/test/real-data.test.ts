/**
 * The loaders on the real files of ../shared/data. Expected figures come from
 * shared/data/SOURCES.md and filosofi/README.md, or were counted with other tools
 * (awk, Python's csv module), never with this package.
 */
import { describe, expect, it } from 'vitest';
import { loadSites } from '../src/sites.ts';
import { loadCommuneHouseholds } from '../src/communes.ts';
import { loadGridTiles } from '../src/grid.ts';
import { loadOutlines, assignCommunes, insideOutline, outlineBBox, COMMUNE_MERGES_2019 } from '../src/outlines.ts';
import { loadCandidates } from '../src/candidates.ts';
import { dataPath } from '../src/paths.ts';
import { inBox } from '../src/geo.ts';

const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
const SITES = 'france-services/liste-fs-20240801.csv';
const COMMUNES = 'communes/communes-2024.csv';
const TILES = 'filosofi/men/2019/200m';

describe('real France services list', () => {
  it('has 2,845 sites, none rejected, 24 in Haute-Vienne of which one bus', async () => {
    const s = await loadSites(dataPath(SITES));
    expect(s.count).toBe(2845);
    expect(s.rejected).toEqual([]);
    expect(s.type.filter((t) => t === 'Principal').length).toBe(2721);
    expect(s.type.filter((t) => t === 'Antenne').length).toBe(124);
    const d87 = await loadSites(dataPath(SITES), { departements: ['87'] });
    expect(d87.count).toBe(24);
    expect(d87.format.filter((f) => f === 'Bus').length).toBe(1);
    expect((await loadSites(dataPath(SITES), { departements: ['40'] })).count).toBe(20);
    // Overseas sites pass the per-territory boxes.
    expect(s.departement.filter((d) => d === '978').length).toBe(2);
  });
});

describe('real communes 2024', () => {
  it('gives 195 communes and 184,106 households in 87, 327 / 197,441 in 40', async () => {
    const h = await loadCommuneHouseholds(dataPath(COMMUNES), { departement: '87' });
    expect(h.count).toBe(195);
    expect(sum(h.households)).toBe(184106);
    expect(sum(h.inhabitants)).toBe(371691);
    expect(h.rejected).toEqual([]);
    const l = await loadCommuneHouseholds(dataPath(COMMUNES), { departement: '40' });
    expect(l.count).toBe(327);
    expect(sum(l.households)).toBe(197441);
    expect(sum(l.inhabitants)).toBe(422976);
  });

  it('totals 28,701,112 households over distinct COM plus the districts of Paris, Lyon, Marseille; Limoges once', async () => {
    const h = await loadCommuneHouseholds(dataPath(COMMUNES));
    // awk -F, 'NR>1 && $7=="ARM" {print $1, $14}' communes-2024.csv | sort -u | awk '{s+=$2; n++} END{print n, s}'  → 45 1809439
    // (the file has no COM row for 75056, 13055, 69123, so their districts stand in for them)
    expect(sum(h.households)).toBe(28701112 + 1809439);
    expect(h.id.filter((c) => c.startsWith('751')).length).toBe(20);
    expect(h.id.includes('75056')).toBe(false);
    expect(h.id.filter((c) => c === '87085').length).toBe(1);
    // 34,931 distinct COM + 45 districts; the three without a centroid (and 0 households) are rejected.
    expect(h.count + h.rejected.length).toBe(34931 + 45);
    expect(h.rejected.map((r) => [r.id, r.reason])).toEqual([
      ['60694', 'bad-coordinates'],
      ['85165', 'bad-coordinates'],
      ['85212', 'bad-coordinates'],
    ]);
    expect(h.rejected[0].line).toBe(23992); // grep -n '^60694,' communes-2024.csv
  });
});

describe('real Filosofi tiles and outlines', () => {
  it('reads the 25 tiles: 58,813 cells, households as awk sums them', async () => {
    const g = await loadGridTiles(dataPath(TILES));
    expect(g.count).toBe(58813);
    expect(g.rejected).toEqual([]);
    // cat */*.csv | grep -v '^x' | awk -F, '{m+=$5; i+=$4; p+=$11} END{print m, i, p}'
    expect(sum(g.households)).toBeCloseTo(280025.3, 6);
    expect(sum(g.inhabitants)).toBeCloseTo(573159, 6);
    expect(sum(g.poor)).toBeCloseTo(45566.3, 6);

    // filosofi/README.md: 25,167 cells have their centre inside the département outline.
    const deps = loadOutlines(dataPath('admin/departements.geojson'));
    expect(deps.count).toBe(101);
    const in87 = insideOutline(deps, '87');
    let n = 0;
    for (let i = 0; i < g.count; i++) if (in87(g.lon[i], g.lat[i])) n++;
    expect(n).toBe(25167);

    // The bbox option (pre-filtered in EPSG:3035) keeps exactly the cells whose centre is in the box.
    const box = outlineBBox(deps, '87', 2000);
    const near = await loadGridTiles(dataPath(TILES), undefined, { bbox: box });
    const expected = g.id.filter((_, i) => inBox(g.lon[i], g.lat[i], box));
    expect(near.id).toEqual(expected);
    expect(near.count).toBeGreaterThanOrEqual(25167);
    expect(near.count).toBeLessThan(g.count);
  });

  it('labels cells with 2018 outline codes, and with 2024 codes through COMMUNE_MERGES_2019', async () => {
    const outlines = loadOutlines(dataPath('communes/communes-87-haute-vienne.geojson'));
    expect(outlines.count).toBe(200);
    const communes2024 = await loadCommuneHouseholds(dataPath(COMMUNES), { departement: '87' });
    const current = new Set(communes2024.id);
    const mapped = new Set(outlines.code.map((c) => COMMUNE_MERGES_2019[c] ?? c));
    expect([...mapped].sort()).toEqual([...current].sort());

    const landes = loadOutlines(dataPath('communes/communes-40-landes.geojson'));
    expect(landes.count).toBe(330);
    const communes40 = await loadCommuneHouseholds(dataPath(COMMUNES), { departement: '40' });
    expect([...new Set(landes.code.map((c) => COMMUNE_MERGES_2019[c] ?? c))].sort()).toEqual([...communes40.id].sort());

    const g = await loadGridTiles(dataPath(TILES));
    const raw = assignCommunes(g, outlines);
    expect(new Set(g.commune.filter(Boolean)).size).toBe(200);
    expect(g.commune).toContain('87055'); // Darnac, merged into 87028 in 2019
    const g2 = await loadGridTiles(dataPath(TILES));
    const r = assignCommunes(g2, outlines, { remap: COMMUNE_MERGES_2019 });
    expect(r.assigned).toBe(raw.assigned);
    expect(new Set(g2.commune.filter(Boolean))).toEqual(current);
    expect(r.assigned + r.outside.length).toBe(g.count);
  });
});

describe('real annuaire', () => {
  it('keeps 448 of the 449 lines of 87 (one has no coordinates), 200 town halls', async () => {
    const file = dataPath('candidates/annuaire-87.sjson');
    const c = await loadCandidates(file);
    expect(c.count).toBe(448);
    expect(c.kind.filter((k) => k === 'mairie').length).toBe(200);
    expect(c.rejected).toEqual([{ file, line: 81, id: 'conciliateur_fiscal-87085-01', reason: 'bad-coordinates', detail: 'longitude "", latitude "" are not both numbers' }]);
    const l = await loadCandidates(dataPath('candidates/annuaire-40.sjson'));
    expect(l.count + l.rejected.length).toBe(545);
    expect(l.kind.filter((k) => k === 'mairie').length).toBe(331);
  });
});
