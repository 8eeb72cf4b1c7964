"""prunecert.bounds.limit.pruning_threshold: G(R), monotonicity, Jensen trace bound, the crossing."""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prunecert.bounds.limit import pruning_threshold as pt
from prunecert.checks.rigorous.arith import exact_endpoints
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level


def test_symbolic_checks_proved():
    assert pt.check_monotonicity().level is Level.PROVED
    assert pt.check_jensen().level is Level.PROVED
    assert pt.check_unique_crossing_instances(10, seed=3).level is Level.CHECKED


def test_g_hat_values():
    lams = [Fraction(2), Fraction(0), Fraction(-4)]
    eps = Fraction(1, 2)
    assert pt.g_hat_exact(0, lams, eps) == 1
    # terms 2e/(2e + R^2|l|) with 2e = 1, R^2 = 1: 1/3, 1, 1/5
    assert pt.g_hat_exact(1, lams, eps) == (Fraction(1, 3) + 1 + Fraction(1, 5)) / 3
    lo, hi = exact_endpoints(pt.g_hat(1, lams, eps))
    assert lo <= pt.g_hat_exact(1, lams, eps) <= hi
    # weights rho
    assert pt.g_hat_exact(1, lams, eps, weights=[1, 0, 1]) == (Fraction(1, 3) + Fraction(1, 5)) / 2
    with pytest.raises(InputError):
        pt.g_hat(1, lams, 0)
    with pytest.raises(InputError):
        pt.g_hat(1, [], 1)
    with pytest.raises(InputError):
        pt.g_hat(1, lams, eps, weights=[1, 1])


fr = st.fractions(min_value=0, max_value=20, max_denominator=50)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fractions(min_value=-10, max_value=10, max_denominator=20), min_size=1, max_size=6),
       st.fractions(min_value=Fraction(1, 100), max_value=5, max_denominator=100), fr, fr)
def test_monotone_and_jensen_on_examples(lams, eps, R2a, R2b):
    lo_R2, hi_R2 = min(R2a, R2b), max(R2a, R2b)
    assert pt.g_hat_exact(hi_R2, lams, eps) <= pt.g_hat_exact(lo_R2, lams, eps)      # nonincreasing in R
    assert pt.g_hat_exact(lo_R2, lams, eps) <= pt.g_hat_exact(lo_R2, lams, 2 * eps)  # nondecreasing in eps
    bigger = [2 * x for x in lams]
    assert pt.g_hat_exact(lo_R2, bigger, eps) <= pt.g_hat_exact(lo_R2, lams, eps)    # nonincreasing in |lambda|
    tb = pt.trace_bound(lo_R2, lams, eps)
    assert exact_endpoints(tb)[0] <= pt.g_hat_exact(lo_R2, lams, eps) + Fraction(1, 10**12)


def brute_crossing(lams, eps, w):
    R2 = pt.magnitude_R2(w)
    N = len(w)
    for k in range(N + 1):
        g = pt.g_hat_exact(R2[k], lams, eps)
        if g < Fraction(k, N):
            return max(g, Fraction(k - 1, N))
    return Fraction(1)


@pytest.mark.parametrize("seed", range(5))
def test_crossing_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    lams = [Fraction(float(x)) for x in rng.standard_normal(20) ** 2 * 5]
    w = [Fraction(float(x)) for x in rng.standard_normal(25)]
    eps = Fraction(1, 10)
    cr = pt.crossing_magnitude(lams, eps, w)
    p = brute_crossing(lams, eps, w)
    assert cr.p_lo <= p <= cr.p_hi
    assert cr.p_hi - cr.p_lo < Fraction(1, 10**12)


def test_crossing_edge_cases():
    # all eigenvalues zero: G == 1, nothing to cross: p* = 1
    cr = pt.crossing_magnitude([0, 0], Fraction(1), [1, 2, 3])
    assert cr.p_lo == cr.p_hi == 1
    # huge curvature: G(R_1) tiny -> p* = G(R_1) inside the first step, about 2e-15
    cr = pt.crossing_magnitude([10**9], Fraction(1, 10**6), [1, 2, 3])
    assert cr.k == 1 and 0 < cr.p_lo <= cr.p_hi < Fraction(1, 10**14)


def test_crossing_bisect_continuous():
    from flint import arb

    # h(p) = 1/(1 + 3p) - p, root (sqrt(13) - 1)/6 ... check bracket
    h = lambda p: 1 / (1 + 3 * arb(p.numerator) / p.denominator) - arb(p.numerator) / p.denominator  # noqa: E731
    a, b = pt.crossing_bisect(h, 0, 1, tol=Fraction(1, 10**10))
    root = (13 ** 0.5 - 1) / 6
    assert float(a) <= root <= float(b) and b - a <= Fraction(1, 10**10)


def test_trace_version_crossing_is_lower():
    rng = np.random.default_rng(7)
    lams = [Fraction(float(x)) for x in rng.standard_normal(30) ** 2]
    w = [Fraction(float(x)) for x in rng.standard_normal(40)]
    eps = Fraction(1, 5)
    p = pt.crossing_magnitude(lams, eps, w)
    lbar = sum(abs(x) for x in lams) / len(lams)
    pt_trace = pt.crossing_magnitude([lbar], eps, w)
    assert pt_trace.p_hi <= p.p_hi
