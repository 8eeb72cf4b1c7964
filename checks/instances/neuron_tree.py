"""Certified branch and bound for the min-max neuron-subset problem on integer data, with LP
node bounds made safe by exact dual bounds, recorded as a re-checkable tree.

Problem (integer units, see :mod:`prunecert.checks.instances.neuron_lower`): for every subset S of [n]
prove ``E(S) = max_p |sigma(H_p(S)) - T_p| >= L`` (or find how far below L it can go), where
``H_p(S) = sum_{i in S} A[i, p]`` and sigma = ReLU (model "B") or the identity (model "A").

Node = a partial assignment (units fixed to 0 or 1, the rest free).  Three exact node bounds,
each valid for every subset S of the node:

* ``interval``: the free units move H_p within [H_fix + sum of negative parts, H_fix + sum of
  positive parts]; E(S) >= the largest distance from T_p to sigma of that interval.
* ``lp``: the relaxation  min e  s.t.  -H_p(s) + e >= -T_p  (every p; valid since
  h <= sigma(h)),  H_p(s) + e >= T_p  (the points with T_p >= L; valid for every S with E(S) < L,
  because then sigma(H_p) >= T_p - E > 0 forces H_p = sigma(H_p)), s in [0,1]^free, e in [0, L].
  For S with E(S) < L, (1_S, E(S)) is feasible, so E(S) >= the LP value >= any weak-duality bound
  from a nonnegative dual (:mod:`prunecert.checks.instances.safe_lp`; HiGHS supplies the float dual,
  the bound is evaluated exactly).  Hence E(S) >= min(L, ceil(bound)).
* ``enum``: few free units: every completion is evaluated exactly; the bound is their minimum.

Two fixings shrink the tree without a new leaf kind: *interval propagation* (:func:`propagate`: a
unit whose one value alone makes the interval bound reach L is fixed to the other value) and
*reduced-cost fixing* (with the node's rounded dual y and r = c - G^T y, moving s_j to its other
end raises the exact weak-duality bound by exactly |r_j|; where that reaches L, s_j is fixed).
Each is recorded as a branch on j whose pruned side is an interval leaf or an lp leaf with the
node's dual, so the re-checker re-derives it with the leaf rules below.

*Strong branching* (``branching="strong"``, the rule :func:`prunecert.checks.instances.neuron_milp.optimum`
uses): at each node the LPs of both children of the few best ``fracsize`` candidates are solved, and
the unit with the largest product of bound gains is branched on.  A child whose own (rounded) dual
already proves the exact bound >= L becomes an lp leaf carrying that dual -- the same leaf kind, so
nothing new to re-check.  On a width-128 network (d = 2, kinks in P) this turned a search that
reached 83% of the goal in 300 s into a complete one in 155 s.

*Conflicts* (``conflicts=True``, :mod:`prunecert.checks.instances.tree_conflicts`): the dual of each
proved lp leaf is kept with the few fixings its proof needs (the others are freed while their
exact loss fits in the slack).  A later node meeting all of them is an lp leaf with that dual; one
meeting all but one has that unit fixed the other way (recorded like reduced-cost fixing).  Each
use is evaluated exactly on the box it closes.  On the gaussian-3 width-128 point set this took
the tree from 64% of the goal in 60 s to 83%, and from 81% in 300 s to 95.5% in 240 s.

*Several processes* (:func:`prunecert.checks.instances.tree_parallel.search_tree`): the open
nodes of a :class:`Search` are dealt out to worker processes in rounds and their subtrees grafted
back; the tree is the same format.

*Incumbents* (``incumbent_gap``): the smallest E(S) met -- at an enumeration leaf, or (with
``rounding``) at the node LP's solution rounded to a subset, evaluated exactly -- lowers the
pruning threshold from L to ``cut = best - floor(best * incumbent_gap)``: a node is closed once
its exact bound reaches cut.  Sound with the same leaf rules, because a leaf's value may be below
L: every leaf closed this way has value >= the cut of its time >= the final cut, so ``min_S E(S)
>= min(final cut, the other leaves)``, and the re-checker takes the minimum over the leaves as
ever.  The node LP keeps L (its rows and the box e in [0, L]), so the re-checker needs nothing
new.  Without incumbents, a threshold L above the optimum on the points can never be reached: the
nodes holding the subsets with E(S) < L are never closed.  Measured on the uniform-3 width-128
point set on two processes, threshold 0.005512 (the optimum there is 0.005146): 43 407 nodes in
120 s, not complete, without incumbents; complete in 88 s (32 919 nodes) with them and rounding
(95 s without rounding), and in 155 s from the threshold 0.007114 of a worse subset.

A leaf's certified value is min(L, bound) for lp leaves and the bound itself otherwise; the search
proves ``min_S E(S) >= min over leaves``.  Nodes left open at the deadline are recorded as lp
leaves with their parent's dual (still valid on the smaller box), so a partial tree is still a
certificate of a (smaller) lower bound.

Tree encoding (preorder list): ``["B", j]`` = branch on unit j (then the s_j = 0 subtree, then
the s_j = 1 subtree); ``["I"]`` interval leaf; ``["E"]`` enumeration leaf; ``["L", {row: y}]``
lp leaf with nonnegative integer dual entries (scaled by 2^scale_bits).
"""
from __future__ import annotations

