#!/usr/bin/env python3
"""Python peers of the fs-access graph benchmarks, run with /usr/bin/python3 (Debian packages).

Usage:
  graph_peers.py multi   DIR PEER RUNS      PEER in scipy | networkx | igraph
  graph_peers.py bounded DIR scipy RUNS LIMIT

DIR holds the graph the search runs FORWARD on (for our direction 'to' the runner writes the
reversed graph), as raw little-endian arrays: indptr.u32 (n+1), indices.u32 (m), weights.u32 (m),
sources.u32 (the 100 sources) or bounded.u32 (the bounded-search sources), and meta.json {n, m}.
Loading and building the peer's graph is NOT timed; only the search call is, with
time.perf_counter: one warm-up, then RUNS timed runs.

Writes the answer next to the inputs (so the runner checks it before reporting any time):
  multi:   costs-PEER.f64  float64 per node, inf where unreached
  bounded: bounded-count.i64, bounded-sum.f64  per search: nodes reached and sum of their costs
Prints one JSON line: {"peer", "version", "times_ms": [...]} or {"skipped": reason}.
"""
import json
import os
import sys
import time


def fail_skip(reason):
    print(json.dumps({"skipped": reason}))
    sys.exit(0)


def load(d):
    import numpy as np

    with open(os.path.join(d, "meta.json")) as f:
        meta = json.load(f)
    n, m = meta["n"], meta["m"]
    indptr = np.fromfile(os.path.join(d, "indptr.u32"), dtype="<u4")
    indices = np.fromfile(os.path.join(d, "indices.u32"), dtype="<u4")
    weights = np.fromfile(os.path.join(d, "weights.u32"), dtype="<u4")
    assert indptr.size == n + 1 and indices.size == m and weights.size == m, "bad CSR files"
    return n, m, indptr, indices, weights


def timed(fn, runs):
    result = fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return times, result


def multi(d, peer, runs):
    try:
        import numpy as np
    except ImportError as e:
        fail_skip(f"numpy not installed ({e})")
    n, m, indptr, indices, weights = load(d)
    sources = np.fromfile(os.path.join(d, "sources.u32"), dtype="<u4").astype(np.int64)
    costs = np.full(n, np.inf)

    if peer == "scipy":
        try:
            import scipy
            from scipy.sparse import csr_matrix
            from scipy.sparse.csgraph import dijkstra
        except ImportError as e:
            fail_skip(f"python3-scipy not installed ({e})")
        version = scipy.__version__
        # Explicit zero entries are arcs for csgraph (checked), so zero-cost arcs survive.
        g = csr_matrix((weights.astype(np.float64), indices.astype(np.int32), indptr.astype(np.int32)), shape=(n, n))
        times, dist = timed(lambda: dijkstra(g, directed=True, indices=sources, min_only=True), runs)
        costs[:] = dist
    elif peer == "networkx":
        try:
            import networkx as nx
        except ImportError as e:
            fail_skip(f"python3-networkx not installed ({e})")
        version = nx.__version__
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr.astype(np.int64)))
        g = nx.DiGraph()
        g.add_nodes_from(range(n))
        g.add_weighted_edges_from(zip(rows.tolist(), indices.tolist(), weights.tolist()))
        src = set(sources.tolist())
        times, dist = timed(lambda: nx.multi_source_dijkstra_path_length(g, src, weight="weight"), runs)
        for v, c in dist.items():
            costs[v] = c
    elif peer == "igraph":
        try:
            import igraph as ig
        except ImportError as e:
            fail_skip(f"python3-igraph not installed ({e})")
        version = ig.__version__
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr.astype(np.int64)))
        # A virtual super-source (node n) with 0-cost arcs to every source: one Dijkstra.
        src = np.concatenate([rows, np.full(sources.size, n, dtype=np.int64)])
        dst = np.concatenate([indices.astype(np.int64), sources])
        w = np.concatenate([weights.astype(np.float64), np.zeros(sources.size)])
        g = ig.Graph(n=n + 1, edges=np.column_stack([src, dst]).tolist(), directed=True)
        g.es["weight"] = w.tolist()
        times, dist = timed(lambda: g.distances(source=[n], weights="weight", mode="out"), runs)
        costs[:] = np.asarray(dist[0][:n], dtype=np.float64)
    else:
        raise SystemExit(f"unknown peer {peer}")

    tmp = os.path.join(d, f"costs-{peer}.f64.tmp")
    costs.astype("<f8").tofile(tmp)
    os.replace(tmp, os.path.join(d, f"costs-{peer}.f64"))
    print(json.dumps({"peer": peer, "version": version, "times_ms": times}))


def bounded(d, runs, limit):
    try:
        import numpy as np
        import scipy
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import dijkstra
    except ImportError as e:
        fail_skip(f"python3-scipy not installed ({e})")
    n, m, indptr, indices, weights = load(d)
    sources = np.fromfile(os.path.join(d, "bounded.u32"), dtype="<u4").astype(np.int64)
    g = csr_matrix((weights.astype(np.float64), indices.astype(np.int32), indptr.astype(np.int32)), shape=(n, n))

    def run_all(keep):
        out = []
        for s in sources:
            dist = dijkstra(g, directed=True, indices=int(s), limit=limit)
            if keep:
                out.append(dist)
        return out

    dists = run_all(True)  # warm-up, and the answer
    count = np.array([np.count_nonzero(np.isfinite(x)) for x in dists], dtype="<i8")
    total = np.array([x[np.isfinite(x)].sum() for x in dists], dtype="<f8")
    del dists
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        run_all(False)
        times.append((time.perf_counter() - t0) * 1000.0)
    count.tofile(os.path.join(d, "bounded-count.i64"))
    total.tofile(os.path.join(d, "bounded-sum.f64"))
    print(json.dumps({"peer": "scipy", "version": scipy.__version__, "times_ms": times}))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "multi":
        multi(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif mode == "bounded":
        bounded(sys.argv[2], int(sys.argv[4]), float(sys.argv[5]))
    else:
        raise SystemExit(__doc__)
