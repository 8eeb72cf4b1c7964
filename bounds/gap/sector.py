"""The sector lemma K2: a function linear on a cone around a kink ray of f_w is far from f_w.

Setting (reconstructed for this project).  P = span(w, z), w and z orthonormal; f_w(x) =
sigma(<w, x>).  Points of the unit circle of P are e(phi) = cos(phi) z + sin(phi) w, so the ray
through z (phi = 0) is a kink ray of f_w and f_w(e(phi)) = sigma(sin phi).  Let 0 < a, b <= pi/2
and let G be linear on the cone C = {r e(phi): r >= 0, phi in [-a, b]}.  Then

    sup_{C cap B} |f_w - G|  >=  sin a sin b / (sin a + sin b + sin(a+b))        (three-point form)
                             >=  (1/2) sin a sin b / (sin a + sin b)              (chord form, as reconstructed)
                             >=  (1/4) sin(min(a, b))                            (simplified, as reconstructed)

The reconstructed statement (chord form and its simplification) is TRUE: the chord form follows from
K1 on the segment [e(-a), e(b)] (docs/neuron-lower-bound.md#k2-sector-lemma), the
simplification from mM/(m+M) >= m/2 with m = sin(min(a, b)).  The three-point form is new and
sharper (factor up to 2; e.g. 1/2 instead of 1/4 at a = b = pi/2); an LP on a fine grid agrees
with it to 5 digits, so it is very likely the exact min-max, but only the lower bound is claimed.
"""
from __future__ import annotations

import random
from fractions import Fraction

import sympy as sp

from prunecert.checks.rigorous import arith
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level, Tri
from prunecert.checks.rigorous.numbers import to_fraction
from prunecert.checks.result import CheckResult, Timer

from prunecert.bounds.gap.chord import identity_result, positivity_result, value_expr as k1_value

__all__ = [
    "a", "b", "STATEMENT", "chord_bound_expr", "three_point_bound_expr", "simplified_bound_expr",
    "chord_bound", "three_point_bound", "check_chord_reduction", "check_simplification",
    "check_three_point", "check_three_point_vs_chord", "check_spot_arb",
]

a, b = sp.symbols("a b", positive=True)
_tau = sp.Symbol("tau", real=True)
_A, _B = sp.symbols("A B", real=True)

chord_bound_expr = sp.sin(a) * sp.sin(b) / (2 * (sp.sin(a) + sp.sin(b)))
three_point_bound_expr = sp.sin(a) * sp.sin(b) / (sp.sin(a) + sp.sin(b) + sp.sin(a + b))
simplified_bound_expr = sp.sin(sp.Min(a, b)) / 4

STATEMENT = ("sup_{cone(e(-a), e(b)) cap B} |sigma(<w,x>) - G(x)| >= sin(a)*sin(b)/(2*(sin(a)+sin(b))) "
             ">= sin(Min(a, b))/4 for 0 < a, b <= pi/2 and every G linear on the cone")


def _angles(a_, b_):
    qa, qb = to_fraction(a_, "a"), to_fraction(b_, "b")
    if qa <= 0 or qb <= 0:
        raise InputError("sector angles must be > 0")
    # pi/2 > 1.5707963267: reject anything certainly above pi/2; exact check via arb
    for q, nm in ((qa, "a"), (qb, "b")):
        if arith.compare3(arith.ball(q), ">", arith.arb.pi() / 2) is Tri.TRUE:
            raise InputError(f"sector angle {nm} = {q} exceeds pi/2")
    return qa, qb


def chord_bound(a_, b_):
    """Rigorous ball for (1/2) sin a sin b / (sin a + sin b) (rational angles in (0, pi/2])."""
    qa, qb = _angles(a_, b_)
    sa, sb = arith.ball(qa).sin(), arith.ball(qb).sin()
    return sa * sb / (2 * (sa + sb))


def three_point_bound(a_, b_):
    """Rigorous ball for sin a sin b / (sin a + sin b + sin(a + b))."""
    qa, qb = _angles(a_, b_)
    A, B = arith.ball(qa), arith.ball(qb)
    sa, sb = A.sin(), B.sin()
    return sa * sb / (sa + sb + (A + B).sin())


# --------------------------------------------------------------------------- checks
def _e(phi):
    """e(phi) in the coordinates (z-component, w-component)."""
    return sp.Matrix([sp.cos(phi), sp.sin(phi)])


