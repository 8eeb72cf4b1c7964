"""The package's theorems for random and magnitude pruning (related to seed 002, source "new").

Setting (docs/seed002-random-magnitude-pruning.md#theorems)
----------------------------------------------------------
* Target: depth L >= 1, layer maps W_1..W_L with every *weight* in [-1, 1] (fixed, or random with
  any law on that cube, e.g. i.i.d. Uniform[-1, 1]: the statements hold conditionally on the target).
  F(x) = h_L, h_0 = x, h_i = relu(W_i h_{i-1}) (the last layer may be linear).
  Layer types: fully connected (W_i in [-1,1]^{d_i x d_{i-1}}: M_i = d_i d_{i-1} weights,
  constant c_i = sqrt(d_i d_{i-1})), or convolutional (stride 1, zero padding; C_out x C_in kernels
  of r_i entries each, W_i = [T(k_{o,c})]: M_i = r_i C_in C_out weights, constant
  c_i = r_i sqrt(C_in C_out)).  Then ||W_i||_2 <= c_i (Frobenius, resp. Young + block bound).
* Larger random network G_N: every target weight (connection or kernel entry) carries N candidate
  weights, i.i.d. Uniform[-K, K], K >= 2, independent of the target.  (The bundle of N parallel
  candidates is what "N times larger" means here; the unpruned network sums a bundle.)
  A *subnetwork* keeps at most one candidate per bundle (a dropped bundle is the weight 0).
* Random pruning: every candidate is kept independently with probability p in (0, 1].
* Magnitude pruning: every candidate with |c| <= t is removed, 0 <= t = tau * eta, tau in [0, 1].
* Error: E = sup_{||x||_2 <= 1} ||F(x) - F~(x)||_2.

Theorems.  Let P = prod_i c_i, M = sum_i M_i, eta = (1 + eps/P)^(1/L) - 1 (0 < eps <= P) and
0 < delta < 1.

* (random) If N >= K log(M/delta) / (p eta), then with probability >= 1 - delta the randomly pruned
  G_N contains a subnetwork with E <= eps.
* (magnitude) If N >= 2K log(M/delta) / ((2 - tau) eta), then with probability >= 1 - delta the
  magnitude-pruned G_N (threshold t = tau eta) contains a subnetwork with E <= eps.  Moreover the
  removed fraction of the N*M candidates is within u of t/K with probability >= 1 - 2 exp(-2 N M u^2)
  and the expected removed squared mass is N M t^3 / (3K).

Proof: matching (prunecert.bounds.random_magnitude.matching) + union bound over the M bundles + the perturbation bound
(prunecert.bounds.random_magnitude.perturbation) with ||W_i - W~_i|| <= eta c_i, ||W~_i|| <= (1 + eta) c_i, ||W_i|| <= c_i,
whose sum is P((1 + eta)^L - 1) = eps (geometric identity).
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import numpy as np
import sympy as sp
from flint import arb

from prunecert.checks.rigorous.arith import ball, compare3, lower_fraction, upper_fraction, workprec
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Tri
from prunecert.checks.rigorous.numbers import to_fraction

from prunecert.bounds.random_magnitude.matching import nearest_distance_sample

__all__ = ["Layer", "fc_layers", "width_formula", "eta_formula", "required_width", "width_grid",
           "simulate", "clopper_pearson", "union_bound_step", "conv_decomposition_identity", "conv_norm_instances",
           "GRID_EPS", "GRID_DELTA", "DEFAULT_DIMS", "CONSTANTS"]

GRID_EPS = ("0.1", "0.05", "0.01")
GRID_DELTA = ("0.1", "0.05", "0.01")
DEFAULT_DIMS = (4, 8, 8, 2)

eps_s, delta_s, P_s, L_s, M_s, K_s, p_s, tau_s = sp.symbols("eps delta P L M K p tau", positive=True)


class Layer:
    """One layer of the target: ``M`` weights, norm constant ``c2 = c^2`` (an exact rational)."""

    def __init__(self, kind: str, M: int, c2: Fraction, shape: tuple):
        self.kind, self.M, self.c2, self.shape = kind, M, Fraction(c2), shape

    @staticmethod
    def fc(d_in: int, d_out: int) -> "Layer":
        if d_in < 1 or d_out < 1:
            raise InputError(f"layer widths must be positive, got {d_in} -> {d_out}")
        return Layer("fc", d_in * d_out, Fraction(d_in * d_out), (d_out, d_in))

    @staticmethod
    def conv(c_in: int, c_out: int, kernel_entries: int) -> "Layer":
        if min(c_in, c_out, kernel_entries) < 1:
            raise InputError("channels and kernel size must be positive")
        r = kernel_entries
        return Layer("conv", r * c_in * c_out, Fraction(r * r * c_in * c_out), (c_out, c_in, r))

    def to_json(self) -> dict:
        return {"kind": self.kind, "weights": self.M, "c_squared": str(self.c2), "shape": list(self.shape)}


def fc_layers(dims: Sequence[int]) -> list[Layer]:
    dims = [int(d) for d in dims]
    if len(dims) < 2:
        raise InputError("dims must list at least an input and an output width")
    return [Layer.fc(a, b) for a, b in zip(dims[:-1], dims[1:])]


def eta_formula() -> sp.Expr:
    return (1 + eps_s / P_s) ** (1 / L_s) - 1


def width_formula(method: str = "random") -> sp.Expr:
    """Required number N of candidates per target weight, as a sympy expression in
    eps, delta, P, L, M, K and p (random) or tau (magnitude)."""
    if method == "random":
        return K_s * sp.log(M_s / delta_s) / (p_s * eta_formula())
    if method == "magnitude":
        return 2 * K_s * sp.log(M_s / delta_s) / ((2 - tau_s) * eta_formula())
    raise InputError(f"unknown pruning method {method!r}; use 'random' or 'magnitude'")


def _validate(eps, delta, K, p, tau):
    e, d, Kq, pq, tq = (to_fraction(v, n) for v, n in
                        ((eps, "eps"), (delta, "delta"), (K, "K"), (p, "keep probability p"), (tau, "tau")))
    if e <= 0:
        raise InputError(f"eps must be positive, got {e}")
    if not 0 < d < 1:
        raise InputError(f"delta must lie in (0, 1), got {d}")
    if Kq < 2:
        raise InputError(f"the theorems need K >= 2, got {Kq}")
    if not 0 < pq <= 1:
        raise InputError(f"keep probability must lie in (0, 1], got {pq}")
    if not 0 <= tq <= 1:
        raise InputError(f"tau = t/eta must lie in [0, 1], got {tq}")
    return e, d, Kq, pq, tq


def required_width(eps, delta, layers: Sequence[Layer] | Sequence[int] = DEFAULT_DIMS, *,
                   method: str = "random", K=2, p="1/2", tau="1/2", prec: int = 128) -> dict:
    """Certified N (candidates per target weight) for the theorem of ``method``.

    eta_lo is an exact rational <= eta = (1 + eps/P)^(1/L) - 1 (lower end of an arb enclosure),
    so P((1 + eta_lo)^L - 1) <= eps; N is the ceiling of the upper end of an enclosure of the
    width formula evaluated at eta_lo, so M exp(-q N) <= delta with q the per-candidate success
    probability bound.  Returns N, eta_lo, t, q and the totals."""
    e, d, Kq, pq, tq = _validate(eps, delta, K, p, tau)
    if layers and isinstance(list(layers)[0], (int, np.integer)):
        layers = fc_layers(list(layers))
    layers = list(layers)
    if not layers:
        raise InputError("need at least one layer")
    L = len(layers)
    M = sum(l.M for l in layers)
    P2 = math.prod(l.c2 for l in layers)          # P^2, exact
    with workprec(prec):
        P = ball(P2).sqrt()
        if compare3(ball(e), "<=", P) is not Tri.TRUE:
            raise InputError(f"eps must be at most P = sqrt({P2}) (the theorems need eta <= 1)")
        eta = (1 + ball(e) / P) ** (arb(1) / L) - 1
        eta_lo = lower_fraction(eta)
        if eta_lo <= 0:
            raise InputError("eps too small for the working precision; raise prec")
        # round eta_lo down to a short rational (keeps the certificate readable); still <= eta
        den = 10 ** (max(3, -int(math.floor(math.log10(float(eta_lo)))) + 6))
        eta_lo = Fraction(math.floor(eta_lo * den), den)
        # the achieved error bound at eta_lo, certified <= eps
        err = P * ((1 + ball(eta_lo)) ** L - 1)
        if compare3(err, "<=", ball(e)) is not Tri.TRUE:
            raise RuntimeError("internal: error bound at eta_lo not certified <= eps")
        if method == "random":
            t = Fraction(0)
            q = pq * eta_lo / Kq
        elif method == "magnitude":
            t = tq * eta_lo
            q = (2 * eta_lo - t) / (2 * Kq)
        else:
            raise InputError(f"unknown pruning method {method!r}; use 'random' or 'magnitude'")
        Nball = (ball(Fraction(M)) / ball(d)).log() / ball(q)
        N = int(math.ceil(upper_fraction(Nball)))
        # certify the union bound: M exp(-q N) <= delta
        for _ in range(3):
            fail = ball(Fraction(M)) * (-(ball(q) * N)).exp()
            if compare3(fail, "<=", ball(d)) is Tri.TRUE:
                break
            N += 1
        else:
            raise RuntimeError("internal: union bound M exp(-q N) <= delta not certified")
    return {"method": method, "eps": str(e), "delta": str(d), "K": str(Kq),
            "keep_probability": str(pq) if method == "random" else None,
            "tau": str(tq) if method == "magnitude" else None,
            "L": L, "M": M, "P_squared": str(P2), "eta_lo": str(eta_lo), "t": str(t),
            "q_lower": str(q), "N": N, "total_candidates": N * M,
            "layers": [l.to_json() for l in layers]}


def union_bound_step() -> dict:
    """The width step of the theorems, checked by sympy for symbolic positive q, M, delta, N, K, p,
    eta, tau (all positive reals; the lemma's hypotheses M >= 1, 0 < delta < 1 only make N0 > 0):

    (a) at N0 = log(M/delta)/q, M exp(-q N0) = delta exactly;
    (b) d/dN [M exp(-q N)] = -q M exp(-q N) < 0, so N >= N0 implies M exp(-q N) <= delta, i.e. each of
        the M bundles fails with probability <= exp(-q N) <= delta/M and the union bound gives
        P(some bundle fails) <= M (delta/M) = delta;
    (c) the per-candidate rates: random pruning q = p * (2 eta) * 1/(2K) = p eta/K (keep probability
        times the window mass eta/K of Uniform[-K, K]); magnitude pruning q = (2 eta - tau eta)/(2K)
        (seed002.matching.window with t = tau eta);
    (d) width_formula(method) equals log(M/delta)/q for both methods.

    Returns {"ok": bool, "parts": {name: bool}}."""
    q, N, eta = sp.symbols("q N eta", positive=True)
    f = M_s * sp.exp(-q * N)
    N0 = sp.log(M_s / delta_s) / q
    parts = {}
    parts["value_at_N0"] = sp.simplify(f.subs(N, N0) - delta_s) == 0
    dfd = sp.diff(f, N)
    parts["derivative_form"] = sp.simplify(dfd + q * M_s * sp.exp(-q * N)) == 0
    parts["derivative_negative"] = bool((-q * M_s * sp.exp(-q * N)).is_negative)
    q_rand = p_s * eta / K_s
    q_mag = (2 * eta - tau_s * eta) / (2 * K_s)
    parts["random_rate"] = sp.simplify(p_s * (2 * eta) / (2 * K_s) - q_rand) == 0
    parts["magnitude_rate"] = sp.simplify((2 * eta - tau_s * eta) / (2 * K_s) - q_mag) == 0 \
        and bool(sp.factor(q_mag.subs(tau_s, 1 - sp.Symbol("s", nonnegative=True))).is_positive)   # q > 0, tau <= 1
    et = eta_formula()
    parts["random_width"] = sp.simplify(width_formula("random") - N0.subs(q, q_rand.subs(eta, et))) == 0
    parts["magnitude_width"] = sp.simplify(width_formula("magnitude") - N0.subs(q, q_mag.subs(eta, et))) == 0
    return {"ok": all(parts.values()), "parts": parts}


def width_grid(layers=DEFAULT_DIMS, *, method="random", eps_grid=GRID_EPS, delta_grid=GRID_DELTA, **kw) -> list[dict]:
    return [required_width(e, d, layers, method=method, **kw) for e in eps_grid for d in delta_grid]


# --------------------------------------------------------------------------- Monte Carlo
def clopper_pearson(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Two-sided Clopper-Pearson interval (uses prunecert.checks.statistics.stats if present, else scipy.stats.beta)."""
    try:
        from prunecert.checks.statistics.stats import clopper_pearson as cp  # type: ignore

        out = cp(successes, trials, confidence)
        return (float(out[0]), float(out[1])) if isinstance(out, tuple) else (float(out.lo), float(out.hi))
    except Exception:  # noqa: BLE001 - fall back to the closed form
        from scipy.stats import beta

        a = 1 - confidence
        lo = 0.0 if successes == 0 else float(beta.ppf(a / 2, successes, trials - successes + 1))
        hi = 1.0 if successes == trials else float(beta.ppf(1 - a / 2, successes + 1, trials - successes))
        return lo, hi


def simulate(cert: dict, trials: int, *, seed: int, chunk: int = 200) -> dict:
    """Monte Carlo of the theorem's event for a fully-connected target at the certified N.

    One trial: target weights i.i.d. Uniform[-1, 1]; for every bundle the number of surviving
    candidates (Binomial(N, p), resp. Binomial(N, 1 - t/K)) and the surviving candidate nearest to
    the target weight, sampled exactly in law (:func:`prunecert.bounds.random_magnitude.matching.nearest_distance_sample`);
    the subnetwork takes that candidate or 0, whichever is nearer.  Success: the perturbation bound
    with the trial's spectral norms is <= eps (which implies E <= eps); also counts trials whose
    every bundle matched within eta.  Float arithmetic (evidence, not proof)."""
    if trials < 1:
        raise InputError("trials must be positive")
    layers = cert["layers"]
    if any(l["kind"] != "fc" for l in layers):
        raise InputError("the simulation covers fully-connected targets")
    shapes = [tuple(l["shape"]) for l in layers]
    N = int(cert["N"])
    K = float(Fraction(cert["K"]))
    eta = float(Fraction(cert["eta_lo"]))
    eps = float(Fraction(cert["eps"]))
    t = float(Fraction(cert["t"]))
    keep = float(Fraction(cert["keep_probability"])) if cert["method"] == "random" else 1.0 - t / K
    rng = np.random.default_rng(seed)
    succ = matched = 0
    worst = 0.0
    done = 0
    while done < trials:
        b = min(chunk, trials - done)
        Ws, Wts = [], []
        all_match = np.ones(b, dtype=bool)
        for shape in shapes:
            W = rng.uniform(-1.0, 1.0, size=(b,) + shape)
            n_kept = rng.binomial(N, keep, size=W.shape)
            c = nearest_distance_sample(W.ravel(), n_kept.ravel(), K, t, rng).reshape(W.shape)
            c = np.where(np.isnan(c), 0.0, c)
            Wt = np.where(np.abs(c - W) <= np.abs(W), c, 0.0)
            all_match &= (np.abs(Wt - W) <= eta).reshape(b, -1).all(axis=1)
            Ws.append(W)
            Wts.append(Wt)
        n = [np.linalg.norm(W, 2, axis=(1, 2)) for W in Ws]
        m = [np.linalg.norm(V, 2, axis=(1, 2)) for V in Wts]
        a = [np.linalg.norm(W - V, 2, axis=(1, 2)) for W, V in zip(Ws, Wts)]
        Lh = len(shapes)
        bound = sum(np.prod(m[i + 1:], axis=0) * a[i] * np.prod(n[:i], axis=0) if Lh > 1 else a[i]
                    for i in range(Lh))
        bound = np.asarray(bound) * (1 + 1e-9)
        succ += int((bound <= eps).sum())
        matched += int(all_match.sum())
        worst = max(worst, float(bound.max()))
        done += b
    lo, hi = clopper_pearson(succ, trials)
    mlo, _ = clopper_pearson(matched, trials)
    target = 1 - float(Fraction(cert["delta"]))
    return {"method": cert["method"], "eps": cert["eps"], "delta": cert["delta"], "N": N,
            "trials": trials, "seed": seed, "successes": succ, "rate": succ / trials,
            "cp95": [lo, hi], "matched_all": matched, "matched_cp95_lower": mlo,
            "required": target, "ok": lo >= target, "worst_bound": worst}


# --------------------------------------------------------------------------- convolution leaves
def conv_decomposition_identity(n: int = 6, r: int = 3, pad: int = 1, h: int = 4, w: int = 4) -> bool:
    """T(k) == sum_s k_s S_s with every S_s a partial permutation, for a symbolic kernel (exact):
    1-D (length n, kernel r, padding pad) and 2-D (h x w image, 2 x 2 kernel); the matrices agree
    with the definition of cross-correlation on a symbolic input."""
    from prunecert.checks.learning.matrices import (conv1d_apply, conv1d_matrix, conv2d_apply, conv2d_matrix,
                                 is_partial_permutation, shift_matrices_1d, shift_matrices_2d)

    k = sp.symbols(f"k0:{r}")
    x = sp.symbols(f"x0:{n}")
    T = conv1d_matrix(k, n, pad)
    direct = conv1d_apply(list(k), list(x), pad)
    via = [sum(T[i, j] * x[j] for j in range(n)) for i in range(T.shape[0])]
    ok = all(sp.expand(a - b) == 0 for a, b in zip(direct, via))
    ok &= all(is_partial_permutation(S) for S in shift_matrices_1d(n, r, pad))
    k2 = np.array(sp.symbols("q0:4")).reshape(2, 2)
    X = np.array(sp.symbols(f"y0:{h * w}")).reshape(h, w)
    T2 = conv2d_matrix(k2, h, w, 0)
    direct2 = [v for row in conv2d_apply(k2, X) for v in row]
    xf = X.ravel()
    via2 = [sum(T2[i, j] * xf[j] for j in range(h * w)) for i in range(T2.shape[0])]
    ok &= all(sp.expand(a - b) == 0 for a, b in zip(direct2, via2))
    ok &= all(is_partial_permutation(S) for S in shift_matrices_2d(h, w, 2, 2, 0))
    return bool(ok)


def conv_norm_instances(count: int = 6, seed: int = 0) -> dict:
    """Exact check on random rational kernels: ||k||_1^2 I - T(k)^T T(k) is positive semidefinite
    (so ||T(k)||_2 <= ||k||_1), 1-D and 2-D, via sympy's exact PSD test."""
    rng = np.random.default_rng(seed)
    cases = 0
    for i in range(count):
        r = int(rng.integers(1, 4))
        n = int(rng.integers(r, r + 4))
        k = [sp.Rational(int(v), 7) for v in rng.integers(-7, 8, size=r)]
        from prunecert.checks.learning.matrices import conv1d_matrix, conv2d_matrix

        T = sp.Matrix(conv1d_matrix(k, n, pad=int(rng.integers(0, r))).tolist())
        l1 = sum(abs(v) for v in k)
        G = l1 ** 2 * sp.eye(T.shape[1]) - T.T * T
        if not G.is_positive_semidefinite:
            return {"ok": False, "counterexample": {"kernel": [str(v) for v in k], "n": n}}
        k2 = [[sp.Rational(int(v), 5) for v in row] for row in rng.integers(-5, 6, size=(2, 2))]
        T2 = sp.Matrix(conv2d_matrix(k2, 3, 3, 0).tolist())
        l1 = sum(abs(v) for row in k2 for v in row)
        if not (l1 ** 2 * sp.eye(9) - T2.T * T2).is_positive_semidefinite:
            return {"ok": False, "counterexample": {"kernel2d": [[str(v) for v in r_] for r_ in k2]}}
        cases += 2
    return {"ok": True, "cases": cases}


CONSTANTS = [
    {"name": "seed002_matching_exp_rate_uniform2", "expression": "1/4",
     "description": "per-candidate success probability / eta in Theorem R with Uniform[-2, 2] candidates "
                    "kept with probability p = 1/2: p * (2 eta * density 1/4) / eta = p/K = 1/4",
     "source": "new"},
]

