/**
 * The report's files as text: summary.json, communes.csv, households.geojson /
 * households.csv, gaps.geojson, sites.geojson. Pure functions of an AreaReport, with fixed
 * key orders, fixed rounding and stable sort orders, so the same input gives byte-identical
 * files. GeoJSON is WGS84 (RFC 7946), CSV is UTF-8 with a header and '.' decimals.
 */
import { CATEGORIES, categoryOf, type Coverage, type Tally, type ThresholdCoverage } from './coverage.ts';
import { gapCoordinates } from './gaps.ts';
import { BEYOND_LIMIT, NO_ROUTE, NOT_SNAPPED, REACHED } from './model.ts';
import type { AreaReport, DepartementRow } from './report.ts';

/** Rounds to `digits` decimals; null for NaN/±Infinity (JSON has no NaN). */
export function round(x: number, digits = 2): number | null {
  if (!Number.isFinite(x)) return null;
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
}

/** A number for CSV: rounded, '' when not finite. */
export function csvNumber(x: number, digits = 2): string {
  const r = round(x, digits);
  return r === null ? '' : String(r);
}

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const STATUS_NAMES: Record<number, string> = {
  [REACHED]: 'reached',
  [NO_ROUTE]: 'no-route',
  [NOT_SNAPPED]: 'not-snapped',
  [BEYOND_LIMIT]: 'beyond-limit',
};

export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? 'unknown';
}

const minutes = (s: number, digits = 2) => round(s / 60, digits);

function tallyJson(t: Tally) {
  return {
    units: t.units,
    households: round(t.households),
    inhabitants: round(t.inhabitants),
    poorHouseholds: t.poorKnownUnits > 0 ? round(t.poor) : null,
    poorKnownUnits: t.poorKnownUnits,
  };
}

function thresholdJson(t: ThresholdCoverage) {
  return {
    thresholdMinutes: round(t.thresholdS / 60, 4),
    covered: tallyJson(t.covered),
    beyond: tallyJson(t.beyond),
    unreachable: tallyJson(t.unreachable),
    rejected: tallyJson(t.rejected),
    shareCovered: round(t.shareCovered, 6),
    shareInhabitantsCovered: round(t.shareInhabitantsCovered, 6),
    sharePoorCovered: round(t.sharePoorCovered, 6),
  };
}

function coverageJson(c: Coverage) {
  return {
    totals: {
      read: tallyJson(c.totalRead),
      accepted: tallyJson(c.total),
      rejected: tallyJson(c.rejected),
      rejectedByReason: c.rejectedByReason,
    },
    coverage: c.byThreshold.map(thresholdJson),
    times: {
      note: 'household-weighted, over units with a route',
      p50Minutes: minutes(c.distribution.p50),
      p90Minutes: minutes(c.distribution.p90),
      p99Minutes: minutes(c.distribution.p99),
      meanMinutes: minutes(c.distribution.mean),
      maxMinutes: minutes(c.distribution.max),
      unreachableHouseholds: round(c.distribution.unreachableHouseholds),
      bands: c.distribution.bands.map((b) => ({
        fromMinutes: round(b.fromS / 60),
        toMinutes: round(b.toS / 60),
        units: b.units,
        households: round(b.households),
      })),
    },
  };
}

function communeName(report: AreaReport, code: string): string {
  return report.input.communeNames.get(code) ?? '';
}