def check_chord_reduction() -> CheckResult:
    """The segment x(tau) = (1-tau) e(-a) + tau e(b), tau in [0,1], lies in the cone and in B;
    along it <w, x> runs affinely from -sin a to sin b and G is affine, so K1 applies with
    (sin a, sin b) and gives the chord form."""
    with Timer() as tm:
        x = (1 - _tau) * _e(-a) + _tau * _e(b)
        s = x[1]                                  # <w, x(tau)>
        G = _A * x[0] + _B * x[1]                 # a general linear G
        norm2 = x[0] ** 2 + x[1] ** 2
        sa, sb = sp.sin(a), sp.sin(b)
        facts = [
            ("<w,x(0)> = -sin a", s.subs(_tau, 0) + sa),
            ("<w,x(1)> = sin b", s.subs(_tau, 1) - sb),
            ("<w,x(tau)> affine in tau", sp.diff(s, _tau, 2)),
            ("G(x(tau)) affine in tau", sp.diff(G, _tau, 2)),
            ("1 - |x(tau)|^2 = 2 tau (1-tau) (1 - cos(a+b))",
             1 - norm2 - 2 * _tau * (1 - _tau) * (1 - sp.cos(a + b))),
            ("K1(sin a, sin b) = chord form",
             k1_value.subs({sp.Symbol("a", positive=True): sa, sp.Symbol("b", positive=True): sb},
                           simultaneous=True) - chord_bound_expr),
            ("d<w,x>/dtau = sin a + sin b", sp.diff(s, _tau) - (sa + sb)),
        ]
        res = identity_result(facts, extra="1 - |x|^2 >= 0 since tau(1-tau) >= 0 and cos <= 1")
    res.seconds = tm.seconds
    return res


def check_simplification() -> CheckResult:
    """(1/2) mM/(m+M) >= m/4 for 0 < m <= M: the difference is m(M-m)/(4(m+M)) >= 0 (exact),
    and m = sin(min(a,b)) because sin is increasing on [0, pi/2] (d/dx sin = cos >= 0 there)."""
    with Timer() as tm:
        m, dlt = sp.symbols("m delta", positive=True)
        M = m + dlt
        diff = m * M / (2 * (m + M)) - m / 4
        facts = [("(1/2) mM/(m+M) - m/4 = m(M-m)/(4(m+M))", diff - m * (M - m) / (4 * (m + M)))]
        res = identity_result(facts)
        bad = positivity_result([("m(M-m)/(4(m+M)) >= 0 for m > 0, M >= m", diff, "nonnegative")])
        # the M = m case (delta = 0): difference is 0
        if sp.simplify(diff.subs(dlt, 0)) != 0:
            bad.append("equality case")
        if bad:
            res = CheckResult(Level.UNKNOWN, "sympy-sign", 0.0, "not established: " + ", ".join(bad))
    res.seconds = tm.seconds
    return res


def check_three_point() -> CheckResult:
    """For every (A, B): with lambda = (sin b, sin(a+b), sin a)/(sin a + sin b + sin(a+b)),
    lambda_1 r(-a) - lambda_2 r(0) + lambda_3 r(b) equals the three-point form, where
    r(phi) = sigma(sin phi) - A cos phi - B sin phi.  (lambda >= 0 because a + b in (0, pi].)"""
    with Timer() as tm:
        def r_left(phi):   # sigma(sin phi) = 0 for phi in [-a, 0]
            return -_A * sp.cos(phi) - _B * sp.sin(phi)

        def r_right(phi):  # sigma(sin phi) = sin phi for phi in [0, b]
            return sp.sin(phi) - _A * sp.cos(phi) - _B * sp.sin(phi)

        D = sp.sin(a) + sp.sin(b) + sp.sin(a + b)
        l1, l2, l3 = sp.sin(b) / D, sp.sin(a + b) / D, sp.sin(a) / D
        comb = l1 * r_left(-a) - l2 * r_left(sp.Integer(0)) + l3 * r_right(b)
        facts = [
            ("combination = three-point form for all A, B", comb - three_point_bound_expr),
            ("weights sum to 1", l1 + l2 + l3 - 1),
            ("r continuous at 0", r_left(sp.Integer(0)) - r_right(sp.Integer(0))),
        ]
        res = identity_result(facts)
    res.seconds = tm.seconds
    return res


def check_three_point_vs_chord() -> CheckResult:
    """sin a + sin b - sin(a+b) = sin a (1 - cos b) + sin b (1 - cos a) >= 0, so the three-point
    denominator is <= 2(sin a + sin b) and the three-point form is >= the chord form."""
    with Timer() as tm:
        facts = [("sin a + sin b - sin(a+b) = sin a (1-cos b) + sin b (1-cos a)",
                  sp.sin(a) + sp.sin(b) - sp.sin(a + b)
                  - (sp.sin(a) * (1 - sp.cos(b)) + sp.sin(b) * (1 - sp.cos(a))))]
        res = identity_result(facts, extra="each term is a product of nonnegatives on (0, pi/2]")
    res.seconds = tm.seconds
    return res


