/**
 * The files of `fs-access sites` and `fs-access closure` as text — picks.json, picks.csv,
 * picks.geojson, closure.json, closure.csv, closure.geojson — pure functions with fixed key
 * orders and rounding, so the same inputs give the same bytes (whatever the number of
 * workers) and the map app can export exactly what the CLI writes.
 *
 * In the files: times in minutes (2 decimals), households / inhabitants / poor households
 * rounded to 2 decimals (the grid's counts are fractional), shares to 6 decimals,
 * coordinates to 6 decimals (≈ 0.1 m); null where a figure is unknown or infinite.
 */
import { csvField, csvNumber, round } from './format.ts';
import type { ClosureLoss, CoverageState, ExactComparison, Figures, MinimumSites, Objective, Recommendation, SitePick, SitingPlanner } from './planning.ts';

/** What the outputs say about the inputs (free-form, written as given, keys in the given order). */
export type PlanningInputsInfo = Record<string, unknown>;

/** The exact solution, or why there is none. */
export type ExactOutcome = { status: 'optimal'; comparison: ExactComparison } | { status: 'skipped' | 'failed'; reason: string };

const r2 = (x: number) => round(x, 2);
const r6 = (x: number) => round(x, 6);
const minutes = (s: number) => round(s / 60, 2);

function figuresJson(f: Figures, poorKnown: boolean) {
  return { units: f.units, households: r2(f.households), inhabitants: r2(f.inhabitants), poor: poorKnown ? r2(f.poor) : null };
}

function stateJson(s: CoverageState, poorKnown: boolean) {
  return {
    units: s.units,
    households: r2(s.households),
    inhabitants: r2(s.inhabitants),
    poor: poorKnown ? r2(s.poor) : null,
    share: r6(s.share),
    shareInhabitants: r6(s.shareInhabitants),
    sharePoor: poorKnown ? r6(s.sharePoor) : null,
  };
}

function pickJson(p: SitePick, poorKnown: boolean) {
  return {
    rank: p.rank,
    id: p.id,
    name: p.name,
    kind: p.kind,
    commune: p.commune,
    lon: r6(p.lon),
    lat: r6(p.lat),
    gain: figuresJson(p.gain, poorKnown),
    objectiveGain: r2(p.objectiveGain),
    before: stateJson(p.before, poorKnown),
    after: stateJson(p.after, poorKnown),
  };
}

export interface PicksDocumentInput {
  area: { code: string; name: string };
  planner: SitingPlanner;
  inputs: PlanningInputsInfo;
  /** The greedy answer: best k (Recommendation) or fewest sites for a share (MinimumSites). */
  greedy: Recommendation | MinimumSites;
  exact: ExactOutcome;
}

/** picks.json as an object (fixed key order). */
export function picksDocument(d: PicksDocumentInput) {
  const { planner, greedy } = d;
  const poorKnown = planner.totals.poorKnownUnits > 0;
  const minimum = 'targetShare' in greedy;
  return {
    area: d.area,
    question: minimum ? 'minimum-sites' : 'best-k',
    thresholdMinutes: round(planner.thresholdS / 60, 4),
    objective: greedy.objective as Objective,
    k: minimum ? null : greedy.k,
    targetShare: minimum ? (greedy as MinimumSites).targetShare : null,
    inputs: d.inputs,
    totals: {
      units: planner.totals.units,
      households: r2(planner.totals.households),
      inhabitants: r2(planner.totals.inhabitants),
      poor: poorKnown ? r2(planner.totals.poor) : null,
    },
    baseline: stateJson(planner.baseline, poorKnown),
    candidates: { evaluated: greedy.candidates, useful: greedy.usefulCandidates },
    greedy: {
      picks: greedy.picks.map((p) => pickJson(p, poorKnown)),
      final: stateJson(greedy.final, poorKnown),
      gain: r2(greedy.picks.reduce((s, p) => s + p.objectiveGain, 0)),
      stopReason: greedy.stopReason,
      reached: minimum ? (greedy as MinimumSites).reached : null,
      evaluations: greedy.evaluations,
    },
    exact:
      d.exact.status === 'optimal'
        ? {
            status: 'optimal',
            method: d.exact.comparison.method,
            picks: d.exact.comparison.picks.map((p) => pickJson(p, poorKnown)),
            final: stateJson(d.exact.comparison.final, poorKnown),
            gain: r2(d.exact.comparison.optimumGain),
            greedyGain: r2(d.exact.comparison.greedyGain),
            ratio: r6(d.exact.comparison.ratio),
          }
        : { status: d.exact.status, reason: d.exact.reason },
  };
}

