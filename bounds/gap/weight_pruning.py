"""Width that makes the weight-pruning construction succeed, with explicit constants.

**Theorem (width).**  Let d >= 1, 0 < eps <= 1, 0 < delta < 1, ||w||_2 <= 1, and let the hidden and output
weights u_ij, v_i of a Model-B network (output ReLU) be i.i.d. Uniform[-1, 1].  Split the n = d m hidden
units into d blocks of m (m even) and run the block construction with *optimal* subset sums
(prunecert.bounds.gap.weight_construction).  If

    ep = eps / sqrt(d),  K = min{k >= 0 : (ep/2) (9/8)^k >= 1/4},
    4 d [ 2^K (1 - beta/14)^T1 + (1 - beta/4)^T2 ] <= delta,  beta = ln(2)/4,  m = 2 (T1 + T2),

then with probability >= 1 - delta the pruned network g satisfies sup_{B^d} |g - relu(<w, .>)| <= eps.

Proof (docs/weight-pruning.md#width): each of the 2d subset-sum instances (coordinate j, side +/-) has m
items X_i = v_i u_ij 1[+-u_ij > 0], i.i.d. with law >= beta * Uniform[-1/2, 1/2]; split them into two halves
of m/2 and apply the RSS lemma (a = 1/2, target w_j / 2, accuracy ep / 2, T1 + T2 = m/2 items) to each
half: the union of the two subsets has error <= ep.  Union bound over the 4d halves.  Then every
coordinate error delta_j <= ep and sup |relu(h) - relu(<w,x>)| <= ||delta||_2 <= sqrt(d) ep = eps.

``width_formula()`` gives a closed form with the failure probability split evenly between the two phases
(T1, T2 as ceilings); ``required_width`` searches the split and certifies the final inequality in arb.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from prunecert.checks.rigorous.arith import compare3
from prunecert.checks.errors import InputError
from prunecert.checks.hypotheses import Hypothesis, require
from prunecert.checks.levels import Tri
from prunecert.checks.rigorous.numbers import to_fraction

from prunecert.bounds.gap.subset_sum_lemma import failure_bound

__all__ = ["WIDTH_ID", "WIDTH_GAUSSIAN_ID", "WIDTH_IDS", "WIDTH_HYPOTHESES", "formula_split", "width_formula", "required_width", "WidthCertificate", "width_details", "phase1_K", "CONSTANTS"]

eps, delta, d = sp.symbols("eps delta d", positive=True)

WIDTH_ID = "gap.upper.width"                   # u ~ U[-1, 1]^d (Pensia et al.'s model)
WIDTH_GAUSSIAN_ID = "gap.upper.width_gaussian"  # u ~ N(0, I_d) (Theorem B's model)
WIDTH_IDS = {"uniform": WIDTH_ID, "gaussian": WIDTH_GAUSSIAN_ID}
WIDTH_HYPOTHESES = (
    Hypothesis("d >= 1", ("d",), lambda d: d >= 1, integers=("d",)),
    Hypothesis("0 < eps <= 1", ("eps",), lambda eps: 0 < eps <= 1),
    Hypothesis("0 < delta < 1", ("delta",), lambda delta: 0 < delta < 1),
)


def width_formula() -> sp.Expr:
    """n(eps, delta, d) = 2 d (T1 + T2) with the failure split delta/2 per phase (sympy, Symbols eps, delta, d)."""
    beta = sp.log(2) / 4
    K = sp.Max(0, sp.ceiling(sp.log(sp.sqrt(d) / (2 * eps)) / sp.log(sp.Rational(9, 8))))
    T1 = sp.ceiling((K * sp.log(2) + sp.log(8 * d / delta)) / (-sp.log(1 - beta / 14)))
    T2 = sp.ceiling(sp.log(8 * d / delta) / (-sp.log(1 - beta / 4)))
    return 2 * d * (T1 + T2)


def width_formula_smooth() -> sp.Expr:
    """The formula without ceilings (a lower envelope up to +2d*2): for asymptotics."""
    beta = sp.log(2) / 4
    K = sp.log(sp.sqrt(d) / (2 * eps)) / sp.log(sp.Rational(9, 8))
    T1 = (K * sp.log(2) + sp.log(8 * d / delta)) / (-sp.log(1 - beta / 14))
    T2 = sp.log(8 * d / delta) / (-sp.log(1 - beta / 4))
    return 2 * d * (T1 + T2)


def phase1_K(eps_q: Fraction, d_: int) -> int:
    """K = min{k >= 0 : (ep/2)(9/8)^k >= 1/4}, ep = eps/sqrt(d), decided exactly:
    (9/8)^(2k) >= d / (4 eps^2)."""
    k = 0
    while Fraction(9, 8) ** (2 * k) < Fraction(d_) / (4 * eps_q * eps_q):
        k += 1
    return k


@dataclass
class WidthCertificate:
    eps: Fraction
    delta: Fraction
    d: int
    K: int
    T1: int
    T2: int
    n: int
    failure_upper: str       # certified upper bound of 4d * lemma bound, as a decimal string
    model: str = "uniform"
    claim: str = WIDTH_ID
    params: dict | None = None   # the RSS lemma parameters (mu, theta, lam) used

    def to_json(self) -> dict:
        return {"eps": str(self.eps), "delta": str(self.delta), "d": self.d, "K": self.K, "T1": self.T1,
                "T2": self.T2, "m": 2 * (self.T1 + self.T2), "n": self.n, "failure_upper": self.failure_upper,
                "model": self.model, "claim": self.claim, "rss_params": self.params}


def _check(eps_q, delta_q, d_):
    if not isinstance(d_, int) or isinstance(d_, bool) or d_ < 1:
        raise InputError(f"d must be an integer >= 1, got {d_!r}")
    if not (0 < eps_q <= 1):
        raise InputError("eps must be in (0, 1]")
    if not (0 < delta_q < 1):
        raise InputError("delta must be in (0, 1)")


def formula_split(eps_q: Fraction, delta_q: Fraction, d_: int, beta_ball, params=None) -> tuple[int, int, int]:
    """(K, T1, T2) of the closed form (failure delta/2 per phase) for the RSS parameters ``params``
    (default CLASSIC: T1 = ceil((K ln 2 + ln(8d/delta))/r1), T2 = ceil(ln(8d/delta)/r2), r1 = -ln(1 - beta/14),
    r2 = -ln(1 - beta/4)); in general T1 = ceil((lam K + ln(8d/delta))/r1) with r1, r2 the rates of
    ``params``.  The ceilings are taken of certified upper ends (so the split is at least the closed form's)."""
    from prunecert.bounds.gap.subset_sum_lemma import CLASSIC, phase1_K_params
    from prunecert.checks.rigorous import arith

    params = params or CLASSIC
    K = phase1_K_params(eps_q, d_, params)
    L8 = (arith.ball(Fraction(8 * d_) / delta_q)).log()
    r1, r2 = params.rates(beta_ball)
    T1 = math.ceil(arith.upper_fraction((K * params.lam_ball() + L8) / r1))
    T2 = math.ceil(arith.upper_fraction(L8 / r2))
    return K, max(T1, 0), max(T2, 0)


MODEL_PARAMS = {"uniform": ("classic",), "gaussian": ("classic", "sharp")}


def width_details(eps_, delta_, d_, model: str = "uniform") -> WidthCertificate:
    """The smallest m = 2(T1 + T2) (over the searched splits and the closed-form split, for each RSS
    parameter set of ``model``) for which the certified inequality
    4 d [e^{lam K} (1 - p(1 - e^{-lam}))^T1 + (1 - beta mu/2)^T2] <= delta holds (arb, three-valued TRUE);
    beta is the certified mixture weight of ``model`` ("uniform": u ~ U[-1,1]^d, beta = ln(2)/4, classic
    parameters, i.e. 4d[2^K (1 - beta/14)^T1 + (1 - beta/4)^T2]; "gaussian": u ~ N(0, I_d),
    beta = E1(1/8)/(4 sqrt(2 pi)), classic and sharp parameters)."""
    from prunecert.bounds.gap import subset_sum_lemma as rss
    from prunecert.bounds.gap.product_mixture import beta_ball, model_name
    from prunecert.checks.rigorous.arith import upper_fraction
    from prunecert.checks.rigorous.numbers import fraction_to_decimal

    model_name(model)
    claim = WIDTH_IDS[model]
    require(WIDTH_HYPOTHESES, claim, d=d_, eps=eps_, delta=delta_)
    eps_q, delta_q = to_fraction(eps_, "eps"), to_fraction(delta_, "delta")
    _check(eps_q, delta_q, d_)
    bb = beta_ball(model)
    certs = []
    for pname in MODEL_PARAMS[model]:
        params = {"classic": rss.CLASSIC, "sharp": rss.SHARP}[pname]
        K = rss.phase1_K_params(eps_q, d_, params)
        r1b, r2b = params.rates(bb)
        r1, r2 = float(r1b.mid()), float(r2b.mid())
        lam = float(params.lam_ball().mid())
        target = float(delta_q) / (4 * d_)
        best = None
        # float search for the best split, then certification in arb (with +1 fallbacks)
        T2 = max(0, math.ceil(math.log(1 / target) / r2))
        for extra in range(0, 2000):
            t2 = T2 + extra
            rest = target - math.exp(-r2 * t2)
            if rest <= 0:
                continue
            t1 = max(0, math.ceil((K * lam + math.log(1 / rest)) / r1))
            if best is None or t1 + t2 < best[0] + best[1]:
                best = (t1, t2)
        for t1, t2 in (best, formula_split(eps_q, delta_q, d_, bb, params)[1:]):
            for _ in range(100):
                fb = 4 * d_ * rss.failure_bound_params(K, t1, t2, bb, params)
                if compare3(fb, "<=", delta_q) is Tri.TRUE:
                    certs.append(WidthCertificate(eps_q, delta_q, d_, K, t1, t2, 2 * d_ * (t1 + t2),
                                                  fraction_to_decimal(upper_fraction(fb), 8, "up"), model, claim,
                                                  params.to_json()))
                    break
                t1 += 1
    if not certs:
        raise AssertionError("could not certify the width inequality")  # pragma: no cover
    return min(certs, key=lambda c: c.n)


def required_width(eps, delta, d, model: str = "uniform") -> int:
    """Certified width n such that the construction succeeds with probability >= 1 - delta (in ``model``).
    It is never above the closed-form width ``formula_split`` (that split is one of the candidates)."""
    return width_details(eps, delta, d, model).n


CONSTANTS = [
    {"name": "weight_width_coeff_log_inv_eps", "expression": "2*log(2)/(log(9/8)*(-log(1 - log(2)/56)))",
     "description": "coefficient of d*ln(1/eps) in n(eps, delta, d) (phase 1, leading term)", "source": "new"},
    {"name": "weight_width_coeff_log_inv_delta",
     "expression": "2/(-log(1 - log(2)/56)) + 2/(-log(1 - log(2)/16))",
     "description": "coefficient of d*ln(8d/delta) in the closed-form width (delta split evenly)", "source": "new"},
]
