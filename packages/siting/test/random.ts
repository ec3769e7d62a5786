/** Seeded random instances for the tests (mulberry32: reproducible, no dependency). */
import { CoverSetsBuilder, type CoverSets } from '../src/index.ts';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Instance {
  cover: CoverSets;
  weight: Float64Array;
  alreadyCovered: Uint8Array;
  k: number;
}

/**
 * A small instance: 3–12 candidates, 5–60 units, each candidate covering a random
 * subset (density 5–50 %), integer weights 0–20 (so float sums are exact), ~10 % of
 * units already covered.
 */
export function randomInstance(seed: number): Instance {
  const r = rng(seed);
  const nc = 3 + Math.floor(r() * 10);
  const nu = 5 + Math.floor(r() * 56);
  const density = 0.05 + r() * 0.45;
  const b = new CoverSetsBuilder(nu);
  for (let c = 0; c < nc; c++) {
    const row: number[] = [];
    for (let u = 0; u < nu; u++) if (r() < density) row.push(u);
    b.add(c, row);
  }
  const weight = new Float64Array(nu);
  for (let u = 0; u < nu; u++) weight[u] = Math.floor(r() * 21);
  const alreadyCovered = new Uint8Array(nu);
  for (let u = 0; u < nu; u++) alreadyCovered[u] = r() < 0.1 ? 1 : 0;
  const k = 1 + Math.floor(r() * Math.min(5, nc));
  return { cover: b.finish(nc), weight, alreadyCovered, k };
}
