"""Benchmark: the certified MILP-assisted neuron solver, the current exact solver and uncertified
HiGHS, in the same run on the same networks.

Run: ``python benchmarks/bench_neuron_milp.py [--quick] [--seeds 5] [--seed-from 0] [--rows 64,128,d3]``

Rows (issue 13 targets):
* ``64``  : d = 2, n = 64, Gaussian and uniform networks; target: certified exact
            (hi - lo <= 1e-4 hi) within 60 s on >= 4 of 5 seeds;
* ``128`` : d = 2, n = 128; target hi - lo <= 5% hi within 600 s;
* ``d3``  : d = 3, n = 48; target exact within 300 s.
``--quick``: 2 seeds, row 64 only, the budgets above (about 10 minutes on a loaded 2-core machine).

Solvers (each in its own forked process, hard-killed 20 s after its budget; peak RSS reported,
the solver's process plus its largest tree worker):
* new   : prunecert.checks.instances.neuron_milp.optimum (HiGHS incumbents, certified LP tree on
          ``--workers`` processes, default all cores; each HiGHS round is one thread per run,
          two runs with different seeds at once on a machine with several cores);
* old   : prunecert.checks.instances.neuron_subset.best_error (exact integer search);
* highs : the same HiGHS cutting-plane loop without certification -- HiGHS's float optimum on
          its final point set and the certified error of its subset; not a certificate (one
          HiGHS run on one thread per round).
Networks: prunecert.checks.instances.network.sample(n, d, seed=1000 + seed, dist=...), Model B,
random target.  Times are wall-clock on a shared machine: compare within a row.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import time
import sys

ROWS = {"64": (2, 64, 60.0), "128": (2, 128, 600.0), "d3": (3, 48, 300.0)}


def _child(kind, n, d, seed, dist, budget, q, workers=1):
    from prunecert.checks.instances.network import sample

    net = sample(n, d, seed=1000 + seed, dist=dist)
    t0 = time.perf_counter()
    if kind == "new":
        from prunecert.checks.instances.neuron_milp import optimum

        r = optimum(net, timeout=budget, certificate=False, workers=workers)
        out = {"lo": float(r.lo), "hi": float(r.hi), "complete": r.lower_complete,
               "nodes": r.tree.get("nodes", 0), "tree_s": r.tree.get("seconds", 0.0),
               "rounds": r.rounds, "highs": r.highs.get("status", "")}
    elif kind == "old":
        from prunecert.checks.instances.neuron_subset import best_error

        r = best_error(net, timeout=budget)
        out = {"lo": float(r.lo), "hi": float(r.hi), "complete": r.lower_complete}
    else:
        from prunecert.checks.instances.neuron_milp import optimum

        r = optimum(net, timeout=budget, certificate=False, certify_lower=False, highs_seeds=1)
        out = {"lo": r.highs.get("dual_bound", float("nan")), "hi": float(r.hi),
               "value": r.highs.get("value", float("nan")), "complete": False}
    out["seconds"] = time.perf_counter() - t0
    # peak of this process plus the largest tree worker (an upper bound on what ran at once)
    out["mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                 + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024.0
    q.put(out)


def run_one(kind, n, d, seed, dist, budget, workers=1):
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(kind, n, d, seed, dist, budget, q, workers))
    t0 = time.perf_counter()
    p.start()
    p.join(budget + 20)
    if p.is_alive():
        p.kill()
        p.join()
        return {"lo": float("nan"), "hi": float("nan"), "complete": False,
                "seconds": time.perf_counter() - t0, "mb": float("nan"), "killed": True}
    return q.get() if not q.empty() else {"lo": float("nan"), "hi": float("nan"), "complete": False,
                                           "seconds": time.perf_counter() - t0, "mb": float("nan")}


def _gap(r):
    lo, hi = r["lo"], r["hi"]
    if not (hi == hi) or not (lo == lo) or hi <= 0:
        return float("nan")
    return (hi - lo) / hi


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seeds", type=int, default=None)
    ap.add_argument("--seed-from", type=int, default=0, help="first seed (to split a row across processes)")
    ap.add_argument("--rows", default=None, help="comma list of 64, 128, d3")
    ap.add_argument("--dists", default="gaussian,uniform")
    ap.add_argument("--solvers", default="new,old,highs")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="processes of the new solver's certified tree (default: all cores; use 1 "
                         "when running two benchmark processes at once)")
    args = ap.parse_args()
    seeds = args.seeds or (2 if args.quick else 5)
    rows = (args.rows or ("64" if args.quick else "64,128,d3")).split(",")
    solvers = args.solvers.split(",")
    print(f"# load average at start: {os.getloadavg()}; cpus: {os.cpu_count()}; "
          f"tree workers of the new solver: {args.workers}", flush=True)
    hdr = (f"{'row':>4} {'dist':>8} {'seed':>4} | {'solver':>5} {'lo':>10} {'hi':>10} {'gap':>9} "
           f"{'exact':>5} {'s':>7} {'MB':>6}")
    print(hdr)
    print("-" * len(hdr), flush=True)
    summary = {}
    for row in rows:
        d, n, budget = ROWS[row]
        tol = 1e-4 if row in ("64", "d3") else 0.05
        for dist in args.dists.split(","):
            for seed in range(args.seed_from, args.seed_from + seeds):
                for kind in solvers:
                    r = run_one(kind, n, d, seed, dist, budget, args.workers if kind == "new" else 1)
                    gap = _gap(r)
                    met = (kind != "highs" and r["complete"] or row == "128") and gap == gap and gap <= tol \
                        and r["seconds"] <= budget + 5
                    if kind == "highs":
                        met = False
                        lo_txt = f"~{r.get('value', float('nan')):.6f}"
                    else:
                        lo_txt = f"{r['lo']:.6f}"
                    summary.setdefault((row, kind), []).append(met)
                    print(f"{row:>4} {dist:>8} {seed:>4} | {kind:>5} {lo_txt:>10} {r['hi']:>10.6f} "
                          f"{gap:>9.2e} {str(bool(met)):>5} {r['seconds']:>7.1f} {r['mb']:>6.0f}", flush=True)
                    if kind == "new" and "tree_s" in r:
                        # where the time went (stderr: the table stays one line per network)
                        print(f"# {row} {dist} {seed}: {r['rounds']} HiGHS round(s), last {r['highs']}; "
                              f"tree {r['tree_s']:.1f} s, {r['nodes']} nodes", file=sys.stderr, flush=True)
    print("\n# targets met (certified; highs is never certified; its 'lo' column is its float optimum)")
    for (row, kind), mets in summary.items():
        d, n, budget = ROWS[row]
        print(f"row {row} (d = {d}, n = {n}, {budget:.0f} s) {kind}: {sum(mets)} / {len(mets)}")
    print(f"# load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
