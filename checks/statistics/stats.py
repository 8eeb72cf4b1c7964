"""Generic statistics for experiments: line fits with confidence intervals, bootstrap over
seeds, and one-sided Clopper-Pearson bounds.  Statistical evidence only, never proof.

* :func:`fit_line` — ordinary least squares y = a + b x (scipy.stats.linregress) with the
  classical t-based confidence interval of the slope (assumes independent, homoscedastic normal
  residuals).
* :func:`loglog_fit` / :func:`semilog_fit` — the same on (log x, log y) / (x, log y).
* :func:`bootstrap_slope` — percentile bootstrap CI of the slope (scipy.stats.bootstrap),
  resampling *seeds* (rows of a seeds x widths table) with replacement: robust to non-normal
  residuals.
* :func:`cp_lower` / :func:`cp_upper` / :func:`clopper_pearson` — exact (conservative) binomial
  bounds from the beta quantiles (scipy); computed in floating point, so treat the last few
  digits as approximate.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from prunecert.checks.errors import InputError

__all__ = ["LineFit", "fit_line", "loglog_fit", "semilog_fit", "bootstrap_slope", "cp_lower",
           "cp_upper", "clopper_pearson"]


@dataclass
class LineFit:
    slope: float
    intercept: float
    slope_lo: float
    slope_hi: float
    conf: float
    n: int
    r2: float
    resid_sd: float
    method: str

    def to_json(self) -> dict:
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _clean(x, y):
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise InputError(f"x and y differ in length ({x.size} vs {y.size})")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise InputError("non-finite values in a fit")
    return x, y


def fit_line(x, y, conf: float = 0.95, method: str = "OLS, t-interval") -> LineFit:
    """OLS fit y = intercept + slope * x (``scipy.stats.linregress``) with a two-sided t confidence
    interval for the slope: slope +- t_{n-2} * stderr."""
    from scipy import stats

    x, y = _clean(x, y)
    if not (0 < conf < 1):
        raise InputError("conf must be in (0, 1)")
    n = x.size
    if n < 3 or np.ptp(x) == 0:
        raise InputError("a line fit needs >= 3 points with at least two distinct x")
    r = stats.linregress(x, y)
    b, a, se_b = float(r.slope), float(r.intercept), float(r.stderr)
    sse = float(((y - (a + b * x)) ** 2).sum())
    sst = float(((y - y.mean()) ** 2).sum())
    t = float(stats.t.ppf(0.5 + conf / 2, n - 2))
    r2 = 1 - sse / sst if sst > 0 else 1.0   # linregress's r**2 is nan for constant y; the fit is exact
    return LineFit(b, a, b - t * se_b, b + t * se_b, conf, n, r2, math.sqrt(sse / (n - 2)), method)


def loglog_fit(x, y, conf: float = 0.95) -> LineFit:
    """Fit log y = a + b log x (power law y ~ x^b)."""
    x, y = _clean(x, y)
    if np.any(x <= 0) or np.any(y <= 0):
        raise InputError("log-log fit needs positive x and y")
    return fit_line(np.log(x), np.log(y), conf, "OLS on (log x, log y), t-interval")


def semilog_fit(x, y, conf: float = 0.95) -> LineFit:
    """Fit log y = a + b x (exponential y ~ e^{b x})."""
    x, y = _clean(x, y)
    if np.any(y <= 0):
        raise InputError("semilog fit needs positive y")
    return fit_line(x, np.log(y), conf, "OLS on (x, log y), t-interval")


def bootstrap_slope(x, Y, *, logx: bool, conf: float = 0.95, reps: int = 2000, seed: int = 0) -> dict:
    """Percentile bootstrap CI of the slope of log Y against (log) x, resampling the rows of
    ``Y`` (seeds x len(x); NaN = missing) with replacement and refitting on all points
    (``scipy.stats.bootstrap`` on the row indices, method "percentile").  A resample with fewer
    than 3 finite points or one distinct x has no slope and is left out of the quantiles."""
    from scipy import stats

    x = np.asarray(x, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if Y.ndim != 2 or Y.shape[1] != x.size:
        raise InputError("Y must be seeds x widths")
    if np.any(Y[np.isfinite(Y)] <= 0):
        raise InputError("bootstrap fit needs positive values")
    X = np.log(x) if logx else x
    k = Y.shape[0]

    def slope(rows):  # the OLS slope cov(x, y)/var(x) (linregress's, without its per-call overhead)
        xs = np.broadcast_to(X, rows.shape)[np.isfinite(rows)]
        if xs.size < 3 or np.ptp(xs) == 0:
            return np.nan
        ys = np.log(rows[np.isfinite(rows)])
        xm = xs.mean()
        return float(((xs - xm) * (ys - ys.mean())).sum() / ((xs - xm) ** 2).sum())

    full = slope(Y)
    if k < 2:
        lo = hi = np.nan
    else:
        res = stats.bootstrap((np.arange(k),), lambda idx: slope(Y[idx.astype(int)]), n_resamples=reps,
                              vectorized=False, method="percentile", confidence_level=conf,
                              rng=np.random.default_rng(seed))
        lo, hi = res.confidence_interval
        if not (np.isfinite(lo) and np.isfinite(hi)):   # some resamples had no slope: leave them out
            bs = res.bootstrap_distribution[np.isfinite(res.bootstrap_distribution)]
            lo, hi = np.quantile(bs, [0.5 - conf / 2, 0.5 + conf / 2]) if bs.size else (np.nan, np.nan)
    return {"slope": full, "slope_lo": float(lo), "slope_hi": float(hi), "conf": conf, "reps": reps,
            "seed": seed, "method": "percentile bootstrap over seeds"}


def _check_kn(k: int, n: int) -> None:
    if isinstance(k, bool) or isinstance(n, bool) or not (0 <= int(k) <= int(n)) or int(n) < 1:
        raise InputError(f"need 0 <= k <= n, n >= 1 (got k={k}, n={n})")


def cp_lower(k: int, n: int, conf: float = 0.99) -> float:
    """One-sided Clopper-Pearson lower confidence bound for a binomial proportion."""
    from scipy.stats import beta

    _check_kn(k, n)
    return 0.0 if k == 0 else float(beta.ppf(1 - conf, k, n - k + 1))


def cp_upper(k: int, n: int, conf: float = 0.99) -> float:
    """One-sided Clopper-Pearson upper confidence bound for a binomial proportion."""
    from scipy.stats import beta

    _check_kn(k, n)
    return 1.0 if k == n else float(beta.ppf(conf, k + 1, n - k))


def clopper_pearson(k: int, n: int, conf: float = 0.99) -> tuple[float, float]:
    """Two-sided Clopper-Pearson interval."""
    a = (1 - conf) / 2
    return cp_lower(k, n, 1 - a), cp_upper(k, n, 1 - a)
