"""The Pensia-style weight-pruning construction (after Pensia et al. 2020; docs/weight-pruning.md#construction), on a given network.

Given a random network (u, v) of width n and a target w, produce masks:

1. the hidden units are split into d blocks, by default contiguous (block j = units j*n//d ..
   (j+1)*n//d - 1), or interleaved (``block_rule="interleaved"``: unit i goes to block i mod d, a rule
   independent of n, so the blocks of the first n units are prefixes of the blocks of any wider
   network -- the nested design of scripts/weight_table.py); every kept unit of block j keeps only
   its input weight u_ij;
2. P_j = {i in block j : u_ij > 0}, N_j = {i in block j : u_ij < 0}; for x_j >= 0 only units of P_j
   are active and sum_{i in S+} v_i relu(u_ij x_j) = (sum_{S+} v_i u_ij) x_j; units of N_j handle x_j <= 0;
3. S+ in P_j and S- in N_j are exact best subset sums of the products v_i u_ij towards the targets
   (Model B: w_j on both sides, so the inner sum h(x) = sum_j (a_j relu(x_j) - b_j relu(-x_j)) is
   close to <w, x>; Model A: max(w_j, 0) and min(w_j, 0), see below);
4. per coordinate delta_j = max(|a_j - t_j^+|, |b_j - t_j^-|) and, in Model B,
   sup_{B^d} |relu(h) - relu(<w,x>)| <= sup |h - <w,x>| <= sum_j delta_j |x_j| <= ||delta||_2
   (relu is 1-Lipschitz; Cauchy-Schwarz) -- the *analytic bound*, a rigorous upper bound;
5. the certified sup error of the pruned network comes from :func:`prunecert.checks.instances.superror.sup_error`.

Subset-sum instances with more than ``max_candidates`` (40) candidates keep 40 of them: by default the
40 of largest |v_i u_ij| (``keep="largest"``), or the first 40 in unit order (``keep="first"``, which
keeps candidate sets nested when units are added, so the optimum error never increases with n).

:func:`estimate_error` is a fast float estimate of the sup error of a construction (search only, never
proof): the inner sum is linear on every orthant, and the sup of a piecewise-linear homogeneous function
over the sphere is attained at a finite list of candidate directions.

Model A (linear output) has no output ReLU: the pruned network is piecewise linear with kinks only
on the coordinate hyperplanes x_j = 0 (every kept unit keeps one input), while relu(<w, x>) has its
kink on w-perp.  If w has two or more nonzero coordinates, w-perp is not a coordinate hyperplane, and
the error of *every* weight-pruned Model-A network is bounded below (it cannot reproduce the kink);
the construction then does not apply and says so.  If w has exactly one nonzero coordinate j,
relu(w_j x_j) = max(w_j, 0) relu(x_j) + min(w_j, 0) (-relu(-x_j)) and the construction applies with
targets max(w_j, 0) on P_j and min(w_j, 0) on N_j (and 0 elsewhere).
"""
from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

from prunecert.checks.errors import InputError
from prunecert.checks.instances.network import Network
import numpy as np

from prunecert.checks.rigorous.numbers import fraction_to_decimal, to_fraction
from prunecert.checks.instances.subset_sum import best_subset_sum
from prunecert.checks.instances.superror import SupError, sqrt_bounds, sup_error

__all__ = ["ConstructionResult", "construct", "blocks", "analytic_bound", "estimate_error", "BLOCK_RULES"]

BLOCK_RULES = ("contiguous", "interleaved")
KEEP_RULES = ("largest", "first")


