"""What a single instance (or a sample of instances) can refute about the neuron lower bound.

Theorems A and B are probability bounds: one network cannot refute them.  What can be refuted:

1. **Window inequality** (deterministic consequence of the kernel step, Theorem B's kernel step, docs/neuron-lower-bound.md#theorem-b).
   In the plane P = span(e, z) (e = w/||w||, z a unit vector orthogonal to e; for d = 2 the whole
   plane), write h_S(theta) = sum_{i in S} v_i relu(<u_i, cos(theta) e + sin(theta) z>).  If
   E(S) <= eps then on the cap {theta : ||w|| cos(theta) >= eps} we have |h_S - ||w|| cos| <= eps,
   so for every window [m - delta, m + delta] inside the cap (0 < delta < pi/2)

       |D_delta h_S(m)| = |h(m - delta) + h(m + delta) - 2 cos(delta) h(m)| <= 2 (1 + cos delta) eps.

   Tested on the solver's optimal subset with eps = its certified sup error hi, in arb ball
   arithmetic: a violation is reported only if |D| > bound holds *certainly*.
2. **Isolated-kink amplitude bound** (reconstructed for this project; docs/gap-experiment.md): a kept unit whose kink
   kappa_i in the cap is isolated between kink-free arcs (inside the cap, free of other *kept*
   kinks) of lengths L-, L+ < pi has |c_i| <= eps (1/sin(L-/2) + 1/sin(L+/2)), c_i = v_i ||P u_i||.
   Also tested in arb on optimal subsets.
3. **Probability bounds** (Theorem A for Model A, Theorem B for Model B): the success frequency of
   exact neuron pruning over seeded networks, with a one-sided Clopper-Pearson lower bound
   (certified successes only) — if it exceeded the theorem's bound the theorem would be refuted at
   that confidence; the upper bound (successes + undecided) is reported as the evidence.
"""
from __future__ import annotations

from fractions import Fraction

from prunecert.checks.rigorous import arith
from prunecert.checks.rigorous.arith import arb
from prunecert.checks.levels import Tri
from prunecert.checks.instances.network import Network

__all__ = ["slice_planes", "window_check", "window_violation", "isolated_kink_check", "isolated_kink_violation",
           "PRECISIONS", "PROPERTIES", "check_search",
           "check_search_slow", "check_theorem_A_frequency", "check_theorem_B_frequency",
           "check_theorem_A_frequency_slow", "check_theorem_B_frequency_slow",
           "check_theorem_A_frequency_wide", "check_theorem_B_frequency_wide"]


def slice_planes(net: Network, count: int = 2):
    """Orthonormal pairs (e, z) as arb vectors: e = w/||w||, z orthogonal to e (d = 2: one plane;
    d >= 3: ``count`` planes built from the coordinate axes by Gram-Schmidt)."""
    w = [arith.ball(c) for c in net.w]
    nw = sum((c * c for c in w), arb(0)).sqrt()
    e = [c / nw for c in w]
    if net.d == 2:
        return nw, [(e, [-e[1], e[0]])]
    planes = []
    for k in range(net.d):
        a = [arb(1) if j == k else arb(0) for j in range(net.d)]
        proj = sum((a[j] * e[j] for j in range(net.d)), arb(0))
        z = [a[j] - proj * e[j] for j in range(net.d)]
        nz = sum((c * c for c in z), arb(0)).sqrt()
        if not (nz > arb("0.1")):
            continue
        planes.append((e, [c / nz for c in z]))
        if len(planes) >= count:
            break
    return nw, planes


def _h(net, S, e, z, theta):
    c, s = theta.cos(), theta.sin()
    tot = arb(0)
    for i in S:
        a = sum((arith.ball(net.u[i][j]) * (c * e[j] + s * z[j]) for j in range(net.d)), arb(0))
        tot += arith.ball(net.v[i]) * arith.relu(a)
    return tot


#: working precisions (bits) tried in turn; an undecided comparison at one precision is re-decided
#: by re-running the whole property at the next one.
PRECISIONS = (80, 160, 320, 640)


def _cmp(a, op: str, b) -> Tri:
    """Three-valued comparison (a module-level alias so that tests can force UNDECIDED)."""
    return arith.compare3(a, op, b)


