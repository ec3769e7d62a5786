/**
 * Fuzz targets for the CSV readers: sites, INSEE grid, communes (papaparse behind
 * readCsv) and the cost matrix (csv-parse). Inputs are generated from the real column
 * sets with good and bad values (decimal commas, swapped or projected coordinates, quotes,
 * multi-line fields, accents), random separators and line endings, a BOM sometimes, then
 * byte-level damage (Latin-1 bytes, truncation, stray quotes…). Each input is written to a
 * file in a temp folder (the readers stream from files).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {
  CsvFormatError,
  CsvSchemaError,
  EmptyInputError,
  EncodingError,
  METRO_BOX,
  OVERSEAS_BOXES,
  UnusableInputError,
  loadCommuneHouseholds,
  loadInseeGrid,
  loadSites,
} from '../../packages/data/src/index.ts';
import { CostFileError, readCostMatrix } from '../../packages/siting/src/index.ts';
import { byteMutations, mutate, type ByteMutation, type FuzzTarget } from './fuzz.ts';

const DATA_ERRORS = [CsvSchemaError, CsvFormatError, EncodingError, EmptyInputError, UnusableInputError];

export interface CsvInput {
  header: string[];
  rows: string[][];
  delimiter: string;
  eol: string;
  bom: boolean;
  mutations: ByteMutation[];
}

interface TempCtx {
  dir: string;
}

/** Where the inputs are written: FUZZ_TMP, else a RAM disk when there is one (opening files on /tmp costs more than parsing them). */
const tmpRoot = process.env.FUZZ_TMP ?? (fs.existsSync('/dev/shm') && fs.statSync('/dev/shm').isDirectory() ? '/dev/shm' : os.tmpdir());

const tempCtx = {
  setup: (): TempCtx => ({ dir: fs.mkdtempSync(path.join(tmpRoot, 'fs-fuzz-csv-')) }),
  teardown: (ctx: TempCtx) => fs.rmSync(ctx.dir, { recursive: true, force: true }),
};

/** A field as a spreadsheet would write it: quoted when it holds the separator, a quote or a newline. */
function field(v: string, delimiter: string): string {
  return v.includes(delimiter) || v.includes('"') || v.includes('\n') ? `"${v.replaceAll('"', '""')}"` : v;
}

function csvBytes(input: CsvInput): Uint8Array {
  const lines = [input.header, ...input.rows].map((r) => r.map((v) => field(v, input.delimiter)).join(input.delimiter));
  const text = lines.join(input.eol) + (input.rows.length % 2 === 0 ? input.eol : '');
  const body = Buffer.from(text, 'utf8');
  const withBom = input.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
  return mutate(new Uint8Array(withBom), input.mutations);
}

/** Header: the expected columns, sometimes one dropped, renamed, upper-cased, or extra columns, in any order. */
function headerArb(columns: string[], extra: string[]): fc.Arbitrary<string[]> {
  return fc
    .record({
      // One header in twelve loses a column, one in sixteen has one renamed.
      drop: fc.oneof({ weight: 11, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat({ max: columns.length - 1 }) }),
      upper: fc.boolean(),
      extra: fc.subarray(extra),
      rename: fc.oneof(
        { weight: 15, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.tuple(fc.nat({ max: columns.length - 1 }), fc.constantFrom('lat', 'lon', 'x', 'Nom', '')) },
      ),
    })
    .chain(({ drop, upper, extra: more, rename }) => {
      let cols = columns.filter((_, i) => i !== drop);
      if (rename) cols = cols.map((c, i) => (i === rename[0] ? rename[1] : c));
      if (upper) cols = cols.map((c) => c.toUpperCase());
      return fc.shuffledSubarray([...cols, ...more], { minLength: cols.length + more.length });
    });
}

/** Rows whose fields come from per-column pools (unknown columns get free text). */
function rowsArb(pools: Record<string, string[]>, header: string[], maxRows = 6): fc.Arbitrary<string[][]> {
  const free = ['', 'x', 'Évaux-les-Bains', 'a "quoted" word', 'deux\nlignes', ' espace '];
  const cell = (col: string) => fc.constantFrom(...(pools[col.toLowerCase()] ?? free));
  const row = fc.tuple(...header.map(cell)).chain((r) =>
    // Now and then a row with a field too many or too few.
    fc.oneof({ weight: 12, arbitrary: fc.constant<string[]>(r) }, { weight: 1, arbitrary: fc.constant<string[]>(r.slice(0, -1)) }, { weight: 1, arbitrary: fc.constant<string[]>([...r, 'extra']) }),
  );
  return fc.array(row, { maxLength: maxRows });
}

