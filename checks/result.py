"""The result object every check returns (checks never print)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from prunecert.checks.levels import Level


@dataclass
class CheckResult:
    """Outcome of one check.

    level: PROVED (rigorous proof of the check's statement), CHECKED (decided exactly on
        the stated finite instances), EVIDENCE (statistical; put the confidence bound in
        ``data``), REFUTED (put the counterexample in ``witness``), UNKNOWN (budget or
        undecided).  Checks never return CLAIMED.
    method: short name of the engine/method used ("arb-bnb", "sympy-identity", "z3+exact", ...).
    certificate: JSON-able certificate that ``prunecert recheck`` can re-verify, if any.
    """

    level: Level
    method: str
    seconds: float = 0.0
    detail: str = ""
    witness: dict[str, Any] | None = None
    certificate: dict[str, Any] | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = {
            "level": self.level.value,
            "method": self.method,
            "seconds": round(self.seconds, 6),
            "detail": self.detail,
        }
        if self.witness is not None:
            out["witness"] = self.witness
        if self.data:
            out["data"] = self.data
        if self.certificate is not None:
            out["certificate"] = self.certificate
        return out


class Timer:
    """``with Timer() as t: ...; t.seconds``"""

    def __enter__(self):
        self._t0 = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._t0
        return False
