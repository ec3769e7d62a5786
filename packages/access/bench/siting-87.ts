/**
 * Siting in Haute-Vienne (87), crow-fly model, T = 20 min: every candidate of the annuaire
 * (447 after the area check) evaluated — its cover set of newly covered units — and the
 * best k = 5 picked (CELF), from the loaded inputs: nearest-site search of the existing
 * sites and the coverage now, cover sets, greedy. Median of 7 runs after 2 warm-up runs, at commune level (195
 * units) and on the Filosofi grid (25,167 cells). For comparison, the cover sets computed
 * with reach queries over every unit (the model's index of all units, filtered afterwards)
 * instead of an index of the uncovered units only.
 *
 *   pnpm tsx packages/access/bench/siting-87.ts [--json]
 *
 * With --json, one JSON line per unit kind (read by `pnpm bench`, suite `siting`).
 */
import { dataPath, insideOutline, loadCandidates, loadCommuneHouseholds, loadGridTiles, loadOutlines, loadSites, outlineBBox, type Households } from '@fs-access/data';
import { CoverSetsBuilder, maximalCovering } from '@fs-access/siting';
import { CrowFlyModel, SitingPlanner, coveredFlags, selectCandidatesInArea, selectSitesForPlanning, subsetSites, type AreaGeometry } from '../src/index.ts';

const JSON_OUT = process.argv.includes('--json');
const T = 1200;
const K = 5;
const RUNS = 7;
const WARMUP = 2;

const deps = loadOutlines(dataPath('admin/departements.geojson'));
const geometry = deps.geometry[deps.code.indexOf('87')] as AreaGeometry;
const communes = await loadCommuneHouseholds(dataPath('communes/communes-2024.csv'), { departement: '87' });
const grid = await loadGridTiles(dataPath('filosofi/men/2019/200m'), undefined, { bbox: outlineBBox(deps, '87'), keep: insideOutline(deps, '87') });
const allSites = await loadSites(dataPath('france-services/liste-fs-20240801.csv'));
const candidates = selectCandidatesInArea(await loadCandidates(dataPath('candidates/annuaire-87.sjson')), { geometry, code: '87' }).candidates;
const model = new CrowFlyModel();

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

if (!JSON_OUT) console.log('| units | candidates | uncovered units | nearest search + coverage | cover sets | greedy k = 5 | total (median of 7) | cover sets over all units (for comparison) | picks |');
if (!JSON_OUT) console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
for (const [label, units] of [
  ['communes (195)', communes],
  ['grid (25,167 cells)', grid],
] as [string, Households][]) {
  const sites = subsetSites(allSites, selectSitesForPlanning(allSites, units, T));
  const times = model.forUnits(units);
  const tNearest: number[] = [];
  const tCover: number[] = [];
  const tGreedy: number[] = [];
  const tTotal: number[] = [];
  const tFull: number[] = [];
  let picks = '';
  let uncovered = 0;
  for (let r = 0; r < WARMUP + RUNS; r++) {
    const t0 = performance.now();
    const planner = new SitingPlanner({ model, units, sites, candidates, thresholdS: T, times });
    const t1 = performance.now();
    await planner.computeCover();
    const t2 = performance.now();
    const rec = planner.recommend({ k: K });
    const t3 = performance.now();
    // The same cover sets from reach queries over every unit, filtered by what is covered now.
    const covered = coveredFlags(planner.current, T);
    const b = new CoverSetsBuilder(units.count);
    for (let c = 0; c < candidates.count; c++) b.add(c, Array.from(times.reach(candidates.lon[c], candidates.lat[c], T).unit).filter((u) => !covered[u]));
    const full = b.finish(candidates.count);
    const t4 = performance.now();
    const check = maximalCovering({ cover: full, weight: units.households, alreadyCovered: covered, k: K });
    if (check.picks.map((p) => p.candidate).join() !== rec.picks.map((p) => p.candidate).join()) throw new Error('the two cover-set paths disagree');
    if (r < WARMUP) continue;
    tNearest.push(t1 - t0);
    tCover.push(t2 - t1);
    tGreedy.push(t3 - t2);
    tTotal.push(t3 - t0);
    tFull.push(t4 - t3);
    picks = rec.picks.map((p) => `${p.id} +${p.gain.households.toFixed(0)}`).join(', ');
    uncovered = planner.uncovered.length;
  }
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  if (JSON_OUT) {
    console.log(JSON.stringify({ label, units: units.count, candidates: candidates.count, uncovered, totalMs: median(tTotal), minMs: Math.min(...tTotal), maxMs: Math.max(...tTotal), nearestMs: median(tNearest), coverMs: median(tCover), greedyMs: median(tGreedy), allUnitsCoverMs: median(tFull), picks }));
    continue;
  }
  console.log(`| ${label} | ${candidates.count} | ${uncovered} | ${ms(median(tNearest))} | ${ms(median(tCover))} | ${ms(median(tGreedy))} | **${ms(median(tTotal))}** | ${ms(median(tFull))} | ${picks} |`);
}