function csvArb(columns: string[], extra: string[], pools: Record<string, string[]>, delimiters: string[]): fc.Arbitrary<CsvInput> {
  return headerArb(columns, extra).chain((header) =>
    fc.record({
      header: fc.constant(header),
      rows: rowsArb(pools, header),
      delimiter: fc.constantFrom(...delimiters),
      eol: fc.constantFrom('\n', '\r\n', '\n'),
      bom: fc.boolean(),
      mutations: fc.oneof({ weight: 2, arbitrary: fc.constant<ByteMutation[]>([]) }, { weight: 1, arbitrary: byteMutations(3) }),
    }),
  );
}

const inFrance = (lon: number, lat: number) =>
  (lon >= METRO_BOX[0] && lon <= METRO_BOX[2] && lat >= METRO_BOX[1] && lat <= METRO_BOX[3]) ||
  Object.values(OVERSEAS_BOXES).some((b) => lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3]);

function unique(ids: string[], what: string): void {
  if (new Set(ids).size !== ids.length) throw new Error(`${what}: duplicate ids in the result`);
}

function checkRejections(rejected: { file: string; line: number; reason: string }[], file: string, maxLine: number): void {
  for (const r of rejected) {
    if (r.file !== file) throw new Error(`rejection names ${r.file}, not ${file}`);
    if (!(Number.isInteger(r.line) && r.line >= 2 && r.line <= maxLine)) throw new Error(`rejection line ${r.line} outside 2..${maxLine}`);
    if (!r.reason) throw new Error('rejection without a reason');
  }
}

/** Lines as an editor counts them: by '\n', or by '\r' in a file without any '\n' (classic Mac). */
const lineCount = (bytes: Uint8Array) => {
  const lf = bytes.reduce((n, b) => n + (b === 10 ? 1 : 0), 1);
  return lf > 1 ? lf : bytes.reduce((n, b) => n + (b === 13 ? 1 : 0), 1);
};

// ---------------------------------------------------------------- sites

const SITE_POOLS: Record<string, string[]> = {
  id_fs: ['1', '2', '3', '007', '', 'fs-87-001', 'x"y'],
  insee_dep: ['87', '2A', '971', '1', '', '99', '975', '87 '],
  lib_fs: ['France services Limoges', 'Évaux', 'Bus, itinérant', '', 'deux\nlignes'],
  insee_com: ['87085', '2A004', '97101', '8708', ''],
  latitude: ['45.83', '45,83', '1.25', '6528000', '', 'NaN', '-91', '16.24', '1e3', ' 45.8 ', 'quarante', '46.1'],
  longitude: ['1.26', '1,26', '45.83', '565000', '', '-61.53', 'Infinity', '1.1', '8.74'],
  format_fs: ['Fixe', 'Bus_équivalent', 'Itinérante', ''],
  type_fs: ['Principal', 'Antenne', ''],
};

export const sitesTarget: FuzzTarget<CsvInput, TempCtx> = {
  name: 'csv-sites',
  reader: 'loadSites (France services CSV)',
  arbitrary: csvArb(['id_fs', 'insee_dep', 'lib_fs', 'insee_com', 'latitude', 'longitude'], ['format_fs', 'type_fs', 'adresse'], SITE_POOLS, [',', ',', ',', ',', ',', ',', ';', '\t']),
  allowed: DATA_ERRORS,
  ...tempCtx,
  async check(input, ctx) {
    const bytes = csvBytes(input);
    const f = path.join(ctx.dir, 'sites.csv');
    fs.writeFileSync(f, bytes);
    const s = await loadSites(f);
    if (s.count !== s.id.length || s.lon.length !== s.count || s.lat.length !== s.count || s.name.length !== s.count) throw new Error('column lengths differ from count');
    unique(s.id, 'sites');
    for (let i = 0; i < s.count; i++) {
      if (s.id[i] === '') throw new Error('a kept site has an empty id');
      if (!inFrance(s.lon[i], s.lat[i])) throw new Error(`kept site ${s.id[i]} at (${s.lon[i]}, ${s.lat[i]}) is not in France`);
    }
    checkRejections(s.rejected, f, lineCount(bytes));
  },
};

// ---------------------------------------------------------------- INSEE grid

