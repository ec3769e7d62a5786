/**
 * Commune and département outlines (GeoJSON), and the point-in-polygon join that labels
 * each household unit with its commune. Polygons sit behind a Flatbush index of their
 * bounding boxes, so each point tests only the few outlines whose box holds it.
 */
import fs from 'node:fs';
import Flatbush from 'flatbush';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { JsonInputError } from './errors.ts';
import type { BBox } from './geo.ts';
import type { Households } from './types.ts';

export interface Outlines {
  file: string;
  count: number;
  /** INSEE code of each outline (commune '87085' or département '87'). */
  code: string[];
  name: string[];
  geometry: (Polygon | MultiPolygon)[];
  /** minLon, minLat, maxLon, maxLat per outline (4 × count), degrees. */
  bbox: Float64Array;
  /** Bounding boxes, in outline order. */
  index: Flatbush;
}

const CODE_KEYS = ['code', 'insee_com', 'insee_dep', 'code_insee', 'codgeo', 'INSEE_COM', 'INSEE_DEP', 'CODE_INSEE'];
const NAME_KEYS = ['nom', 'lib_dep', 'lib_com', 'name', 'nom_com', 'NOM', 'NOM_COM', 'NOM_DEP'];

export interface LoadOutlinesOptions {
  /** Property holding the code (default: the first of code, insee_com, insee_dep, code_insee, codgeo…). */
  codeProperty?: string;
  /** Property holding the name (default: the first of nom, lib_dep, lib_com, name…). */
  nameProperty?: string;
}

function ringsBBox(geom: Polygon | MultiPolygon, out: Float64Array, at: number): void {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  for (const poly of polys)
    for (const ring of poly)
      for (const p of ring) {
        if (p[0] < minX) minX = p[0];
        if (p[0] > maxX) maxX = p[0];
        if (p[1] < minY) minY = p[1];
        if (p[1] > maxY) maxY = p[1];
      }
  out[at] = minX;
  out[at + 1] = minY;
  out[at + 2] = maxX;
  out[at + 3] = maxY;
}

/**
 * Reads a GeoJSON FeatureCollection of Polygon/MultiPolygon outlines in WGS84 degrees
 * (IGN commune outlines with `code`/`nom`, ANCT département outlines with
 * `insee_dep`/`lib_dep`, …). Throws JsonInputError naming the file and feature number for
 * anything else.
 */
export function loadOutlines(file: string, opts: LoadOutlinesOptions = {}): Outlines {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new JsonInputError(`${file}: not valid JSON (${(err as Error).message})`, file);
  }
  const fc = doc as { type?: string; features?: unknown[] };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new JsonInputError(`${file}: not a GeoJSON FeatureCollection`, file);
  const n = fc.features.length;
  if (n === 0) throw new JsonInputError(`${file}: the FeatureCollection has no feature`, file);
  const code: string[] = [];
  const name: string[] = [];
  const geometry: (Polygon | MultiPolygon)[] = [];
  const bbox = new Float64Array(4 * n);
  fc.features.forEach((raw, i) => {
    const f = raw as { geometry?: Polygon | MultiPolygon | null; properties?: Record<string, unknown> | null };
    const props = f.properties ?? {};
    const where = `${file}: feature ${i + 1}`;
    if (!f.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon')) {
      throw new JsonInputError(`${where}: geometry must be a Polygon or MultiPolygon, got ${(f.geometry as { type?: string } | null | undefined)?.type ?? 'none'}`, file, i + 1);
    }
    const ck = opts.codeProperty ?? CODE_KEYS.find((k) => props[k] !== undefined && props[k] !== null);
    const nk = opts.nameProperty ?? NAME_KEYS.find((k) => props[k] !== undefined && props[k] !== null);
    const c = ck === undefined ? undefined : props[ck];
    if (c === undefined || c === null || String(c).trim() === '') {
      throw new JsonInputError(`${where}: no code property (looked for ${opts.codeProperty ?? CODE_KEYS.join(', ')})`, file, i + 1);
    }
    code.push(String(c).trim());
    name.push(nk === undefined ? '' : String(props[nk] ?? ''));
    geometry.push(f.geometry);
    ringsBBox(f.geometry, bbox, 4 * i);
  });
  const index = new Flatbush(n);
  for (let i = 0; i < n; i++) index.add(bbox[4 * i], bbox[4 * i + 1], bbox[4 * i + 2], bbox[4 * i + 3]);
  index.finish();
  return { file, count: n, code, name, geometry, bbox, index };
}

/**
 * Index of the outline holding (lon, lat), or -1. A point on a shared border goes to the
 * outline listed first in the file.
 */
