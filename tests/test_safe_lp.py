"""Safe LP bounds: the exact weak-duality bound never exceeds the LP optimum, even when the
float dual it starts from would overstate it."""
from fractions import Fraction

import numpy as np

from prunecert.checks.instances.safe_lp import dual_bound, dual_bound_fast, round_dual

# min e  s.t.  e - s >= -3,  e + s >= 7,  s in [0, 10],  e in [0, 100]:  optimum e = 2 at s = 5
G = [[-1, 1], [1, 1]]
g = [-3, 7]
c = [0, 1]
lower, upper = [0, 0], [10, 100]


def test_exact_dual_gives_the_optimum():
    yq = round_dual([0.5, 0.5], 20)
    assert dual_bound(G, g, c, lower, upper, yq, 20) == 2


def test_overstating_float_dual_is_made_safe():
    y = [0.6, 0.6]                       # a wrong dual: the naive value y.g = 2.4 > optimum 2
    naive = sum(a * b for a, b in zip(y, g))
    assert naive > 2
    b = dual_bound(G, g, c, lower, upper, round_dual(y, 30), 30)
    assert b <= 2                        # the safe bound pays for the dual's infeasibility
    assert b == Fraction(24, 10) - Fraction(2, 10) * 100 or b < 2


def test_negative_and_nan_entries_are_dropped_and_infinite_box_needs_sign():
    yq = round_dual([-1.0, float("nan")], 10)
    assert yq == {}
    assert dual_bound(G, g, c, lower, upper, yq, 10) == 0
    # e unbounded above and r_e > 0: still finite; r_e < 0 with +inf upper end: -inf (None)
    assert dual_bound(G, g, c, lower, [10, None], round_dual([0.5, 0.5], 10), 10) == 2
    assert dual_bound(G, g, c, lower, [10, None], round_dual([1.0, 1.0], 10), 10) is None


def test_fast_equals_reference_on_random_duals():
    rng = np.random.default_rng(0)
    Gr = rng.integers(-50, 50, size=(6, 4)).tolist()
    gr = rng.integers(-50, 50, size=6).tolist()
    cr = [1, 0, 2, -1]
    lo, up = [0, -3, 0, 0], [1, 4, 5, 2]
    Gobj = np.array(Gr, dtype=object)
    for _ in range(20):
        yq = round_dual(rng.random(6) * 2 - 0.5, 16)
        assert dual_bound_fast(Gobj, gr, cr, lo, up, yq, 16) == dual_bound(Gr, gr, cr, lo, up, yq, 16) * 2**16
