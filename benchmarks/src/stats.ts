/** Timing, seeded randomness and fitting helpers for the benchmarks. */

export interface Timing {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function summarize(samples: number[]): Timing {
  if (samples.length === 0) throw new RangeError('no samples');
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], samples };
}

/**
 * Runs `fn` once untimed (warm-up: JIT, page faults), then `runs` times, and returns
 * the median, min and max in milliseconds. `fn`'s result of the last run is returned too.
 */
export function measure<T>(fn: () => T, runs: number): { timing: Timing; result: T } {
  let result = fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    samples.push(performance.now() - t0);
  }
  return { timing: summarize(samples), result };
}

export async function measureAsync<T>(fn: () => Promise<T>, runs: number, warmup = true): Promise<{ timing: Timing; result: T }> {
  let result: T | undefined = warmup ? await fn() : undefined;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await fn();
    samples.push(performance.now() - t0);
  }
  return { timing: summarize(samples), result: result as T };
}

/** Mulberry32: a small seeded PRNG, uniform in [0, 1). Same seed, same sequence everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `k` distinct integers in [0, n), drawn with a seeded PRNG (or from `pool` when given). */
export function sampleDistinct(k: number, n: number, seed: number, pool?: ArrayLike<number>): Uint32Array {
  const size = pool ? pool.length : n;
  if (k > size) throw new RangeError(`cannot draw ${k} distinct values from ${size}`);
  const rand = prng(seed);
  const chosen = new Set<number>();
  const out = new Uint32Array(k);
  let i = 0;
  while (i < k) {
    const j = Math.floor(rand() * size);
    const v = pool ? pool[j] : j;
    if (chosen.has(v)) continue;
    chosen.add(v);
    out[i++] = v;
  }
  return out;
}

/** Least-squares slope and intercept of log(y) against log(x): y ≈ c · x^slope. */
export function fitPowerLaw(xs: number[], ys: number[]): { exponent: number; coefficient: number; r2: number } {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const n = lx.length;
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
    syy += (ly[i] - my) ** 2;
  }
  const exponent = sxy / sxx;
  const intercept = my - exponent * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { exponent, coefficient: Math.exp(intercept), r2 };
}

/** The p-th percentile (0..100) of the values, nearest-rank method. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) throw new RangeError('percentile of no values');
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1];
}

export const fmtInt = (x: number) => Math.round(x).toLocaleString('en-US');