class _Count:
    """Comparisons made / left undecided in one evaluation of a property."""

    def __init__(self):
        self.comparisons = 0
        self.undecided = 0

    def __call__(self, a, op, b) -> Tri:
        self.comparisons += 1
        t = _cmp(a, op, b)
        if t is Tri.UNDECIDED:
            self.undecided += 1
        return t


def _ladder(once, precisions) -> dict:
    """Run ``once(prec, count)`` at increasing precision until it finds a certain violation or leaves
    no comparison undecided.  Returns {"violation", "undecided", "comparisons", "prec"}."""
    if not precisions:
        raise ValueError("need at least one precision")
    for prec in precisions:
        cnt = _Count()
        with arith.workprec(prec):
            bad = once(cnt)
        if bad is not None or cnt.undecided == 0:
            break
    return {"violation": bad, "undecided": cnt.undecided, "comparisons": cnt.comparisons, "prec": prec}


def _tally_add(tally, out: dict, name: str) -> None:
    if tally is None:
        return
    tally["comparisons"] = tally.get("comparisons", 0) + out["comparisons"]
    tally["undecided"] = tally.get("undecided", 0) + out["undecided"]
    if out["undecided"]:
        tally.setdefault("undecided_instances", []).append(name)
    if out["prec"] > tally.get("max_prec", 0):
        tally["max_prec"] = out["prec"]


_DELTAS = (Fraction(1, 20), Fraction(1, 8), Fraction(1, 4), Fraction(1, 2), Fraction(1))


def window_check(net: Network, res, *, deltas=_DELTAS, grid: int = 9, precisions=PRECISIONS) -> dict:
    """The window inequality on the solver's subset, every comparison three-valued.

    Returns {"violation": None | dict, "undecided": k, "comparisons": c, "prec": bits}: a violation
    only if |D_delta h_S(m)| > 2(1+cos delta) hi holds *certainly*; ``undecided`` counts the
    comparisons (cap exists, window inside the cap, the inequality itself) that arb could not decide
    even at the last precision of the ladder.  The property is decided on this instance iff
    violation is not None or undecided == 0."""
    if net.model != "B" or not any(net.w) or not res.subset:
        return {"violation": None, "undecided": 0, "comparisons": 0, "prec": 0}
    S = list(res.subset)

    def once(cmp):
        eps = arith.ball(res.hi)
        nw, planes = slice_planes(net)
        ratio = eps / nw
        t = cmp(ratio, "<", 1)
        if t is not Tri.TRUE:
            return None                        # FALSE: no cap, nothing to check; UNDECIDED: counted
        a = ratio.acos()                       # cap = [-a, a] (||w|| cos theta >= eps)
        for (e, z) in planes:
            for dl in deltas:
                d_ = arith.ball(dl)
                if cmp(d_, "<", a) is not Tri.TRUE:
                    continue                   # FALSE: window not inside the cap; UNDECIDED: counted
                bound = 2 * (1 + d_.cos()) * eps
                for k in range(grid):
                    m = (a - d_) * arith.ball(Fraction(2 * k - (grid - 1), grid))   # |m| + delta < a
                    D = _h(net, S, e, z, m - d_) + _h(net, S, e, z, m + d_) - 2 * d_.cos() * _h(net, S, e, z, m)
                    if cmp(arith.absval(D), ">", bound) is Tri.TRUE:
                        return {"delta": str(dl), "m": str(m.mid()), "D": str(D), "bound": str(bound),
                                "eps_hi": str(res.hi), "subset": S}
        return None

    return _ladder(once, precisions)


def window_violation(net: Network, res, *, deltas=_DELTAS, grid: int = 9, tally: dict | None = None):
    """None, or the first window where |D_delta h_S(m)| certainly exceeds 2(1+cos delta) hi.

    None does not by itself mean "decided": pass a dict as ``tally`` to collect the number of
    comparisons left undecided (or call :func:`window_check`)."""
    out = window_check(net, res, deltas=deltas, grid=grid)
    _tally_add(tally, out, "window_inequality")
    return out["violation"]


