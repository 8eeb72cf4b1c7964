"""Certified neuron-pruning optimum with a MILP solver (HiGHS) for incumbents and LP duals.

OPT = min_S sup_{x in B^d} |g_S(x) - relu(<w, x>)|  (see :mod:`prunecert.checks.instances.neuron_subset`).

1. Incumbents (untrusted floats, only *which subset* is used): on a finite set P of exact
   rational points of the sphere, HiGHS solves the min-max MILP  min e  s.t.
   H_p(s) <= T_p + e (every p),  H_p(s) >= T_p - e (model A: every p; model B: the p with
   T_p >= the best error known, where the output ReLU is active),  s binary.
   Cutting planes: the maximiser of the chosen subset's certified sup error joins P.  In d = 2, P
   starts with every kink direction (:func:`kink_directions`, :func:`arc_fill`); HiGHS rounds of
   several seconds run in a child process killed past their limit
   (:mod:`prunecert.checks.instances.highs_mip`), on a machine with several cores as two runs
   with different random seeds at once (every subset returned is certified; the best is kept).
2. hi = the certified sup error of the best subset met (:func:`prunecert.checks.instances.superror.sup_error`).
3. lo: on the final P, the exact integer data of :mod:`prunecert.checks.instances.neuron_lower` (rounding
   slack n + 1 units) and the certified tree of :mod:`prunecert.checks.instances.neuron_tree` (LP bounds made
   safe by exact dual bounds, interval and enumeration leaves) prove min_S max_P E >= lower, so
   OPT >= (lower - n - 1) / 2^K.  Nothing HiGHS says is trusted for lo or hi.

The certificate (:mod:`prunecert.checks.instances.neuron_certificate`) records the network, P, K,
the threshold, the subset and the tree; ``prunecert recheck`` re-derives everything from it.
"""
from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from prunecert.checks.errors import BudgetExceeded, InputError
from prunecert.checks.instances import neuron_enum
from prunecert.checks.instances.network import Network, prefix
from prunecert.checks.instances.neuron_lower import integer_data, into_ball, lower_from_int, sphere_points
from prunecert.checks.instances.highs_mip import HighsRound, highs_minmax, minmax_portfolio
from prunecert.checks.instances.neuron_tree import exact_arrays, subset_error
from prunecert.checks.instances.tree_parallel import search_tree
from prunecert.checks.rigorous.numbers import fraction_to_decimal, to_fraction

__all__ = ["MilpResult", "optimum", "highs_minmax", "width_point", "default_points", "kink_directions", "arc_fill"]


def default_points(d: int) -> int:
    return {1: 2, 2: 48, 3: 96}.get(d, 128)


@dataclass
class MilpResult:
    lo: Fraction
    hi: Fraction
    subset: list[int]
    lower_complete: bool
    seconds: float
    n: int
    d: int
    model: str
    eps: Fraction | None = None
    method: str = "highs-incumbents+certified-lp-tree"
    points: int = 0
    rounds: int = 0
    sup_method: str = ""
    highs: dict = field(default_factory=dict)     # uncertified HiGHS numbers, for information
    tree: dict = field(default_factory=dict)
    detail: str = ""
    cert: dict | None = None

    @property
    def achievable(self):
        if self.eps is None:
            return None
        if self.hi <= self.eps:
            return True
        if self.lo > self.eps:
            return False
        return None

    def to_json(self, with_certificate: bool = False) -> dict:
        out = {
            "mode": "neuron",
            "eps": None if self.eps is None else fraction_to_decimal(self.eps, 20),
            "achievable": self.achievable,
            "best_error": {"lo": fraction_to_decimal(self.lo, 12, "down"),
                           "hi": fraction_to_decimal(self.hi, 12, "up")},
            "subset": list(self.subset),
            "lower_complete": self.lower_complete,
            "exact": self.hi - self.lo <= self.hi / 10**4,
            "method": self.method,
            "seconds": round(self.seconds, 4),
            "n": self.n, "d": self.d, "model": self.model,
            "points": self.points, "rounds": self.rounds,
            "sup_method": self.sup_method,
            "tree": self.tree,
            "highs_uncertified": self.highs,
        }
        if self.detail:
            out["detail"] = self.detail
        if with_certificate and self.cert is not None:
            out["certificate"] = self.cert
        return out


CUTS_PER_ROUND = 6
ROUND_SHARE = 0.12
BESIDE_SHARE = 0.25          # a HiGHS round left unfinished goes on beside the tree this long at most
BESIDE_MIN_SECONDS = 60.0    # ... if the tree has at least this long
FIRST_ROUND_SHARE = 0.4     # d = 2 with the kinks in P: the first HiGHS solve is the one that matters
ARC_GAP = 2 * math.pi / 128  # d = 2: widest arc of P between kinks (see arc_fill)