def blocks(n: int, d: int, rule: str = "contiguous") -> list[range]:
    """The blocks of the hidden units, one per input coordinate.

    "contiguous": block j = units j*n//d .. (j+1)*n//d - 1 (depends on n);
    "interleaved": block j = units j, j + d, j + 2d, ... (unit i in block i mod d, independent of n,
    so blocks(n, d)[j] is a prefix of blocks(n', d)[j] for n <= n')."""
    if rule == "contiguous":
        return [range(j * n // d, (j + 1) * n // d) for j in range(d)]
    if rule == "interleaved":
        return [range(j, n, d) for j in range(d)]
    raise InputError(f"block rule must be one of {', '.join(BLOCK_RULES)}, got {rule!r}")


@dataclass
class Instance:
    coordinate: int
    side: str                 # "+" (units with u_ij > 0, x_j >= 0) or "-" (u_ij < 0, x_j <= 0)
    units: tuple[int, ...]    # candidate units (global indices)
    target: Fraction
    chosen: tuple[int, ...]   # chosen units (global indices)
    total: Fraction
    error: Fraction
    failed: str | None = None

    def to_json(self) -> dict:
        out = {"coordinate": self.coordinate, "side": self.side, "candidates": len(self.units),
               "target": str(self.target), "chosen": list(self.chosen), "sum": str(self.total),
               "error": fraction_to_decimal(self.error, 6, "up")}
        if self.failed:
            out["failed"] = self.failed
        return out


@dataclass
class ConstructionResult:
    model: str
    applicable: bool
    reason: str
    neuron_mask: list[int]
    weight_mask: list[list[int]]
    instances: list[Instance] = field(default_factory=list)
    delta: list[Fraction] = field(default_factory=list)
    analytic_hi: Fraction | None = None      # rigorous upper bound ||delta||_2 (Model B) / sum (Model A)
    error: SupError | None = None           # certified sup error of the pruned network
    seconds: float = 0.0

    @property
    def failed_instances(self) -> list[Instance]:
        return [i for i in self.instances if i.failed]

    def reaches_eps(self, eps) -> bool | None:
        """Does *this construction's mask* reach eps?  True if its certified error hi <= eps,
        False if its certified lo > eps, None if undecided or if the construction does not apply
        (no mask was built).  It says nothing about other weight masks: for that question see
        :func:`prunecert.bounds.gap.weight_instance.solve_weight_instance`."""
        eps = to_fraction(eps, "eps")
        if not self.applicable or self.error is None:
            return None
        if self.error.hi <= eps:
            return True
        if self.error.lo > eps:
            return False
        return None

    def achievable(self, eps) -> bool | None:
        """Deprecated name of :meth:`reaches_eps` (kept for existing callers; the answer is about
        this construction only, not about every weight mask)."""
        return self.reaches_eps(eps)


def analytic_bound(delta: list[Fraction]) -> Fraction:
    """Rational upper bound of ||delta||_2 (within 1e-12)."""
    return sqrt_bounds(sum(x * x for x in delta), Fraction(1, 10**12))[1]


def _select(net: Network, j: int, block: range, side: str, target: Fraction, max_candidates: int = 40,
            keep: str = "largest", cache: dict | None = None) -> Instance:
    units = tuple(i for i in block if (net.u[i][j] > 0 if side == "+" else net.u[i][j] < 0))
    items = [net.v[i] * net.u[i][j] for i in units]
    failed = None
    if not units and target != 0:
        failed = (f"coordinate {j}, side {side}: block {j} (units {block.start}..{block.stop - 1}) has no unit "
                  f"with u_i{j} {'>' if side == '+' else '<'} 0; the sample is too small")
    if len(items) > max_candidates:
        if keep == "first":
            # the first max_candidates candidates in unit order: nested when units are appended
            order = list(range(max_candidates))
        else:
            # the candidates of largest |item| (any subset of them is still a valid choice)
            order = sorted(range(len(items)), key=lambda k: -abs(items[k]))[:max_candidates]
            order.sort()
        units = tuple(units[k] for k in order)
        items = [items[k] for k in order]
    if cache is None:
        r = best_subset_sum(items, target)
    else:
        key = (tuple(items), target)
        if key not in cache:
            cache[key] = best_subset_sum(items, target)
        r = cache[key]
    chosen = tuple(units[k] for k in r.subset)
    return Instance(j, side, units, target, chosen, r.total, r.error, failed)


def construct(net: Network, *, certify: bool = True, tol=Fraction(1, 10**6), timeout: float = 30.0,
              eps=None, decide: bool = False, block_rule: str = "contiguous", max_candidates: int = 40,
              keep: str = "largest", subset_cache: dict | None = None) -> ConstructionResult:
    """Run the construction on ``net``; certify the pruned network's sup error if asked.

    ``eps`` (optional) sets the certification tolerance to min(tol, eps / 1000); with ``decide=True``
    the certification (d >= 3) only decides ``error <= eps`` versus ``error > eps`` (faster, wider
    enclosure; see :func:`prunecert.checks.instances.superror.sup_error`).  ``block_rule`` ("contiguous" or "interleaved",
    see :func:`blocks`), ``max_candidates`` and ``keep`` ("largest" or "first") choose the variant;
    ``subset_cache`` (a dict, optional) memoises the exact subset sums across calls."""
    t0 = time.perf_counter()
    n, d = net.n, net.d
    if block_rule not in BLOCK_RULES:
        raise InputError(f"block rule must be one of {', '.join(BLOCK_RULES)}, got {block_rule!r}")
    if keep not in KEEP_RULES:
        raise InputError(f"keep must be one of {', '.join(KEEP_RULES)}, got {keep!r}")
    if isinstance(max_candidates, bool) or not isinstance(max_candidates, int) or not 1 <= max_candidates <= 44:
        raise InputError(f"max_candidates must be an integer in [1, 44], got {max_candidates!r}")
    if eps is not None:
        eps = to_fraction(eps, "eps")
        if eps <= 0:
            raise InputError("eps must be > 0")
        tol = min(to_fraction(tol), eps / 1000)
    nz = [j for j in range(d) if net.w[j] != 0]
    if net.model == "A" and len(nz) >= 2:
        reason = ("Model A (linear output): every weight-pruned unit keeps inputs of a coordinate subspace, so "
                  "its kink is a coordinate-aligned hyperplane only when it keeps one input; a generic unit "
                  "keeping several inputs is parallel to w with probability 0. relu(<w,x>) has its kink on "
                  f"w-perp, which is not a coordinate hyperplane ({len(nz)} nonzero coordinates of w): the "
                  "block construction does not apply (use Model B, or a target with one nonzero coordinate).")
        return ConstructionResult(net.model, False, reason, [0] * n, [[0] * d for _ in range(n)],
                                  seconds=time.perf_counter() - t0)
    neuron_mask = [0] * n
    weight_mask = [[0] * d for _ in range(n)]
    instances: list[Instance] = []
    delta: list[Fraction] = []
    for j, block in enumerate(blocks(n, d, block_rule)):
        if net.model == "B":
            tp, tm = net.w[j], net.w[j]
        else:
            tp, tm = max(net.w[j], Fraction(0)), min(net.w[j], Fraction(0))
        ip = _select(net, j, block, "+", tp, max_candidates, keep, subset_cache)
        im = _select(net, j, block, "-", tm, max_candidates, keep, subset_cache)
        instances += [ip, im]
        delta.append(max(ip.error, im.error))
        for i in ip.chosen + im.chosen:
            neuron_mask[i] = 1
            weight_mask[i][j] = 1
    res = ConstructionResult(net.model, True, "block construction (after Pensia et al. 2020)", neuron_mask, weight_mask,
                             instances, delta)
    # Model B: sup|relu(h) - relu(<w,x>)| <= ||delta||_2.  Model A (one nonzero coordinate j):
    # g - f = (a_j - t+) relu(x_j) - (b_j - t-) relu(-x_j) + sum_{k != j} (...) -> also <= ||delta||_2.
    res.analytic_hi = analytic_bound(delta)
    if failed := [i.failed for i in instances if i.failed]:
        res.reason = "; ".join(failed)
    if certify:
        res.error = sup_error(net, neuron_mask=neuron_mask, weight_mask=weight_mask, tol=tol, timeout=timeout,
                              decide_at=eps if decide else None)
        if res.error.lo > res.analytic_hi:  # pragma: no cover - would be a soundness bug somewhere
            raise AssertionError("certified sup error exceeds the analytic bound ||delta||_2")
    res.seconds = time.perf_counter() - t0
    return res


def estimate_error(res: ConstructionResult, w) -> float:
    """Float estimate of sup_{||x|| <= 1} |relu(h(x)) - relu(<w, x>)| for a Model-B construction
    (search only, never proof: certify with :func:`prunecert.checks.instances.superror.sup_error`).

    h(x) = <c(x), x> with c_j = a_j (sum of the "+" instance) where x_j > 0 and b_j (the "-" instance)
    where x_j < 0, so on every orthant the error is piecewise linear with pieces cut by the coordinate
    planes, c^perp and w^perp.  On a piece with linear form g the sup over the sphere is attained at
    +-g projected onto the orthogonal complement of some set of <= d - 1 of these normals (normalised).
    Evaluating the true error at all such directions (for g in {c - w, c, w}) gives the sup up to
    rounding; every evaluated point lies on the sphere, so the value never exceeds the sup."""
    if res.model != "B" or not res.applicable:
        raise InputError("estimate_error needs an applicable Model-B construction")
    wf = np.array([float(x) for x in w], dtype=float)
    d = wf.size
    a = np.zeros(d)
    b = np.zeros(d)
    for inst in res.instances:
        (a if inst.side == "+" else b)[inst.coordinate] = float(inst.total)
    eye = np.eye(d)
    pts = [eye, -eye]
    for signs in itertools.product((1.0, -1.0), repeat=d):
        c = np.where(np.array(signs) > 0, a, b)
        normals = np.vstack([eye, c, wf])
        gs = np.vstack([c - wf, c, wf])
        for k in range(0, d):
            for sub in itertools.combinations(range(len(normals)), k):
                A = normals[list(sub)]
                if k == 0:
                    proj = gs
                elif k == 1:
                    nn = float(A[0] @ A[0])
                    if nn == 0.0:
                        continue
                    proj = gs - np.outer(gs @ A[0], A[0]) / nn
                elif d == 3:                             # k = 2: the line through a x b
                    proj = np.cross(A[0], A[1])[None, :]
                else:
                    P = np.eye(d) - np.linalg.pinv(A) @ A
                    proj = gs @ P.T
                    if k == d - 1:                       # a line: its direction, whatever g is
                        proj = np.vstack([proj, P])
                nrm = np.linalg.norm(proj, axis=1)
                ok = nrm > 1e-300
                if ok.any():
                    q = proj[ok] / nrm[ok, None]
                    pts += [q, -q]
    X = np.vstack(pts)
    X /= np.linalg.norm(X, axis=1)[:, None]
    C = np.where(X > 0, a[None, :], b[None, :])
    h = (C * X).sum(axis=1)
    return float(np.abs(np.maximum(h, 0.0) - np.maximum(X @ wf, 0.0)).max())