/** summary.json. `rows` only for the national report. */
export function summaryJson(report: AreaReport, rows?: DepartementRow[]): string {
  const { input, coverage } = report;
  const inArea = input.area.code === 'all' ? report.sites.count : report.sites.departement.filter((d: string) => d === input.area.code).length;
  const gridHouseholds = coverage.total.households;
  const summary: Record<string, unknown> = {
    area: input.area,
    households: { kind: input.units.kind, units: input.units.count },
    model: input.model.parameters,
    thresholdsMinutes: input.thresholdsMin,
    sites: {
      considered: report.sites.count,
      inArea,
      outsideArea: report.sites.count - inArea,
      selectionRadiusKm: round(report.selectionRadiusM / 1000, 3),
      notPlaced: report.sitesNotPlaced.map((s) => report.sites.id[s]),
    },
    ...coverageJson(coverage),
  };
  if (input.gridAccounting) {
    const c = input.gridAccounting.communeHouseholds;
    summary.gridAccounting = {
      gridHouseholds: round(gridHouseholds),
      communeHouseholds: round(c),
      share: c > 0 ? round(gridHouseholds / c, 6) : null,
      note: input.gridAccounting.note ?? null,
    };
  }
  if (report.gaps) {
    summary.gaps = report.gaps.map((list, k) => ({
      thresholdMinutes: input.thresholdsMin[k],
      count: list.length,
      households: round(list.reduce((s, g) => s + g.tally.households, 0)),
      largest: list.slice(0, 10).map((g) => ({
        rank: g.rank,
        households: round(g.tally.households),
        inhabitants: round(g.tally.inhabitants),
        cells: g.tally.units,
        areaKm2: round(g.areaKm2, 2),
        lon: round(g.lon, 6),
        lat: round(g.lat, 6),
        communes: g.communes.slice(0, 5).map((c) => ({ code: c.code, name: communeName(report, c.code), households: round(c.households) })),
      })),
    }));
  }
  if (report.uncoveredCommunes) {
    summary.uncoveredCommunes = report.uncoveredCommunes.map((list, k) => ({
      thresholdMinutes: input.thresholdsMin[k],
      count: list.length,
      households: round(list.reduce((s, c) => s + c.households, 0)),
      longest: list.slice(0, 10).map((c) => ({ rank: c.rank, code: c.code, name: communeName(report, c.code), households: round(c.households), minutes: minutes(c.timeS) })),
    }));
  }
  if (rows) {
    summary.departements = rows.map((r) => ({
      code: r.code,
      name: r.name,
      sites: r.sites,
      units: r.coverage.total.units,
      households: round(r.coverage.totalRead.households),
      rejectedUnits: r.coverage.rejected.units,
      coverage: r.coverage.byThreshold.map((t) => ({
        thresholdMinutes: round(t.thresholdS / 60, 4),
        householdsCovered: round(t.covered.households),
        shareCovered: round(t.shareCovered, 6),
        householdsBeyond: round(t.beyond.households),
        householdsUnreachable: round(t.unreachable.households),
      })),
      p50Minutes: minutes(r.coverage.distribution.p50),
      p90Minutes: minutes(r.coverage.distribution.p90),
      maxMinutes: minutes(r.coverage.distribution.max),
    }));
  }
  summary.sources = input.sources;
  return JSON.stringify(summary, null, 2) + '\n';
}

/** communes.csv: one row per commune of the units, sorted by code. */
export function communesCsv(report: AreaReport): string {
  const { input, coverage } = report;
  const tMin = input.thresholdsMin;
  const head = [
    'code',
    'name',
    'departement',
    'units',
    'households',
    'inhabitants',
    'poor_households',
    'mean_time_min',
    'max_time_min',
    'main_site_id',
    'main_site_name',
  ];
  for (const t of tMin) head.push(`households_within_${t}min`, `share_within_${t}min`, `poor_households_within_${t}min`, `households_beyond_${t}min`, `households_unreachable_${t}min`);
  const lines = [head.join(',')];
  for (const c of coverage.communes) {
    const row = [
      csvField(c.code),
      csvField(communeName(report, c.code)),
      c.code ? csvField(c.code.startsWith('97') || c.code.startsWith('98') ? c.code.slice(0, 3) : c.code.slice(0, 2)) : '',
      String(c.total.units),
      csvNumber(c.total.households),
      csvNumber(c.total.inhabitants),
      c.total.poorKnownUnits > 0 ? csvNumber(c.total.poor) : '',
      csvNumber(c.meanTimeS / 60),
      csvNumber(c.maxTimeS / 60),
      c.mainSite >= 0 ? csvField(report.sites.id[c.mainSite]) : '',
      c.mainSite >= 0 ? csvField(report.sites.name[c.mainSite]) : '',
    ];
    tMin.forEach((_, k) => {
      row.push(
        csvNumber(c.covered[k].households),
        c.total.households > 0 ? csvNumber(c.covered[k].households / c.total.households, 4) : '',
        c.covered[k].poorKnownUnits > 0 ? csvNumber(c.covered[k].poor) : '',
        csvNumber(c.beyond[k].households),
        csvNumber(c.unreachable[k].households),
      );
    });
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

function unitProperties(report: AreaReport, i: number): Record<string, unknown> {
  const { units } = report.input;
  const { nearest } = report;
  const site = nearest.site[i];
  const p: Record<string, unknown> = {
    id: units.id[i],
    commune: units.commune[i],
    households: round(units.households[i]),
    inhabitants: round(units.inhabitants[i]),
    poor_households: round(units.poor[i]),
    time_min: minutes(nearest.time[i]),
    site_id: site >= 0 ? report.sites.id[site] : null,
    status: statusName(nearest.status[i]),
  };
  report.thresholdsS.forEach((t, k) => {
    p[`category_${report.input.thresholdsMin[k]}min`] = CATEGORIES[categoryOf(nearest, i, t)];
  });
  return p;
}

function featureCollection(features: Iterable<string>): string[] {
  const out = ['{"type":"FeatureCollection","features":[\n'];
  let first = true;
  for (const f of features) {
    out.push(first ? f : ',\n' + f);
    first = false;
  }
  out.push('\n]}\n');
  return out;
}

function pointFeature(lon: number, lat: number, properties: Record<string, unknown>): string {
  return JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [round(lon, 6), round(lat, 6)] }, properties });
}

