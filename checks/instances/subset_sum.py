"""Exact subset-sum engine: best subset sum (meet in the middle) and the eps-net test.

Inputs are exact rationals.  They are scaled to integers by their common denominator, and
every comparison that decides the answer is made on Python/numpy integers (int64 when the
sums provably fit, else Python ints) -- exact.  Vectorisation: each half's subset sums are
enumerated by repeated concatenation (index bit k <-> item k), one half is sorted, and every
sum of the other half looks up its best partner with ``searchsorted``.

* :func:`best_subset_sum` -- the subset S minimising |sum_S x_i - target| (exact optimum).
* :func:`batch_best_subset_sum` -- many instances of the same size at once (integer input),
  for the large construction runs.
* :func:`eps_net` -- do all subset sums form an eps-net of [a, b] (every z in [a, b] within
  eps of some subset sum)?  Exact, with the largest uncovered point as witness.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

from prunecert.checks.errors import BudgetExceeded, InputError
from prunecert.checks.rigorous.numbers import to_fraction

__all__ = ["SubsetSumResult", "best_subset_sum", "batch_best_subset_sum", "eps_net", "EpsNetResult",
           "subset_sums", "to_integers"]

MAX_ITEMS = 44          # 2 x 2^22 sums
MAX_NET_ITEMS = 24      # 2^24 sums for the eps-net test
_I64_SAFE = 2**62


@dataclass(frozen=True)
class SubsetSumResult:
    subset: tuple[int, ...]      # indices of the chosen items (sorted)
    total: Fraction              # exact sum of the chosen items
    error: Fraction              # |total - target|, exact
    target: Fraction
    n: int

    def to_json(self) -> dict:
        return {"subset": list(self.subset), "total": str(self.total), "error": str(self.error),
                "target": str(self.target), "n": self.n}


def to_integers(values: Sequence, *extra) -> tuple[list[int], list[int], int]:
    """Scale exact rationals to integers: returns (ints of values, ints of extra, denominator)."""
    fv = [to_fraction(x, f"item {i}") for i, x in enumerate(values)]
    fe = [to_fraction(x, "target") for x in extra]
    den = 1
    for q in fv + fe:
        den = den * q.denominator // math.gcd(den, q.denominator)
    return [int(q * den) for q in fv], [int(q * den) for q in fe], den


def subset_sums(ints: Sequence[int], dtype=np.int64) -> np.ndarray:
    """All 2^k subset sums; entry m is the sum of the items whose bit is set in m."""
    s = np.zeros(1, dtype=dtype)
    for x in ints:
        s = np.concatenate([s, s + (x if dtype is np.int64 else int(x))])
    return s


def _dtype_for(ints: Sequence[int], target: int = 0):
    bound = sum(abs(x) for x in ints) + abs(target)
    return np.int64 if 4 * bound < _I64_SAFE else object


def best_subset_sum(values: Sequence, target, *, max_items: int = MAX_ITEMS) -> SubsetSumResult:
    """The exact best subset sum: a subset S of the items minimising |sum_S - target|.

    Ties are broken towards the smallest bitmask of the first half, then the second half's
    sort order (deterministic).  The empty subset is allowed (sum 0)."""
    n = len(values)
    if n > max_items:
        raise BudgetExceeded(f"best_subset_sum: {n} items exceed the meet-in-the-middle limit {max_items}")
    ints, (t,), den = to_integers(values, target)
    dt = _dtype_for(ints, t)
    h = n // 2
    A = subset_sums(ints[:h], dt)
    B = subset_sums(ints[h:], dt)
    order = np.argsort(B, kind="stable")
    Bs = B[order]
    need = t - A                                   # want B close to t - A
    pos = np.searchsorted(Bs, need)
    hi_idx = np.minimum(pos, len(Bs) - 1)
    lo_idx = np.maximum(pos - 1, 0)
    e_hi = np.abs(Bs[hi_idx] - need)
    e_lo = np.abs(Bs[lo_idx] - need)
    use_lo = e_lo < e_hi
    idx = np.where(use_lo, lo_idx, hi_idx)
    err = np.where(use_lo, e_lo, e_hi)
    ia = int(np.argmin(err))
    ib = int(order[int(idx[ia])])
    subset = tuple(k for k in range(h) if (ia >> k) & 1) + tuple(h + k for k in range(n - h) if (ib >> k) & 1)
    # exact recomputation in rationals (independent of the integer path)
    fv = [to_fraction(x) for x in values]
    total = sum((fv[i] for i in subset), Fraction(0))
    tq = to_fraction(target)
    error = abs(total - tq)
    if error != Fraction(int(err[ia]), den):  # pragma: no cover - internal consistency
        raise AssertionError("subset-sum integer and rational errors disagree")
    return SubsetSumResult(subset, total, error, tq, n)


def batch_best_subset_sum(values: np.ndarray, targets: np.ndarray, *, chunk: int = 1024,
                          progress=None) -> tuple[np.ndarray, np.ndarray]:
    """Exact best subset sums of many integer instances of equal size k.

    values: int64 array (m, k); targets: int64 array (m,).  All |values| summed plus |target|
    must stay below 2^45 per row (checked).  Returns (masks: bool (m, k), errors: int64 (m,)),
    errors exact in the integer units.  ``progress(done)`` is called after each chunk."""
    values = np.asarray(values)
    targets = np.asarray(targets)
    if values.dtype.kind not in "iu" or targets.dtype.kind not in "iu":
        raise InputError("batch_best_subset_sum expects integer arrays (scale exact rationals first)")
    m, k = values.shape
    if targets.shape != (m,):
        raise InputError("targets must have one entry per row of values")
    values = values.astype(np.int64)
    targets = targets.astype(np.int64)
    span = int(np.abs(values).sum(axis=1).max(initial=0) + np.abs(targets).max(initial=0))
    if span >= 2**45:
        raise InputError("batch_best_subset_sum: integer sums too large for the offset trick (>= 2^45)")
    h = k // 2
    na, nb = 1 << h, 1 << (k - h)
    bitsA = ((np.arange(na)[:, None] >> np.arange(h)[None, :]) & 1).astype(bool)       # (na, h)
    bitsB = ((np.arange(nb)[:, None] >> np.arange(k - h)[None, :]) & 1).astype(bool)   # (nb, k-h)
    off_unit = np.int64(1) << np.int64(47)          # > 2 * span: rows never mix
    masks = np.zeros((m, k), dtype=bool)
    errors = np.zeros(m, dtype=np.int64)
    chunk = max(1, min(chunk, (1 << 15)))

    def sums(cols):
        s = np.zeros((cols.shape[0], 1), dtype=np.int64)
        for j in range(cols.shape[1]):                # column m of s = subset with bitmask m
            s = np.concatenate([s, s + cols[:, j:j + 1]], axis=1)
        return s

    for start in range(0, m, chunk):
        stop = min(m, start + chunk)
        V = values[start:stop]
        T = targets[start:stop]
        c = stop - start
        rows = np.arange(c)
        A = sums(V[:, :h])                            # (c, na) exact int64 sums
        B = sums(V[:, h:])                            # (c, nb)
        need = T[:, None] - A                         # want a B sum close to need
        Bs = np.sort(B, axis=1)
        Ns = np.sort(need, axis=1)                    # sorted queries: faster binary searches
        offs = (np.arange(c, dtype=np.int64) * off_unit)[:, None]
        pos = np.searchsorted((Bs + offs).ravel(), (Ns + offs).ravel()).reshape(c, na) - (rows * nb)[:, None]
        hi_idx = np.minimum(pos, nb - 1)
        lo_idx = np.maximum(pos - 1, 0)
        b_hi = np.take_along_axis(Bs, hi_idx, axis=1)
        b_lo = np.take_along_axis(Bs, lo_idx, axis=1)
        e_hi = np.abs(b_hi - Ns)
        e_lo = np.abs(b_lo - Ns)
        use_lo = e_lo < e_hi
        err = np.where(use_lo, e_lo, e_hi)
        best = np.argmin(err, axis=1)
        errors[start:stop] = err[rows, best]
        need_star = Ns[rows, best]
        b_star = np.where(use_lo[rows, best], b_lo[rows, best], b_hi[rows, best])
        ia = np.argmax(need == need_star[:, None], axis=1)   # recover the subsets from the values
        ib = np.argmax(B == b_star[:, None], axis=1)
        masks[start:stop, :h] = bitsA[ia]
        masks[start:stop, h:] = bitsB[ib]
        if progress is not None:
            progress(stop - start)
    # exact re-check of the reported errors (integer arithmetic, vectorised)
    recomputed = np.abs((values * masks).sum(axis=1) - targets)
    if not np.array_equal(recomputed, errors):  # pragma: no cover
        raise AssertionError("batched subset-sum errors do not re-check")
    return masks, errors


@dataclass(frozen=True)
class EpsNetResult:
    is_net: bool
    largest_gap: Fraction          # largest distance from a point of [a, b] to the nearest subset sum
    worst_point: Fraction          # a point of [a, b] at that distance
    n: int

    def to_json(self) -> dict:
        return {"is_net": self.is_net, "largest_gap": str(self.largest_gap),
                "worst_point": str(self.worst_point), "n": self.n}


def eps_net(values: Sequence, a, b, eps, *, max_items: int = MAX_NET_ITEMS) -> EpsNetResult:
    """Exact test: is every z in [a, b] within eps of some subset sum of ``values``?

    Computes the exact covering radius r = max_{z in [a,b]} min_S |z - sum_S| (attained at a,
    at b, or at the midpoint of two consecutive sorted sums) and answers r <= eps."""
    n = len(values)
    if n > max_items:
        raise BudgetExceeded(f"eps_net: {n} items exceed the enumeration limit {max_items}")
    eps_q = to_fraction(eps, "eps")
    if eps_q <= 0:
        raise InputError("eps must be > 0")
    ints, (ia, ib), den = to_integers(values, a, b)
    if ia > ib:
        raise InputError("eps_net: reversed interval [a, b]")
    dt = _dtype_for(ints, max(abs(ia), abs(ib)))
    S = np.unique(subset_sums(ints, dt))
    # distance function z -> min |z - s| on [ia, ib]; its max is at ia, ib or a midpoint in between
    best_d2, best_z2 = -1, None   # doubled units to keep midpoints integral

    def dist2(z2):  # z2 = 2z; returns 2 * distance
        p = int(np.searchsorted(S, z2 // 2))
        cands = [S[i] for i in (p - 1, p, p + 1) if 0 <= i < len(S)]
        return min(abs(z2 - 2 * int(s)) for s in cands)

    for z2 in (2 * ia, 2 * ib):
        dd = dist2(z2)
        if dd > best_d2:
            best_d2, best_z2 = dd, z2
    if len(S) >= 2:
        mids2 = S[:-1] + S[1:]
        gaps = np.diff(S)
        ok = (mids2 >= 2 * ia) & (mids2 <= 2 * ib)
        if ok.any():
            j = int(np.flatnonzero(ok)[int(np.argmax(gaps[ok]))])
            if int(gaps[j]) > best_d2:
                best_d2, best_z2 = int(gaps[j]), int(mids2[j])
    gap = Fraction(best_d2, 2 * den)
    return EpsNetResult(gap <= eps_q, gap, Fraction(best_z2, 2 * den), n)