const cellIds = ['CRS3035RES200mN2563400E3635200', 'CRS3035RES200mN2563600E3635200', 'CRS3035RES200mN2650000E3700000', 'CRS3035RES200mN2100000E3900000'];
const GRID_POOLS: Record<string, string[]> = {
  idcar_200m: [...cellIds, ...cellIds, 'CRS3035RES200mN2563450E3635200', 'CRS3035RES1000mN2563000E3635000', 'CRS3035RES200mN3000000E4400000', 'CRS5490RES200mN7650000E340000', '', 'carreau-1', 'CRS3035RES200mN02563400E3635200'],
  ind: ['1', '25.5', '0', '-1', '', 'x', '1e309', '0.0000001', '3,5'],
  men: ['1', '10.25', '0', '-2', '', 'NaN', '4'],
  men_pauv: ['0', '1.5', '', '-0.5', 'x'],
  lcog_geo: ['87085', '8708587154', '2A004', ''],
};

export const gridTarget: FuzzTarget<CsvInput, TempCtx> = {
  name: 'csv-grid',
  reader: "loadInseeGrid (INSEE's 200 m grid CSV)",
  arbitrary: csvArb(['Idcar_200m', 'Ind', 'Men', 'Men_pauv'], ['lcog_geo', 'Idcar_1km', 'I_est_200'], GRID_POOLS, [';', ';', ',', '\t']),
  allowed: DATA_ERRORS,
  ...tempCtx,
  async check(input, ctx) {
    const bytes = csvBytes(input);
    const f = path.join(ctx.dir, 'grid.csv');
    fs.writeFileSync(f, bytes);
    const g = await loadInseeGrid(f);
    const n = g.count;
    if (g.lon.length !== n || g.households.length !== n || g.x3035.length !== n || g.commune.length !== n) throw new Error('column lengths differ from count');
    const ids = g.id;
    unique(ids, 'cells');
    for (let i = 0; i < n; i++) {
      const x = g.x3035[i];
      const y = g.y3035[i];
      if (x % 200 !== 0 || y % 200 !== 0) throw new Error(`cell ${i} corner (${x}, ${y}) not on the 200 m grid`);
      if (ids[i] !== `CRS3035RES200mN${y}E${x}`) throw new Error(`cell ${i} id ${ids[i]} does not match its corner`);
      if (!(g.households[i] >= 0 && g.inhabitants[i] >= 0) || !Number.isFinite(g.households[i]) || !Number.isFinite(g.inhabitants[i])) throw new Error(`cell ${ids[i]} has counts ${g.households[i]}, ${g.inhabitants[i]}`);
      if (!(g.lon[i] >= METRO_BOX[0] && g.lon[i] <= METRO_BOX[2] && g.lat[i] >= METRO_BOX[1] && g.lat[i] <= METRO_BOX[3])) throw new Error(`cell ${ids[i]} centre outside metropolitan France`);
    }
    checkRejections(g.rejected, f, lineCount(bytes));
  },
};

// ---------------------------------------------------------------- communes

const COMMUNE_POOLS: Record<string, string[]> = {
  insee_com: ['87085', '87154', '2A004', '97101', '13201', '8708', '', '87085 '],
  insee_dep: ['87', '2A', '971', '13', ''],
  commune_type: ['COM', 'COM', 'COMD', 'ARM', ''],
  insee_parente: ['', '13055', '87085'],
  lat: ['45.85', '45,85', '1.25', '', '16.2', '6528000'],
  lng: ['1.25', '1,25', '45.85', '', '-61.5'],
  population_2021: ['129754', '0', '-5', '', 'x', '12.5'],
  menages_2021: ['70421', '0', '-5', '', 'x', '3'],
};

export const communesTarget: FuzzTarget<CsvInput, TempCtx> = {
  name: 'csv-communes',
  reader: 'loadCommuneHouseholds (communes CSV)',
  arbitrary: csvArb(['insee_com', 'insee_dep', 'commune_type', 'lat', 'lng', 'population_2021', 'menages_2021'], ['insee_parente', 'commune', 'code_postal'], COMMUNE_POOLS, [',', ',', ';']),
  allowed: DATA_ERRORS,
  ...tempCtx,
  async check(input, ctx) {
    const bytes = csvBytes(input);
    const f = path.join(ctx.dir, 'communes.csv');
    fs.writeFileSync(f, bytes);
    const h = await loadCommuneHouseholds(f);
    if (h.lon.length !== h.count || h.households.length !== h.count) throw new Error('column lengths differ from count');
    unique(h.id, 'communes');
    for (let i = 0; i < h.count; i++) {
      if (!/^[0-9][0-9AB]\d{3}$/.test(h.id[i])) throw new Error(`kept commune id "${h.id[i]}"`);
      if (!(h.households[i] >= 0) || !Number.isFinite(h.households[i])) throw new Error(`commune ${h.id[i]} has ${h.households[i]} households`);
      if (!inFrance(h.lon[i], h.lat[i])) throw new Error(`commune ${h.id[i]} centroid not in France`);
    }
    checkRejections(h.rejected, f, lineCount(bytes));
  },
};

