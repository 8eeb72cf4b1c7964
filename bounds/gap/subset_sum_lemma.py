"""A random-subset-sum lemma with explicit constants (proved in docs/weight-pruning.md#rss-lemma).

**Lemma (RSS).**  Let a > 0, 0 < beta <= 1, and let X_1, ..., X_{T1+T2} be independent real random
variables whose laws all dominate beta * Uniform[-a, a] (as measures: P(X_i in A) >= beta |A cap [-a,a]| / (2a)).
Let |z| <= a and 0 < eps <= a.  Put

    K = max(0, ceil( ln(a / (2 eps)) / ln(9/8) )).

Then  P( no subset S of [T1 + T2] has |sum_{i in S} X_i - z| <= eps )
      <= 2^K (1 - beta/14)^T1 + (1 - beta/4)^T2.

Proof idea (two phases, every constant elementary): a covered set C' inside the window
W = [z - a, z + a], started at [-eps, eps] cap W (measure >= eps), grows under C' -> (C' u (C' + X)) cap W;
while |C'| <= a/2 a step multiplies |C'| by >= 9/8 with conditional probability >= beta/7
(expected growth >= |C'|/4 by Fubini, growth <= |C'|, reverse Markov at 1/8); K such steps suffice;
a Chernoff bound with lambda = ln 2 bounds the chance of fewer than K in T1 steps by 2^K (1 - beta/14)^T1.
Then each further X hits z - C' with probability >= beta |C'| / (2a) >= beta/4.

**Product law.**  If u, v are independent Uniform[-1, 1], then X = v u 1[u > 0] (and v u 1[u < 0]) dominates
(ln 2 / 4) * Uniform[-1/2, 1/2]: the law is (1/2) delta_0 + density (1/4) ln(1/|x|) on [-1, 1] \\ {0}, and
(1/4) ln(1/|x|) >= (ln 2)/4 for |x| <= 1/2.

The parameters mu = 1/2 (phase-1 target fraction), theta = 1/8 (reverse-Markov threshold) and
lambda = ln 2 (Chernoff) are fixed choices; they are exposed as module constants and the sympy
expressions below use them symbolically.
"""
from __future__ import annotations

import math
from fractions import Fraction

import sympy as sp

__all__ = ["MU", "THETA", "LAMBDA", "BETA_PRODUCT", "A_PRODUCT", "grow_probability", "hit_probability",
           "phase1_steps", "failure_bound", "failure_bound_sympy", "CONSTANTS"]

MU = sp.Rational(1, 2)          # phase 1 stops once |C'| >= mu * a
THETA = sp.Rational(1, 8)       # a "growth step" multiplies |C'| by >= 1 + theta
LAMBDA = sp.log(2)              # Chernoff exponent
BETA_PRODUCT = sp.log(2) / 4    # Law(v u 1[u>0]) >= BETA_PRODUCT * Uniform[-1/2, 1/2]
A_PRODUCT = sp.Rational(1, 2)

a_, beta_, eps_, T1_, T2_, x_, K_ = sp.symbols("a beta eps T1 T2 x K", positive=True)


def expected_growth_ratio(mu=MU):
    """r(mu) = 1/2 - mu/2: lower bound of E[growth | uniform draw] / |C'| while |C'| <= mu a."""
    return sp.Rational(1, 2) - mu / 2


def reverse_markov(r, theta=THETA):
    """P(Delta >= theta D) >= (r - theta)/(1 - theta) when 0 <= Delta <= D and E Delta >= r D."""
    return (r - theta) / (1 - theta)


def grow_probability(beta=beta_, mu=MU, theta=THETA):
    """Conditional probability (>=) of a growth step: beta * (r - theta) / (1 - theta)."""
    return beta * reverse_markov(expected_growth_ratio(mu), theta)


def hit_probability(beta=beta_, mu=MU):
    """Phase 2: P(z - X in C') >= beta |C' cap W| / (2a) >= beta mu / 2."""
    return beta * mu / 2


def phase1_steps(a, eps, mu=MU, theta=THETA) -> int:
    """K = max(0, ceil(ln(mu a / eps) / ln(1 + theta))), computed exactly (integer search + rational
    comparisons: eps (1+theta)^K >= mu a)."""
    a, eps = Fraction(a), Fraction(eps)
    mu_q, th_q = Fraction(str(mu)), Fraction(str(theta))
    K = 0
    while eps * (1 + th_q) ** K < mu_q * a:
        K += 1
    return K


def failure_bound_sympy():
    """The lemma's bound as a sympy expression in K, beta, T1, T2 (with lambda = ln 2 substituted)."""
    p = grow_probability(beta_)
    chernoff = sp.exp(LAMBDA * K_) * (1 - p * (1 - sp.exp(-LAMBDA))) ** T1_
    return chernoff + (1 - hit_probability(beta_)) ** T2_


def failure_bound(K: int, T1: int, T2: int, beta=BETA_PRODUCT):
    """Certified arb enclosure of 2^K (1 - beta/14)^T1 + (1 - beta/4)^T2 (``beta`` a sympy number or an
    arb ball; the bound decreases in beta, so a ball containing any valid mixture weight is safe)."""
    from flint import arb

    if isinstance(beta, arb):
        b = beta                     # a ball containing (a lower bound of) the mixture weight
    else:
        b = arb(2).log() / 4 if beta == BETA_PRODUCT else _arb_of(beta)
    return arb(2) ** K * (1 - b / 14) ** T1 + (1 - b / 4) ** T2


def _arb_of(expr):
    from prunecert.checks.rigorous.expr import compile_arb

    return compile_arb(sp.sympify(expr), [])([])


CONSTANTS = [
    {"name": "rss_beta_product", "expression": "log(2)/4",
     "description": "mixture weight: Law(v u 1[u>0]) >= beta * Uniform[-1/2, 1/2] for u, v ~ U[-1,1]",
     "source": "new (after Pensia et al. 2020, Cor. 1-2)"},
    {"name": "rss_phase1_rate", "expression": "-log(1 - log(2)/56)",
     "description": "phase-1 Chernoff rate per item, -ln(1 - beta/14), beta = ln2/4", "source": "new"},
    {"name": "rss_phase2_rate", "expression": "-log(1 - log(2)/16)",
     "description": "phase-2 rate per item, -ln(1 - beta/4), beta = ln2/4", "source": "new"},
    {"name": "rss_growth_log", "expression": "log(9/8)",
     "description": "log of the phase-1 growth factor 1 + theta", "source": "new"},
]
