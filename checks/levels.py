"""Evidence levels and three-valued truth.

``Level`` is what a claim (or a check) reports; ``Tri`` is the result of a rigorous
comparison: TRUE (certainly), FALSE (certainly not) or UNDECIDED.
"""
from __future__ import annotations

import enum


class Tri(enum.Enum):
    TRUE = "TRUE"
    FALSE = "FALSE"
    UNDECIDED = "UNDECIDED"

    def __bool__(self) -> bool:  # never let a Tri silently act as a bool
        raise TypeError("Tri is three-valued; compare with Tri.TRUE / Tri.FALSE explicitly")

    def __and__(self, other: "Tri") -> "Tri":
        if self is Tri.FALSE or other is Tri.FALSE:
            return Tri.FALSE
        if self is Tri.TRUE and other is Tri.TRUE:
            return Tri.TRUE
        return Tri.UNDECIDED

    def __or__(self, other: "Tri") -> "Tri":
        if self is Tri.TRUE or other is Tri.TRUE:
            return Tri.TRUE
        if self is Tri.FALSE and other is Tri.FALSE:
            return Tri.FALSE
        return Tri.UNDECIDED

    def __invert__(self) -> "Tri":
        return {Tri.TRUE: Tri.FALSE, Tri.FALSE: Tri.TRUE}.get(self, Tri.UNDECIDED)


class Level(enum.Enum):
    """Evidence level of a claim or check result (see the developers' guide)."""

    PROVED = "PROVED"      # every leaf machine-checked, glue argument written in docs
    CHECKED = "CHECKED"    # decided exactly on stated finite instances
    EVIDENCE = "EVIDENCE"  # statistical, with a confidence bound
    CLAIMED = "CLAIMED"    # from a paper, not (yet) checked
    REFUTED = "REFUTED"    # a counterexample exists (and is recorded)
    UNKNOWN = "UNKNOWN"    # nothing decided (budget ran out, or no check)

    @property
    def strength(self) -> int:
        """Order of support for the statement; REFUTED is handled separately."""
        return _STRENGTH[self]


_STRENGTH = {
    Level.PROVED: 5,
    Level.CHECKED: 4,
    Level.EVIDENCE: 3,
    Level.CLAIMED: 2,
    Level.UNKNOWN: 1,
    Level.REFUTED: 0,
}


def weakest(levels) -> Level:
    """The weakest of some support levels (REFUTED wins; empty -> PROVED, the neutral element)."""
    levels = list(levels)
    if not levels:
        return Level.PROVED
    return min(levels, key=lambda lv: lv.strength)
