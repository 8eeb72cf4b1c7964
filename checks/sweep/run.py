"""Run a sweep: skip the stored tasks, run the others, store each result as it arrives.

Same answers everywhere: a task's result always reaches the caller through its canonical JSON
text (the text the store holds), whether it ran in this process, on a local cluster or on a
remote one, and whether it ran now or in an earlier, interrupted run.

Nothing lost: a result is committed to the store before the next one is waited for.  A worker
that dies takes its running task with it; the Dask scheduler runs that task again on another
worker (up to ``distributed.scheduler.allowed-failures`` times, then the sweep stops with an
error naming the task).  On Ctrl-C the tasks in flight are cancelled and every finished result
stays stored; running the sweep again computes only the missing ones.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from prunecert.checks.errors import PrunecertError
from prunecert.checks.sweep.cluster import Cluster, ExecSpec
from prunecert.checks.sweep.store import Store
from prunecert.checks.sweep.task import Sweep, canonical, package_code_version, run_task

__all__ = ["SweepError", "SweepRun", "run_sweep"]

OnProgress = Callable[[int, int], None]          # (done, total)


class SweepError(PrunecertError):
    """A task failed, or a worker runs different code; the finished results stay stored."""


@dataclass
class SweepRun:
    results: list[Any]                 # one per parameter set, in the given order
    total: int                         # distinct tasks
    from_store: int                    # of them, found in the store
    computed: int                      # of them, computed in this run
    wall_seconds: float                # this run, from first submission to last result
    task_seconds: float                # sum of the computed tasks' own run times (wall)
    where: str                         # serial | local | remote
    workers: int                       # threads that ran tasks (1 for serial)
    startup_seconds: float = 0.0       # cluster start / connect
    task_cpu_seconds: float = 0.0      # sum of the computed tasks' CPU times (their processes)
    workers_seen: set = field(default_factory=set)


def run_sweep(sweep: Sweep, params: Sequence[dict], *, store: Store, spec: ExecSpec,
              on_progress: OnProgress | None = None, on_cluster: Callable[[Cluster], None] | None = None,
              window: int | None = None) -> SweepRun:
    """Results of ``sweep.fn(**p)`` for every ``p`` in ``params`` (in order), reusing stored ones.

    ``on_progress(done, total)`` is called once before any work (done = the stored tasks) and
    after each stored result; ``on_cluster(cluster)`` once the cluster is up (to print its
    dashboard).  At most ``window`` tasks are in flight (default: 4 per worker thread, at
    least 16), so a long sweep keeps the scheduler's memory small and a Ctrl-C cancels little."""
    params = [dict(p) for p in params]
    keys = [sweep.key(p) for p in params]
    texts = {k: canonical(p) for k, p in zip(keys, params)}
    unique = list(dict.fromkeys(keys))
    done = store.get_many(unique)
    from_store = len(done)
    first = {}
    for k, p in zip(keys, params):
        first.setdefault(k, p)
    todo = [(k, first[k]) for k in unique if k not in done]
    progress = on_progress or (lambda d, t: None)
    progress(len(done), len(unique))
    run = SweepRun([], len(unique), from_store, 0, 0.0, 0.0, spec.mode, 1)

    def record(key: str, out: dict) -> None:
        store.put(key, sweep.name, texts[key], sweep.code, out["result"], out["seconds"], out["worker"])
        done[key] = json.loads(out["result"])
        run.computed += 1
        run.task_seconds += out["seconds"]
        run.task_cpu_seconds += out.get("cpu_seconds", 0.0)
        run.workers_seen.add(out["worker"])
        progress(len(done), len(unique))

    if todo:
        # one task left: a cluster would cost more than it saves (same results either way)
        if spec.mode == "serial" or (spec.mode == "local" and len(todo) == 1):
            run.where = "serial"
            t0 = time.perf_counter()
            for key, p in todo:
                record(key, run_task(sweep.fn, p))
            run.wall_seconds = time.perf_counter() - t0
        else:
            t0 = time.perf_counter()
            with Cluster(spec, max_workers=len(todo)) as cluster:
                run.startup_seconds = time.perf_counter() - t0
                if on_cluster is not None:
                    on_cluster(cluster)
                _run_on(cluster, sweep, todo, record, run, window)
    run.results = [done[k] for k in keys]
    return run


def _run_on(cluster: Cluster, sweep: Sweep, todo, record, run: SweepRun, window: int | None) -> None:
    from distributed import as_completed

    client = cluster.client
    mine = package_code_version()
    nonce = uuid.uuid4().hex[:8]
    queue = list(reversed(todo))
    inflight: dict = {}
    threads = cluster.threads()
    run.workers = threads
    limit = window or max(16, 4 * threads)
    checked_at = time.perf_counter()

    def submit(ac) -> None:
        while queue and len(inflight) < limit:
            key, p = queue.pop()
            fut = client.submit(run_task, sweep.fn, p, key=f"{sweep.name}-{key[:20]}-{nonce}", pure=False)
            inflight[fut.key] = (fut, key)
            ac.add(fut)

    t0 = time.perf_counter()
    ac = as_completed(with_results=True, raise_errors=False)
    try:
        submit(ac)
        for fut, out in ac:
            _, key = inflight.pop(fut.key)
            if fut.status != "finished":
                name = type(out).__name__
                hint = (" (it was running on workers that died; out of memory?)" if name == "KilledWorker" else "")
                if isinstance(out, PrunecertError):
                    raise out
                raise SweepError(f"task {sweep.name} {_params_of(todo, key)} failed: {name}: {out}{hint}")
            if out["code"] != mine:
                raise SweepError(f"worker {out['worker']} runs different prunecert code ({out['code']} != {mine}); "
                                 "install the same version on every worker")
            record(key, out)
            del fut
            if time.perf_counter() - checked_at > 5:      # workers may come and go on a remote cluster
                threads = cluster.threads()
                run.workers = max(run.workers, threads)
                limit = window or max(16, 4 * threads)
                checked_at = time.perf_counter()
            submit(ac)
    except BaseException:
        try:
            client.cancel([f for f, _ in inflight.values()], force=True)
        except Exception:  # noqa: BLE001 - the cluster may already be gone
            pass
        raise
    finally:
        run.wall_seconds = time.perf_counter() - t0


def _params_of(todo, key) -> str:
    for k, p in todo:
        if k == key:
            return canonical(p)
    return key
