"""l1 minimisation by linear programming (scipy.optimize.linprog, method "highs") and the
Monte Carlo phase-transition experiments built on it.  Floating point: statistical evidence only.

* :func:`l1_minimize`:  argmin ||x||_1 subject to A x = b, as the LP over x = u - v, u, v >= 0.
* :func:`recovery_trial`: one random instance — x0 with s nonzeros (Gaussian values, uniformly
  random support), A an m x d standard Gaussian matrix — success iff the LP solution x satisfies
  ||x - x0||_2 <= tol * max(1, ||x0||_2) (default tol 1e-5).
* :func:`success_curve`: trials per m with one seeded Generator per (s, m, trial) (reproducible
  in any order), Clopper-Pearson intervals.
* :func:`crossing`: the m where the empirical success rate crosses 1/2 (linear interpolation
  between the two grid points around the first crossing).
* :func:`orthant_nullspace_hits`: LP feasibility of {x >= 0, 1'x = 1, A x = 0}, i.e. whether the
  null space of A meets the nonnegative orthant nontrivially.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from prunecert.checks.errors import InputError
from prunecert.checks.statistics.montecarlo import clopper_pearson

__all__ = ["l1_minimize", "recovery_trial", "success_curve", "crossing", "orthant_nullspace_hits",
           "CurvePoint"]


def l1_minimize(A, b) -> np.ndarray | None:
    """Solution of min ||x||_1 s.t. Ax = b (None if the LP solver fails)."""
    A = np.asarray(A, dtype=float)
    b = np.asarray(b, dtype=float)
    m, d = A.shape
    if b.shape != (m,):
        raise InputError(f"b must have shape ({m},), got {b.shape}")
    c = np.ones(2 * d)
    res = linprog(c, A_eq=np.hstack([A, -A]), b_eq=b, bounds=(0, None), method="highs")
    if res.status != 0:
        return None
    return res.x[:d] - res.x[d:]


def _instance(d: int, s: int, m: int, rng: np.random.Generator):
    x0 = np.zeros(d)
    support = rng.choice(d, size=s, replace=False)
    x0[support] = rng.standard_normal(s)
    A = rng.standard_normal((m, d))
    return A, x0


def recovery_trial(d: int, s: int, m: int, rng: np.random.Generator, tol: float = 1e-5) -> bool:
    if not (1 <= s <= d) or not (1 <= m):
        raise InputError(f"need 1 <= s <= d and m >= 1 (d={d}, s={s}, m={m})")
    A, x0 = _instance(d, s, m, rng)
    x = l1_minimize(A, A @ x0)
    if x is None:
        return False
    return bool(np.linalg.norm(x - x0) <= tol * max(1.0, np.linalg.norm(x0)))


@dataclass
class CurvePoint:
    m: int
    successes: int
    trials: int
    ci_lo: float
    ci_hi: float

    @property
    def rate(self) -> float:
        return self.successes / self.trials

    def to_json(self) -> dict:
        return {"m": self.m, "successes": self.successes, "trials": self.trials, "rate": self.rate,
                "ci99": [self.ci_lo, self.ci_hi]}


def success_curve(d: int, s: int, ms, trials: int, seed: int, conf: float = 0.99, tol: float = 1e-5,
                  on_step=None) -> list[CurvePoint]:
    """Empirical recovery probability for each m in ``ms``.  Trial t at measurement count m uses
    ``np.random.default_rng([seed, s, m, t])``."""
    if trials < 1:
        raise InputError("trials must be >= 1")
    out = []
    for m in ms:
        k = 0
        for t in range(trials):
            rng = np.random.default_rng([seed, s, int(m), t])
            k += recovery_trial(d, s, int(m), rng, tol)
            if on_step is not None:
                on_step()
        lo, hi = clopper_pearson(k, trials, conf)
        out.append(CurvePoint(int(m), k, trials, lo, hi))
    return out


def crossing(ms, rates, level: float = 0.5) -> float | None:
    """First m at which the piecewise-linear interpolation of (ms, rates) reaches ``level``."""
    ms = [float(m) for m in ms]
    rates = [float(r) for r in rates]
    if not ms or len(ms) != len(rates):
        raise InputError("ms and rates must be non-empty and of equal length")
    if rates[0] >= level:
        return ms[0] if rates[0] == level else None
    for i in range(1, len(ms)):
        if rates[i] >= level:
            r0, r1 = rates[i - 1], rates[i]
            return ms[i - 1] + (level - r0) / (r1 - r0) * (ms[i] - ms[i - 1])
    return None


def orthant_nullspace_hits(A) -> bool:
    """True iff there is x >= 0, x != 0 with A x = 0 (LP feasibility with 1'x = 1)."""
    A = np.asarray(A, dtype=float)
    m, d = A.shape
    A_eq = np.vstack([A, np.ones((1, d))])
    b_eq = np.concatenate([np.zeros(m), [1.0]])
    res = linprog(np.zeros(d), A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    return res.status == 0
