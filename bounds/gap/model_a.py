"""Theorem A: Model A (linear output, arbitrary output weights) needs width ~ 1/eps.

Statement (reconstructed for this project; proved here, docs/neuron-lower-bound.md#theorem-a).
Let d >= 2, ||w||_2 = 1, u_1..u_n i.i.d. N(0, I_d), 0 < eps.  Then

    P( exists c in R^n : sup_{x in B^d} |sum_i c_i sigma(<u_i, x>) - sigma(<w, x>)| <= eps )
        <=  (2n/pi) arcsin(4 eps)   <=  4 n eps                    (0 < eps <= 1/4; reconstructed form)
        and <= (4n/pi) arctan(2 eps)  <=  (8/pi) n eps             (every eps > 0; sharper form)

Every step of the reconstructed form checks out (no constant is wrong):
* the unit far from w: if every kink angle psi_i > alpha* = arcsin(4 eps) (< pi/2), the network
  restricted to P = span(w, z) is linear on the cone over [-alpha', alpha'] around z for some
  alpha' in (alpha*, pi/2] with alpha' < min psi_i, and K2 with a = b = alpha' gives error
  >= sin(alpha')/4 > sin(alpha*)/4 = eps;
* P(psi_i <= alpha*) = 2 alpha*/pi (kink-angle law), union bound over the n units;
* (2/pi) arcsin(x) <= x on [0, 1] (arcsin is convex with arcsin 0 = 0, arcsin 1 = pi/2); note
  arcsin x >= x does not contradict this: the factor 2/pi < 1 absorbs it.
The sharper form uses the three-point K2 bound at a = b = alpha: (1/2) tan(alpha/2).
"""
from __future__ import annotations

import sympy as sp

from prunecert.checks.rigorous import arith
from prunecert.checks.errors import InputError
from prunecert.checks.hypotheses import Hypothesis, require
from prunecert.checks.levels import Level, Tri
from prunecert.checks.rigorous.numbers import to_fraction
from prunecert.checks.result import CheckResult, Timer

from prunecert.bounds.gap.chord import identity_result, positivity_result
from prunecert.bounds.gap.sector import three_point_bound_expr

__all__ = ["THEOREM_A_ID", "THEOREM_A_SHARP_ID", "THEOREM_A_HYPOTHESES", "THEOREM_A_SHARP_HYPOTHESES", "STATEMENT", "STATEMENT_SHARP", "success_probability_upper", "width_lower_bound",
           "check_threshold", "check_arcsin_chord", "check_sharp_threshold", "check_atan_linear",
           "check_prover_atan",
           "CONSTANTS"]

_e = sp.Symbol("epsilon", positive=True)
_n = sp.Symbol("n", positive=True)
STATEMENT = ("P(exists c: ||sum c_i sigma(<u_i,.>) - sigma(<w,.>)||_inf <= eps) "
             "<= 2*n*asin(4*eps)/pi <= 4*n*eps,  0 < eps <= 1/4, d >= 2, u_i ~ N(0, I_d)")
STATEMENT_SHARP = ("P(exists c: ||sum c_i sigma(<u_i,.>) - sigma(<w,.>)||_inf <= eps) "
                   "<= 4*n*atan(2*eps)/pi <= 8*n*eps/pi,  eps > 0, d >= 2, u_i ~ N(0, I_d)")
THEOREM_A_ID = "gap.lower.theorem_A"
THEOREM_A_SHARP_ID = "gap.lower.theorem_A_sharp"
_D2 = Hypothesis("d >= 2", ("d",), lambda d: d >= 2, integers=("d",))
_N0 = Hypothesis("n >= 0 an integer", ("n",), lambda n: n >= 0, integers=("n",))
THEOREM_A_HYPOTHESES = (_D2, Hypothesis("0 < eps <= 1/4", ("eps",), lambda eps: 0 < eps <= sp.Rational(1, 4)), _N0)
THEOREM_A_SHARP_HYPOTHESES = (_D2, Hypothesis("eps > 0", ("eps",), lambda eps: eps > 0), _N0)
bound_expr = 2 * _n * sp.asin(4 * _e) / sp.pi
bound_sharp_expr = 4 * _n * sp.atan(2 * _e) / sp.pi

