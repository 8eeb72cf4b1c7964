"""Monte Carlo estimates with confidence intervals (statistical evidence, never proof).

* :func:`mean_ci`: sample mean of i.i.d. draws with a two-sided normal-approximation (CLT)
  confidence interval mean +- z_{(1+conf)/2} * sd / sqrt(n).  The CLT interval is asymptotic;
  use a few thousand draws or more.
* :func:`statdim_mc`: delta(C) = E ||Pi_C(g)||^2 estimated from seeded Gaussian draws.
* :func:`clopper_pearson`: exact binomial confidence interval for a success probability.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from prunecert.checks.errors import InputError
from prunecert.checks.statistics.stats import clopper_pearson  # noqa: F401 - one implementation, re-exported for callers of this module

__all__ = ["MCEstimate", "mean_ci", "statdim_mc", "clopper_pearson"]


@dataclass
class MCEstimate:
    mean: float
    lo: float
    hi: float
    sd: float
    n: int
    conf: float
    seed: int | None = None
    method: str = "normal-approximation CI (CLT)"
    extra: dict = field(default_factory=dict)

    def contains(self, value: float) -> bool:
        return self.lo <= float(value) <= self.hi

    def to_json(self) -> dict:
        return {"mean": self.mean, "ci": [self.lo, self.hi], "conf": self.conf, "n": self.n,
                "sd": self.sd, "seed": self.seed, "method": self.method, **self.extra}


def mean_ci(samples, conf: float = 0.99, seed: int | None = None) -> MCEstimate:
    from scipy.stats import norm

    x = np.asarray(samples, dtype=float).ravel()
    if x.size < 2 or not np.all(np.isfinite(x)):
        raise InputError("need at least 2 finite samples")
    if not (0 < conf < 1):
        raise InputError(f"confidence level must lie in (0, 1), got {conf}")
    m, sd = float(x.mean()), float(x.std(ddof=1))
    half = float(norm.ppf(0.5 + conf / 2)) * sd / np.sqrt(x.size)
    return MCEstimate(m, float(m - half), float(m + half), sd, int(x.size), conf, seed)


def statdim_mc(project: Callable[[np.ndarray], np.ndarray] | None, d: int, *, n: int = 20000, seed: int,
               conf: float = 0.99, batch: int = 5000, sq_dist: Callable | None = None) -> MCEstimate:
    """Estimate E ||Pi_C(g)||^2 for g ~ N(0, I_d) with ``n`` seeded draws.

    Give either ``project`` (the projection onto C) or ``sq_dist`` (g -> ||Pi_C(g)||^2 per row
    directly, e.g. the squared distance to the polar cone)."""
    if (project is None) == (sq_dist is None):
        raise InputError("give exactly one of project / sq_dist")
    if not isinstance(d, int) or d < 1 or n < 2:
        raise InputError("need d >= 1 and n >= 2")
    rng = np.random.default_rng(seed)
    vals = []
    done = 0
    while done < n:
        b = min(batch, n - done)
        G = rng.standard_normal((b, d))
        if project is not None:
            P = project(G)
            vals.append(np.einsum("ij,ij->i", P, P))
        else:
            vals.append(np.asarray(sq_dist(G), dtype=float))
        done += b
    est = mean_ci(np.concatenate(vals), conf, seed)
    return est