def _float_grid(d: int) -> np.ndarray:
    """Float unit directions where a chosen subset's error is scanned for extra cutting points."""
    if d == 2:
        a = np.linspace(0, 2 * np.pi, 4096, endpoint=False)
        return np.stack([np.cos(a), np.sin(a)], axis=1)
    m = 6000 if d == 3 else 8000
    if d == 3:                                   # Fibonacci lattice
        k = np.arange(m) + 0.5
        z = 1 - 2 * k / m
        phi = np.pi * (1 + 5 ** 0.5) * k
        r = np.sqrt(1 - z * z)
        return np.stack([r * np.cos(phi), r * np.sin(phi), z], axis=1)
    X = np.random.default_rng(0).standard_normal((m, d))
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def _more_cuts(net: Network, S, value: float, grid: np.ndarray, k: int = CUTS_PER_ROUND):
    """Up to k exact sphere points near the largest local maxima (on the float grid) of the error
    of subset S that exceed ``value`` (its error on the current points).  Points only make the
    finite-point lower bound stronger: nothing here needs to be exact except the points
    themselves, which are exact rationals on the sphere."""
    from prunecert.checks.instances.neuron_lower import rational_on_sphere

    if grid.shape[1] != net.d:
        return []
    mask = _mask(net.n, S)
    with np.errstate(all="ignore"):
        err = np.abs(net.evaluate_float(grid, neuron_mask=mask) - net.target_float(grid))
    if not np.all(np.isfinite(err)):
        return []
    order = np.argsort(-err)
    chosen = []
    for i in order:
        if err[i] <= value or len(chosen) >= k:
            break
        if all(np.dot(grid[i], grid[c]) < np.cos(0.05) for c in chosen):
            chosen.append(i)
    return [rational_on_sphere(grid[i]) for i in chosen]


def kink_directions(net: Network) -> list[list[float]]:
    """d = 2: the directions where a unit's (or the target's) ReLU has its kink, +-u_i^perp and
    +-w^perp.  Between two consecutive kinks the error is a sinusoid in the angle, so its maximum
    is at a kink or at one interior point: with the kinks in P, the min-max on P is close to the
    true optimum from the first round on (a few cutting points add the interior maxima).  These
    are only *where* to put points; each becomes an exact rational point of the circle."""
    if net.d != 2:
        return []
    U, _, w = net.arrays()
    out = []
    for u in list(U) + [w]:
        m = float(np.max(np.abs(u))) if u.size else 0.0
        if not (m > 0 and math.isfinite(m)):
            continue
        a, b = u[0] / m, u[1] / m
        out.append([-b, a])
        out.append([b, -a])
    return out


def arc_fill(directions, max_gap: float) -> list[list[float]]:
    """d = 2: extra directions so that no arc between consecutive directions is wider than
    max_gap.  On an arc between kinks the error is <z, x> for one vector z, whose maximum exceeds
    the arc's ends by at most |z| (1 - cos(gap / 2)): wide arcs are where a subset's sup error
    hides from P, and filling them saves HiGHS rounds (each a solve from scratch)."""
    if not directions:
        return []
    ang = np.sort(np.array([math.atan2(y, x) for x, y in directions]) % (2 * math.pi))
    nxt = np.append(ang[1:], ang[0] + 2 * math.pi)
    out = []
    for a, b in zip(ang, nxt):
        k = int(math.ceil((b - a) / max_gap)) - 1
        for i in range(1, k + 1):
            t = a + (b - a) * i / (k + 1)
            out.append([math.cos(t), math.sin(t)])
    return out


def _tree_info(tr, L: int, K: int, branching: str, workers: int = 1) -> dict:
    """The ``tree`` field of a result: what the certified tree did (``cut_units``: the pruning
    threshold it ended with, lowered from the threshold by the best subset it met)."""
    return {"nodes": tr.nodes, "leaves": tr.leaves, "complete": tr.complete,
            "seconds": round(tr.seconds, 3), "threshold_units": L, "K": K, "branching": branching,
            "workers": workers, "cut_units": tr.cut if tr.cut is not None else L}


def _certified_or_inf(tested: dict, S) -> float:
    se = tested.get(tuple(S))
    return float(se.hi) if se is not None else math.inf


def _mask(n, S):
    s = set(S)
    return [1 if i in s else 0 for i in range(n)]


