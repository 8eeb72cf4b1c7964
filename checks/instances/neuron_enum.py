"""Exact min-max subset search on integer data (the engine behind the neuron-pruning solver).

Problem.  Given an integer matrix ``A`` (n units x P points), an integer vector ``T`` (P)
and a model, find

    M = min over S subset of [n] of  max over p of  E_p(S),
    E_p(S) = |sigma(H_p(S)) - T_p|   (model "B", sigma = ReLU)   or   |H_p(S) - T_p|   (model "A"),
    H_p(S) = sum_{i in S} A[i, p].

All arithmetic is on exact integers: numpy ``int64`` when every subset sum provably stays far
below 2**62 (:func:`check_range` decides it), else numpy arrays of Python integers (``object``
dtype: exact at any magnitude, slower), so a valid network is never refused for its size.  Nothing
here knows about networks: :mod:`prunecert.checks.instances.neuron_lower` turns a network and a point set into
``(A, T)`` with a proven rounding bound.

Algorithm (``minmax``): a meet-in-the-middle branch-and-bound.

* The units are ordered by decreasing size; the ``n2`` smallest form the *low* group, whose
  2**n2 subset sums at every point are tabulated once (by doubling) and sorted by their value
  at a key point.
* The remaining *high* units are assigned by depth-first branch-and-bound (better child first).  The bound of a
  node (partial assignment) is exact interval reasoning: the undecided units can move
  ``H_p`` only within ``[H_p + sum of negative parts, H_p + sum of positive parts]``, and the
  error at p is at least the distance from ``T_p`` to the image of that interval.  It is
  strengthened by a *coupled* bound over small integer stencils of alike points (first and
  second differences, :func:`_pair_setup`): the same interval reasoning applied to c.H, whose
  range over the undecided units is narrow because nearby columns nearly cancel.
* A leaf (all high units assigned) is solved exactly against the low table: a binary search
  on the key point gives the window of low subsets that can beat the incumbent there, and the
  other points filter that window (vectorised, ordered by where the incumbent is worst).

If the budget (time or nodes) runs out the search stops; the result is then *partial* and its
``lower`` is min(incumbent, smallest bound of an open node) — still a valid lower bound for
every subset.

``minmax_plain`` is the naive baseline used by tests and benchmarks: every subset, its sums
recomputed from scratch, no Gray code, no incremental update, no pruning.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from prunecert.checks.errors import InputError

__all__ = ["MinMaxResult", "minmax", "minmax_plain", "max_error", "local_search", "check_range",
           "INT_LIMIT"]

INT_LIMIT = 2 ** 61  # every |sum| handled here stays below this (int64 holds 2**63 - 1)


@dataclass
class MinMaxResult:
    """Outcome of a min-max subset search (all values in the caller's integer units).

    value: the smallest max-error found (of ``subset``), or None if no subset beat ``bound``.
    lower: certified: every subset S has max_p E_p(S) >= lower.
    complete: the search finished, so lower == value (or lower == bound when value is None).
    """

    value: int | None
    subset: tuple[int, ...] | None
    lower: int
    complete: bool
    nodes: int = 0
    leaves: int = 0
    seconds: float = 0.0
    method: str = "mitm-bnb"
    stats: dict = field(default_factory=dict)


def _as_arrays(A, T, model):
    if model not in ("A", "B"):
        raise InputError(f"model must be 'A' or 'B', got {model!r}")
    A = np.asarray(A)
    T = np.asarray(T)
    if A.ndim != 2 or T.ndim != 1 or A.shape[1] != T.shape[0]:
        raise InputError(f"inconsistent shapes: A {A.shape}, T {T.shape}")
    if A.shape[1] == 0:
        raise InputError("empty point set")
    for X in (A, T):
        if X.dtype.kind not in "iuO" or (X.dtype == object and not all(
                isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in X.flat)):
            raise InputError("A and T must be integer arrays (exact data)")
    if check_range(A, T):
        return A.astype(np.int64), T.astype(np.int64)
    return _as_object(A), _as_object(T)


def _as_object(X) -> np.ndarray:
    """The same integers as a numpy array of Python ints (exact at any size)."""
    out = np.empty(X.shape, dtype=object)
    out.flat[:] = [int(x) for x in X.flat]
    return out


def check_range(A, T) -> bool:
    """True when every subset sum and error fits safely in int64; False means the exact
    Python-integer (object) path is used instead."""
    if A.dtype != object and T.dtype != object:
        A, T = _as_object(A), _as_object(T)
    A = np.asarray(A, dtype=object)
    pos = [sum(int(x) for x in col if x > 0) for col in A.T] if A.size else []
    neg = [sum(-int(x) for x in col if x < 0) for col in A.T] if A.size else []
    big = max(pos + neg + [abs(int(t)) for t in T] + [0])
    return 2 * big < INT_LIMIT


def _zeros(shape, like) -> np.ndarray:
    """Zeros of the integer kind of ``like`` (int64 or exact Python ints)."""
    if like.dtype == object:
        out = np.empty(shape, dtype=object)
        out.fill(0)
        return out
    return np.zeros(shape, dtype=np.int64)


def _err(H, T, model):
    """Exact errors (int64 arrays broadcast)."""
    if model == "B":
        return np.abs(np.maximum(H, 0) - T)
    return np.abs(H - T)


def max_error(A, T, model: str, subset) -> int:
    """max_p E_p(S) for one subset, exactly (Python ints)."""
    A, T = _as_arrays(A, T, model)
    idx = list(subset)
    H = A[idx].sum(axis=0) if idx else _zeros(A.shape[1], A)
    return int(_err(H, T, model).max())


def minmax_plain(A, T, model: str) -> MinMaxResult:
    """Baseline: every subset in turn, sums recomputed from scratch (no Gray code, no
    incremental update, no pruning).  Exact; exponential; for tests and benchmarks."""
    t0 = time.perf_counter()
    A, T = _as_arrays(A, T, model)
    n = A.shape[0]
    if n > 26:
        raise InputError("minmax_plain: n > 26 is too large for the naive baseline")
    best, best_s = None, None
    for mask in range(1 << n):
        idx = [i for i in range(n) if mask >> i & 1]
        H = A[idx].sum(axis=0) if idx else _zeros(A.shape[1], A)
        e = int(_err(H, T, model).max())
        if best is None or e < best:
            best, best_s = e, tuple(idx)
    return MinMaxResult(best, best_s, best, True, nodes=1 << n, leaves=1 << n,
                        seconds=time.perf_counter() - t0, method="plain-exhaustive")


def local_search(A, T, model: str, *, starts: int = 4, seed: int = 0, max_iter: int = 200,
                 pairs: bool = True):
    """Heuristic incumbent: best-improvement single flips (and, when no single flip helps and
    ``pairs``, the best flip of two units at once) from the empty set, the full set and random
    starts.  Returns (value, subset) of the best subset met (exact integers)."""
    A, T = _as_arrays(A, T, model)
    n, P = A.shape
    rng = np.random.default_rng(seed)
    inits = [np.zeros(n, dtype=bool), np.ones(n, dtype=bool)]
    inits += [rng.random(n) < 0.5 for _ in range(max(0, starts - 2))]
    best = (None, None)
    for x in inits:
        x = x.copy()
        H = A[x].sum(axis=0) if x.any() else _zeros(P, A)
        cur = int(_err(H, T, model).max())
        for _ in range(max_iter):
            sign = np.where(x, -1, 1).astype(np.int64)
            cand = H[None, :] + sign[:, None] * A           # n x P
            vals = _err(cand, T, model).max(axis=1)
            j = int(np.argmin(vals))
            if vals[j] < cur:
                x[j] = ~x[j]
                H = cand[j]
                cur = int(vals[j])
                continue
            if not pairs or n < 2:
                break
            # no single flip helps: best flip of two units at once (n^2 candidates)
            sA = sign[:, None] * A                           # n x P
            best2, bi, bj = cur, -1, -1
            for i in range(n - 1):
                c2 = cand[i][None, :] + sA[i + 1:]           # flips i and j > i
                v2 = _err(c2, T, model).max(axis=1)
                k = int(np.argmin(v2))
                if v2[k] < best2:
                    best2, bi, bj = int(v2[k]), i, i + 1 + k
            if bi < 0:
                break
            x[bi] = ~x[bi]
            x[bj] = ~x[bj]
            H = cand[bi] + sA[bj]
            cur = best2
        if best[0] is None or cur < best[0]:
            best = (cur, tuple(int(i) for i in np.flatnonzero(x)))
    return best


def _interval_distance(lo, hi, T, model):
    """Exact lower bound of E over H in [lo, hi] (vectorised)."""
    if model == "B":
        lo, hi = np.maximum(lo, 0), np.maximum(hi, 0)
    return np.maximum(np.maximum(T - hi, lo - T), 0)


def _low_table(Alow):
    """All 2**m subset sums of the rows of Alow, as a (P, 2**m) array; column k is the subset
    whose bit j is set when low unit j is in it."""
    m, P = Alow.shape
    tab = _zeros((P, 1), Alow)
    for j in range(m):
        tab = np.concatenate([tab, tab + Alow[j][:, None]], axis=1)
    return tab


def _pair_setup(A, T, model, high, low):
    """Coupled multi-point bound data (stencils over nearby points).

    For an integer combination c of a few points (a *stencil*: c = e_p - e_q, or the second
    difference e_p - 2 e_q + e_r), the undecided units move c.H only within
    [c.H + sum of negative parts of c.A_i, c.H + sum of positive parts], which is far narrower
    than the single-point intervals when the stencil's columns are alike (nearby points: the
    ReLU units are smooth there, so first differences are small and second differences almost
    vanish except at kinks).  Model A: sum_p |c_p| E_p >= |c.(H - T)| >= dist, the distance
    from c.T to that interval, so max_p E_p >= ceil(dist / ||c||_1).  Model B (E = |relu(H) - T|):
    only stencils whose points all have T > 0 are used; if some H_p < 0 on the support then
    max E >= min T over the support, otherwise the model-A argument applies; so the bound is
    min(ceil(dist / ||c||_1), min T).  Each point is paired with the point whose column is most
    alike (smallest sum_i |A_ip - A_iq|), and each point a with the pairs (1st, 2nd), (1st, 3rd),
    (2nd, 4th), (3rd, 4th) of its most alike points gives second differences -2 e_a + e_b + e_c.  All integer; returns None if no stencil is usable.
    """
    n, P = A.shape
    if A.dtype == object:
        return None              # huge data: the per-point interval bound alone (sound, exact)
    # |c.H| <= 4 max_p (sum_i |A_ip|); keep every stencil quantity far inside int64
    size = int(np.abs(A).sum(axis=0).max()) + int(np.abs(T).max()) if n else int(np.abs(T).max())
    if 16 * size >= 2 ** 62:
        return None
    ok = np.ones(P, dtype=bool) if model == "A" else (T > 0)
    idx = np.flatnonzero(ok)
    if idx.size < 2:
        return None
    C = A[:, idx]
    dif = np.abs(C[:, :, None] - C[:, None, :]).sum(axis=0)           # m x m, exact int64
    np.fill_diagonal(dif, np.iinfo(np.int64).max)
    near = np.argsort(dif, axis=1, kind="stable")
    seen, rows = set(), []
    for a in range(idx.size):
        b = int(near[a, 0])
        key = (min(a, b), max(a, b))
        if key not in seen:
            seen.add(key)
            rows.append({int(idx[key[0]]): 1, int(idx[key[1]]): -1})
        for j, k in ((0, 1), (0, 2), (1, 3), (2, 3)):
            if idx.size > k + 1:
                b, c2 = int(near[a, j]), int(near[a, k])
                key = (a,) + tuple(sorted((b, c2)))
                if key not in seen:
                    seen.add(key)
                    rows.append({int(idx[a]): -2, int(idx[b]): 1, int(idx[c2]): 1})
    Cm = np.zeros((len(rows), P), dtype=np.int64)
    for r, row in enumerate(rows):
        for p, w in row.items():
            Cm[r, p] = w
    norm = np.abs(Cm).sum(axis=1)
    Dh = A[high] @ Cm.T
    Dl = A[low] @ Cm.T
    n1 = len(high)
    lo = np.zeros((n1 + 1, len(rows)), dtype=np.int64)
    hi = np.zeros((n1 + 1, len(rows)), dtype=np.int64)
    lo[n1], hi[n1] = np.minimum(Dl, 0).sum(axis=0), np.maximum(Dl, 0).sum(axis=0)
    for k in range(n1 - 1, -1, -1):
        lo[k] = lo[k + 1] + np.minimum(Dh[k], 0)
        hi[k] = hi[k + 1] + np.maximum(Dh[k], 0)
    if model == "B":
        Tm = np.where(Cm != 0, T[None, :], np.iinfo(np.int64).max)
        cap = Tm.min(axis=1)
    else:
        cap = None
    return {"C": Cm.T.copy(), "lo": lo, "hi": hi, "tc": Cm @ T, "norm": norm, "cap": cap}


def _pair_bound(pr, H, k) -> int:
    """Lower bound on max_p E_p over all completions of a node (see :func:`_pair_setup`)."""
    D = H @ pr["C"]
    td = pr["tc"]
    dist = np.maximum(np.maximum(td - (D + pr["hi"][k]), (D + pr["lo"][k]) - td), 0)
    half = -(-dist // pr["norm"])
    if pr["cap"] is not None:
        half = np.minimum(half, pr["cap"])
    return int(half.max())


def _without_hopeless_units(A, T, model, bound, best, kw, t0):
    """Huge data (object dtype): drop every unit i whose inclusion alone forces max error >= B
    (B = the decision bound, or the incumbent's value), by the root interval bound with all other
    units free.  No subset containing i can beat B, so the minimum below B, and every certified
    lower bound, are those of the reduced problem -- which often fits int64 again (a unit with
    weights 1e17 is excluded at once).  Returns the combined result, or None if nothing drops."""
    n, P = A.shape
    best_val, best_set = best
    B = int(bound) if (bound is not None and best_val >= bound) else best_val
    tot_lo = np.minimum(A, 0).sum(axis=0)
    tot_hi = np.maximum(A, 0).sum(axis=0)
    keep = []
    for i in range(n):
        lo = tot_lo - np.minimum(A[i], 0) + A[i]
        hi = tot_hi - np.maximum(A[i], 0) + A[i]
        if int(_interval_distance(lo, hi, T, model).max()) < B:
            keep.append(i)
    if len(keep) == n:
        return None
    inc = None
    if best_set is not None and set(best_set) <= set(keep):
        inc = (best_val, tuple(keep.index(i) for i in best_set))
    sub = minmax(A[keep], T, model, bound=B, incumbent=inc, **kw)
    secs = time.perf_counter() - t0
    stats = {**sub.stats, "dropped_units": n - len(keep)}
    if sub.value is not None:          # a subset strictly below B (inside the reduced problem)
        subset = tuple(sorted(keep[j] for j in sub.subset))
        return MinMaxResult(sub.value, subset, sub.lower, sub.complete, sub.nodes, sub.leaves, secs,
                            sub.method, stats)
    # nothing below B: B is the answer (the incumbent's value, or the decision bound)
    value, subset = (None, None) if (bound is not None and best_val >= bound) else (best_val, best_set)
    lower = min(sub.lower, B)
    return MinMaxResult(value, subset, lower, sub.complete, sub.nodes, sub.leaves, secs, sub.method, stats)


def minmax(A, T, model: str, *, bound: int | None = None, incumbent=None, timeout: float = 60.0,
           max_nodes: int = 2_000_000, low_bits: int | None = None, memory_mb: int = 48,
           seed: int = 0, pair_bound: bool = True) -> MinMaxResult:
    """Exact (or, out of budget, partial but still certified) min-max subset search.

    bound: only subsets with max error strictly below ``bound`` are of interest (a decision
        threshold); if none exists the result has value None and lower >= bound.
    incumbent: optional (value, subset) known to be achievable (e.g. from a previous round).
    pair_bound: add the coupled stencil bound of :func:`_pair_setup` to the node bound and use
        the stronger incumbent (12 local-search starts with two-unit flips).  False is the former
        solver exactly (per-point interval bound alone, 4 starts of single flips), kept for the
        before/after benchmark.
    """
    t0 = time.perf_counter()
    A, T = _as_arrays(A, T, model)
    n, P = A.shape
    deadline = t0 + max(0.0, float(timeout))

    # incumbent: the empty set, the caller's, and a local search
    cands = [(int(_err(_zeros(P, A), T, model).max()), ())]
    if incumbent is not None and incumbent[1] is not None:
        cands.append((max_error(A, T, model, incumbent[1]), tuple(incumbent[1])))
    if n > 0 and A.dtype == object:
        reduced = _without_hopeless_units(A, T, model, bound, min(cands, key=lambda c: c[0]),
                                          dict(timeout=timeout, max_nodes=max_nodes, low_bits=low_bits,
                                               memory_mb=memory_mb, seed=seed, pair_bound=pair_bound), t0)
        if reduced is not None:
            return reduced
    if n > 0:
        # the former solver (pair_bound=False) used 4 starts of single flips
        cands.append(local_search(A, T, model, seed=seed, starts=12 if pair_bound else 4,
                                  pairs=pair_bound))
    best_val, best_set = min(cands, key=lambda c: c[0])
    if bound is not None and best_val >= bound:
        B, best_val, best_set = int(bound), None, None
    else:
        B = best_val
    if n == 0:
        return MinMaxResult(best_val, best_set, best_val if best_val is not None else B, True,
                            seconds=time.perf_counter() - t0)

    # unit order: largest first (they are decided at the top of the tree)
    size = np.abs(A).sum(axis=1)
    order = np.argsort(-size, kind="stable")
    if low_bits is None:
        cap = max(4, int(np.log2(max(1, memory_mb * 2**20 // (16 * P)))))
        low_bits = min(n, 16 if A.dtype != object else 10, cap)
    n2 = max(0, min(n, low_bits))
    n1 = n - n2
    high = order[:n1]
    low = order[n1:]
    Ah = A[high]
    Al = A[low]

    tab = _low_table(Al)                          # P x 2**n2
    low_min = np.minimum(Al, 0).sum(axis=0)
    low_max = np.maximum(Al, 0).sum(axis=0)
    # suffix ranges of the high units: rem_lo[k] = sum_{j>=k} min(0, Ah[j]) + low_min
    rem_lo = _zeros((n1 + 1, P), A)
    rem_hi = _zeros((n1 + 1, P), A)
    rem_lo[n1], rem_hi[n1] = low_min, low_max
    for k in range(n1 - 1, -1, -1):
        rem_lo[k] = rem_lo[k + 1] + np.minimum(Ah[k], 0)
        rem_hi[k] = rem_hi[k + 1] + np.maximum(Ah[k], 0)

    pairs = _pair_setup(A, T, model, high, low) if (pair_bound and P > 1) else None

    def node_bound(Hc, k):
        b = int(_interval_distance(Hc + rem_lo[k], Hc + rem_hi[k], T, model).max())
        if pairs is not None:
            b = max(b, _pair_bound(pairs, Hc, k))
        return b

    # key point: where the incumbent (or the target) is largest; filter order: the others
    if best_set is not None:
        Hinc = A[list(best_set)].sum(axis=0) if best_set else _zeros(P, A)
        e_inc = _err(Hinc, T, model)
    else:
        e_inc = np.abs(T)
    spread = low_max - low_min
    p0 = int(np.argmax(np.abs(T) * 4 + spread)) if model == "B" else int(np.argmax(spread))
    rest = [int(p) for p in np.argsort(-e_inc, kind="stable") if p != p0]
    perm = np.argsort(tab[p0], kind="stable")
    tab = tab[:, perm]
    key = tab[p0]

    nodes = leaves = 0
    H0 = _zeros(P, A)
    lb0 = node_bound(H0, 0)
    # depth-first (memory O(n)); the child with the smaller bound is explored first
    stack = [(lb0, 0, 0, H0)]                    # (bound, depth, mask over high units, H)
    complete = True

    def solve_leaf(H, hmask):
        nonlocal B, best_val, best_set
        t = int(T[p0]) - int(H[p0])
        if model == "B" and int(T[p0]) < B:
            left = 0
        else:
            left = int(np.searchsorted(key, t - B, side="right"))
        right = int(np.searchsorted(key, t + B, side="left"))
        if right <= left:
            return
        idx = np.arange(left, right)
        run = _err(key[left:right] + H[p0], T[p0], model)
        for p in rest:
            e = _err(tab[p, idx] + H[p], T[p], model)
            np.maximum(run, e, out=run)
            keep = run < B
            if not keep.all():
                idx = idx[keep]
                run = run[keep]
                if idx.size == 0:
                    return
        j = int(np.argmin(run))
        B = int(run[j])
        col = int(perm[idx[j]])
        s = [int(high[k]) for k in range(n1) if hmask >> k & 1]
        s += [int(low[k]) for k in range(n2) if col >> k & 1]
        best_val, best_set = B, tuple(sorted(s))

    while stack:
        if nodes >= max_nodes or time.perf_counter() > deadline:
            complete = False
            break
        lb, depth, hmask, H = stack.pop()
        if lb >= B:
            continue
        nodes += 1
        if depth == n1:
            leaves += 1
            solve_leaf(H, hmask)
            continue
        kids = []
        for take in (0, 1):
            Hc = H + Ah[depth] if take else H
            lbc = node_bound(Hc, depth + 1)
            if lbc < B:
                kids.append((max(lb, lbc), depth + 1, hmask | (take << depth), Hc))
        kids.sort(key=lambda k: -k[0])
        stack.extend(kids)
    if complete:
        lower = B
    else:
        lower = min([B] + [h[0] for h in stack])
    return MinMaxResult(best_val, best_set, int(lower), complete, nodes=nodes, leaves=leaves,
                        seconds=time.perf_counter() - t0,
                        stats={"n_high": n1, "n_low": n2, "points": P, "open_nodes": len(stack)})
