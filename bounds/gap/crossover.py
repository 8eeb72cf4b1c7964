"""The certified crossover eps*(d): below it weight pruning provably beats neuron pruning.

One model throughout: u_i ~ N(0, I_d), v_i ~ U[-1, 1] (Theorem B's model), d >= 2.  Write
L = ln(1/eps).

**Weight side (upper envelope).**  The closed-form width of the Gaussian width theorem
(``weight_pruning.formula_split``, failure delta/2 per phase) satisfies, for eps <= 1/2,

    n_w(eps) <= U(L) = alpha + B L,
    B = 2d ln 2 / (ln(9/8) r1),
    alpha = 2d [ (ln 2 (ln(sqrt(d)/2)/ln(9/8) + 1) + ln(8d/delta)) / r1 + ln(8d/delta) / r2 + 4 ],

r1 = -ln(1 - beta/14), r2 = -ln(1 - beta/4), beta = E1(1/8)/(4 sqrt(2 pi)): K <= (L + ln(sqrt d/2))/ln(9/8) + 1
(K is the least k with (9/8)^k >= sqrt(d)/(2 eps)), and each ceiling of a certified upper end adds
at most 2.  The calculator's width is never above the closed form.

**Neuron side (lower envelope).**  Fix kappa > 0 and L* >= 2.  For eps = e^{-L}, L >= L*, and every
n <= N(L) = kappa e^L / L, Theorem B (C1 = sqrt(8 pi), c0 = 1 + ln(pi/C1) > 0) gives

    q = n W / pi <= (kappa C1 / pi)(1 + c0 / L) <= q* = (kappa C1 / pi)(1 + c0 / L*),
    (2n/pi) arcsin(eps) <= 2 n eps / 3 <= 2 kappa / (3 L*)        (arcsin x <= pi x / 3 on [0, 1/2]),

so P(some neuron subset reaches eps) <= F(q*) + 2 kappa/(3 L*) <= 1 - p once that is certified
(F(q) = (2q - q^2)/(1 - q)^2 is increasing).

**Crossover.**  h(L) = L - ln L - ln(alpha + 1 + B L) + ln kappa has h'(L) = 1 - 1/L - B/(alpha + 1 + B L)
> 1 - 2/L >= 0 for L >= 2 (alpha + 1 > 0), so h(L*) >= 0 gives h >= 0 on [L*, oo): U(L) + 1 <= N(L).
Hence for every eps <= eps* = e^{-L*}: at the certified weight-pruning width n_w(eps) (success
probability >= 1 - delta) neuron pruning of the same random network fails with probability >= p,
and so does every width up to N(L) = kappa / (eps ln(1/eps)).

:func:`crossover` searches L* and kappa in floats and certifies (i) q* < 1, (ii) F(q*) + 2 kappa/(3 L*)
<= 1 - p, (iii) h(L*) >= 0, (iv) alpha + 1 > 0, (v) c0 > 0, L* >= 2 and e^{-L*} <= mu sqrt(d) in ball
arithmetic, for each parameter set, and reports the better one.
"""
from __future__ import annotations

import math
from fractions import Fraction

from prunecert.bounds.gap.product_mixture import beta_ball
from prunecert.checks.errors import InputError
from prunecert.checks.hypotheses import Hypothesis, require
from prunecert.checks.levels import Tri
from prunecert.checks.rigorous import arith
from prunecert.checks.rigorous.numbers import fraction_to_decimal, to_fraction

__all__ = ["CROSSOVER_ID", "CROSSOVER_HYPOTHESES", "envelope", "crossover", "neuron_conditions"]

CROSSOVER_ID = "gap.crossover"
CROSSOVER_HYPOTHESES = (
    Hypothesis("d >= 2", ("d",), lambda d: d >= 2, integers=("d",)),
    Hypothesis("0 < delta < 1", ("delta",), lambda delta: 0 < delta < 1),
    Hypothesis("0 < p_fail < 1", ("p_fail",), lambda p_fail: 0 < p_fail < 1),
)


def envelope(d: int, delta: Fraction, params=None):
    """(alpha, B) as arb balls: the closed-form Gaussian-model width for the RSS parameters ``params``
    (default CLASSIC) is <= alpha + B ln(1/eps) whenever eps <= mu sqrt(d):
    B = 2d lam/(ln(1 + theta) r1), alpha = 2d[(lam (ln(mu sqrt d)/ln(1 + theta) + 1) + ln(8d/delta))/r1
    + ln(8d/delta)/r2 + 4]."""
    from prunecert.bounds.gap.subset_sum_lemma import CLASSIC

    params = params or CLASSIC
    b = beta_ball("gaussian")
    r1, r2 = params.rates(b)
    lam = params.lam_ball()
    lth = arith.ball(1 + params.theta).log()
    L8 = arith.ball(Fraction(8 * d) / delta).log()
    musd = arith.ball(params.mu) * arith.ball(d).sqrt()
    B = 2 * d * lam / (lth * r1)
    alpha = 2 * d * ((lam * (musd.log() / lth + 1) + L8) / r1 + L8 / r2 + 4)
    return alpha, B


def _c1():
    return (8 * arith.arb.pi()).sqrt()