import heapq
import math
import itertools
from fractions import Fraction
import time
from dataclasses import dataclass, field

import numpy as np

from prunecert.checks.instances.safe_lp import add_box_terms, dual_bound_fast, reduced_costs_fast, round_dual
from prunecert.checks.instances.tree_conflicts import ConflictPool

__all__ = ["TreeResult", "Search", "lp_rows", "certified_tree", "one_blas_thread", "subset_error",
           "ENUM_FREE", "SCALE_BITS", "quiet_highs"]

ENUM_FREE = 10          # nodes with at most this many free units are enumerated exactly
STRONG_ITERATIONS = 30  # simplex iteration cap of a strong-branching solve (0: none)
SCALE_BITS = 40
LAZY_ROWS = True        # the node LP holds only recently binding rows (see _LP)
SEPARATION_ROUNDS = 8   # re-solves after adding violated rows, per LP call
SEPARATION_ROWS = 32    # most violated rows added per re-solve
NEWS_EVERY = 16          # nodes between two questions for subsets found outside the tree
DROP_EVERY = 64         # LP calls between removals of rows unused since the last removal


_BANNER_SHOWN = False


def quiet_highs():
    """A silent highspy.Highs() (the first instance prints a banner on the C stdout, which
    would corrupt a --json document: it is sent to /dev/null)."""
    import os
    import sys

    import highspy

    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.close(devnull)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_SHOWN = True
    h.setOptionValue("output_flag", False)
    return h


def lp_rows(A: np.ndarray, T: np.ndarray, L: int, model: str):
    """Rows (G, g) of the node relaxation over x = (s_0..s_{n-1}, e), all exact Python ints:
    for p in order: the upper row (-A[:, p], 1) >= -T_p, then, if model A or T_p >= L, the lower
    row (A[:, p], 1) >= T_p."""
    n, P = A.shape
    G, g = [], []
    for p in range(P):
        col = [int(a) for a in A[:, p]]
        G.append([-a for a in col] + [1])
        g.append(-int(T[p]))
        if model == "A" or int(T[p]) >= L:
            G.append(col + [1])
            g.append(int(T[p]))
    return G, g


def exact_arrays(A, T):
    """(A, T) as int64 when every subset sum fits with room, else as exact Python-int object arrays."""
    A = np.asarray(A)
    T = np.asarray(T)
    big = max([sum(abs(int(x)) for x in A[:, p]) + abs(int(T[p])) for p in range(A.shape[1])] + [0])
    if big.bit_length() < 62 and A.dtype != object and T.dtype != object:
        return A.astype(np.int64), T.astype(np.int64)
    Ao = np.empty(A.shape, dtype=object)
    for idx in np.ndindex(A.shape):
        Ao[idx] = int(A[idx])
    To = np.empty(T.shape, dtype=object)
    for k in range(T.shape[0]):
        To[k] = int(T[k])
    return Ao, To


def _err(H, T, model):
    if model == "B":
        return np.abs(np.maximum(H, 0) - T)
    return np.abs(H - T)


def subset_error(A, T, model, S) -> int:
    """E(S) = max_p |sigma(H_p(S)) - T_p| exactly, in integer units (A, T from :func:`exact_arrays`)."""
    S = [int(i) for i in S]
    H = A[S].sum(axis=0) if S else np.zeros(A.shape[1], dtype=A.dtype)
    return int(_err(H, T, model).max())


def interval_bound(A, T, model, fix: dict) -> int:
    n, P = A.shape
    ones = [j for j, b in fix.items() if b]
    free = np.ones(n, dtype=bool)
    if fix:
        free[list(fix)] = False
    H = A[ones].sum(axis=0) if ones else np.zeros(P, dtype=A.dtype)
    Af = A[free]
    lo = H + np.minimum(Af, 0).sum(axis=0)
    hi = H + np.maximum(Af, 0).sum(axis=0)
    if model == "B":
        lo, hi = np.maximum(lo, 0), np.maximum(hi, 0)
    return int(np.maximum(np.maximum(T - hi, lo - T), 0).max())


def propagate(A, T, model, fix: dict, L: int, parts=None):
    """Interval propagation (node presolve): the units whose one value alone makes the interval
    bound reach L, found against the node's box and re-run to a fixpoint.  Returns
    (fixes, closed, ib): ``fixes`` = [(j, keep)] in order (each pruned child, s_j = 1 - keep, is an
    interval leaf on the box with the earlier fixes applied -- a sub-box, so its bound only grows);
    ``closed`` = a unit both of whose children are interval leaves (then the node is done), or None;
    ``ib`` = the interval bound of the node's own box (when it reaches L, nothing else is tried)."""
    n, P = A.shape
    fix = dict(fix)
    fixes = []
    ib = None
    Ap, An = parts if parts is not None else sign_parts(A)
    relu = model == "B"
    while True:
        free = np.ones(n, dtype=bool)
        if fix:
            free[list(fix)] = False
        ones = [j for j, b in fix.items() if b]
        H = A[ones].sum(axis=0) if ones else np.zeros(P, dtype=A.dtype)
        lo = H + An[free].sum(axis=0)
        hi = H + Ap[free].sum(axis=0)
        if ib is None:
            ib = int(_box_dist(lo[None, :], hi[None, :], T, relu)[0])
            if ib >= L:
                return fixes, None, ib
        if not free.any():
            return fixes, None, ib
        idx = np.flatnonzero(free)
        Fp, Fn = Ap[idx], An[idx]
        b1 = _box_dist(lo + Fp, hi + Fn, T, relu)          # s_j = 1
        b0 = _box_dist(lo - Fn, hi - Fp, T, relu)          # s_j = 0
        kill1, kill0 = b1 >= L, b0 >= L
        both = kill1 & kill0
        if both.any():
            return fixes, int(idx[np.flatnonzero(both)[0]]), ib
        new = [(int(idx[k]), 0) for k in np.flatnonzero(kill1)] + \
              [(int(idx[k]), 1) for k in np.flatnonzero(kill0)]
        if not new:
            return fixes, None, ib
        for j, keep in new:
            fix[j] = keep
        fixes.extend(new)


