from fractions import Fraction

import numpy as np
import pytest

from prunecert.bounds.random_magnitude import matching as mt
from prunecert.checks.errors import InputError


def test_exp_inequality_proof():
    assert mt.one_minus_le_exp()["ok"]


def test_window_mass_exact():
    assert mt.window_mass("1/2", "1/10", 2) == Fraction(1, 20)          # 0.2 / 4
    assert mt.window_mass("1/10", "1/10", 2, "1/20") == Fraction(3, 80)  # [0,0.2] minus [-0.05,0.05] = 0.15
    assert mt.window_mass(2, "1/2", 2) == Fraction(1, 8)                # clipped at K
    with pytest.raises(InputError):
        mt.window_mass(0, 0, 2)


def test_window_lower_bound_proof():
    r = mt.window_lower_bound_proof()
    assert r["ok"] and r["pieces"] == ["p", "r"]


def test_matching_instances():
    r = mt.matching_check_instances([(N, "1/2", "1/10", 2, t) for N in (1, 10) for t in ("0", "1/10")])
    assert r["ok"] and r["cases"] == 4
    with pytest.raises(InputError):
        mt.matching_check_instances([(3, "0", "1/10", 2, "0")])   # |w| < eta: outside hypotheses


def test_failure_probability():
    assert mt.failure_probability_exact(3, Fraction(1, 2)) == Fraction(1, 8)


def test_nearest_sampler_matches_bruteforce():
    rng = np.random.default_rng(0)
    n = 4000
    w = np.full(n, 0.3)
    d = mt.nearest_distance_sample(w, np.full(n, 5), 2.0, 0.25, rng)
    bf = []
    for _ in range(n):
        c = rng.uniform(-2, 2, size=40)
        c = c[np.abs(c) > 0.25][:5]
        bf.append(c[np.argmin(np.abs(c - 0.3))])
    bf = np.array(bf)
    from scipy.stats import ks_2samp
    assert ks_2samp(d, bf).pvalue > 1e-3
    assert np.all(np.abs(d) > 0.25 - 1e-12) and np.all(np.abs(d) <= 2)
    assert np.isnan(mt.nearest_distance_sample(np.array([0.1]), np.array([0]), 2.0, 0.0, rng))[0]