CONSTANTS = [
    {"name": "theorem_A_sharp_slope", "expression": "8/pi",
     "description": "Theorem A (sharp form): success probability <= (8/pi) n eps", "source": "new"},
]


def _args(n, eps):
    if isinstance(n, bool) or not isinstance(n, int):
        try:
            qn = to_fraction(n, "n")
        except InputError:
            raise
        if qn.denominator != 1:
            raise InputError(f"n must be an integer, got {qn}")
        n = int(qn)
    if n < 0:
        raise InputError(f"n must be >= 0, got {n}")
    qe = to_fraction(eps, "eps")
    if qe <= 0:
        raise InputError(f"eps must be > 0, got {qe}")
    return n, qe


def success_probability_upper(n, eps, *, sharp: bool = False, d=2):
    """Rigorous upper bound (an arb ball; its upper end is the bound) on the probability that
    some output weights c make width-n Model A eps-accurate (Theorem A; Gaussian u, d >= 2).

    sharp=False: min(1, (2n/pi) arcsin(4 eps)) (the reconstructed form; 1 when 4 eps >= 1);
    sharp=True:  min(1, (4n/pi) arctan(2 eps)).
    Outside the theorem's hypotheses (d >= 2; eps <= 1/4 for the reconstructed form): HypothesisError."""
    if sharp:
        require(THEOREM_A_SHARP_HYPOTHESES, THEOREM_A_SHARP_ID, d=d, eps=eps, n=n)
    else:
        require(THEOREM_A_HYPOTHESES, THEOREM_A_ID, d=d, eps=eps, n=n)
    n, qe = _args(n, eps)
    one = arith.arb(1)
    if n == 0:
        # the empty network is 0, at sup-distance ||f_w|| = 1 from the target: success iff eps >= 1
        return arith.arb(0) if qe < 1 else one
    pi = arith.arb.pi()
    if sharp:
        val = 4 * n * (2 * arith.ball(qe)).atan() / pi
    else:
        if 4 * qe >= 1:
            return one
        val = 2 * n * (4 * arith.ball(qe)).asin() / pi
    return arith.amin(val, one)


def width_lower_bound(p, eps, *, sharp: bool = True, d=2) -> int:
    """Smallest n for which Theorem A allows success probability >= p: every width below it
    fails with probability > 1 - p.  Certified: uses the rigorous bound and exact search."""
    qp = to_fraction(p, "p")
    if not (0 < qp <= 1):
        raise InputError(f"p must be in (0, 1], got {qp}")
    _, qe = _args(1, eps)
    success_probability_upper(0, qe, sharp=sharp, d=d)     # hypotheses first
    lo, hi = 0, 1
    while arith.compare3(success_probability_upper(hi, qe, sharp=sharp, d=d), "<", qp) is Tri.TRUE:
        lo, hi = hi, hi * 2
        if hi > 10 ** 18:
            raise InputError("eps too small for this search")
    # invariant: bound(lo) < p certainly (or lo = 0), bound(hi) not certainly < p
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if arith.compare3(success_probability_upper(mid, qe, sharp=sharp, d=d), "<", qp) is Tri.TRUE:
            lo = mid
        else:
            hi = mid
    return hi


# --------------------------------------------------------------------------- checks
def check_threshold() -> CheckResult:
    """sin(arcsin(4 eps))/4 = eps, and sin is increasing on [0, pi/2] (derivative cos >= 0), so
    K2 with a = b = alpha' > alpha* gives error sin(alpha')/4 > eps."""
    with Timer() as tm:
        res = identity_result([("sin(asin(4 eps))/4 - eps", sp.sin(sp.asin(4 * _e)) / 4 - _e),
                               ("d/dx sin x = cos x (sin increasing where cos > 0)",
                                sp.diff(sp.sin(_e), _e) - sp.cos(_e))])
    res.seconds = tm.seconds
    return res


