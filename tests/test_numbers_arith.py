"""The exact-number and ball-arithmetic layer against exact rationals."""
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prunecert.checks.rigorous.arith import (absval, amax, amin, ball, certified_decimal, compare3, exact_endpoints,
                          interval, relu, workprec)
from prunecert.checks.errors import BoxError, InputError
from prunecert.checks.levels import Level, Tri, weakest
from prunecert.checks.rigorous.numbers import fraction_to_decimal, parse_box, to_fraction

fracs = st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6)


def contains(x, q: Fraction) -> bool:
    lo, hi = exact_endpoints(x)
    return lo <= q <= hi


def test_to_fraction_forms():
    assert to_fraction("1/100") == Fraction(1, 100)
    assert to_fraction("0.01") == Fraction(1, 100)
    assert to_fraction("1e-9") == Fraction(1, 10**9)
    assert to_fraction(" -3/7 ") == Fraction(-3, 7)
    assert to_fraction(0.1) == Fraction(3602879701896397, 36028797018963968)  # exact binary value
    assert to_fraction(5) == 5


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "1/0", "abc", "", "1,2", float("nan"), float("inf"), True, None])
def test_to_fraction_rejects(bad):
    with pytest.raises(InputError):
        to_fraction(bad)


def test_parse_box():
    assert parse_box("[1/100,2]") == (Fraction(1, 100), 2)
    with pytest.raises(InputError, match="reversed"):
        parse_box("[1,0]")
    with pytest.raises(InputError):
        parse_box("[0,nan]")
    with pytest.raises(InputError):
        parse_box("[0]")


def test_decimal_directed_rounding():
    q = Fraction(1, 3)
    assert fraction_to_decimal(q, 5, "down") == "0.33333"
    assert fraction_to_decimal(q, 5, "up") == "0.33334"


@given(fracs, fracs)
@settings(max_examples=300, deadline=None)
def test_interval_contains_endpoints_and_helpers_sound(a, b):
    lo, hi = min(a, b), max(a, b)
    x = interval(lo, hi)
    pts = [lo, hi, (lo + hi) / 2]
    for p in pts:
        assert contains(x, p)
        assert contains(relu(x), max(p, Fraction(0)))
        assert contains(absval(x), abs(p))
    # relu and abs never contain negative numbers beyond rounding of 0
    assert exact_endpoints(relu(x))[0] >= 0
    assert exact_endpoints(absval(x))[0] >= 0


@given(fracs, fracs, fracs, fracs)
@settings(max_examples=300, deadline=None)
def test_max_min_sound(a, b, c, d):
    x, y = interval(min(a, b), max(a, b)), interval(min(c, d), max(c, d))
    for p in (a, b):
        for q in (c, d):
            assert contains(amax(x, y), max(p, q))
            assert contains(amin(x, y), min(p, q))


@given(fracs, fracs)
@settings(max_examples=300, deadline=None)
def test_compare3_never_wrong(a, b):
    x, y = ball(a), ball(b)
    for op, truth in [(">", a > b), (">=", a >= b), ("<", a < b), ("<=", a <= b)]:
        r = compare3(x, op, y)
        if r is Tri.TRUE:
            assert truth
        if r is Tri.FALSE:
            assert not truth


def test_equal_balls_undecided_and_python_max_trap():
    third = ball(1) / 3
    assert compare3(third, "==", third) is Tri.UNDECIDED
    # Python's max(0, ball) is unsound; ours is not
    x = interval(-1, 2)
    assert contains(relu(x), Fraction(2))


def test_reversed_interval_rejected():
    with pytest.raises(BoxError):
        interval(1, 0)


def test_tri_is_not_bool():
    with pytest.raises(TypeError):
        bool(Tri.TRUE)
    assert (Tri.TRUE & Tri.UNDECIDED) is Tri.UNDECIDED
    assert (Tri.FALSE | Tri.TRUE) is Tri.TRUE


def test_workprec_restores_precision():
    from flint import ctx

    before = ctx.prec
    with workprec(200):
        assert ctx.prec == 200
    assert ctx.prec == before
    with pytest.raises(InputError):
        with workprec(3):
            pass


def test_certified_decimal():
    from flint import arb

    with workprec(400):
        s = certified_decimal(arb.pi(), 50)
    assert s.startswith("3.14159265358979323846264338327950288419716939937")
    assert certified_decimal(ball(1) / 3, 40) is None  # 53-bit ball is too wide for 40 digits


def test_weakest():
    assert weakest([Level.PROVED, Level.EVIDENCE]) is Level.EVIDENCE
    assert weakest([Level.PROVED, Level.REFUTED]) is Level.REFUTED
