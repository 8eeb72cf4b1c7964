"""Runners for :func:`proofs.registry.evaluate`: in this process, or in a process pool.

A runner receives the list of jobs ``(claim_id, index, is_corroboration)`` and returns
``{job: CheckResult}``.  Checks never depend on each other's results (levels are combined
afterwards), so every job is independent and may run in any worker.

python-flint's working precision is process-global: every job runs inside
``checks.arith.workprec(53)`` so that a check that forgets to restore the precision cannot
change the numbers of the next job in the same process.  Workers are started with the
``spawn`` method (never ``fork``: the parent may hold a progress-display thread and flint
state); a worker receives the Check itself, pickled by reference to its module-level
``run`` function, and imports only that function's module.

>>> from proofs.parallel import make_runner
>>> runner = make_runner(jobs=1)
>>> runner([])
{}
"""
from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Callable

from checks.levels import Level
from checks.result import CheckResult

Job = tuple[str, int, bool]
OnResult = Callable[[Job, CheckResult], None]

DEFAULT_PREC = 53


def _check_of(job: Job):
    from proofs.registry import all_claims

    cid, i, corr = job
    c = all_claims()[cid]
    return (c.corroborations if corr else c.checks)[i]


def run_check_clean(check) -> CheckResult:
    """Run one Check at the default precision (safe to call in a worker process: the Check is
    pickled by reference to its module-level ``run`` function)."""
    from checks.arith import workprec
    from proofs.registry import run_check

    with workprec(DEFAULT_PREC):
        return run_check(check)


def run_job_clean(job: Job) -> CheckResult:
    """Run one (claim_id, index, is_corroboration) job at the default precision."""
    return run_check_clean(_check_of(job))


def serial_runner(on_result: OnResult | None = None) -> Callable[[list[Job]], dict]:
    def run(jobs: list[Job]) -> dict:
        out = {}
        for job in jobs:
            out[job] = run_job_clean(job)
            if on_result is not None:
                on_result(job, out[job])
        return out

    return run


def pool_runner(workers: int, on_result: OnResult | None = None,
                on_start: Callable[[Job], None] | None = None) -> Callable[[list[Job]], dict]:
    """Run the jobs in ``workers`` spawned processes; results arrive in completion order."""
    if workers < 1:
        raise ValueError("workers must be >= 1")

    def run(jobs: list[Job]) -> dict:
        out: dict = {}
        if not jobs:
            return out
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx) as pool:
            pending = {}
            for job in jobs:
                pending[pool.submit(run_check_clean, _check_of(job))] = (job, time.perf_counter())
                if on_start is not None:
                    on_start(job)
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    job, t0 = pending.pop(fut)
                    try:
                        res = fut.result()
                    except Exception as exc:  # noqa: BLE001 - a dead worker is UNKNOWN, never a pass
                        res = CheckResult(Level.UNKNOWN, "error", time.perf_counter() - t0,
                                          f"worker failed: {type(exc).__name__}: {exc}")
                    out[job] = res
                    if on_result is not None:
                        on_result(job, res)
        return out

    return run


def make_runner(jobs: int = 1, on_result: OnResult | None = None) -> Callable[[list[Job]], dict]:
    """``jobs == 1``: run in this process; otherwise a pool of ``jobs`` worker processes."""
    if not isinstance(jobs, int) or jobs < 1:
        from checks.errors import InputError

        raise InputError(f"--jobs must be a positive integer, got {jobs!r}")
    return serial_runner(on_result) if jobs == 1 else pool_runner(jobs, on_result)
