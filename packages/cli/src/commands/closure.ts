/** `fs-access closure`: the households that lose coverage if France services sites close. */
import fs from 'node:fs';
import {
  SitingPlanner,
  closureCsv,
  closureGeoJson,
  closureJson,
  round,
  type ClosureDocumentInput,
  type ClosureLoss,
} from '@fs-access/access';
import { UsageError, numberOption, parse, required, withOutputDir } from '../cli-kit.ts';
import { INPUT_OPTIONS, INPUT_USAGE, checkInputOptions, loadDepartementInputs, planningSites, warnUnplaced, writeFiles } from '../departement-inputs.ts';

export const usage = `Usage: fs-access closure --departement CODE --site ID[,ID…] [--threshold MIN] [--out DIR] [--json]

What closing France services sites would cost a département: per site, the households (and
poor households, inhabitants) within the threshold now and not once the site closes, their
new times and new nearest site, and the coverage share after. With several ids, each site
is closed alone, then all of them together. Sites of neighbouring départements count (a
neighbour's site may be closed too).

Options:
  --departement CODE     '87', '40', '2A'…
  --site ID[,ID…]        site ids (id_fs of the France services list)
  --threshold MIN        coverage threshold in minutes (default 20)
  --out DIR              write closure.json, closure.csv (one row per unit losing
                         coverage) and closure.geojson (closed sites and those units)
  --json                 print closure.json on stdout
${INPUT_USAGE}

Without --out and --json, prints a summary. An unknown id is a usage error listing ids of
the département's sites.`;

function log(msg: string): void {
  process.stderr.write(`closure: ${msg}\n`);
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    ...INPUT_OPTIONS,
    site: { type: 'string', multiple: true },
    threshold: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  });
  const t0 = performance.now();
  required('departement', values.departement);
  const choice = checkInputOptions(values);
  const ids = [...new Set((values.site ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== ''))];
  if (ids.length === 0) throw new UsageError('--site is required (one or more site ids, comma-separated)');
  const thresholdMin = numberOption('threshold', values.threshold, { min: 0.1, max: 24 * 60, fallback: 20 });
  const thresholdS = thresholdMin * 60;
  const out = values.out;
  if (out !== undefined && fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0)) {
    throw new UsageError(`--out: ${out} exists and is not an empty folder`);
  }

  const inputs = await loadDepartementInputs(choice, log);
  const { area, units, model } = inputs;
  const { sites, inArea } = planningSites(inputs, thresholdS);
  const index = ids.map((id) => {
    const s = sites.id.indexOf(id);
    if (s >= 0) return s;
    const own = sites.id.filter((_, k) => sites.departement[k] === area.code).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const listed = own.slice(0, 10).join(', ') + (own.length > 10 ? `, … (${own.length} in all)` : '');
    const elsewhere = inputs.sites.id.indexOf(id);
    if (elsewhere >= 0) {
      throw new UsageError(`--site: ${id} (département ${inputs.sites.departement[elsewhere]}) is too far from ${area.code} to serve any of its households; sites of ${area.code}: ${listed}`);
    }
    throw new UsageError(`--site: unknown site id "${id}"; sites of ${area.code}: ${listed}`);
  });

  const times = model.forUnits(units);
  warnUnplaced(inputs, times, log);
  const planner = new SitingPlanner({ model, units, sites, times, candidates: { count: 0, id: [], name: [], lon: new Float64Array(0), lat: new Float64Array(0) }, thresholdS });
  const each: ClosureLoss[] = index.map((s) => planner.closureLoss([s]));
  const together = index.length > 1 ? planner.closureLoss(index) : undefined;
  const doc: ClosureDocumentInput = {
    area,
    planner,
    inputs: {
      households: { kind: units.kind, units: units.count, rejected: units.rejected.length },
      model: model.parameters,
      sites: { considered: sites.count, inArea, selectionRadiusKm: round((Math.max(2 * thresholdS, 3600) * 130) / 3600, 1) },
      sources: inputs.sources,
    },
    each,
    together,
    siteDepartement: (s) => sites.departement[s],
  };
  const json = closureJson(doc);
  if (out !== undefined) {
    await withOutputDir(out, async (tmp) => writeFiles(tmp, { 'closure.json': json, 'closure.csv': closureCsv(doc), 'closure.geojson': closureGeoJson(doc) }));
  }
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const lines = [`${area.name} (${area.code}), ${thresholdMin} min: ${pct(planner.baseline.share)} of households covered with every site open`];
  for (const c of [...each, ...(together ? [together] : [])]) {
    const names = c.closed.map((s) => `${sites.id[s]} ${sites.name[s]}`).join(' + ');
    lines.push(`  closing ${names}: ${c.lost.households.toFixed(0)} households (${c.lost.units} units) lose coverage → ${pct(c.after.share)}; ${c.served.households.toFixed(0)} households had it as nearest site`);
  }
  if (out === undefined && !values.json) process.stdout.write(lines.join('\n') + '\n');
  else for (const l of lines) log(l);
  log(`done in ${((performance.now() - t0) / 1000).toFixed(2)} s${out !== undefined ? `; written to ${out}` : ''}`);
  if (values.json) process.stdout.write(json);
}
