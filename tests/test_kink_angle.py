"""Kink-angle law: exact CDF, Monte Carlo corroboration, reproducibility, bad input."""
import numpy as np
import pytest

from prunecert.bounds.gap import kink_angle
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level


def test_exact_checks():
    assert kink_angle.check_cdf_sympy().level is Level.PROVED
    assert kink_angle.check_projection_covariance().level is Level.PROVED


def test_monte_carlo_corroborates():
    r = kink_angle.check_monte_carlo(n=20_000, dims=(2, 4))
    assert r.level is Level.EVIDENCE
    assert all(row["inside"] for row in r.data["tests"])


def test_wrong_law_would_be_caught():
    # psi is NOT uniform for an anisotropic Gaussian; the same CI machinery must notice that
    rng = np.random.default_rng(1)
    u = rng.standard_normal((20_000, 2)) * np.array([1.0, 2.0])
    psi = np.arctan2(np.abs(u[:, 1]), np.abs(u[:, 0]))
    k = int(np.count_nonzero(psi <= np.pi / 4))
    lo, hi = kink_angle._clopper_pearson(k, len(psi), 1e-9)
    assert not (lo <= 0.5 <= hi)


def test_samples_reproducible_and_in_range():
    a = kink_angle.sample_angles(1000, 5, seed=3)
    b = kink_angle.sample_angles(1000, 5, seed=3)
    assert np.array_equal(a, b)
    assert a.min() >= 0 and a.max() <= np.pi / 2
    assert kink_angle.cdf(np.pi / 4) == pytest.approx(0.5)


def test_bad_input():
    with pytest.raises(InputError):
        kink_angle.sample_angles(10, 1, seed=0)
    with pytest.raises(InputError):
        kink_angle.cdf(float("nan"))
