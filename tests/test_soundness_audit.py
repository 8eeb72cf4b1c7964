"""Soundness audit: adversarial tests that the engines never report PROVED for a false statement
and never certify an upper bound below the truth.  Findings: docs/dev/soundness-audit.md.

Findings that have been fixed keep their reproducer here as a plain regression test (R1, S1, ...).
A test marked ``xfail(strict=True, reason="UNSOUND: ...")`` reproduces a finding that is still open.
"""
from __future__ import annotations

import copy
import itertools
import json
from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp

from prunecert.checks.levels import Level

# ----------------------------------------------------------------------------- helpers


def _exact_ball_point(y):
    """Rational point y / r with r >= ||y|| (so it lies in the closed unit ball)."""
    from prunecert.checks.instances.superror import sqrt_bounds

    y = [F(t) for t in y]
    dd = sum(t * t for t in y)
    if dd == 0:
        return [F(0)] * len(y)
    _, r = sqrt_bounds(dd, F(1, 10**30) * min(dd, 1))
    return [t / r for t in y]


def _exact_lower_bound(net, seed=0, n_rand=200):
    """A certified LOWER bound of sup_{B^d} |g - relu(<w,.>)|: the exact error at rational ball
    points found by a float search (every such value is <= the true sup)."""
    from scipy.optimize import minimize

    d = net.d
    rng = np.random.default_rng(seed)
    U, v, w = net.arrays()

    def f(x):
        nx = np.linalg.norm(x)
        if not np.isfinite(nx) or nx == 0:
            return 0.0
        x = x / nx
        h = float(np.maximum(U @ x, 0) @ v)
        if net.model == "B":
            h = max(h, 0.0)
        return -abs(h - max(float(w @ x), 0.0))

    cands = [rng.standard_normal(d) for _ in range(n_rand)]
    cands += [s * np.eye(d)[k] for k in range(d) for s in (1, -1)]
    cands += [np.array(r, dtype=float) for r in U] + [-np.array(r, dtype=float) for r in U]
    cands += [w, -w]
    cands = [c for c in cands if np.all(np.isfinite(c)) and np.linalg.norm(c) > 0]
    starts = sorted(cands, key=f)[:6]
    pts = list(starts)
    for x0 in starts:
        r = minimize(f, x0, method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-18, "maxiter": 1500})
        pts.append(r.x)
    best = F(0)
    for p in pts:
        if np.all(np.isfinite(p)) and np.linalg.norm(p) > 0:
            best = max(best, net.error_exact(_exact_ball_point([F(float(t)) for t in p])))
    return best


