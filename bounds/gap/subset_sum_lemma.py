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


# --------------------------------------------------------------------------- general parameters
# The same two-phase proof with its three free choices left symbolic: phase 1 stops at |C'| >= mu a
# (0 < mu <= 1), a growth step multiplies |C'| by >= 1 + theta (0 < theta < r(mu) = 1/2 - mu/2), and the
# Chernoff step uses exponent lam > 0.  Then, with p = beta (r - theta)/(1 - theta) and
# K = max(0, ceil(ln(mu a/eps)/ln(1 + theta))):
#
#     P(no subset within eps of z) <= e^{lam K} (1 - p (1 - e^{-lam}))^T1 + (1 - beta mu/2)^T2.
#
# CLASSIC = (1/2, 1/8, ln 2) is the lemma above (e^{K ln 2} = 2^K, p (1 - 1/2) = beta/14, beta mu/2 = beta/4).

class RSSParams:
    """An admissible choice (mu, theta, lam) of the general lemma; mu, theta exact rationals, lam a sympy
    number (exact)."""

    def __init__(self, name: str, mu, theta, lam):
        self.name = name
        self.mu = Fraction(mu)
        self.theta = Fraction(theta)
        self.lam = sp.nsimplify(lam) if not isinstance(lam, sp.Basic) else lam
        r = Fraction(1, 2) - self.mu / 2
        if not (0 < self.mu <= 1 and 0 < self.theta < r and self.lam.is_positive):
            raise ValueError(f"inadmissible RSS parameters {name}")

    def to_json(self) -> dict:
        return {"name": self.name, "mu": str(self.mu), "theta": str(self.theta), "lam": str(self.lam)}

    def lam_ball(self):
        return _arb_of(self.lam)

    def growth_probability_ball(self, beta_ball):
        r = Fraction(1, 2) - self.mu / 2
        from prunecert.checks.rigorous.arith import ball

        return beta_ball * ball((r - self.theta) / (1 - self.theta))

    def rates(self, beta_ball):
        """(r1, r2): phase-1 rate -ln(1 - p(1 - e^{-lam})) and phase-2 rate -ln(1 - beta mu/2), as balls."""
        from prunecert.checks.rigorous.arith import ball

        p = self.growth_probability_ball(beta_ball)
        r1 = -(1 - p * (1 - (-self.lam_ball()).exp())).log()
        r2 = -(1 - beta_ball * ball(self.mu / 2)).log()
        return r1, r2


CLASSIC = RSSParams("classic", Fraction(1, 2), Fraction(1, 8), sp.log(2))
SHARP = RSSParams("sharp", Fraction(1, 16), Fraction(1, 4), sp.Rational(1, 4))


def phase1_K_params(eps_q: Fraction, d_: int, params: RSSParams) -> int:
    """K = min{k >= 0 : (1 + theta)^k >= mu sqrt(d)/eps} for the width theorem's instances (a = 1/2,
    accuracy eps/(2 sqrt d)), decided exactly: (1 + theta)^(2k) >= mu^2 d / eps^2."""
    k = 0
    q = 1 + params.theta
    while q ** (2 * k) < params.mu ** 2 * Fraction(d_) / (eps_q * eps_q):
        k += 1
    return k


def failure_bound_params(K: int, T1: int, T2: int, beta_ball, params: RSSParams):
    """Certified arb enclosure of e^{lam K} (1 - p(1 - e^{-lam}))^T1 + (1 - beta mu/2)^T2."""
    from prunecert.checks.rigorous.arith import ball

    lam = params.lam_ball()
    p = params.growth_probability_ball(beta_ball)
    return (lam * K).exp() * (1 - p * (1 - (-lam).exp())) ** T1 + (1 - beta_ball * ball(params.mu / 2)) ** T2


def general_parts() -> dict:
    """The steps of the general lemma with mu, theta, lam, beta, a, D symbolic (sympy):
    growth identity, reverse Markov, Chernoff step and its monotonicity, Markov step, the phase-1 stopping
    rule, the phase-2 hit probability, and the two parameter sets reproduce / are admissible."""
    mu, th, lam, b, a, D, P, q, x, e, K = sp.symbols("mu theta lam beta a D P q x eps K", positive=True)
    r = sp.Rational(1, 2) - mu / 2
    parts = {}
    parts["growth"] = sp.simplify(x / 2 - x ** 2 / (2 * a) - x * r - x * (mu * a - x) / (2 * a)) == 0
    sol = sp.solve(sp.Eq(th * D + (1 - th) * D * P, r * D), P)
    parts["reverse_markov"] = len(sol) == 1 and sp.simplify(sol[0] - (r - th) / (1 - th)) == 0
    parts["chernoff_step"] = sp.simplify((1 - q) + q * sp.exp(-lam) - (1 - q * (1 - sp.exp(-lam)))) == 0
    dq = sp.diff(1 - q * (1 - sp.exp(-lam)), q)
    # 1 - e^{-lam} > 0 for lam > 0: it is 0 at lam = 0 with derivative e^{-lam} > 0
    g = 1 - sp.exp(-lam)
    parts["chernoff_monotone"] = (sp.simplify(dq + g) == 0 and g.subs(lam, 0) == 0
                                  and sp.simplify(sp.diff(g, lam) - sp.exp(-lam)) == 0
                                  and bool(sp.exp(-lam).is_positive))
    parts["markov_step"] = sp.simplify(sp.exp(lam * K) * sp.exp(-lam * K) - 1) == 0
    Kst = sp.log(mu * a / e) / sp.log(1 + th)
    parts["phase1_stop"] = sp.simplify(sp.expand_log(sp.log(e * (1 + th) ** Kst) - sp.log(mu * a), force=True)) == 0
    parts["phase2_hit"] = sp.simplify(b * (mu * a) / (2 * a) - b * mu / 2) == 0
    # the classic choice reproduces the lemma's constants
    rc = r.subs(mu, sp.Rational(1, 2))
    pc = ((rc - th) / (1 - th)).subs(th, sp.Rational(1, 8)) * (1 - sp.exp(-sp.log(2)))
    parts["classic_constants"] = sp.simplify(pc - sp.Rational(1, 14)) == 0 and \
        sp.simplify(sp.exp(sp.log(2) * K) - 2 ** K) == 0
    parts["admissible"] = all(0 < P_.mu <= 1 and 0 < P_.theta < Fraction(1, 2) - P_.mu / 2 and P_.lam.is_positive
                              for P_ in (CLASSIC, SHARP))
    return {"ok": all(parts.values()), "parts": parts}