export function outlineAt(outlines: Outlines, lon: number, lat: number): number {
  const hits = outlines.index.search(lon, lat, lon, lat);
  if (hits.length > 1) hits.sort((a, b) => a - b);
  const pt = [lon, lat];
  for (const i of hits) if (booleanPointInPolygon(pt, outlines.geometry[i])) return i;
  return -1;
}

export interface AssignResult {
  /** Units that fell in an outline. */
  assigned: number;
  /** Indices of units that fell in no outline (their `commune` is left unchanged). */
  outside: number[];
  /** Households in those units. */
  outsideHouseholds: number;
}

/**
 * Sets `households.commune[i]` to the code of the outline holding unit i's centre (in
 * place). With outlines older than the household data (the 2018 IGN outlines of 87 have
 * 200 communes, 2024 has 195), a cell in a since-merged commune gets the OLD outline's
 * code unless `remap` (old code → current code, e.g. COMMUNE_MERGES_2019) is given.
 * Units in no outline keep their previous value and are listed in `outside`.
 */
export function assignCommunes(households: Households, outlines: Outlines, { remap }: { remap?: ReadonlyMap<string, string> | Readonly<Record<string, string>> } = {}): AssignResult {
  const rename = remap === undefined ? undefined : remap instanceof Map ? remap : new Map(Object.entries(remap));
  const outside: number[] = [];
  let outsideHouseholds = 0;
  let assigned = 0;
  for (let i = 0; i < households.count; i++) {
    const k = outlineAt(outlines, households.lon[i], households.lat[i]);
    if (k < 0) {
      outside.push(i);
      outsideHouseholds += households.households[i];
      continue;
    }
    const c = outlines.code[k];
    households.commune[i] = rename?.get(c) ?? c;
    assigned++;
  }
  return { assigned, outside, outsideHouseholds };
}

/**
 * Communes that merged on 1 January 2019 into a "commune nouvelle" (INSEE, Code officiel
 * géographique), for the two départements whose 2018 outlines the project ships: old
 * outline code → code of the commune in the 2024 data. Derived by hand from the COG, since
 * communes-2024.csv does not carry the history; a test checks that it turns the 2018
 * outline codes of 87 and 40 into exactly the 2024 commune codes.
 */
export const COMMUNE_MERGES_2019: Readonly<Record<string, string>> = {
  // 87 — Val-d'Oire-et-Gartempe (87028) = Bussière-Poitevine + Darnac + Saint-Barbant + Thiat.
  '87055': '87028',
  '87136': '87028',
  '87196': '87028',
  // 87 — Saint-Pardoux-le-Lac (87128) = Roussac + Saint-Pardoux + Saint-Symphorien-sur-Couze.
  '87173': '87128',
  '87184': '87128',
  // 40 — Morcenx-la-Nouvelle (40197) = Morcenx + Arjuzanx + Garrosse + Sindères.
  '40009': '40197',
  '40107': '40197',
  '40302': '40197',
};

/** Bounding box [minLon, minLat, maxLon, maxLat] of the outline(s) with this code, grown by `marginMetres`. */
export function outlineBBox(outlines: Outlines, code: string, marginMetres = 0): BBox {
  let b: BBox | undefined;
  for (let i = 0; i < outlines.count; i++) {
    if (outlines.code[i] !== code) continue;
    const o = outlines.bbox.subarray(4 * i, 4 * i + 4);
    b = b ? [Math.min(b[0], o[0]), Math.min(b[1], o[1]), Math.max(b[2], o[2]), Math.max(b[3], o[3])] : [o[0], o[1], o[2], o[3]];
  }
  if (!b) throw new JsonInputError(`${outlines.file}: no outline with code ${code}`, outlines.file);
  const dLat = marginMetres / 111_320;
  const midLat = ((b[1] + b[3]) / 2) * (Math.PI / 180);
  const dLon = marginMetres / (111_320 * Math.cos(midLat));
  return [b[0] - dLon, b[1] - dLat, b[2] + dLon, b[3] + dLat];
}

/** A predicate "is (lon, lat) inside the outline(s) with this code", for the grid loaders' `keep` option. */
export function insideOutline(outlines: Outlines, code: string): (lon: number, lat: number) => boolean {
  const idx: number[] = [];
  for (let i = 0; i < outlines.count; i++) if (outlines.code[i] === code) idx.push(i);
  if (idx.length === 0) throw new JsonInputError(`${outlines.file}: no outline with code ${code}`, outlines.file);
  return (lon, lat) => {
    const pt = [lon, lat];
    for (const i of idx) {
      const b = outlines.bbox;
      if (lon < b[4 * i] || lon > b[4 * i + 2] || lat < b[4 * i + 1] || lat > b[4 * i + 3]) continue;
      if (booleanPointInPolygon(pt, outlines.geometry[i])) return true;
    }
    return false;
  };
}
