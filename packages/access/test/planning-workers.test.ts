/**
 * Cover sets on worker threads: the same bytes for 1, 2 and 4 workers on the real 87 grid
 * (crow-fly) and on a real OSM extract (road model, Andorra), progress that reaches the
 * total, and cancellation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDataPath } from '@fs-access/data';
import { buildCarGraph, type CarGraph } from '@fs-access/osm';
import { CancelledError } from '@fs-access/workers';
import {
  CrowFlyModel,
  RoadModel,
  SitingPlanner,
  candidateCover,
  carNetwork,
  createPlanningPool,
  modelSpecOf,
  picksCsv,
  picksGeoJson,
  picksJson,
  type PicksDocumentInput,
} from '../src/index.ts';
import { makeSites, makeUnits } from './fixtures.ts';
import { haveData, load87, type Data87 } from './planning-data.ts';

const T = 1200;

function picksText(planner: SitingPlanner): string {
  const greedy = planner.recommend({ k: 5 });
  const doc: PicksDocumentInput = { area: { code: '87', name: 'Haute-Vienne' }, planner, inputs: {}, greedy, exact: { status: 'skipped', reason: 'test' } };
  return picksJson(doc) + picksCsv(doc) + picksGeoJson(doc).join('');
}

describe.skipIf(!haveData)('planning workers, 87 grid (crow-fly)', () => {
  let d: Data87;
  const model = new CrowFlyModel();
  const plannerFor = () => new SitingPlanner({ model, units: d.grid, sites: d.sitesFor(d.grid, T), candidates: d.candidates, thresholdS: T });
  beforeAll(async () => {
    d = await load87();
  });

  it('byte-identical cover sets and picks with 1, 2 and 4 workers, equal to the computation in this thread', async () => {
    const reference = plannerFor();
    await reference.computeCover();
    const refText = picksText(reference);
    const refCover = reference.coverSets();
    for (const size of [1, 2, 4]) {
      const planner = plannerFor();
      const pool = await createPlanningPool(planner.workerInit(), { size });
      const seen: number[] = [];
      try {
        // Small chunks, so that workers finish out of order.
        await planner.computeCover({ pool, chunkSize: 7, onProgress: (p) => seen.push(p.done) });
      } finally {
        await pool.close();
      }
      const cover = planner.coverSets();
      expect(Buffer.from(cover.offsets.buffer).equals(Buffer.from(refCover.offsets.buffer)), `offsets, ${size} workers`).toBe(true);
      expect(Buffer.from(cover.units.buffer, 0, cover.units.byteLength).equals(Buffer.from(refCover.units.buffer, 0, refCover.units.byteLength)), `units, ${size} workers`).toBe(true);
      expect(picksText(planner)).toBe(refText);
      expect(seen[seen.length - 1]).toBe(d.candidates.count);
      for (let k = 1; k < seen.length; k++) expect(seen[k]).toBeGreaterThan(seen[k - 1]);
    }
  });

  it('cancellation: an aborted signal rejects with CancelledError (pool and this thread)', async () => {
    const planner = plannerFor();
    const pool = await createPlanningPool(planner.workerInit(), { size: 2 });
    try {
      const ac = new AbortController();
      const run = planner.computeCover({ pool, chunkSize: 1, signal: ac.signal, onProgress: () => ac.abort() });
      await expect(run).rejects.toBeInstanceOf(CancelledError);
      // The pool respawns its workers for the next call.
      await planner.computeCover({ pool });
      expect(planner.coverSets().candidateCount).toBe(d.candidates.count);
    } finally {
      await pool.close();
    }
    const ac = new AbortController();
    ac.abort();
    expect(() => candidateCover({ model, units: d.grid, current: planner.current, candidates: d.candidates, thresholdS: T }, { signal: ac.signal })).toThrow(CancelledError);
  });
});

const pbf = findDataPath('osm/andorra.osm.pbf');

describe.skipIf(!pbf)('planning workers, road model (Andorra OSM extract)', () => {
  let car: CarGraph;
  let model: RoadModel;
  beforeAll(async () => {
    car = await buildCarGraph(pbf!);
    model = new RoadModel(carNetwork(car));
  });
  afterAll(() => undefined);

  it('road cover sets through 2 workers = in this thread = full reach minus the units covered now', async () => {
    const pts: { lon: number; lat: number; households: number }[] = [];
    for (let i = 0; i < 14; i++) for (let j = 0; j < 12; j++) pts.push({ lon: 1.42 + i * 0.025, lat: 42.44 + j * 0.02, households: 1 + ((i * 7 + j * 3) % 5) });
    const units = makeUnits(pts, 'communes');
    const sites = makeSites([{ lon: 1.5218, lat: 42.5063 }]);
    const cands: { lon: number; lat: number }[] = [];
    for (let i = 0; i < 6; i++) for (let j = 0; j < 5; j++) cands.push({ lon: 1.44 + i * 0.05, lat: 42.45 + j * 0.04 });
    const candidates = { count: cands.length, id: cands.map((_, c) => `c${c}`), name: cands.map((_, c) => `candidate ${c}`), lon: Float64Array.from(cands, (p) => p.lon), lat: Float64Array.from(cands, (p) => p.lat) };
    const threshold = 600;
    const planner = new SitingPlanner({ model, units, sites, candidates, thresholdS: threshold, modelSpec: modelSpecOf(model, car) });
    await planner.computeCover();
    const local = planner.coverSets();
    expect(planner.uncovered.length).toBeGreaterThan(0);
    expect(local.units.length).toBeGreaterThan(0);
    // Oracle: the model's reach over all units, minus those covered now.
    const all = model.forUnits(units);
    for (let c = 0; c < candidates.count; c++) {
      const r = all.reach(candidates.lon[c], candidates.lat[c], threshold);
      const expected = Array.from(r.unit).filter((u) => !planner.covered[u]).sort((a, b) => a - b);
      expect(Array.from(local.row(c)), `candidate ${c}`).toEqual(expected);
    }
    const pooled = new SitingPlanner({ model, units, sites, candidates, thresholdS: threshold, modelSpec: modelSpecOf(model, car) });
    const pool = await createPlanningPool(pooled.workerInit(), { size: 2 });
    try {
      await pooled.computeCover({ pool, chunkSize: 3 });
    } finally {
      await pool.close();
    }
    expect(Array.from(pooled.coverSets().offsets)).toEqual(Array.from(local.offsets));
    expect(Array.from(pooled.coverSets().units)).toEqual(Array.from(local.units));
    expect(pooled.recommend({ k: 3 }).picks.map((p) => p.id)).toEqual(planner.recommend({ k: 3 }).picks.map((p) => p.id));
    // A road model cannot cross to a worker without its car graph.
    expect(() => modelSpecOf(model)).toThrow(/CarGraph/);
  });
});
