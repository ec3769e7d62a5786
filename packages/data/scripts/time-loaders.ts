/**
 * Times each loader on the real files (median of --runs, default 5), with the mirror or
 * cache found by dataPath. Optional --insee FILE times loadInseeGrid on INSEE's national
 * grid CSV (not shipped: ~2.3 M rows), with --bbox minLon,minLat,maxLon,maxLat if given.
 *
 *   pnpm tsx packages/data/scripts/time-loaders.ts [--runs N] [--insee FILE [--bbox …]]
 */
import { parseArgs } from 'node:util';
import {
  dataPath,
  loadSites,
  loadCommuneHouseholds,
  loadGridTiles,
  loadInseeGrid,
  loadOutlines,
  assignCommunes,
  loadCandidates,
  COMMUNE_MERGES_2019,
  type BBox,
} from '../src/index.ts';

const { values } = parseArgs({ options: { runs: { type: 'string' }, insee: { type: 'string' }, bbox: { type: 'string' } } });
const runs = Number(values.runs ?? 5);

async function time(label: string, f: () => Promise<number> | number): Promise<void> {
  const ms: number[] = [];
  let n = 0;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    n = await f();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const med = ms[Math.floor(ms.length / 2)];
  process.stdout.write(`| ${label} | ${n.toLocaleString('en')} | ${med.toFixed(0)} ms | ${ms[0].toFixed(0)}–${ms[ms.length - 1].toFixed(0)} ms |\n`);
}

process.stdout.write(`| file | records kept | median | range (${runs} runs) |\n|---|---|---|---|\n`);
await time('loadSites france-services/liste-fs-20240801.csv', async () => (await loadSites(dataPath('france-services/liste-fs-20240801.csv'))).count);
await time('loadCommuneHouseholds communes-2024.csv (all France)', async () => (await loadCommuneHouseholds(dataPath('communes/communes-2024.csv'))).count);
await time('loadGridTiles filosofi 25 tiles', async () => (await loadGridTiles(dataPath('filosofi/men/2019/200m'))).count);
await time('loadOutlines communes-87-haute-vienne.geojson', () => loadOutlines(dataPath('communes/communes-87-haute-vienne.geojson')).count);
await time('loadOutlines admin/departements.geojson', () => loadOutlines(dataPath('admin/departements.geojson')).count);
const grid = await loadGridTiles(dataPath('filosofi/men/2019/200m'));
const outlines = loadOutlines(dataPath('communes/communes-87-haute-vienne.geojson'));
await time('assignCommunes 58,813 cells × 200 outlines', () => assignCommunes(grid, outlines, { remap: COMMUNE_MERGES_2019 }).assigned);
await time('loadCandidates annuaire-87.sjson', async () => (await loadCandidates(dataPath('candidates/annuaire-87.sjson'))).count);
await time('loadCandidates annuaire-40.sjson', async () => (await loadCandidates(dataPath('candidates/annuaire-40.sjson'))).count);
if (values.insee) {
  const bbox = values.bbox ? (values.bbox.split(',').map(Number) as BBox) : undefined;
  await time(`loadInseeGrid ${values.insee}${bbox ? ` bbox ${values.bbox}` : ''}`, async () => (await loadInseeGrid(values.insee!, { bbox })).count);
}