export function picksJson(d: PicksDocumentInput): string {
  return JSON.stringify(picksDocument(d), null, 2) + '\n';
}

const PICK_COLUMNS = [
  'solution',
  'rank',
  'id',
  'name',
  'kind',
  'commune',
  'lon',
  'lat',
  'units_gained',
  'households_gained',
  'inhabitants_gained',
  'poor_gained',
  'households_after',
  'share_before',
  'share_after',
];

function pickRow(solution: string, p: SitePick, poorKnown: boolean): string {
  return [
    solution,
    String(p.rank),
    csvField(p.id),
    csvField(p.name),
    csvField(p.kind),
    csvField(p.commune),
    csvNumber(p.lon, 6),
    csvNumber(p.lat, 6),
    String(p.gain.units),
    csvNumber(p.gain.households),
    csvNumber(p.gain.inhabitants),
    poorKnown ? csvNumber(p.gain.poor) : '',
    csvNumber(p.after.households),
    csvNumber(p.before.share, 6),
    csvNumber(p.after.share, 6),
  ].join(',');
}

/** picks.csv: one row per pick, greedy then exact (when solved). */
export function picksCsv(d: PicksDocumentInput): string {
  const poorKnown = d.planner.totals.poorKnownUnits > 0;
  const rows = [PICK_COLUMNS.join(',')];
  for (const p of d.greedy.picks) rows.push(pickRow('greedy', p, poorKnown));
  if (d.exact.status === 'optimal') for (const p of d.exact.comparison.picks) rows.push(pickRow('exact', p, poorKnown));
  return rows.join('\n') + '\n';
}

function pointFeature(lon: number, lat: number, properties: Record<string, unknown>): string {
  return JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [r6(lon), r6(lat)] }, properties });
}

/**
 * picks.geojson: a Point per pick (`feature: 'pick'`, solution greedy / exact) and a Point
 * per unit each greedy pick newly covers (`feature: 'unit'`, at the unit's centre, with the
 * pick's rank, its time to the pick and its time now). Chunks to write in order.
 */
export function picksGeoJson(d: PicksDocumentInput): string[] {
  const { planner } = d;
  const u = planner.units;
  const cur = planner.current;
  const poorKnown = planner.totals.poorKnownUnits > 0;
  const features: string[] = [];
  const pickProps = (solution: string, p: SitePick) => ({
    feature: 'pick',
    solution,
    rank: p.rank,
    id: p.id,
    name: p.name,
    kind: p.kind,
    commune: p.commune,
    households_gained: r2(p.gain.households),
    inhabitants_gained: r2(p.gain.inhabitants),
    poor_gained: poorKnown ? r2(p.gain.poor) : null,
    units_gained: p.gain.units,
    share_after: r6(p.after.share),
  });
  for (const p of d.greedy.picks) features.push(pointFeature(p.lon, p.lat, pickProps('greedy', p)));
  if (d.exact.status === 'optimal') for (const p of d.exact.comparison.picks) features.push(pointFeature(p.lon, p.lat, pickProps('exact', p)));
  for (const p of d.greedy.picks) {
    for (let k = 0; k < p.units.length; k++) {
      const i = p.units[k];
      features.push(
        pointFeature(u.lon[i], u.lat[i], {
          feature: 'unit',
          pick: p.rank,
          pick_id: p.id,
          unit: u.id[i],
          commune: u.commune[i] ?? '',
          households: r2(u.households[i]),
          inhabitants: r2(u.inhabitants[i]),
          poor: Number.isFinite(u.poor[i]) ? r2(u.poor[i]) : null,
          time_to_pick_min: minutes(p.times[k]),
          time_now_min: cur.status[i] === 0 ? minutes(cur.time[i]) : null,
        }),
      );
    }
  }
  return ['{"type":"FeatureCollection","features":[\n', features.join(',\n'), '\n]}\n'];
}

// ---------------------------------------------------------------------------------------

export interface ClosureDocumentInput {
  area: { code: string; name: string };
  planner: SitingPlanner;
  inputs: PlanningInputsInfo;
  /** One closure per site, in the order given. */
  each: ClosureLoss[];
  /** All the sites closed together (when more than one). */
  together?: ClosureLoss;
  /** Site index → département code (to say whether a site is in the area). */
  siteDepartement?: (site: number) => string;
}

function siteInfo(d: ClosureDocumentInput, s: number) {
  const sites = d.planner.sites;
  return { id: sites.id?.[s] ?? String(s), name: sites.name?.[s] ?? '', departement: d.siteDepartement?.(s) ?? '', lon: r6(sites.lon[s]), lat: r6(sites.lat[s]) };
}

