#!/usr/bin/env python3
"""Batched numpy baseline of the sweep's A-perturbed draw (bench/sweep.md).

Reads the prepared model that bench/sweep.ts exports (A^r, d^r, t^N, trade vectors, base column sums
of the 31-province, 30-sector demo model) and times the same draw as `embodied sweep` with

    montecarlo: [{target: A, per: column, distribution: {type: lognormal, sdlog: S}}]

vectorised over a batch of draws: lognormal multipliers per province x column, A' = A * m, columns
whose sum passes the cap scaled back to it, t^r from np.linalg.solve((I - A')^T, d^r) for every
province of every draw in one batched call, then CE, CEP, CM, CMP, N, NP, T, CTT, CTTp and class.
Prints one JSON object on stdout.

usage: sweep_numpy.py MODEL.json [--draws 2000] [--batch 100] [--sdlog 0.1]
"""
import argparse
import json
import os
import sys
import time

import numpy as np


def load(path):
    with open(path) as f:
        m = json.load(f)
    R, n = m["R"], m["n"]
    arr = lambda k, shape: np.asarray(m[k], dtype=np.float64).reshape(shape)
    return {
        "R": R,
        "n": n,
        "A": arr("A", (R, n, n)),
        "d": arr("d", (R, n)),
        "tN": arr("tN", (n,)),
        "E": arr("E", (R, n)),
        "EP": arr("EP", (R, n)),
        "M": arr("M", (R, n)),
        "MP": arr("MP", (R, n)),
        "colSum": arr("colSum", (R, n)),
        "cap": m["maxColumnSum"],
        "baseN": arr("baseN", (R,)),
        "baseNP": arr("baseNP", (R,)),
    }


def draw_batch(mod, mult):
    """Results of the draws whose A multipliers (B, R, n) per column are `mult`."""
    A, n = mod["A"], mod["n"]
    Ap = A[None] * mult[:, :, None, :]
    col = Ap.sum(axis=2)
    limit = np.where(mod["colSum"] >= mod["cap"], mod["colSum"], mod["cap"])[None]
    Ap *= np.where(col > limit, limit / col, 1.0)[:, :, None, :]
    Mt = np.eye(n) - np.swapaxes(Ap, -1, -2)
    rhs = np.broadcast_to(mod["d"][None, :, :, None], Mt.shape[:-1] + (1,))
    t = np.linalg.solve(Mt, rhs)[..., 0]
    CE = (t * mod["E"]).sum(-1)
    CEP = (t * mod["EP"]).sum(-1)
    CM = (t * mod["M"]).sum(-1)
    CMP = (mod["tN"][None, None, :] * mod["MP"][None]).sum(-1) + 0 * CE
    N = CE - CM
    NP = CEP - CMP
    T = N + NP
    with np.errstate(divide="ignore", invalid="ignore"):
        CTT = (CE / mod["E"].sum(-1)) / (CM / mod["M"].sum(-1))
        CTTp = (CEP / mod["EP"].sum(-1)) / (CMP / mod["MP"].sum(-1))
    cls = np.where(N > 0, np.where(NP > 0, 0, 3), np.where(NP > 0, 1, 2))
    return N, NP, T, CTT, CTTp, cls


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--draws", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--sdlog", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    mod = load(a.model)
    R, n = mod["R"], mod["n"]

    # The same draw: at a zero perturbation it must give the model's base N and NP.
    N0, NP0, *_ = draw_batch(mod, np.ones((1, R, n)))
    check = float(max(np.max(np.abs(N0[0] - mod["baseN"]) / np.maximum(1, np.abs(mod["baseN"]))),
                      np.max(np.abs(NP0[0] - mod["baseNP"]) / np.maximum(1, np.abs(mod["baseNP"])))))

    rng = np.random.default_rng(a.seed)
    draw_batch(mod, rng.lognormal(0, a.sdlog, (a.batch, R, n)))  # warm-up
    done = 0
    sink = 0.0
    c0, t0 = time.process_time(), time.perf_counter()
    while done < a.draws:
        B = min(a.batch, a.draws - done)
        N, NP, T, CTT, CTTp, cls = draw_batch(mod, rng.lognormal(0, a.sdlog, (B, R, n)))
        sink += float(N.sum())
        done += B
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    json.dump({
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "threads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "draws": done,
        "batch": a.batch,
        "seconds": wall,
        "cpu_seconds": cpu,
        "draws_per_s": done / wall,
        "draws_per_cpu_s": done / cpu,
        "base_check_max_rel_error": check,
        "checksum": sink,
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
