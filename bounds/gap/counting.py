"""Counting lower bound for weight pruning (after Pensia et al. 2020, Thm 2), proved in
docs/weight-pruning.md#counting.

**Separation lemma.**  For w, w' in R^d:  sup_{x in B^d} |relu(<w,x>) - relu(<w',x>)| >= ||w - w'||_2 / 2,
and the constant 1/2 is sharp (w' = -w).  Proof: with x = (w - w')/||w - w'|| and a = <w,x>, b = <w',x>,
(relu(a) - relu(b)) - (relu(-a) - relu(-b)) = a - b = ||w - w'|| since relu(t) - relu(-t) = t; one of the
two differences (the values at x and -x) is >= ||w - w'||/2 in absolute value.

**Counting bound.**  A fixed network of width n on R^d has n d + n prunable weights, hence at most
2^{n(d+1)} weight-pruned networks.  If every f_w with w in a set P of targets that are pairwise more than
4 eps apart is eps-approximated by some pruned network, one mask cannot serve two of them (it would put
||f_w - f_w'|| <= 2 eps < ||w - w'||/2), so 2^{n(d+1)} >= |P|.  A maximal set of points of B^d with pairwise
distances > 4 eps is a 4 eps-covering, so |P| >= (1/(4 eps))^d by volume.  Serving a fraction p of P
needs 2^{n(d+1)} >= p (1/(4 eps))^d, i.e.

    n >= (d log2(1/(4 eps)) + log2 p) / (d + 1)     -- Omega(log(1/eps)) for every d.
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from prunecert.checks.errors import InputError
from prunecert.checks.hypotheses import Hypothesis, require
from prunecert.checks.rigorous.numbers import to_fraction

__all__ = ["COUNTING_ID", "COUNTING_HYPOTHESES", "weight_pruning_lower_width", "lower_width_formula", "counting_equivalence", "CONSTANTS"]

eps, d, p = sp.symbols("eps d p", positive=True)

COUNTING_ID = "gap.upper.counting_lower"
COUNTING_HYPOTHESES = (
    Hypothesis("d >= 1", ("d",), lambda d: d >= 1, integers=("d",)),
    Hypothesis("eps > 0", ("eps",), lambda eps: eps > 0),
    Hypothesis("0 < p <= 1", ("p",), lambda p: 0 < p <= 1),
)


def lower_width_formula() -> sp.Expr:
    return (d * sp.log(1 / (4 * eps), 2) + sp.log(p, 2)) / (d + 1)


def weight_pruning_lower_width(eps_, d_, p_=1) -> int:
    """The smallest integer n with 2^{n(d+1)} >= p (1/(4 eps))^d, decided exactly in rationals
    (2^{n(d+1)} (4 eps)^d >= p).  Every width below it fails to serve a fraction p of the packing."""
    require(COUNTING_HYPOTHESES, COUNTING_ID, d=d_, eps=eps_, p=p_)
    e = to_fraction(eps_, "eps")
    pq = to_fraction(p_, "p")
    if e <= 0:
        raise InputError("eps must be > 0")
    if not (0 < pq <= 1):
        raise InputError("p must be in (0, 1]")
    if not isinstance(d_, int) or isinstance(d_, bool) or d_ < 1:
        raise InputError("d must be an integer >= 1")
    n = 0
    while Fraction(2) ** (n * (d_ + 1)) * (4 * e) ** d_ < pq:
        n += 1
    return n


def counting_equivalence() -> dict:
    """The counting step as a symbolic statement, checked by sympy for every real n and all
    eps, d, p > 0 (no grid):

    (a) log2(2^{n(d+1)} (4 eps)^d / p) = n(d+1) - (d log2(1/(4 eps)) + log2 p)   (identity);
    (b) d/dx log2 x = 1/(x ln 2) > 0, so log2 is strictly increasing on (0, oo) and
        2^{n(d+1)} >= p (1/(4 eps))^d  <=>  2^{n(d+1)} (4 eps)^d / p >= 1  <=>  n(d+1) >= d log2(1/(4 eps)) + log2 p;
    (c) (1/(4 eps))^d (4 eps)^d = 1 (the rewriting in (b));
    (d) p = 1: the bound is d/(d+1) log2(1/(4 eps)), and d/(d+1) - 1/2 = (d-1)/(2(d+1)) >= 0 for d >= 1,
        so n >= (1/2) log2(1/(4 eps)) whenever eps <= 1/4: Omega(log(1/eps)).

    Returns {"ok": bool, "parts": {name: bool}}."""
    n = sp.Symbol("n", real=True)
    x = sp.Symbol("x", positive=True)
    s_ = sp.Symbol("s", nonnegative=True)
    parts = {}
    lhs = sp.expand_log(sp.log(2 ** (n * (d + 1)) * (4 * eps) ** d / p, 2))
    rhs = n * (d + 1) - (d * sp.log(1 / (4 * eps), 2) + sp.log(p, 2))
    parts["log_identity"] = sp.simplify(sp.expand_log(lhs - rhs)) == 0
    dlog = sp.diff(sp.log(x, 2), x)
    parts["log2_increasing"] = sp.simplify(dlog - 1 / (x * sp.log(2))) == 0 and bool(dlog.is_positive)
    parts["rewrite"] = sp.simplify((1 / (4 * eps)) ** d * (4 * eps) ** d - 1) == 0
    parts["p_equals_1"] = sp.simplify(lower_width_formula().subs(p, 1) - d / (d + 1) * sp.log(1 / (4 * eps), 2)) == 0
    half = sp.factor((d / (d + 1) - sp.Rational(1, 2)).subs(d, 1 + s_))
    parts["ratio_at_least_half"] = bool(half.is_nonnegative)
    return {"ok": all(parts.values()), "parts": parts}


CONSTANTS = [
    {"name": "separation_constant", "expression": "1/2",
     "description": "sharp constant c in sup_B |relu(<w,x>) - relu(<w',x>)| >= c ||w - w'||", "source": "new"},
]
