"""Loading users' Python code for their claims: modules by name, files by path, ``module:attr``
targets, all under a time limit, and the worker-process initializer that re-loads file modules
(so that check functions defined in them unpickle).

This module imports nothing else of :mod:`prunecert.proofs`: the claim builders and the claim
loaders both use it, without an import cycle between them.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import os
import re
import signal
import sys
import threading
from pathlib import Path

from prunecert.checks.errors import InputError

LOAD_TIMEOUT = 30.0          # seconds allowed for importing one user module

# module name -> file, for modules loaded from a path (worker processes re-load them)
_FILE_MODULES: dict[str, str] = {}


class _LoadTimeout(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float, what: str):
    """Raise InputError if the block runs longer than ``seconds`` (main thread, POSIX only;
    elsewhere no limit is applied)."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise _LoadTimeout()

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _LoadTimeout:
        raise InputError(f"{what}: still running after {seconds:g} s (hangs while loading?)") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _describe(exc: BaseException) -> str:
    import traceback

    return traceback.format_exception_only(type(exc), exc)[-1].strip()


def _module_name_for(path: Path) -> str:
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
    stem = re.sub(r"\W", "_", path.stem) or "claims"
    return f"prunecert_user_{stem}_{digest}"


def _exec_file_module(name: str, path: str):
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise InputError(f"{path}: cannot be loaded as a Python module")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    try:
        spec.loader.exec_module(mod)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return mod


def load_python_file(path: str | Path):
    """Import a Python file as a module (under a private, stable name); InputError on failure."""
    path = Path(path).resolve()
    name = _module_name_for(path)
    if name in sys.modules:
        return sys.modules[name]
    try:
        with time_limit(LOAD_TIMEOUT, f"loading {path}"):
            mod = _exec_file_module(name, str(path))
    except InputError:
        raise
    except BaseException as exc:  # noqa: BLE001 - a broken user module is bad input, never a traceback
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise InputError(f"cannot load claims from {path}: {_describe(exc)}") from None
    _FILE_MODULES[name] = str(path)
    return mod


def import_module(name: str):
    """Import a module by name (the current directory on the path, like ``python -m``)."""
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        with time_limit(LOAD_TIMEOUT, f"importing {name}"):
            return importlib.import_module(name)
    except InputError:
        raise
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise InputError(f"cannot import claims module {name!r}: {_describe(exc)}") from None


def import_target(target: str, base_dir: str | None = None):
    """``"module:attr"`` or ``"file.py:attr"`` (relative to ``base_dir``) -> the object."""
    mod_part, _, attr = target.partition(":")
    if mod_part.endswith(".py"):
        p = Path(mod_part)
        if not p.is_absolute() and base_dir:
            p = Path(base_dir) / p
        mod = load_python_file(p)
    else:
        mod = import_module(mod_part)
    obj = mod
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise InputError(f"{target}: {mod_part} has no attribute {attr!r}") from None
    return obj


def worker_init(files: dict[str, str]) -> None:
    """Initializer of a worker process: load the user modules that were loaded from files
    under the same names, so that their check functions unpickle."""
    for name, path in files.items():
        if name not in sys.modules:
            _exec_file_module(name, path)


def loaded_files() -> dict[str, str]:
    return dict(_FILE_MODULES)