function closureJsonOf(d: ClosureDocumentInput, c: ClosureLoss) {
  const poorKnown = d.planner.totals.poorKnownUnits > 0;
  const u = d.planner.units;
  const sites = d.planner.sites;
  return {
    sites: c.closed.map((s) => siteInfo(d, s)),
    lost: figuresJson(c.lost, poorKnown),
    served: figuresJson(c.served, poorKnown),
    slower: figuresJson(c.slower, poorKnown),
    before: stateJson(c.before, poorKnown),
    after: stateJson(c.after, poorKnown),
    units: Array.from(c.units, (i, k) => ({
      unit: u.id[i],
      commune: u.commune[i] ?? '',
      households: r2(u.households[i]),
      inhabitants: r2(u.inhabitants[i]),
      poor: Number.isFinite(u.poor[i]) ? r2(u.poor[i]) : null,
      timeBeforeMinutes: minutes(c.timeBefore[k]),
      timeAfterMinutes: minutes(c.timeAfter[k]),
      newSite: c.siteAfter[k] >= 0 ? (sites.id?.[c.siteAfter[k]] ?? String(c.siteAfter[k])) : null,
    })),
  };
}

/** closure.json as an object (fixed key order). */
export function closureDocument(d: ClosureDocumentInput) {
  const { planner } = d;
  const poorKnown = planner.totals.poorKnownUnits > 0;
  return {
    area: d.area,
    thresholdMinutes: round(planner.thresholdS / 60, 4),
    inputs: d.inputs,
    totals: {
      units: planner.totals.units,
      households: r2(planner.totals.households),
      inhabitants: r2(planner.totals.inhabitants),
      poor: poorKnown ? r2(planner.totals.poor) : null,
    },
    baseline: stateJson(planner.baseline, poorKnown),
    closures: d.each.map((c) => closureJsonOf(d, c)),
    together: d.together ? closureJsonOf(d, d.together) : null,
  };
}

export function closureJson(d: ClosureDocumentInput): string {
  return JSON.stringify(closureDocument(d), null, 2) + '\n';
}

/** closure.csv: one row per unit losing coverage, per closure ('+'-joined ids when together). */
export function closureCsv(d: ClosureDocumentInput): string {
  const u = d.planner.units;
  const sites = d.planner.sites;
  const rows = ['closed,unit,commune,households,inhabitants,poor,time_before_min,time_after_min,new_site'];
  for (const c of [...d.each, ...(d.together ? [d.together] : [])]) {
    const closed = csvField(c.closedIds.join('+'));
    for (let k = 0; k < c.units.length; k++) {
      const i = c.units[k];
      rows.push(
        [
          closed,
          csvField(u.id[i]),
          csvField(u.commune[i] ?? ''),
          csvNumber(u.households[i]),
          csvNumber(u.inhabitants[i]),
          csvNumber(u.poor[i]),
          csvNumber(c.timeBefore[k] / 60),
          csvNumber(c.timeAfter[k] / 60),
          c.siteAfter[k] >= 0 ? csvField(sites.id?.[c.siteAfter[k]] ?? String(c.siteAfter[k])) : '',
        ].join(','),
      );
    }
  }
  return rows.join('\n') + '\n';
}

/** closure.geojson: the closed sites (`feature: 'site'`) and the units losing coverage (`feature: 'unit'`). */
export function closureGeoJson(d: ClosureDocumentInput): string[] {
  const u = d.planner.units;
  const features: string[] = [];
  const seen = new Set<number>();
  for (const c of d.each) {
    for (const s of c.closed) {
      if (seen.has(s)) continue;
      seen.add(s);
      const info = siteInfo(d, s);
      features.push(pointFeature(d.planner.sites.lon[s], d.planner.sites.lat[s], { feature: 'site', id: info.id, name: info.name, households_losing: r2(c.lost.households), units_losing: c.lost.units }));
    }
  }
  for (const c of [...d.each, ...(d.together ? [d.together] : [])]) {
    for (let k = 0; k < c.units.length; k++) {
      const i = c.units[k];
      features.push(
        pointFeature(u.lon[i], u.lat[i], {
          feature: 'unit',
          closed: c.closedIds.join('+'),
          unit: u.id[i],
          households: r2(u.households[i]),
          time_before_min: minutes(c.timeBefore[k]),
          time_after_min: minutes(c.timeAfter[k]),
        }),
      );
    }
  }
  return ['{"type":"FeatureCollection","features":[\n', features.join(',\n'), '\n]}\n'];
}
