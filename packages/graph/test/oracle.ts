/** Brute-force references for the search tests: Floyd–Warshall on a dense matrix. */
export interface Arc {
  u: number;
  v: number;
  w: number;
}

/** All-pairs shortest costs, Infinity where unreachable; parallel arcs handled by min. */
export function floydWarshall(n: number, arcs: Arc[]): Float64Array {
  const d = new Float64Array(n * n).fill(Infinity);
  for (let i = 0; i < n; i++) d[i * n + i] = 0;
  for (const { u, v, w } of arcs) if (w < d[u * n + v]) d[u * n + v] = w;
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) {
      const dik = d[i * n + k];
      if (dik === Infinity) continue;
      for (let j = 0; j < n; j++) {
        const c = dik + d[k * n + j];
        if (c < d[i * n + j]) d[i * n + j] = c;
      }
    }
  return d;
}

/**
 * Nearest source by the documented rule: minimise (startCost + path cost, source index)
 * lexicographically; direction 'to' uses the path node → source.
 */
export function nearestOracle(
  n: number,
  d: Float64Array,
  sources: number[],
  startCosts: number[],
  direction: 'to' | 'from',
  maxCost = Infinity,
): { cost: number[]; source: number[] } {
  const cost: number[] = [];
  const source: number[] = [];
  for (let v = 0; v < n; v++) {
    let best = Infinity;
    let bestI = -1;
    sources.forEach((s, i) => {
      const c = startCosts[i] + (direction === 'to' ? d[v * n + s] : d[s * n + v]);
      if (c < best) {
        best = c;
        bestI = i;
      }
    });
    if (best > maxCost) {
      best = Infinity;
      bestI = -1;
    }
    cost.push(best);
    source.push(bestI);
  }
  return { cost, source };
}
