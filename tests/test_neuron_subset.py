"""Neuron-pruning instance solver: exact engine, certified rounding, agreement with plain search."""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prunecert.checks.errors import InputError
from prunecert.checks.instances.network import Network, sample
from prunecert.checks.instances.neuron_enum import local_search, max_error, minmax, minmax_plain
from prunecert.checks.instances.neuron_lower import (exact_max_error, integer_data, into_ball, lower_from_int,
                                 rational_on_sphere, sphere_points)
from prunecert.checks.instances.neuron_subset import best_error, search_lower, solve_instance
from prunecert.checks.instances.superror import sup_error


# ----------------------------------------------------------------------------- integer engine
@settings(max_examples=150, deadline=None)
@given(st.integers(0, 7), st.integers(1, 9), st.sampled_from("AB"), st.integers(0, 10**6),
       st.integers(0, 7))
def test_minmax_equals_plain(n, P, model, seed, low_bits):
    rng = np.random.default_rng(seed)
    A = rng.integers(-40, 40, size=(n, P))
    T = rng.integers(0, 50, size=P)
    plain = minmax_plain(A, T, model)
    fast = minmax(A, T, model, low_bits=min(low_bits, n))
    assert fast.complete and fast.value == plain.value == fast.lower
    assert max_error(A, T, model, fast.subset) == fast.value


def test_minmax_bound_semantics():
    rng = np.random.default_rng(5)
    for _ in range(40):
        A = rng.integers(-30, 30, size=(6, 5))
        T = rng.integers(0, 40, size=5)
        opt = minmax_plain(A, T, "B").value
        below = minmax(A, T, "B", bound=opt)          # nothing strictly below the optimum
        assert below.value is None and below.complete and below.lower >= opt
        above = minmax(A, T, "B", bound=opt + 1)
        assert above.value == opt


def test_partial_search_lower_is_valid():
    rng = np.random.default_rng(7)
    for _ in range(20):
        A = rng.integers(-1000, 1000, size=(12, 8))
        T = rng.integers(0, 1500, size=8)
        opt = minmax_plain(A, T, "B").value
        part = minmax(A, T, "B", max_nodes=3, low_bits=4)
        assert part.lower <= opt <= part.value
        bis = search_lower(A, T, "B", timeout=0.5)
        assert bis.lower <= opt <= bis.value


def test_local_search_is_achievable():
    rng = np.random.default_rng(1)
    A = rng.integers(-50, 50, size=(9, 6))
    T = rng.integers(0, 60, size=6)
    val, s = local_search(A, T, "A")
    assert max_error(A, T, "A", s) == val


def test_engine_bad_input():
    with pytest.raises(InputError):
        minmax(np.ones((2, 3)), np.ones(3, dtype=int), "B")      # float data is not exact
    with pytest.raises(InputError):
        minmax(np.ones((2, 3), dtype=int), np.ones(4, dtype=int), "B")
    with pytest.raises(InputError):
        minmax(np.ones((2, 3), dtype=int), np.ones(3, dtype=int), "C")



def test_engine_big_integers_exact():
    """Data beyond int64 are solved exactly on Python integers (not refused, no overflow)."""
    big = 2**61
    r = minmax(np.full((2, 1), big, dtype=np.int64), np.ones(1, dtype=int), "B")
    assert r.complete and r.value == 1 and r.subset == ()
    rng = np.random.default_rng(5)
    for _ in range(20):
        A = rng.integers(-40, 40, size=(7, 5))
        T = rng.integers(0, 50, size=5)
        s = 3**80                                   # scale far beyond int64, exactly
        Ab = np.empty(A.shape, dtype=object)
        Ab.flat[:] = [int(x) * s for x in A.flat]
        Tb = np.empty(T.shape, dtype=object)
        Tb.flat[:] = [int(x) * s for x in T.flat]
        for model in ("A", "B"):
            small = minmax_plain(A, T, model)
            r = minmax(Ab, Tb, model)
            assert r.complete and r.value == small.value * s and r.lower == small.value * s
            assert max_error(Ab, Tb, model, r.subset) == r.value


# ----------------------------------------------------------------------------- points and rounding
def test_points_are_exactly_on_sphere():
    for d in (2, 3, 5):
        pts = sphere_points(d, 40, extra=[[1] + [0] * (d - 1), [0.3] * d])
        assert len(pts) >= 40
        for p in pts:
            assert len(p) == d and sum(c * c for c in p) == 1
    p = rational_on_sphere([0.0, 0.0, 1.0])
    assert sum(c * c for c in p) == 1
    assert sum(c * c for c in into_ball([Fraction(3), Fraction(4)])) <= 1


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 10), st.sampled_from([2, 3]), st.integers(0, 10**6), st.sampled_from("AB"))
def test_rounding_slack_is_proven_bound(n, d, seed, model):
    net = sample(n, d, seed=seed, dist="gaussian", model=model)
    pts = sphere_points(d, 12, extra=[[float(c) for c in net.w]])
    data = integer_data(net, pts, K=20)           # a coarse K makes the slack visible
    rng = np.random.default_rng(seed)
    for _ in range(5):
        S = [i for i in range(n) if rng.random() < 0.5]
        exact = exact_max_error(net, S, pts)
        approx = Fraction(max_error(data.A, data.T, model, S), 2**20)
        assert abs(exact - approx) < Fraction(data.margin, 2**20)
        assert lower_from_int(data, max_error(data.A, data.T, model, S)) <= exact


