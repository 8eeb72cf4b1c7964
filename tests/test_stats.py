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


# --- the scipy-based fits give the results of the former hand-written ones ---------------------

def _ols_reference(x, y, conf):
    """The closed-form OLS with t-interval that fit_line computed before it used linregress."""
    from scipy import stats

    x, y = np.asarray(x, float), np.asarray(y, float)
    n, xm, ym = x.size, x.mean(), y.mean()
    sxx = ((x - xm) ** 2).sum()
    b = ((x - xm) * (y - ym)).sum() / sxx
    a = ym - b * xm
    sse = ((y - a - b * x) ** 2).sum()
    s = math.sqrt(sse / (n - 2))
    t = stats.t.ppf(0.5 + conf / 2, n - 2)
    return b, a, b - t * s / math.sqrt(sxx), b + t * s / math.sqrt(sxx), 1 - sse / ((y - ym) ** 2).sum(), s


def _bootstrap_reference(x, Y, logx, conf, reps, seed):
    """The former hand-written percentile bootstrap over rows (numpy Generator, same seed)."""
    X = np.log(x) if logx else x
    rng = np.random.default_rng(seed)
    k = Y.shape[0]

    def slope(rows):
        xs = np.broadcast_to(X, rows.shape)[np.isfinite(rows)]
        ys = np.log(rows[np.isfinite(rows)])
        if xs.size < 3 or np.ptp(xs) == 0:
            return np.nan
        return ((xs - xs.mean()) * (ys - ys.mean())).sum() / ((xs - xs.mean()) ** 2).sum()

    bs = np.array([slope(Y[rng.integers(0, k, size=k)]) for _ in range(reps)])
    bs = bs[np.isfinite(bs)]
    return slope(Y), *np.quantile(bs, [0.5 - conf / 2, 0.5 + conf / 2])


@pytest.mark.parametrize("seed", range(6))
def test_fit_line_unchanged_by_linregress(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 30))
    x = rng.uniform(-3, 3, n)
    y = 1.5 - 0.8 * x + rng.uniform(0, 2) * rng.standard_normal(n)
    f = fit_line(x, y, conf=0.9)
    ref = _ols_reference(x, y, 0.9)
    got = (f.slope, f.intercept, f.slope_lo, f.slope_hi, f.r2, f.resid_sd)
    assert got == pytest.approx(ref, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("logx", [True, False])
def test_bootstrap_unchanged_by_scipy_bootstrap(logx):
    rng = np.random.default_rng(7)
    x = np.array([4, 6, 8, 12, 16, 24], dtype=float)
    Y = 3.0 / x[None, :] * np.exp(0.3 * rng.standard_normal((9, 6)))
    Y[rng.random(Y.shape) < 0.2] = np.nan              # missing entries, as in the gap experiment
    b = bootstrap_slope(x, Y, logx=logx, conf=0.95, reps=400, seed=11)
    assert (b["slope"], b["slope_lo"], b["slope_hi"]) == pytest.approx(
        _bootstrap_reference(x, Y, logx, 0.95, 400, 11), rel=1e-12, abs=1e-12)
