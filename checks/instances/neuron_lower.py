"""Certified lower bounds for neuron pruning from finitely many points.

For a network (Model A: g_S = sum_{i in S} v_i relu(<u_i,x>); Model B: g_S = relu of that) and
any finite set P of points of the closed unit ball,

    min_S max_{x in P} |g_S(x) - relu(<w,x>)|  <=  min_S sup_{x in B^d} |g_S(x) - relu(<w,x>)|,

so the left side is a valid lower bound on the optimal neuron-pruning error.

Rounding (how the left side is certified).  The points are exact rationals, so every term
a_{ip} = v_i relu(<u_i, x_p>) and t_p = relu(<w, x_p>) is an exact rational.  We store
A_{ip} = floor(a_{ip} 2^K) and T_p = floor(t_p 2^K) (exact integer floor of a rational, Python
ints).  Then 0 <= a_{ip} - A_{ip}/2^K < 2^-K, so for every subset S and point p

    |(h_p(S) - t_p) - (H_p(S) - T_p)/2^K| < (n + 1) 2^-K,

and since relu and |.| are 1-Lipschitz, |E_p(S) - E^int_p(S)/2^K| < (n+1) 2^-K.  The integer
search (:mod:`prunecert.checks.instances.neuron_enum`) is exact, so if every subset has max_p E^int_p >= M then
every subset has max_p E_p > (M - n - 1) 2^-K: ``lower_bound = max(0, M - n - 1) / 2^K``.
No floating-point number enters the certificate.

Points.  :func:`sphere_points` returns exact rational points *on* the unit sphere, by inverse
stereographic projection of rationals (any d >= 2), spread evenly (equal angles for d = 2, a
Fibonacci lattice for d = 3, seeded Gaussian directions beyond).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

from prunecert.checks.errors import InputError
from prunecert.checks.rigorous.numbers import to_fraction

__all__ = ["IntegerData", "sphere_points", "rational_on_sphere", "into_ball", "integer_data",
           "lower_from_int", "exact_max_error"]


def rational_on_sphere(y: Sequence[float], bits: int = 24) -> tuple[Fraction, ...]:
    """An exact rational point of the unit sphere S^{d-1} close to the float direction y
    (inverse stereographic projection of a rational point with denominator 2^bits)."""
    y = np.asarray(y, dtype=float)
    d = y.size
    if d < 1 or not np.all(np.isfinite(y)) or np.linalg.norm(y) == 0:
        raise InputError("direction must be a nonzero finite vector")
    y = y / np.linalg.norm(y)
    if d == 1:
        return (Fraction(1 if y[0] > 0 else -1),)
    # project from the pole farther from y (well conditioned)
    pole = 1 if y[-1] <= 0 else -1               # project from pole*e_d
    s = y[:-1] / (1.0 - pole * y[-1])
    scale = 1 << bits
    sq = [Fraction(int(round(c * scale)), scale) for c in s]
    r2 = sum(c * c for c in sq)
    den = 1 + r2
    head = tuple(2 * c / den for c in sq)
    last = pole * (r2 - 1) / den
    return head + (last,)


def into_ball(x: Sequence) -> tuple[Fraction, ...]:
    """x (exact) if ||x||_2 <= 1, else x scaled by a rational factor so that it is in the ball."""
    xs = tuple(to_fraction(c, "point coordinate") for c in x)
    n2 = sum(c * c for c in xs)
    if n2 <= 1:
        return xs
    r = Fraction(1 / math.sqrt(float(n2))).limit_denominator(1 << 40)
    while r * r * n2 > 1:
        r *= Fraction(1023, 1024)
    return tuple(r * c for c in xs)


def sphere_points(d: int, count: int, *, seed: int = 0, extra: Sequence[Sequence] = ()) -> list[tuple[Fraction, ...]]:
    """``count`` exact rational points on S^{d-1}, spread out, plus ``extra`` directions
    (each mapped to an exact sphere point near it).  Duplicates are removed."""
    if d < 1 or count < 0:
        raise InputError("need d >= 1 and count >= 0")
    dirs: list[np.ndarray] = []
    if d == 1:
        dirs = [np.array([1.0]), np.array([-1.0])]
    elif d == 2:
        for k in range(count):
            th = 2 * math.pi * (k + 0.5) / count
            dirs.append(np.array([math.cos(th), math.sin(th)]))
    elif d == 3:
        golden = math.pi * (3 - math.sqrt(5))
        for k in range(count):
            z = 1 - 2 * (k + 0.5) / count
            r = math.sqrt(max(0.0, 1 - z * z))
            dirs.append(np.array([r * math.cos(golden * k), r * math.sin(golden * k), z]))
    else:
        rng = np.random.default_rng(seed)
        for _ in range(count):
            dirs.append(rng.standard_normal(d))
    out = [rational_on_sphere(e) for e in extra if np.linalg.norm(np.asarray(e, dtype=float)) > 0]
    out += [rational_on_sphere(y) for y in dirs]
    seen, uniq = set(), []
    for p in out:
        if p not in seen:
            seen.add(p)
            uniq.append(p)
    return uniq


def _lcm_den(values) -> int:
    m = 1
    for q in values:
        m = m * q.denominator // math.gcd(m, q.denominator)
    return m


@dataclass
class IntegerData:
    """Exact integer form of a min-max problem on a point set (see module docstring)."""

    A: np.ndarray          # n x P int64, floor(a_ip 2^K)
    T: np.ndarray          # P int64, floor(t_p 2^K)
    K: int
    n: int
    model: str
    points: list

    @property
    def margin(self) -> int:
        """Integer slack (n + 1): |E - E_int / 2^K| < margin / 2^K for every subset and point."""
        return self.n + 1

    def to_units(self, eps) -> int:
        """floor(eps 2^K)."""
        q = to_fraction(eps, "eps")
        return (q.numerator << self.K) // q.denominator


def integer_data(net, points: Sequence[Sequence], *, K: int | None = None) -> IntegerData:
    """Exact integer data (A, T, K) of ``net`` on ``points`` (exact rationals in the ball)."""
    pts = [into_ball(p) for p in points]
    if not pts:
        raise InputError("empty point set")
    d, n = net.d, net.n
    for p in pts:
        if len(p) != d:
            raise InputError(f"point has {len(p)} coordinates, expected {d}")
    Du = _lcm_den([c for row in net.u for c in row]) if n else 1
    Dv = _lcm_den(net.v) if n else 1
    Dw = _lcm_den(net.w)
    Ui = np.array([[int(c * Du) for c in row] for row in net.u], dtype=object).reshape(n, d)
    Vi = np.array([int(c * Dv) for c in net.v], dtype=object)
    Wi = np.array([int(c * Dw) for c in net.w], dtype=object)
    Dx = [_lcm_den(p) for p in pts]
    Xi = np.array([[int(c * D) for c in p] for p, D in zip(pts, Dx)], dtype=object).reshape(len(pts), d)
    dots = Ui.dot(Xi.T) if n else np.zeros((0, len(pts)), dtype=object)     # exact Python ints
    num = Vi[:, None] * np.where(dots > 0, dots, 0) if n else dots        # a_ip * Du Dv Dx_p
    den = [Du * Dv * D for D in Dx]
    tnum = Xi.dot(Wi)
    tden = [Dw * D for D in Dx]
    # size of the exact values, to pick K so that everything fits int64 with room
    big = 1.0
    for p in range(len(pts)):
        s = sum(abs(int(num[i, p])) for i in range(n)) / den[p] if n else 0.0
        big = max(big, s, abs(int(tnum[p])) / tden[p])
    if K is None:
        K = max(8, min(44, 58 - int(math.ceil(math.log2(big + 1)))))
    A = np.zeros((n, len(pts)), dtype=np.int64)
    T = np.zeros(len(pts), dtype=np.int64)
    for p in range(len(pts)):
        for i in range(n):
            A[i, p] = (int(num[i, p]) << K) // den[p]
        t = int(tnum[p])
        T[p] = ((t if t > 0 else 0) << K) // tden[p]
    return IntegerData(A, T, K, n, net.model, pts)


def lower_from_int(data: IntegerData, M: int) -> Fraction:
    """Certified lower bound (a Fraction) from 'every subset has integer max error >= M'."""
    return Fraction(max(0, int(M) - data.margin), 1 << data.K)


def exact_max_error(net, subset, points) -> Fraction:
    """max over the points of |g_S(x) - relu(<w,x>)| in exact rational arithmetic."""
    keep = set(int(i) for i in subset)
    mask = [1 if i in keep else 0 for i in range(net.n)]
    sub = net.pruned(neuron_mask=mask)
    return max(sub.error_exact(into_ball(p)) for p in points)