def neuron_conditions(kappa: Fraction, L: Fraction, p_fail: Fraction) -> dict:
    """The neuron-side certificate at (kappa, L*): q*, the success bound, and whether q* < 1 and
    F(q*) + 2 kappa/(3 L*) <= 1 - p_fail are certified (Tri)."""
    pi = arith.arb.pi()
    C1 = _c1()
    c0 = 1 + (pi / C1).log()
    kb, Lb = arith.ball(kappa), arith.ball(L)
    q = kb * C1 / pi * (1 + c0 / Lb)
    ok_q = arith.compare3(q, "<", 1)
    bound = None
    ok_b = Tri.UNDECIDED
    if ok_q is Tri.TRUE:
        bound = (2 * q - q * q) / ((1 - q) * (1 - q)) + 2 * kb / (3 * Lb)
        ok_b = arith.compare3(bound, "<=", 1 - p_fail)
    return {"q": q, "bound": bound, "c0": c0, "q_lt_1": ok_q, "bound_ok": ok_b,
            "c0_pos": arith.compare3(c0, ">", 0)}


def _kappa_max(L: float, p: float) -> float:
    C1 = math.sqrt(8 * math.pi)
    c0 = 1 + math.log(math.pi / C1)

    def total(k):
        q = k * C1 / math.pi * (1 + c0 / L)
        if q >= 1:
            return float("inf")
        return (2 * q - q * q) / (1 - q) ** 2 + 2 * k / (3 * L)

    lo, hi = 0.0, math.pi / C1
    for _ in range(80):
        mid = (lo + hi) / 2
        if total(mid) <= 1 - p:
            lo = mid
        else:
            hi = mid
    return lo


def _h_float(L, kappa, alpha, B):
    return L - math.log(L) - math.log(alpha + 1 + B * L) + math.log(kappa)


def crossover(d: int, delta="1/2", p_fail=None) -> dict:
    """Certified crossover for (d, delta, p_fail) (p_fail defaults to delta): the largest eps* = e^{-L*}
    found (L* a multiple of 1/1000) over the RSS parameter sets of the Gaussian model, and kappa; see
    the module docstring for what is certified."""
    from prunecert.bounds.gap.subset_sum_lemma import CLASSIC, SHARP

    if p_fail is None:
        p_fail = delta
    require(CROSSOVER_HYPOTHESES, CROSSOVER_ID, d=d, delta=delta, p_fail=p_fail)
    qd, qp = to_fraction(delta, "delta"), to_fraction(p_fail, "p_fail")
    results = [_crossover_for(d, qd, qp, prm) for prm in (CLASSIC, SHARP)]
    return min(results, key=lambda r: Fraction(r["L_star"]))


def _crossover_for(d: int, qd: Fraction, qp: Fraction, params) -> dict:
    alpha, B = envelope(d, qd, params)
    af, Bf = float(alpha.mid()), float(B.mid())
    pf = float(qp)
    musd = arith.ball(params.mu) * arith.ball(d).sqrt()

    def good(L):
        k = _kappa_max(L, pf) * (1 - 1e-6)
        return k > 0 and _h_float(L, k, af, Bf) >= 1e-9

    lo, hi = 2.0, 4.0
    while not good(hi):
        lo, hi = hi, hi * 2
        if hi > 1e4:
            raise InputError("no crossover found below L = 1e4")
    for _ in range(60):
        mid = (lo + hi) / 2
        if good(mid):
            hi = mid
        else:
            lo = mid
    for extra in range(0, 2000):
        L = Fraction(math.ceil(hi * 1000) + extra, 1000)
        kappa = Fraction(_kappa_max(float(L), pf) * (1 - 1e-6)).limit_denominator(10 ** 9)
        kappa = min(kappa, Fraction(_kappa_max(float(L), pf)) * Fraction(999999, 1000000))
        nc = neuron_conditions(kappa, L, qp)
        Lb = arith.ball(L)
        h = Lb - Lb.log() - (alpha + 1 + B * Lb).log() + arith.ball(kappa).log()
        conds = {"L* >= 2": Tri.TRUE if L >= 2 else Tri.FALSE, "c0 > 0": nc["c0_pos"], "q* < 1": nc["q_lt_1"],
                 "F(q*) + 2 kappa/(3 L*) <= 1 - p": nc["bound_ok"],
                 "alpha + 1 > 0": arith.compare3(alpha + 1, ">", 0), "h(L*) >= 0": arith.compare3(h, ">=", 0),
                 "e^-L* <= mu sqrt(d)": arith.compare3((-Lb).exp(), "<=", musd)}
        if all(v is Tri.TRUE for v in conds.values()):
            eps_star = arith.lower_fraction((-Lb).exp())
            return {
                "d": d, "delta": fraction_to_decimal(qd, 12), "p_fail": fraction_to_decimal(qp, 12),
                "L_star": str(L), "kappa": str(kappa), "rss_params": params.to_json(),
                "eps_star": fraction_to_decimal(eps_star, 4, "down"),
                "eps_star_exact": eps_star,
                "alpha": arith.certified_decimal(alpha, 8), "B": arith.certified_decimal(B, 8),
                "q_star": arith.certified_decimal(nc["q"], 6),
                "neuron_success_upper": arith.certified_decimal(nc["bound"], 6),
                "certified": sorted(conds), "claim": CROSSOVER_ID,
                "meaning": (f"for every eps <= eps* = e^-{L}: weight pruning succeeds (prob >= 1 - delta) at a "
                            f"width below kappa/(eps ln(1/eps)), kappa = {float(kappa):.6f}, and every neuron-"
                            f"pruning width up to that fails with prob >= p_fail"),
            }
    raise InputError("could not certify a crossover")  # pragma: no cover
