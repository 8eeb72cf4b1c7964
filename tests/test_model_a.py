"""Theorem A: leaves, the bound function, the geometric mechanism on random networks, bad input."""
import math
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
from scipy.optimize import linprog

from prunecert.bounds.gap import model_a
from prunecert.checks.rigorous import arith
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level, Tri


def test_leaves_prove():
    for f in (model_a.check_threshold, model_a.check_arcsin_chord, model_a.check_sharp_threshold,
              model_a.check_atan_linear):
        assert f().level is Level.PROVED, f.__name__


@pytest.mark.parametrize("n,eps", [(1, "0.01"), (10, "0.001"), (50, "1/300"), (3, "0.2")])
def test_bound_matches_mpmath_and_is_below_4n_eps(n, eps):
    mp.mp.dps = 30
    e = Fraction(eps)
    u = model_a.success_probability_upper(n, eps)
    ref = min(mp.mpf(1), 2 * n * mp.asin(4 * mp.mpf(e.numerator) / e.denominator) / mp.pi)
    assert abs(float(u.mid()) - float(ref)) < 1e-12
    assert arith.compare3(u, "<=", min(Fraction(1), 4 * n * e)) is Tri.TRUE
    s = model_a.success_probability_upper(n, eps, sharp=True)
    assert arith.compare3(s, "<=", u) is Tri.TRUE          # the sharp form is never worse
    assert arith.compare3(s, "<=", arith.amin(8 * n * arith.ball(e) / arith.arb.pi(), arith.arb(1))) is Tri.TRUE


def test_bound_monotone_in_n_and_width():
    prev = arith.arb(0)
    for n in range(0, 40, 3):
        u = model_a.success_probability_upper(n, "0.002")
        assert arith.compare3(prev, "<=", u) is Tri.TRUE
        prev = u
    n = model_a.width_lower_bound("1/2", "0.001")
    assert arith.compare3(model_a.success_probability_upper(n - 1, "0.001", sharp=True), "<", Fraction(1, 2)) is Tri.TRUE
    assert n >= math.floor(0.5 / (4 * 0.001))            # consistent with n >= p/(4 eps)


def test_no_kink_near_target_forces_error():
    """The proof's mechanism on random d = 2 networks: if every kink angle exceeds alpha', the best
    output weights (float LP on a grid containing the three nodes) have error >= sin(alpha')/4."""
    rng = np.random.default_rng(5)
    theta = np.union1d(np.linspace(-np.pi, np.pi, 1441), [np.pi / 2])
    X = np.c_[np.cos(theta), np.sin(theta)]          # w = e1, z = e2
    f = np.maximum(X[:, 0], 0)
    tested = 0
    while tested < 8:
        u = rng.standard_normal((6, 2))
        psi = np.arctan2(np.abs(u[:, 1]), np.abs(u[:, 0]))
        al = min(np.pi / 2, psi.min())
        if al < 0.2:
            continue
        tested += 1
        grid = np.union1d(theta, [np.pi / 2 - al, np.pi / 2 + al])
        Xg = np.c_[np.cos(grid), np.sin(grid)]
        H = np.maximum(Xg @ u.T, 0)
        fg = np.maximum(Xg[:, 0], 0)
        m = len(grid)
        A_ub = np.vstack([np.c_[-H, -np.ones(m)], np.c_[H, -np.ones(m)]])
        res = linprog(np.r_[np.zeros(6), 1], A_ub=A_ub, b_ub=np.r_[-fg, fg],
                      bounds=[(None, None)] * 7, method="highs")
        assert res.x[-1] >= np.sin(al) / 4 - 1e-9
        assert res.x[-1] >= np.tan(al / 2) / 2 - 1e-9      # three-point form
    assert f.max() == 1


@pytest.mark.parametrize("n,eps", [(1, 0), (1, -0.1), (1, float("nan")), (-1, "0.1"), (1.5, "0.1"), (True, "0.1")])
def test_bad_input(n, eps):
    with pytest.raises(InputError):
        model_a.success_probability_upper(n, eps)


def test_empty_network():
    assert model_a.success_probability_upper(0, "0.5", sharp=True) == 0
    assert model_a.success_probability_upper(0, "1", sharp=True) == 1
    assert model_a.success_probability_upper(0, "1/5") == 0
    with pytest.raises(InputError, match="eps <= 1/4"):       # outside Theorem A's hypotheses
        model_a.success_probability_upper(0, "0.5")
