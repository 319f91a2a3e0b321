#!/usr/bin/env python3
"""numpy reference timings for `embodied bench`.

Run by src/benchmark/numpy.ts in a child process whose environment fixes the BLAS thread count
(OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS) and has OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE removed, so OpenBLAS picks its own kernels for this CPU.

    python3 src/benchmark/numpy_bench.py --sizes 30,930 --ops lu,inverse,solve1,solve4 \
        [--time-ms 500] [--min-iter 5] [--warmup-ms 100] [--seed 20240601]

Prints one JSON object on stdout:
    {"python", "numpy", "scipy" (or null), "lu_method", "blas", "threads",
     "results": [{"n", "op", "median_ms", "min_ms", "samples", "residual"}]}

    python3 src/benchmark/numpy_bench.py --serve

is what `embodied bench` runs: it prints the header object on one line, then answers each
request line {"n", "op", "seed", "time_ms", "min_iter", "warmup_ms"} with one result line, so the
numpy timings are interleaved with the TypeScript ones (same load on a shared machine).

Operations (the same definitions as the TypeScript side, src/benchmark/solvers.ts):
    lu       scipy.linalg.lu_factor(M) if scipy is importable, else np.linalg.solve(M, b) with
             one right-hand side as the LU+solve proxy (lu_method says which);
    inverse  np.linalg.inv(M);
    solve1   np.linalg.solve(M, b), one right-hand side (LU + two triangular solves);
    solve4   np.linalg.solve(M, B), four right-hand sides.

The test matrix has the construction of src/benchmark/matrices.ts (same structure, numpy's generator):
a_ij = u^2, off-region blocks scaled by 0.1 for multi-regional orders, columns rescaled to sum
to c_j ~ U[0.5, 0.7]; M = I - A.
"""
import argparse
import json
import os
import platform
import sys
import time

import numpy as np

try:
    import scipy
    import scipy.linalg

    HAVE_SCIPY = True
except Exception:  # noqa: BLE001 - any import failure means "no scipy"
    HAVE_SCIPY = False


def region_block(n):
    if n > 42 and n % 42 == 0:
        return 42
    if n > 30 and n % 30 == 0:
        return 30
    return n


def leontief_system(n, seed, nrhs=4):
    rng = np.random.default_rng([seed, n])
    a = rng.random((n, n)) ** 2
    block = region_block(n)
    if block < n:
        region = np.arange(n) // block
        a = np.where(region[:, None] == region[None, :], a, 0.1 * a)
    c = 0.5 + 0.2 * rng.random(n)
    a *= c / a.sum(axis=0)
    m = np.eye(n) - a
    b = 0.5 + rng.random((n, nrhs))  # columns are right-hand sides
    return np.ascontiguousarray(m), np.ascontiguousarray(b)


def time_op(fn, time_ms, min_iter, warmup_ms):
    """Samples fn() until both min_iter calls and time_ms have been spent; returns (median, min, sample times in ms)."""
    t0 = time.perf_counter()
    fn()  # first call: warm-up and cost estimate
    first = (time.perf_counter() - t0) * 1e3
    if first > 200:
        # an expensive call: the first one was the warm-up; take few samples (2 beyond 5 s)
        min_iter, time_ms = min(min_iter, 3 if first <= 5000 else 2), 0
    else:
        end = time.perf_counter() + warmup_ms / 1e3
        while time.perf_counter() < end:
            fn()
    samples = []
    spent = 0.0
    while len(samples) < min_iter or spent < time_ms:
        t = time.perf_counter_ns()
        fn()
        dt = (time.perf_counter_ns() - t) / 1e6
        samples.append(dt)
        spent += dt
        if len(samples) >= 100000:
            break
    return float(np.median(samples)), float(min(samples)), samples


def rel_residual(m, x, b):
    r = m @ x - b
    return float(np.abs(r).max() / (np.abs(m).sum(axis=1).max() * np.abs(x).max() + np.abs(b).max()))