/** households.geojson: one Point per unit (cell centre or commune centroid). Chunks of text. */
export function householdsGeoJson(report: AreaReport): string[] {
  const { units } = report.input;
  return featureCollection(
    (function* () {
      for (let i = 0; i < units.count; i++) yield pointFeature(units.lon[i], units.lat[i], unitProperties(report, i));
    })(),
  );
}

/** households.csv: the same as households.geojson, one row per unit (for the national run). */
export function householdsCsv(report: AreaReport): string[] {
  const { units } = report.input;
  const tMin = report.input.thresholdsMin;
  const head = ['id', 'commune', 'lon', 'lat', 'households', 'inhabitants', 'poor_households', 'time_min', 'site_id', 'status', ...tMin.map((t) => `category_${t}min`)];
  const chunks = [head.join(',') + '\n'];
  let buf = '';
  for (let i = 0; i < units.count; i++) {
    const p = unitProperties(report, i);
    const row = [
      csvField(units.id[i]),
      csvField(units.commune[i]),
      csvNumber(units.lon[i], 6),
      csvNumber(units.lat[i], 6),
      csvNumber(units.households[i]),
      csvNumber(units.inhabitants[i]),
      csvNumber(units.poor[i]),
      csvNumber(report.nearest.time[i] / 60),
      p.site_id === null ? '' : csvField(String(p.site_id)),
      String(p.status),
      ...tMin.map((t) => String(p[`category_${t}min`])),
    ];
    buf += row.join(',') + '\n';
    if (buf.length > 1 << 20) {
      chunks.push(buf);
      buf = '';
    }
  }
  chunks.push(buf);
  return chunks;
}

/**
 * gaps.geojson: grid reports — one MultiPolygon per gap and threshold (largest first);
 * commune reports — one Point per uncovered commune and threshold (longest time first).
 */
export function gapsGeoJson(report: AreaReport): string[] {
  const { input } = report;
  return featureCollection(
    (function* () {
      if (report.gaps) {
        for (let k = 0; k < report.gaps.length; k++) {
          for (const g of report.gaps[k]) {
            yield JSON.stringify({
              type: 'Feature',
              geometry: { type: 'MultiPolygon', coordinates: gapCoordinates(g) },
              properties: {
                threshold_min: input.thresholdsMin[k],
                rank: g.rank,
                households: round(g.tally.households),
                inhabitants: round(g.tally.inhabitants),
                poor_households: g.tally.poorKnownUnits > 0 ? round(g.tally.poor) : null,
                cells: g.tally.units,
                area_km2: round(g.areaKm2, 2),
                communes: g.communes
                  .slice(0, 5)
                  .map((c) => `${c.code} ${communeName(report, c.code)}`.trim())
                  .join('; '),
                centre_lon: round(g.lon, 6),
                centre_lat: round(g.lat, 6),
              },
            });
          }
        }
      }
      if (report.uncoveredCommunes) {
        const { units } = input;
        for (let k = 0; k < report.uncoveredCommunes.length; k++) {
          for (const c of report.uncoveredCommunes[k]) {
            yield pointFeature(units.lon[c.unit], units.lat[c.unit], {
              threshold_min: input.thresholdsMin[k],
              rank: c.rank,
              code: c.code,
              name: communeName(report, c.code),
              households: round(c.households),
              inhabitants: round(units.inhabitants[c.unit]),
              time_min: minutes(c.timeS),
              status: statusName(report.nearest.status[c.unit]),
            });
          }
        }
      }
    })(),
  );
}

/**
 * sites.geojson: the area's own sites and every other site that is the nearest of at least
 * one unit (the other sites considered serve nobody and are only counted in summary.json),
 * with the households each serves.
 */
export function sitesGeoJson(report: AreaReport): string[] {
  const { input, sites, coverage } = report;
  const notPlaced = new Set(report.sitesNotPlaced);
  return featureCollection(
    (function* () {
      for (let s = 0; s < sites.count; s++) {
        const load = coverage.sites[s];
        const inArea = input.area.code === 'all' || sites.departement[s] === input.area.code;
        if (!inArea && !(load && load.served.units > 0)) continue;
        const p: Record<string, unknown> = {
          id: sites.id[s],
          name: sites.name[s],
          commune: sites.commune[s],
          commune_name: sites.communeName[s],
          departement: sites.departement[s],
          address: sites.address[s],
          type: sites.type[s],
          format: sites.format[s],
          in_area: inArea,
          placed: !notPlaced.has(s),
          units_served: load ? load.served.units : 0,
          households_served: load ? round(load.served.households) : 0,
        };
        input.thresholdsMin.forEach((t, k) => {
          p[`households_within_${t}min`] = load ? round(load.servedWithin[k].households) : 0;
        });
        yield pointFeature(sites.lon[s], sites.lat[s], p);
      }
    })(),
  );
}
