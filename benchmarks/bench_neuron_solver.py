"""Benchmark: plain exhaustive search vs the neuron-subset solver on the same instances.

Run: ``python benchmarks/bench_neuron_solver.py [--max-n 40] [--budget 60] [--large]``
(``--large --skip-small``: only the n = 40, 48, 56, 64 rows, each solved twice on the same
network: the former per-point interval node bound, ``coupled=False``, and the coupled stencil
bound, ``coupled=True``).

Both solve the same exact integer min-max problem (Model B, d = 2, 48 exact sphere points + w,
prunecert.checks.instances.neuron_lower.integer_data): the baseline enumerates every subset and recomputes its sums
from scratch (prunecert.checks.instances.neuron_enum.minmax_plain: no Gray code, no incremental update, no pruning);
the solver is prunecert.checks.instances.neuron_enum.minmax (meet-in-the-middle tables + branch and bound).  Their
answers must agree exactly.  Then the full certified solver (prunecert.checks.instances.neuron_subset.best_error:
points + cutting planes + certified sup error) is run for growing n until one instance takes
more than the budget: the largest n decided exactly within it is printed.
"""
from __future__ import annotations

import argparse
import time

from prunecert.checks.instances.network import sample
from prunecert.checks.instances.neuron_enum import minmax, minmax_plain
from prunecert.checks.instances.neuron_lower import integer_data, sphere_points
from prunecert.checks.instances.neuron_subset import best_error


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-n", type=int, default=44)
    ap.add_argument("--budget", type=float, default=60.0)
    ap.add_argument("--plain-max", type=int, default=14)
    ap.add_argument("--large", action="store_true", help="also n = 40..64: before/after the coupled bound")
    ap.add_argument("--skip-small", action="store_true", help="only the --large rows")
    args = ap.parse_args()
    if args.skip_small:
        large(args.budget)
        return
    print("== same instances: plain exhaustive vs solver (exact integer min-max on 49 points) ==")
    print(f"{'n':>3} {'plain s':>9} {'solver s':>9} {'ratio':>8}  agree")
    for n in range(8, args.plain_max + 1, 2):
        net = sample(n, 2, seed=100 + n, dist="gaussian", target="random")
        data = integer_data(net, sphere_points(2, 48, extra=[[float(c) for c in net.w]]))
        t0 = time.perf_counter()
        p = minmax_plain(data.A, data.T, "B")
        t1 = time.perf_counter()
        f = minmax(data.A, data.T, "B")
        t2 = time.perf_counter()
        print(f"{n:>3} {t1 - t0:>9.3f} {t2 - t1:>9.4f} {(t1 - t0) / max(t2 - t1, 1e-9):>8.1f}  {p.value == f.value}")
        assert p.value == f.value
    print(f"\n== full certified solver (best_error), d = 2, budget {args.budget:.0f} s per instance ==")
    print(f"{'n':>3} {'seconds':>8} {'lo':>14} {'hi':>14}  exact")
    largest = None
    for n in range(16, args.max_n + 1, 4):
        net = sample(n, 2, seed=200 + n, dist="gaussian", target="random")
        t0 = time.perf_counter()
        r = best_error(net, timeout=args.budget)
        dt = time.perf_counter() - t0
        exact = r.lower_complete and r.hi - r.lo <= r.hi / 1000
        print(f"{n:>3} {dt:>8.2f} {float(r.lo):>14.8f} {float(r.hi):>14.8f}  {exact}")
        if exact and dt <= args.budget:
            largest = n
        else:
            break
    print(f"\nlargest n decided exactly within {args.budget:.0f} s (d = 2): {largest}")
    if args.large:
        large(args.budget)


def large(budget: float) -> None:
    """n = 40..64: the former per-point node bound vs the coupled stencil bound, same instances."""
    print(f"\n== n = 40..64, d = 2, budget {budget:.0f} s: per-point bound (before) vs coupled (after) ==")
    print(f"{'n':>3} {'bound':>9} {'seconds':>8} {'lo':>12} {'hi':>12}  exact")
    for n in (40, 48, 56, 64):
        net = sample(n, 2, seed=200 + n, dist="gaussian", target="random")
        for coupled in (False, True):
            t0 = time.perf_counter()
            r = best_error(net, timeout=budget, coupled=coupled)
            dt = time.perf_counter() - t0
            assert r.lo <= r.hi
            exact = r.lower_complete and r.hi - r.lo <= r.hi / 1000
            print(f"{n:>3} {'coupled' if coupled else 'interval':>9} {dt:>8.2f} {float(r.lo):>12.6f} "
                  f"{float(r.hi):>12.6f}  {exact}", flush=True)


if __name__ == "__main__":
    main()
