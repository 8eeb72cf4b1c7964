"""Layer-wise perturbation bound for networks with 1-Lipschitz activations (seed 002 building block).

Network: ``h_0 = x``, ``h_i = s_i(W_i h_{i-1})`` for ``i = 1..L``, each ``s_i`` applied
coordinatewise, 1-Lipschitz with ``s_i(0) = 0`` (ReLU, or the identity on the last layer);
``F(x) = h_L``.  ``F~`` is the same with matrices ``W~_i``.  For any vector norm that is
monotone in the absolute values of the coordinates (every l_p norm) and the induced operator
norms:

    ||F(x) - F~(x)|| <= sum_i (prod_{j>i} ||W~_j||) ||W_i - W~_i|| (prod_{j<i} ||W_j||) ||x||.

The proof (docs/seed002-random-magnitude-pruning.md#perturbation) is an induction whose
machine-checked leaves live here:

* :func:`prove_pl_nonneg` — an exact proof that a piecewise-linear expression of a few real
  variables (Max/Min/Abs) is >= 0 everywhere: every ordering of the variables and 0 is a cone,
  parametrised by nonnegative symbols; sympy then evaluates Max/Abs branch-free and decides the sign
  of a polynomial with nonnegative coefficients.  Used for ``|relu(a)-relu(b)| <= |a-b|`` and
  ``|relu(t)| <= |t|``.
* :func:`one_layer_identity` — ``W x - W~ x~ = (W - W~) x + W~ (x - x~)`` for symbolic matrices.
* :func:`induction_identity` — the unrolled recursion equals the closed form (symbolic, L = 1..4),
  and :func:`geometric_identity` — the closed form for equal per-layer constants.
* :func:`lagrange_identity` — ``||A||_F^2 ||x||^2 - ||Ax||^2`` is a sum of squares (so the
  spectral norm is at most the Frobenius norm), for symbolic rows of length 1..5.

Float helpers (:func:`forward_float`, :func:`bound_float`) serve search and Monte Carlo only;
:func:`forward_exact` evaluates with Fractions to confirm any counterexample.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Sequence

import numpy as np
import sympy as sp

from prunecert.checks.errors import InputError

__all__ = [
    "prove_pl_nonneg", "relu_lipschitz", "relu_bounded", "one_layer_identity", "induction_identity",
    "bound_closed_form", "geometric_identity", "lagrange_identity", "forward_float", "forward_exact",
    "bound_float", "spectral_norms", "linf_operator_norm", "fixed_network_instance", "linf_search_exact",
]


# --------------------------------------------------------------------------- exact PL proofs
def prove_pl_nonneg(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> tuple[bool, list[str]]:
    """Exact proof that ``expr >= 0`` for all real values of ``variables``.

    Every total preorder of ``variables`` and 0 is covered by the closed cones
    ``v_(1) <= ... <= 0 <= ... <= v_(n)``; on such a cone write the variables as partial sums of
    nonnegative symbols, so Max/Min/Abs of differences of variables evaluate without branches.
    Returns (proved, failing cone descriptions).  ``proved`` is True only if sympy decides
    ``is_nonnegative`` on every cone (a polynomial in nonnegative symbols)."""
    variables = list(variables)
    if not 1 <= len(variables) <= 4:
        raise InputError("prove_pl_nonneg handles 1 to 4 variables")
    zero = sp.Symbol("__zero__")
    items = variables + [zero]
    failures: list[str] = []
    for perm in itertools.permutations(items):
        k = perm.index(zero)
        steps = sp.symbols(f"p0:{len(items)}", nonnegative=True)
        values: dict[sp.Symbol, sp.Expr] = {}
        # above zero: cumulative sums going right; below zero: cumulative negatives going left
        acc = sp.Integer(0)
        for i in range(k + 1, len(perm)):
            acc = acc + steps[i]
            values[perm[i]] = acc
        acc = sp.Integer(0)
        for i in range(k - 1, -1, -1):
            acc = acc - steps[i]
            values[perm[i]] = acc
        e = sp.expand(sp.simplify(expr.subs(values)))
        if e.is_nonnegative is not True:
            failures.append(f"order {[str(p) for p in perm]}: reduced to {e}")
    return (not failures), failures


_a, _b, _t = sp.symbols("a b t", real=True)


def relu_lipschitz() -> tuple[bool, list[str]]:
    """|relu(a) - relu(b)| <= |a - b| for all reals a, b (exact cone proof)."""
    relu = lambda z: sp.Max(z, 0)  # noqa: E731
    return prove_pl_nonneg(sp.Abs(_a - _b) - sp.Abs(relu(_a) - relu(_b)), [_a, _b])


def relu_bounded() -> tuple[bool, list[str]]:
    """|relu(t)| <= |t| (the consequence of 1-Lipschitz and relu(0) = 0 used for ||h_i||)."""
    return prove_pl_nonneg(sp.Abs(_t) - sp.Abs(sp.Max(_t, 0)), [_t])


# --------------------------------------------------------------------------- algebraic identities
def one_layer_identity(m: int, n: int) -> bool:
    """W x - W~ x~ == (W - W~) x + W~ (x - x~) for symbolic m x n matrices (exact)."""
    W = sp.Matrix(m, n, lambda i, j: sp.Symbol(f"w{i}_{j}"))
    Wt = sp.Matrix(m, n, lambda i, j: sp.Symbol(f"v{i}_{j}"))
    x = sp.Matrix(n, 1, lambda i, _: sp.Symbol(f"x{i}"))
    xt = sp.Matrix(n, 1, lambda i, _: sp.Symbol(f"y{i}"))
    diff = (W * x - Wt * xt) - ((W - Wt) * x + Wt * (x - xt))
    return all(sp.expand(e) == 0 for e in diff)


def _syms(L: int):
    a = sp.symbols(f"a1:{L + 1}", nonnegative=True)   # ||W_i - W~_i||
    n = sp.symbols(f"n1:{L + 1}", nonnegative=True)   # ||W_i||
    m = sp.symbols(f"m1:{L + 1}", nonnegative=True)   # ||W~_i||
    X = sp.Symbol("X", nonnegative=True)              # ||x||
    return a, n, m, X


def bound_closed_form(L: int) -> sp.Expr:
    """sum_i (prod_{j>i} m_j) a_i (prod_{j<i} n_j) X, symbols as in :func:`induction_identity`."""
    a, n, m, X = _syms(L)
    return sp.Add(*[sp.Mul(*m[i + 1:]) * a[i] * sp.Mul(*n[:i]) * X for i in range(L)])


def induction_identity(L: int) -> bool:
    """The recursion E_0 = 0, E_i = a_i (prod_{j<i} n_j) X + m_i E_{i-1} unrolls to the closed form.

    (The recursion is the one-layer step applied to ||h_i - h~_i||; it is monotone in E_{i-1}
    because m_i >= 0, which is what lets the induction hypothesis be substituted.)"""
    a, n, m, X = _syms(L)
    E = sp.Integer(0)
    for i in range(L):
        E = a[i] * sp.Mul(*n[:i]) * X + m[i] * E
    return sp.expand(E - bound_closed_form(L)) == 0


def geometric_identity(L: int | None = None) -> bool:
    """With ||W_i|| <= c_i, ||W~_i|| <= (1+eta) c_i, ||W_i - W~_i|| <= eta c_i the closed form is
    (prod c_i) * sum_i eta (1+eta)^(L-i) = (prod c_i)((1+eta)^L - 1).  Checked for symbolic L
    (sympy summation) when L is None, else for that L by expansion."""
    eta = sp.Symbol("eta", positive=True)
    if L is None:
        Ls, i = sp.symbols("L i", integer=True, positive=True)
        s = sp.summation(eta * (1 + eta) ** (Ls - i), (i, 1, Ls))
        return sp.simplify(s - ((1 + eta) ** Ls - 1)) == 0
    c = sp.symbols(f"c1:{L + 1}", positive=True)
    a, n, m, X = _syms(L)
    subs = {**{a[i]: eta * c[i] for i in range(L)}, **{n[i]: c[i] for i in range(L)},
            **{m[i]: (1 + eta) * c[i] for i in range(L)}, X: 1}
    return sp.expand(bound_closed_form(L).subs(subs) - sp.Mul(*c) * ((1 + eta) ** L - 1)) == 0


def lagrange_identity(n: int) -> bool:
    """(sum a_j^2)(sum x_j^2) - (sum a_j x_j)^2 == sum_{j<k} (a_j x_k - a_k x_j)^2 (exact), the
    row-wise step of ||A x||_2 <= ||A||_F ||x||_2."""
    a = sp.symbols(f"a0:{n}", real=True)
    x = sp.symbols(f"x0:{n}", real=True)
    lhs = sum(t * t for t in a) * sum(t * t for t in x) - sum(p * q for p, q in zip(a, x)) ** 2
    rhs = sum((a[j] * x[k] - a[k] * x[j]) ** 2 for j in range(n) for k in range(j + 1, n))
    return sp.expand(lhs - rhs) == 0


# --------------------------------------------------------------------------- evaluation
def _check_shapes(Ws: Sequence) -> None:
    if not Ws:
        raise InputError("a network needs at least one layer")
    for i in range(1, len(Ws)):
        if len(Ws[i][0]) != len(Ws[i - 1]):
            raise InputError(f"layer {i + 1} expects {len(Ws[i][0])} inputs, layer {i} has "
                             f"{len(Ws[i - 1])} outputs")


def forward_float(Ws: Sequence[np.ndarray], X: np.ndarray, last_relu: bool = False) -> np.ndarray:
    """Rows of X through h -> relu(W h) (W of shape out x in); the last layer linear unless
    ``last_relu``.  Float, for search only."""
    H = np.asarray(X, dtype=float)
    for i, W in enumerate(Ws):
        H = H @ np.asarray(W, dtype=float).T
        if i < len(Ws) - 1 or last_relu:
            H = np.maximum(H, 0.0)
    return H


def forward_exact(Ws: Sequence[Sequence[Sequence[Fraction]]], x: Sequence[Fraction],
                  last_relu: bool = False) -> list[Fraction]:
    """Exact evaluation with Fractions (to confirm a counterexample)."""
    _check_shapes(Ws)
    h = [Fraction(v) for v in x]
    for i, W in enumerate(Ws):
        h = [sum((Fraction(w) * v for w, v in zip(row, h)), Fraction(0)) for row in W]
        if i < len(Ws) - 1 or last_relu:
            h = [v if v > 0 else Fraction(0) for v in h]
    return h


def spectral_norms(Ws: Sequence[np.ndarray]) -> list[float]:
    return [float(np.linalg.norm(np.asarray(W, dtype=float), 2)) for W in Ws]


def bound_float(Ws: Sequence[np.ndarray], Wts: Sequence[np.ndarray]) -> float:
    """The perturbation bound (spectral norms, ||x||_2 = 1) in floats: for search/MC only."""
    n = spectral_norms(Ws)
    m = spectral_norms(Wts)
    a = spectral_norms([np.asarray(W, float) - np.asarray(V, float) for W, V in zip(Ws, Wts)])
    L = len(Ws)
    return float(sum(np.prod(m[i + 1:]) * a[i] * np.prod(n[:i]) for i in range(L)))


# --------------------------------------------------------------------------- fixed-network guard
def linf_operator_norm(W: Sequence[Sequence[Fraction]]) -> Fraction:
    """Exact l_inf -> l_inf operator norm: the maximum absolute row sum."""
    return max(sum(abs(Fraction(v)) for v in row) for row in W)


def fixed_network_instance():
    """A fixed 2-2-2 ReLU network (last layer linear) and a perturbation, exact rationals, with the
    l_inf perturbation bound B (max-row-sum operator norms): the statement
    ||F(x) - F~(x)||_inf <= B ||x||_inf for all x in R^2 as sympy expressions (Max/Abs)."""
    F = Fraction
    W1 = [[F(1), F(-1, 2)], [F(1, 3), F(2, 3)]]
    W2 = [[F(3, 4), F(-1)], [F(1, 2), F(1, 4)]]
    V1 = [[F(9, 10), F(-1, 2)], [F(2, 5), F(2, 3)]]
    V2 = [[F(3, 4), F(-9, 10)], [F(1, 2), F(3, 10)]]
    B = (linf_operator_norm(V2) * linf_operator_norm([[a - b for a, b in zip(r, s)] for r, s in zip(W1, V1)])
         + linf_operator_norm([[a - b for a, b in zip(r, s)] for r, s in zip(W2, V2)]) * linf_operator_norm(W1))
    x1, x2 = sp.symbols("x1 x2", real=True)

    def net(Wa, Wb):
        h = [sp.Max(0, sp.Rational(r[0].numerator, r[0].denominator) * x1
                    + sp.Rational(r[1].numerator, r[1].denominator) * x2) for r in Wa]
        return [sum(sp.Rational(v.numerator, v.denominator) * hj for v, hj in zip(r, h)) for r in Wb]

    f, g = net(W1, W2), net(V1, V2)
    lhs = sp.Max(*[sp.Abs(a - b) for a, b in zip(f, g)])
    rhs = sp.Rational(B.numerator, B.denominator) * sp.Max(sp.Abs(x1), sp.Abs(x2))
    return {"W": (W1, W2), "W_tilde": (V1, V2), "bound": B, "lhs": lhs, "rhs": rhs, "vars": (x1, x2)}


def linf_search_exact(count: int, seed: int, max_depth: int = 3, max_width: int = 3) -> dict:
    """Exact random search for a violation of the l_inf perturbation bound: random rational
    networks and perturbations (ReLU hidden layers, linear last layer), random rational x with
    ||x||_inf <= 1; error and bound computed with Fractions (max-row-sum operator norms).
    Returns {"violations": [...], "cases": count, "max_ratio": float}."""
    rng = np.random.default_rng(seed)

    def rat(lo=-4, hi=4, den=4):
        return Fraction(int(rng.integers(lo * den, hi * den + 1)), den)

    violations, worst = [], 0.0
    for _ in range(count):
        L = int(rng.integers(1, max_depth + 1))
        dims = [int(rng.integers(1, max_width + 1)) for _ in range(L + 1)]
        Ws = [[[rat() for _ in range(dims[i])] for _ in range(dims[i + 1])] for i in range(L)]
        Vs = [[[v + rat(-1, 1, 8) for v in row] for row in W] for W in Ws]
        x = [rat(-1, 1, 8) for _ in range(dims[0])]
        xn = max(abs(v) for v in x)
        f, g = forward_exact(Ws, x), forward_exact(Vs, x)
        err = max(abs(a - b) for a, b in zip(f, g))
        n = [linf_operator_norm(W) for W in Ws]
        m = [linf_operator_norm(V) for V in Vs]
        a = [linf_operator_norm([[p - q for p, q in zip(r, s)] for r, s in zip(W, V)]) for W, V in zip(Ws, Vs)]
        bound = sum((np.prod(m[i + 1:], dtype=object) if i + 1 < L else 1) * a[i]
                    * (np.prod(n[:i], dtype=object) if i else 1) for i in range(L)) * xn
        bound = Fraction(bound)
        if err > bound:
            violations.append({"W": [[[str(v) for v in r] for r in W] for W in Ws],
                               "W_tilde": [[[str(v) for v in r] for r in V] for V in Vs],
                               "x": [str(v) for v in x], "error": str(err), "bound": str(bound)})
        elif bound > 0:
            worst = max(worst, float(err / bound))
    return {"violations": violations, "cases": count, "max_ratio": worst}
