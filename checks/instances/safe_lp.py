"""Safe lower bounds for linear programs from (untrusted) floating-point duals.

The LP is   min c.x   subject to   G x >= g,   l <= x <= u   (G, g, c, l, u exact integers).

For ANY vector y >= 0 and any x feasible for the LP (weak duality, Neumaier and Shcherbina's
argument):

    c.x = (c - G^T y).x + y.(G x)  >=  sum_j min(r_j l_j, r_j u_j) + y.g,     r = c - G^T y,

because y >= 0 and G x >= g, and each term r_j x_j is at least its minimum over [l_j, u_j].
So a dual vector from a floating-point LP solver, *however inaccurate*, yields a rigorous bound
once it is rounded to nonnegative rationals and the right side is evaluated exactly.  Here y is
rounded down to integers scaled by 2^scale_bits (negative entries dropped to 0) and every sum is
a Python integer: no floating-point number enters the bound.  A bad dual only makes the bound
weaker, never wrong; an infinite box end needs r_j of the harmless sign (else the bound is -inf).
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import numpy as np

__all__ = ["round_dual", "dual_bound", "dual_bound_scaled", "dual_bound_fast", "reduced_costs_fast", "add_box_terms"]


def round_dual(y: Sequence[float], scale_bits: int = 40) -> dict[int, int]:
    """Nonnegative integer dual y_q (sparse: row -> y_q >= 1), y_q = floor(y 2^scale_bits)."""
    s = float(1 << scale_bits)
    arr = np.asarray(y, dtype=float).reshape(-1) * s
    ok = np.isfinite(arr) & (arr >= 1.0)
    out = {}
    for r in np.flatnonzero(ok):
        v = float(arr[r])
        # math.floor of a finite float is exact; the product v = y * 2^k is exact (power of two)
        out[int(r)] = int(math.floor(v))
    return out


def add_box_terms(total: int, r, lower, upper):
    """total + sum_j min(r_j l_j, r_j u_j) in exact integers (None = -infinity: a reduced cost of
    the harmful sign on an infinite box end)."""
    for j, rj in enumerate(r):
        rj = int(rj)
        if rj > 0:
            if lower[j] is None:
                return None
            total += rj * int(lower[j])
        elif rj < 0:
            if upper[j] is None:
                return None
            total += rj * int(upper[j])
    return total


def dual_bound_scaled(G, g, c, lower, upper, yq: dict[int, int], scale_bits: int):
    """2^scale_bits times the weak-duality bound (an exact integer), or None for -infinity.

    G: exact integer rows (sequence of sequences / object array), g: ints, c: ints,
    lower/upper: ints or None (= -inf / +inf), yq: sparse nonnegative integer dual."""
    N = len(c)
    r = [int(cj) << scale_bits for cj in c]
    total = 0
    for row, q in yq.items():
        if q < 0:
            raise ValueError("dual entries must be >= 0")
        q = int(q)
        Grow = G[row]
        for j in range(N):
            a = int(Grow[j])
            if a:
                r[j] -= a * q
        total += q * int(g[row])
    return add_box_terms(total, r, lower, upper)


def dual_bound(G, g, c, lower, upper, yq: dict[int, int], scale_bits: int) -> Fraction | None:
    """The weak-duality lower bound on min c.x as an exact Fraction (None = -infinity)."""
    b = dual_bound_scaled(G, g, c, lower, upper, yq, scale_bits)
    return None if b is None else Fraction(b, 1 << scale_bits)


def dual_bound_fast(Gobj: np.ndarray, g: Sequence[int], c: Sequence[int], lower, upper,
                    yq: dict[int, int], scale_bits: int):
    """Same value as :func:`dual_bound_scaled`, vectorised with numpy object (Python int) arrays."""
    total, r = reduced_costs_fast(Gobj, g, c, yq, scale_bits)
    return add_box_terms(total, r, lower, upper)


def reduced_costs_fast(Gobj: np.ndarray, g: Sequence[int], c: Sequence[int], yq: dict[int, int],
                       scale_bits: int):
    """(y.g, r) scaled by 2^scale_bits, exactly: r = c - G^T y (numpy object array of Python ints).
    The weak-duality bound on a box is y.g + sum_j min(r_j l_j, r_j u_j); moving one bound of
    x_j changes only the j-th term, which is how reduced-cost fixing is justified."""
    if not yq:
        rows, q = [], np.zeros(0, dtype=object)
    else:
        rows = list(yq)
        q = np.array([int(yq[k]) for k in rows], dtype=object)
    r = np.array([int(cj) << scale_bits for cj in c], dtype=object)
    total = 0
    if rows:
        r = r - Gobj[rows].T.dot(q)
        total = int(q.dot(np.array([int(g[k]) for k in rows], dtype=object)))
    return total, r