def blas_info():
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        return {"name": blas.get("name"), "version": blas.get("version"),
                "config": blas.get("openblas configuration")}
    except Exception:  # noqa: BLE001 - older numpy has no mode="dicts"
        return None


LU_METHOD = ("scipy.linalg.lu_factor" if HAVE_SCIPY
             else "np.linalg.solve with one right-hand side (LU+solve proxy; scipy not installed)")


def header():
    threads = os.environ.get("OPENBLAS_NUM_THREADS")
    return {
        "python": platform.python_version(),
        "executable": sys.executable,
        "numpy": np.__version__,
        "scipy": scipy.__version__ if HAVE_SCIPY else None,
        "lu_method": LU_METHOD,
        "blas": blas_info(),
        "threads": int(threads) if threads and threads.isdigit() else None,
    }


_systems = {}


def system(n, seed):
    key = (n, seed)
    if key not in _systems:
        _systems.clear()  # keep one order in memory
        m, b4 = leontief_system(n, seed)
        _systems[key] = (m, b4, np.ascontiguousarray(b4[:, 0]))
    return _systems[key]


def bench_one(n, op, seed, time_ms, min_iter, warmup_ms):
    """Checks and times one operation; returns its result record."""
    if op not in ("lu", "inverse", "solve1", "solve4"):
        raise ValueError(f"unknown op {op}")
    m, b4, b1 = system(n, seed)
    if op == "lu":
        if HAVE_SCIPY:
            def fn():
                return scipy.linalg.lu_factor(m, check_finite=False)
            lu, piv = fn()
            res = rel_residual(m, scipy.linalg.lu_solve((lu, piv), b1), b1)
        else:
            def fn():
                return np.linalg.solve(m, b1)
            res = rel_residual(m, fn(), b1)
    elif op == "inverse":
        def fn():
            return np.linalg.inv(m)
        res = rel_residual(m, fn() @ b1, b1)
    elif op == "solve1":
        def fn():
            return np.linalg.solve(m, b1)
        res = rel_residual(m, fn(), b1)
    else:
        def fn():
            return np.linalg.solve(m, b4)
        res = rel_residual(m, fn(), b4)
    med, mn, times = time_op(fn, time_ms, min_iter, warmup_ms)
    return {"n": n, "op": op, "median_ms": med, "min_ms": mn, "samples": len(times), "residual": res}, times


def serve():
    """Line protocol for src/benchmark/numpy.ts: prints the header, then answers one JSON request per line
    ({"n", "op", "seed", "time_ms", "min_iter", "warmup_ms"}) with one JSON result line, which also
    holds the sample times ("times", ms), or {"error": message}. Ends at end of input."""
    print(json.dumps(header()), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            q = json.loads(line)
            r, times = bench_one(int(q["n"]), q["op"], int(q["seed"]), float(q["time_ms"]),
                                 int(q["min_iter"]), float(q["warmup_ms"]))
            r["times"] = times
        except Exception as e:  # noqa: BLE001 - reported to the parent, which notes it
            r = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(r), flush=True)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--serve", action="store_true", help="answer requests on stdin (used by src/benchmark/numpy.ts)")
    p.add_argument("--sizes")
    p.add_argument("--ops", default="lu,inverse,solve1,solve4")
    p.add_argument("--time-ms", type=float, default=500)
    p.add_argument("--min-iter", type=int, default=5)
    p.add_argument("--warmup-ms", type=float, default=100)
    p.add_argument("--seed", type=int, default=20240601)
    args = p.parse_args(argv)
    if args.serve:
        serve()
        return
    if not args.sizes:
        p.error("--sizes is required (or --serve)")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    ops = [o for o in args.ops.split(",") if o]
    results = []
    for n in sizes:
        for op in ops:
            r, _ = bench_one(n, op, args.seed, args.time_ms, args.min_iter, args.warmup_ms)
            results.append(r)
            print(f"numpy n={n} {op}: median {r['median_ms']:.4g} ms", file=sys.stderr, flush=True)
    json.dump({**header(), "results": results}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
