"""Runners for :func:`prunecert.proofs.registry.evaluate`: in this process, or in a process pool.

A runner receives the list of jobs ``(claim_id, index, is_corroboration)`` and returns
``{job: CheckResult}``.  Checks never depend on each other's results (levels are combined
afterwards), so every job is independent and may run in any worker.

python-flint's working precision is process-global: every job runs inside
``prunecert.checks.rigorous.arith.workprec(53)`` so that a check that forgets to restore the precision cannot
change the numbers of the next job in the same process.  Workers are started with the
``spawn`` method (never ``fork``: the parent may hold a progress-display thread and flint
state); a worker receives the Check itself, pickled by reference to its module-level
``run`` function, and imports only that function's module.

Why ``verify`` keeps this process pool rather than the Dask sweep layer
(:mod:`prunecert.checks.sweep`, which runs the experiments): ``verify --timeout`` is a *hard* per-check
limit -- a check that overruns is reported UNKNOWN and the process running it is killed, so a hanging
SMT call or a runaway prover cannot hold the run.  Dask cannot stop a task that is running (cancelling
a future only forgets it; the worker thread runs on), so a per-check hard limit would need a worker
restart per overdue check.  The checks are also short and many, where a pool of spawned processes
costs less than a scheduler.

>>> from prunecert.proofs.parallel import make_runner
>>> runner = make_runner(jobs=1)
>>> runner([])
{}
"""
from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Callable

from prunecert.checks.levels import Level
from prunecert.checks.result import CheckResult

Job = tuple[str, int, bool]
OnResult = Callable[[Job, CheckResult], None]

DEFAULT_PREC = 53


def _check_of(job: Job):
    from prunecert.proofs.registry import all_claims

    cid, i, corr = job
    c = all_claims()[cid]
    return (c.corroborations if corr else c.checks)[i]


def run_check_clean(check) -> CheckResult:
    """Run one Check at the default precision (safe to call in a worker process: the Check is
    pickled by reference to its module-level ``run`` function)."""
    from prunecert.checks.rigorous.arith import workprec
    from prunecert.proofs.registry import run_check

    with workprec(DEFAULT_PREC):
        return run_check(check)


def run_job_clean(job: Job) -> CheckResult:
    """Run one (claim_id, index, is_corroboration) job at the default precision."""
    return run_check_clean(_check_of(job))


WARM_UP_LIMIT = 120.0     # seconds to wait for worker processes to start before timing checks


def _warm_up() -> None:
    """Import what every check needs (runs in a fresh worker before any job is timed)."""
    import prunecert.checks.rigorous.arith  # noqa: F401
    import prunecert.proofs.registry  # noqa: F401


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
                on_start: Callable[[Job], None] | None = None,
                timeout: float | None | Callable[[Job], float | None] = None,
                initializer: Callable | None = None, initargs: tuple = ()) -> Callable[[list[Job]], dict]:
    """Run the jobs in ``workers`` spawned processes; results arrive in completion order.

    At most ``workers`` jobs are in flight, so a job's clock starts when it starts.  With a
    ``timeout`` (seconds of wall time per check, or a function job -> seconds | None), a job
    that runs longer is reported UNKNOWN ("timed out"); its worker is killed (with the pool: the
    other in-flight jobs are re-run in a fresh pool), so a hanging check cannot hang the run.
    ``initializer(*initargs)`` runs in each worker first (e.g. to load user claim modules)."""
    if workers < 1:
        raise ValueError("workers must be >= 1")
    if timeout is not None and not callable(timeout) and not timeout > 0:
        raise ValueError("timeout must be positive")
    limit = timeout if callable(timeout) else (lambda job: timeout)
    timed = timeout is not None

    def record(out, job, res):
        out[job] = res
        if on_result is not None:
            on_result(job, res)

    def run(jobs: list[Job]) -> dict:
        out: dict = {}
        queue = list(jobs)
        ctx = multiprocessing.get_context("spawn")
        while queue:
            pool = ProcessPoolExecutor(max_workers=min(workers, len(queue)), mp_context=ctx,
                                       initializer=initializer, initargs=initargs)
            pending: dict = {}
            killed = False
            if timed:
                # start the workers (interpreter, imports, initializer) before any clock runs, so
                # that a per-check limit measures the check, not a loaded machine's process start-up
                warm = [pool.submit(_warm_up) for _ in range(min(workers, len(queue)))]
                wait(warm, timeout=WARM_UP_LIMIT)
            try:
                while queue or pending:
                    while queue and len(pending) < workers:
                        job = queue.pop(0)
                        pending[pool.submit(run_check_clean, _check_of(job))] = (job, time.perf_counter())
                        if on_start is not None:
                            on_start(job)
                    done, _ = wait(pending, timeout=1.0 if timed else None, return_when=FIRST_COMPLETED)
                    for fut in done:
                        job, t0 = pending.pop(fut)
                        try:
                            res = fut.result()
                        except Exception as exc:  # noqa: BLE001 - a dead worker is UNKNOWN, never a pass
                            res = CheckResult(Level.UNKNOWN, "error", time.perf_counter() - t0,
                                              f"worker failed: {type(exc).__name__}: {exc}")
                        record(out, job, res)
                    if timed:
                        now = time.perf_counter()
                        late = [f for f, (job, t0) in pending.items()
                                if limit(job) is not None and now - t0 > limit(job)]
                        if late:
                            for f in late:
                                job, t0 = pending.pop(f)
                                record(out, job, CheckResult(Level.UNKNOWN, "timeout", now - t0,
                                                             f"timed out after {limit(job):g} s (time limit per check)"))
                            queue[:0] = [job for job, _ in pending.values()]   # re-run the others
                            pending.clear()
                            killed = True
                            break
            finally:
                if killed:
                    # ProcessPoolExecutor cannot cancel a running task: end its workers
                    # (private attribute; Python >= 3.14 has terminate_workers()).
                    for proc in list(getattr(pool, "_processes", {}).values()):
                        proc.terminate()
                    pool.shutdown(wait=True, cancel_futures=True)
                else:
                    pool.shutdown(wait=True)
        return out

    return run


def make_runner(jobs: int = 1, on_result: OnResult | None = None,
                timeout: float | None | Callable[[Job], float | None] = None,
                initializer: Callable | None = None, initargs: tuple = ()) -> Callable[[list[Job]], dict]:
    """``jobs == 1`` and no timeout: run in this process; otherwise a pool of ``jobs`` worker
    processes (a per-check ``timeout`` needs worker processes, so it implies a pool).
    ``timeout`` may be a function job -> seconds | None (a limit for some checks only)."""
    from prunecert.checks.errors import InputError

    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise InputError(f"--jobs must be a positive integer, got {jobs!r}")
    if timeout is not None and not callable(timeout) and not timeout > 0:
        raise InputError(f"--timeout must be positive, got {timeout!r}")
    if jobs == 1 and timeout is None:
        return serial_runner(on_result)
    return pool_runner(jobs, on_result, timeout=timeout, initializer=initializer, initargs=initargs)