# ----------------------------------------------------------------------------- the solver vs plain search
def _dense(d, m, rng):
    if d == 2:
        th = np.linspace(0, 2 * np.pi, m, endpoint=False)
        return np.stack([np.cos(th), np.sin(th)], axis=1)
    X = rng.standard_normal((m, d))
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def _plain_oracle(net, X):
    """Every subset, errors on a dense point set (float; a test oracle, not a proof)."""
    U, v, _ = net.arrays()
    F = net.target_float(X)
    act = np.maximum(X @ U.T, 0.0) * v                       # m x n
    n = net.n
    bits = (np.arange(2**n)[:, None] >> np.arange(n)) & 1    # 2^n x n
    H = bits @ act.T                                          # 2^n x m
    G = np.maximum(H, 0.0) if net.model == "B" else H
    errs = np.abs(G - F).max(axis=1)
    k = int(np.argmin(errs))
    return float(errs[k]), [i for i in range(n) if k >> i & 1]


CASES = [(k, 2 if k % 10 < 7 else 3, "uniform" if k % 2 else "gaussian", "AB"[k % 3 == 0]) for k in range(200)]


@pytest.mark.parametrize("chunk", range(10))
def test_agrees_with_plain_exhaustive(chunk):
    """200 random instances (n <= 8, d in {2, 3}, both distributions, both models)."""
    rng = np.random.default_rng(chunk)
    for k, d, dist, model in CASES[chunk * 20:(chunk + 1) * 20]:
        n = 1 + k % 8
        net = sample(n, d, seed=k, dist=dist, model=model, target="e1" if k % 4 == 0 else "random")
        X = _dense(d, 720 if d == 2 else 1500, rng)
        dense_min, oracle_set = _plain_oracle(net, X)
        r = best_error(net, timeout=30, points=24 if d == 2 else 40)
        assert r.lo <= r.hi
        # the solver's subset really achieves hi (certified), and the dense max of it is <= hi
        tol = Fraction(1, 10**6) if d == 2 else Fraction(1, 10**4)
        se = sup_error(net, neuron_mask=[1 if i in r.subset else 0 for i in range(n)], tol=tol)
        assert se.lo <= r.hi
        U, v, _ = net.arrays()
        mask = [1 if i in r.subset else 0 for i in range(n)]
        assert np.abs(net.evaluate_float(X, neuron_mask=mask) - net.target_float(X)).max() <= float(r.hi) + 1e-9
        # OPT lies in [dense_min, sup error of the oracle's subset]; so does [lo, hi]
        assert float(r.hi) >= dense_min - 1e-9
        oracle_hi = sup_error(net, neuron_mask=[1 if i in oracle_set else 0 for i in range(n)], tol=tol).hi
        assert r.lo <= oracle_hi
        if d == 2:
            # exact sup error in d = 2: the cutting planes close the gap and the plain search agrees
            assert r.hi - r.lo <= Fraction(1, 10**4) * max(r.hi, Fraction(1, 100))
            assert abs(float(r.hi) - dense_min) <= 0.02 + 1e-9
            assert oracle_hi >= r.lo


def test_solve_instance_decisions():
    net = sample(10, 2, seed=11, dist="gaussian", target="e1")
    r = best_error(net, timeout=30)
    above = solve_instance(net, r.hi + Fraction(1, 1000), timeout=30)
    below = solve_instance(net, r.lo / 2, timeout=30)
    assert above.achievable is True and above.hi <= r.hi + Fraction(1, 1000)
    assert below.achievable is False and below.lo > r.lo / 2
    js = above.to_json()
    assert js["mode"] == "neuron" and js["achievable"] is True
    assert Fraction(js["best_error"]["lo"]) <= above.lo and Fraction(js["best_error"]["hi"]) >= above.hi
    assert set(js) >= {"mode", "eps", "achievable", "best_error", "subset", "method", "seconds"}


def test_solver_bad_input():
    net = sample(4, 2, seed=0)
    for bad in (0, -1, "abc", float("nan"), float("inf")):
        with pytest.raises(InputError):
            solve_instance(net, bad)
    with pytest.raises(InputError):
        best_error("not a network")
    with pytest.raises(InputError):
        best_error(net, points=0)


def test_n24_exact_at_d2():
    net = sample(24, 2, seed=2, dist="gaussian", target="e1")
    r = best_error(net, timeout=60)
    assert r.lower_complete and r.hi - r.lo <= Fraction(1, 10**4) * r.hi


