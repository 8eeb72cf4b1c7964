"""Hypotheses as code: a readable text next to a predicate over named parameters.

A :class:`Hypothesis` is what a theorem assumes about its parameters (``"d >= 2"``,
``"0 < eps <= 1/4"``).  The predicate is decided exactly: numbers are read with
:func:`prunecert.checks.rigorous.numbers.to_fraction` (no floats in comparisons), integers must be
integers.  :func:`require` raises :class:`HypothesisError` (an :class:`InputError`, so the CLI
answers exit 3) naming the first violated hypothesis, before any number backed by the theorem is
computed.  Model assumptions that are not statements about parameters (``u_i ~ N(0, I_d)``) stay
readable text on the claim; the calculators report the model they compute in.

This module knows nothing about pruning: it is the engine half of "hypotheses are code".
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Iterable

from prunecert.checks.errors import InputError
from prunecert.checks.rigorous.numbers import to_fraction

__all__ = ["Hypothesis", "HypothesisError", "require", "violated", "exact_int", "exact_number"]


class HypothesisError(InputError):
    """Parameters outside a theorem's hypotheses: the theorem says nothing there."""


def exact_number(value, name: str) -> Fraction:
    return to_fraction(value, name)


def exact_int(value, name: str) -> int:
    if isinstance(value, bool):
        raise InputError(f"{name}: expected an integer, got a boolean")
    if isinstance(value, int):
        return value
    q = to_fraction(value, name)
    if q.denominator != 1:
        raise InputError(f"{name} must be an integer, got {value!r}")
    return int(q)


@dataclass(frozen=True)
class Hypothesis:
    """``text`` is the readable form; ``holds(**params)`` decides it exactly (True/False) for the
    parameters named in ``params`` (the values are read by ``exact_number`` / ``exact_int`` before
    the predicate sees them, per ``integers``)."""

    text: str
    params: tuple[str, ...]
    holds: Callable[..., bool]
    integers: tuple[str, ...] = ()

    def decide(self, values: dict) -> bool:
        args = {}
        for p in self.params:
            if p not in values:
                raise InputError(f"hypothesis {self.text!r} needs parameter {p!r}")
            v = values[p]
            args[p] = exact_int(v, p) if p in self.integers else exact_number(v, p)
        return bool(self.holds(**args))


def violated(hyps: Iterable[Hypothesis], values: dict) -> list[Hypothesis]:
    """The hypotheses of ``hyps`` that fail for ``values`` (those whose parameters are all given)."""
    out = []
    for h in hyps:
        if all(p in values for p in h.params) and not h.decide(values):
            out.append(h)
    return out


def require(hyps: Iterable[Hypothesis], claim_id: str, **values) -> None:
    """Raise HypothesisError naming the first hypothesis of ``claim_id`` violated by ``values``.
    Every hypothesis whose parameters are all present is decided; the others are skipped (a
    calculator passes every parameter its claim's hypotheses name)."""
    bad = violated(hyps, values)
    if bad:
        h = bad[0]
        shown = ", ".join(f"{p} = {values[p]}" for p in h.params)
        raise HypothesisError(f"outside the hypotheses of {claim_id}: needs {h.text} (got {shown}); "
                              "the theorem says nothing there")
