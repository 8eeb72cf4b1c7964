"""The kink-angle law for Gaussian hidden weights.

Statement (reconstructed for this project, proved here; docs/neuron-lower-bound.md#kink-angle-law).  Let d >= 2,
u ~ N(0, I_d), and w, z orthonormal in R^d.  In the plane P = span(w, z) the hidden unit
sigma(<u, x>) has the kink line {x in P : <u, x> = 0}; its angle to the target's kink line
span(z) = w^perp cap P is psi = arctan(|<u, z>| / |<u, w>|) in [0, pi/2].  Then

    P(psi <= alpha) = 2 alpha / pi   for every alpha in [0, pi/2],

i.e. psi ~ Uniform[0, pi/2], in every dimension d >= 2.

Proof: (X, Y) = (<u, w>, <u, z>) = M u with M = [w; z] (2 x d), M M^T = I_2, so (X, Y) ~ N(0, I_2)
whatever d is.  psi <= alpha  <=>  |Y| <= tan(alpha) |X| (X != 0 a.s.), and sympy evaluates the
Cartesian integral F(t) = P(|Y| <= t |X|) = 4 int_0^oo phi(x) int_0^{t x} phi(y) dy dx = (2/pi) atan t
exactly; F(tan alpha) = 2 alpha/pi.  The Monte Carlo check only corroborates it.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level
from prunecert.checks.result import CheckResult, Timer

from prunecert.bounds.gap.chord import identity_result

__all__ = ["STATEMENT", "cdf_expr", "cdf", "sample_angles", "check_cdf_sympy",
           "check_projection_covariance", "check_monte_carlo"]

_alpha = sp.Symbol("alpha", positive=True)
_t = sp.Symbol("t", positive=True)
cdf_expr = 2 * _alpha / sp.pi
STATEMENT = "P(atan(Abs(<u,z>)/Abs(<u,w>)) <= alpha) = 2*alpha/pi, 0 <= alpha <= pi/2, u ~ N(0, I_d), d >= 2"


def cdf(alpha: float) -> float:
    """P(psi <= alpha) = 2 alpha / pi (float helper, for plots and search only)."""
    alpha = float(alpha)
    if not np.isfinite(alpha):
        raise InputError("alpha must be finite")
    return min(1.0, max(0.0, 2.0 * alpha / np.pi))


def sample_angles(n: int, d: int, *, seed: int) -> np.ndarray:
    """n kink angles psi_i for u_i ~ N(0, I_d) with w = e_1, z = e_2 (float; evidence only)."""
    if d < 2 or n < 0:
        raise InputError("need d >= 2 and n >= 0")
    rng = np.random.default_rng(seed)
    u = rng.standard_normal((n, d))
    return np.arctan2(np.abs(u[:, 1]), np.abs(u[:, 0]))


def check_projection_covariance() -> CheckResult:
    """(<u,w>, <u,z>) = M u has covariance M M^T = [[|w|^2, <w,z>], [<w,z>, |z|^2]] = I_2; checked
    exactly for a symbolic orthonormal pair in R^3 (w = R e1, z = R e2, R a two-angle rotation)."""
    with Timer() as tm:
        th, ph = sp.symbols("theta phi", real=True)
        Rz = sp.Matrix([[sp.cos(th), -sp.sin(th), 0], [sp.sin(th), sp.cos(th), 0], [0, 0, 1]])
        Rx = sp.Matrix([[1, 0, 0], [0, sp.cos(ph), -sp.sin(ph)], [0, sp.sin(ph), sp.cos(ph)]])
        R = Rz * Rx
        M = sp.Matrix.vstack((R * sp.Matrix([1, 0, 0])).T, (R * sp.Matrix([0, 1, 0])).T)
        C = (M * M.T - sp.eye(2)).applyfunc(sp.trigsimp)
        res = identity_result([(f"(M M^T - I)[{i},{j}]", C[i, j]) for i in range(2) for j in range(2)],
                              extra="linear image of N(0, I_d) is N(0, M M^T); general d: M M^T = I_2 "
                                    "is orthonormality itself")
    res.seconds = tm.seconds
    return res


def check_cdf_sympy() -> CheckResult:
    """Exact: F(t) = P(|Y| <= t|X|) for (X, Y) ~ N(0, I_2), computed as a Cartesian integral
    (no polar coordinates), equals (2/pi) atan t; F(tan alpha) = 2 alpha / pi on [0, pi/2)."""
    with Timer() as tm:
        x, y = sp.symbols("x y", positive=True)
        phi = lambda s: sp.exp(-s ** 2 / 2) / sp.sqrt(2 * sp.pi)  # noqa: E731
        inner = sp.integrate(phi(y), (y, 0, _t * x))
        F = sp.integrate(4 * phi(x) * inner, (x, 0, sp.oo))
        total = sp.integrate(phi(x), (x, -sp.oo, sp.oo)) ** 2
        a_ = sp.Symbol("a_", positive=True)
        facts = [
            ("F(t) - (2/pi) atan t", F - 2 * sp.atan(_t) / sp.pi),
            ("N(0, I_2) has mass 1", total - 1),
            # on (0, pi/2) write alpha = atan(s), s > 0: F(tan alpha) = F(s) = 2 atan(s)/pi = 2 alpha/pi
            ("F(tan(atan s)) = 2 atan(s)/pi", F.subs(_t, sp.tan(sp.atan(a_))) - 2 * sp.atan(a_) / sp.pi),
            ("dF/dt = 2/(pi (1+t^2)) (density of psi in t = tan psi)",
             sp.diff(F, _t) - 2 / (sp.pi * (1 + _t ** 2))),
        ]
        res = identity_result(facts, method="sympy-integral",
                              extra="alpha = atan(s) ranges over (0, pi/2) as s over (0, oo); "
                                    "alpha = 0, pi/2 by continuity")
    res.seconds = tm.seconds
    return res


def _clopper_pearson(k: int, n: int, level: float) -> tuple[float, float]:
    from scipy.special import betaincinv   # quantiles of the beta law (lighter than scipy.stats)

    lo = 0.0 if k == 0 else float(betaincinv(k, n - k + 1, level / 2))
    hi = 1.0 if k == n else float(betaincinv(k + 1, n - k, 1 - level / 2))
    return lo, hi


def check_monte_carlo(n: int = 30_000, dims=(2, 3, 7), seed: int = 4004,
                      miss_probability: float = 1e-9) -> CheckResult:
    """EVIDENCE-level corroboration: for each d and alpha in {pi/8, pi/4, 3pi/8}, the empirical
    P(psi <= alpha) has a Clopper-Pearson interval (level 1e-9 per test, Bonferroni over all
    tests) containing 2 alpha/pi.  A miss would flag an error somewhere (REFUTED)."""
    with Timer() as tm:
        alphas = [np.pi / 8, np.pi / 4, 3 * np.pi / 8]
        tests = len(alphas) * len(dims)
        rows = []
        ok = True
        for j, d in enumerate(dims):
            psi = sample_angles(n, d, seed=seed + j)
            for al in alphas:
                k = int(np.count_nonzero(psi <= al))
                lo, hi = _clopper_pearson(k, n, miss_probability / tests)
                p = 2 * al / np.pi
                inside = lo <= p <= hi
                ok &= inside
                rows.append({"d": d, "alpha": round(al, 6), "k": k, "n": n, "ci": [lo, hi], "p": p,
                             "inside": inside})
    data = {"seed": seed, "n": n, "dims": list(dims), "ci_level": 1 - miss_probability, "tests": rows}
    if not ok:
        return CheckResult(Level.REFUTED, "monte-carlo+clopper-pearson", tm.seconds,
                           "an empirical CDF value falls outside its 1-1e-9 confidence interval", data=data)
    return CheckResult(Level.EVIDENCE, "monte-carlo+clopper-pearson", tm.seconds,
                       f"{tests} CDF values inside simultaneous {1 - miss_probability} CIs", data=data)