def isolated_kink_check(net: Network, res, *, precisions=PRECISIONS) -> dict:
    """The isolated-kink bound |c_i| <= eps (1/sin(L-/2) + 1/sin(L+/2)) on the solver's subset, every
    comparison three-valued; same return shape as :func:`window_check`.  Undecided: whether the cap
    exists, whether a kept unit has a kink in the slice plane (projection radius > 0 or exactly 0),
    whether a kink lies inside the cap, whether the neighbouring arcs have lengths in (0, pi), and the
    bound itself."""
    if net.model != "B" or not any(net.w) or not res.subset:
        return {"violation": None, "undecided": 0, "comparisons": 0, "prec": 0}
    S = list(res.subset)

    def once(cmp):
        eps = arith.ball(res.hi)
        nw, planes = slice_planes(net)
        ratio = eps / nw
        if cmp(ratio, "<", 1) is not Tri.TRUE:
            return None
        a = ratio.acos()
        pi = arb.pi()
        for (e, z) in planes:
            kinks = []                            # (kappa, |c_i|, unit)
            placed = True
            for i in S:
                p = [sum((arith.ball(net.u[i][j]) * b[j] for j in range(net.d)), arb(0)) for b in (e, z)]
                r = (p[0] * p[0] + p[1] * p[1]).sqrt()
                tr = cmp(r, ">", 0)
                if tr is Tri.FALSE:
                    continue                      # zero projection: no kink in this plane
                if tr is Tri.UNDECIDED:
                    placed = False                # a kink may or may not exist: arcs unknown (counted)
                    continue
                phi = arb.atan2(p[1], p[0])
                for kap in (phi + pi / 2, phi - pi / 2, phi + 3 * pi / 2, phi - 3 * pi / 2):
                    inside = cmp(kap, ">", -a) is Tri.TRUE and cmp(kap, "<", a) is Tri.TRUE
                    if inside:
                        kinks.append((kap, arith.absval(arith.ball(net.v[i]) * r), i))
                    elif not (cmp(kap, "<=", -a) is Tri.TRUE or cmp(kap, ">=", a) is Tri.TRUE):
                        placed = False            # a kink too close to the cap edge to place
            if not placed:
                continue                          # the arcs of this plane are unknown (counted above)
            kinks.sort(key=lambda t: float(t[0].mid()))
            for k, (kap, c, i) in enumerate(kinks):
                left = kap - (kinks[k - 1][0] if k > 0 else -a)
                right = (kinks[k + 1][0] if k + 1 < len(kinks) else a) - kap
                tl = [cmp(left, ">", 0), cmp(right, ">", 0)]
                if tl[0] is not Tri.TRUE or tl[1] is not Tri.TRUE:
                    continue                      # overlapping kink balls (UNDECIDED: counted)
                tl = [cmp(left, "<", pi), cmp(right, "<", pi)]
                if tl[0] is not Tri.TRUE or tl[1] is not Tri.TRUE:
                    continue                      # an arc >= pi: bound does not apply (UNDECIDED: counted)
                bound = eps * (1 / (left / 2).sin() + 1 / (right / 2).sin())
                if cmp(c, ">", bound) is Tri.TRUE:
                    return {"unit": i, "c_abs": str(c), "bound": str(bound), "L_minus": str(left),
                            "L_plus": str(right), "eps_hi": str(res.hi), "subset": S}
        return None

    return _ladder(once, precisions)


def isolated_kink_violation(net: Network, res, *, tally: dict | None = None):
    """None, or a kept unit whose cap kink certainly violates |c_i| <= eps (1/sin(L-/2) + 1/sin(L+/2)).
    As for :func:`window_violation`, pass ``tally`` to collect undecided comparisons."""
    out = isolated_kink_check(net, res)
    _tally_add(tally, out, "isolated_kink_bound")
    return out["violation"]


PROPERTIES = {"window_inequality": window_violation, "isolated_kink_bound": isolated_kink_violation}


# --------------------------------------------------------------------------- checks
COUNTEREXAMPLE_DIR = "docs/counterexamples"


