"""Command-line side of sweeps: the shared options, the result store, progress on stderr.

Every sweeping command takes ``--workers N`` (a LocalCluster of N worker processes; 0 = in this
process), ``--serial`` (= ``--workers 0``), ``--scheduler ADDRESS`` (an existing Dask cluster;
also from the environment variable PRUNECERT_SCHEDULER) and ``--store FILE`` (the SQLite file
that keeps every finished task; default ``sweep.sqlite`` in the command's output directory).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from prunecert.checks.errors import InputError
from prunecert.checks.sweep import ExecSpec, Store, Sweep, SweepRun, run_sweep
from prunecert.checks.sweep.cluster import ENV_SCHEDULER
from prunecert.cli._render import check_output_path, err_console

STORE_NAME = "sweep.sqlite"


def add_arguments(p, *, store_default: str = f"OUT/{STORE_NAME}") -> None:
    g = p.add_argument_group("where the tasks run (Dask)")
    g.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes of the local Dask cluster (default: one per core; 0 = in this process)")
    g.add_argument("--serial", action="store_true", help="run every task in this process (= --workers 0)")
    g.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help=f"run on an existing Dask cluster, e.g. tcp://host:8786 (default: ${ENV_SCHEDULER})")
    g.add_argument("--store", default=None, metavar="FILE",
                   help=f"SQLite file keeping every finished task, so a rerun computes only what is missing "
                        f"(default: {store_default})")


def exec_spec(args) -> ExecSpec:
    return ExecSpec.from_options(workers=args.workers, scheduler=args.scheduler, serial=args.serial)


def open_store(args, out_dir: str | os.PathLike | None) -> Store:
    """The store named by --store, else ``OUT/sweep.sqlite``, else an in-memory one (not resumable)."""
    if args.store:
        return Store(check_output_path(args.store, "--store"))
    if out_dir is not None:
        return Store(Path(out_dir) / STORE_NAME)
    return Store(None)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(sweep: Sweep, params: list[dict], args, store: Store, label: str) -> SweepRun:
    """Run the sweep with a progress display (done / total, ETA) on stderr."""
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    spec = exec_spec(args)
    if store.path is None:
        say(f"{label}: results are not kept (give --out or --store to make the sweep resumable)")
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("ETA"), TimeRemainingColumn(), console=err_console, transient=False)
    state: dict = {}
    plain = not err_console.is_terminal
    last = [0.0]

    def on_progress(done: int, total: int) -> None:
        if "task" not in state:
            state["task"] = bar.add_task(label, total=total, completed=done)
            if done:
                say(f"{label}: {done} of {total} tasks already in {store.path}")
            if done < total:
                where = "in this process" if spec.mode == "serial" or total - done == 1 else spec.describe()
                say(f"{label}: running {total - done} tasks {where}")
            return
        bar.update(state["task"], completed=done)
        now = time.monotonic()
        if plain and (done == total or now - last[0] > 10):       # a log, not a live bar
            last[0] = now
            t = bar.tasks[0]
            eta = t.time_remaining
            say(f"{label}: {done}/{total} tasks" + ("" if eta is None else f", ETA {eta:.0f} s"))

    def on_cluster(cluster) -> None:
        dash = cluster.dashboard()
        say(f"{label}: {cluster.describe()}; dashboard "
            + (dash if dash else "not running (pip install 'prunecert[dashboard]' to get one)"))

    try:
        with bar if not plain else _Null():
            return run_sweep(sweep, params, store=store, spec=spec, on_progress=on_progress, on_cluster=on_cluster)
    except KeyboardInterrupt:
        if store.path is not None:
            say(f"{label}: interrupted; {store.count(sweep.name)} finished tasks are kept in {store.path}: "
                "run the same command again to compute only the missing ones")
        raise


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
