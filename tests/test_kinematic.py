"""prunecert.bounds.limit.kinematic: a_eta, exact orthant-vs-subspace probabilities, kinematic implications."""
from fractions import Fraction

import numpy as np
import pytest

from prunecert.bounds.limit import kinematic as k
from prunecert.checks.errors import InputError
from prunecert.bounds.limit.l1_recovery import orthant_nullspace_hits
from prunecert.checks.levels import Level
from prunecert.checks.statistics.montecarlo import clopper_pearson


def test_a_eta_value():
    import math

    assert abs(float(k.a_eta("0.01").mid()) - math.sqrt(8 * math.log(400))) < 1e-12
    for bad in ("0", "1", "-0.1"):
        with pytest.raises(InputError):
            k.a_eta(bad)


@pytest.mark.parametrize("d", [1, 2, 3, 4, 9, 20])
def test_crofton_equals_wendel(d):
    for m in range(d + 1):
        assert k.crofton_orthant_probability(d, m) == k.wendel_orthant_probability(d, m)
    assert k.wendel_orthant_probability(d, 0) == 1 and k.wendel_orthant_probability(d, d) == 0


def test_small_cases_by_hand():
    # d = 2, m = 1: a random line through 0 in R^2 meets the quadrant with probability 1/2
    assert k.wendel_orthant_probability(2, 1) == Fraction(1, 2)
    # m = d - 1: a random ray pair (line) meets the orthant with probability 2 * 2^-d
    assert k.wendel_orthant_probability(5, 4) == Fraction(2, 2**5)


def test_orthant_instances_checked():
    r = k.check_orthant_instances(ds=(10, 300, 900), etas=("0.1", "0.01"))
    assert r.level is Level.CHECKED and r.data["instances_applied"] > 0


@pytest.mark.parametrize("d,m", [(10, 3), (12, 6), (16, 9)])
def test_monte_carlo_lp_matches_exact(d, m):
    rng = np.random.default_rng([d, m])
    n = 300
    hits = sum(orthant_nullspace_hits(rng.standard_normal((m, d))) for _ in range(n))
    lo, hi = clopper_pearson(hits, n, 0.99)
    assert lo <= float(k.wendel_orthant_probability(d, m)) <= hi
