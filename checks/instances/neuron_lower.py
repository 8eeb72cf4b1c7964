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
    # r = 1/s with s >= sqrt(n2) (exact integer square root at 40 bits; no float overflow)
    s = Fraction(math.isqrt((n2.numerator << 80) // n2.denominator) + 1, 1 << 40)
    r = 1 / s
    while r * r * n2 > 1:  # pragma: no cover - s >= sqrt(n2) already
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


def _floor_log2(q: Fraction) -> int:
    """floor(log2 q) for an exact rational q > 0 (exact, any magnitude)."""
    k = q.numerator.bit_length() - q.denominator.bit_length()
    return k if Fraction(2) ** k <= q else k - 1


def integer_data(net, points: Sequence[Sequence], *, K: int | None = None, resolve=None) -> IntegerData:
    """Exact integer data (A, T, K) of ``net`` on ``points`` (exact rationals in the ball).

    K (if not given) is chosen from the *target's* scale, not from the largest weight: the
    values T_p = floor(t_p 2^K) keep about 40 significant bits, and so does ``resolve`` (an
    optional smaller scale that must be resolved, e.g. the eps of a decision).  When the data
    fit int64 with room, K is raised to the old default (up to 44 bits) and A, T are int64;
    otherwise (a unit with weights ~1e17, products ~1e200, a tiny target) A and T hold exact
    Python integers (object arrays) -- never an overflow, never a refused valid network."""
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
    Ui = [[int(c * Du) for c in row] for row in net.u]
    Vi = [int(c * Dv) for c in net.v]
    Wi = [int(c * Dw) for c in net.w]
    Dx = [_lcm_den(p) for p in pts]
    Xi = [[int(c * D) for c in p] for p, D in zip(pts, Dx)]
    P = len(pts)
    # exact numerators: a_ip = num[i][p] / den[p], t_p = tnum[p] / tden[p] (Python ints)
    num = [[vi * max(0, sum(a * b for a, b in zip(row, x))) for x in Xi] for row, vi in zip(Ui, Vi)]
    den = [Du * Dv * D for D in Dx]
    tnum = [max(0, sum(a * b for a, b in zip(x, Wi))) for x in Xi]
    tden = [Dw * D for D in Dx]
    # exact magnitudes (bit lengths; no float can overflow here)
    big_bits = 1
    for p in range(P):
        s = sum(abs(num[i][p]) for i in range(n))
        big_bits = max(big_bits, (s // den[p] + 1).bit_length(), (tnum[p] // tden[p] + 1).bit_length())
    if K is None:
        scales = [Fraction(t, td) for t, td in zip(tnum, tden) if t > 0]
        scale = max(scales) if scales else Fraction(1)
        if resolve is not None:
            r = to_fraction(resolve, "resolve")
            if 0 < r < scale:
                scale = r
        K_need = 40 - _floor_log2(scale)
        K_fit = 58 - big_bits
        K = min(44, K_fit) if K_fit >= K_need else K_need
        K = max(K, 8)
    if K < 0:
        raise InputError("K must be >= 0")
    Aq = [[(num[i][p] << K) // den[p] for p in range(P)] for i in range(n)]
    Tq = [(tnum[p] << K) // tden[p] for p in range(P)]
    fits = max([abs(x) for row in Aq for x in row] + [abs(t) for t in Tq] + [0]).bit_length() < 62
    if fits:
        A = np.array(Aq, dtype=np.int64).reshape(n, P)
        T = np.array(Tq, dtype=np.int64).reshape(P)
    else:
        A = np.empty((n, P), dtype=object)
        for i in range(n):
            for p in range(P):
                A[i, p] = Aq[i][p]
        T = np.empty(P, dtype=object)
        for p in range(P):
            T[p] = Tq[p]
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
