"""Weight-mode instances (prunecert.bounds.gap.weight_instance) and the point search behind their
lower bound (prunecert.checks.instances.weight_lower): honest answers, soundness against brute
force, scale-free behaviour, degenerate networks (issue 16)."""
import itertools
import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prunecert.bounds.gap.weight_instance import solve_weight_instance
from prunecert.checks.instances.network import Network, sample
from prunecert.checks.instances.neuron_lower import sphere_points
from prunecert.checks.instances.neuron_subset import solve_instance
from prunecert.checks.instances.superror import sup_error
from prunecert.checks.instances.weight_lower import interval_bound, options, search

F = Fraction


def model_a_reproducing() -> Network:
    """Model A; units 0 and 1 together reproduce relu(<w, x>) exactly (0.5 + 0.25 * 2 = 1)."""
    w = (F(3, 5), F(4, 5))
    u = ((F(3, 5), F(4, 5)), (F(6, 5), F(8, 5)), (F(3, 10), F(-9, 10)), (F(-7, 10), F(1, 5)), (F(1, 2), F(1, 2)))
    v = (F(1, 2), F(1, 4), F(4, 5), F(-3, 5), F(2, 5))
    return Network("A", w, u, v)


def all_masks(net):
    opts = options(net)
    for ch in itertools.product(*[range(len(o) + 1) for o in opts]):
        m = [[0] * net.d for _ in range(net.n)]
        for i, c in enumerate(ch):
            if c:
                m[i] = list(opts[i][c - 1])
        yield m


# ----------------------------------------------------------------------------- acceptance
def test_model_a_weight_and_neuron_agree():
    net = model_a_reproducing()
    wr = solve_weight_instance(net, F(1, 2), timeout=20)
    nr = solve_instance(net, F(1, 2), timeout=20)
    assert wr.achievable is True and nr.achievable is True
    # the weight witness really reaches eps (independent certificate)
    assert sup_error(net, weight_mask=wr.weight_mask).hi <= F(1, 2)
    # the construction does not apply here, and says so under its own name
    c = wr.to_json()["construction"]
    assert c["applicable"] is False and c["reaches_eps"] is None


def test_d3_small_eps_decided_false_fast():
    """The construction's certified error is ~0.47 (d = 3, n = 8); eps = 1e-6 is refuted for
    *every* weight mask by the point search, in well under the old 18 s."""
    net = sample(8, 3, seed=0)
    t = time.perf_counter()
    r = solve_weight_instance(net, F(1, 10**6), timeout=30)
    assert time.perf_counter() - t < 10
    assert r.achievable is False and r.lo > F(1, 10**6)
    js = r.to_json()
    assert js["construction"]["reaches_eps"] is False


def test_achievable_false_only_when_proved():
    """false needs a certified lower bound above eps: never from the construction alone."""
    net = sample(40, 3, seed=1)
    r = solve_weight_instance(net, F(1, 20), timeout=4)
    assert r.achievable is None or (r.achievable is False and r.lo > F(1, 20))
    assert r.lo <= r.hi


# ----------------------------------------------------------------------------- soundness
@pytest.mark.parametrize("seed", range(6))
def test_point_search_matches_brute_force(seed):
    model = "AB"[seed % 2]
    d = 2 + seed % 2
    net = sample(3, d, seed=seed, model=model)
    pts = sphere_points(d, 10)
    best = min(max(net.pruned(weight_mask=m).error_exact(p) for p in pts) for m in all_masks(net))
    r = search(net, pts)
    assert r.complete
    assert r.lower_bound <= best <= F(r.value + r.margin, 1 << r.K)
    # decision form, eps just below and above the optimum on the points
    if best > F(1, 10**6):
        assert search(net, pts, bound_eps=best * F(999, 1000)).value is None
    assert search(net, pts, bound_eps=best * F(1001, 1000) + F(1, 10**9)).value is not None
    # the search-free bound is below the optimum as well
    assert interval_bound(net, pts)[0] <= best


