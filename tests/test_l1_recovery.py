"""prunecert.bounds.limit.l1_recovery: the l1 LP, recovery trials, crossings."""
import numpy as np
import pytest

from prunecert.bounds.limit import l1_recovery as L
from prunecert.checks.errors import InputError


def test_l1_minimize_small():
    A = np.array([[1.0, 1.0]])
    x = L.l1_minimize(A, np.array([1.0]))
    assert np.isclose(np.abs(x).sum(), 1.0) and np.allclose(A @ x, 1.0)
    with pytest.raises(InputError):
        L.l1_minimize(A, np.array([1.0, 2.0]))


def test_recovery_extremes():
    rng = np.random.default_rng(0)
    assert L.recovery_trial(40, 2, 35, rng)            # plenty of measurements
    fails = sum(L.recovery_trial(40, 10, 5, np.random.default_rng(t)) for t in range(5))
    assert fails == 0                                   # far too few
    with pytest.raises(InputError):
        L.recovery_trial(10, 11, 5, rng)


def test_success_curve_reproducible_and_monotone_trend():
    a = L.success_curve(30, 3, [4, 14, 26], 8, seed=1)
    b = L.success_curve(30, 3, [4, 14, 26], 8, seed=1)
    assert [p.successes for p in a] == [p.successes for p in b]
    assert a[0].successes == 0 and a[-1].successes == 8
    assert all(p.ci_lo <= p.rate <= p.ci_hi for p in a)


def test_crossing_interpolation():
    assert L.crossing([10, 20, 30], [0.0, 0.4, 0.9]) == pytest.approx(22.0)
    assert L.crossing([10, 20], [0.0, 0.2]) is None
    assert L.crossing([10, 20], [0.5, 1.0]) == 10


def test_orthant_nullspace_hits():
    assert L.orthant_nullspace_hits(np.array([[1.0, -1.0]]))      # x = (1, 1)/2
    assert not L.orthant_nullspace_hits(np.array([[1.0, 1.0]]))   # positive row: only x = 0
