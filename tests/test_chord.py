"""K1 chord lemma: sympy statement vs high-precision numerics, exact checks, bad input."""
import random
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.optimize import linprog

from prunecert.bounds.gap import chord
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level


def test_checks_prove():
    assert chord.check_attained().level is Level.PROVED
    assert chord.check_lower_bound().level is Level.PROVED
    assert chord.check_spot_rational(samples=50).level is Level.CHECKED


def test_statement_against_mpmath_random_points():
    rng = random.Random(7)
    mp.mp.dps = 40
    for _ in range(20):
        a, b = mp.mpf(rng.uniform(0.01, 5)), mp.mpf(rng.uniform(0.01, 5))
        h = chord.value_expr.subs({chord.a: a, chord.b: b})
        h = mp.mpf(str(h.evalf(40)))
        al, be = b / (a + b), a * b / (2 * (a + b))
        ts = [-a + (a + b) * mp.mpf(i) / 400 for i in range(401)] + [mp.mpf(0)]
        m = max(abs(max(t, 0) - al * t - be) for t in ts)
        assert abs(m - h) < mp.mpf(10) ** -30
        # a grid LP (float) cannot beat h (the grid contains -a, 0, b)
        grid = np.union1d(np.linspace(-float(a), float(b), 201), [0.0])
        f = np.maximum(grid, 0)
        A_ub = np.vstack([np.c_[-grid, -np.ones_like(grid), -np.ones_like(grid)],
                          np.c_[grid, np.ones_like(grid), -np.ones_like(grid)]])
        res = linprog([0, 0, 1], A_ub=A_ub, b_ub=np.r_[-f, f], bounds=[(None, None)] * 3, method="highs")
        assert res.x[2] == pytest.approx(float(h), rel=1e-7)


@settings(max_examples=100, deadline=None)
@given(st.fractions(min_value=Fraction(1, 100), max_value=100),
       st.fractions(min_value=Fraction(1, 100), max_value=100),
       st.fractions(min_value=-100, max_value=100), st.fractions(min_value=-100, max_value=100))
def test_no_line_beats_h_exact(a, b, al, be):
    h = chord.value(a, b)
    assert max(abs(chord.residual(t, al, be)) for t in (-a, 0, b)) >= h
    l1, l2, l3 = chord.three_point_weights(a, b)
    comb = l1 * chord.residual(-a, al, be) - l2 * chord.residual(0, al, be) + l3 * chord.residual(b, al, be)
    assert comb == h


def test_optimal_line_exact():
    al, be = chord.optimal_line(3, 5)
    h = chord.value(3, 5)
    assert [chord.residual(t, al, be) for t in (-3, 0, 5)] == [h, -h, h]
    assert h == Fraction(15, 16)


@pytest.mark.parametrize("bad", [0, -1, "nan", float("nan"), float("inf"), "abc"])
def test_bad_input(bad):
    with pytest.raises(InputError):
        chord.value(bad, 1)
    with pytest.raises(InputError):
        chord.optimal_line(1, bad)
