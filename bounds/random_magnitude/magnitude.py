"""Magnitude pruning of Uniform[-K, K] weights: exact moments and the pruned fraction.

For w ~ Uniform[-K, K] (density 1/(2K)) and a threshold 0 <= t <= K:

* P(|w| <= t) = t/K,
* E[w^2 1{|w| <= t}] = t^3/(3K)   (the expected squared magnitude removed per weight),

both exact sympy integrals (:func:`moments`).  For m i.i.d. weights the pruned fraction
``frac = #{i : |w_i| <= t}/m`` is a mean of m Bernoulli(t/K) variables, so Hoeffding's inequality
(Hoeffding 1963, Thm. 1 / Thm. 2 for bounded summands — a *literature* result) gives

    P(|frac - t/K| >= u) <= 2 exp(-2 m u^2)   for every u > 0.

The package does not prove Hoeffding in general; :func:`hoeffding_exact_check` decides it
exactly on a finite grid (exact binomial tails with Fractions vs. an outward-rounded arb
enclosure of 2 exp(-2 m u^2)).
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import comb
from typing import Iterable

import sympy as sp

from prunecert.checks.rigorous.arith import ball, compare3
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Tri
from prunecert.checks.rigorous.numbers import to_fraction

__all__ = ["moments", "moments_verified", "prune_probability", "removed_second_moment",
           "binomial_two_sided_tail", "hoeffding_exact_check", "hoeffding_bound_sympy"]

K, t, w = sp.symbols("K t w", positive=True)


def moments() -> dict[str, sp.Expr]:
    """Exact sympy integrals for w ~ Uniform[-K, K], 0 < t <= K."""
    dens = 1 / (2 * K)
    p = sp.integrate(dens, (w, -t, t))
    m2 = sp.integrate(w ** 2 * dens, (w, -t, t))
    full_m2 = sp.integrate(w ** 2 * dens, (w, -K, K))
    total = sp.integrate(dens, (w, -K, K))
    return {"total_mass": sp.simplify(total), "prune_probability": sp.simplify(p),
            "removed_second_moment": sp.simplify(m2), "second_moment": sp.simplify(full_m2)}


@lru_cache(maxsize=None)
def moments_verified() -> bool:
    """The integrals equal the stated closed forms exactly: mass 1, t/K, t^3/(3K), K^2/3."""
    m = moments()
    return (sp.simplify(m["total_mass"] - 1) == 0
            and sp.simplify(m["prune_probability"] - t / K) == 0
            and sp.simplify(m["removed_second_moment"] - t ** 3 / (3 * K)) == 0
            and sp.simplify(m["second_moment"] - K ** 2 / 3) == 0)


def _check_tk(tv, Kv) -> tuple[Fraction, Fraction]:
    tq, Kq = to_fraction(tv, "threshold t"), to_fraction(Kv, "range K")
    if not (Kq > 0 and 0 <= tq <= Kq):
        raise InputError(f"need K > 0 and 0 <= t <= K, got t={tq}, K={Kq}")
    return tq, Kq


def prune_probability(tv, Kv) -> Fraction:
    tq, Kq = _check_tk(tv, Kv)
    return tq / Kq


def removed_second_moment(tv, Kv) -> Fraction:
    tq, Kq = _check_tk(tv, Kv)
    return tq ** 3 / (3 * Kq)


def hoeffding_bound_sympy() -> sp.Expr:
    m, u = sp.symbols("m u", positive=True)
    return 2 * sp.exp(-2 * m * u ** 2)


def binomial_two_sided_tail(m: int, p: Fraction, u: Fraction) -> Fraction:
    """Exact P(|S/m - p| >= u) for S ~ Binomial(m, p)."""
    total = Fraction(0)
    q = 1 - p
    for s in range(m + 1):
        if abs(Fraction(s, m) - p) >= u:
            total += comb(m, s) * p ** s * q ** (m - s)
    return total


def hoeffding_exact_check(ms: Iterable[int], ps: Iterable, us: Iterable) -> dict:
    """Decide P(|S/m - p| >= u) <= 2 exp(-2 m u^2) exactly for every grid point.

    Returns {"ok": bool, "cases": n, "worst_ratio": float (tail / bound, for information),
    "counterexample": None or the first failing (m, p, u)} — a failure would be a refutation."""
    ps = [to_fraction(p, "p") for p in ps]
    us = [to_fraction(u, "u") for u in us]
    if any(not 0 <= p <= 1 for p in ps) or any(u <= 0 for u in us):
        raise InputError("need 0 <= p <= 1 and u > 0")
    cases, worst = 0, 0.0
    for m in ms:
        if m < 1:
            raise InputError("m must be positive")
        for u in us:
            bound = 2 * (-(2 * m * ball(u) * ball(u))).exp()
            for p in ps:
                tail = binomial_two_sided_tail(m, p, u)
                cases += 1
                verdict = compare3(ball(tail), "<=", bound)
                if verdict is not Tri.TRUE:
                    return {"ok": False, "cases": cases, "worst_ratio": worst,
                            "counterexample": {"m": m, "p": str(p), "u": str(u), "tail": str(tail),
                                               "verdict": verdict.value}}
                if tail:
                    worst = max(worst, float(tail) / float(bound.mid()))
    return {"ok": True, "cases": cases, "worst_ratio": worst, "counterexample": None}

