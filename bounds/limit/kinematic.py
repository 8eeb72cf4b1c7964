"""The approximate kinematic formula (ALMT 2014, Theorem I) and where it can be tested exactly.

Approximate kinematic formula [literature]: for closed convex cones C, K in R^d (one not a
subspace) and a uniformly random rotation Q,
    delta(C) + delta(K) <= d - a_eta sqrt(d)  =>  P(C ∩ QK != {0}) <= eta,
    delta(C) + delta(K) >= d + a_eta sqrt(d)  =>  P(C ∩ QK != {0}) >= 1 - eta,
with a_eta = sqrt(8 log(4/eta)).

Exact test case: C = R^d_+ and K = L a uniformly random subspace of codimension m (e.g. the
null space of an m x d Gaussian matrix).  The conic Crofton formula gives
    P(C ∩ L != {0}) = 2 (v_{m+1} + v_{m+3} + ...)(C),
and with v_k(R^d_+) = C(d,k)/2^d and Pascal's rule C(d,k) = C(d-1,k-1) + C(d-1,k):
    P = 2^{-(d-1)} sum_{k=m}^{d-1} C(d-1, k)        (= 1 - Wendel's probability that d
symmetric random points of R^m lie in a common open half-space; Gordan's alternative).
Both forms are computed exactly (Fractions) and compared; delta(C) + delta(L) = d/2 + d - m,
so the formula predicts P <= eta for m >= d/2 + a_eta sqrt(d) and P >= 1 - eta for
m <= d/2 - a_eta sqrt(d).
"""
from __future__ import annotations

import time
from fractions import Fraction
from math import comb

from flint import arb

from prunecert.checks.rigorous.arith import ball, compare3, workprec
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level, Tri
from prunecert.checks.result import CheckResult

from prunecert.bounds.limit.statdim import orthant_intrinsic_volumes

__all__ = ["a_eta", "a_eta_expr", "crofton_orthant_probability", "wendel_orthant_probability",
           "kinematic_window", "check_orthant_instances", "CONSTANTS"]


def a_eta_expr(eta):
    import sympy as sp

    return sp.sqrt(8 * sp.log(4 / eta))


def a_eta(eta) -> arb:
    """a_eta = sqrt(8 log(4/eta)) as a ball; 0 < eta < 1 exact."""
    from prunecert.checks.rigorous.numbers import to_fraction

    q = to_fraction(eta, "eta")
    if not (0 < q < 1):
        raise InputError(f"eta must lie in (0, 1), got {q}")
    return (8 * (4 / ball(q)).log()).sqrt()


def _check_dm(d: int, m: int) -> None:
    if not isinstance(d, int) or d < 1 or not isinstance(m, int) or not (0 <= m <= d):
        raise InputError(f"need integers d >= 1 and 0 <= m <= d (got d={d!r}, m={m!r})")


def crofton_orthant_probability(d: int, m: int) -> Fraction:
    """2 * (v_{m+1} + v_{m+3} + ...) of the orthant, exact."""
    _check_dm(d, m)
    v = orthant_intrinsic_volumes(d)
    return 2 * sum(v[m + 1::2], Fraction(0))


def wendel_orthant_probability(d: int, m: int) -> Fraction:
    """2^{-(d-1)} sum_{k=m}^{d-1} C(d-1, k), exact."""
    _check_dm(d, m)
    return Fraction(sum(comb(d - 1, k) for k in range(m, d)), 2 ** (d - 1))


def kinematic_window(d: int, eta) -> tuple[arb, arb]:
    """(d/2 - a_eta sqrt d, d/2 + a_eta sqrt d): the formula predicts P >= 1-eta for m at most the
    first, and P <= eta for m at least the second (orthant vs codimension-m subspace)."""
    w = a_eta(eta) * arb(d).sqrt()
    return arb(d) / 2 - w, arb(d) / 2 + w


def check_orthant_instances(ds=(1, 2, 3, 10, 50, 200, 400, 800, 1200), etas=("0.5", "0.1", "0.01", "0.001"),
                            prec: int = 128) -> CheckResult:
    """For each d and every m in 0..d: Crofton == Wendel exactly, and the kinematic formula's two
    implications hold for each eta (certified comparisons of m with d/2 +- a_eta sqrt d)."""
    t0 = time.perf_counter()
    applied = 0
    tight = []
    with workprec(prec):
        for d in ds:
            # Wendel probabilities for all m at once (exact big integers)
            tail = [0] * (d + 1)
            acc = 0
            for k in range(d - 1, -1, -1):
                acc += comb(d - 1, k)
                tail[k] = acc
            denom = 2 ** (d - 1)
            if d <= 60:
                for m in range(d + 1):
                    if crofton_orthant_probability(d, m) != Fraction(tail[m] if m < d else 0, denom):
                        return CheckResult(Level.REFUTED, "exact", time.perf_counter() - t0,
                                           f"Crofton != Wendel at d={d}, m={m}", witness={"d": d, "m": m})
            for eta in etas:
                lo, hi = kinematic_window(d, eta)
                e = Fraction(eta)
                for m in range(d + 1):
                    P = Fraction(tail[m] if m < d else 0, denom)
                    if compare3(ball(m), ">=", hi) is Tri.TRUE:
                        applied += 1
                        if not P <= e:
                            return CheckResult(Level.REFUTED, "exact+arb", time.perf_counter() - t0,
                                               f"P={float(P)} > eta={eta} at d={d}, m={m}",
                                               witness={"d": d, "m": m, "eta": eta, "P": str(P)})
                    elif compare3(ball(m), "<=", lo) is Tri.TRUE:
                        applied += 1
                        if not P >= 1 - e:
                            return CheckResult(Level.REFUTED, "exact+arb", time.perf_counter() - t0,
                                               f"P={float(P)} < 1-eta at d={d}, m={m}",
                                               witness={"d": d, "m": m, "eta": eta, "P": str(P)})
                    elif compare3(ball(m), ">=", hi) is not Tri.FALSE or compare3(ball(m), "<=", lo) is not Tri.FALSE:
                        return CheckResult(Level.UNKNOWN, "exact+arb", time.perf_counter() - t0,
                                           f"window end undecided at d={d}, m={m}, eta={eta}")
                # how conservative: first m at which P <= eta, vs the formula's threshold
                first = next(m for m in range(d + 1) if (Fraction(tail[m] if m < d else 0, denom)) <= e)
                tight.append({"d": d, "eta": eta, "first_m_with_P_le_eta": first,
                              "formula_threshold": float(hi.mid())})
    return CheckResult(Level.CHECKED, "exact+arb", time.perf_counter() - t0,
                       f"Crofton = Wendel exactly; kinematic implications hold on {applied} (d, m, eta) instances",
                       data={"ds": list(ds), "etas": list(etas), "instances_applied": applied, "tightness": tight})


CONSTANTS = [
    {"name": "kinematic.a_eta_0.01", "expression": "sqrt(8*log(400))",
     "description": "a_eta = sqrt(8 log(4/eta)) at eta = 0.01 (ALMT approximate kinematic formula)",
     "source": "literature: Amelunxen, Lotz, McCoy, Tropp 2014, Theorem I"},
    {"name": "kinematic.a_eta_0.05", "expression": "sqrt(8*log(80))",
     "description": "a_eta at eta = 0.05", "source": "literature: Amelunxen, Lotz, McCoy, Tropp 2014, Theorem I"},
]