def test_model_a_single_unit_exact():
    # one unit equal to the target: the optimum is 0 in both models
    for model in "AB":
        net = Network(model, (Fraction(1), Fraction(0)), ((Fraction(1), Fraction(0)),), (Fraction(1),))
        r = best_error(net, timeout=10)
        assert r.hi == 0 and r.subset == [0]


# ----------------------------------------------------------------------------- coupled (stencil) node bound
@settings(max_examples=40, deadline=None)
@given(st.integers(1, 9), st.sampled_from("AB"), st.integers(0, 10**6), st.integers(0, 4),
       st.booleans())
def test_coupled_bound_agrees_with_plain_on_network_data(n, model, seed, low_bits, coupled):
    """Network data (nearby points have alike columns, so the stencil bounds really prune):
    the exact search with and without the coupled bound equals plain enumeration."""
    net = sample(n, 2, seed=seed, dist="gaussian", model=model)
    data = integer_data(net, sphere_points(2, 16, extra=[[float(c) for c in net.w]]), K=24)
    plain = minmax_plain(data.A, data.T, model)
    fast = minmax(data.A, data.T, model, low_bits=min(low_bits, n), pair_bound=coupled)
    assert fast.complete and fast.value == plain.value == fast.lower
    for b in (plain.value, plain.value + 1):
        dec = minmax(data.A, data.T, model, bound=b, low_bits=0, pair_bound=coupled)
        assert dec.complete and (dec.value is None) == (b <= plain.value)
        assert dec.lower <= plain.value


def test_lower_bound_n20_exact_and_partial_never_above():
    """n = 20, d = 2: the certified lo equals the exact optimum on the point set (complete
    search), and budget-limited partial runs never put lo above that optimum."""
    net = sample(20, 2, seed=3, dist="gaussian", target="random")
    data = integer_data(net, sphere_points(2, 48, extra=[[float(c) for c in net.w]]))
    full = minmax(data.A, data.T, "B", timeout=60)
    assert full.complete and full.lower == full.value
    assert max_error(data.A, data.T, "B", full.subset) == full.value
    for coupled in (True, False):
        for nodes in (1, 5, 40, 300):
            part = minmax(data.A, data.T, "B", max_nodes=nodes, low_bits=6, pair_bound=coupled)
            assert part.lower <= full.value
            assert part.value is None or part.value >= full.value
        bis = search_lower(data.A, data.T, "B", timeout=0.3, coupled=coupled)
        assert bis.lower <= full.value <= bis.value
    r = best_error(net, timeout=60)
    assert r.lower_complete and r.lo <= r.hi and r.hi - r.lo <= Fraction(1, 10**4) * r.hi
    assert r.lo >= lower_from_int(data, full.lower)     # round 1 solves exactly this point set


@pytest.mark.parametrize("big", [10**16, 10**17, 10**60, 10**200])
def test_huge_unit_weights_solved(big):
    """A unit with u = (big, 0) (products up to 1e200): no overflow, no 'bad input'; per-unit
    rescaling (u_i / c, v_i c) gives the same certified interval and decision."""
    w = (Fraction(3, 5), Fraction(4, 5))
    u = ((Fraction(big), Fraction(0)), (Fraction(1, 2), Fraction(1, 2)), (Fraction(1), Fraction(1, 5)))
    v = (Fraction(1), Fraction(1), Fraction(1, 2))
    net = Network("B", w, u, v)
    small = Network("B", w, ((Fraction(1), Fraction(0)),) + u[1:], (Fraction(big),) + v[1:])
    r1 = solve_instance(net, Fraction(1, 2), timeout=20)
    r2 = solve_instance(small, Fraction(1, 2), timeout=20)
    assert r1.achievable is True and r2.achievable is True
    assert (r1.lo, r1.hi, r1.subset) == (r2.lo, r2.hi, r2.subset)
    assert r1.lo <= r1.hi


def test_hopeless_huge_unit_dropped_exactly():
    """A unit far beyond int64 that no good subset can contain is dropped by the root bound, and
    the rest is solved on int64: same optimum as brute force, certified lower bound equal."""
    rng = np.random.default_rng(11)
    for trial in range(10):
        A = rng.integers(-40, 40, size=(7, 5))
        T = rng.integers(0, 50, size=5)
        huge = np.empty((8, 5), dtype=object)
        huge.flat[:] = [int(x) for x in A.flat] + [3**90 * (1 + trial)] * 5
        for model in ("A", "B"):
            want = minmax_plain(A, T, model)
            r = minmax(huge, T, model)
            assert r.complete and r.value == want.value and r.lower == want.value
            assert 7 not in r.subset and r.stats.get("dropped_units") == 1
            dec = minmax(huge, T, model, bound=want.value)          # nothing strictly below the optimum
            assert dec.value is None and dec.complete and dec.lower >= want.value
