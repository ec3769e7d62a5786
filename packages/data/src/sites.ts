/** Loader for the ANCT list of France services sites (liste-fs-YYYYMMDD.csv). */
import { columnIndex, parseNumber, readCsv, FloatColumn, type CsvReadOptions } from './csv.ts';
import { CsvSchemaError } from './errors.ts';
import { checkLonLat, inBox, type BBox } from './geo.ts';
import type { Rejection, Sites } from './types.ts';
import { checkUsable } from './usable.ts';

/** Columns a sites file must have (the others default to ''). */
export const SITE_REQUIRED_COLUMNS = ['id_fs', 'lib_fs', 'insee_com', 'insee_dep', 'latitude', 'longitude'] as const;
const DAYS = ['h_lundi', 'h_mardi', 'h_mercredi', 'h_jeudi', 'h_vendredi', 'h_samedi'] as const;

/**
 * The list spells formats as codes ('Bus_équivalent', 'Fixe_antenne(s)', 'Multisites',
 * 'Itinérante'); the Sites contract uses the labels below. Unknown values pass through.
 */
const FORMAT_LABELS: Record<string, string> = {
  fixe: 'Fixe',
  'fixe_antenne(s)': 'Fixe avec antenne(s)',
  'fixe avec antenne(s)': 'Fixe avec antenne(s)',
  multisites: 'Multisite',
  multisite: 'Multisite',
  'bus_équivalent': 'Bus',
  bus: 'Bus',
  'itinérante': 'Itinérant',
  'itinérant': 'Itinérant',
};

export function normaliseFormat(raw: string): string {
  return FORMAT_LABELS[raw.trim().toLowerCase()] ?? raw.trim();
}

/** Pads a département code that lost its leading zero in a spreadsheet ('1' → '01'). */
function normaliseDep(raw: string): string {
  const d = raw.trim().toUpperCase();
  return /^\d$/.test(d) ? `0${d}` : d;
}

function normaliseCommune(raw: string): string {
  const c = raw.trim().toUpperCase();
  return /^\d{4}$/.test(c) ? `0${c}` : c;
}

export interface LoadSitesOptions extends CsvReadOptions {
  /** Keep only sites of these départements ('87', '2A', '971'). */
  departements?: string[];
}

/**
 * Reads a France services CSV (comma-separated, UTF-8, BOM tolerated). Columns are
 * matched case-insensitively; SITE_REQUIRED_COLUMNS must be present, else
 * CsvSchemaError (which also says so when the file is `;`-separated).
 *
 * Rows that cannot be used are rejected, never corrected: 'bad-coordinates',
 * 'projected-coordinates' (e.g. Lambert-93 metres), 'swapped-lat-lon', 'outside-france',
 * 'wrong-region' (overseas site with metropolitan coordinates or the reverse),
 * 'missing-id', 'duplicate-id' (the second occurrence), 'bad-row' (wrong number of fields).
 * Coordinates are WGS84 degrees; a decimal comma ('45,83') is accepted.
 * When no row is usable, or more than half are rejected as swapped or projected (a column
 * problem, not a row problem), UnusableInputError instead of a result.
 */
