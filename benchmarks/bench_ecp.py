"""Cost of one pruning step (scores + removal + compensation) per method, with ratios against
magnitude pruning measured in the same run.  Run: ``python benchmarks/bench_ecp.py``."""
from __future__ import annotations

import time

import numpy as np

from prunecert.checks.learning import mlp
from prunecert.bounds.elimination.ecp_pruning import CALIBRATION, METHODS, load_task, prune_step


def bench(dataset: str, repeats: int = 5) -> dict:
    Xtr, ytr, Xte, yte, spec = load_task(dataset, 0)
    p = mlp.init_params(spec["sizes"], seed=0)
    p = mlp.train(p, Xtr, ytr, kind=spec["kind"], epochs=3, lr=spec["lr"], batch_size=spec["batch"], seed=0)
    cal = np.random.default_rng(0).permutation(len(ytr))[:CALIBRATION]
    total = sum(W.size for W, _ in p)
    out = {}
    for m in METHODS:
        times = []
        for r in range(repeats):
            masks = [np.ones_like(W) for W, _ in p]
            rng = np.random.default_rng(r)
            t0 = time.perf_counter()
            prune_step(m, p, masks, total // 10, Xtr[cal], ytr[cal], spec["kind"], rng)
            times.append(time.perf_counter() - t0)
        out[m] = float(np.median(times))
    return {"dataset": dataset, "weights": total, "outputs": spec["sizes"][-1], "calibration": len(cal),
            "median_seconds": out}


def main() -> None:
    for ds in ("diabetes", "digits"):
        r = bench(ds)
        base = r["median_seconds"]["magnitude"]
        print(f"{ds}: {r['weights']} weights, {r['outputs']} outputs, {r['calibration']} calibration samples, "
              f"one step removes 10 % (median of 5)")
        for m, s in r["median_seconds"].items():
            print(f"  {m:11s} {s * 1e3:9.2f} ms   x{s / base:8.1f} vs magnitude")


if __name__ == "__main__":
    main()