def sign_parts(A):
    """(positive part, negative part) of A, computed once per tree and shared by every node."""
    return np.maximum(A, 0), np.minimum(A, 0)


def _box_dist(lo, hi, T, relu):
    """Row-wise max over points of the distance from T_p to sigma([lo_p, hi_p])."""
    if relu:
        lo, hi = np.maximum(lo, 0), np.maximum(hi, 0)
    return np.maximum(np.maximum(T - hi, lo - T), 0).max(axis=1)


def enum_bound(A, T, model, fix: dict):
    """Exact min over completions of E(S) and one minimiser (list of units)."""
    n, P = A.shape
    free = [j for j in range(n) if j not in fix]
    H = np.zeros(P, dtype=A.dtype)
    for j, b in fix.items():
        if b:
            H = H + A[j]
    tab = H[:, None]
    for j in free:
        tab = np.concatenate([tab, tab + A[j][:, None]], axis=1)
    e = _err(tab, T[:, None], model).max(axis=0)
    k = int(np.argmin(e))
    chosen = [j for j, b in fix.items() if b] + [free[i] for i in range(len(free)) if k >> i & 1]
    return int(e[k]), sorted(chosen)


@dataclass
class TreeResult:
    lower: int                 # certified: every subset has E(S) >= lower (integer units)
    complete: bool             # no open node left (lower = min(L, smallest leaf value))
    L: int
    tree: list
    nodes: int = 0
    leaves: dict = field(default_factory=dict)
    seconds: float = 0.0
    best: tuple | None = None  # (value, subset) the smallest E met (enum leaves, rounding), if any
    cut: int | None = None     # the final pruning threshold (L unless incumbents pruned)
    scale_bits: int = SCALE_BITS