@pytest.mark.parametrize("seed", range(4))
def test_weight_interval_brackets_true_optimum(seed):
    """Brute force over every weight mask (d = 2, exact sup errors): lo <= OPT_w <= hi."""
    net = sample(3, 2, seed=10 + seed, model="AB"[seed % 2])
    errs = [sup_error(net, weight_mask=m, tol=F(1, 10**9)) for m in all_masks(net)]
    opt_lo = min(e.lo for e in errs)
    opt_hi = min(e.hi for e in errs)
    r = solve_weight_instance(net, None, timeout=20)
    assert r.lo <= opt_hi and opt_lo <= r.hi
    assert sup_error(net, weight_mask=r.weight_mask).lo <= r.hi
    for eps in (opt_hi * 2, opt_lo / 2 + F(1, 10**9)):
        a = solve_weight_instance(net, eps, timeout=20).achievable
        assert a is None or a == (eps >= opt_hi)


# ----------------------------------------------------------------------------- degenerate networks
def _net(model, w, u, v):
    return Network(model, tuple(map(F, w)), tuple(tuple(map(F, r)) for r in u), tuple(map(F, v)))


@pytest.mark.parametrize("mode", ["weight", "neuron"])
@pytest.mark.parametrize("net, opt", [
    (_net("B", ["0.6", "0.8"], [], []), F(1)),                                   # n = 0: error ||w||
    (_net("A", ["0", "0", "0"], [["1", "2", "3"]], ["1"]), F(0)),                 # w = 0
    (_net("B", ["0.6", "0.8"], [["0", "0"], ["0", "0"]], ["1", "0"]), F(1)),      # zero rows
    (_net("A", ["0.6", "0.8"], [["0.6", "0.8"], ["1.2", "1.6"], ["0.6", "0.8"]], ["0.5", "0.25", "-1"]), F(0)),
])
def test_degenerate_networks(mode, net, opt):
    """Known optimum opt: eps above it is achievable, eps below it is not (or undecided, never wrong)."""
    solve = (lambda e: solve_weight_instance(net, e, timeout=10)) if mode == "weight" else \
        (lambda e: solve_instance(net, e, timeout=10))
    up = solve(opt + F(1, 100))
    assert up.achievable is True and up.hi <= opt + F(1, 100)
    if opt > 0:
        down = solve(opt - F(1, 100))
        assert down.achievable is False and down.lo > opt - F(1, 100)


# ----------------------------------------------------------------------------- scale-free (property)
@st.composite
def scaled_case(draw):
    seed = draw(st.integers(0, 10**6))
    n = draw(st.integers(1, 3))
    model = draw(st.sampled_from(["A", "B"]))
    k = draw(st.integers(-200, 200))
    return sample(n, 2, seed=seed, model=model), k


def _rescale(net, unit, glob):
    return Network(net.model, tuple(glob * c for c in net.w), tuple(tuple(unit * c for c in r) for r in net.u),
                   tuple(glob * vi / unit for vi in net.v))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scaled_case())
def test_scaling_by_powers_of_ten(case):
    """Per-unit scaling by 10^k (u_i 10^k, v_i 10^-k: the same network) and global scaling of
    (v, w, eps) by 10^-|k|: the certified interval scales by that factor and the decision stays."""
    net, k = case
    g = F(1, 10**abs(k))
    for mode in ("neuron", "weight"):
        solve = solve_instance if mode == "neuron" else solve_weight_instance
        base = solve(net, F(1, 4), timeout=15)
        same = solve(_rescale(net, F(10)**k, F(1)), F(1, 4), timeout=15)
        small = solve(_rescale(net, F(1), g), F(1, 4) * g, timeout=15)
        assert (same.lo, same.hi, same.achievable) == (base.lo, base.hi, base.achievable)
        assert small.achievable == base.achievable
        # the interval scales by g (up to the solver's resolution, 2^-30 relative)
        slack = F(1, 2**30) * max(base.hi, F(1, 10**6))
        assert abs(small.hi / g - base.hi) <= slack and abs(small.lo / g - base.lo) <= slack + F(1, 10**6)
        assert small.lo <= small.hi
