"""Nearest-sample matching: the probability that none of N random candidates is near a target.

Lemma (docs/seed002-random-magnitude-pruning.md#matching).  Let c_1..c_N be i.i.d. real random
variables, w a fixed real, eta > 0, and suppose the law of c_a has a density >= p0 on
[w - eta, w + eta].  Then

    P(min_a |c_a - w| > eta) = (1 - q)^N <= (1 - 2 eta p0)^N <= exp(-2 eta p0 N),

with q = P(|c_1 - w| <= eta) >= 2 eta p0 (so 0 <= 1 - q <= 1 - 2 eta p0).  Leaves checked here:
the exact product formula on instances (:func:`failure_probability_exact`), and
1 - a <= exp(-a) for all real a (:func:`one_minus_le_exp`, an exact convexity argument by sympy).

Window masses used by the package's pruning theorems (candidates Uniform[-K, K]):

* :func:`window_mass` — exact P(|c - w| <= eta and |c| > t) for c ~ Uniform[-K, K];
* :func:`window_lower_bound_proof` — for eta <= |w| <= 1 <= K - eta and 0 <= t <= eta the mass is
  >= (2 eta - t)/(2K) (exact cone proof).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from prunecert.checks.rigorous.arith import ball, compare3
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Tri
from prunecert.checks.rigorous.numbers import to_fraction

__all__ = ["failure_probability_exact", "one_minus_le_exp", "window_mass", "window_lower_bound_proof",
           "matching_check_instances", "nearest_distance_sample"]


def one_minus_le_exp() -> dict:
    """Exact proof of exp(-a) - 1 + a >= 0 for all real a.

    f(a) = exp(-a) - 1 + a has f(0) = 0, f'(0) = 0 and f''(a) = exp(-a) > 0 for every real a;
    by Taylor's theorem with Lagrange remainder f(a) = f''(xi) a^2 / 2 >= 0.  sympy decides the
    three facts symbolically."""
    a = sp.Symbol("a", real=True)
    f = sp.exp(-a) - 1 + a
    f0 = sp.simplify(f.subs(a, 0))
    f1 = sp.simplify(sp.diff(f, a).subs(a, 0))
    f2 = sp.diff(f, a, 2)
    ok = (f0 == 0) and (f1 == 0) and (f2.is_positive is True)
    return {"ok": bool(ok), "f(0)": str(f0), "f'(0)": str(f1), "f''": str(f2),
            "f'' positive": f2.is_positive}


def failure_probability_exact(N: int, q) -> Fraction:
    """(1 - q)^N: the exact probability that none of N independent candidates, each within eta of
    w with probability q, is within eta of w."""
    qq = to_fraction(q, "q")
    if not 0 <= qq <= 1 or N < 0:
        raise InputError("need 0 <= q <= 1 and N >= 0")
    return (1 - qq) ** N


def window_mass(w, eta, K, t=0) -> Fraction:
    """Exact P(|c - w| <= eta and |c| > t) for c ~ Uniform[-K, K] (length / 2K)."""
    wq, eq, Kq, tq = (to_fraction(v, n) for v, n in ((w, "w"), (eta, "eta"), (K, "K"), (t, "t")))
    if eq <= 0 or Kq <= 0 or tq < 0:
        raise InputError("need eta > 0, K > 0, t >= 0")
    lo, hi = max(wq - eq, -Kq), min(wq + eq, Kq)
    length = max(Fraction(0), hi - lo)
    # remove the overlap with [-t, t]
    olo, ohi = max(lo, -tq), min(hi, tq)
    if ohi > olo:
        length -= ohi - olo
    return length / (2 * Kq)


def window_lower_bound_proof() -> dict:
    """Exact proof: if eta <= w, w + eta <= K and 0 <= t <= eta then
    length([w - eta, w + eta] minus [-t, t]) >= 2 eta - t (w <= -eta is the mirror image).

    Parametrise the cone t = r, eta = r + s, w = eta + p, K = w + eta + k with r, s, p, k >= 0;
    the overlap of the window with [-t, t] is Max(0, Min(w + eta, t) - Max(w - eta, -t)); sympy
    evaluates it branch-free on the cone and decides t - overlap >= 0."""
    r, s, p, k = sp.symbols("r s p k", nonnegative=True)
    tt = r
    eta = r + s
    w = eta + p
    overlap = sp.Max(0, sp.Min(w + eta, tt) - sp.Max(w - eta, -tt))
    slack = sp.simplify(tt - overlap)   # window length is exactly 2 eta (inside [-K, K])
    # the remaining Max compares r and p: split the cone once more (r = p + x, or p = r + x)
    x = sp.Symbol("x", nonnegative=True)
    pieces = [sp.simplify(slack.subs(r, p + x)), sp.simplify(slack.subs(p, r + x))]
    ok = all(e.is_nonnegative is True for e in pieces)
    return {"ok": bool(ok), "slack": str(slack), "pieces": [str(e) for e in pieces]}


def matching_check_instances(cases) -> dict:
    """For (N, w, eta, K, t) cases: exact failure probability (1 - window_mass)^N against
    (1 - (2 eta - t)/(2K))^N (exact) and against exp(-(2 eta - t) N/(2K)) (arb), where the lemma's
    hypotheses eta <= |w| <= K - eta, 0 <= t <= eta hold.  Decided exactly; returns ok flag."""
    n = 0
    for (N, w, eta, K, t) in cases:
        wq, eq, Kq, tq = (to_fraction(v) for v in (w, eta, K, t))
        if not (eq <= abs(wq) <= Kq - eq and 0 <= tq <= eq):
            raise InputError(f"case outside the lemma's hypotheses: {(N, w, eta, K, t)}")
        q = window_mass(wq, eq, Kq, tq)
        q0 = (2 * eq - tq) / (2 * Kq)
        exact = failure_probability_exact(N, q)
        if not (q >= q0 and exact <= (1 - q0) ** N):
            return {"ok": False, "counterexample": {"N": N, "w": str(wq), "eta": str(eq), "K": str(Kq),
                                                    "t": str(tq), "q": str(q)}}
        if compare3(ball(exact), "<=", (-(ball(q0) * N)).exp()) is not Tri.TRUE:
            return {"ok": False, "counterexample": {"N": N, "w": str(wq), "exp_step": "undecided"}}
        n += 1
    return {"ok": True, "cases": n}


def nearest_distance_sample(w: np.ndarray, n_kept: np.ndarray, K: float, t: float,
                            rng: np.random.Generator, iters: int = 52) -> np.ndarray:
    """Exact-in-law sample of the kept candidate nearest to each w (float; Monte Carlo only).

    Candidates are i.i.d. Uniform on S = [-K, K] minus [-t, t]; ``n_kept[i]`` of them survive for
    target ``w[i]``.  With G(r) = P(|c - w| <= r | c in S), P(D > r) = (1 - G(r))^n, so
    D = G^{-1}(1 - U^{1/n}) (bisection, G piecewise linear), and the side (w + D or w - D) is
    drawn proportionally to the density of S there.  Where n = 0 returns NaN."""
    w = np.asarray(w, dtype=float)
    n = np.asarray(n_kept, dtype=float)
    mass_S = 2.0 * (K - t)

    def G(r):
        lo = np.maximum(w - r, -K)
        hi = np.minimum(w + r, K)
        length = np.maximum(hi - lo, 0.0)
        olo = np.maximum(lo, -t)
        ohi = np.minimum(hi, t)
        length = length - np.maximum(ohi - olo, 0.0)
        return length / mass_S

    U = rng.random(w.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        target = -np.expm1(np.log(U) / np.where(n > 0, n, 1.0))   # 1 - U^(1/n)
    lo = np.zeros_like(w)
    hi = np.full_like(w, 2.0 * K + 2.0 * np.abs(w).max() + 1.0)
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        below = G(mid) < target
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    d = hi
    plus = w + d
    minus = w - d
    in_plus = (np.abs(plus) <= K) & (np.abs(plus) > t)
    in_minus = (np.abs(minus) <= K) & (np.abs(minus) > t)
    both = in_plus & in_minus
    coin = rng.random(w.shape) < 0.5
    choose_plus = np.where(both, coin, in_plus)
    out = np.where(choose_plus, plus, minus)
    return np.where(n > 0, out, np.nan)
