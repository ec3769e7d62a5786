/** Commune-level households (2021 census figures at the commune centroid), the fallback that covers all of France. */
import { columnIndex, parseNumber, readCsv, FloatColumn, type CsvReadOptions } from './csv.ts';
import { CsvSchemaError } from './errors.ts';
import { checkLonLat } from './geo.ts';
import type { Households, Rejection } from './types.ts';
import { checkUsable } from './usable.ts';

export const COMMUNE_REQUIRED_COLUMNS = ['insee_com', 'insee_dep', 'commune_type', 'lat', 'lng', 'population_2021', 'menages_2021'] as const;

export interface LoadCommunesOptions extends CsvReadOptions {
  /** Keep only this département ('87', '2A', '971'). */
  departement?: string;
}

/**
 * Reads `communes-2024.csv` (one row per commune AND postal code). Keeps `commune_type ===
 * 'COM'`: delegated communes (COMD) overlap their parent's figures. Paris/Lyon/Marseille
 * districts (ARM) are kept only when their parent commune (`insee_parente`) has no COM row —
 * the case of the 2024 file, where the three cities appear only through their districts
 * (1.8 million households that would otherwise be lost); with a parent row they would
 * double-count it and are skipped. A commune listed again with identical figures (another postal
 * code) is counted once and not reported; listed again with different figures it is
 * rejected as 'duplicate-id' (first row kept). `menages_2021` → households,
 * `population_2021` → inhabitants, poor = NaN (not in this source), lat/lng = centroid.
 * Other rejections: 'bad-count', 'bad-coordinates' (three communes of the 2024 file have
 * no centroid and 0 households), 'swapped-lat-lon', 'outside-france', 'wrong-region'.
 * `commune` = `id` = the INSEE code; `name` holds the commune name. UnusableInputError
 * when no commune is usable or most have swapped / projected coordinates.
 */
export async function loadCommuneHouseholds(file: string, opts: LoadCommunesOptions = {}): Promise<Households & { name: string[] }> {
  const wantDep = opts.departement?.trim().toUpperCase();
  const id: string[] = [];
  const name: string[] = [];
  const lon = new FloatColumn(1 << 12);
  const lat = new FloatColumn(1 << 12);
  const households = new FloatColumn(1 << 12);
  const inhabitants = new FloatColumn(1 << 12);
  const rejected: Rejection[] = [];
  // code → "line|figures" of the first row seen (kept or rejected), to tell harmless repeats from conflicts.
  const seen = new Map<string, { line: number; sig: string }>();
  let c: number[] = [];
  let cname = -1;
  let cparent = -1;
  const districts: { f: string[]; line: number; parent: string }[] = [];
  await readCsv(
    file,
    {
      header(columns, delimiter) {
        const idx = columnIndex(columns);
        const missing = COMMUNE_REQUIRED_COLUMNS.filter((k) => !idx.has(k));
        if (missing.length > 0) {
          throw new CsvSchemaError(
            `${file}:1: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}${delimiter === ';' ? " (the file is ';'-separated, expected ',')" : ''}`,
            file,
            1,
            missing,
          );
        }
        c = COMMUNE_REQUIRED_COLUMNS.map((k) => idx.get(k)!);
        cname = idx.get('commune') ?? idx.get('nom') ?? -1;
        cparent = idx.get('insee_parente') ?? -1;
      },
      row(f, line) {
        const dep = (f[c[1]] ?? '').trim();
        const type = (f[c[2]] ?? '').trim();
        if (wantDep !== undefined && dep.toUpperCase() !== wantDep) return;
        if (type === 'ARM') {
          const parent = cparent >= 0 ? (f[cparent] ?? '').trim() : '';
          if (parent !== '') districts.push({ f: f.slice(), line, parent });
          return;
        }
        if (type !== 'COM') return;
        accept(f, line);
      },
    },
    opts,
  );
  // Districts stand in for a parent commune the file does not list as COM.
  for (const d of districts) if (!seen.has(d.parent)) accept(d.f, d.line);

  function accept(f: string[], line: number): void {
    const [code, dep, , rawLat, rawLng, rawPop, rawMen] = c.map((i) => (f[i] ?? '').trim());
    const sig = `${rawMen}|${rawPop}|${rawLat}|${rawLng}`;
    const prev = seen.get(code);
    if (prev !== undefined) {
      if (prev.sig !== sig) {
        rejected.push({ file, line, id: code, reason: 'duplicate-id', detail: `commune ${code} already read on line ${prev.line} with other figures (${prev.sig.replaceAll('|', ', ')}); first row kept` });
      }
      return;
    }
    seen.set(code, { line, sig });
    if (!/^[0-9][0-9AB]\d{3}$/.test(code)) {
      rejected.push({ file, line, id: code, reason: 'bad-id', detail: `"${code}" is not an INSEE commune code` });
      return;
    }
    const men = parseNumber(rawMen);
    const pop = parseNumber(rawPop);
    // `< Infinity` too: "1e309" parses to Infinity, which would poison every sum.
    if (!(men >= 0 && men < Infinity) || !(pop >= 0 && pop < Infinity)) {
      rejected.push({ file, line, id: code, reason: 'bad-count', detail: `menages_2021 "${rawMen}", population_2021 "${rawPop}": counts must be numbers ≥ 0` });
      return;
    }
    const x = parseNumber(rawLng);
    const y = parseNumber(rawLat);
    const check = checkLonLat(x, y, dep, rawLng, rawLat);
    if (!check.ok) {
      rejected.push({ file, line, id: code, reason: check.reason!, detail: `${check.detail} (${men} households)` });
      return;
    }
    id.push(code);
    name.push(cname >= 0 ? (f[cname] ?? '').trim() : '');
    lon.push(x);
    lat.push(y);
    households.push(men);
    inhabitants.push(pop);
  }
  checkUsable(id.length, rejected, 'communes');
  const n = id.length;
  return {
    kind: 'communes',
    count: n,
    id,
    name,
    lon: lon.finish(),
    lat: lat.finish(),
    households: households.finish(),
    inhabitants: inhabitants.finish(),
    poor: new Float64Array(n).fill(NaN),
    commune: id.slice(),
    x3035: new Float64Array(0),
    y3035: new Float64Array(0),
    rejected,
  };
}