def _save_findings(findings) -> list[str]:
    """Best effort: write every finding (the full instance) to docs/counterexamples/."""
    import json
    from pathlib import Path

    paths = []
    root = Path(__file__).resolve().parent.parent / COUNTEREXAMPLE_DIR
    try:
        root.mkdir(parents=True, exist_ok=True)
        for f in findings:
            p = root / f"{f.property}_{f.family}_{f.seed}.json"
            p.write_text(json.dumps(f.to_json(), indent=1) + "\n")
            paths.append(str(p.relative_to(root.parent.parent)))
    except OSError:  # pragma: no cover - read-only checkout: the witness still holds the instance
        pass
    return paths


def check_search(widths=(5, 9), dims=(2, 3), per_cell: int = 1, budget: float = 60.0, families=None,
                 solver: str = "exact", solver_timeout: float = 20.0):
    """CHECKED: on every stated instance (6 families x widths x dims, ``per_cell`` seeded instances per
    cell) the solver's best subset satisfies the window inequality and the isolated-kink bound, every
    comparison decided in arb (re-decided at up to 640 bits when undecided).  UNKNOWN if any comparison
    stays undecided or the budget ends; REFUTED with the saved instance if a certain violation is found."""
    from functools import partial

    from prunecert.checks.instances.counterexample import FAMILIES, search
    from prunecert.checks.levels import Level
    from prunecert.checks.result import CheckResult, Timer

    fams = FAMILIES if families is None else tuple(families)
    tally: dict = {}
    props = {"window_inequality": partial(window_violation, tally=tally),
             "isolated_kink_bound": partial(isolated_kink_violation, tally=tally)}
    with Timer() as t:
        rep = search(props, families=fams, widths=widths, dims=dims, per_cell=per_cell, seed=0,
                     budget=budget, solver_timeout=solver_timeout, solver=solver)
    data = {k: v for k, v in rep.to_json().items() if k != "findings"}
    data["solver_not_proven_optimal"] = data.pop("undecided")
    data["comparisons"] = tally.get("comparisons", 0)
    data["undecided_comparisons"] = tally.get("undecided", 0)
    data["max_precision_bits"] = tally.get("max_prec", 0)
    if rep.findings:
        paths = _save_findings(rep.findings)
        return CheckResult(Level.REFUTED, "exact-solver+arb", t.seconds,
                           f"{len(rep.findings)} violation(s); instances saved: {paths}",
                           witness=rep.findings[0].to_json(), data=data)
    if not rep.complete:
        return CheckResult(Level.UNKNOWN, "exact-solver+arb", t.seconds,
                           f"budget ended after {rep.instances} instances, no violation", data=data)
    if data["undecided_comparisons"]:
        return CheckResult(Level.UNKNOWN, "exact-solver+arb", t.seconds,
                           f"{data['undecided_comparisons']} of {data['comparisons']} arb comparisons undecided "
                           f"up to {PRECISIONS[-1]} bits ({len(tally.get('undecided_instances', []))} property "
                           f"evaluations affected); no certain violation", data=data)
    return CheckResult(Level.CHECKED, "exact-solver+arb", t.seconds,
                       f"{rep.instances} instances ({len(fams)} families, n in {list(widths)}, d in {list(dims)}, "
                       f"{per_cell} per cell), {rep.checks} property checks, {data['comparisons']} arb comparisons "
                       f"all decided (max {data['max_precision_bits']} bits), no violation", data=data)


def check_search_slow():
    return check_search(widths=(4, 6, 8, 10, 12, 14), dims=(2, 3), per_cell=3, budget=900.0)


def check_search_wide():
    """The same properties at widths the exact search does not reach (n = 24, 32; d = 2), on the
    certified optima of the MILP-assisted solver (prunecert.checks.instances.neuron_milp)."""
    return check_search(widths=(24, 32), dims=(2,), per_cell=1, budget=1200.0, solver="milp",
                        solver_timeout=90.0)


