"""The Pensia-style weight-pruning construction (MATH.md section 1.2), on a given network.

Given a random network (u, v) of width n and a target w, produce masks:

1. the hidden units are split into d contiguous blocks (block j = units j*n//d .. (j+1)*n//d - 1);
   every kept unit of block j keeps only its input weight u_ij;
2. P_j = {i in block j : u_ij > 0}, N_j = {i in block j : u_ij < 0}; for x_j >= 0 only units of P_j
   are active and sum_{i in S+} v_i relu(u_ij x_j) = (sum_{S+} v_i u_ij) x_j; units of N_j handle x_j <= 0;
3. S+ in P_j and S- in N_j are exact best subset sums of the products v_i u_ij towards the targets
   (Model B: w_j on both sides, so the inner sum h(x) = sum_j (a_j relu(x_j) - b_j relu(-x_j)) is
   close to <w, x>; Model A: max(w_j, 0) and min(w_j, 0), see below);
4. per coordinate delta_j = max(|a_j - t_j^+|, |b_j - t_j^-|) and, in Model B,
   sup_{B^d} |relu(h) - relu(<w,x>)| <= sup |h - <w,x>| <= sum_j delta_j |x_j| <= ||delta||_2
   (relu is 1-Lipschitz; Cauchy-Schwarz) -- the *analytic bound*, a rigorous upper bound;
5. the certified sup error of the pruned network comes from :func:`checks.superror.sup_error`.

Model A (linear output) has no output ReLU: the pruned network is piecewise linear with kinks only
on the coordinate hyperplanes x_j = 0 (every kept unit keeps one input), while relu(<w, x>) has its
kink on w-perp.  If w has two or more nonzero coordinates, w-perp is not a coordinate hyperplane, and
the error of *every* weight-pruned Model-A network is bounded below (it cannot reproduce the kink);
the construction then does not apply and says so.  If w has exactly one nonzero coordinate j,
relu(w_j x_j) = max(w_j, 0) relu(x_j) + min(w_j, 0) (-relu(-x_j)) and the construction applies with
targets max(w_j, 0) on P_j and min(w_j, 0) on N_j (and 0 elsewhere).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

from checks.errors import InputError
from checks.network import Network
from checks.numbers import fraction_to_decimal, to_fraction
from checks.subset_sum import best_subset_sum
from checks.superror import SupError, sqrt_bounds, sup_error

__all__ = ["ConstructionResult", "construct", "blocks", "analytic_bound"]


def blocks(n: int, d: int) -> list[range]:
    """Contiguous blocks of the hidden units, one per input coordinate."""
    return [range(j * n // d, (j + 1) * n // d) for j in range(d)]


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

    def achievable(self, eps) -> bool | None:
        """True if the certified error hi <= eps, False if lo > eps, None if undecided."""
        eps = to_fraction(eps, "eps")
        if self.error is None:
            return None if self.applicable else False
        if self.error.hi <= eps:
            return True
        if self.error.lo > eps:
            return False
        return None


def analytic_bound(delta: list[Fraction]) -> Fraction:
    """Rational upper bound of ||delta||_2 (within 1e-12)."""
    return sqrt_bounds(sum(x * x for x in delta), Fraction(1, 10**12))[1]


def _select(net: Network, j: int, block: range, side: str, target: Fraction) -> Instance:
    units = tuple(i for i in block if (net.u[i][j] > 0 if side == "+" else net.u[i][j] < 0))
    items = [net.v[i] * net.u[i][j] for i in units]
    failed = None
    if not units and target != 0:
        failed = (f"coordinate {j}, side {side}: block {j} (units {block.start}..{block.stop - 1}) has no unit "
                  f"with u_i{j} {'>' if side == '+' else '<'} 0; the sample is too small")
    if len(items) > 40:
        # keep the 40 candidates of largest |item| (any subset of them is still a valid choice)
        order = sorted(range(len(items)), key=lambda k: -abs(items[k]))[:40]
        order.sort()
        units = tuple(units[k] for k in order)
        items = [items[k] for k in order]
    r = best_subset_sum(items, target)
    chosen = tuple(units[k] for k in r.subset)
    return Instance(j, side, units, target, chosen, r.total, r.error, failed)


def construct(net: Network, *, certify: bool = True, tol=Fraction(1, 10**6), timeout: float = 30.0,
              eps=None, decide: bool = False) -> ConstructionResult:
    """Run the construction on ``net``; certify the pruned network's sup error if asked.

    ``eps`` (optional) sets the certification tolerance to min(tol, eps / 1000); with ``decide=True``
    the certification (d >= 3) only decides ``error <= eps`` versus ``error > eps`` (faster, wider
    enclosure; see :func:`checks.superror.sup_error`)."""
    t0 = time.perf_counter()
    n, d = net.n, net.d
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
    for j, block in enumerate(blocks(n, d)):
        if net.model == "B":
            tp, tm = net.w[j], net.w[j]
        else:
            tp, tm = max(net.w[j], Fraction(0)), min(net.w[j], Fraction(0))
        ip = _select(net, j, block, "+", tp)
        im = _select(net, j, block, "-", tm)
        instances += [ip, im]
        delta.append(max(ip.error, im.error))
        for i in ip.chosen + im.chosen:
            neuron_mask[i] = 1
            weight_mask[i][j] = 1
    res = ConstructionResult(net.model, True, "block construction (MATH.md 1.2)", neuron_mask, weight_mask,
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
