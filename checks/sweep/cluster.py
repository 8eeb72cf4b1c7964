"""Where a sweep runs: in this process, on a Dask LocalCluster, or on an existing Dask cluster.

``ExecSpec.from_options(workers, scheduler, serial)`` reads the command-line choice (and the
environment variable ``PRUNECERT_SCHEDULER``): ``serial`` or ``workers == 0`` runs in this
process; a scheduler address connects to that cluster; otherwise a ``LocalCluster`` of worker
processes (one thread each) is started, ``workers`` of them (default: the number of cores).

Dask's own logging is turned off (critical messages only): the sweep reports progress and task
failures itself, and a lost worker (its tasks retried by the scheduler) or a result gathered
twice is not an error of the sweep.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from prunecert.checks.errors import InputError

__all__ = ["ENV_SCHEDULER", "ExecSpec", "Cluster"]

ENV_SCHEDULER = "PRUNECERT_SCHEDULER"


@dataclass(frozen=True)
class ExecSpec:
    mode: str                       # "serial" | "local" | "remote"
    workers: int | None = None      # local: worker processes (None = number of cores)
    address: str | None = None      # remote: the scheduler, e.g. tcp://10.0.0.5:8786
    connect_timeout: float = 20.0

    def __post_init__(self):
        if self.mode not in ("serial", "local", "remote"):
            raise InputError(f"unknown execution mode {self.mode!r}")
        if self.mode == "remote" and not self.address:
            raise InputError("a remote cluster needs a scheduler address")
        if self.workers is not None and (isinstance(self.workers, bool) or self.workers < 1):
            raise InputError(f"--workers must be a positive integer (0: run in this process), got {self.workers!r}")

    @classmethod
    def from_options(cls, workers: int | None = None, scheduler: str | None = None,
                     serial: bool = False) -> "ExecSpec":
        if workers is not None and workers < 0:
            raise InputError(f"--workers must be >= 0, got {workers}")
        if scheduler is not None and (serial or workers is not None):
            raise InputError("give --scheduler, or --workers/--serial, not both")
        if serial or workers == 0:
            return cls("serial")
        if workers is not None:
            return cls("local", workers=workers)
        address = scheduler or os.environ.get(ENV_SCHEDULER) or None
        if address:
            return cls("remote", address=address.strip())
        return cls("local")

    def describe(self) -> str:
        if self.mode == "serial":
            return "in this process"
        if self.mode == "remote":
            return f"Dask cluster at {self.address}"
        return f"Dask LocalCluster, {self.workers or os.cpu_count()} worker processes"


def _quiet_dask() -> None:
    import dask

    for name in ("distributed", "distributed.client", "distributed.scheduler", "distributed.nanny",
                 "distributed.worker", "distributed.core", "distributed.comm", "bokeh", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    dask.config.set({"distributed.logging.distributed": "critical",
                     "distributed.admin.tick.limit": "1h",        # no "event loop unresponsive" warnings
                     "distributed.worker.daemon": False})


class Cluster:
    """Context manager: a connected ``distributed.Client`` (and the LocalCluster it started)."""

    def __init__(self, spec: ExecSpec, max_workers: int | None = None):
        if spec.mode == "serial":
            raise ValueError("a serial ExecSpec has no cluster")
        self.spec = spec
        self.max_workers = max_workers
        self.client = None
        self._local = None

    def __enter__(self) -> "Cluster":
        _quiet_dask()
        from distributed import Client, LocalCluster

        try:
            if self.spec.mode == "local":
                n = self.spec.workers or os.cpu_count() or 1
                if self.max_workers is not None:
                    n = max(1, min(n, self.max_workers))
                self._local = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=":0" if _has_bokeh() else None,
                                           silence_logs=logging.CRITICAL,
                                           preload=["prunecert.checks.sweep.worker_setup"])
                self.client = Client(self._local)
            else:
                self.client = Client(self.spec.address, timeout=self.spec.connect_timeout)
        except OSError as exc:
            self.__exit__(None, None, None)
            raise InputError(f"cannot reach the Dask scheduler {self.spec.address}: {exc}") from None
        return self

    def __exit__(self, *exc) -> None:
        for obj in (self.client, self._local):
            if obj is not None:
                try:
                    obj.close(timeout=10) if obj is self.client else obj.close()
                except Exception:  # noqa: BLE001 - closing a cluster that is going down anyway
                    pass
        self.client = self._local = None

    def threads(self) -> int:
        """Total worker threads now (at least 1)."""
        return max(1, sum(self.client.nthreads().values()))

    def dashboard(self) -> str | None:
        """The dashboard address, or None when no dashboard is served."""
        info = self.client.scheduler_info()
        if "dashboard" not in info.get("services", {}):
            return None
        if self._local is not None and not _has_bokeh():
            return None
        return self.client.dashboard_link

    def describe(self) -> str:
        n = len(self.client.scheduler_info().get("workers", {}))
        kind = "LocalCluster" if self._local is not None else f"cluster at {self.spec.address}"
        return f"Dask {kind}: {n} workers, {self.threads()} threads"


def _has_bokeh() -> bool:
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return False
    return True