def optimum(net: Network, *, timeout: float = 60.0, points: int | None = None,
            rel_tol=Fraction(1, 10**4), max_rounds: int = 40, seed: int = 0, eps=None,
            certificate: bool = True, progress=None, certify_lower: bool = True,
            kinks: bool | None = None, branching: str = "strong", workers: int = 1,
            beside: bool | None = None, highs_seeds: int | None = None) -> MilpResult:
    """Certified enclosure [lo, hi] of the optimal neuron-pruning error (see module docstring).

    eps (optional): stop once a certified bound settles 'OPT <= eps' (hi <= eps) or 'OPT > eps'
    (lo > eps); the best subset found and the certified lo are reported either way.
    certify_lower=False skips the tree (lo = 0): HiGHS's own, uncertified, answer is then only in
    ``highs`` (for benchmarks).
    kinks (default: d == 2): start P with the kink directions (:func:`kink_directions`).
    branching: the tree's branching rule (see :func:`prunecert.checks.instances.neuron_tree.certified_tree`).
    workers: processes the certified tree may use (1: in this process; more: see
    :mod:`prunecert.checks.instances.tree_parallel`); the HiGHS rounds run on one thread either way.
    beside (default: when the machine has more than one core): if the last HiGHS round ended
    without proving its subset optimal on P, HiGHS goes on in a child process while the tree
    runs (at most BESIDE_SHARE of the budget), and its subset, certified, may lower hi.
    highs_seeds (default: 2 when the machine has more than one core, else 1): HiGHS runs per
    round, each in its own process with its own random seed; each subset returned is certified
    and the round goes on with the best (rounds under a few seconds run once, in-process)."""
    from prunecert.checks.instances.superror import sup_error

    if not isinstance(net, Network):
        raise InputError("expected a prunecert.checks.instances.network.Network")
    if not (isinstance(timeout, (int, float)) and timeout > 0 and math.isfinite(timeout)):
        raise InputError("timeout must be a finite number > 0")
    rel_tol = to_fraction(rel_tol, "rel_tol")
    q_eps = None if eps is None else to_fraction(eps, "eps")
    if q_eps is not None and q_eps <= 0:
        raise InputError("eps must be > 0")
    say = progress or (lambda msg: None)
    t0 = time.perf_counter()
    deadline = t0 + float(timeout)
    n, d = net.n, net.d
    count = default_points(d) if points is None else int(points)
    if count < 1:
        raise InputError("points must be >= 1")
    if branching not in ("strong", "fracsize", "pseudocost"):
        raise InputError("branching must be one of strong, fracsize, pseudocost")
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= 64:
        raise InputError("workers must be an integer from 1 to 64")
    use_kinks = (d == 2) if kinks is None else bool(kinks)
    beside = (os.cpu_count() or 1) > 1 if beside is None else bool(beside)
    if highs_seeds is None:
        highs_seeds = 2 if (os.cpu_count() or 1) > 1 else 1
    if isinstance(highs_seeds, bool) or not isinstance(highs_seeds, int) or not 1 <= highs_seeds <= 16:
        raise InputError("highs_seeds must be an integer from 1 to 16")
    extra = [[float(c) for c in net.w]] if any(net.w) else []
    if use_kinks:
        kd = kink_directions(net)
        grid2 = [[math.cos(2 * math.pi * (k + 0.5) / count), math.sin(2 * math.pi * (k + 0.5) / count)]
                 for k in range(count)] if d == 2 else []
        extra += kd + arc_fill(kd + grid2, ARC_GAP)
    pts = sphere_points(d, count, seed=seed, extra=extra)
    hi, best, sup_method = Fraction(1), (), "empty subset: ||w|| <= 1"
    tested: dict = {}
    detail: list[str] = []
    hinfo: dict = {}

    def certify_sup(S):
        nonlocal hi, best, sup_method
        if S in tested:
            return tested[S]
        left = max(0.5, deadline - time.perf_counter())
        tol = Fraction(1, 10**7) if d <= 2 else max(Fraction(1, 10**6), hi * rel_tol / 8)
        try:
            se = sup_error(net, neuron_mask=_mask(n, S), tol=tol, timeout=min(left, 60.0))
        except BudgetExceeded:
            detail.append(f"sup_error of a subset of size {len(S)} ran out of budget")
            tested[S] = None
            return None
        tested[S] = se
        if se.hi < hi:
            hi, best, sup_method = se.hi, tuple(S), se.method
        return se

    rounds = 0
    data = None
    sub_mips = True
    grid = _float_grid(d)
    if n > 0:
        data = integer_data(net, pts)
        v0, S0 = neuron_enum.local_search(data.A, data.T, net.model, seed=seed, starts=8)
        certify_sup(tuple(S0))
    early = None
    if n > 0 and certify_lower and q_eps is not None and q_eps < hi:
        # a decision 'OPT > eps' needs no good incumbent: the tree on the starting P, with goal
        # eps, is tried first on a quarter of the budget (any P gives a valid lower bound)
        L = data.to_units(q_eps) + data.margin + 1
        say(f"trying to prove OPT > eps on the starting {len(pts)} points")
        t_ = search_tree(data.A, data.T, net.model, L, timeout=max(0.5, 0.25 * timeout), progress=say,
                         branching=branching, workers=workers)
        if t_.best is not None:
            certify_sup(tuple(t_.best[1]))
        if t_.complete and lower_from_int(data, t_.lower) > q_eps:
            early = (t_, data, L)
    while n > 0 and rounds < max_rounds and early is None:
        remaining = deadline - time.perf_counter()
        if remaining <= (0.3 * timeout if certify_lower else 0.02 * timeout) and rounds > 0:
            break
        rounds += 1
        data = integer_data(net, pts)
        L = data.to_units(hi) + data.margin + 1
        # a round only needs a good subset to cut with, not HiGHS's proof that it is optimal on P
        # (the certified tree gives that), so a round is capped at ROUND_SHARE of the budget
        share = FIRST_ROUND_SHARE if (not hinfo and use_kinks) else ROUND_SHARE
        answers = minmax_portfolio(data.A, data.T, net.model, L,
                                   timeout=max(0.5, min(0.5 * remaining, share * timeout)),
                                   incumbent=best, sub_mips=sub_mips, seeds=highs_seeds)
        # every subset returned is certified (hi is the best certified one); the round goes on
        # with the run whose subset is certified best (a run that proved its subset optimal on
        # P, then HiGHS's own value, break ties; the value stands in where certification ran
        # out of budget); HiGHS's best dual bound is kept for information
        found = [a for a in answers if a[0] is not None]
        for a in found:
            certify_sup(tuple(a[0]))
        if found:
            S, val, dual, status = min(found, key=lambda a: (_certified_or_inf(tested, a[0]),
                                                             "Optimal" not in str(a[3]), a[1]))
            dual = max(a[2] for a in found)
        else:
            S, val, dual, status = answers[0]
            if any(a[3].startswith("killed") for a in answers):
                status = next(a[3] for a in answers if a[3].startswith("killed"))
        if S is None:
            detail.append(f"HiGHS found no subset ({status})")
            if status.startswith("killed") and sub_mips:
                sub_mips = False           # the hang seen was in a sub-MIP heuristic: retry without
                continue
            break
        hinfo = {"value": val / 2**data.K, "dual_bound": dual / 2**data.K, "status": status,
                 "points": len(pts), "runs": len(answers)}
        se = certify_sup(tuple(S))
        say(f"round {rounds}: {len(pts)} points, HiGHS {hinfo['value']:.6g}, hi {float(hi):.6g}")
        if q_eps is not None and hi <= q_eps:
            break
        if val / 2**data.K >= float(hi) * (1 - float(rel_tol) / 4):
            break                          # the point set already explains hi
        if se is None or not se.argmax:
            break
        x = into_ball(se.argmax)
        new = [x] if x not in pts else []
        for y in _more_cuts(net, S, val / 2**data.K, grid):
            if y not in pts and y not in new:
                new.append(y)
        if not new:
            detail.append("no new cutting point")
            break
        pts.extend(new)
    # certified lower bound on the final point set
    lo = Fraction(0)
    lower_complete = n == 0
    tree_info: dict = {}
    tr = None
    if n > 0 and not certify_lower:
        lower_complete = False
        detail.append("lower bound not certified (certify_lower=False)")
    elif n > 0 and early is not None:
        tr, data, L = early
        lo = lower_from_int(data, tr.lower)
        lower_complete = True
        tree_info = dict(_tree_info(tr, L, data.K, branching, workers), goal="eps")
    elif n > 0:
        data = integer_data(net, pts)

        def threshold():
            goal = hi * (1 - rel_tol / 2)
            if q_eps is not None and q_eps < goal:
                goal = q_eps                   # proving OPT > eps needs only this much
            return data.to_units(goal) + data.margin + 1

        L = threshold()
        eA, eT = exact_arrays(data.A, data.T)     # (sums that cannot overflow)
        left = max(0.5, deadline - time.perf_counter())
        side = None
        beside_state: dict = {}
        if (beside and hinfo and "Optimal" not in str(hinfo.get("status")) and left >= BESIDE_MIN_SECONDS
                and (q_eps is None or hi > q_eps)):
            # HiGHS's last round ended without proving its subset optimal on P: it goes on (warm
            # started with the best subset) in a child process beside the tree, which may give
            # a better hi; only its subset is used, certified like every other
            h_left = min(0.5 * left, BESIDE_SHARE * timeout)
            side = HighsRound(data.A, data.T, net.model, data.to_units(hi) + data.margin + 1,
                              timeout=h_left, incumbent=best, sub_mips=sub_mips)
            say(f"HiGHS goes on beside the tree for up to {h_left:.0f} s")
            left = max(0.5, left - max(2.0, 0.02 * timeout))   # time to certify its subset after

        def read_beside(wait: bool):
            # the answer of the HiGHS run beside the tree, read once and its subset certified
            if "status" in beside_state:
                return
            S, val, dual, status = side.result(wait=wait)
            beside_state["status"] = status
            if S is not None:
                beside_state.update(value=val / 2**data.K, dual_bound=dual / 2**data.K)
                beside_state["subset"] = tuple(S)
                certify_sup(tuple(S))

        def beside_news():
            # asked by the tree now and then: once the run beside has ended, its subset (with
            # its exact error on P) joins the tree as an incumbent, which lowers its pruning
            # threshold if the subset is better
            if "status" in beside_state or side.proc.poll() is None:
                return None
            read_beside(wait=True)
            S = beside_state.get("subset")
            if S is None:
                return None
            say("HiGHS beside the tree ended; its subset joins the tree")
            return subset_error(eA, eT, net.model, S), S

        # the tree starts from the best subset met (its error on P, exact), prunes against
        # the best it meets (incumbent_gap: within half the tolerance of it) and tries the LP
        # solution of every node, rounded, as a subset
        start = subset_error(eA, eT, net.model, best), best
        say(f"certifying the lower bound: tree search on {len(pts)} points, {left:.0f} s left")
        tr = search_tree(data.A, data.T, net.model, L, timeout=left, progress=say, branching=branching,
                         workers=workers, news=beside_news if side is not None else None,
                         incumbent=start, incumbent_gap=rel_tol / 2, rounding=True)
        lo = lower_from_int(data, tr.lower)
        if side is not None:
            # a complete tree already settles hi within the tolerance: its answer is not awaited
            read_beside(wait=not tr.complete)
            hinfo["beside_tree"] = {k: v for k, v in beside_state.items() if k != "subset"}
        lower_complete = tr.complete
        tree_info = _tree_info(tr, L, data.K, branching, workers)
        if tr.best is not None and tuple(tr.best[1]) not in tested:
            certify_sup(tuple(tr.best[1]))
        if not tr.complete:
            detail.append("tree search out of time: lo is a partial bound")
    else:
        lo = hi = Fraction(0)
        sup_method = "no units"
        best = ()
        # the only subset is empty: its error is ||w||, certified by sup_error
        se = sup_error(net, tol=Fraction(1, 10**7), timeout=max(0.5, deadline - time.perf_counter()))
        lo, hi, sup_method = se.lo, se.hi, se.method
    if lo > hi:  # pragma: no cover - soundness bug
        raise AssertionError(f"certified lo {lo} exceeds certified hi {hi}")
    res = MilpResult(lo, hi, sorted(best), lower_complete, time.perf_counter() - t0, n, d, net.model,
                     eps=q_eps, points=len(pts), rounds=rounds, sup_method=sup_method, highs=hinfo,
                     tree=tree_info, detail="; ".join(detail))
    if certificate and tr is not None:
        from prunecert.checks.instances.neuron_certificate import make_certificate

        res.cert = make_certificate(net, data, tr, sorted(best), lo, hi)
    return res


def width_point(net: Network, width: int, *, timeout: float = 60.0, seed: int = 0) -> dict:
    """One (network, width) point of a gap sweep: the certified neuron optimum of the width-``width``
    prefix of ``net`` as a JSON-ready dict (lo/hi as exact decimal strings rounded outward, the
    subset, completeness, timing).  Pure function of its arguments, so a resumable sweep can call
    it per point and store the result.  A sweep runs its points side by side, one core each, so
    a point's HiGHS rounds run once (``highs_seeds=1``), not as two runs at once."""
    sub = prefix(net, width)
    r = optimum(sub, timeout=timeout, seed=seed, certificate=False, highs_seeds=1)
    out = r.to_json()
    out["width"] = width
    return out
