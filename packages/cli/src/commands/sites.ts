/** `fs-access sites`: where the next k France services sites of a département should go. */
import fs from 'node:fs';
import path from 'node:path';
import {
  OBJECTIVES,
  SitingPlanner,
  communeCandidates,
  createPlanningPool,
  gapCandidates,
  modelSpecOf,
  picksCsv,
  picksGeoJson,
  picksJson,
  round,
  selectCandidatesInArea,
  type AreaGeometry,
  type ExactOutcome,
  type MinimumSites,
  type Objective,
  type PicksDocumentInput,
  type Recommendation,
} from '@fs-access/access';
import { dataPath, findDataPath, loadCandidates, type Candidates } from '@fs-access/data';
import { ExactSolverError, InstanceTooLargeError } from '@fs-access/siting';
import { Progress, UsageError, inputFile, numberOption, parse, required, withOutputDir } from '../cli-kit.ts';
import { INPUT_OPTIONS, INPUT_USAGE, checkInputOptions, loadDepartementInputs, planningSites, warnUnplaced, writeFiles, type DepartementInputs } from '../departement-inputs.ts';

export const usage = `Usage: fs-access sites --departement CODE [--k K | --minimum SHARE] --out DIR [options]

The best K places for new France services sites in a département: each newly brings the
most households within the threshold of a site (maximal covering, greedy with lazy
re-evaluation), given the existing sites — those of neighbouring départements count. With
--minimum, the fewest new sites reaching a share of the households instead.

Options:
  --departement CODE     '87', '40', '2A'…
  --k K                  number of new sites (default 3); fewer when no other candidate
                         brings anyone new (stopReason "no-gain")
  --minimum SHARE        the fewest new sites reaching this share (0–1, or "99%") of the
                         objective's total instead of K
  --threshold MIN        coverage threshold in minutes (default 20)
  --objective NAME       households (default), poor (poor households; needs --households
                         grid) or inhabitants newly covered
  --candidates FILE      candidate places: annuaire .sjson, CSV (id,name,lat,lon) or
                         GeoJSON points
  --candidates-kind K    a generated set instead: annuaire (default when the manifest has
                         the département's annuaire), communes (commune centroids; the
                         default otherwise) or gaps (centres of the areas uncovered at the
                         threshold)
  --candidate-buffer KM  candidates farther than this outside the département's outline
                         are rejected (default 5)
  --exact / --no-exact   also solve the exact optimum (HiGHS) and report greedy ÷ optimum;
                         by default it runs when the instance is small (≤ 2,000 useful
                         candidates, ≤ 50,000 uncovered units, K ≤ 20)
  --exact-time-limit S   solver time limit in seconds (default 60)
  --workers N            compute the candidates' cover sets on N worker threads (default 1);
                         the output is the same for any N
  --out DIR              output folder (created; must not exist or be empty)
  --json                 print picks.json on stdout (then --out is optional)
${INPUT_USAGE}

Writes picks.json (inputs, baseline, each pick with its marginal gain in households, poor
households and inhabitants, coverage before and after, the exact optimum and the ratio),
picks.csv (one row per pick) and picks.geojson (the picks and the units each newly
covers). Rejected candidates (bad coordinates, duplicate ids, outside the area) are counted
by reason in picks.json. Ties between equal gains go to the candidate listed first.`;

function log(msg: string): void {
  process.stderr.write(`sites: ${msg}\n`);
}

/** A candidate file or set that leaves nothing to choose from. */
export class CandidatesError extends Error {
  override name = 'CandidatesError';
}

export function parseShare(raw: string, option: string): number {
  const s = raw.trim();
  const pct = s.endsWith('%');
  const v = Number(pct ? s.slice(0, -1) : s);
  if (s === '' || !Number.isFinite(v)) throw new UsageError(`--${option} must be a share (0–1) or a percentage, got "${raw}"`);
  const share = pct ? v / 100 : v;
  if (share < 0 || share > 1) throw new UsageError(`--${option} must be between 0 and 1 (or 0% and 100%), got "${raw}"`);
  return share;
}

/** The département's outline (for the candidates' area check). */
export function departementGeometry(inputs: DepartementInputs): AreaGeometry {
  const i = inputs.depOutlines.code.indexOf(inputs.area.code);
  if (i < 0) throw new UsageError(`département ${inputs.area.code} has no outline in ${path.basename(inputs.depOutlines.file)}`);
  return inputs.depOutlines.geometry[i] as AreaGeometry;
}

interface CandidateSet {
  candidates: Candidates;
  source: string;
  file: string | null;
  /** Records read (accepted + rejected by the loader + outside the area). */
  read: number;
}

