/**
 * The engine in a Web Worker, over comlink. The page starts two: the "quick" one answers
 * map clicks, the "full" one rebuilds the report (see engine.ts).
 */
import * as Comlink from 'comlink';
import { Engine, type CandidateEffect, type ClosureLoss, type PackedCover, type Scenario, type UserCandidate, type View } from './engine.ts';
import type { CandidatesJson, DepartementMeta, SitesJson } from './prepared.ts';

let engine: Engine | null = null;

function need(): Engine {
  if (!engine) throw new Error('engine not loaded');
  return engine;
}

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res;
}

const effectBuffers = (effects: CandidateEffect[]) => effects.flatMap((e) => e.units.map((u) => u.buffer as ArrayBuffer));

const api = {
  /** Loads a département's files from `base` (absolute URL ending in '/'); returns timings in ms. */
  async load(base: string): Promise<{ meta: DepartementMeta; loadMs: number; buildMs: number }> {
    const t0 = performance.now();
    const [meta, units, sites, candidates] = await Promise.all([
      fetchOk(base + 'meta.json').then((r) => r.json() as Promise<DepartementMeta>),
      fetchOk(base + 'units.bin').then((r) => r.arrayBuffer()),
      fetchOk(base + 'sites.json').then((r) => r.json() as Promise<SitesJson>),
      fetchOk(base + 'candidates.json').then((r) => r.json() as Promise<CandidatesJson>),
    ]);
    const t1 = performance.now();
    engine = new Engine({ meta, units, sites, candidates });
    return { meta, loadMs: t1 - t0, buildMs: performance.now() - t1 };
  },

  /** Quick engine: sets the scenario (flags from a full nearest-site search); effects of its candidates in order. */
  setScenario(s: Scenario): CandidateEffect[] {
    const e = need();
    const effects = e.setScenario(s);
    // Builds the units' kdbush index now rather than on the first click.
    e.effectAt(e.units.lon[0] ?? 0, e.units.lat[0] ?? 0);
    return Comlink.transfer(effects, effectBuffers(effects));
  },

  /** Quick engine: one more candidate. */
  addCandidate(c: UserCandidate): CandidateEffect {
    const t0 = performance.now();
    const effect = need().addCandidate(c);
    effect.workerMs = performance.now() - t0;
    return Comlink.transfer(effect, effectBuffers([effect]));
  },

  /** Full engine: rebuild the report of a scenario and return the view. */
  refresh(s: Scenario): View {
    const e = need();
    e.rebuild(s);
    const view = e.view();
    return Comlink.transfer(view, [view.minutes.buffer as ArrayBuffer]);
  },

  closure(siteId: string): ClosureLoss {
    const loss = need().closure(siteId);
    return Comlink.transfer(loss, loss.lostUnits.map((u) => u.buffer as ArrayBuffer));
  },

  siteArea(lon: number, lat: number): GeoJSON.FeatureCollection {
    return need().siteArea(lon, lat);
  },

  planStart(thresholdIndex: number) {
    return need().planStart(thresholdIndex);
  },

  planFinish(parts: PackedCover[], count: number) {
    return need().planFinish(parts, count);
  },

  exportText(kind: Parameters<Engine['exportText']>[0]): string {
    return need().exportText(kind);
  },
};

export type EngineApi = typeof api;

Comlink.expose(api);