# ----------------------------------------------------------------------------- 1. the prover
# (claim, box, truth): truth False = the claim is false, must never be PROVED;
# truth True = the claim is true, must never be REFUTED.
PROVER_CASES = [
    ("(10**8 + x) - 10**8 - x - 1/10**15 >= 0", {"x": ("0", "1")}, False),
    ("x**2 - 2*x*y + y**2 - 1/10**13 >= 0", {"x": ("-1", "1"), "y": ("-1", "1")}, False),
    ("x**2 - 2*x*y + y**2 + 1/10**13 >= 0", {"x": ("-1", "1"), "y": ("-1", "1")}, True),
    ("Max(x, y) - x - 1/10**14 >= 0", {"x": ("0", "1"), "y": ("0", "1")}, False),
    ("Abs(x - 1/3) - 1/10**15 >= 0", {"x": ("0", "1")}, False),
    ("sqrt(x) - 1/10**15 >= 0", {"x": ("0", "1")}, False),
    ("log(1+x) - x + x**2/2 - 1/10**14 >= 0", {"x": ("0", "1")}, False),
    ("x*log(x) + exp(-1) - 1/10**13 >= 0", {"x": ("1/100", "2")}, False),
    ("x*log(x) + exp(-1) >= 0", {"x": ("1/100", "2")}, True),
    ("1 - x**2/2 + x**4/24 - cos(x) - 1/10**15 >= 0", {"x": ("0", "1")}, False),
    ("1 - x**2/2 + x**4/24 - cos(x) >= 0", {"x": ("0", "1")}, True),
    ("Piecewise((x, x < 1/2), (1 - x, True)) - 1/10**15 >= 0", {"x": ("0", "1")}, False),
    ("Piecewise((x, x <= 1/2), (1 - x + 1/10**14, True)) >= 1/10**15", {"x": ("0", "1")}, False),
    ("sin(x) - x + x**3/6 - 1/10**14 >= 0", {"x": ("0", "1/10")}, False),
    ("x*y*z - 1/10**15 >= 0", {"x": ("0", "1"), "y": ("0", "1"), "z": ("0", "1")}, False),
    ("(x-1/3)**2*(y-2/3)**2 - 1/10**15 >= 0", {"x": ("0", "1"), "y": ("0", "1")}, False),
    ("(x-1/3)**2 + (y-2/7)**2 > 0", {"x": ("0", "1"), "y": ("0", "1")}, False),
    ("exp(x) - 1 - x - 1/10**15 >= 0", {"x": ("-1", "1")}, False),
    ("exp(x) - 1 - x >= 0", {"x": ("-1", "1")}, True),
    ("Max(0, x - 1/3) + Max(0, 1/3 - x) - 1/10**15 >= 0", {"x": ("0", "1")}, False),
    ("acos(x) - 1/10**15 >= 0", {"x": ("0", "1")}, False),
    ("(x - sqrt(2))**2 - 1/10**15 >= 0", {"x": ("1", "2")}, False),
    ("(x - pi)**2*(y - E)**2 - 1/10**16 >= 0", {"x": ("3", "4"), "y": ("2", "3")}, False),
    ("x**3 - 1/10**45 >= 0", {"x": ("0", "1")}, False),
    # touching equality at an irrational point, then pushed below 0 by 1e-15
    ("(x - exp(-1))**2 - 1/10**15*Max(0, 1 - 10**6*(x - exp(-1))**2) >= 0", {"x": ("0", "1")}, False),
    # a polynomial whose exact factorisation hides a tiny negative window between two roots
    ("(x - 1/3)*(x - 1/3 - 1/10**14) >= 0", {"x": ("0", "1")}, False),
    ("(x - 1/3)**2*(x - 1/3 + 1/10**15) >= 0", {"x": ("0", "1")}, False),
    # 4 variables, cancellation
    ("(x + y + z + t)**2 - 4*(x*y + z*t) - 1/10**14 >= -(x - y)**2 - (z - t)**2 + 2*(x+y)*(z+t) - 2*(x+y)*(z+t)",
     {"x": ("0", "1"), "y": ("0", "1"), "z": ("0", "1"), "t": ("0", "1")}, None),
]


@pytest.mark.parametrize("text,box,truth", PROVER_CASES, ids=[c[0][:40] for c in PROVER_CASES])
def test_prover_never_proves_false(text, box, truth):
    from prunecert.checks.inequality.prover import prove_text

    r = prove_text(text, box, timeout=4.0)
    if truth is False:
        assert r.status is not Level.PROVED, f"PROVED a false claim: {text}"
    if truth is True:
        assert r.status is not Level.REFUTED, f"REFUTED a true claim: {text}"
    if r.status is Level.REFUTED:
        # the witness must violate the claim in exact/high precision evaluation
        from prunecert.checks.rigorous.expr import parse_relation

        lhs, op, rhs = parse_relation(text, list(box))
        g = (lhs - rhs) if op in (">=", ">") else (rhs - lhs)
        sub = {sp.Symbol(k, real=True): sp.Rational(v.numerator, v.denominator) for k, v in r.witness.items()}
        val = sp.N(g.xreplace(sub), 80)
        assert (val <= 0) if op in (">", "<") else (val < 0)


def test_prover_sympy_symbols_with_assumptions_do_not_leak():
    """A sympy side built with positive symbols must still be judged on the whole box."""
    from prunecert.checks.inequality.prover import prove

    x = sp.Symbol("x", positive=True)
    # x - 1/10**15 >= 0 is false at x = 0 (in the box), although x is 'positive' to sympy
    r = prove(x - sp.Rational(1, 10**15), ">=", 0, {"x": ("0", "1")}, timeout=4.0)
    assert r.status is not Level.PROVED


# ----------------------------------------------------------------------------- 2. the re-checker
def _proved_cert(text, box, **kw):
    from prunecert.checks.inequality.prover import prove_text

    r = prove_text(text, box, timeout=10.0, **kw)
    assert r.status is Level.PROVED and r.certificate is not None
    return r.certificate


def _resign(c):
    from prunecert.checks.inequality.certificate import digest

    c["digest"] = digest(c)
    return c


def test_recheck_accepts_honest_certificate():
    from prunecert.checks.inequality.recheck import recheck

    c = _proved_cert("x*log(x) + exp(-1) >= 0", {"x": ("1/100", "2")})
    assert recheck(c).ok