def _frequency_test(model: str, n: int, eps: Fraction, samples: int, bound_fn, conf: float = 0.99, *,
                    solver: str = "exact", solver_timeout: float = 20.0):
    """Clopper-Pearson test of the success frequency of neuron pruning at (n, eps) against a
    theorem's probability bound.  solver "exact": the exact search; "milp": the MILP-assisted
    certified solver (:func:`prunecert.checks.instances.neuron_milp.optimum` with eps), for widths
    the exact search does not reach.  Either way a sample counts as a success or a failure only
    when certified (hi <= eps, or lo > eps); an undecided one counts against the claim in the
    upper confidence bound."""
    from prunecert.checks.instances.counterexample import make_instance
    from prunecert.checks.levels import Level
    from prunecert.checks.instances.neuron_subset import solve_instance
    from prunecert.checks.result import CheckResult, Timer
    from prunecert.checks.statistics.stats import cp_lower, cp_upper

    if solver not in ("exact", "milp"):
        raise ValueError(f"unknown solver {solver!r}")
    method = "exact-solver+clopper-pearson" if solver == "exact" else "milp-certified-solver+clopper-pearson"
    with Timer() as t:
        bound = arith.upper_fraction(bound_fn(n, eps))
        succ = und = 0
        for s in range(samples):
            net = make_instance("gauss_u_unif_v", n, 2 + s % 2, 7_000_000 + s, model)
            if solver == "exact":
                r = solve_instance(net, eps, timeout=solver_timeout)
            else:
                from prunecert.checks.instances.neuron_milp import optimum

                r = optimum(net, timeout=solver_timeout, eps=eps, certificate=False)
            succ += r.achievable is True
            und += r.achievable is None
    lo = cp_lower(succ, samples, conf)
    hi = cp_upper(succ + und, samples, conf)
    data = {"model": model, "n": n, "eps": str(eps), "samples": samples, "certified_successes": succ,
            "undecided": und, "theorem_bound_upper": float(bound), f"cp_lower_{conf}": lo,
            f"cp_upper_{conf}": hi, "setting": "u ~ N(0, I_d) (d = 2, 3 alternating), v ~ U[-1,1], random w",
            "solver": solver, "solver_timeout": solver_timeout}
    detail = (f"{succ}/{samples} certified successes ({und} undecided) at n={n}, eps={eps}; "
              f"{conf:.0%} Clopper-Pearson upper bound {hi:.4f} vs theorem bound {float(bound):.4f}")
    if lo > bound:
        return CheckResult(Level.REFUTED, method, t.seconds,
                           "success frequency exceeds the theorem's bound: " + detail, witness=data, data=data)
    if hi <= float(bound):
        return CheckResult(Level.EVIDENCE, method, t.seconds, detail, data=data)
    return CheckResult(Level.UNKNOWN, method, t.seconds,
                       "sample too small to corroborate: " + detail, data=data)


def check_theorem_A_frequency(samples: int = 30):
    """Neuron pruning of Model A (c = v on S) succeeding implies some c works, so its success
    frequency must respect Theorem A's bound (2n/pi) arcsin(4 eps)."""
    from prunecert.bounds.gap.model_a import success_probability_upper

    return _frequency_test("A", 8, Fraction(1, 50), samples, lambda n, e: success_probability_upper(n, e))


def check_theorem_B_frequency(samples: int = 30):
    """Success frequency of exact neuron pruning in Model B vs Theorem B's bound."""
    from prunecert.bounds.gap.model_b import success_probability_upper

    return _frequency_test("B", 10, Fraction(1, 500), samples, lambda n, e: success_probability_upper(n, e))


def check_theorem_A_frequency_wide(samples: int = 30):
    """Theorem A's bound at width 64 (eps = 1/1000, bound (128/pi) arcsin(1/250) ~ 0.163), decided by
    the MILP-assisted certified solver."""
    from prunecert.bounds.gap.model_a import success_probability_upper

    return _frequency_test("A", 64, Fraction(1, 1000), samples, lambda n, e: success_probability_upper(n, e),
                           solver="milp", solver_timeout=60.0)


def check_theorem_B_frequency_wide(samples: int = 30):
    """Theorem B's bound at width 128 (eps = 1/20000, bound ~ 0.257), decided by the MILP-assisted
    certified solver."""
    from prunecert.bounds.gap.model_b import success_probability_upper

    return _frequency_test("B", 128, Fraction(1, 20000), samples, lambda n, e: success_probability_upper(n, e),
                           solver="milp", solver_timeout=120.0)


def check_theorem_A_frequency_slow():
    return check_theorem_A_frequency(300)


def check_theorem_B_frequency_slow():
    return check_theorem_B_frequency(300)
