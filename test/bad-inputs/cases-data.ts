/** Catalogue cases for the loaders of @fs-access/data: sites, grid (INSEE and GISCO tiles), communes. */
import { expect } from 'vitest';
import {
  CsvFormatError,
  CsvSchemaError,
  EmptyInputError,
  EncodingError,
  UnusableInputError,
  loadCommuneHouseholds,
  loadGridTiles,
  loadInseeGrid,
  loadSites,
} from '../../packages/data/src/index.ts';
import type { Case } from './case.ts';
import { expectError, expectRejections } from './harness.ts';

const SITES_HEADER = 'id_fs,insee_dep,lib_fs,insee_com,latitude,longitude';
const site = (id: string, lat: string, lon: string, name = `Site ${id}`) => `${id},87,${name},87085,${lat},${lon}`;
const sitesCsv = (...rows: string[]) => [SITES_HEADER, ...rows].join('\n') + '\n';

const GRID_HEADER = 'Idcar_200m;Ind;Men;Men_pauv';
const gridCsv = (...rows: string[]) => [GRID_HEADER, ...rows].join('\n') + '\n';
/** A cell near Limoges: centre 1.1651767°E, 45.8174745°N (PROJ cs2cs, see packages/data/test/grid.test.ts). */
const LIMOGES_CELL = 'CRS3035RES200mN2563400E3635200';

const COMMUNES_HEADER = 'insee_com,insee_dep,commune,commune_type,code_postal,lat,lng,population_2021,menages_2021';

