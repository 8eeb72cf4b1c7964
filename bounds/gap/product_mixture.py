"""Product-mixture lemma: a product of a hidden and an output weight contains a uniform component.

**Lemma (product mixture, any hidden-weight law).**  Let U have a density p on R and V ~ U[-1, 1]
be independent, and X = V U 1[U > 0] (the items of the "+" side of the block construction; the "-"
side, V |U| 1[U < 0], is the same with p(-u)).  Then, for z != 0, X has density

    f_X(z) = g(|z|),   g(t) = int_t^oo p(u) / (2u) du,

which is nonincreasing in |z| (g'(t) = -p(t)/(2t) <= 0).  Hence for every a > 0,

    Law(X) >= beta * Uniform[-a, a]   with   beta = 2 a g(a)

(as measures: P(X in A) >= beta |A cap [-a, a]| / (2a)).  Proof: for z > 0,
P(0 < X <= z) = int_0^oo p(u) P(0 < V <= z/u) du = int_0^z p(u)/2 du + int_z^oo p(u) z/(2u) du
(P(0 < V <= t) = min(t, 1)/2), and its derivative in z is g(z) (Leibniz: the two boundary terms
p(z)/2 - p(z)/2 cancel); the same for z < 0 by V -> -V.  Checked by sympy for a symbolic density p
(:func:`density_parts`).

**Instances** (a = 1/2, the window of the random-subset-sum lemma):

* uniform hidden weights, p = 1/2 on [-1, 1]: g(t) = ln(1/t)/4, beta = ln(2)/4 ~ 0.17329;
* Gaussian hidden weights (Theorem B's model), p = phi: g(t) = E1(t^2/2)/(4 sqrt(2 pi)), so
  beta = E1(1/8)/(4 sqrt(2 pi)) ~ 0.161913 (certified with arb's exponential integral and, as a
  second route, the alternating series E1(x) = -gamma - ln x + sum_k (-1)^(k+1) x^k/(k k!)).

The coordinate u_ij of a standard Gaussian vector is N(0, 1), so the same beta holds for every
block of the construction with u ~ N(0, I_d).
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from prunecert.checks.errors import InputError
from prunecert.checks.rigorous import arith

__all__ = ["MODELS", "model_name", "beta_ball", "beta_series_ball", "beta_lower", "density_parts",
           "instance_parts", "A_WINDOW", "CONSTANTS"]

A_WINDOW = Fraction(1, 2)
MODELS = {
    "gaussian": "u_i ~ N(0, I_d), v_i ~ U[-1, 1] (Theorem B's model)",
    "uniform": "u_i ~ U[-1, 1]^d, v_i ~ U[-1, 1] (Pensia et al.'s model)",
}

_u, _t, _z, _a = sp.symbols("u t z a", positive=True)


def model_name(model: str) -> str:
    if model not in MODELS:
        raise InputError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    return model


def beta_ball(model: str):
    """An arb ball containing beta = 2 a g(a) at a = 1/2 for ``model``."""
    model_name(model)
    if model == "uniform":
        return arith.arb(2).log() / 4
    x = arith.arb(1) / 8
    e1 = -(-x).ei()                          # E1(x) = -Ei(-x), x > 0 (arb: rigorous)
    return e1 / (4 * (2 * arith.arb.pi()).sqrt())


def beta_series_ball(terms: int = 12):
    """Second route for the Gaussian beta: E1(1/8) = -gamma - ln(1/8) + sum_{k>=1} (-1)^(k+1) x^k/(k k!)
    with x = 1/8; the terms decrease in size (x < 1), so the alternating tail is bounded by the first
    omitted term.  Exact rationals for the sum, arb for gamma, log and the final division."""
    x = Fraction(1, 8)
    s = Fraction(0)
    fact = 1
    for k in range(1, terms + 1):
        fact *= k
        s += (-1) ** (k + 1) * x ** k / (k * fact)
    tail = x ** (terms + 1) / ((terms + 1) * fact * (terms + 1))
    e1 = -arith.arb.const_euler() + arith.arb(8).log() + arith.ball(s) + arith.interval(-tail, tail)
    return e1 / (4 * (2 * arith.arb.pi()).sqrt())


def beta_lower(model: str) -> Fraction:
    """An exact rational lower bound of beta (the lower end of its ball)."""
    return arith.lower_fraction(beta_ball(model))


def density_parts() -> dict:
    """The general lemma, sympy, for a symbolic density p (an undefined function):
    (a) d/dz [int_0^z p/2 du + int_z^oo p z/(2u) du] = int_z^oo p/(2u) du  (Leibniz; the boundary
        terms cancel);
    (b) P(0 < V <= t) = min(t, 1)/2 for V ~ U[-1, 1], t > 0: int_0^t 1/2 dv = t/2 (t <= 1) and the
        mass of (0, 1] is 1/2 -- the split of the u-integral at u = z;
    (c) g'(t) = -p(t)/(2t), which is <= 0 for a density p >= 0 and t > 0 (g nonincreasing);
    (d) the uniform component: a density >= g(a) on [-a, a] is >= beta/(2a) there with beta = 2 a g(a)."""
    p = sp.Function("p")
    parts = {}
    cdf = sp.Integral(p(_u) / 2, (_u, 0, _z)) + sp.Integral(p(_u) * _z / (2 * _u), (_u, _z, sp.oo))
    g_z = sp.Integral(p(_u) / (2 * _u), (_u, _z, sp.oo))
    parts["density_is_g"] = sp.simplify(sp.diff(cdf, _z) - g_z) == 0
    v = sp.Symbol("v", positive=True)
    parts["uniform_cdf_t_le_1"] = sp.simplify(sp.integrate(sp.Rational(1, 2), (v, 0, _t)) - _t / 2) == 0
    parts["uniform_mass_0_1"] = sp.integrate(sp.Rational(1, 2), (v, 0, 1)) == sp.Rational(1, 2)
    g_t = sp.Integral(p(_u) / (2 * _u), (_u, _t, sp.oo))
    parts["g_derivative"] = sp.simplify(sp.diff(g_t, _t) + p(_t) / (2 * _t)) == 0
    P = sp.Symbol("P", nonnegative=True)
    parts["g_nonincreasing"] = bool((-P / (2 * _t)).is_nonpositive)
    G = sp.Symbol("G", positive=True)
    parts["beta_density"] = sp.simplify((2 * _a * G) / (2 * _a) - G) == 0
    return {"ok": all(parts.values()), "parts": parts}


def instance_parts() -> dict:
    """g for the two hidden-weight laws, by the fundamental theorem of calculus (sympy):
    uniform: g(t) = ln(1/t)/4 on (0, 1] (g' = -(1/2)/(2t), g(1) = 0, p = 0 beyond 1);
    Gaussian: g(t) = E1(t^2/2)/(4 sqrt(2 pi)) (g' = -phi(t)/(2t), g -> 0 at oo since
    0 <= E1(x) <= e^{-x}/x);
    and beta = 2 (1/2) g(1/2) gives ln(2)/4 and E1(1/8)/(4 sqrt(2 pi))."""
    parts = {}
    gu = sp.log(1 / _t) / 4
    parts["uniform_g_derivative"] = sp.simplify(sp.diff(gu, _t) + sp.Rational(1, 2) / (2 * _t)) == 0
    parts["uniform_g_at_1"] = gu.subs(_t, 1) == 0
    parts["uniform_beta"] = sp.simplify(2 * sp.Rational(1, 2) * gu.subs(_t, sp.Rational(1, 2)) - sp.log(2) / 4) == 0
    phi = sp.exp(-_t ** 2 / 2) / sp.sqrt(2 * sp.pi)
    gg = sp.expint(1, _t ** 2 / 2) / (4 * sp.sqrt(2 * sp.pi))
    parts["gaussian_g_derivative"] = sp.simplify(sp.diff(gg, _t) + phi / (2 * _t)) == 0
    # g -> 0 at oo: E1(x) = int_x^oo e^{-s}/s ds (definition; E1' = -e^{-x}/x) and
    # 0 <= E1(x) <= int_x^oo e^{-s}/x ds = e^{-x}/x -> 0
    s_, x_ = sp.symbols("s x", positive=True)
    parts["E1_derivative"] = sp.simplify(sp.diff(sp.expint(1, x_), x_) + sp.exp(-x_) / x_) == 0
    parts["E1_tail_bound"] = (sp.simplify(sp.integrate(sp.exp(-s_) / x_, (s_, x_, sp.oo)) - sp.exp(-x_) / x_) == 0
                              and sp.limit(sp.exp(-x_) / x_, x_, sp.oo) == 0)
    parts["gaussian_beta"] = sp.simplify(2 * sp.Rational(1, 2) * gg.subs(_t, sp.Rational(1, 2))
                                         - sp.expint(1, sp.Rational(1, 8)) / (4 * sp.sqrt(2 * sp.pi))) == 0
    return {"ok": all(parts.values()), "parts": parts}


# beta_gaussian = E1(1/8)/(4 sqrt(2 pi)) is not listed in CONSTANTS: the constants' expression language has
# no exponential integral; its certified value is reported by the claim gap.upper.product_mixture_gaussian.
CONSTANTS: list = []
