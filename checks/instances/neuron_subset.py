"""Exact instance solver for neuron pruning.

For a network (Model B: g_S(x) = relu(sum_{i in S} v_i relu(<u_i, x>)); Model A: without the
output ReLU) and the target f(x) = relu(<w, x>), the optimal neuron-pruning error is

    OPT = min_{S subset [n]} sup_{x in B^d} |g_S(x) - f(x)|.

:func:`best_error` encloses OPT in a certified interval [lo, hi] and names the subset achieving
hi; :func:`solve_instance` decides "some S has sup error <= eps" (true iff hi <= eps, false iff
lo > eps, null otherwise).

* lo (finite points): for a finite set P of exact rational points of the unit sphere,
  min_S max_{x in P} |g_S - f| <= OPT.  The left side is computed exactly by the integer
  meet-in-the-middle branch and bound of :mod:`prunecert.checks.instances.neuron_enum` on the data of
  :mod:`prunecert.checks.instances.neuron_lower` (floor-rounded to 2^-K with the proven slack (n+1) 2^-K
  subtracted: no floating point in the certificate).  If the search runs out of budget,
  lo is the best *proved* bound (partial search / bisection on decision thresholds) and the
  result says ``lower_complete: false``.
* hi: the certified sup error (:func:`prunecert.checks.instances.superror.sup_error`; exact in d <= 2) of the
  best subset on P; the empty subset (error ||w|| <= 1) is the fallback.
* cutting planes: the maximiser of the sup error of that subset is added to P and the search
  repeated (warm-started) until hi - lo <= tol or the budget ends.

An alternative exact route for the finite-point decision is :func:`decide_on_points_smt`
(0-1 linear feasibility via :func:`prunecert.checks.decide.smt.feasible_01`; the output-ReLU cases are split:
where f(x) = t > eps the constraint |relu(h) - t| <= eps is t - eps <= h <= t + eps, where
t <= eps it is h <= t + eps).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

from prunecert.checks.instances import neuron_enum
from prunecert.checks.errors import BudgetExceeded, InputError
from prunecert.checks.instances.network import Network
from prunecert.checks.instances.neuron_lower import integer_data, lower_from_int, sphere_points, into_ball
from prunecert.checks.rigorous.numbers import fraction_to_decimal, to_fraction

__all__ = ["NeuronResult", "solve_instance", "best_error", "decide_on_points_smt", "search_lower",
           "default_points"]


@dataclass
class NeuronResult:
    eps: Fraction | None
    achievable: bool | None
    lo: Fraction
    hi: Fraction
    subset: list[int]
    method: str
    seconds: float
    n: int = 0
    d: int = 0
    model: str = "B"
    points: int = 0
    rounds: int = 0
    lower_complete: bool = True
    sup_method: str = ""
    detail: str = ""
    info: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {
            "mode": "neuron",
            "eps": None if self.eps is None else fraction_to_decimal(self.eps, 20),
            "achievable": self.achievable,
            "best_error": {"lo": bound_text(self.lo, "down", self.eps),
                           "hi": bound_text(self.hi, "up", self.eps)},
            "subset": list(self.subset),
            "method": self.method,
            "seconds": round(self.seconds, 4),
            "n": self.n, "d": self.d, "model": self.model,
            "points": self.points, "rounds": self.rounds,
            "lower_complete": self.lower_complete,
            "sup_method": self.sup_method,
        }
        if self.detail:
            out["detail"] = self.detail
        if self.info:
            out["info"] = self.info
        return out


def bound_text(q: Fraction, rounding: str, eps: Fraction | None = None) -> str:
    """Decimal text of an enclosure end, rounded outward ("down" for lo, "up" for hi), with 12
    significant digits or as many more as needed (up to 60) for the printed value to keep the
    side of eps that the exact value has (so a printed lo > eps when lo > eps, hi <= eps when
    hi <= eps): the printed numbers show why the answer is what it is."""
    for digits in (12, 20, 30, 45, 60):
        text = fraction_to_decimal(q, digits, rounding)
        if eps is None:
            return text
        shown = to_fraction(text)
        if (rounding == "down" and (q <= eps or shown > eps)) or (rounding == "up" and (q > eps or shown <= eps)):
            return text
    return text


def default_points(d: int) -> int:
    return {1: 2, 2: 48, 3: 96}.get(d, 128)


def _check_net(net) -> None:
    if not isinstance(net, Network):
        raise InputError("expected a prunecert.checks.instances.network.Network")


def _check_eps(eps) -> Fraction:
    if isinstance(eps, float) and eps != eps:
        raise InputError("eps is NaN")
    q = to_fraction(eps, "eps")
    if q <= 0:
        raise InputError(f"eps must be > 0, got {q}")
    return q


def search_lower(A, T, model, *, incumbent=None, bound=None, timeout: float = 30.0,
                 seed: int = 0, coupled: bool = True) -> neuron_enum.MinMaxResult:
    """Exact min-max search; if the full search does not finish, bisect on decision thresholds
    (each a complete branch and bound with a fixed bound) to raise the *proved* lower bound.
    The result's ``lower`` is always certified; ``complete`` says lower == value.
    ``coupled=False`` turns off the coupled multi-point node bound (for benchmarks)."""
    t0 = time.perf_counter()
    r = neuron_enum.minmax(A, T, model, incumbent=incumbent, bound=bound, timeout=0.5 * timeout, seed=seed,
                            pair_bound=coupled)
    if r.complete:
        return r
    lo_int = r.lower
    up = r.value if r.value is not None else bound
    best = (r.value, r.subset)
    fail = up
    tries = []
    while True:
        remaining = timeout - (time.perf_counter() - t0)
        if remaining <= 0.2 or fail is None or fail - lo_int <= 1:
            break
        # geometric steps from below: small thresholds are proved fast, so climb towards ``fail``
        base = max(lo_int, (up or fail) // 64, 1)
        b = max(lo_int + 1, int(math.isqrt(base * fail)) if fail > base else lo_int + 1)
        q = neuron_enum.minmax(A, T, model, bound=b, timeout=min(remaining, max(1.0, remaining / 3)),
                               seed=seed, pair_bound=coupled)
        tries.append({"bound": b, "complete": q.complete, "found": q.value is not None})
        if q.value is not None:                      # a better subset: new incumbent
            if best[0] is None or q.value < best[0]:
                best = (q.value, q.subset)
            up = min(up, q.value) if up is not None else q.value
            fail = up
            if q.complete:
                lo_int = max(lo_int, q.lower)
                break
        elif q.complete:
            lo_int = max(lo_int, q.lower)            # no subset below b: every subset >= b
        else:
            fail = b
    complete = best[0] is not None and lo_int >= best[0]
    return neuron_enum.MinMaxResult(best[0], best[1], int(min(lo_int, best[0]) if best[0] is not None else lo_int),
                                    complete, nodes=r.nodes, seconds=time.perf_counter() - t0,
                                    method="mitm-bnb+bisection", stats={**r.stats, "bisection": tries})


def _mask(n: int, subset) -> list[int]:
    s = set(subset)
    return [1 if i in s else 0 for i in range(n)]


def _solve(net: Network, eps: Fraction | None, timeout: float, points: int | None,
           tol, rel_tol, max_rounds: int, seed: int, coupled: bool = True) -> NeuronResult:
    from prunecert.checks.instances.superror import sup_error

    t0 = time.perf_counter()
    deadline = t0 + float(timeout)
    if not (timeout > 0):
        raise InputError("timeout must be > 0")
    tol = to_fraction(tol, "tol")
    n, d = net.n, net.d
    count = default_points(d) if points is None else int(points)
    if count < 1:
        raise InputError("points must be >= 1")
    extra = [[float(c) for c in net.w]] if any(net.w) else []
    pts = sphere_points(d, count, seed=seed, extra=extra)
    from prunecert.checks.instances.superror import sqrt_bounds

    # the empty subset: sup |0 - f| = ||w||_2 (<= 1)
    lo, hi = Fraction(0), sqrt_bounds(sum(c * c for c in net.w), Fraction(1, 10**15))[1]
    best: tuple[int, ...] = ()
    sup_method = "empty subset: ||w||_2"
    tested: dict[tuple[int, ...], object] = {}
    inc = None
    rounds = 0
    lower_complete = True
    detail = []
    while not (eps is not None and hi <= eps):   # deciding: the empty subset may settle it already
        rounds += 1
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            detail.append("time budget exhausted")
            break
        data = integer_data(net, pts, resolve=eps)
        bound = None if eps is None else data.to_units(eps) + data.margin + 1
        r = search_lower(data.A, data.T, net.model, incumbent=inc, bound=bound,
                         timeout=max(0.5, 0.6 * remaining), seed=seed, coupled=coupled)
        lo = max(lo, lower_from_int(data, r.lower))
        lower_complete = r.complete or (bound is not None and r.value is None and r.lower >= bound)
        if eps is not None and lo > eps:
            break
        if r.subset is None:
            break
        S = tuple(r.subset)
        se = tested.get(S)
        if se is None:
            left = max(0.5, deadline - time.perf_counter())
            try:
                # tolerances relative to the problem's scale (||w||, eps), never absolute only
                wmax = max(abs(c) for c in net.w)
                scale = min([Fraction(1)] + ([wmax] if wmax else []) + ([eps] if eps is not None else []))
                sup_tol = Fraction(1, 10**7) * scale if d <= 2 else \
                    max(min(tol, Fraction(1, 10**5)) * scale, hi * rel_tol / 4)
                se = sup_error(net, neuron_mask=_mask(n, S), tol=sup_tol,
                               timeout=min(left, 30.0), decide_at=eps if d >= 3 else None,
                               rel_tol=Fraction(1, 2**24))
            except BudgetExceeded:
                detail.append(f"sup_error of subset {list(S)} ran out of budget")
                break
            tested[S] = se
            if se.hi < hi:
                hi, best, sup_method = se.hi, S, se.method
        if eps is not None and hi <= eps:
            break
        if hi - lo <= max(tol, rel_tol * hi):
            break
        if not r.complete:
            detail.append("search incomplete on the point set: lo is a partial bound")
            break
        if rounds >= max_rounds:
            detail.append("round limit reached")
            break
        x = into_ball(se.argmax) if se.argmax else None
        if x is None or x in pts:
            detail.append("no new cutting point")
            break
        pts.append(x)
        inc = (None, S)
    if eps is None:
        ach = None
    elif hi <= eps:
        ach = True
    elif lo > eps:
        ach = False
    else:
        ach = None
    if lo > hi:  # pragma: no cover - would be a soundness bug
        raise AssertionError(f"certified lo {lo} exceeds certified hi {hi}")
    return NeuronResult(eps, ach, lo, hi, sorted(best), "exact-points-mitm-bnb+cutting-planes",
                        time.perf_counter() - t0, n=n, d=d, model=net.model, points=len(pts),
                        rounds=rounds, lower_complete=lower_complete, sup_method=sup_method,
                        detail="; ".join(detail))


def best_error(net: Network, *, timeout: float = 60.0, points: int | None = None,
               tol=Fraction(1, 10**6), rel_tol=Fraction(1, 10**4), max_rounds: int = 40,
               seed: int = 0, coupled: bool = True) -> NeuronResult:
    """Certified enclosure [lo, hi] of min_S sup_x |g_S(x) - relu(<w,x>)| and a subset achieving hi.
    ``coupled=False`` uses the per-point interval node bound only (the former solver, for benchmarks)."""
    _check_net(net)
    return _solve(net, None, timeout, points, tol, to_fraction(rel_tol), max_rounds, seed, coupled)


def solve_instance(net: Network, eps, *, timeout: float = 60.0, points: int | None = None,
                   tol=Fraction(1, 10**6), rel_tol=Fraction(1, 10**4), max_rounds: int = 40,
                   seed: int = 0) -> NeuronResult:
    """Decide whether some neuron subset reaches sup error <= eps (true / false / None = undecided)."""
    _check_net(net)
    q = _check_eps(eps)
    return _solve(net, q, timeout, points, tol, to_fraction(rel_tol), max_rounds, seed)


def decide_on_points_smt(net: Network, eps, points, *, timeout: float = 30.0) -> dict:
    """Exact decision of 'some S has max_{x in points} |g_S(x) - f(x)| <= eps' as 0-1 linear
    feasibility (prunecert.checks.decide.smt.feasible_01, exact rationals, answers double-confirmed).

    Returns {"status": "feasible"|"infeasible"|"unknown", "subset": [...] | None}.  "infeasible"
    proves OPT > eps (the points are in the ball), so achievable is false."""
    from prunecert.checks.decide.smt import feasible_01

    _check_net(net)
    q = _check_eps(eps)
    rows = []
    for x in points:
        x = into_ball(x)
        coeffs = []
        for row, vi in zip(net.u, net.v):
            s = sum(a * b for a, b in zip(row, x))
            coeffs.append(vi * s if s > 0 else Fraction(0))
        t = max(Fraction(0), sum(a * b for a, b in zip(net.w, x)))
        rows.append((coeffs, "<=", t + q))
        if net.model == "A" or t > q:
            rows.append((coeffs, ">=", t - q))
    res = feasible_01(rows, net.n, timeout=timeout)
    subset = None
    if res.status == "feasible" and res.assignment is not None:
        subset = [i for i, b in enumerate(res.assignment) if b]
    return {"status": res.status, "subset": subset}