class _LP:
    """The node relaxation in HiGHS (floats: only to obtain duals).

    *Lazy rows*: HiGHS holds only the rows that have been binding lately.  After a solve the
    float solution is checked against every row; violated ones join and the LP is solved again
    (up to SEPARATION_ROUNDS times), and every DROP_EVERY solves the rows whose slack stayed
    basic (dual zero) since the last drop leave.  Soundness does not depend on it: a dual is
    returned for all rows (zero on the rows HiGHS does not hold), and every bound is re-derived
    exactly from the rounded dual on the full row set; fewer rows only make a bound weaker.
    What it buys: the fixed cost of a HiGHS 1.16 ``run()`` grows with the number of nonzeros
    (it re-assesses the matrix on every call), and the simplex works on fewer rows."""

    def __init__(self, G, g, n, lazy: bool | None = None):
        import highspy

        self.hs = highspy
        m = len(g)
        self.n = n
        self.m = m
        Gf = np.array(G, dtype=float).reshape(m, n + 1)
        sc = max(1.0, float(max((abs(v) for v in g), default=1)))
        Gs = Gf / sc
        Gs[:, n] = Gf[:, n]
        self.Gs = Gs
        self.gs = np.array([float(v) / sc for v in g])
        self.lazy = LAZY_ROWS if lazy is None else bool(lazy)
        h = quiet_highs()
        inf = highspy.kHighsInf
        h.addVars(n + 1, np.zeros(n + 1), np.append(np.ones(n), inf))
        h.changeColCost(n, 1.0)
        h.setOptionValue("presolve", "off")
        h.setOptionValue("solver", "simplex")
        h.setOptionValue("threads", 1)     # a quarter of the fixed cost of a run() is thread set-up
        # no scaling: on the benchmark networks this gave about 30% fewer nodes (the LP vertices
        # differ; the bounds stay exact whatever dual HiGHS returns)
        h.setOptionValue("simplex_scale_strategy", 0)
        self.h = h
        self.sc = sc
        self.idx = np.arange(n + 1, dtype=np.int32)
        self.inf = inf
        self.rows = np.zeros(0, dtype=np.int64)     # global index of each row HiGHS holds
        self.held = np.zeros(m, dtype=bool)
        self.used = np.zeros(0, dtype=bool)         # held row with a nonzero dual since last drop
        self.solves = 0
        self._add(np.arange(m))

    def _add(self, rows) -> None:
        import scipy.sparse as sp

        rows = np.asarray(rows, dtype=np.int64)
        R = sp.csr_matrix(self.Gs[rows])
        k = len(rows)
        self.h.addRows(k, self.gs[rows], np.full(k, self.inf), R.nnz,
                       R.indptr[:-1].astype(np.int32), R.indices.astype(np.int32), R.data)
        self.rows = np.concatenate([self.rows, rows])
        self.used = np.concatenate([self.used, np.ones(k, dtype=bool)])
        self.held[rows] = True

    def _drop(self) -> None:
        """Remove the held rows whose dual stayed zero since the last drop and whose slack is
        basic now (so HiGHS keeps its basis)."""
        basis = self.h.getBasis()
        basic = np.array([s == self.hs.HighsBasisStatus.kBasic for s in basis.row_status], dtype=bool)
        if len(basic) != len(self.rows):
            return
        out = np.flatnonzero(~self.used & basic)
        if len(out):
            self.h.deleteRows(len(out), out.astype(np.int32))
            keep = np.ones(len(self.rows), dtype=bool)
            keep[out] = False
            self.held[self.rows[out]] = False
            self.rows = self.rows[keep]
        self.used = np.zeros(len(self.rows), dtype=bool)

    def limit(self, iterations: int | None):
        """Cap the simplex iterations of the following solves (None: no cap).  A capped solve is
        only a score for strong branching; a bound taken from it is still exact, because every
        bound is re-derived from the rounded dual whatever HiGHS returns."""
        self.h.setOptionValue("simplex_iteration_limit", 2**31 - 1 if iterations is None else int(iterations))

    def _run(self, fix: dict) -> None:
        """Solve the relaxation with these units fixed (the others in [0, 1]), adding violated
        rows (see the class docstring)."""
        n = self.n
        lo = np.zeros(n + 1)
        up = np.append(np.ones(n), self.inf)
        for j, b in fix.items():
            lo[j] = up[j] = float(b)
        h = self.h
        self.solves += 1
        if self.lazy and self.solves % DROP_EVERY == 0:
            self._drop()                   # before the solve: its solution is read afterwards
        h.changeColsBounds(n + 1, self.idx, lo, up)
        h.run()
        if not self.lazy:
            return
        for _ in range(SEPARATION_ROUNDS):
            if h.getModelStatus() != self.hs.HighsModelStatus.kOptimal:
                break
            x = np.asarray(h.getSolution().col_value)
            viol = self.gs - self.Gs @ x
            viol[self.held] = 0.0
            bad = np.flatnonzero(viol > 1e-9)
            if not len(bad):
                break
            if len(bad) > SEPARATION_ROWS:
                bad = bad[np.argsort(-viol[bad])[:SEPARATION_ROWS]]
            self._add(bad)
            h.run()

    def _duals(self) -> np.ndarray:
        y = np.asarray(self.h.getSolution().row_dual, dtype=float)
        if self.lazy:
            self.used |= y != 0.0
        full = np.zeros(self.m)
        full[self.rows] = y
        return full

    def solve(self, fix: dict):
        n = self.n
        self._run(fix)
        sol = self.h.getSolution()
        val = self.h.getInfo().objective_function_value * self.sc
        # reduced costs in integer units (the e column is unscaled, the rows are divided by sc)
        rc = np.array(sol.col_dual[:n]) * self.sc
        return np.array(sol.col_value[:n]), self._duals(), val, rc

    def value(self, fix: dict) -> float:
        """Only the objective value (integer units) of the relaxation with these fixings; the
        dual of that solve is then :meth:`row_dual`."""
        self._run(fix)
        return self.h.getInfo().objective_function_value * self.sc

    def row_dual(self) -> np.ndarray:
        return self._duals()


def box_proof(Gobj, g, n, L, fix, yq):
    """(total, r, B) of dual yq on the node box of ``fix``: its exact reduced costs (scaled by
    2^SCALE_BITS) and the exact scaled weak-duality bound B (None = -inf)."""
    total, r = reduced_costs_fast(Gobj, g, [0] * n + [1], yq, SCALE_BITS)
    B = add_box_terms(total, r, [fix.get(j, 0) for j in range(n)] + [0],
                      [fix.get(j, 1) for j in range(n)] + [L])
    return total, r, B


def lp_leaf_bound(Gobj, g, n, L, fix, yq, scale_bits=SCALE_BITS):
    """ceil of the exact weak-duality bound at a node (None = -inf)."""
    c = [0] * n + [1]
    lower = [fix.get(j, 0) for j in range(n)] + [0]
    upper = [fix.get(j, 1) for j in range(n)] + [L]
    b = dual_bound_fast(Gobj, g, c, lower, upper, yq, scale_bits)
    if b is None:
        return None
    return -((-b) >> scale_bits)


def _choose(x, fix, size, pc_sum, pc_cnt, rule: str) -> int:
    """The branching unit (a heuristic: any choice keeps the tree sound).  ``fracsize``: the
    largest min(x_j, 1 - x_j) * size_j; ``pseudocost``: the product rule on the average bound gain
    per unit move seen so far for each unit and side (units never branched on get the average of
    the others), falling back to ``fracsize`` until some gains are known."""
    n = len(x)
    free = np.ones(n, dtype=bool)
    if fix:
        free[list(fix)] = False
    f = np.minimum(x, 1 - x)
    frac = free & (f > 1e-6)
    pool = frac if frac.any() else free
    if rule == "pseudocost" and pc_cnt[0].sum() > 0 and pc_cnt[1].sum() > 0:
        est = []
        for side in (0, 1):
            c = pc_cnt[side]
            avg = pc_sum[side].sum() / c.sum()
            est.append(np.where(c > 0, pc_sum[side] / np.maximum(c, 1), avg))
        down = np.maximum(x * est[0], 1e-9)
        up = np.maximum((1 - x) * est[1], 1e-9)
        score = np.where(pool, down * up, -1.0)
    else:
        score = np.where(pool, f * size + 1e-12 * size, -1.0)
    return int(np.argmax(score))


