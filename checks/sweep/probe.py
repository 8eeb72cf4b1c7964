"""Tiny tasks for testing and measuring the sweep machinery itself (no mathematics)."""
from __future__ import annotations

import os
import time


def square(i: int) -> dict:
    return {"i": i, "square": i * i}


def spin(i: int, seconds: float) -> dict:
    """Busy for ``seconds`` of CPU (not sleep: the benchmark measures compute throughput);
    the result is a deterministic function of ``i`` only."""
    t_end = time.process_time() + seconds
    x = 0
    while time.process_time() < t_end:
        x += 1
    return {"i": i, "value": (i * 2654435761) % 1000003}


def die_once(i: int, seconds: float, marker: str, log: str, victim: int) -> dict:
    """Like :func:`spin`, but the task ``i == victim`` kills its own worker process the first time
    it runs (it leaves ``marker`` behind, so its rerun completes).  Every run appends
    ``"<i> <pid>"`` to ``log``."""
    with open(log, "a") as fh:
        fh.write(f"{i} {os.getpid()}\n")
    time.sleep(seconds)
    if i == victim and not os.path.exists(marker):
        with open(marker, "w") as fh:
            fh.write(str(os.getpid()))
        os._exit(17)
    return {"i": i, "value": (i * 2654435761) % 1000003}
