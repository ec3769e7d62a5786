import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSites, sitesWithin, filterSites } from '../src/sites.ts';
import { CsvSchemaError, EmptyInputError, EncodingError } from '../src/errors.ts';
import { fixture, tempDir, writeFile } from './helpers.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const reasonsByLine = (s: { rejected: { line: number; reason: string }[] }) => Object.fromEntries(s.rejected.map((r) => [r.line, r.reason]));

describe('loadSites on hand-made fixtures', () => {
  it('reads quoted fields, multi-line comments, decimal commas and normalises formats', async () => {
    const s = await loadSites(fixture('sites', 'good.csv'));
    expect(s.rejected).toEqual([]);
    expect(s.count).toBe(4);
    expect(s.id).toEqual(['101', '102', '103', '104']);
    expect(s.departement).toEqual(['87', '87', '971', '2A']);
    expect(s.format).toEqual(['Fixe', 'Bus', 'Fixe avec antenne(s)', 'Multisite']);
    expect(s.type).toEqual(['Principal', 'Principal', 'Antenne', 'Principal']);
    expect(s.hours[0]).toEqual(['09:00 - 12:00', '09:00 - 12:00 / 13:30 - 17:00', '', '', '', '09:00 - 12:00']);
    expect(s.address[0]).toBe('1 place de la Mairie, 87000 Exemple-sur-Vienne');
    expect([s.lon[3], s.lat[3]]).toEqual([8.74, 41.92]);
    expect([s.lon[2], s.lat[2]]).toEqual([-61.53, 16.24]);
    expect(s.lon).toBeInstanceOf(Float64Array);
  });

  it('rejects each bad row with file, line and reason, keeping the good one', async () => {
    const file = fixture('sites', 'bad.csv');
    const s = await loadSites(file);
    expect(s.id).toEqual(['201']);
    expect(reasonsByLine(s)).toEqual({
      3: 'bad-coordinates', // empty
      4: 'bad-coordinates', // "quarante-cinq"
      5: 'swapped-lat-lon',
      6: 'projected-coordinates', // Lambert-93
      7: 'duplicate-id', // second "201"
      8: 'outside-france',
      9: 'wrong-region', // a 971 site with metropolitan coordinates
      10: 'bad-row', // too few fields
      11: 'missing-id',
    });
    for (const r of s.rejected) expect(r.file).toBe(file);
    const byLine = (l: number) => s.rejected.find((r) => r.line === l)!;
    expect(byLine(6).detail).toContain('Lambert-93');
    expect(byLine(7).detail).toContain('line 2');
    expect(byLine(7).id).toBe('201');
    expect(byLine(4).detail).toContain('quarante-cinq');
  });

  it('names a missing column', async () => {
    const file = fixture('sites', 'missing-column.csv');
    const err = await loadSites(file).catch((e) => e);
    expect(err).toBeInstanceOf(CsvSchemaError);
    expect(err.name).toBe('CsvSchemaError');
    expect(err.missing).toEqual(['latitude']);
    expect(err.message).toBe(`${file}:1: missing column latitude (header has: id_fs, insee_dep, lib_fs, insee_com, lat, longitude)`);
  });

  it("says so when the file is ';'-separated", async () => {
    const file = fixture('sites', 'semicolon.csv');
    const err = await loadSites(file).catch((e) => e);
    expect(err).toBeInstanceOf(CsvSchemaError);
    expect(err.message).toContain(`${file}:1: the file is separated by ';'`);
  });

  it('strips a BOM', async () => {
    const text = fs.readFileSync(fixture('sites', 'good.csv'));
    const file = writeFile(dir, 'bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]));
    const s = await loadSites(file);
    expect(s.count).toBe(4);
    expect(s.id[0]).toBe('101');
  });

  it('fails on Latin-1 input with EncodingError, or reads it with encoding latin1', async () => {
    const text = fs.readFileSync(fixture('sites', 'good.csv'), 'utf8');
    const file = writeFile(dir, 'latin1.csv', Buffer.from(text, 'latin1'));
    const err = await loadSites(file).catch((e) => e);
    expect(err).toBeInstanceOf(EncodingError);
    expect(err.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: not valid UTF-8`));
    const s = await loadSites(file, { encoding: 'latin1' });
    expect(s.name[3]).toBe('France services Exemple Corse');
    expect(s.address[3]).toContain('Napoléon');
  });

  it('throws EmptyInputError for an empty file and a header alone', async () => {
    const empty = writeFile(dir, 'empty.csv', '');
    await expect(loadSites(empty)).rejects.toThrow(new EmptyInputError(`${empty}: empty file (no header, no record)`, empty));
    const header = writeFile(dir, 'header.csv', fs.readFileSync(fixture('sites', 'good.csv'), 'utf8').split('\n')[0] + '\n');
    const err = await loadSites(header).catch((e) => e);
    expect(err).toBeInstanceOf(EmptyInputError);
    expect(err.message).toBe(`${header}: header only, no record after line 1`);
  });

  it('filters by département and by box', async () => {
    const s = await loadSites(fixture('sites', 'good.csv'), { departements: ['87'] });
    expect(s.id).toEqual(['101', '102']);
    const all = await loadSites(fixture('sites', 'good.csv'));
    expect(sitesWithin(all, [-62, 15, -60, 17]).id).toEqual(['103']);
    expect(filterSites(all, (i, x) => x.format[i] === 'Bus').name).toEqual(['Bus France services Exemple']);
  });
});
