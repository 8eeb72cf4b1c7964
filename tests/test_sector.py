"""K2 sector lemma: chord form, simplification and three-point form against numerics."""
import math
import random
from fractions import Fraction

import mpmath as mp
import pytest
from hypothesis import given, settings, strategies as st

from prunecert.bounds.gap import sector
from prunecert.checks.rigorous import arith
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level


def test_checks_prove():
    for f in (sector.check_chord_reduction, sector.check_simplification, sector.check_three_point,
              sector.check_three_point_vs_chord):
        assert f().level is Level.PROVED, f.__name__
    assert sector.check_spot_arb(samples=50).level is Level.CHECKED


def _val(expr, a, b):
    return mp.mpf(str(expr.subs({sector.a: a, sector.b: b}).evalf(40)))


def test_chain_against_mpmath():
    mp.mp.dps = 40
    rng = random.Random(11)
    for _ in range(30):
        a, b = rng.uniform(1e-3, math.pi / 2), rng.uniform(1e-3, math.pi / 2)
        A, B = mp.mpf(a), mp.mpf(b)
        tp = mp.sin(A) * mp.sin(B) / (mp.sin(A) + mp.sin(B) + mp.sin(A + B))
        ch = mp.sin(A) * mp.sin(B) / (2 * (mp.sin(A) + mp.sin(B)))
        assert abs(_val(sector.three_point_bound_expr, A, B) - tp) < mp.mpf(10) ** -30
        assert abs(_val(sector.chord_bound_expr, A, B) - ch) < mp.mpf(10) ** -30
        assert tp >= ch >= mp.sin(min(A, B)) / 4 - mp.mpf(10) ** -35
        # the sympy simplified form really is sin(min)/4
        assert abs(_val(sector.simplified_bound_expr, A, B) - mp.sin(min(A, B)) / 4) < mp.mpf(10) ** -30


def test_lp_matches_three_point_and_beats_chord():
    for a, b in ((0.3, 0.3), (0.5, 1.2), (1.5, 0.2), (math.pi / 2, math.pi / 2)):
        lp = sector.minimax_lp_float(a, b, points=2001)
        tp = math.sin(a) * math.sin(b) / (math.sin(a) + math.sin(b) + math.sin(a + b))
        ch = 0.5 * math.sin(a) * math.sin(b) / (math.sin(a) + math.sin(b))
        assert lp >= tp - 1e-9          # grid contains -a, 0, b: the three-point bound applies
        assert lp == pytest.approx(tp, abs=1e-5)
    # the chord form is not the exact value: at a = b = pi/2 the truth is 1/2, the chord form 1/4
    assert sector.minimax_lp_float(math.pi / 2, math.pi / 2) == pytest.approx(0.5, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 1570), st.integers(1, 1570))
def test_rigorous_balls_ordered(i, j):
    a, b = Fraction(i, 1000), Fraction(j, 1000)
    tp, ch = sector.three_point_bound(a, b), sector.chord_bound(a, b)
    assert arith.compare3(tp, ">=", ch).value in ("TRUE", "UNDECIDED")
    assert not (tp < ch)
    assert not (ch < arith.amin(arith.ball(a), arith.ball(b)).sin() / 4 - arith.ball(Fraction(1, 10**12)))


@pytest.mark.parametrize("a,b", [(0, 1), (-1, 1), (1, "1.58"), ("nan", 1), (1, 2)])
def test_bad_angles(a, b):
    with pytest.raises(InputError):
        sector.chord_bound(a, b)