def check_arcsin_chord() -> CheckResult:
    """(2/pi) arcsin x <= x on [0, 1]: g(x) = pi x/2 - arcsin x has g(0) = g(1) = 0 and
    g''(x) = -x (1 - x^2)^(-3/2) < 0 on (0, 1), so g is concave and g >= 0.  Exact (sympy)."""
    with Timer() as tm:
        x = sp.Symbol("x", positive=True)
        y = sp.Symbol("y", positive=True)   # y = 1 - x^2 > 0 on (0, 1)
        g = sp.pi * x / 2 - sp.asin(x)
        g2 = sp.diff(g, x, 2)
        facts = [("g(0)", g.subs(x, 0)), ("g(1)", g.subs(x, 1)),
                 ("g'' = -x (1-x^2)^(-3/2)", g2 + x / (1 - x ** 2) ** sp.Rational(3, 2))]
        res = identity_result(facts)
        bad = positivity_result([("-x y^(-3/2) < 0 for x, y > 0", -x / y ** sp.Rational(3, 2), "negative")])
        if bad:
            res = CheckResult(Level.UNKNOWN, "sympy-sign", 0.0, ", ".join(bad))
    res.seconds = tm.seconds
    return res


def check_sharp_threshold() -> CheckResult:
    """Three-point K2 at a = b = alpha equals (1/2) tan(alpha/2); at alpha* = 2 atan(2 eps) it is
    eps; and (1/2) tan(alpha/2) is increasing (derivative (1/4) sec^2 > 0)."""
    with Timer() as tm:
        al = sp.Symbol("alpha", positive=True)
        tp = three_point_bound_expr.subs({sp.Symbol("a", positive=True): al,
                                          sp.Symbol("b", positive=True): al}, simultaneous=True)
        half_tan = sp.tan(al / 2) / 2
        hh = sp.Symbol("h", positive=True)  # al = 2 h
        facts = [("three-point(al, al) = sin al / (2 (1 + cos al))",
                  sp.expand_trig(tp) - sp.sin(al) / (2 * (1 + sp.cos(al)))),
                 ("sin(2h)/(2(1 + cos 2h)) = tan(h)/2",
                  sp.expand_trig(sp.sin(2 * hh) / (2 * (1 + sp.cos(2 * hh)))) - sp.tan(hh) / 2),
                 ("tan(atan(2 eps))/2 = eps", sp.tan(sp.atan(2 * _e)) / 2 - _e),
                 ("d/dal tan(al/2)/2 = (1 + tan^2(al/2))/4", sp.diff(half_tan, al) - (1 + sp.tan(al / 2) ** 2) / 4)]
        res = identity_result(facts)
    res.seconds = tm.seconds
    return res


def check_atan_linear() -> CheckResult:
    """atan x <= x for x >= 0: h(x) = x - atan x, h(0) = 0, h'(x) = x^2/(1+x^2) >= 0.  Gives
    (4n/pi) atan(2 eps) <= (8/pi) n eps."""
    with Timer() as tm:
        x = sp.Symbol("x", positive=True)
        h = x - sp.atan(x)
        res = identity_result([("h(0)", h.subs(x, 0)), ("h' = x^2/(1+x^2)", sp.diff(h, x) - x ** 2 / (1 + x ** 2))])
        bad = positivity_result([("x^2/(1+x^2) > 0", x ** 2 / (1 + x ** 2), "positive")])
        if bad:
            res = CheckResult(Level.UNKNOWN, "sympy-sign", 0.0, ", ".join(bad))
    res.seconds = tm.seconds
    return res


def check_prover_atan() -> CheckResult:
    """Second route (arb branch-and-bound prover, independent of sympy): x - atan(x) >= 0 on [0, 1000]."""
    from prunecert.checks.inequality.prover import prove

    return prove("x - atan(x)", ">=", "0", {"x": ("0", "1000")}, timeout=10.0).to_check_result()
