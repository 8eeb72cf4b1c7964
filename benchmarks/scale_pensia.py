"""Pensia-scale weight-pruning construction: 784-500-10 target, 21 random samples per weight.

    python benchmarks/scale_pensia.py [--task-size 8192] [--workers N | --serial | --scheduler ADDR] [--store FILE]

Pensia et al. (2020) solved one subset sum per target weight with a commercial MIP solver: about 21.5
hours on 36 cores for the 784-500-10 network.  Here: 784*500 + 500*10 = 397,000 target weights,
Uniform[-1,1] with 6 decimals; for each, 21 samples v*u with u, v independent Uniform[-1,1] (6 decimals,
so every sample is an integer multiple of 10^-12 and all arithmetic below is exact in int64);
each instance is solved *exactly* (optimal subset, exact error) by the batched, vectorised
meet-in-the-middle engine prunecert.checks.instances.subset_sum.batch_best_subset_sum, and every reported error is
re-checked in integers.

The instances are cut into sweep tasks of --task-size target weights; task i draws its weights and
samples from ``numpy.random.default_rng([seed, i])``, so a task is a pure function of (seed, i, size)
and the run is the same serially, on a local Dask cluster (the default) or on a remote one.  With
--store every finished task is kept and a rerun computes only the missing ones.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prunecert.checks.sweep import Sweep  # noqa: E402
from prunecert.cli import _sweep  # noqa: E402

LAYERS = [(784, 500), (500, 10)]


def pensia_task(seed: int, index: int, size: int, samples: int, chunk: int) -> dict:
    """Exact subset sums of ``size`` target weights (task ``index`` of the run ``seed``); errors in 1e-12."""
    from prunecert.checks.instances.subset_sum import batch_best_subset_sum

    rng = np.random.default_rng([seed, index])
    W = np.round(rng.uniform(-1, 1, size) * 10**6).astype(np.int64) * 10**6          # units of 1e-12
    U = np.round(rng.uniform(-1, 1, (size, samples)) * 10**6).astype(np.int64)
    V = np.round(rng.uniform(-1, 1, (size, samples)) * 10**6).astype(np.int64)
    X = U * V                                                                       # exact, |X| <= 10^12
    masks, errs = batch_best_subset_sum(X, W, chunk=chunk)
    if not np.array_equal(np.abs((X * masks).sum(axis=1) - W), errs):              # the integer re-check
        raise AssertionError("subset-sum error does not re-check")
    return {"errors": errs.tolist(), "kept": int(masks.sum())}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chunk", type=int, default=1024, help="instances per vectorised batch inside a task")
    ap.add_argument("--task-size", type=int, default=8192, help="target weights per sweep task")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--samples", type=int, default=21)
    _sweep.add_arguments(ap, store_default="not kept")
    args = ap.parse_args(argv)
    if not (1 <= args.samples <= 30 and args.task_size >= 1 and args.chunk >= 1):
        ap.error("need 1 <= --samples <= 30, --task-size >= 1, --chunk >= 1")
    m = sum(a * b for a, b in LAYERS)
    k = args.samples
    sizes = [min(args.task_size, m - s) for s in range(0, m, args.task_size)]
    params = [{"seed": args.seed, "index": i, "size": n, "samples": k, "chunk": args.chunk} for i, n in enumerate(sizes)]
    t0 = time.perf_counter()
    with _sweep.open_store(args, None) as store:
        run = _sweep.run(Sweep("pensia", pensia_task), params, args, store, f"{m:,} subset sums ({k} samples each)")
    secs = time.perf_counter() - t0
    e = np.concatenate([np.asarray(r["errors"], dtype=np.int64) for r in run.results]).astype(np.float64) * 1e-12
    kept = sum(r["kept"] for r in run.results)
    print(f"instances: {m:,} (784x500 + 500x10), samples per weight: {k}, cpus visible: {os.cpu_count()}")
    print(f"tasks: {run.total} of <= {args.task_size} weights; {run.computed} computed {run.where} "
          f"({run.workers} worker threads), {run.from_store} from the store")
    print(f"wall: {secs:.2f} s (cluster start {run.startup_seconds:.1f} s); task time summed: {run.task_seconds:.2f} s "
          f"({run.task_seconds / max(run.computed, 1) / args.task_size * 1e6:.1f} us per instance)")
    print(f"subset-sum error: max {e.max():.3e}, mean {e.mean():.3e}, median {np.median(e):.3e}")
    print(f"kept samples: mean {kept / m:.2f} of {k}; share of weights with error <= 1e-3: "
          f"{(e <= 1e-3).mean():.4f}, <= 1e-2: {(e <= 1e-2).mean():.4f}")
    print(f"reference: Pensia et al. report ~21.5 h on 36 cores (commercial MIP); ratio ~ {21.5 * 3600 / secs:,.0f}x wall-clock")


if __name__ == "__main__":
    main()