def _strong(lp, x, fix, size, fval, L, Gobj, g, n, k, cut=None):
    """Strong branching on the k best ``fracsize`` candidates: both children's LPs are solved
    (at most STRONG_ITERATIONS simplex iterations each: a score, not a bound).  Returns
    (j, p0, p1): the unit to branch on and, for each child s_j = b, the proof (see
    :func:`_strong_scan`) that makes it an lp leaf by its own exact bound, or None.
    (Reliability branching -- pseudo-costs once a unit has a few strong-branching observations --
    was measured on a width-128 network: 7x the nodes but a weaker bound after 300 s, so it is
    not offered.)"""
    free = np.ones(n, dtype=bool)
    if fix:
        free[list(fix)] = False
    f = np.minimum(x, 1 - x)
    score = np.where(free & (f > 1e-6), f * size, -1.0)
    order = [int(j) for j in np.argsort(-score)[:k] if score[j] > 0]
    if not order:
        return int(np.argmax(np.where(free, size, -1.0))), None, None
    cut = L if cut is None else cut
    base = min(fval, cut) if math.isfinite(fval) else 0.0
    if STRONG_ITERATIONS:
        lp.limit(STRONG_ITERATIONS)
    try:
        return _strong_scan(lp, fix, order, base, L, Gobj, g, n, cut)
    finally:
        if STRONG_ITERATIONS:
            lp.limit(None)


def _strong_scan(lp, fix, order, base, L, Gobj, g, n, cut=None):
    """Returns (j, p0, p1): p_b = (yq, total, r, B) when child s_j = b is proved an lp leaf by its
    own rounded dual yq (total, r: its exact reduced costs, B its exact scaled bound on the child's
    box -- kept for the conflict it teaches): its bound reaches ``cut`` (default L; the box of
    e stays [0, L])."""
    cut = L if cut is None else cut
    best, best_j = -1.0, order[0]
    for j in order:
        gains, proofs = [], []
        for b in (0, 1):
            f2 = dict(fix)
            f2[j] = b
            v = lp.value(f2)
            if math.isfinite(v) and v >= cut * (1 - 1e-7) - 2:
                yq = round_dual(lp.row_dual(), SCALE_BITS)
                total, r, B = box_proof(Gobj, g, n, L, f2, yq)
                if B is not None and -((-B) >> SCALE_BITS) >= cut:
                    proofs.append((yq, total, r, B))
                    gains.append(None)
                    continue
            proofs.append(None)
            gains.append(max(0.0, min(v, cut) - base) if math.isfinite(v) else 0.0)
        if proofs[0] is not None or proofs[1] is not None:
            return j, proofs[0], proofs[1]
        sc = max(gains[0], 1e-6 * cut) * max(gains[1], 1e-6 * cut)
        if sc > best:
            best, best_j = sc, j
    return best_j, None, None


def certified_tree(A, T, model: str, L: int, *, timeout: float = 60.0, max_nodes: int = 2_000_000,
                   enum_free: int = ENUM_FREE, progress=None,
                   reduced_cost_fixing: bool = True, branching: str = "fracsize",
                   propagation: bool = True, strong_cands: int = 6, conflicts: bool = True,
                   incumbent_gap=None, rounding: bool = False, news=None,
                   incumbent=None) -> TreeResult:
    """Best-first branch and bound proving E(S) >= L for all S (or the best bound in time), in
    this process (several:
    :func:`prunecert.checks.instances.tree_parallel.search_tree`).
    incumbent_gap, rounding: incumbent pruning (see the module docstring; None: off);
    incumbent: a known subset as (E(S), S) offered at the start; news: see :meth:`Search.run`.
    branching: ``fracsize``, ``pseudocost`` (see :func:`_choose`) or ``strong`` (see :func:`_strong`)."""
    if branching not in ("fracsize", "pseudocost", "strong"):
        raise ValueError(f"unknown branching rule {branching!r}")
    with one_blas_thread():     # see one_blas_thread
        t0 = time.perf_counter()
        s = Search(A, T, model, L, enum_free=enum_free, reduced_cost_fixing=reduced_cost_fixing,
                   branching=branching, propagation=propagation, strong_cands=strong_cands,
                   conflicts=conflicts, incumbent_gap=incumbent_gap, rounding=rounding)
        if incumbent is not None:
            s.offer(*incumbent)
        heap = [s.root_item("root")]
        s.run(heap, t0 + timeout, max_nodes=max_nodes, progress=progress, reserve=True, news=news)
        lower, tree = s.close(heap)
        return TreeResult(lower, not heap, s.L, tree, nodes=s.nodes, leaves=s.kinds,
                          seconds=time.perf_counter() - t0, best=s.best, cut=s.cut)


