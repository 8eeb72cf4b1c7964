from fractions import Fraction

import pytest

from prunecert.bounds.random_magnitude import magnitude as mg
from prunecert.checks.errors import InputError


def test_moments_exact():
    assert mg.moments_verified()
    assert mg.prune_probability("1/2", 2) == Fraction(1, 4)
    assert mg.removed_second_moment(1, 3) == Fraction(1, 9)


def test_bad_threshold():
    with pytest.raises(InputError):
        mg.prune_probability(3, 2)
    with pytest.raises(InputError):
        mg.removed_second_moment(-1, 2)


def test_binomial_tail_exact():
    # m = 2, p = 1/2, u = 1/2: |S/2 - 1/2| >= 1/2 iff S in {0, 2}: probability 1/2
    assert mg.binomial_two_sided_tail(2, Fraction(1, 2), Fraction(1, 2)) == Fraction(1, 2)


def test_hoeffding_grid_and_detects_false_bound(monkeypatch):
    r = mg.hoeffding_exact_check(range(1, 16), ["1/10", "1/2", "9/10"], ["1/10", "3/10"])
    assert r["ok"] and r["cases"] == 15 * 6
    # a bound 10x too small must be caught (the check can fail)
    from prunecert.checks.rigorous import arith
    monkeypatch.setattr(mg, "compare3", lambda a, op, b: arith.compare3(a, op, b / 10))
    r = mg.hoeffding_exact_check([5], ["1/2"], ["1/10"])
    assert not r["ok"] and r["counterexample"]["m"] == 5
