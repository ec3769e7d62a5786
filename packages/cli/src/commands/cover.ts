/** `fs-access cover`: maximal covering or set cover on a generic cost matrix. */
import {
  CoverSetsBuilder,
  exactMaximalCovering,
  exactSetCover,
  greedySetCover,
  maximalCovering,
  readCostMatrix,
  type CostMatrix,
  type CoverResult,
} from '@fs-access/siting';
import { UsageError, inputFile, numberOption, parse, required } from '../cli-kit.ts';

export const usage = `Usage: fs-access cover --costs FILE.csv --from-col NAME --to-col NAME --cost-col NAME
                      --demand FILE.csv --id-col NAME [--weight-col NAME] --radius R
                      (--p K | --minimum SHARE) [--exact] [--existing ID,ID,…] [--ignore-unknown] [--json]

Chooses facilities on a long-format cost matrix (one row per demand → facility pair: an
OSRM table, a spreadsheet, spopt's files). A facility covers a demand unit when their cost
is ≤ R (same unit as the cost column).

  --costs        cost CSV; --from-col = demand id, --to-col = facility id, --cost-col = cost
  --demand       demand CSV; --id-col = id (kept as text: leading zeros matter),
                 --weight-col = weight (households, people…; default 1 per unit)
  --p K          the best K facilities (maximal covering, greedy with lazy re-evaluation)
  --minimum S    the fewest facilities covering a share S of the weight (0–1, or "90%")
  --exact        the proven optimum (HiGHS MIP) instead of greedy, with greedy's result
                 alongside for comparison; for small and medium instances
  --existing     facility ids already open: what they cover counts as covered
  --ignore-unknown  skip cost rows whose demand id is not in the demand file (default: error)
  --json         a stable JSON document on stdout (fixed key order) instead of a summary

Greedy ties go to the facility listed first in the cost file. Greedy stops before K when
no remaining facility covers anything new. Demand ids absent from the cost file are
reported as never coverable. Exit codes: 0 done, 1 bad input data, 2 bad command line.`;

function parseShare(raw: string): number {
  const s = raw.trim();
  const pct = s.endsWith('%');
  const v = Number(pct ? s.slice(0, -1) : s);
  if (s === '' || !Number.isFinite(v)) throw new UsageError(`--minimum must be a share (0–1) or a percentage, got "${raw}"`);
  const share = pct ? v / 100 : v;
  if (share < 0 || share > 1) throw new UsageError(`--minimum must be between 0 and 1 (or 0% and 100%), got "${raw}"`);
  return share;
}

interface Chosen {
  id: string;
  gain: number;
  units: number;
  cumulative: number;
  share: number;
}

