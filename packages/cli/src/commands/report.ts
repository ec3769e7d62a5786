/** `fs-access report`: the coverage report of a département (or of France at commune level). */
import fs from 'node:fs';
import path from 'node:path';
import {
  buildReport,
  communesCsv,
  departementRows,
  gapsGeoJson,
  householdsCsv,
  householdsGeoJson,
  reportMarkdown,
  sitesGeoJson,
  summaryJson,
} from '@fs-access/access';
import { UsageError, numberOption, parse, required, withOutputDir } from '../cli-kit.ts';
import { INPUT_OPTIONS, INPUT_USAGE, checkInputOptions, loadDepartementInputs, writeFiles } from '../departement-inputs.ts';

export const usage = `Usage: fs-access report --departement CODE --out DIR [options]

Coverage of a département by France services: the time from every household unit to its
nearest site, the share of households within each threshold, per commune, and the areas
left uncovered. Sites of neighbouring départements count.

Options:
  --departement CODE     '87', '2A', '974'…, or 'all' (whole country, commune level)
  --out DIR              output folder (created; must not exist or be empty)
  --thresholds LIST      minutes, comma-separated (default 20,30)
${INPUT_USAGE}
  --json                 print summary.json on stdout

Writes summary.json, communes.csv, households.geojson (households.csv for 'all'),
gaps.geojson, sites.geojson and report.md (in French). Times are in minutes in the
outputs, GeoJSON in WGS84, CSV UTF-8 with '.' decimals. Same inputs, same bytes.`;

function log(msg: string): void {
  process.stderr.write(`report: ${msg}\n`);
}

function timed<T>(label: string, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  log(`${label} (${((performance.now() - t0) / 1000).toFixed(2)} s)`);
  return out;
}

function parseThresholds(raw: string | undefined): number[] {
  if (raw === undefined) return [20, 30];
  const parts = raw.split(',').map((s) => s.trim());
  const values = parts.map((p) => numberOption('thresholds', p));
  // One message for every out-of-range value (0 and negatives included).
  if (values.some((v) => v <= 0 || v > 24 * 60)) throw new UsageError(`--thresholds: minutes must be > 0 and ≤ 1440, got "${raw}"`);
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  return sorted;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parse(argv, { ...INPUT_OPTIONS, out: { type: 'string' }, thresholds: { type: 'string' }, json: { type: 'boolean' } });
  const t0 = performance.now();
  required('departement', values.departement);
  const out = required('out', values.out);
  const choice = checkInputOptions(values, { allowAll: true });
  const thresholdsMin = parseThresholds(values.thresholds);
  if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0)) {
    throw new UsageError(`--out: ${out} exists and is not an empty folder`);
  }
  const { dep } = choice;
  const inputs = await loadDepartementInputs(choice, log);
  const { area, units, communeNames, sites, model, sources, gridAccounting, depNames } = inputs;

  const report = timed('coverage computed', () =>
    buildReport({ area, units, communeNames, sites, model, thresholdsMin, sources, gridAccounting }),
  );
  if (choice.modelName === 'road') {
    const notSnapped = report.coverage.byThreshold[0].unreachable.units;
    if (notSnapped > 0.1 * units.count) {
      log(`warning: ${notSnapped} of ${units.count} household units are unreachable (farther than ${choice.maxSnapDistanceM} m from the roads of ${path.basename(choice.osmFile!)}?) — does the extract cover the département?`);
    }
  }
  const rows = dep === 'all' ? timed('départements split', () => departementRows(report, depNames)) : undefined;

  const summary = summaryJson(report, rows);
  await withOutputDir(out, async (tmp) => {
    timed('outputs written', () => {
      const files: Record<string, string | string[]> = { 'summary.json': summary, 'communes.csv': communesCsv(report) };
      if (dep === 'all') files['households.csv'] = householdsCsv(report);
      else files['households.geojson'] = householdsGeoJson(report);
      files['gaps.geojson'] = gapsGeoJson(report);
      files['sites.geojson'] = sitesGeoJson(report);
      files['report.md'] = reportMarkdown(report, rows);
      writeFiles(tmp, files);
    });
  });
  const first = report.coverage.byThreshold.map((t) => `${(t.shareCovered * 100).toFixed(1)} % within ${t.thresholdS / 60} min`).join(', ');
  log(`${area.name} (${dep}): ${report.coverage.totalRead.households.toFixed(0)} households, ${first}; written to ${out} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  if (values.json) process.stdout.write(summary);
}