export async function loadSites(file: string, opts: LoadSitesOptions = {}): Promise<Sites> {
  const keepDeps = opts.departements ? new Set(opts.departements.map(normaliseDep)) : undefined;
  const id: string[] = [];
  const name: string[] = [];
  const commune: string[] = [];
  const communeName: string[] = [];
  const departement: string[] = [];
  const address: string[] = [];
  const type: string[] = [];
  const format: string[] = [];
  const hours: string[][] = [];
  const lon = new FloatColumn(4096);
  const lat = new FloatColumn(4096);
  const rejected: Rejection[] = [];
  const seen = new Map<string, number>();
  let ncol = 0;
  let col: Record<string, number> = {};
  const get = (f: string[], key: string): string => {
    const i = col[key];
    return i === undefined || i < 0 ? '' : (f[i] ?? '').trim();
  };

  await readCsv(
    file,
    {
      header(columns, delimiter) {
        const idx = columnIndex(columns);
        const missing = SITE_REQUIRED_COLUMNS.filter((c) => !idx.has(c));
        if (missing.length > 0) {
          const semi = delimiter === ';' || (columns.length === 1 && columns[0].includes(';'));
          throw new CsvSchemaError(
            semi
              ? `${file}:1: the file is separated by ';' (a spreadsheet export?); expected ',' with columns ${SITE_REQUIRED_COLUMNS.join(', ')}`
              : `${file}:1: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header has: ${columns.join(', ')})`,
            file,
            1,
            missing,
          );
        }
        if (delimiter !== ',') {
          throw new CsvSchemaError(`${file}:1: the file is separated by '${delimiter === '\t' ? '\\t' : delimiter}'; expected ','`, file, 1);
        }
        ncol = columns.length;
        col = {};
        for (const k of [...SITE_REQUIRED_COLUMNS, 'adresse', 'complement_adresse', 'code_postal', 'lib_com', 'type_fs', 'format_fs', ...DAYS]) {
          col[k] = idx.get(k) ?? -1;
        }
      },
      row(f, line) {
        if (f.length !== ncol) {
          rejected.push({ file, line, reason: 'bad-row', detail: `${f.length} fields, the header has ${ncol}` });
          return;
        }
        const sid = get(f, 'id_fs');
        const dep = normaliseDep(get(f, 'insee_dep'));
        if (keepDeps && !keepDeps.has(dep)) return;
        if (sid === '') {
          rejected.push({ file, line, reason: 'missing-id', detail: 'empty id_fs' });
          return;
        }
        const rawLat = get(f, 'latitude');
        const rawLon = get(f, 'longitude');
        const x = parseNumber(rawLon);
        const y = parseNumber(rawLat);
        const check = checkLonLat(x, y, dep, rawLon, rawLat);
        if (!check.ok) {
          rejected.push({ file, line, id: sid, reason: check.reason!, detail: check.detail! });
          return;
        }
        const prev = seen.get(sid);
        if (prev !== undefined) {
          rejected.push({ file, line, id: sid, reason: 'duplicate-id', detail: `id_fs ${sid} already used on line ${prev}` });
          return;
        }
        seen.set(sid, line);
        id.push(sid);
        name.push(get(f, 'lib_fs'));
        commune.push(normaliseCommune(get(f, 'insee_com')));
        communeName.push(get(f, 'lib_com'));
        departement.push(dep);
        const parts = [get(f, 'adresse'), get(f, 'complement_adresse'), [get(f, 'code_postal'), get(f, 'lib_com')].filter(Boolean).join(' ')];
        address.push(parts.filter((p) => p !== '').join(', '));
        type.push(get(f, 'type_fs'));
        format.push(normaliseFormat(get(f, 'format_fs')));
        hours.push(DAYS.map((d) => get(f, d)));
        lon.push(x);
        lat.push(y);
      },
    },
    opts,
  );
  checkUsable(id.length, rejected, 'sites');
  return {
    count: id.length,
    id,
    name,
    commune,
    communeName,
    departement,
    address,
    type,
    format,
    hours,
    lon: lon.finish(),
    lat: lat.finish(),
    rejected,
  };
}

/** The sites for which `keep(i)` is true, as a new Sites (rejections carried over). */
export function filterSites(sites: Sites, keep: (i: number, sites: Sites) => boolean): Sites {
  const idx: number[] = [];
  for (let i = 0; i < sites.count; i++) if (keep(i, sites)) idx.push(i);
  const pick = <T>(a: T[]): T[] => idx.map((i) => a[i]);
  return {
    count: idx.length,
    id: pick(sites.id),
    name: pick(sites.name),
    commune: pick(sites.commune),
    communeName: pick(sites.communeName),
    departement: pick(sites.departement),
    address: pick(sites.address),
    type: pick(sites.type),
    format: pick(sites.format),
    hours: pick(sites.hours),
    lon: Float64Array.from(idx, (i) => sites.lon[i]),
    lat: Float64Array.from(idx, (i) => sites.lat[i]),
    rejected: sites.rejected.slice(),
  };
}

/** Sites inside a [minLon, minLat, maxLon, maxLat] box (degrees, edges included). */
export function sitesWithin(sites: Sites, bbox: BBox): Sites {
  return filterSites(sites, (i) => inBox(sites.lon[i], sites.lat[i], bbox));
}