def one_blas_thread():
    """Context manager: BLAS (numpy's matrix products) on one thread in this process.  The
    tree's products are small (a conflict scan, a row check) and many; with BLAS's default
    threads each one wakes threads that then spin, taking the core another tree process or
    HiGHS needs.  Measured on the gaussian-3 width-128 point set, two tree processes, 120 s:
    15 491 nodes and 95.8 % of the threshold with the default, complete in 101 s (23 159 nodes)
    with one thread."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


class Search:
    """The state of one branch-and-bound search (one process): the exact data, the node LP,
    the learned conflicts and the node records.  Nodes enter as heap items
    ``(bound, tiebreak, id, fix, parent_yq)``; :meth:`run` processes them until the heap is empty
    or the deadline; :meth:`export` hands back the finished subtrees of given roots, with the
    nodes still open as placeholders ``["P", key]``; :meth:`close` bounds the open nodes exactly
    and returns the whole tree."""

    def __init__(self, A, T, model, L, *, enum_free=ENUM_FREE, reduced_cost_fixing=True,
                 branching="fracsize", propagation=True, strong_cands=6, conflicts=True,
                 incumbent_gap=None, rounding=False):
        A, T = exact_arrays(A, T)
        self.A, self.T, self.model = A, T, model
        self.n = n = A.shape[0]
        self.L = L = int(L)
        self.G, self.g = lp_rows(A, T, L, model)
        self.Gobj = np.array(self.G, dtype=object).reshape(len(self.g), n + 1)
        self.enum_free = enum_free
        self.lp = _LP(self.G, self.g, n) if n > enum_free else None
        self.size = np.abs(A).sum(axis=1)
        self.rcf, self.branching, self.propagation = reduced_cost_fixing, branching, propagation
        self.strong_cands = strong_cands
        # node records: id -> ("B", j, id0, id1) | ("I",) | ("E",) | ("L", yq) | ("O", parent_yq)
        # | ("P", key) (open, handed to another search)
        self.rec: dict[int, tuple] = {}
        self.counter = itertools.count()
        self.nodes = 0
        self.kinds = {"interval": 0, "enum": 0, "lp": 0, "fixed": 0, "propagated": 0, "strong": 0,
                      "conflict": 0}
        self.pool = ConflictPool(n, L, SCALE_BITS) if conflicts and self.lp is not None else None
        self.parts = sign_parts(A)
        self.track_pc = branching == "pseudocost"  # the gains are only needed by the pseudo-cost rule
        self.meta: dict[int, tuple] = {}   # child id -> (parent LP value, unit, side, fractional move)
        self.pc_sum = [np.zeros(n), np.zeros(n)]
        self.pc_cnt = [np.zeros(n), np.zeros(n)]
        self.best = None
        # incumbent pruning (see the module docstring): nodes are closed once their exact bound
        # reaches ``cut`` = min(L, best - floor(best * incumbent_gap)); None = never (cut = L)
        if incumbent_gap is not None:
            incumbent_gap = Fraction(incumbent_gap)
            if not 0 <= incumbent_gap < 1:
                raise ValueError("incumbent_gap must be in [0, 1)")
        self.gap = incumbent_gap
        self.cut = L
        self.rounding = bool(rounding)
        self.roots: dict[int, object] = {}   # id of each node given from outside -> its key
        # Every node left open at the deadline must still be bounded exactly (its parent's dual on
        # its box, and its interval bound), so the search stops early enough for that: the cost of
        # one such evaluation is sampled on the queue's front every few hundred nodes.
        self.t_open = 2e-3

    def cut_of(self, value: int) -> int:
        """The pruning threshold an incumbent of E = ``value`` allows (L when incumbents do
        not prune)."""
        if self.gap is None:
            return self.L
        return min(self.L, value - value * self.gap.numerator // self.gap.denominator)

    def offer(self, value: int, S) -> None:
        """A subset S with exact E(S) = ``value`` (integer units): kept as the best if it is,
        and the pruning threshold lowered to :meth:`cut_of` of it."""
        value = int(value)
        if self.best is None or value < self.best[0]:
            self.best = (value, tuple(int(i) for i in S))
        c = self.cut_of(value)
        if c < self.cut:
            self.cut = c
            if self.pool is not None:
                self.pool.cut = c

    def root_item(self, key, bound=0, fix=None, pyq=None):
        """A heap item for a node given from outside (the root, or an open node of another
        search); ``self.roots`` maps its id back to ``key``."""
        nid = next(self.counter)
        self.roots[nid] = key
        return (bound, nid, nid, dict(fix or {}), dict(pyq or {}))

    def run(self, heap, deadline, *, max_nodes=2_000_000, progress=None, reserve=True, max_open=None,
            stop=None, news=None):
        """Process nodes until the heap is empty, the deadline (less, with ``reserve``, the time
        to bound the open nodes exactly), max_nodes, (if given) until max_open nodes are open, or
        until ``stop()`` (if given, asked before each node) says so.  Open nodes stay in ``heap``.
        ``news()`` (if given, asked every NEWS_EVERY nodes): None, or a subset found elsewhere as
        (E(S), S), which is :meth:`offer`-ed."""
        A, T, model, L, n = self.A, self.T, self.model, self.L, self.n
        Gobj, g, lp, pool, rec, counter, kinds = (self.Gobj, self.g, self.lp, self.pool, self.rec,
                                                  self.counter, self.kinds)
        enum_free, parts, size = self.enum_free, self.parts, self.size
        branching, track_pc, meta = self.branching, self.track_pc, self.meta
        pc_sum, pc_cnt = self.pc_sum, self.pc_cnt
        t0 = time.perf_counter()
        last = t0
        dive = None
        nodes0 = self.nodes
        while heap or dive is not None:
            now = time.perf_counter()
            if self.nodes % 256 == 0 and heap and reserve:
                fb = heap[0]
                ts = time.perf_counter()
                if fb[4]:
                    lp_leaf_bound(Gobj, g, n, L, fb[3], fb[4])
                interval_bound(A, T, model, fb[3])
                self.t_open = 0.5 * self.t_open + 0.5 * (time.perf_counter() - ts)
                now = time.perf_counter()
            slack = 1.5 * self.t_open * (len(heap) + 1) if reserve else 0.0
            if now > deadline - slack or self.nodes - nodes0 >= max_nodes:
                break
            if max_open is not None and len(heap) + (dive is not None) >= max_open:
                break
            if stop is not None and stop():
                break
            if news is not None and self.nodes % NEWS_EVERY == 0:
                inc = news()
                if inc is not None:
                    self.offer(*inc)
            cut = self.cut              # the pruning threshold: L, or lower once incumbents prune
            if progress is not None and now - last > 5.0:
                last = now
                progress(f"tree: {self.nodes} nodes, {len(heap)} open, bound "
                         f"{heap[0][0] if heap else '-'} / {cut}")
            if dive is not None:
                bnd, _, nid, fix, pyq = dive
                dive = None
            else:
                bnd, _, nid, fix, pyq = heapq.heappop(heap)
            self.nodes += 1
            if pool is not None and fix:
                closed_by, fix, nid = _use_conflicts(pool, fix, nid, rec, counter, kinds)
                if closed_by:
                    continue
            free = n - len(fix)
            if self.propagation and free > enum_free:
                fixes, closed, ib = propagate(A, T, model, fix, cut, parts)
            else:
                fixes, closed, ib = [], None, interval_bound(A, T, model, fix)
            if ib >= cut:
                rec[nid] = ("I",)
                kinds["interval"] += 1
                continue
            if fixes or closed is not None:
                fix = dict(fix)
                for j, keep in fixes:
                    kept, pruned = next(counter), next(counter)
                    rec[pruned] = ("I",)
                    kinds["interval"] += 1
                    rec[nid] = ("B", j, kept, pruned) if keep == 0 else ("B", j, pruned, kept)
                    fix[j] = keep
                    nid = kept
                kinds["propagated"] += len(fixes)
                if closed is not None:
                    c0, c1 = next(counter), next(counter)
                    rec[c0], rec[c1] = ("I",), ("I",)
                    kinds["interval"] += 2
                    rec[nid] = ("B", closed, c0, c1)
                    continue
                free = n - len(fix)
            if free <= enum_free:
                val, S = enum_bound(A, T, model, fix)
                rec[nid] = ("E",)
                kinds["enum"] += 1
                self.offer(val, S)
                continue
            x, y, fval, rc = lp.solve(fix)
            if self.rounding and math.isfinite(fval):
                # primal heuristic: the LP solution rounded (its exact E only ever lowers
                # ``lower``, and a better subset may lower the pruning threshold)
                S = [j for j in range(n) if fix.get(j, 1 if x[j] > 0.5 else 0) == 1]
                self.offer(subset_error(A, T, model, S), S)
                cut = self.cut
            yq = round_dual(y, SCALE_BITS)
            m = meta.pop(nid, None) if track_pc else None
            if m is not None and math.isfinite(fval):
                pf, bj, bb, dist = m          # pseudo-cost: bound gain per unit of the branched move
                pc_sum[bb][bj] += max(0.0, min(fval, cut) - pf) / dist
                pc_cnt[bb][bj] += 1
            # the exact bound is evaluated only where the float numbers say it may prune a node or
            # fix a unit; elsewhere the float value only orders the queue (open nodes are
            # re-bounded exactly at the end)
            cand = []
            if self.rcf and math.isfinite(fval):
                want = cut * (1 + 1e-9) + 2 - fval
                cand = [j for j in range(n) if j not in fix and abs(rc[j]) >= want]
            if fval >= cut * (1 - 1e-7) - 2 or cand:
                total, r, B = box_proof(Gobj, g, n, L, fix, yq)
                lb = None if B is None else -((-B) >> SCALE_BITS)
            else:
                B = None
                lb = int(fval) if math.isfinite(fval) else None
            if lb is not None and lb >= cut:
                rec[nid] = ("L", yq)
                kinds["lp"] += 1
                if pool is not None:
                    pool.add(fix, yq, total, r, B)
                continue
            if B is not None and cand:
                # reduced-cost fixing: with the same dual, the box with s_j moved to the other end
                # has the exact bound B + |r_j|; where that reaches L the child is an lp leaf
                # (recorded as a branch on j whose pruned side carries this dual), the other side
                # continues
                fixes = []
                for j in cand:
                    rj = int(r[j])
                    if rj != 0 and -((-(B + abs(rj))) >> SCALE_BITS) >= cut:
                        fixes.append((j, 0 if rj > 0 else 1))
                        if pool is not None:
                            pool.add({**fix, j: 1 if rj > 0 else 0}, yq, total, r, B + abs(rj))
                if fixes:
                    kinds["fixed"] += len(fixes)
                    fix, nid = _record_fixings(rec, counter, kinds, nid, fix,
                                               [(j, keep, yq) for j, keep in fixes])
                    if n - len(fix) <= enum_free:
                        dive = (bnd, nid, nid, fix, yq)
                        continue
            nb = max(ib, lb if lb is not None else 0, bnd)
            if branching == "strong":
                j, p0, p1 = _strong(lp, x, fix, size, fval, L, Gobj, g, n, self.strong_cands, cut)
                if pool is not None:
                    for b, pb in ((0, p0), (1, p1)):
                        if pb is not None:
                            pool.add({**fix, j: b}, *pb)
                y0 = None if p0 is None else p0[0]
                y1 = None if p1 is None else p1[0]
                if y0 is not None and y1 is not None:
                    # both children of j are lp leaves (each with its own exact dual)
                    c0, c1 = next(counter), next(counter)
                    rec[c0], rec[c1] = ("L", y0), ("L", y1)
                    kinds["lp"] += 2
                    kinds["strong"] += 1
                    rec[nid] = ("B", j, c0, c1)
                    continue
                if y0 is not None or y1 is not None:
                    # one child of unit j is an lp leaf with its own exact dual: fix j to the
                    # other side
                    keep = 1 if y0 is not None else 0
                    kinds["strong"] += 1
                    fix, kept = _record_fixings(rec, counter, kinds, nid, fix,
                                                [(j, keep, y0 if y0 is not None else y1)])
                    heapq.heappush(heap, (nb, kept, kept, fix, yq if lb is not None else {}))
                    continue
            else:
                j = _choose(x, fix, size, pc_sum, pc_cnt, branching)
            kids = []
            first = 1 if x[j] >= 0.5 else 0          # dive towards the LP solution
            for b in (0, 1):
                cid = next(counter)
                f2 = dict(fix)
                f2[j] = b
                kids.append(cid)
                item = (nb, cid, cid, f2, yq if lb is not None else {})
                if track_pc and math.isfinite(fval):
                    meta[cid] = (fval, j, b, max(1e-6, x[j] if b == 0 else 1 - x[j]))
                if b == first:
                    dive = item
                else:
                    heapq.heappush(heap, item)
            rec[nid] = ("B", j, kids[0], kids[1])
        if dive is not None:
            heapq.heappush(heap, dive)

    def open_value(self, item) -> int:
        """The exact bound of an open node: its parent's dual on its box, or its interval bound."""
        _, _, _, fix, pyq = item
        v = lp_leaf_bound(self.Gobj, self.g, self.n, self.L, fix, pyq) if pyq else None
        return max(v if v is not None else 0, interval_bound(self.A, self.T, self.model, fix))

    def close(self, heap):
        """Record the open nodes as lp leaves with their parent's dual and return
        (certified lower bound, preorder tree of the first root)."""
        lower = min(self.L, self.cut)
        if self.best is not None:
            lower = min(lower, self.best[0])
        for item in heap:
            self.rec[item[2]] = ("O", item[4])
            lower = min(lower, self.open_value(item))
        root = min(self.roots)
        return max(0, int(lower)), _preorder(self.rec, root)

    def export(self, heap, key_of):
        """Hand over the work of this run: for every root, its subtree (preorder) with each node
        still open as ``["P", key]``; the open items as ``(key, bound, fix, parent_yq)``.  The
        records are then dropped (the learned conflicts stay)."""
        open_items = []
        for bnd, _, nid, fix, pyq in heap:
            key = key_of(nid)
            self.rec[nid] = ("P", key)
            open_items.append((key, bnd, fix, pyq))
        subtrees = {key: _preorder(self.rec, nid) for nid, key in self.roots.items()}
        self.rec.clear()
        self.roots = {}
        self.meta.clear()
        return subtrees, open_items