def test_recheck_rejects_tampered_leaves_and_claims():
    from prunecert.checks.inequality.recheck import recheck

    c0 = _proved_cert("x*log(x) + exp(-1) + 1/10**9 >= 0", {"x": ("1/100", "2")}, use_exact_steps=False)
    leaves = c0["evidence"]["leaves"]
    assert len(leaves) >= 2 and recheck(c0).ok
    forged = []
    # (a) claim made false (margin -1e-12 instead of +1e-9), digest recomputed
    c = copy.deepcopy(c0)
    c["claim"] = "x*log(x) + exp(-1) - 1/10**12 >= 0"
    forged.append(_resign(c))
    # (b) a leaf dropped: the box is no longer covered
    c = copy.deepcopy(c0)
    c["evidence"]["leaves"] = leaves[1:]
    forged.append(_resign(c))
    # (c) box widened beyond the leaves
    c = copy.deepcopy(c0)
    c["box"] = {"x": ["1/1000", "2"]}
    forged.append(_resign(c))
    # (d) digest not recomputed after an edit
    c = copy.deepcopy(c0)
    c["claim"] = "x*log(x) + exp(-1) - 1/10**12 >= 0"
    forged.append(c)
    # (e) a leaf relabelled as a touch leaf with a fabricated touching point
    c = copy.deepcopy(c0)
    c["evidence"]["leaves"][0]["method"] = "touch"
    c["evidence"]["leaves"][0]["touch_point"] = 0
    c["evidence"]["touch_points"] = [{"point": ["1/2"], "position": ["in"], "order": 2,
                                      "neighbourhood": [["1/100", "2"]]}]
    forged.append(_resign(c))
    # (f) touching-point certificate moved to a false claim (the touch neighbourhood covers the box)
    t0 = _proved_cert("x*log(x) + exp(-1) >= 0", {"x": ("1/100", "2")})
    assert recheck(t0).ok
    c = copy.deepcopy(t0)
    c["claim"] = "x*log(x) + exp(-1) - 1/10**15 >= 0"
    forged.append(_resign(c))
    c = copy.deepcopy(t0)
    c["evidence"]["touch_points"][0]["point"] = ["37/100"]
    forged.append(_resign(c))
    for k, c in enumerate(forged):
        assert not recheck(c).ok, f"forged certificate {k} accepted"


def test_recheck_rejects_false_witness():
    from prunecert.checks.inequality.prover import prove_text
    from prunecert.checks.inequality.recheck import recheck

    r = prove_text("exp(x) - 1 - x - 1/10**15 >= 0", {"x": ("-1", "1")}, timeout=5.0)
    assert r.status is Level.REFUTED
    c = copy.deepcopy(r.certificate)
    c["claim"] = "exp(x) - 1 - x >= 0"       # true claim: no witness can refute it
    assert not recheck(_resign(c)).ok


def _forged_even_power_cert():
    """PROVED certificate for the FALSE claim -(x**2 + 1)**2 >= 0: factor -x**2-1 with exponent 2,
    'psd' sign -1 (the Gram matrix of x**2 + 1 is PSD), constant -1 -> signs multiply to +1."""
    from prunecert.checks.inequality.prover import prove_text

    r = prove_text("x**2*(y**2 + 1) >= 0", {"x": ("-1", "1"), "y": ("-1", "1")}, timeout=10.0)
    assert r.status is Level.PROVED and r.certificate["evidence"]["kind"] == "factor"
    c = copy.deepcopy(r.certificate)
    c.update(claim="-(x**2 + 1)**2 >= 0", lhs="-(x**2 + 1)**2", op=">=", rhs="0",
             variables=["x"], box={"x": ["-1", "1"]})
    c["evidence"] = {"kind": "factor", "constant": "-1", "factors": [
        {"expr": "-x**2 - 1", "exponent": 2, "reason": "psd", "sign": -1, "gram": [["1", "0"], ["0", "1"]]}]}
    return _resign(c)


# R1 fixed: the rechecker gives an even power the sign +1 whatever the recorded sign (checks/inequality/recheck.py)
def test_recheck_even_power_sign_forgery():
    from prunecert.checks.inequality.recheck import recheck

    assert not recheck(_forged_even_power_cert()).ok