// ---------------------------------------------------------------- cost matrix

export interface CostsInput {
  demand: CsvInput;
  costs: CsvInput;
  radius: number;
}

const COST_POOLS: Record<string, string[]> = {
  id: ['01', '1', '007', 'A', 'Évaux', '', ' 02 ', '02'],
  households: ['3', '0', '2.5', '2,5', '-3', '', 'x', '1e400'],
  origin: ['01', '1', '007', 'Évaux', '02', '99', ''],
  facility: ['A', 'B', '0012', '', 'Z'],
  cost: ['5', '0', '12.5', '3,5', '-4', '', 'x', 'Infinity', '1e400'],
};

export const costsTarget: FuzzTarget<CostsInput, TempCtx> = {
  name: 'csv-costs',
  reader: 'readCostMatrix (long-format cost CSV + demand CSV)',
  arbitrary: fc.uniqueArray(fc.constantFrom('01', '1', '007', 'A', 'Évaux', '02', '10', '0012'), { maxLength: 5 }).chain((ids) => {
    // Cost rows mostly about the demand file's own ids (else every input stops at the first row).
    const origin = ids.length > 0 ? fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.constantFrom(...COST_POOLS.origin) }) : fc.constantFrom(...COST_POOLS.origin);
    const weight = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('3', '0', '2.5', '2,5') }, { weight: 1, arbitrary: fc.constantFrom(...COST_POOLS.households) });
    const cost = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('5', '0', '12.5', '3,5', '') }, { weight: 1, arbitrary: fc.constantFrom(...COST_POOLS.cost) });
    const demandRows = fc.tuple(...ids.map((id) => fc.tuple(fc.constant(id), weight))).map((rows) => rows.map((r) => [...r]));
    const costRows = fc.array(fc.tuple(origin, fc.constantFrom('A', 'B', '0012', 'Z'), cost).map((r) => [...r]), { maxLength: 8 });
    const file = (header: fc.Arbitrary<string[]>, rows: fc.Arbitrary<string[][]>, delimiters: string[]) =>
      fc.record({
        header,
        rows,
        delimiter: fc.constantFrom(...delimiters),
        eol: fc.constantFrom('\n', '\r\n'),
        bom: fc.boolean(),
        mutations: fc.oneof({ weight: 3, arbitrary: fc.constant<ByteMutation[]>([]) }, { weight: 1, arbitrary: byteMutations(2) }),
      });
    const fixed = (cols: string[]) => fc.oneof({ weight: 12, arbitrary: fc.constant(cols) }, { weight: 1, arbitrary: headerArb(cols, []) });
    return fc.record({
      demand: file(fixed(['id', 'households']), demandRows, [',', ';']),
      costs: file(fixed(['origin', 'facility', 'cost']), costRows, [',', ';', '\t']),
      radius: fc.constantFrom(0, 5, 10, 1e9),
    });
  }),
  allowed: [CostFileError],
  ...tempCtx,
  async check(input, ctx) {
    const demandFile = path.join(ctx.dir, 'demand.csv');
    const costsFile = path.join(ctx.dir, 'costs.csv');
    fs.writeFileSync(demandFile, csvBytes(input.demand));
    fs.writeFileSync(costsFile, csvBytes(input.costs));
    const m = await readCostMatrix({ costsFile, demandFile, fromCol: 'origin', toCol: 'facility', costCol: 'cost', idCol: 'id', weightCol: 'households', radius: input.radius, unknownDemand: input.radius === 5 ? 'ignore' : 'error' });
    unique(m.demandIds, 'demand');
    unique(m.facilityIds, 'facilities');
    if (m.weight.length !== m.demandIds.length) throw new Error('one weight per demand unit');
    for (const w of m.weight) if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`weight ${w}`);
    for (let f = 0; f < m.facilityIds.length; f++) for (const u of m.cover.row(f)) if (!(u < m.demandIds.length)) throw new Error(`facility ${f} covers unit ${u} of ${m.demandIds.length}`);
  },
};