export const dataCases: Case[] = [
  // ---------------------------------------------------------------- sites (loadSites)
  {
    id: 'sites-missing-column',
    target: 'loadSites',
    input: 'sites CSV whose longitude column is called `lon`',
    outcome: 'error',
    expected: 'CsvSchemaError `FILE:1: missing column longitude (header has: …)`',
    async run(t) {
      const f = t.write('sites.csv', 'id_fs,insee_dep,lib_fs,insee_com,latitude,lon\n1,87,Site 1,87085,45.83,1.26\n');
      const e = await expectError(() => loadSites(f), CsvSchemaError, `${f}:1: missing column longitude (header has: id_fs, insee_dep, lib_fs, insee_com, latitude, lon)`);
      expect((e as CsvSchemaError).missing).toEqual(['longitude']);
    },
  },
  {
    id: 'sites-semicolon',
    target: 'loadSites',
    input: "sites CSV separated by `;` (a spreadsheet export)",
    outcome: 'error',
    expected: "CsvSchemaError `FILE:1: the file is separated by ';'; expected ','`",
    async run(t) {
      const f = t.write('sites.csv', sitesCsv(site('1', '45.83', '1.26')).replaceAll(',', ';'));
      await expectError(() => loadSites(f), CsvSchemaError, `${f}:1: the file is separated by ';'; expected ','`);
    },
  },
  {
    id: 'sites-semicolon-renamed',
    target: 'loadSites',
    input: 'sites CSV separated by `;` with French spreadsheet column names',
    outcome: 'error',
    expected: "CsvSchemaError `FILE:1: the file is separated by ';' (a spreadsheet export?); expected ',' with columns …`",
    async run(t) {
      const f = t.write('sites.csv', 'Identifiant;Département;Nom;Commune;Latitude;Longitude\n1;87;Site 1;87085;45,83;1,26\n');
      await expectError(
        () => loadSites(f),
        CsvSchemaError,
        `${f}:1: the file is separated by ';' (a spreadsheet export?); expected ',' with columns id_fs, lib_fs, insee_com, insee_dep, latitude, longitude`,
      );
    },
  },
  {
    id: 'sites-tab',
    target: 'loadSites',
    input: 'sites CSV separated by tabs, all columns present',
    outcome: 'error',
    expected: "CsvSchemaError `FILE:1: the file is separated by '\\t'; expected ','`",
    async run(t) {
      const f = t.write('sites.csv', sitesCsv(site('1', '45.83', '1.26')).replaceAll(',', '\t'));
      await expectError(() => loadSites(f), CsvSchemaError, `${f}:1: the file is separated by '\\t'; expected ','`);
    },
  },
  {
    id: 'sites-bom',
    target: 'loadSites',
    input: 'sites CSV starting with a UTF-8 byte order mark',
    outcome: 'accepted',
    expected: 'read as without the BOM: first column `id_fs`, ids and names intact',
    async run(t) {
      const body = sitesCsv(site('1', '45.83', '1.26', 'Évaux'), site('2', '45.9', '1.1'));
      const f = t.write('sites.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, 'utf8')]));
      const s = await loadSites(f);
      expect(s.rejected).toEqual([]);
      expect(s.id).toEqual(['1', '2']);
      expect(s.name[0]).toBe('Évaux');
      expect(Array.from(s.lat)).toEqual([45.83, 45.9]);
    },
  },
  {
    id: 'sites-latin1',
    target: 'loadSites',
    input: 'sites CSV encoded in Latin-1 (`É` as byte 0xC9 on line 3)',
    outcome: 'error',
    expected: 'EncodingError `FILE:3: not valid UTF-8 (byte 0xc9); the file looks Latin-1/Windows-1252 encoded: …`',
    async run(t) {
      const f = t.write('sites.csv', Buffer.from(sitesCsv(site('1', '45.83', '1.26'), site('2', '45.9', '1.1', 'Évaux')), 'latin1'));
      const e = await expectError(
        () => loadSites(f),
        EncodingError,
        `${f}:3: not valid UTF-8 (byte 0xc9); the file looks Latin-1/Windows-1252 encoded: re-save it as UTF-8 or load it with encoding 'latin1'`,
      );
      expect((e as EncodingError).line).toBe(3);
    },
  },
  {
    id: 'sites-non-numeric-coordinates',
    target: 'loadSites',
    input: 'one site whose latitude is the text `quarante-cinq`',
    outcome: 'rejection',
    expected: 'row rejected: `bad-coordinates`, line 3; the other rows kept',
    async run(t) {
      const f = t.write('sites.csv', sitesCsv(site('1', '45.83', '1.26'), site('2', 'quarante-cinq', '1.2'), site('3', '45.9', '1.1')));
      expectRejections(await loadSites(f), 2, [
        { file: f, line: 3, id: '2', reason: 'bad-coordinates', detail: 'longitude "1.2", latitude "quarante-cinq" are not both numbers' },
      ]);
    },
  },
  {
    id: 'sites-empty-coordinates',
    target: 'loadSites',
    input: 'one site with empty latitude and longitude',
    outcome: 'rejection',
    expected: 'row rejected: `bad-coordinates`, line 2',
    async run(t) {
      const f = t.write('sites.csv', sitesCsv(site('1', '', ''), site('2', '45.9', '1.1')));
      expectRejections(await loadSites(f), 1, [{ file: f, line: 2, id: '1', reason: 'bad-coordinates', detail: 'longitude "", latitude "" are not both numbers' }]);
    },
  },
  {
    id: 'sites-swapped-row',
    target: 'loadSites',
    input: 'one site of three with latitude and longitude exchanged',
    outcome: 'rejection',
    expected: 'row rejected: `swapped-lat-lon`, line 4',
    async run(t) {
      const f = t.write('sites.csv', sitesCsv(site('1', '45.83', '1.26'), site('2', '45.9', '1.1'), site('3', '1.25', '45.83')));
      expectRejections(await loadSites(f), 2, [
        { file: f, line: 4, id: '3', reason: 'swapped-lat-lon', detail: 'longitude 45.83, latitude 1.25 are plausible only swapped (latitude and longitude columns exchanged?)' },
      ]);
    },
  },
  {
    id: 'sites-swapped-file',
    target: 'loadSites',
    input: 'every site with latitude and longitude exchanged (columns swapped in the export)',
    outcome: 'error',
    expected: 'UnusableInputError `FILE:2: 3 of 3 sites rejected as swapped-lat-lon (…); latitude and longitude look exchanged: swap the two columns`',
    async run(t) {
      const f = t.write('sites.csv', sitesCsv(site('1', '1.26', '45.83'), site('2', '1.1', '45.9'), site('3', '1.2', '45.8')));
      const e = await expectError(
        () => loadSites(f),
        UnusableInputError,
        `${f}:2: 3 of 3 sites rejected as swapped-lat-lon (first: longitude 45.83, latitude 1.26 are plausible only swapped (latitude and longitude columns exchanged?)); latitude and longitude look exchanged: swap the two columns`,
      );
      expect((e as UnusableInputError).reasons).toEqual({ 'swapped-lat-lon': 3 });
    },
  },
  {
    id: 'sites-lambert93-row',
    target: 'loadSites',
    input: 'one site with Lambert-93 metres (x 565000, y 6528000) instead of degrees',
    outcome: 'rejection',
    expected: 'row rejected: `projected-coordinates`, line 3, detail names Lambert-93',
    async run(t) {
      const f = t.write('sites.csv', sitesCsv(site('1', '45.83', '1.26'), site('2', '6528000', '565000')));
      expectRejections(await loadSites(f), 1, [
        { file: f, line: 3, id: '2', reason: 'projected-coordinates', detail: 'longitude 565000, latitude 6528000 look like Lambert-93 (EPSG:2154) metres, not WGS84 degrees' },
      ]);
    },
  },
  {
    id: 'sites-lambert93-file',
    target: 'loadSites',
    input: 'every site in Lambert-93 metres',
    outcome: 'error',
    expected: 'UnusableInputError `FILE:2: 2 of 2 sites rejected as projected-coordinates (…); coordinates are projected metres (Lambert-93?), …`',
    async run(t) {
      const f = t.write('sites.csv', sitesCsv(site('1', '6528000', '565000'), site('2', '6530000', '570000')));
      await expectError(
        () => loadSites(f),
        UnusableInputError,
        `${f}:2: 2 of 2 sites rejected as projected-coordinates (first: longitude 565000, latitude 6528000 look like Lambert-93 (EPSG:2154) metres, not WGS84 degrees); coordinates are projected metres (Lambert-93?), not WGS84 degrees: convert them to longitude/latitude in degrees (EPSG:4326)`,
      );
    },
  },
  {
    id: 'sites-duplicate-id',
    target: 'loadSites',
    input: 'the id `1` used on lines 2 and 4',
    outcome: 'rejection',
    expected: 'second row rejected: `duplicate-id`, line 4, "already used on line 2"',
    async run(t) {
      const f = t.write('sites.csv', sitesCsv(site('1', '45.83', '1.26'), site('2', '45.9', '1.1'), site('1', '45.7', '1.0')));
      const s = await loadSites(f);
      expectRejections(s, 2, [{ file: f, line: 4, id: '1', reason: 'duplicate-id', detail: 'id_fs 1 already used on line 2' }]);
      expect(Array.from(s.lat)).toEqual([45.83, 45.9]);
    },
  },
  {
    id: 'sites-empty-file',
    target: 'loadSites',
    input: 'an empty file (0 bytes)',
    outcome: 'error',
    expected: 'EmptyInputError `FILE: empty file (no header, no record)`',
    async run(t) {
      const f = t.write('sites.csv', '');
      await expectError(() => loadSites(f), EmptyInputError, `${f}: empty file (no header, no record)`);
    },
  },
  {
    id: 'sites-header-only',
    target: 'loadSites',
    input: 'the header line and nothing else',
    outcome: 'error',
    expected: 'EmptyInputError `FILE: header only, no record after line 1`',
    async run(t) {
      const f = t.write('sites.csv', SITES_HEADER + '\n');
      await expectError(() => loadSites(f), EmptyInputError, `${f}: header only, no record after line 1`);
    },
  },
  {
    id: 'sites-unclosed-quote',
    target: 'loadSites',
    input: 'a quote opened on line 3 and never closed',
    outcome: 'error',
    expected: 'CsvFormatError `FILE:3: Quoted field unterminated (in the record starting on this line)`',
    async run(t) {
      const f = t.write('sites.csv', sitesCsv(site('1', '45.83', '1.26'), '2,87,"Site 2,87085,45.9,1.1', site('3', '45.8', '1.2')));
      await expectError(() => loadSites(f), CsvFormatError, `${f}:3: Quoted field unterminated (in the record starting on this line)`);
    },
  },
  {
    id: 'sites-short-row',
    target: 'loadSites',
    input: 'a row with 4 fields under a 6-column header',
    outcome: 'rejection',
    expected: 'row rejected: `bad-row`, line 3',
    async run(t) {
      const f = t.write('sites.csv', sitesCsv(site('1', '45.83', '1.26'), '2,87,Site 2,87085'));
      expectRejections(await loadSites(f), 1, [{ file: f, line: 3, reason: 'bad-row', detail: '4 fields, the header has 6' }]);
    },
  },
  {
    id: 'sites-stray-carriage-returns',
    target: 'loadSites',
    input: 'a CRLF file with six stray carriage returns before the header, a bad row on line 3',
    outcome: 'rejection',
    expected: 'row rejected on line 3 (lines counted by line feeds, as `grep -n` does), the header still read',
    async run(t) {
      const body = '\r'.repeat(6) + [SITES_HEADER, site('1', '45.83', '1.26'), site('2', 'x', '1.2'), site('3', '45.9', '1.1')].join('\r\n') + '\r\n';
      const f = t.write('sites.csv', body);
      const s = await loadSites(f);
      expectRejections(s, 2, [{ file: f, line: 3, id: '2', reason: 'bad-coordinates', detail: 'longitude "1.2", latitude "x" are not both numbers' }]);
      expect(s.id).toEqual(['1', '3']);
    },
  },
  {
    id: 'sites-no-usable-row',
    target: 'loadSites',
    input: 'two sites, both without coordinates',
    outcome: 'error',
    expected: 'UnusableInputError `FILE:2: none of the 2 sites is usable (2 bad-coordinates; …)`',
    async run(t) {
      const f = t.write('sites.csv', sitesCsv(site('1', '', ''), site('2', 'n/a', 'n/a')));
      await expectError(
        () => loadSites(f),
        UnusableInputError,
        `${f}:2: none of the 2 sites is usable (2 bad-coordinates; first: bad-coordinates, longitude "", latitude "" are not both numbers)`,
      );
    },
  },

  // ---------------------------------------------------------------- grid (loadInseeGrid, loadGridTiles)
  {
    id: 'grid-bad-cell-id',
    target: 'loadInseeGrid',
    input: 'a cell id whose northing is not a multiple of 200 m',
    outcome: 'rejection',
    expected: 'row rejected: `bad-cell-id`, line 3',
    async run(t) {
      const f = t.write('grid.csv', gridCsv(`${LIMOGES_CELL};25.5;10.25;1.5`, 'CRS3035RES200mN2563450E3635200;1;1;0'));
      expectRejections(await loadInseeGrid(f), 1, [
        { file: f, line: 3, id: 'CRS3035RES200mN2563450E3635200', reason: 'bad-cell-id', detail: 'cell id "CRS3035RES200mN2563450E3635200" is not CRS3035RES200mN{Y}E{X} with Y, X multiples of 200' },
      ]);
    },
  },
  {
    id: 'grid-negative-count',
    target: 'loadInseeGrid',
    input: 'a cell with `Men` = -2',
    outcome: 'rejection',
    expected: 'row rejected: `bad-count`, line 3',
    async run(t) {
      const f = t.write('grid.csv', gridCsv(`${LIMOGES_CELL};25.5;10.25;1.5`, 'CRS3035RES200mN2563600E3635200;4;-2;0'));
      expectRejections(await loadInseeGrid(f), 1, [
        { file: f, line: 3, id: 'CRS3035RES200mN2563600E3635200', reason: 'bad-count', detail: 'men "-2": counts must be numbers ≥ 0' },
      ]);
    },
  },
  {
    id: 'grid-non-numeric-count',
    target: 'loadInseeGrid',
    input: 'a cell with `Ind` = `beaucoup`',
    outcome: 'rejection',
    expected: 'row rejected: `bad-count`, line 2',
    async run(t) {
      const f = t.write('grid.csv', gridCsv('CRS3035RES200mN2563600E3635200;beaucoup;2;0', `${LIMOGES_CELL};25.5;10.25;1.5`));
      expectRejections(await loadInseeGrid(f), 1, [
        { file: f, line: 2, id: 'CRS3035RES200mN2563600E3635200', reason: 'bad-count', detail: 'ind "beaucoup": counts must be numbers ≥ 0' },
      ]);
    },
  },
  {
    id: 'grid-outside-france',
    target: 'loadInseeGrid',
    input: 'a valid EPSG:3035 cell in northern Bavaria',
    outcome: 'rejection',
    expected: 'row rejected: `outside-france`, line 3, with the cell centre',
    async run(t) {
      const f = t.write('grid.csv', gridCsv(`${LIMOGES_CELL};25.5;10.25;1.5`, 'CRS3035RES200mN3000000E4400000;3;1;0'));
      const g = await loadInseeGrid(f);
      expect(g.count).toBe(1);
      expect(g.rejected).toHaveLength(1);
      const r = g.rejected[0];
      expect([r.file, r.line, r.id, r.reason]).toEqual([f, 3, 'CRS3035RES200mN3000000E4400000', 'outside-france']);
      const m = /^cell centre \((\d+\.\d{5}), (\d+\.\d{5})\) is outside metropolitan France$/.exec(r.detail);
      expect(m, r.detail).not.toBeNull();
      // By hand: the centre is 209.9 km south of the projection's origin (52°N, false
      // northing 3,210,000) → ≈ 50.1°N, and 79.1 km east of 10°E (false easting 4,321,000),
      // ≈ 1.1° of longitude at 50°N → ≈ 11.1°E: northern Bavaria, near Coburg.
      expect(Number(m![1])).toBeGreaterThan(10.9);
      expect(Number(m![1])).toBeLessThan(11.3);
      expect(Number(m![2])).toBeGreaterThan(49.95);
      expect(Number(m![2])).toBeLessThan(50.25);
    },
  },
  {
    id: 'grid-duplicate-cell',
    target: 'loadInseeGrid',
    input: 'the same cell listed on lines 2 and 3',
    outcome: 'rejection',
    expected: 'second row rejected: `duplicate-id`, "cell already read at FILE:2"',
    async run(t) {
      const f = t.write('grid.csv', gridCsv(`${LIMOGES_CELL};25.5;10.25;1.5`, `${LIMOGES_CELL};2;1;0`));
      const g = await loadInseeGrid(f);
      expectRejections(g, 1, [{ file: f, line: 3, id: LIMOGES_CELL, reason: 'duplicate-id', detail: `cell already read at ${f}:2` }]);
      expect(Array.from(g.households)).toEqual([10.25]);
    },
  },
  {
    id: 'grid-missing-column',
    target: 'loadInseeGrid',
    input: 'INSEE grid without the `Men` column',
    outcome: 'error',
    expected: 'CsvSchemaError `FILE:1: missing column men (header has: …)`',
    async run(t) {
      const f = t.write('grid.csv', `Idcar_200m;Ind;Men_pauv\n${LIMOGES_CELL};25.5;1.5\n`);
      await expectError(() => loadInseeGrid(f), CsvSchemaError, `${f}:1: missing column men (header has: Idcar_200m, Ind, Men_pauv)`);
    },
  },
  {
    id: 'grid-tab-separated',
    target: 'loadInseeGrid',
    input: 'INSEE grid separated by tabs',
    outcome: 'error',
    expected: "CsvSchemaError `FILE:1: separator '\\t' not supported; expected ';' or ','`",
    async run(t) {
      const f = t.write('grid.csv', gridCsv(`${LIMOGES_CELL};25.5;10.25;1.5`).replaceAll(';', '\t'));
      await expectError(() => loadInseeGrid(f), CsvSchemaError, `${f}:1: separator '\\t' not supported; expected ';' or ','`);
    },
  },
  {
    id: 'grid-overseas-only',
    target: 'loadInseeGrid',
    input: 'a grid of La Réunion (CRS5490 ids): no cell is usable',
    outcome: 'error',
    expected: 'UnusableInputError `FILE:2: none of the 2 cells is usable (2 bad-cell-id; …)`',
    async run(t) {
      const f = t.write('grid.csv', gridCsv('CRS5490RES200mN7650000E340000;3;1;0', 'CRS5490RES200mN7650200E340000;5;2;1'));
      await expectError(
        () => loadInseeGrid(f),
        UnusableInputError,
        `${f}:2: none of the 2 cells is usable (2 bad-cell-id; first: bad-cell-id, cell id "CRS5490RES200mN7650000E340000": only 200 m cells in EPSG:3035 (metropolitan France) are supported)`,
      );
    },
  },
  {
    id: 'grid-tile-bad-index',
    target: 'loadGridTiles',
    input: 'a GISCO tile row with x = 128 (indices run 0..127)',
    outcome: 'rejection',
    expected: 'row rejected: `bad-cell-id`, line 3 of the tile file',
    async run(t) {
      const f = t.write('tiles/17/22.csv', 'x,y,ind,men,men_pauv\n0,1,4,1.8,0.1\n128,5,3,1,0\n');
      expectRejections(await loadGridTiles(t.input(t.out('tiles'))), 1, [
        { file: f, line: 3, reason: 'bad-cell-id', detail: 'cell index x "128", y "5" must be integers in 0..127' },
      ]);
    },
  },
  {
    id: 'grid-tile-negative-count',
    target: 'loadGridTiles',
    input: 'a GISCO tile row with ind = -1',
    outcome: 'rejection',
    expected: 'row rejected: `bad-count`, line 2',
    async run(t) {
      const f = t.write('tiles/17/22.csv', 'x,y,ind,men,men_pauv\n0,2,-1,1,0\n0,1,4,1.8,0.1\n');
      expectRejections(await loadGridTiles(t.input(t.out('tiles'))), 1, [
        // tile 17/22, cell (0, 2): X = 3,200,000 + 17·128·200, Y = 2,000,000 + (22·128 + 2)·200
        { file: f, line: 2, id: 'CRS3035RES200mN2563600E3635200', reason: 'bad-count', detail: 'ind "-1": counts must be numbers ≥ 0' },
      ]);
    },
  },

  // ---------------------------------------------------------------- communes (loadCommuneHouseholds)
  {
    id: 'communes-repeated-postal-codes',
    target: 'loadCommuneHouseholds',
    input: 'a commune listed three times, once per postal code, with identical figures',
    outcome: 'accepted',
    expected: 'counted once (its households not tripled), not reported',
    async run(t) {
      const f = t.write(
        'communes.csv',
        [
          COMMUNES_HEADER,
          '87085,87,Limoges,COM,87000,45.85,1.25,129754,70421',
          '87085,87,Limoges,COM,87100,45.85,1.25,129754,70421',
          '87085,87,Limoges,COM,87280,45.85,1.25,129754,70421',
          '87154,87,Saint-Junien,COM,87200,45.88,0.9,11200,5400',
        ].join('\n') + '\n',
      );
      const h = await loadCommuneHouseholds(f);
      expect(h.rejected).toEqual([]);
      expect(h.id).toEqual(['87085', '87154']);
      expect(Array.from(h.households)).toEqual([70421, 5400]);
    },
  },
  {
    id: 'communes-conflicting-duplicate',
    target: 'loadCommuneHouseholds',
    input: 'a commune listed twice with different household counts',
    outcome: 'rejection',
    expected: 'second row rejected: `duplicate-id`, first row kept',
    async run(t) {
      const f = t.write(
        'communes.csv',
        [COMMUNES_HEADER, '87085,87,Limoges,COM,87000,45.85,1.25,129754,70421', '87085,87,Limoges,COM,87100,45.85,1.25,129754,71000'].join('\n') + '\n',
      );
      const h = await loadCommuneHouseholds(f);
      expectRejections(h, 1, [
        { file: f, line: 3, id: '87085', reason: 'duplicate-id', detail: 'commune 87085 already read on line 2 with other figures (70421, 129754, 45.85, 1.25); first row kept' },
      ]);
      expect(Array.from(h.households)).toEqual([70421]);
    },
  },
  {
    id: 'communes-semicolon-decimal-comma',
    target: 'loadCommuneHouseholds',
    input: 'communes CSV from a French spreadsheet: `;` separator, decimal commas',
    outcome: 'accepted',
    expected: 'read as the `,` file: same codes, centroids and households',
    async run(t) {
      const f = t.write('communes.csv', [COMMUNES_HEADER.replaceAll(',', ';'), '87085;87;Limoges;COM;87000;45,85;1,25;129754;70421'].join('\n') + '\n');
      const h = await loadCommuneHouseholds(f);
      expect(h.rejected).toEqual([]);
      expect(h.id).toEqual(['87085']);
      expect([h.lat[0], h.lon[0], h.households[0]]).toEqual([45.85, 1.25, 70421]);
    },
  },
  {
    id: 'communes-renamed-columns',
    target: 'loadCommuneHouseholds',
    input: 'communes CSV with a spreadsheet\'s own column names (`code_insee`, `menages`…), `;`-separated',
    outcome: 'error',
    expected: "CsvSchemaError `FILE:1: missing columns insee_com, … (the file is ';'-separated, expected ',')`",
    async run(t) {
      const f = t.write('communes.csv', 'code_insee;departement;nom;type;lat;lng;population;menages\n87085;87;Limoges;COM;45.85;1.25;129754;70421\n');
      const e = await expectError(
        () => loadCommuneHouseholds(f),
        CsvSchemaError,
        `${f}:1: missing columns insee_com, insee_dep, commune_type, population_2021, menages_2021 (the file is ';'-separated, expected ',')`,
      );
      expect((e as CsvSchemaError).missing).toEqual(['insee_com', 'insee_dep', 'commune_type', 'population_2021', 'menages_2021']);
    },
  },
  {
    id: 'communes-negative-households',
    target: 'loadCommuneHouseholds',
    input: 'a commune with `menages_2021` = -5',
    outcome: 'rejection',
    expected: 'row rejected: `bad-count`, line 3',
    async run(t) {
      const f = t.write('communes.csv', [COMMUNES_HEADER, '87085,87,Limoges,COM,87000,45.85,1.25,129754,70421', '87154,87,Saint-Junien,COM,87200,45.88,0.9,100,-5'].join('\n') + '\n');
      expectRejections(await loadCommuneHouseholds(f), 1, [
        { file: f, line: 3, id: '87154', reason: 'bad-count', detail: 'menages_2021 "-5", population_2021 "100": counts must be numbers ≥ 0' },
      ]);
    },
  },
  {
    id: 'communes-header-only',
    target: 'loadCommuneHouseholds',
    input: 'the header line and nothing else',
    outcome: 'error',
    expected: 'EmptyInputError `FILE: header only, no record after line 1`',
    async run(t) {
      const f = t.write('communes.csv', COMMUNES_HEADER + '\n');
      await expectError(() => loadCommuneHouseholds(f), EmptyInputError, `${f}: header only, no record after line 1`);
    },
  },
];
