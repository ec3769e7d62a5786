import { describe, expect, it } from 'vitest';
import { loadCommuneHouseholds } from '../src/communes.ts';
import { CsvSchemaError } from '../src/errors.ts';
import { fixture, tempDir, writeFile } from './helpers.ts';

describe('loadCommuneHouseholds on a fixture', () => {
  const file = fixture('communes', 'communes-small.csv');

  it('counts a commune repeated per postal code once; keeps COM, and districts only when their parent has no row', async () => {
    const h = await loadCommuneHouseholds(file);
    expect(h.kind).toBe('communes');
    // 87903 is COMD (skipped); 87906 is a district of 87901, which has a row (skipped);
    // 13201 is a district of 13055, which has none (kept, after the communes).
    expect(h.id).toEqual(['87901', '87902', '23901', '13201']);
    expect(h.commune).toEqual(h.id);
    expect(h.name).toEqual(['Alpha', 'Beta', 'Delta', 'Marseille 1er']);
    expect(Array.from(h.households)).toEqual([450, 90, 140, 20000]);
    expect(Array.from(h.inhabitants)).toEqual([1000, 200, 300, 40000]);
    expect(Array.from(h.poor).every(Number.isNaN)).toBe(true);
    expect([h.lon[0], h.lat[0]]).toEqual([1.25, 45.8]);
    expect(h.x3035.length).toBe(0);
  });

  it('reports conflicting repeats, missing centroids and bad counts with lines', async () => {
    const h = await loadCommuneHouseholds(file);
    expect(h.rejected.map((r) => [r.line, r.id, r.reason])).toEqual([
      [7, '87902', 'duplicate-id'],
      [10, '87904', 'bad-coordinates'],
      [11, '87905', 'bad-count'],
    ]);
    expect(h.rejected[0].detail).toContain('line 5');
    for (const r of h.rejected) expect(r.file).toBe(file);
  });

  it('filters one département', async () => {
    const h = await loadCommuneHouseholds(file, { departement: '23' });
    expect(h.id).toEqual(['23901']);
    expect(h.rejected).toEqual([]);
  });

  it('names missing columns', async () => {
    const f = writeFile(tempDir(), 'c.csv', 'insee_com,insee_dep,commune_type,lat,lng,population_2021\n87001,87,COM,45,1,10\n');
    const err = await loadCommuneHouseholds(f).catch((e) => e);
    expect(err).toBeInstanceOf(CsvSchemaError);
    expect(err.message).toBe(`${f}:1: missing column menages_2021`);
  });
});
