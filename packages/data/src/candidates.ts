/** Candidate places for new sites: the service-public.fr directory (.sjson), a user CSV, or GeoJSON points. */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { columnIndex, parseNumber, readCsv, FloatColumn, type CsvReadOptions } from './csv.ts';
import { CsvSchemaError, EmptyInputError, JsonInputError } from './errors.ts';
import { checkLonLat } from './geo.ts';
import type { Candidates, Rejection } from './types.ts';

/** Département of a commune code: '97x' for overseas, else the first two characters. */
function depOfCommune(code: string): string {
  return code.startsWith('97') || code.startsWith('98') ? code.slice(0, 3) : code.slice(0, 2);
}

class CandidateBuilder {
  id: string[] = [];
  name: string[] = [];
  kind: string[] = [];
  commune: string[] = [];
  lon = new FloatColumn(1024);
  lat = new FloatColumn(1024);
  rejected: Rejection[] = [];
  private seen = new Map<string, number>();

  add(file: string, line: number, id: string, name: string, kind: string, commune: string, rawLon: unknown, rawLat: unknown): void {
    if (id === '') {
      this.rejected.push({ file, line, reason: 'missing-id', detail: 'no id' });
      return;
    }
    const sLon = rawLon === undefined || rawLon === null ? '' : String(rawLon);
    const sLat = rawLat === undefined || rawLat === null ? '' : String(rawLat);
    const x = typeof rawLon === 'number' ? rawLon : parseNumber(sLon);
    const y = typeof rawLat === 'number' ? rawLat : parseNumber(sLat);
    const check = checkLonLat(x, y, commune ? depOfCommune(commune) : '', sLon, sLat);
    if (!check.ok) {
      this.rejected.push({ file, line, id, reason: check.reason!, detail: check.detail! });
      return;
    }
    const prev = this.seen.get(id);
    if (prev !== undefined) {
      this.rejected.push({ file, line, id, reason: 'duplicate-id', detail: `id ${id} already used on line ${prev}` });
      return;
    }
    this.seen.set(id, line);
    this.id.push(id);
    this.name.push(name);
    this.kind.push(kind);
    this.commune.push(commune);
    this.lon.push(x);
    this.lat.push(y);
  }

  finish(): Candidates {
    return { count: this.id.length, id: this.id, name: this.name, kind: this.kind, commune: this.commune, lon: this.lon.finish(), lat: this.lat.finish(), rejected: this.rejected };
  }
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v).trim());

/**
 * The *Annuaire de l'administration* as line-delimited JSON (one object per line with
 * `id, type, nom, codeinsee, latitude, longitude`; coordinates may be strings). `kind` =
 * `type` ('mairie', 'gendarmerie', …). Lines without usable coordinates are rejected
 * ('bad-coordinates', …), an unparsable line as 'bad-json'; a first line that is not JSON
 * throws JsonInputError (wrong file).
 */
export async function loadAnnuaire(file: string): Promise<Candidates> {
  const b = new CandidateBuilder();
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  let objects = 0;
  for await (const text of rl) {
    line++;
    const t = line === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim();
    if (t === '') continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(t);
      if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error('not a JSON object');
    } catch (err) {
      if (objects === 0) {
        rl.close();
        throw new JsonInputError(`${file}:${line}: not line-delimited JSON (${(err as Error).message})`, file, line);
      }
      b.rejected.push({ file, line, reason: 'bad-json', detail: (err as Error).message });
      continue;
    }
    objects++;
    b.add(file, line, str(o.id), str(o.nom), str(o.type) || 'annuaire', str(o.codeinsee), o.longitude, o.latitude);
  }
  if (objects === 0) throw new EmptyInputError(`${file}: empty file (no JSON line)`, file);
  return b.finish();
}

/**
 * A user's CSV of candidate places: columns `id, name, lat, lon` in any letter case
 * (also `latitude`, `longitude`, `lng`, `nom`); optional `kind` (default 'user') and
 * `commune` / `insee_com` / `codeinsee`. `,` or `;` separated.
 */
export async function loadCandidatesCsv(file: string, opts: CsvReadOptions = {}): Promise<Candidates> {
  const b = new CandidateBuilder();
  let ci = -1;
  let cn = -1;
  let clat = -1;
  let clon = -1;
  let ck = -1;
  let cc = -1;
  await readCsv(
    file,
    {
      header(columns) {
        const idx = columnIndex(columns);
        const pick = (...names: string[]) => names.map((n) => idx.get(n)).find((v) => v !== undefined) ?? -1;
        ci = pick('id');
        cn = pick('name', 'nom');
        clat = pick('lat', 'latitude');
        clon = pick('lon', 'lng', 'longitude');
        ck = pick('kind', 'type');
        cc = pick('commune', 'insee_com', 'codeinsee', 'code_insee');
        const missing = [ci < 0 && 'id', cn < 0 && 'name', clat < 0 && 'lat', clon < 0 && 'lon'].filter((m): m is string => !!m);
        if (missing.length > 0) throw new CsvSchemaError(`${file}:1: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header has: ${columns.join(', ')})`, file, 1, missing);
      },
      row(f, line) {
        const g = (i: number) => (i < 0 ? '' : (f[i] ?? '').trim());
        b.add(file, line, g(ci), g(cn), g(ck) || 'user', g(cc), g(clon), g(clat));
      },
    },
    opts,
  );
  return b.finish();
}

/**
 * GeoJSON Point features as candidates: id = `properties.id` ?? `feature.id` ?? `#n`,
 * name = `properties.name` ?? `properties.nom`, kind = `properties.kind` ?? 'user'.
 * Rejection `line` = feature number (1-based); non-Point geometries → 'bad-geometry'.
 */
export function loadCandidatesGeoJson(file: string): Candidates {
  let doc: { type?: string; features?: unknown[] };
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new JsonInputError(`${file}: not valid JSON (${(err as Error).message})`, file);
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) throw new JsonInputError(`${file}: not a GeoJSON FeatureCollection`, file);
  if (doc.features.length === 0) throw new EmptyInputError(`${file}: the FeatureCollection has no feature`, file);
  const b = new CandidateBuilder();
  doc.features.forEach((raw, i) => {
    const f = raw as { id?: unknown; geometry?: { type?: string; coordinates?: unknown[] } | null; properties?: Record<string, unknown> | null };
    const p = f.properties ?? {};
    const id = str(p.id) || str(f.id) || `#${i + 1}`;
    if (f.geometry?.type !== 'Point' || !Array.isArray(f.geometry.coordinates)) {
      b.rejected.push({ file, line: i + 1, id, reason: 'bad-geometry', detail: `geometry ${f.geometry?.type ?? 'none'}, expected Point` });
      return;
    }
    const [x, y] = f.geometry.coordinates;
    b.add(file, i + 1, id, str(p.name) || str(p.nom), str(p.kind) || 'user', str(p.commune) || str(p.codeinsee), x ?? '', y ?? '');
  });
  return b.finish();
}

/** Dispatches on the extension: .sjson/.jsonl/.ndjson → annuaire, .csv → user CSV, .geojson/.json → GeoJSON points. */
export async function loadCandidates(file: string, opts: CsvReadOptions = {}): Promise<Candidates> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.sjson' || ext === '.jsonl' || ext === '.ndjson') return loadAnnuaire(file);
  if (ext === '.csv' || ext === '.txt') return loadCandidatesCsv(file, opts);
  if (ext === '.geojson' || ext === '.json') return loadCandidatesGeoJson(file);
  throw new JsonInputError(`${file}: unknown candidate format "${ext}" (expected .sjson, .csv or .geojson)`, file);
}
