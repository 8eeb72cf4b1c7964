"""Line fits, bootstrap, Clopper-Pearson."""
import math

import numpy as np
import pytest

from prunecert.checks.errors import InputError
from prunecert.checks.statistics.stats import (bootstrap_slope, clopper_pearson, cp_lower, cp_upper, fit_line, loglog_fit,
                          semilog_fit)


def test_exact_line():
    f = fit_line([1, 2, 3, 4], [3, 5, 7, 9])
    assert f.slope == pytest.approx(2) and f.intercept == pytest.approx(1)
    assert f.slope_lo == pytest.approx(2) and f.slope_hi == pytest.approx(2) and f.r2 == pytest.approx(1)


def test_power_and_exponential_laws():
    rng = np.random.default_rng(0)
    x = np.repeat(np.arange(4, 40, 4), 10)
    y = 3.0 / x * np.exp(0.1 * rng.standard_normal(x.size))
    f = loglog_fit(x, y)
    assert f.slope_lo < -1 < f.slope_hi and f.slope_hi - f.slope_lo < 0.3
    z = np.exp(-0.5 * x) * np.exp(0.1 * rng.standard_normal(x.size))
    g = semilog_fit(x, z)
    assert g.slope_lo < -0.5 < g.slope_hi


def test_ci_coverage():
    """The 90% t-interval covers the true slope about 90% of the time (falsifiable)."""
    rng = np.random.default_rng(1)
    x = np.linspace(0, 1, 12)
    covered = 0
    for _ in range(400):
        f = fit_line(x, 1 - 2 * x + rng.standard_normal(12), conf=0.9)
        covered += f.slope_lo <= -2 <= f.slope_hi
    assert 0.85 <= covered / 400 <= 0.95


def test_bootstrap():
    rng = np.random.default_rng(2)
    x = np.array([4, 8, 16, 32], dtype=float)
    Y = 2.0 / x[None, :] * np.exp(0.2 * rng.standard_normal((12, 4)))
    b = bootstrap_slope(x, Y, logx=True, reps=500, seed=3)
    assert b["slope_lo"] <= b["slope"] <= b["slope_hi"] and b["slope_lo"] < -1 < b["slope_hi"]
    Y[0, 0] = np.nan                      # missing values are skipped
    assert math.isfinite(bootstrap_slope(x, Y, logx=True, reps=50)["slope"])


def test_clopper_pearson():
    assert cp_lower(0, 10) == 0.0 and cp_upper(10, 10) == 1.0
    # k = n: the lower bound is (1 - conf)^(1/n) exactly
    assert cp_lower(20, 20, 0.99) == pytest.approx(0.01 ** (1 / 20))
    assert cp_upper(0, 20, 0.99) == pytest.approx(1 - 0.01 ** (1 / 20))
    lo, hi = clopper_pearson(30, 100, 0.95)
    assert lo < 0.3 < hi and cp_lower(30, 100, 0.975) == pytest.approx(lo)


def test_bad_input():
    with pytest.raises(InputError):
        fit_line([1, 1, 1], [1, 2, 3])
    with pytest.raises(InputError):
        loglog_fit([1, 2, 3], [1, 0, 3])
    with pytest.raises(InputError):
        fit_line([1, 2], [1, 2, 3])
    with pytest.raises(InputError):
        fit_line([1, 2, float("nan")], [1, 2, 3])
    with pytest.raises(InputError):
        cp_lower(5, 3)
