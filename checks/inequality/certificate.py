"""Certificates of the prover: JSON documents that :mod:`prunecert.checks.inequality.recheck` re-verifies.

Layout (format ``prunecert-inequality/1``)::

    {"format": "prunecert-inequality/1",
     "claim": "cos(t) <= 1 - t**2/2 + t**4/24", "lhs": ..., "op": "<=", "rhs": ...,
     "variables": ["t"], "box": {"t": ["0", "1"]},          # exact fraction strings
     "status": "PROVED" | "REFUTED", "method": ..., "prec": 53, "seed": 0,
     "seconds": ..., "boxes": ..., "versions": {...},
     "evidence": {...},                                      # see below
     "digest": "sha256 of the canonical JSON of everything else"}

``evidence`` is one of

* ``{"kind": "leaves", "leaves": [...], "touch_points": [...]}``: every leaf has ``box``
  (fraction strings per variable), ``method`` (plain/mvf/mono/taylor/touch) and the prover's
  enclosure of the margin ``g`` as ``[m, e, r, f]`` = ``m*2^e +/- r*2^f``; touch leaves name
  their touching point whose exact facts (point, orders of vanishing derivatives, sign
  derivative, neighbourhood) are listed in ``touch_points``;
* ``{"kind": "factor", "constant": c, "factors": [...]}``: ``g = c * prod h**e`` with a sign
  reason per factor (even power, exact PSD Gram matrix with LDL pivots, or a nested leaves
  proof of ``h >= 0``/``h <= 0``);
* ``{"kind": "witness", "witness": {var: fraction string}, "enclosure": [m, e, r, f]}``.

The digest detects accidental or careless edits; a deliberate forger can recompute it, so
:func:`prunecert.checks.inequality.recheck.recheck` re-verifies the content itself, independently of the prover.
"""
from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from pathlib import Path

from prunecert.checks.errors import CertificateError, InputError
from prunecert.checks.rigorous.numbers import fraction_to_str

FORMAT = "prunecert-inequality/1"

__all__ = ["FORMAT", "make_certificate", "digest", "canonical", "save", "load"]


def canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def digest(cert: dict) -> str:
    body = {k: v for k, v in cert.items() if k != "digest"}
    return hashlib.sha256(canonical(body).encode()).hexdigest()


def make_certificate(*, claim, lhs, op, rhs, names, box, status, method, prec, seconds, boxes,
                     body, versions, seed=0) -> dict:
    cert = {
        "format": FORMAT,
        "claim": claim,
        "lhs": lhs,
        "op": op,
        "rhs": rhs,
        "variables": list(names),
        "box": {n: [fraction_to_str(Fraction(lo)), fraction_to_str(Fraction(hi))] for n, (lo, hi) in zip(names, box)},
        "status": status,
        "method": method,
        "prec": prec,
        "seed": seed,
        "seconds": round(seconds, 6),
        "boxes": boxes,
        "versions": versions,
        "evidence": body,
    }
    cert["digest"] = digest(cert)
    return cert


def save(cert: dict, path) -> None:
    Path(path).write_text(json.dumps(cert, indent=1) + "\n")


def load(path, formats: tuple[str, ...] = (FORMAT,)) -> dict:
    """Read a certificate file whose ``format`` is one of ``formats`` (InputError otherwise)."""
    try:
        text = Path(path).read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read certificate {path}: {exc}") from None
    from prunecert.checks.rigorous.numbers import load_json
    cert = load_json(text, str(path))
    if not isinstance(cert, dict) or cert.get("format") not in formats:
        raise InputError(f"{path} is not a prunecert certificate (format one of {', '.join(formats)} expected)")
    return cert
