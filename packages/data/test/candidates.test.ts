import { describe, expect, it } from 'vitest';
import { loadCandidates } from '../src/candidates.ts';
import { CsvSchemaError, EmptyInputError, JsonInputError } from '../src/errors.ts';
import { fixture, tempDir, writeFile } from './helpers.ts';

describe('loadCandidates', () => {
  it('reads the annuaire line-delimited JSON, rejecting lines without coordinates or unparsable', async () => {
    const file = fixture('candidates', 'annuaire.sjson');
    const c = await loadCandidates(file);
    expect(c.id).toEqual(['mairie-87999-01', 'gendarmerie-87999-01', 'mairie-97199-01']);
    expect(c.kind).toEqual(['mairie', 'gendarmerie', 'mairie']);
    expect(c.commune).toEqual(['87999', '87999', '97199']);
    expect([c.lon[0], c.lat[0], c.lon[1], c.lat[1]]).toEqual([1.26, 45.83, 1.27, 45.84]);
    expect(c.rejected.map((r) => [r.file, r.line, r.reason])).toEqual([
      [file, 4, 'bad-coordinates'],
      [file, 5, 'bad-json'],
    ]);
    expect(c.rejected[0].id).toBe('conciliateur-87999-01');
  });

  it("reads a user CSV in any letter case, ';'-separated, with decimal commas", async () => {
    const file = fixture('candidates', 'user.csv');
    const c = await loadCandidates(file);
    expect(c.id).toEqual(['c1', 'c2']);
    expect(c.name).toEqual(['Salle des fêtes', 'Ancienne poste']);
    expect(c.kind).toEqual(['salle', 'user']);
    expect([c.lon[0], c.lat[0]]).toEqual([1.25, 45.85]);
    expect(c.rejected.map((r) => [r.line, r.reason])).toEqual([
      [4, 'bad-coordinates'],
      [5, 'duplicate-id'],
    ]);
  });

  it('names missing columns of a user CSV', async () => {
    const f = writeFile(tempDir(), 'u.csv', 'id,nom,x,y\n1,a,1,45\n');
    const err = await loadCandidates(f).catch((e) => e);
    expect(err).toBeInstanceOf(CsvSchemaError);
    expect(err.message).toBe(`${f}:1: missing columns lat, lon (header has: id, nom, x, y)`);
  });

  it('reads GeoJSON points, rejecting swapped axes and non-points by feature number', async () => {
    const file = fixture('candidates', 'points.geojson');
    const c = await loadCandidates(file);
    expect(c.id).toEqual(['p1', '#4']);
    expect(c.name).toEqual(['Point un', 'Sans id']);
    expect(c.kind).toEqual(['mairie', 'user']);
    expect(c.rejected.map((r) => [r.line, r.id, r.reason])).toEqual([
      [2, 'p2', 'swapped-lat-lon'],
      [3, 'p3', 'bad-geometry'],
    ]);
  });

  it('throws typed errors for a wrong or empty file', async () => {
    const dir = tempDir();
    const csvAsJson = writeFile(dir, 'x.sjson', 'id,name\n1,a\n');
    await expect(loadCandidates(csvAsJson)).rejects.toThrow(JsonInputError);
    await expect(loadCandidates(csvAsJson)).rejects.toThrow(`${csvAsJson}:1: not line-delimited JSON`);
    const empty = writeFile(dir, 'e.sjson', '\n');
    await expect(loadCandidates(empty)).rejects.toThrow(EmptyInputError);
    const odd = writeFile(dir, 'x.kml', '<kml/>');
    await expect(loadCandidates(odd)).rejects.toThrow('unknown candidate format ".kml"');
  });
});
