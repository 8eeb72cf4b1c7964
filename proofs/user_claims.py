"""Claims from outside the package: a user's Python module, a TOML claim file, or a package's
``prunecert.claims`` entry point.

Sources
-------
* ``path/to/claims.toml`` -- a claim file (schema: :mod:`prunecert.proofs.claim_file`);
* ``path/to/claims.py`` or an importable module name -- a module defining ``CLAIMS``, a list
  of :class:`~prunecert.proofs.registry.Claim` (or a function ``claims()`` returning one);
* an entry point in the group ``prunecert.claims`` of an installed distribution, e.g. in its
  ``pyproject.toml``::

      [project.entry-points."prunecert.claims"]
      mylemmas = "mylemmas.claims"          # a module with CLAIMS, a list, or a function

  The entry point's name is its namespace: every claim id it ships must start with
  ``mylemmas.``.  Entry points are discovered at run time by ``prunecert verify`` and
  ``prunecert blueprint``; one that cannot be loaded is reported (``verify --list`` shows
  the error) and skipped, never a crash of the run.

Isolation: user claims never replace shipped ones (a shipped id or namespace is an
InputError, exit 3); a check that raises is that claim's UNKNOWN with the message; a module that
hangs while loading is stopped after :data:`prunecert.proofs.user_modules.LOAD_TIMEOUT` seconds; ``prunecert verify --claims``
runs user checks in worker processes under a per-check time limit.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import sys
from pathlib import Path
from typing import Any, Iterable

from prunecert.checks.errors import InputError
from prunecert.proofs.registry import Claim
from prunecert.proofs import user_modules
from prunecert.proofs.user_modules import (  # noqa: F401 - re-exported for callers
    _describe, import_module, import_target, load_python_file, loaded_files, time_limit,
    worker_init)

ENTRY_POINT_GROUP = "prunecert.claims"
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)

@dataclasses.dataclass
class Source:
    """Claims loaded from one source: ``claims`` with ``origin`` (for messages and --list)."""

    origin: str
    claims: list[Claim]
    error: str | None = None           # set when the source could not be loaded (entry points only)
    kind: str = "file"                 # "file" | "module" | "entry point"


# ----------------------------------------------------------------------------- claims from objects

def resolve_proof(claim: Claim, base_dir: Path | None, origin: str) -> Claim:
    """The claim with ``proof`` resolved against ``base_dir`` (a file that must exist) or kept
    as a URL; InputError when the written argument it points to does not exist."""
    if claim.proof is None:
        return claim
    if not isinstance(claim.proof, str) or not claim.proof.strip():
        raise InputError(f"claim {claim.id!r} ({origin}): proof must be a file path[#anchor] or a URL")
    if _URL.match(claim.proof):
        return claim
    file, sep, anchor = claim.proof.partition("#")
    p = Path(file).expanduser()
    if not p.is_absolute():
        p = (base_dir or Path.cwd()) / p
    if not p.is_file():
        raise InputError(f"claim {claim.id!r} ({origin}): written proof {claim.proof!r} not found "
                         f"(looked for {p})")
    return dataclasses.replace(claim, proof=str(p.resolve()) + (sep + anchor if sep else ""))


def claims_from_object(obj: Any, origin: str) -> list[Claim]:
    """Claims from a module (its ``CLAIMS``, or its function ``claims()``), a list, or a function."""
    if hasattr(obj, "CLAIMS"):
        obj = obj.CLAIMS
    elif hasattr(obj, "claims") and callable(obj.claims):
        obj = obj.claims
    elif isinstance(obj, type(sys)):
        raise InputError(f"{origin}: the module defines no CLAIMS (a list of prunecert.Claim)")
    if callable(obj) and not isinstance(obj, Claim):
        try:
            with time_limit(user_modules.LOAD_TIMEOUT, origin):
                obj = obj()
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise InputError(f"{origin}: building the claims raised {_describe(exc)}") from None
    if isinstance(obj, Claim):
        obj = [obj]
    if isinstance(obj, (str, bytes)) or not isinstance(obj, Iterable):
        raise InputError(f"{origin}: expected a list of prunecert.Claim, got {type(obj).__name__}")
    out = list(obj)
    for c in out:
        if not isinstance(c, Claim):
            raise InputError(f"{origin}: expected prunecert.Claim objects, got {type(c).__name__}")
    return out


def load_source(source: str, known_ids: Iterable[str] = ()) -> Source:
    """Load the claims of one ``--claims`` source (TOML file, Python file, or module name)."""
    from prunecert.proofs.claim_file import load_claim_file

    src = str(source)
    p = Path(src).expanduser()
    if src.endswith(".toml"):
        if not p.is_file():
            raise InputError(f"--claims: claim file {src!r} not found")
        return Source(str(p), load_claim_file(p, known_ids=known_ids), kind="file")
    if src.endswith(".py") or p.is_file():
        if not p.is_file():
            raise InputError(f"--claims: file {src!r} not found")
        mod = load_python_file(p)
        base = p.resolve().parent
        claims = [resolve_proof(c, base, str(p)) for c in claims_from_object(mod, str(p))]
        return Source(str(p), claims, kind="file")
    if not re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_]\w*)*", src):
        raise InputError(f"--claims: {src!r} is neither a file (.toml, .py) nor a module name")
    mod = import_module(src)
    base = Path(mod.__file__).resolve().parent if getattr(mod, "__file__", None) else None
    claims = [resolve_proof(c, base, src) for c in claims_from_object(mod, f"module {src}")]
    return Source(f"module {src}", claims, kind="module")


def entry_point_sources() -> list[Source]:
    """Claims of every installed ``prunecert.claims`` entry point.  A broken one becomes a
    Source with ``error`` set (and no claims), never an exception."""
    from importlib.metadata import entry_points

    from prunecert.proofs.registry import shipped_namespaces

    out = []
    spaces = shipped_namespaces()
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        dist = getattr(getattr(ep, "dist", None), "name", None)
        origin = f"entry point {ep.name} = {ep.value}" + (f" ({dist})" if dist else "")
        try:
            if ep.name in spaces:
                raise InputError(f"namespace {ep.name!r} belongs to the shipped claims")
            try:
                with time_limit(user_modules.LOAD_TIMEOUT, origin):
                    obj = ep.load()
            except InputError:
                raise
            except Exception as exc:  # noqa: BLE001 - a broken plug-in is reported, not fatal
                raise InputError(f"cannot load: {_describe(exc)}") from None
            if isinstance(obj, (str, os.PathLike)) and str(obj).endswith(".toml"):
                from prunecert.proofs.claim_file import load_claim_file

                claims = load_claim_file(Path(obj))
            else:
                mod = sys.modules.get(getattr(obj, "__module__", "") or "") if not isinstance(obj, type(sys)) else obj
                base = Path(mod.__file__).resolve().parent if getattr(mod, "__file__", None) else None
                claims = [resolve_proof(c, base, origin) for c in claims_from_object(obj, origin)]
            bad = [c.id for c in claims if not str(c.id).startswith(ep.name + ".")]
            if bad:
                raise InputError(f"claim id(s) {', '.join(map(repr, bad[:3]))} outside the entry point's "
                                 f"namespace {ep.name + '.'!r}")
            out.append(Source(origin, claims, kind="entry point"))
        except InputError as exc:
            out.append(Source(origin, [], error=str(exc), kind="entry point"))
    return out


def gather(sources: Iterable[str] = (), *, entry_points: bool = True) -> tuple[list[Source], list[Source]]:
    """(loaded sources, broken entry points): the ``--claims`` sources (an error in one of them
    is an InputError) and, with ``entry_points``, every installed entry point."""
    from prunecert.proofs.registry import shipped_claims

    loaded: list[Source] = []
    broken: list[Source] = []
    known = set(shipped_claims())
    if entry_points:
        for s in entry_point_sources():
            (broken if s.error else loaded).append(s)
            known |= {c.id for c in s.claims}
    for src in sources:
        s = load_source(src, known_ids=known)
        loaded.append(s)
        known |= {c.id for c in s.claims}
    return loaded, broken


@contextlib.contextmanager
def using(sources: Iterable[Source]):
    """Install the claims of ``sources`` in the registry for the duration of the block."""
    from prunecert.proofs.registry import extra_claims

    claims, origins = [], {}
    for s in sources:
        for c in s.claims:
            claims.append(c)
            if isinstance(c.id, str):
                origins.setdefault(c.id, s.origin)
    with extra_claims(claims, origins) as new:
        yield new


def verify(claims: Iterable[Claim] | str, ids: Iterable[str] | None = None, *, slow: bool = False,
           jobs: int = 1, timeout: float | None = None):
    """Evaluate user claims (a list of Claim, or a ``--claims`` source: file or module name)
    together with the shipped registry; returns {id: ClaimStatus} for the requested claims
    (default: all the given ones) and their dependencies.

    >>> import prunecert
    >>> c = prunecert.Claim("doc.amgm", "AM-GM for two numbers", "x^2 + y^2 >= 2xy", source="new",
    ...     checks=(prunecert.prove_inequality("x**2 + y**2 >= 2*x*y", {"x": (-1, 1), "y": (-1, 1)}),))
    >>> st = verify([c])["doc.amgm"]
    >>> st.level.value, st.reason
    ('UNKNOWN', 'all leaves checked, but no written glue argument (proof=...)')
    """
    from prunecert.proofs.parallel import make_runner
    from prunecert.proofs.registry import evaluate

    if isinstance(claims, (str, os.PathLike)):
        src = load_source(str(claims))
    else:
        claims = list(claims)
        src = Source("Python", [resolve_proof(c, None, "Python") if isinstance(c, Claim) else c for c in claims],
                     kind="module")
    with using([src]) as new:
        want = list(ids) if ids is not None else list(new)
        runner = make_runner(jobs, timeout=timeout, initializer=worker_init, initargs=(loaded_files(),))
        return evaluate(want, slow=slow, runner=runner)


def load_claims(source: str | os.PathLike) -> list[Claim]:
    """The claims of a claim file (``.toml``), a Python file, or an importable module name."""
    return load_source(str(source)).claims
