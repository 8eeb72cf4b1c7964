"""Convolutions as structured matrices (exact or float entries).

A stride-1 cross-correlation with zero padding ``pad`` maps x in R^n to
``y[i] = sum_s k[s] x[i + s - pad]`` (terms with an index outside 0..n-1 are 0), i.e.
``y = T(k) x`` with ``T(k) = sum_s k[s] S_s``, where ``S_s`` is the 0/1 *partial shift*
``S_s[i, i + s - pad] = 1`` (when in range).  Each ``S_s`` has at most one 1 in every row and
every column.  2-D kernels work the same way on row-major flattened images, and multi-channel
layers are block matrices ``[T(k[o, c])]_{o, c}``.

Entries may be Fractions/sympy symbols (object arrays) or floats.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from prunecert.checks.errors import InputError

__all__ = ["shift_matrices_1d", "conv1d_matrix", "shift_matrices_2d", "conv2d_matrix",
           "multichannel_matrix", "is_partial_permutation", "conv1d_apply", "conv2d_apply"]


def _check(n: int, r: int, pad: int) -> int:
    if n < 1 or r < 1 or pad < 0:
        raise InputError(f"need input length >= 1, kernel length >= 1, padding >= 0 (got {n}, {r}, {pad})")
    n_out = n + 2 * pad - r + 1
    if n_out < 1:
        raise InputError(f"kernel of length {r} does not fit input of length {n} with padding {pad}")
    return n_out


def shift_matrices_1d(n: int, r: int, pad: int = 0) -> list[np.ndarray]:
    """The r partial shifts S_0..S_{r-1} (integer 0/1 arrays of shape n_out x n)."""
    n_out = _check(n, r, pad)
    mats = []
    for s in range(r):
        S = np.zeros((n_out, n), dtype=np.int64)
        for i in range(n_out):
            j = i + s - pad
            if 0 <= j < n:
                S[i, j] = 1
        mats.append(S)
    return mats


def conv1d_matrix(kernel: Sequence, n: int, pad: int = 0) -> np.ndarray:
    """T(k) = sum_s k[s] S_s (object array if the kernel holds exact numbers/symbols)."""
    k = list(kernel)
    mats = shift_matrices_1d(n, len(k), pad)
    dtype = float if all(isinstance(v, (float, np.floating)) for v in k) else object
    T = np.zeros(mats[0].shape, dtype=dtype)
    for ks, S in zip(k, mats):
        T = T + ks * S
    return T


def conv1d_apply(kernel: Sequence, x: Sequence, pad: int = 0) -> list:
    """Direct cross-correlation (the definition), for cross-checking the matrix."""
    n, r = len(x), len(kernel)
    n_out = _check(n, r, pad)
    out = []
    for i in range(n_out):
        acc = 0
        for s in range(r):
            j = i + s - pad
            if 0 <= j < n:
                acc = acc + kernel[s] * x[j]
        out.append(acc)
    return out


def shift_matrices_2d(h: int, w: int, rh: int, rw: int, pad: int = 0) -> list[np.ndarray]:
    ho, wo = _check(h, rh, pad), _check(w, rw, pad)
    mats = []
    for a in range(rh):
        for b in range(rw):
            S = np.zeros((ho * wo, h * w), dtype=np.int64)
            for i in range(ho):
                for j in range(wo):
                    y, x = i + a - pad, j + b - pad
                    if 0 <= y < h and 0 <= x < w:
                        S[i * wo + j, y * w + x] = 1
            mats.append(S)
    return mats


def conv2d_matrix(kernel, h: int, w: int, pad: int = 0) -> np.ndarray:
    """Matrix of a 2-D cross-correlation on row-major flattened h x w images."""
    K = np.asarray(kernel, dtype=object)
    if K.ndim != 2:
        raise InputError("a 2-D kernel must be a matrix")
    mats = shift_matrices_2d(h, w, K.shape[0], K.shape[1], pad)
    flat = list(K.ravel())
    dtype = float if all(isinstance(v, (float, np.floating)) for v in flat) else object
    T = np.zeros(mats[0].shape, dtype=dtype)
    for ks, S in zip(flat, mats):
        T = T + ks * S
    return T


def conv2d_apply(kernel, img) -> list:
    """Direct valid 2-D cross-correlation (no padding), for cross-checking."""
    K = np.asarray(kernel, dtype=object)
    X = np.asarray(img, dtype=object)
    rh, rw = K.shape
    ho, wo = X.shape[0] - rh + 1, X.shape[1] - rw + 1
    return [[sum(K[a, b] * X[i + a, j + b] for a in range(rh) for b in range(rw)) for j in range(wo)]
            for i in range(ho)]


def multichannel_matrix(blocks: Sequence[Sequence[np.ndarray]]) -> np.ndarray:
    """Block matrix [T_{o,c}] (outputs o by rows, input channels c by columns)."""
    if not blocks or not blocks[0]:
        raise InputError("need at least one block")
    return np.block([[np.asarray(B) for B in row] for row in blocks])


def is_partial_permutation(S: np.ndarray) -> bool:
    """0/1 entries with at most one 1 per row and per column (so ||S x||_2 <= ||x||_2)."""
    S = np.asarray(S)
    return bool(np.isin(S, (0, 1)).all() and (S.sum(axis=0) <= 1).all() and (S.sum(axis=1) <= 1).all())
