"""Dask preload for the worker processes of a LocalCluster started by a sweep.

Ctrl-C reaches every process of the terminal's process group.  The sweep's own process answers
it (cancels the tasks in flight, keeps the stored results, shuts the cluster down); the worker
processes ignore it, so they neither print tracebacks nor die before the cluster closes them.
"""
from __future__ import annotations

import signal
import threading


def dask_setup(worker) -> None:  # noqa: ARG001 - the Dask preload hook
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