/** Facilities of an exact solution in the order a greedy would open them, with their marginal gains. */
function orderChosen(m: CostMatrix, alreadyCovered: Uint8Array, candidates: number[]): CoverResult {
  const b = new CoverSetsBuilder(m.cover.unitCount);
  candidates.forEach((c, i) => b.add(i, m.cover.row(c)));
  const r = maximalCovering({ cover: b.finish(candidates.length), weight: m.weight, alreadyCovered, k: candidates.length });
  return { ...r, picks: r.picks.map((p) => ({ ...p, candidate: candidates[p.candidate] })) };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    costs: { type: 'string' },
    'from-col': { type: 'string' },
    'to-col': { type: 'string' },
    'cost-col': { type: 'string' },
    demand: { type: 'string' },
    'id-col': { type: 'string' },
    'weight-col': { type: 'string' },
    radius: { type: 'string' },
    p: { type: 'string' },
    minimum: { type: 'string' },
    exact: { type: 'boolean' },
    existing: { type: 'string' },
    'ignore-unknown': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const costsFile = inputFile('costs', values.costs);
  const demandFile = inputFile('demand', values.demand);
  const fromCol = required('from-col', values['from-col']);
  const toCol = required('to-col', values['to-col']);
  const costCol = required('cost-col', values['cost-col']);
  const idCol = required('id-col', values['id-col']);
  const radius = numberOption('radius', values.radius, { min: 0 });
  if ((values.p === undefined) === (values.minimum === undefined)) throw new UsageError('give exactly one of --p K and --minimum SHARE');
  const k = values.p === undefined ? undefined : numberOption('p', values.p, { min: 0, integer: true });
  const share = values.minimum === undefined ? undefined : parseShare(values.minimum);

  const m = await readCostMatrix({
    costsFile,
    demandFile,
    fromCol,
    toCol,
    costCol,
    idCol,
    weightCol: values['weight-col'],
    radius,
    unknownDemand: values['ignore-unknown'] ? 'ignore' : 'error',
  });

  const alreadyCovered = new Uint8Array(m.demandIds.length);
  const existing: string[] = [];
  if (values.existing !== undefined) {
    const index = new Map(m.facilityIds.map((id, i) => [id, i]));
    for (const raw of values.existing.split(',')) {
      const id = raw.trim();
      if (id === '') continue;
      const f = index.get(id);
      if (f === undefined) throw new UsageError(`--existing: facility "${id}" is not in ${costsFile}`);
      existing.push(id);
      for (const u of m.cover.row(f)) alreadyCovered[u] = 1;
    }
  }
  const input = { cover: m.cover, weight: m.weight, alreadyCovered };

  let result: CoverResult;
  let reached: boolean | undefined;
  let greedyResult: CoverResult | undefined;
  if (k !== undefined) {
    const greedy = maximalCovering({ ...input, k });
    if (values.exact) {
      const exact = await exactMaximalCovering({ ...input, k });
      result = { ...orderChosen(m, alreadyCovered, exact.candidates), stopReason: exact.candidates.length < k ? 'no-gain' : 'k' };
      greedyResult = greedy;
    } else result = greedy;
  } else {
    const greedy = greedySetCover({ ...input, targetShare: share! });
    if (values.exact) {
      const exact = await exactSetCover({ ...input, targetShare: share! });
      result = { ...orderChosen(m, alreadyCovered, exact.candidates), stopReason: exact.reached ? 'target' : 'no-gain' };
      reached = exact.reached;
      greedyResult = greedy;
    } else {
      result = greedy;
      reached = greedy.reached;
    }
  }

  const chosen: Chosen[] = result.picks.map((p) => ({ id: m.facilityIds[p.candidate], gain: p.gain, units: p.units, cumulative: p.cumulative, share: p.share }));
  const baselineUnits = alreadyCovered.reduce((a, b) => a + b, 0);
  const neverCoverable = Array.from(m.absent, (u) => m.demandIds[u]);

  if (values.json) {
    // Keys in a fixed order so the same input always prints the same bytes.
    const doc = {
      problem: k !== undefined ? 'maximal-covering' : 'set-cover',
      method: values.exact ? 'exact' : 'greedy',
      radius,
      ...(k !== undefined ? { p: k } : { minimum: share }),
      demand: {
        units: m.demandIds.length,
        weight: result.total,
        facilities: m.facilityIds.length,
        uncoverable: m.uncoverable.length,
        neverCoverable,
      },
      existing: { facilities: existing, units: baselineUnits, weight: result.baseline, share: result.total > 0 ? result.baseline / result.total : 1 },
      chosen,
      covered: { units: result.coveredUnits, weight: result.covered, share: result.share },
      ...(reached !== undefined ? { reached } : {}),
      stopReason: result.stopReason,
      ...(greedyResult ? { greedy: { facilities: greedyResult.picks.length, weight: greedyResult.covered, share: greedyResult.share } } : {}),
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return;
  }

  const out: string[] = [];
  out.push(`cover: ${m.demandIds.length} demand units (weight ${fmt(result.total)}), ${m.facilityIds.length} facilities, radius ${radius}`);
  if (existing.length > 0) out.push(`existing: ${existing.join(', ')} cover ${baselineUnits} units, weight ${fmt(result.baseline)} = ${pct(result.total > 0 ? result.baseline / result.total : 1)}`);
  const what = k !== undefined ? `best ${k}` : `fewest reaching ${pct(share!)}`;
  out.push(`${values.exact ? 'exact' : 'greedy'} (${what}):`);
  chosen.forEach((c, i) => out.push(`  ${String(i + 1).padStart(3)}. ${c.id}  +${fmt(c.gain)} (${c.units} units)  cumulative ${fmt(c.cumulative)} = ${pct(c.share)}`));
  if (chosen.length === 0) out.push('  (none)');
  out.push(`covered: ${result.coveredUnits} units, weight ${fmt(result.covered)} = ${pct(result.share)}`);
  if (k !== undefined && chosen.length < k) out.push(`stopped after ${chosen.length} of ${k}: no other facility covers anything new`);
  if (reached === false) out.push(`the share ${pct(share!)} cannot be reached: every facility together covers ${pct(result.share)}`);
  if (greedyResult) out.push(`greedy for comparison: ${greedyResult.picks.length} facilities, weight ${fmt(greedyResult.covered)} = ${pct(greedyResult.share)}`);
  out.push(`${m.uncoverable.length} demand units not coverable within the radius (${neverCoverable.length} absent from the cost file)`);
  process.stdout.write(out.join('\n') + '\n');
}