def _use_conflicts(pool, fix, nid, rec, counter, kinds):
    """Close the node by a conflict, or fix the units conflicts decide (each pruned side an lp
    leaf with the conflict's dual, checked exactly on its box), to a fixpoint.
    Returns (closed, fix, nid): nid is the node where the search goes on."""
    for _ in range(8):
        kind, res = pool.scan(fix)
        if kind == "leaf":
            rec[nid] = ("L", res)
            kinds["lp"] += 1
            kinds["conflict"] += 1
            return True, fix, nid
        if not res:
            break
        fix, nid = _record_fixings(rec, counter, kinds, nid, fix, res)
        kinds["conflict"] += len(res)
    return False, fix, nid


def _record_fixings(rec, counter, kinds, nid, fix, items):
    """Record fixings [(j, keep, yq)] as a chain of branches from node nid: each pruned side
    (s_j = 1 - keep) is an lp leaf with dual yq.  Returns the new fixings and the node id where
    the search goes on."""
    fix = dict(fix)
    for j, keep, yq in items:
        kept, pruned = next(counter), next(counter)
        rec[pruned] = ("L", yq)
        kinds["lp"] += 1
        rec[nid] = ("B", j, kept, pruned) if keep == 0 else ("B", j, pruned, kept)
        fix[j] = keep
        nid = kept
    return fix, nid


def _preorder(rec, root):
    out = []
    stack = [root]
    while stack:
        nid = stack.pop()
        r = rec[nid]
        if r[0] == "B":
            out.append(["B", int(r[1])])
            stack.append(r[3])
            stack.append(r[2])
        elif r[0] in ("I", "E"):
            out.append([r[0]])
        elif r[0] == "P":
            out.append(["P", r[1]])
        else:   # "L" leaf or open node: both carry a dual
            out.append(["L", {str(k): int(v) for k, v in r[1].items()}])
    return out
