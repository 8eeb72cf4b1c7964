"""prunecert.checks.instances.subset_sum against brute force (hypothesis, n <= 14)."""
import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prunecert.checks.errors import BudgetExceeded, InputError
from prunecert.checks.instances.subset_sum import batch_best_subset_sum, best_subset_sum, eps_net

fr = st.fractions(min_value=-3, max_value=3, max_denominator=50)


def brute_best(values, target):
    best = None
    for r in range(len(values) + 1):
        for S in itertools.combinations(range(len(values)), r):
            e = abs(sum((values[i] for i in S), Fraction(0)) - target)
            if best is None or e < best:
                best = e
    return best


def brute_gap(values, a, b):
    sums = sorted({sum(c, Fraction(0)) for r in range(len(values) + 1) for c in itertools.combinations(values, r)})
    pts = [a, b] + [(x + y) / 2 for x, y in zip(sums, sums[1:]) if a <= (x + y) / 2 <= b]
    return max(min(abs(z - s) for s in sums) for z in pts)


@settings(max_examples=80, deadline=None)
@given(st.lists(fr, min_size=0, max_size=11), fr)
def test_best_matches_brute_force(values, target):
    r = best_subset_sum(values, target)
    assert r.error == brute_best(values, target)
    assert r.total == sum((values[i] for i in r.subset), Fraction(0))
    assert r.error == abs(r.total - target)


@settings(max_examples=60, deadline=None)
@given(st.lists(fr, min_size=0, max_size=8), fr, st.fractions(min_value=0, max_value=2, max_denominator=20),
       st.fractions(min_value=1, max_value=100, max_denominator=100))
def test_eps_net_matches_brute_force(values, a, length, eps):
    b = a + length
    r = eps_net(values, a, b, Fraction(1, 1) / eps)
    g = brute_gap(values, a, b)
    assert r.largest_gap == g
    assert r.is_net == (g <= Fraction(1, 1) / eps)
    assert a <= r.worst_point <= b


def test_eps_net_simple():
    # sums of {1/2, 1/4, 1/8}: 0, 1/8, ..., 7/8 -> covering radius of [0, 1] is 1/8 (at 1)
    r = eps_net(["1/2", "1/4", "1/8"], 0, 1, "1/8")
    assert r.is_net and r.largest_gap == Fraction(1, 8) and r.worst_point == 1
    assert not eps_net(["1/2", "1/4", "1/8"], 0, 1, "1/9").is_net
    with pytest.raises(InputError):
        eps_net(["1"], 1, 0, "0.1")
    with pytest.raises(InputError):
        eps_net(["1"], 0, 1, 0)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(1, 14))
def test_batch_matches_single(seed, k):
    rng = np.random.default_rng(seed)
    V = rng.integers(-10**6, 10**6, size=(7, k))
    T = rng.integers(-10**6, 10**6, size=7)
    masks, errs = batch_best_subset_sum(V, T, chunk=3)
    for row in range(7):
        r = best_subset_sum([int(x) for x in V[row]], int(T[row]))
        assert errs[row] == r.error
        assert abs(int((V[row] * masks[row]).sum()) - int(T[row])) == errs[row]


def test_limits_and_big_numbers():
    with pytest.raises(BudgetExceeded):
        best_subset_sum([1] * 50, 3)
    # integers beyond int64: object path stays exact
    big = [10**30 + 1, 10**30 + 2, 3]
    r = best_subset_sum(big, 2 * 10**30 + 6)
    assert r.error == 0 and r.subset == (0, 1, 2)
