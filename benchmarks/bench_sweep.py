"""Scaling of the sweep layer on this machine: serial vs a Dask LocalCluster of 1 and 2 workers.

    python benchmarks/bench_sweep.py [--tasks 24] [--seconds 0.25] [--gap-widths 10,12,14,16] [--seeds 2]

Two workloads, each run serially (in this process), on a LocalCluster with 1 worker process and with 2,
all in one run (so the machine's load is shared alike):

* ``probe``: ``--tasks`` tasks that each burn ``--seconds`` of CPU (prunecert.checks.sweep.probe.spin);
* ``gap``: the gap sweep's real tasks (prunecert.bounds.gap.gap_fit.gap_cell) at ``--gap-widths`` x ``--seeds``.

For each run: wall time from the first submission to the last stored result (the cluster's start-up is
shown apart), tasks per second, speed-up over serial, and the *overhead*: the fraction of the workers'
time not spent inside tasks, 1 - (sum of task run times) / (workers x wall) -- scheduling, moving
arguments and results, storing them, importing the task's modules in a fresh worker, and idle
workers at the end.  *cpu share* is the tasks' CPU time over their wall time: below 100% the tasks
waited for a core (other processes on the machine), which no scheduler can remove.  Results go to a fresh SQLite store
each run, as in a real sweep.  The machine's load average is printed before and after: on a shared
machine the numbers move with the other users' load.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prunecert.bounds.gap.gap_fit import gap_cell, gap_cells  # noqa: E402
from prunecert.checks.sweep import ExecSpec, Store, Sweep, run_sweep  # noqa: E402
from prunecert.checks.sweep.probe import spin  # noqa: E402

TIMINGS = ("neuron_seconds", "weight_seconds", "seconds")


def one(sweep: Sweep, params: list[dict], spec: ExecSpec):
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.sqlite") as store:
        run = run_sweep(sweep, params, store=store, spec=spec)
    return run


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=24)
    ap.add_argument("--seconds", type=float, default=0.25)
    ap.add_argument("--gap-widths", default="10,12,14,16")
    ap.add_argument("--seeds", type=int, default=2)
    args = ap.parse_args(argv)
    widths = [int(w) for w in args.gap_widths.split(",") if w.strip()]
    loads = [os.getloadavg()]
    workloads = {
        "probe": (Sweep("bench-probe", spin), [{"i": i, "seconds": args.seconds} for i in range(args.tasks)]),
        "gap": (Sweep("bench-gap", gap_cell), gap_cells(2, widths, args.seeds, dists=["gaussian"], timeout=60.0)),
    }
    specs = [("serial", ExecSpec("serial"), 1), ("local, 1 worker", ExecSpec("local", workers=1), 1),
             ("local, 2 workers", ExecSpec("local", workers=2), 2)]
    print(f"cores: {os.cpu_count()}; load average (1, 5, 15 min) at start: "
          + ", ".join(f"{x:.2f}" for x in loads[0]))
    head = f"{'workload':<9}{'where':<18}{'tasks':>6}{'start s':>9}{'wall s':>9}{'tasks/s':>9}{'speed-up':>9}{'overhead':>10}{'cpu share':>10}"
    print(head)
    print("-" * len(head))
    ok = True
    for name, (sweep, params) in workloads.items():
        base = None
        ref = None
        for label, spec, workers in specs:
            run = one(sweep, params, spec)
            res = [{k: v for k, v in r.items() if k not in TIMINGS} for r in run.results]
            ref = ref or res
            ok &= res == ref                      # same answers everywhere
            rate = run.computed / run.wall_seconds
            base = base or rate
            over = 1 - run.task_seconds / (workers * run.wall_seconds)
            print(f"{name:<9}{label:<18}{run.computed:>6}{run.startup_seconds:>9.1f}{run.wall_seconds:>9.2f}"
                  f"{rate:>9.2f}{rate / base:>8.2f}x{100 * over:>9.1f}%"
                  f"{100 * run.task_cpu_seconds / run.task_seconds:>9.0f}%", flush=True)
    loads.append(os.getloadavg())
    print(f"load average at end: " + ", ".join(f"{x:.2f}" for x in loads[1]))
    print(f"results identical across serial / 1 worker / 2 workers (timings aside): {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