def check_spot_arb(samples: int = 200, seed: int = 20260402) -> CheckResult:
    """Rigorous (arb) spot checks on random rational angles and lines: the max of |r| over the
    three nodes is >= the three-point form >= the chord form >= sin(min)/4.  CHECKED."""
    rng = random.Random(seed)
    with Timer() as tm:
        for _ in range(samples):
            qa = Fraction(rng.randint(1, 1570), 1000)
            qb = Fraction(rng.randint(1, 1570), 1000)
            qA = Fraction(rng.randint(-2000, 2000), 1000)
            qB = Fraction(rng.randint(-2000, 2000), 1000)
            A, B = arith.ball(qA), arith.ball(qB)
            ba, bb = arith.ball(qa), arith.ball(qb)
            nodes = [(-ba).sin(), arith.arb(0), bb.sin()]
            coss = [ba.cos(), arith.arb(1), bb.cos()]
            rs = [arith.relu(s) - A * c - B * s for s, c in zip(nodes, coss)]
            m = arith.amax(arith.amax(arith.absval(rs[0]), arith.absval(rs[1])), arith.absval(rs[2]))
            tp, ch = three_point_bound(qa, qb), chord_bound(qa, qb)
            simp = arith.amin(ba, bb).sin() / 4
            for lhs, rhs, what in ((m, tp, "nodes >= three-point"), (tp, ch, "three-point >= chord"),
                                   (ch, simp, "chord >= sin(min)/4")):
                c = arith.compare3(lhs, ">=", rhs)
                if c is Tri.FALSE:
                    return CheckResult(Level.REFUTED, "arb", tm.seconds, what + " fails",
                                       witness={"a": str(qa), "b": str(qb), "A": str(qA), "B": str(qB)})
                if c is Tri.UNDECIDED and what != "chord >= sin(min)/4":
                    return CheckResult(Level.UNKNOWN, "arb", tm.seconds, what + " undecided")
    return CheckResult(Level.CHECKED, "arb", tm.seconds,
                       f"{samples} random rational (a, b, A, B), rigorous ball comparisons",
                       data={"samples": samples, "seed": seed})


def minimax_lp_float(a_: float, b_: float, points: int = 4001) -> float:
    """Float LP value of min_{A,B} max over `points` grid angles of |sigma(sin phi) - A cos phi - B sin phi|
    on [-a, b] (scipy HiGHS).  A grid value is <= the true min-max; EVIDENCE for tightness only,
    never used in a proof."""
    import numpy as np
    from scipy.optimize import linprog

    if not (0 < a_ <= np.pi / 2 + 1e-12 and 0 < b_ <= np.pi / 2 + 1e-12) or points < 3:
        raise InputError("need 0 < a, b <= pi/2 and points >= 3")
    phi = np.union1d(np.linspace(-a_, b_, points), [0.0])   # keep the kink angle on the grid
    points = len(phi)
    f = np.maximum(np.sin(phi), 0.0)
    C, S, one = np.cos(phi), np.sin(phi), np.ones(points)
    A_ub = np.vstack([np.c_[-C, -S, -one], np.c_[C, S, -one]])
    b_ub = np.r_[-f, f]
    res = linprog([0, 0, 1], A_ub=A_ub, b_ub=b_ub, bounds=[(None, None)] * 3, method="highs")
    return float(res.x[2])


def tightness_table(pairs=((0.3, 0.3), (0.5, 1.2), (1.5, 0.2), (0.1, 1.5), (1.5707963267948966,) * 2)) -> str:
    """Markdown table: grid-LP min-max vs the three-point and chord forms (``python -m prunecert.bounds.gap.sector``)."""
    import math

    lines = ["| a | b | grid LP (float) | three-point form | chord form (reconstructed) |", "|---|---|---|---|---|"]
    for x, y in pairs:
        tp = math.sin(x) * math.sin(y) / (math.sin(x) + math.sin(y) + math.sin(x + y))
        ch = 0.5 * math.sin(x) * math.sin(y) / (math.sin(x) + math.sin(y))
        lines.append(f"| {x:.4f} | {y:.4f} | {minimax_lp_float(x, y):.6f} | {tp:.6f} | {ch:.6f} |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(tightness_table())