function rejectedByReason(c: Candidates): Record<string, number> {
  const by: Record<string, number> = {};
  for (const r of c.rejected) by[r.reason] = (by[r.reason] ?? 0) + 1;
  return Object.fromEntries(Object.entries(by).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    ...INPUT_OPTIONS,
    k: { type: 'string' },
    minimum: { type: 'string' },
    threshold: { type: 'string' },
    objective: { type: 'string' },
    candidates: { type: 'string' },
    'candidates-kind': { type: 'string' },
    'candidate-buffer': { type: 'string' },
    exact: { type: 'boolean' },
    'no-exact': { type: 'boolean' },
    'exact-time-limit': { type: 'string' },
    workers: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  });
  const t0 = performance.now();
  required('departement', values.departement);
  const out = values.json ? values.out : required('out', values.out);
  const choice = checkInputOptions(values);
  if (values.k !== undefined && values.minimum !== undefined) throw new UsageError('give --k or --minimum, not both');
  const minimum = values.minimum === undefined ? undefined : parseShare(values.minimum, 'minimum');
  const k = numberOption('k', values.k, { min: 1, max: 10_000, integer: true, fallback: 3 });
  const thresholdMin = numberOption('threshold', values.threshold, { min: 0.1, max: 24 * 60, fallback: 20 });
  const thresholdS = thresholdMin * 60;
  const objective = (values.objective ?? 'households') as Objective;
  if (!OBJECTIVES.includes(objective)) throw new UsageError(`--objective must be one of ${OBJECTIVES.join(', ')}, got "${values.objective}"`);
  if (objective === 'poor' && choice.kind !== 'grid') throw new UsageError('--objective poor needs --households grid (commune figures have no poor households)');
  if (values.candidates !== undefined && values['candidates-kind'] !== undefined) throw new UsageError('give --candidates FILE or --candidates-kind, not both');
  const candidatesFile = values.candidates !== undefined ? inputFile('candidates', values.candidates) : undefined;
  const kindRaw = values['candidates-kind'];
  if (kindRaw !== undefined && !['annuaire', 'communes', 'gaps'].includes(kindRaw)) throw new UsageError(`--candidates-kind must be annuaire, communes or gaps, got "${kindRaw}"`);
  const bufferKm = numberOption('candidate-buffer', values['candidate-buffer'], { min: 0, max: 1000, fallback: 5 });
  if (values.exact && values['no-exact']) throw new UsageError('give --exact or --no-exact, not both');
  const timeLimit = numberOption('exact-time-limit', values['exact-time-limit'], { min: 1, max: 24 * 3600, fallback: 60 });
  const workers = numberOption('workers', values.workers, { min: 1, max: 256, integer: true, fallback: 1 });
  if (out !== undefined && fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0)) {
    throw new UsageError(`--out: ${out} exists and is not an empty folder`);
  }

  const inputs = await loadDepartementInputs(choice, log);
  const { area, units, model } = inputs;
  const geometry = departementGeometry(inputs);
  const { sites, inArea } = planningSites(inputs, thresholdS);
  const times = model.forUnits(units);
  warnUnplaced(inputs, times, log);
  const current = times.nearest(sites);

  // Candidates: a file, or a generated set.
  let set: CandidateSet;
  const annuaireRel = `candidates/annuaire-${area.code.toLowerCase()}.sjson`;
  const annuaire = inputs.manifest.some((s) => s.path === annuaireRel) ? findDataPath(annuaireRel) : undefined;
  const kind = candidatesFile ? 'file' : (kindRaw ?? (annuaire ? 'annuaire' : 'communes'));
  if (kind === 'file' || kind === 'annuaire') {
    const file = kind === 'file' ? candidatesFile! : (annuaire ?? dataPath(annuaireRel));
    const loaded = await loadCandidates(file);
    const sel = selectCandidatesInArea(loaded, { geometry, code: area.code, bufferM: bufferKm * 1000, file });
    set = { candidates: sel.candidates, source: kind, file: path.basename(file), read: loaded.count + loaded.rejected.length };
  } else if (kind === 'communes') {
    const c = communeCandidates(inputs.communes, inputs.communeNames);
    set = { candidates: c, source: 'communes', file: null, read: c.count };
  } else {
    const c = gapCandidates(units, current, thresholdS, { communeNames: inputs.communeNames });
    set = { candidates: c, source: 'gaps', file: null, read: c.count };
  }
  const cands = set.candidates;
  const rejections = rejectedByReason(cands);
  if (cands.rejected.length > 0) log(`candidates: ${cands.rejected.length} rejected (${Object.entries(rejections).map(([r, n]) => `${n} ${r}`).join(', ')}); first: ${cands.rejected[0].detail}`);
  if (cands.count === 0) {
    throw new CandidatesError(
      set.source === 'gaps'
        ? `no uncovered area at ${thresholdMin} min in ${area.code}: every household is already within the threshold`
        : `${set.file ?? set.source}: no usable candidate in ${area.code} (${set.read} read, ${cands.rejected.length} rejected${cands.rejected[0] ? `; first: ${cands.rejected[0].detail}` : ''})`,
    );
  }
  log(`${cands.count} candidates (${set.source}${set.file ? ` ${set.file}` : ''}), ${sites.count} existing sites considered (${inArea} in ${area.code})`);

  const planner = new SitingPlanner({
    model,
    units,
    sites,
    candidates: cands,
    thresholdS,
    times,
    current,
    modelSpec: workers > 1 ? modelSpecOf(model, inputs.car) : undefined,
  });
  const tCover = performance.now();
  const progress = new Progress('cover sets', cands.count);
  if (workers > 1) {
    const pool = await createPlanningPool(planner.workerInit(), { size: workers });
    try {
      await planner.computeCover({ pool, onProgress: (p) => progress.update(p.done) });
    } finally {
      await pool.close();
    }
  } else {
    await planner.computeCover({ onProgress: (p) => progress.update(p.done) });
  }
  progress.done();
  log(`cover sets of ${cands.count} candidates at ${thresholdMin} min (${workers} worker${workers > 1 ? 's' : ''}, ${((performance.now() - tCover) / 1000).toFixed(2)} s)`);

  const greedy: Recommendation | MinimumSites = minimum === undefined ? planner.recommend({ k, objective }) : planner.minimumSites({ share: minimum, objective });
  if (minimum === undefined && greedy.picks.length < k) {
    log(`only ${greedy.picks.length} of ${k} sites picked: no other candidate brings anyone new within ${thresholdMin} min (${greedy.usefulCandidates} of ${cands.count} candidates bring someone)`);
  }

  // The exact optimum: asked for, or by default on small instances.
  let exact: ExactOutcome;
  const small = greedy.usefulCandidates <= 2000 && planner.uncovered.length <= 50_000 && (minimum !== undefined || k <= 20);
  const wantExact = values.exact === true || (values['no-exact'] !== true && small);
  if (!wantExact) {
    exact = { status: 'skipped', reason: values['no-exact'] ? '--no-exact' : 'instance too large for the default (use --exact)' };
  } else {
    const tExact = performance.now();
    try {
      if (minimum === undefined) {
        exact = { status: 'optimal', comparison: await planner.exactRecommend({ k, objective, greedy, timeLimit, maxCandidates: 20_000 }) };
      } else {
        const r = await planner.exactMinimumSites({ share: minimum, objective, timeLimit, maxCandidates: 20_000 });
        const greedyGain = greedy.picks.reduce((s, p) => s + p.objectiveGain, 0);
        const optimumGain = r.picks.reduce((s, p) => s + p.objectiveGain, 0);
        // For the fewest sites the ratio compares counts: greedy's sites ÷ the optimum's.
        exact = { status: 'optimal', comparison: { method: r.method, picks: r.picks, final: r.final, greedyGain, optimumGain, ratio: r.picks.length > 0 ? greedy.picks.length / r.picks.length : 1 } };
      }
      log(`exact optimum (${((performance.now() - tExact) / 1000).toFixed(2)} s)`);
    } catch (err) {
      if (values.exact !== true && (err instanceof ExactSolverError || err instanceof InstanceTooLargeError)) {
        exact = { status: 'failed', reason: `${(err as Error).name}: ${(err as Error).message}` };
        log(`exact optimum not found: ${(err as Error).message}`);
      } else throw err;
    }
  }

  const doc: PicksDocumentInput = {
    area,
    planner,
    inputs: {
      households: { kind: units.kind, units: units.count, rejected: units.rejected.length },
      model: model.parameters,
      sites: { considered: sites.count, inArea, selectionRadiusKm: round(Math.max(2 * thresholdS, 3600) * 130 / 3600, 1) },
      candidates: {
        source: set.source,
        file: set.file,
        read: set.read,
        accepted: cands.count,
        rejected: cands.rejected.length,
        rejectedByReason: rejections,
        bufferKm,
      },
      sources: inputs.sources,
    },
    greedy,
    exact,
  };
  const json = picksJson(doc);
  if (out !== undefined) {
    await withOutputDir(out, async (tmp) => writeFiles(tmp, { 'picks.json': json, 'picks.csv': picksCsv(doc), 'picks.geojson': picksGeoJson(doc) }));
  }
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  log(`${area.name} (${area.code}), ${thresholdMin} min, objective ${objective}: ${pct(planner.baseline.share)} of households covered now`);
  const extra = (g: { poor: number; inhabitants: number }) => (objective === 'poor' ? `, +${g.poor.toFixed(0)} poor households` : objective === 'inhabitants' ? `, +${g.inhabitants.toFixed(0)} inhabitants` : '');
  for (const p of greedy.picks) log(`  ${p.rank}. ${p.id} ${p.name}: +${p.gain.households.toFixed(0)} households${extra(p.gain)} → ${pct(p.after.share)}`);
  if (exact.status === 'optimal') {
    const c = exact.comparison;
    log(`  exact (${c.method}): ${c.picks.map((p) => p.id).join(', ') || 'no site'}: ${objective} gained ${c.optimumGain.toFixed(1)} vs greedy ${c.greedyGain.toFixed(1)} (ratio ${c.ratio.toFixed(4)})`);
  }
  log(`done in ${((performance.now() - t0) / 1000).toFixed(2)} s${out !== undefined ? `; written to ${out}` : ''}`);
  if (values.json) process.stdout.write(json);
}
