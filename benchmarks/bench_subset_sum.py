"""Subset-sum engine vs brute force and vs an ILP (HiGHS) on the same instances.

    python benchmarks/bench_subset_sum.py

Instances: k products v*u of independent Uniform[-1,1] draws (6 decimals, so the items are integers
after scaling by 10^12), target Uniform[-1,1].  Every method's optimum is compared exactly with the
engine's (the ILP's answer is re-evaluated in integers).
"""
from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prunecert.checks.instances.subset_sum import best_subset_sum, subset_sums  # noqa: E402


def brute(items, t):
    s = subset_sums(items)
    return int(np.abs(s - t).min())


def ilp(items, t):
    """min e s.t. -e <= sum x_i a_i - t <= e, x binary (HiGHS MIP), in units of 1e-12 scaled to O(1)."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.0)
    k = len(items)
    sc = 1e-12
    inf = highspy.kHighsInf
    for _ in range(k):
        h.addVar(0, 1)
    h.addVar(0, inf)
    h.changeColsIntegrality(k, np.arange(k, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * k))
    h.changeColCost(k, 1.0)
    idx = np.arange(k + 1, dtype=np.int32)
    a = np.array([x * sc for x in items] + [-1.0])
    h.addRow(-inf, t * sc, k + 1, idx, a)                       # sum a x - e <= t
    a2 = np.array([x * sc for x in items] + [1.0])
    h.addRow(t * sc, inf, k + 1, idx, a2)                       # sum a x + e >= t
    h.run()
    x = np.round(np.array(h.getSolution().col_value[:k])).astype(np.int64)
    return abs(int(np.dot(x, items)) - t)


def main():
    rng = np.random.default_rng(2024)
    print(f"{'k':>3} {'reps':>4} {'engine s':>10} {'brute s':>10} {'ilp s':>10} {'brute/eng':>10} {'ilp/eng':>9}  exact-agree(brute, ilp)")
    for k in (10, 14, 18, 22, 26):
        reps = 10
        inst = []
        for _ in range(reps):
            u = np.round(rng.uniform(-1, 1, k) * 10**6).astype(np.int64)
            v = np.round(rng.uniform(-1, 1, k) * 10**6).astype(np.int64)
            t = int(np.round(rng.uniform(-1, 1) * 10**6)) * 10**6
            inst.append(([int(x) for x in u * v], t))
        t0 = time.perf_counter()
        eng = [int(best_subset_sum(it, t).error) for it, t in inst]
        te = time.perf_counter() - t0
        if k <= 22:
            t0 = time.perf_counter()
            br = [brute(it, t) for it, t in inst]
            tb = time.perf_counter() - t0
            agree_b = br == eng
        else:
            tb, agree_b = float("nan"), "skip"
        t0 = time.perf_counter()
        il = [ilp(it, t) for it, t in inst]
        ti = time.perf_counter() - t0
        agree_i = sum(a == b for a, b in zip(il, eng))
        worse = sum(a > b for a, b in zip(il, eng))
        print(f"{k:>3} {reps:>4} {te:>10.4f} {tb:>10.4f} {ti:>10.4f} {tb / te:>10.1f} {ti / te:>9.1f}  "
              f"{agree_b}, ilp optimal on {agree_i}/{reps} (worse on {worse}: float tolerances)")


if __name__ == "__main__":
    main()