# ----------------------------------------------------------------------------- 3. SMT
SMT_CASES = [
    ("Max(x, 0) - Max(-x, 0)", ">=", "x + 1/10**15", None, False),
    ("Abs(x - y)", ">=", "Abs(x) - Abs(y) + 1/10**15", {"x": ("-1", "1"), "y": ("-1", "1")}, False),
    ("x**2 - 2*x*y + y**2", ">", "0", {"x": ("-1", "1"), "y": ("-1", "1")}, False),
    ("x*(1 - x)", "<=", "1/4 - 1/10**14", {"x": ("0", "1")}, False),
    ("Piecewise((x, x < 1/3), (2/3 - x - 1/10**15, True))", ">=", "0", {"x": ("0", "2/3")}, False),
    ("1/x", ">=", "1", {"x": ("0", "1")}, False),
    ("Min(x, y) + Max(x, y)", "==", "x + y + 1/10**15", None, False),
    ("x**3 - x + 38490017/100000000", ">=", "0", {"x": ("0", "1")}, False),
    ("x**3 - x + 38491/100000", ">=", "0", {"x": ("0", "1")}, True),
    ("x**2 - 2*x*y + y**2", ">=", "-1/10**15", {"x": ("-1", "1"), "y": ("-1", "1")}, True),
]


@pytest.mark.parametrize("lhs,op,rhs,box,truth", SMT_CASES, ids=[f"{c[0][:30]} {c[1]} {c[2][:20]}" for c in SMT_CASES])
def test_smt_never_proves_false(lhs, op, rhs, box, truth):
    from prunecert.checks.rigorous.expr import parse
    from prunecert.checks.decide.smt import prove_forall

    r = prove_forall(parse(lhs), op, parse(rhs), box, timeout=10.0)
    if truth is False:
        assert r.level is not Level.PROVED
    else:
        assert r.level is not Level.REFUTED
    if r.level is Level.PROVED:
        answers = r.certificate["answers"]
        assert {a["solver"] for a in answers if a["status"] == "unsat"} == {"z3", "cvc5"}


# ----------------------------------------------------------------------------- 4. sup error
def _parallel_net(n, d, model, seed, scale=10**6, spread=1e-9):
    """Many nearly parallel units whose huge output weights almost cancel."""
    from prunecert.checks.instances.network import Network

    rng = np.random.default_rng(seed)
    base = rng.standard_normal(d)
    base /= np.linalg.norm(base)
    u = [tuple(F(round(float(t) * 10**12), 10**12) for t in base + spread * rng.standard_normal(d)) for _ in range(n)]
    v = [F(int(rng.integers(-10**6, 10**6)), 10**6) * scale for _ in range(n)]
    v[-1] = -sum(v[:-1]) + F(1, 10**3)
    w = tuple(F(round(float(t) * 10**6), 10**6) for t in base * 0.999)
    return Network(model, w, tuple(u), tuple(v))


def _wild_net(n, d, model, seed, lo_exp=-12, hi_exp=8):
    """Weights spread over many orders of magnitude (all in the normal float range)."""
    from prunecert.checks.instances.network import Network

    rng = np.random.default_rng(seed)

    def q():
        return F(int(rng.integers(-999, 1000)), 1000) * F(10) ** int(rng.integers(lo_exp, hi_exp + 1))
    u = tuple(tuple(q() for _ in range(d)) for _ in range(n))
    v = tuple(q() for _ in range(n))
    w = tuple(F(int(rng.integers(-500, 500)), 1000) for _ in range(d))
    return Network(model, w, u, v)


def _check_sup(net, seed, rel_tol=F(1, 100)):
    from prunecert.checks.errors import BudgetExceeded
    from prunecert.checks.instances.superror import sup_error

    lb = _exact_lower_bound(net, seed)
    try:
        r = sup_error(net, tol=max(lb, F(1, 10**6)) * rel_tol, timeout=20.0)
    except BudgetExceeded:
        pytest.skip("budget exceeded (allowed: UNKNOWN)")
    assert r.lo <= r.hi
    assert lb <= r.hi, f"certified hi {float(r.hi)!r} below an exact value {float(lb)!r} of the error"
    assert net.error_exact(r.argmax) >= r.lo
    assert sum(t * t for t in r.argmax) <= 1


@pytest.mark.parametrize("d", [2, pytest.param(3, marks=pytest.mark.slow)])
@pytest.mark.parametrize("model", ["A", "B"])
def test_sup_error_parallel_units(d, model):
    _check_sup(_parallel_net(5, d, model, seed=d), seed=d)


@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("model", ["A", "B"])
def test_sup_error_wild_magnitudes(d, model):
    _check_sup(_wild_net(5, d, model, seed=10 + d), seed=d)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("d", [3, 4])
@pytest.mark.parametrize("model", ["A", "B"])
def test_sup_error_adversarial_sweep(seed, d, model):
    gen = _parallel_net if seed % 2 else _wild_net
    _check_sup(gen(6, d, model, seed), seed=seed)


