"""Deciding a weight-pruning instance: can some weight mask bring the sup error to eps or below?

OPT_w = min over weight masks M of sup_{x in B^d} |g_M(x) - relu(<w,x>)|.
:func:`solve_weight_instance` encloses OPT_w in a certified interval [lo, hi] and answers

* ``achievable`` true  -- a mask is certified to reach eps (hi <= eps; the mask is returned),
* ``achievable`` false -- *proved* that no weight mask reaches eps (lo > eps),
* ``achievable`` null  -- neither was settled within the budget.

Witnesses (hi): the empty mask (error exactly ||w||_2), the block construction of
:mod:`prunecert.bounds.gap.weight_construction` (its certified error, or its analytic bound
||delta||_2), masks found by the point search below, and the best neuron subset of
:mod:`prunecert.checks.instances.neuron_subset` (every neuron subset is a weight mask).
Lower bound (lo): the multiple-choice search of :mod:`prunecert.checks.instances.weight_lower`
on a finite point set (exact, d <= 6), with cutting planes at the maximiser of the best mask's
error; for d > 6 the search-free per-point interval bound.  Each stage stops the run as soon as
the question about eps is settled.

The construction's own result is reported separately (``construction``): whether *that* mask
reaches eps says nothing about other masks.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

from prunecert.bounds.gap.weight_construction import ConstructionResult, construct
from prunecert.checks.errors import BudgetExceeded, InputError
from prunecert.checks.instances.network import Network
from prunecert.checks.instances.superror import SupError, sqrt_bounds, sup_error
from prunecert.checks.rigorous.numbers import fraction_to_decimal, to_fraction

__all__ = ["WeightInstanceResult", "solve_weight_instance"]


def _dec(q: Fraction | None, rounding: str, eps=None):
    from prunecert.checks.instances.neuron_subset import bound_text

    return None if q is None else bound_text(q, rounding, eps)


def _three_valued(lo, hi, eps):
    if eps is None:
        return None
    if hi is not None and hi <= eps:
        return True
    if lo is not None and lo > eps:
        return False
    return None


@dataclass
class WeightInstanceResult:
    eps: Fraction | None
    achievable: bool | None
    lo: Fraction
    hi: Fraction
    weight_mask: list[list[int]]
    witness: str
    lower_method: str
    lower_complete: bool
    points: int
    rounds: int
    n: int
    d: int
    model: str
    construction: ConstructionResult | None = None
    construction_note: str = ""
    seconds: float = 0.0
    detail: list[str] = field(default_factory=list)

    def construction_json(self) -> dict | None:
        c = self.construction
        if c is None:
            return {"applicable": None, "reaches_eps": None, "error": None, "reason": self.construction_note}
        if not c.applicable:
            return {"applicable": False, "reaches_eps": None, "error": None, "analytic_bound": None,
                    "weight_mask": None, "reason": c.reason}
        err = c.error
        hi = err.hi if err is not None else (c.analytic_hi if c.applicable else None)
        lo = err.lo if err is not None else None
        out = {
            "applicable": c.applicable,
            "reaches_eps": _three_valued(lo, hi, self.eps) if c.applicable else None,
            "error": ({"lo": _dec(err.lo, "down", self.eps), "hi": _dec(err.hi, "up", self.eps),
                       "method": err.method}
                      if err is not None else None),
            "analytic_bound": _dec(c.analytic_hi, "up", self.eps),
            "neuron_mask": c.neuron_mask,
            "weight_mask": c.weight_mask,
            "kept_units": sum(c.neuron_mask),
            "kept_weights": sum(map(sum, c.weight_mask)),
            "instances": [i.to_json() for i in c.instances],
            "failed_instances": [i.failed for i in c.failed_instances],
            "reason": c.reason,
        }
        if self.construction_note:
            out["note"] = self.construction_note
        return out

    def to_json(self) -> dict:
        kept_units = [1 if any(r) else 0 for r in self.weight_mask]
        out = {
            "mode": "weight",
            "eps": None if self.eps is None else fraction_to_decimal(self.eps, 20),
            "achievable": self.achievable,
            "best_error": {"lo": _dec(self.lo, "down", self.eps), "hi": _dec(self.hi, "up", self.eps)},
            "witness": {"source": self.witness, "weight_mask": self.weight_mask,
                        "kept_units": sum(kept_units), "kept_weights": sum(map(sum, self.weight_mask))},
            "lower_bound": {"method": self.lower_method, "complete": self.lower_complete,
                            "points": self.points, "rounds": self.rounds},
            "construction": self.construction_json(),
            "n": self.n, "d": self.d, "model": self.model,
            "seconds": round(self.seconds, 4),
        }
        if self.detail:
            out["detail"] = "; ".join(self.detail)
        return out


def _norm_hi(w) -> Fraction:
    return sqrt_bounds(sum(c * c for c in w), Fraction(1, 10**15))[1]


def solve_weight_instance(net: Network, eps=None, *, timeout: float = 60.0, points: int | None = None,
                          seed: int = 0, max_rounds: int = 12,
                          progress: Callable[[str], None] | None = None) -> WeightInstanceResult:
    """Certified [lo, hi] for the best weight-pruning error and the answer for ``eps`` (None: just
    enclose the optimum within the budget).  ``progress(message)`` is called at each stage."""
    from prunecert.checks.instances.neuron_lower import into_ball, sphere_points
    from prunecert.checks.instances.neuron_subset import default_points, solve_instance
    from prunecert.checks.instances.weight_lower import MAX_SEARCH_D, interval_bound, search

    if not isinstance(net, Network):
        raise InputError("expected a prunecert.checks.instances.network.Network")
    if eps is not None:
        eps = to_fraction(eps, "eps")
        if eps <= 0:
            raise InputError(f"eps must be > 0, got {eps}")
    if not (timeout > 0):
        raise InputError("timeout must be > 0")
    say = progress or (lambda msg: None)
    t0 = time.perf_counter()
    deadline = t0 + float(timeout)
    left = lambda: deadline - time.perf_counter()  # noqa: E731
    n, d = net.n, net.d
    detail: list[str] = []
    best = {"hi": _norm_hi(net.w), "mask": [[0] * d for _ in range(n)], "src": "empty mask (error ||w||_2)"}
    lo = Fraction(0)

    def offer(hi: Fraction, mask, src: str):
        if hi < best["hi"]:
            best.update(hi=hi, mask=[list(r) for r in mask], src=src)

    def settled() -> bool:
        return eps is not None and (best["hi"] <= eps or lo > eps)

    # tolerances relative to the problem's scale (||w||_inf, eps), never absolute only
    scale = min([Fraction(1), max((abs(c) for c in net.w), default=Fraction(1)) or Fraction(1)]
                + ([eps] if eps is not None else []))

    def certify(mask, share: float) -> SupError | None:
        try:
            return sup_error(net, weight_mask=mask, tol=Fraction(1, 10**7) * scale, rel_tol=Fraction(1, 2**24),
                             timeout=max(0.2, share), decide_at=eps)
        except BudgetExceeded as exc:
            detail.append(f"sup error of a mask: {exc}")
            return None

    # 1. the block construction (reported under its own name; its mask is also a witness)
    cons, note = None, ""
    say("block construction")
    try:
        cons = construct(net, certify=False)
    except BudgetExceeded as exc:
        note = f"construction not run: {exc}"
    if cons is not None and cons.applicable:
        if cons.analytic_hi is not None:
            offer(cons.analytic_hi, cons.weight_mask, "construction (analytic bound)")
        if not (eps is not None and cons.analytic_hi is not None and cons.analytic_hi <= eps):
            say("certifying the construction's error")
            cons.error = certify(cons.weight_mask, 0.3 * left())
            if cons.error is None:
                note = "the construction's sup error was not certified within its budget"
            else:
                offer(cons.error.hi, cons.weight_mask, "construction")
    # 2. lower bound on every mask from finitely many points (+ masks found there)
    count = default_points(d) if points is None else int(points)
    extra = [[float(c) for c in net.w]] if any(net.w) else []
    pts = sphere_points(d, count, seed=seed, extra=extra)
    rounds, complete, method = 0, False, "none"
    if not settled():
        if d > MAX_SEARCH_D or n == 0:
            lo_pt, _ = interval_bound(net, pts)
            lo = max(lo, lo_pt)
            method, complete = "per-point value intervals (no search)", n == 0
        else:
            method = "exact multiple-choice search on points"
            incumbents = [cons.weight_mask] if cons is not None and cons.applicable else []
            tested = {}
            while not settled() and rounds < max_rounds and left() > 0.2:
                rounds += 1
                say(f"mask search on {len(pts)} points (round {rounds})")
                r = search(net, pts, bound_eps=eps, incumbents=incumbents, timeout=min(left(), 0.5 * left() + 1))
                lo = max(lo, r.lower_bound)
                complete = r.complete
                if settled() or r.weight_mask is None:
                    break
                key = tuple(map(tuple, r.weight_mask))
                se = tested.get(key)
                if se is None:
                    say("certifying the best mask on the points")
                    se = certify(r.weight_mask, 0.5 * left())
                    if se is None:
                        break
                    tested[key] = se
                    offer(se.hi, r.weight_mask, "mask search on points")
                incumbents = [r.weight_mask]
                if settled() or not r.complete:
                    break
                if eps is None and se.hi - lo <= Fraction(1, 10**4) * se.hi:
                    break
                x = into_ball(se.argmax) if se.argmax else None
                if x is None or x in pts:
                    break
                pts.append(x)
            if not settled() and not complete:
                detail.append("point search incomplete: lo is a partial bound")
    # 3. the best neuron subset is a weight mask too
    if not settled() and n and left() > 0.5:
        say("neuron-subset search (every neuron subset is a weight mask)")
        try:
            nr = solve_instance(net, eps, timeout=max(0.5, left() - 0.3)) if eps is not None else None
        except BudgetExceeded as exc:  # pragma: no cover - the solver catches its own
            nr, _ = None, detail.append(str(exc))
        if nr is not None:
            keep = set(nr.subset)
            offer(nr.hi, [[1] * d if i in keep else [0] * d for i in range(n)], "neuron subset")
    if lo > best["hi"]:  # pragma: no cover - would be a soundness bug
        raise AssertionError(f"certified lower bound {lo} exceeds certified upper bound {best['hi']}")
    if eps is not None and not settled() and left() <= 0.5:
        detail.append("time budget exhausted")
    return WeightInstanceResult(eps, _three_valued(lo, best["hi"], eps), lo, best["hi"], best["mask"], best["src"],
                                method, complete, len(pts), rounds, n, d, net.model, cons, note,
                                time.perf_counter() - t0, detail)
