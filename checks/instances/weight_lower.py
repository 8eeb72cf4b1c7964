"""Certified bounds for weight pruning on finitely many points (a multiple-choice search).

A weight mask keeps, of each hidden unit i, a subset T_i of its input weights (T_i empty removes
the unit; masking v_i is the same as T_i empty).  The pruned network is

    g_M(x) = sum_i v_i relu(<u_i|T_i, x>)        (Model B: relu of that),

where u_i|T keeps the entries of u_i in T and zeroes the others.  Every neuron subset is a weight
mask (T_i = all or nothing).  For any finite set P of points of the closed unit ball,

    min_M max_{x in P} |g_M(x) - relu(<w,x>)|  <=  min_M sup_{x in B^d} |g_M(x) - relu(<w,x>)|,

so the left side is a certified lower bound on the best weight-pruning error.

* :func:`interval_bound` -- the bound that needs no search: at a point x, whatever the mask,
  unit i contributes a value between 0 and v_i relu(sum_j max(0, u_ij x_j)), so g_M(x) lies in
  an interval [L(x), U(x)] (relu'd in Model B) and the error at x is at least the distance from
  relu(<w,x>) to it.  Exact rationals, any d.  (For a network with no units this is ||w||.)
* :func:`search` -- the exact left side, d <= 6: each unit chooses one *option* (a distinct
  nonzero restricted row u_i|T, or off); a depth-first branch and bound over the units (the
  same per-point interval bound at every node), whose last units are tabulated and searched by a
  window on a key point, as in :mod:`prunecert.checks.instances.neuron_enum`.  Integer data are
  the floor-rounded values of :func:`prunecert.checks.instances.neuron_lower.integer_data` on the
  network of all options; a mask uses at most one option per unit, so its rounding error is
  below (n + 1) 2^-K and ``lower = max(0, M - n - 1) / 2^K``.  With ``bound`` the search only
  decides whether some mask has integer max error below it (far cheaper than optimising).
  Out of budget the result is partial and ``lower`` is the smallest bound of an open node.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

import numpy as np

from prunecert.checks.errors import InputError
from prunecert.checks.instances.network import Network
from prunecert.checks.instances.neuron_enum import _err, _interval_distance, _zeros
from prunecert.checks.instances.neuron_lower import integer_data, into_ball

__all__ = ["MAX_SEARCH_D", "options", "interval_bound", "search", "WeightSearchResult"]

MAX_SEARCH_D = 6


def options(net: Network) -> list[list[tuple[int, ...]]]:
    """Per unit, the masks (rows of 0/1) of its distinct *nonzero* restricted rows u_i|T
    (the unit's "off" option, T empty or v_i = 0, is implicit)."""
    out = []
    for row, vi in zip(net.u, net.v):
        seen, opts = set(), []
        if vi != 0:
            for bits in itertools.product((1, 0), repeat=net.d):
                r = tuple(c if b else Fraction(0) for c, b in zip(row, bits))
                if any(r) and r not in seen:
                    seen.add(r)
                    opts.append(bits)
        out.append(opts)
    return out


def interval_bound(net: Network, points: Sequence[Sequence]) -> tuple[Fraction, tuple]:
    """Certified lower bound on every weight mask's sup error from the per-point value intervals
    (no search; exact).  Returns (bound, point attaining it)."""
    best, arg = Fraction(0), None
    for x in points:
        x = into_ball(x)
        lo = hi = Fraction(0)
        for row, vi in zip(net.u, net.v):
            s = sum(max(Fraction(0), a * b) for a, b in zip(row, x))
            val = vi * s
            if val < 0:
                lo += val
            else:
                hi += val
        t = max(Fraction(0), sum(a * b for a, b in zip(net.w, x)))
        if net.model == "B":
            lo, hi = max(lo, Fraction(0)), max(hi, Fraction(0))
        dist = max(t - hi, lo - t, Fraction(0))
        if dist > best:
            best, arg = dist, x
    return best, arg


@dataclass
class WeightSearchResult:
    """value: the smallest integer max error found (of ``weight_mask``), None if none beat ``bound``;
    lower: certified, every mask has integer max error >= lower on the points;
    complete: the search finished.  ``lower_bound`` / ``value_bound`` are the Fractions."""

    value: int | None
    weight_mask: list[list[int]] | None
    lower: int
    complete: bool
    K: int
    margin: int
    lower_bound: Fraction
    nodes: int = 0
    seconds: float = 0.0
    stats: dict = field(default_factory=dict)


def search(net: Network, points: Sequence[Sequence], *, bound_eps=None, incumbents=(),
           timeout: float = 10.0, max_nodes: int = 2_000_000, table_cap: int = 1 << 14) -> WeightSearchResult:
    """Exact min over weight masks of the max error on ``points`` (see the module docstring).

    bound_eps: decide only whether some mask has max error <= eps on the points (integer bound
        floor(eps 2^K) + margin + 1); if none, ``value`` is None and ``lower_bound`` > eps.
    incumbents: weight masks (n x d rows of 0/1) known to be good (e.g. a construction's)."""
    t0 = time.perf_counter()
    deadline = t0 + max(0.0, float(timeout))
    n, d = net.n, net.d
    if d > MAX_SEARCH_D:
        raise InputError(f"weight-mask search needs d <= {MAX_SEARCH_D}")
    opts = options(net)
    # the network of all options (virtual units); its integer data on the points
    vu, vv, owner = [], [], []
    for i, (row, vi) in enumerate(zip(net.u, net.v)):
        for bits in opts[i]:
            vu.append(tuple(c if b else Fraction(0) for c, b in zip(row, bits)))
            vv.append(vi)
            owner.append(i)
    virt = Network(net.model, net.w, tuple(vu), tuple(vv))
    data = integer_data(virt, points, resolve=bound_eps)
    A, T, K = data.A, data.T, data.K
    P = len(T)
    margin = n + 1
    model = net.model
    # per unit: option values (k_i + 1, P), row 0 = off
    groups = []
    pos = 0
    for i in range(n):
        k = len(opts[i])
        G = _zeros((k + 1, P), A)
        if k:
            G[1:] = A[pos:pos + k]
        groups.append(G)
        pos += k
    B = None
    if bound_eps is not None:
        B = data.to_units(bound_eps) + margin + 1

    def mask_of(choice):
        m = [[0] * d for _ in range(n)]
        for i, c in enumerate(choice):
            if c:
                m[i] = list(opts[i][c - 1])
        return m

    def value_of(choice):
        H = _zeros(P, A)
        for i, c in enumerate(choice):
            H = H + groups[i][c]
        return int(_err(H, T, model).max())

    # incumbents: everything off, and the caller's masks
    best_val, best_choice = value_of([0] * n), [0] * n
    for m in incumbents:
        ch = []
        for i in range(n):
            row = tuple(int(b) for b in m[i]) if n else ()
            r = tuple(c if b else Fraction(0) for c, b in zip(net.u[i], row))
            if net.v[i] == 0 or not any(r):
                ch.append(0)
                continue
            # the option with the same restricted row
            for k, bits in enumerate(opts[i]):
                if tuple(c if b else Fraction(0) for c, b in zip(net.u[i], bits)) == r:
                    ch.append(k + 1)
                    break
        val = value_of(ch)
        if val < best_val:
            best_val, best_choice = val, ch
    if B is not None and best_val >= B:
        best_val, best_choice = None, None
        Bcur = B
    else:
        Bcur = best_val

    def result(lower, complete, nodes):
        low = int(lower) if best_val is None else int(min(lower, best_val))
        lb = Fraction(max(0, low - margin), 1 << K)
        return WeightSearchResult(best_val, mask_of(best_choice) if best_choice is not None else None,
                                  low, complete, K, margin, lb, nodes, time.perf_counter() - t0,
                                  {"points": P, "options": sum(len(o) for o in opts)})

    if n == 0:
        return result(Bcur, True, 0)
    # unit order: largest first; the tail (table) units are enumerated jointly
    size = [int(max(abs(G).sum(axis=1))) for G in groups]
    order = sorted(range(n), key=lambda i: -size[i])
    tail, prod = [], 1
    for i in reversed(order):
        if prod * groups[i].shape[0] > table_cap:
            break
        tail.insert(0, i)
        prod *= groups[i].shape[0]
    head = order[:n - len(tail)]
    nh = len(head)
    # table of all option combinations of the tail units: tab (P, prod), codes (prod, len(tail))
    tab = _zeros((P, 1), A)
    codes = np.zeros((1, 0), dtype=np.int64)
    for i in tail:
        G = groups[i]
        k = G.shape[0]
        tab = np.concatenate([tab + G[c][:, None] for c in range(k)], axis=1)
        codes = np.concatenate([np.hstack([codes, np.full((codes.shape[0], 1), c, dtype=np.int64)])
                                for c in range(k)], axis=0)
    # remaining ranges after depth k (head units k.., then the tail)
    tmin = tab.min(axis=1)
    tmax = tab.max(axis=1)
    rem_lo = _zeros((nh + 1, P), A)
    rem_hi = _zeros((nh + 1, P), A)
    rem_lo[nh], rem_hi[nh] = tmin, tmax
    for k in range(nh - 1, -1, -1):
        G = groups[head[k]]
        rem_lo[k] = rem_lo[k + 1] + G.min(axis=0)
        rem_hi[k] = rem_hi[k + 1] + G.max(axis=0)
    p0 = int(np.argmax(np.asarray([int(t) for t in T]) * 4 + np.asarray([int(x) for x in (tmax - tmin)])))
    perm = np.argsort(tab[p0], kind="stable")
    tab = tab[:, perm]
    codes = codes[perm]
    key = tab[p0]
    rest = [p for p in range(P) if p != p0]

    def leaf(H, choice):
        nonlocal Bcur, best_val, best_choice
        t = int(T[p0]) - int(H[p0])
        if model == "B" and int(T[p0]) < Bcur:
            left = 0
        else:
            left = int(np.searchsorted(key, t - Bcur, side="right"))
        right = int(np.searchsorted(key, t + Bcur, side="left"))
        if right <= left:
            return
        idx = np.arange(left, right)
        run = _err(key[left:right] + H[p0], T[p0], model)
        for p in rest:
            np.maximum(run, _err(tab[p, idx] + H[p], T[p], model), out=run)
            keep = run < Bcur
            if not keep.all():
                idx, run = idx[keep], run[keep]
                if idx.size == 0:
                    return
        j = int(np.argmin(run))
        Bcur = best_val = int(run[j])
        ch = [0] * n
        for k, c in enumerate(choice):
            ch[head[k]] = c
        for k, i in enumerate(tail):
            ch[i] = int(codes[idx[j], k])
        best_choice = ch

    H0 = _zeros(P, A)
    lb0 = int(_interval_distance(H0 + rem_lo[0], H0 + rem_hi[0], T, model).max())
    stack = [(lb0, 0, (), H0)]
    nodes, complete = 0, True
    while stack:
        if nodes >= max_nodes or time.perf_counter() > deadline:
            complete = False
            break
        lb, depth, choice, H = stack.pop()
        if lb >= Bcur:
            continue
        nodes += 1
        if depth == nh:
            leaf(H, choice)
            continue
        G = groups[head[depth]]
        Hc = H[None, :] + G
        lbs = _interval_distance(Hc + rem_lo[depth + 1], Hc + rem_hi[depth + 1], T, model).max(axis=1)
        kids = [(max(lb, int(lbs[c])), depth + 1, choice + (c,), Hc[c]) for c in range(G.shape[0])
                if int(lbs[c]) < Bcur]
        kids.sort(key=lambda kk: -kk[0])
        stack.extend(kids)
    lower = Bcur if complete else min([Bcur] + [s[0] for s in stack])
    return result(lower, complete, nodes)