def _underflow_net():
    """Unit 0 contributes 1e-100 * relu(x_1) but its output weight 1e-400 is 0.0 as a float."""
    from prunecert.checks.instances.network import Network

    return Network("B", (F(0), F(0), F(0)),
                   ((F(10) ** 300, F(0), F(0)), (F(-1), F(0), F(0))),
                   (F(1, 10**400), F(1, 10**150)))


# S1 fixed: the d >= 3 engine refuses weights outside its float-safe range (checks/instances/superror.py)
def test_sup_error_float_underflow():
    from prunecert.checks.errors import BudgetExceeded, InputError
    from prunecert.checks.instances.superror import sup_error

    net = _underflow_net()
    true_lb = net.error_exact([F(1), F(0), F(0)])      # = 1e-100
    try:
        r = sup_error(net)
    except (BudgetExceeded, InputError):
        return                                         # refusing is sound
    assert r.hi >= true_lb


def test_sup_error_d2_exact_vs_points():
    """d = 2 is exact: sup^2 = R exactly, so hi^2 >= R >= lo^2, and no ball point exceeds sqrt(R)."""
    from prunecert.checks.instances.superror import sup_error

    for seed in range(4):
        for model in "AB":
            net = _wild_net(6, 2, model, seed)
            r = sup_error(net)
            R = r.sup_squared
            assert r.lo ** 2 <= R <= r.hi ** 2
            lb = _exact_lower_bound(net, seed, n_rand=100)
            assert lb ** 2 <= R


# ----------------------------------------------------------------------------- 5. subset sum
def test_subset_sum_exact_with_ugly_rationals():
    from prunecert.checks.instances.subset_sum import best_subset_sum, eps_net

    rng = np.random.default_rng(5)
    for trial in range(30):
        n = int(rng.integers(1, 11))
        vals = [F(int(rng.integers(-10**12, 10**12)), int(rng.integers(1, 10**9))) for _ in range(n)]
        if trial % 3 == 0:   # huge integers: forces the exact object path
            vals = [v * 10**20 for v in vals]
        target = F(int(rng.integers(-10**12, 10**12)), int(rng.integers(1, 10**9)))
        r = best_subset_sum(vals, target)
        brute = min(abs(sum((vals[i] for i in S), F(0)) - target)
                    for k in range(n + 1) for S in itertools.combinations(range(n), k))
        assert r.error == brute
        assert abs(sum((vals[i] for i in r.subset), F(0)) - target) == r.error
    # eps-net: covering radius exactly
    for trial in range(10):
        n = int(rng.integers(1, 9))
        vals = [F(int(rng.integers(-1000, 1000)), int(rng.integers(1, 997))) for _ in range(n)]
        sums = sorted({sum((vals[i] for i in S), F(0)) for k in range(n + 1) for S in itertools.combinations(range(n), k)})
        a, b = F(-1, 3), F(5, 7)
        pts = [a, b] + [(s + t) / 2 for s, t in zip(sums, sums[1:]) if a <= (s + t) / 2 <= b]
        radius = max(min(abs(z - s) for s in sums) for z in pts)
        r = eps_net(vals, a, b, radius)
        assert r.is_net and r.largest_gap == radius
        assert not eps_net(vals, a, b, radius - F(1, 10**30)).is_net


# ----------------------------------------------------------------------------- 6. neuron solver
def test_neuron_solver_encloses_brute_force_optimum():
    """best_error's [lo, hi] must contain OPT = min_S sup error (d = 2: exact sup^2 per subset), and
    solve_instance must never say achievable=True below OPT or False above it."""
    from prunecert.checks.instances.network import sample
    from prunecert.checks.instances.neuron_subset import best_error, solve_instance
    from prunecert.checks.instances.superror import sqrt_bounds, sup_error

    for seed, model in ((0, "A"), (0, "B"), (3, "B"), (5, "A")):
        net = sample(6, 2, seed=seed, model=model, digits=3)
        opt = min(sup_error(net, neuron_mask=[1 if i in S else 0 for i in range(6)]).sup_squared
                  for k in range(7) for S in itertools.combinations(range(6), k))
        r = best_error(net, timeout=20)
        assert r.lo ** 2 <= opt <= r.hi ** 2
        lo_s, hi_s = sqrt_bounds(opt, F(1, 10**12))
        assert solve_instance(net, lo_s - F(1, 10**9), timeout=20).achievable is not True
        assert solve_instance(net, hi_s + F(1, 10**9), timeout=20).achievable is not False
