"""Tasks: a named pure function of JSON parameters, its key, and its code version.

The key of a task is ``sha256(sweep name, canonical JSON of the parameters, code version)``.
The code version hashes the source of the engines and the mathematics (every ``.py`` file of
``prunecert.checks`` and ``prunecert.bounds``) and the file that defines the task function, so a
stored result is reused only by the code that computed it: an edited solver recomputes, an
edited table renderer does not.
"""
from __future__ import annotations

import functools
import hashlib
import inspect
import json
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

__all__ = ["Sweep", "canonical", "code_version", "package_code_version", "run_task"]


def _default(obj):
    import numpy as np

    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"a sweep task must return JSON data; got {type(obj).__name__}")


def canonical(obj: Any) -> str:
    """The one JSON text of ``obj`` (sorted keys, no spaces): what keys hash and the store holds."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=_default)


@functools.cache
def package_code_version() -> str:
    """Hash of every source file of the engines and the mathematics (relative path and bytes).

    The engines (this layer) must not import the mathematics above them, so the mathematics'
    folder is found beside the engines' folder (``checks/`` and ``bounds/`` are siblings both in
    a checkout and in an installed ``prunecert/``), without importing it."""
    checks_root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for name, root in (("checks", checks_root), ("bounds", checks_root.parent / "bounds")):
        if not root.is_dir():
            raise RuntimeError(f"cannot find the package's {name}/ folder beside {checks_root}")
        for f in sorted(root.rglob("*.py")):
            h.update(f"prunecert.{name}/{f.relative_to(root).as_posix()}\0".encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _file_version(fn: Callable) -> str:
    try:
        src = inspect.getsourcefile(fn)
    except TypeError:
        src = None
    h = hashlib.sha256(f"{getattr(fn, '__qualname__', fn)!s}\0".encode())
    if src and os.path.exists(src):
        h.update(Path(src).read_bytes())
    return h.hexdigest()[:16]


def code_version(fn: Callable) -> str:
    """Version of the code a task of ``fn`` runs: the package hash and the file defining ``fn``."""
    return f"{package_code_version()}-{_file_version(fn)}"


@dataclass(frozen=True)
class Sweep:
    """``name`` (part of every key, e.g. ``"gap"``) and ``fn``, a pure function called as
    ``fn(**params)`` that returns JSON data.  ``fn`` must be importable by the workers (a
    module-level function of an installed module; a script's function is sent by value)."""

    name: str
    fn: Callable[..., Any]

    @functools.cached_property
    def code(self) -> str:
        return code_version(self.fn)

    def key(self, params: dict) -> str:
        text = canonical({"sweep": self.name, "params": params, "code": self.code})
        return hashlib.sha256(text.encode()).hexdigest()


# python-flint's precision is process-global and a worker may run several threads: one task at a
# time per process, each at the default precision (so no task sees another's precision).
_ONE_AT_A_TIME = threading.Lock()


def run_task(fn: Callable[..., Any], params: dict) -> dict:
    """Run one task (in a worker or in this process); returns its result as canonical JSON text,
    the seconds it took (wall and this process's CPU), where it ran, and the worker's package code
    version."""
    from prunecert.checks.rigorous.arith import workprec

    with _ONE_AT_A_TIME, workprec(53):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn(**params)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"result": canonical(result), "seconds": secs, "cpu_seconds": cpu,
            "worker": f"{socket.gethostname()}:{os.getpid()}", "code": package_code_version()}
