"""prunecert.bounds.gap.weight_pruning / prunecert.bounds.gap.subset_sum_lemma: certified widths, formula consistency, lemma pieces."""
from fractions import Fraction

import math
import pytest
import sympy as sp

from prunecert.bounds.gap.subset_sum_lemma import failure_bound, phase1_steps
from prunecert.bounds.gap.weight_pruning import d, delta, eps, phase1_K, required_width, width_details, width_formula
from prunecert.checks.rigorous.arith import upper_fraction
from prunecert.checks.errors import InputError


@pytest.mark.parametrize("e, dl, dd", [("0.1", "0.1", 1), ("0.05", "0.1", 2), ("0.01", "0.01", 3)])
def test_required_width_certified_and_minimal_split(e, dl, dd):
    c = width_details(e, dl, dd)
    assert c.n == 2 * dd * (c.T1 + c.T2) == required_width(e, dl, dd)
    # the certified inequality holds, and T1 - 1 (same T2) would violate the float version
    assert upper_fraction(4 * dd * failure_bound(c.K, c.T1, c.T2)) <= Fraction(dl)
    b = math.log(2) / 4
    f = lambda t1, t2: 4 * dd * (2**c.K * (1 - b / 14) ** t1 + (1 - b / 4) ** t2)  # noqa: E731
    assert f(c.T1 - 1, c.T2) > float(Fraction(dl)) * (1 - 1e-9)
    # the closed form (delta split evenly) is never smaller than the searched width
    val = width_formula().subs({eps: sp.Rational(e), delta: sp.Rational(dl), d: dd})
    assert int(val) >= c.n


def test_monotone_in_eps_and_delta():
    ws = [required_width(e, "0.1", 2) for e in ("0.1", "0.01", "0.001")]
    assert ws[0] < ws[1] < ws[2]
    # linear growth in ln(1/eps): equal increments per decade up to rounding
    assert abs((ws[2] - ws[1]) - (ws[1] - ws[0])) < 0.1 * (ws[1] - ws[0])
    assert required_width("0.1", "0.01", 2) > required_width("0.1", "0.1", 2)


def test_phase1_K_exact():
    for e, dd in ((Fraction(1, 10), 2), (Fraction(1, 1000), 5)):
        K = phase1_K(e, dd)
        ep = e / sp.sqrt(dd)
        assert (ep / 2) * sp.Rational(9, 8) ** K >= sp.Rational(1, 4)
        assert K == 0 or (ep / 2) * sp.Rational(9, 8) ** (K - 1) < sp.Rational(1, 4)
    assert phase1_steps(1, Fraction(1, 2)) == 0
    assert phase1_steps(1, Fraction(1, 20)) == math.ceil(math.log(10) / math.log(9 / 8))


def test_bad_input():
    for args in (("0", "0.1", 2), ("0.1", "1", 2), ("0.1", "0.1", 0), ("2", "0.1", 2)):
        with pytest.raises(InputError):
            required_width(*args)


def test_lemma_bound_against_simulation():
    """Sanity floor: for items U[-1,1] and |z| <= 1, one item alone lands within 1/4 of z with
    probability >= 1/8 (an interval of length 1/2, at least 1/4 of it inside [-1,1], density 1/2), so the
    exact best subset sum of 12 items is within 1/4 with probability >= 1 - (7/8)^12."""
    import numpy as np
    from prunecert.checks.instances.subset_sum import batch_best_subset_sum

    rng = np.random.default_rng(0)
    V = np.round(rng.uniform(-1, 1, size=(4000, 12)) * 10**6).astype(np.int64)
    z = np.round(rng.uniform(-1, 1, size=4000) * 10**6).astype(np.int64)
    _, err = batch_best_subset_sum(V, z)
    assert (err <= 10**6 // 4).mean() >= 1 - (7 / 8) ** 12


# --------------------------------------------------------------------------- audit W2: Cauchy-Schwarz, every d
def test_cauchy_schwarz_leaf_symbolic_length():
    from prunecert.checks.levels import Level
    from prunecert.proofs.claims.gap_upper import cauchy_schwarz_parts, check_cauchy_schwarz_all_d

    assert cauchy_schwarz_parts()["ok"]
    assert check_cauchy_schwarz_all_d().level is Level.PROVED
    for wrong in (-1, -3, 2):                 # a wrong coefficient of B must not be "proved"
        r = cauchy_schwarz_parts(rhs_B_coeff=wrong)
        assert not r["ok"] and r["parts"]["sum_expansion_symbolic_n"] is False


def test_construction_leaves_cover_every_d():
    from prunecert.proofs.registry import all_claims

    c = all_claims()["gap.upper.construction"]
    names = [ch.name for ch in c.checks]
    assert "cauchy_schwarz_all_d" in names and not any("d3" in n for n in names)
    w = all_claims()["gap.upper.width"]
    assert "width_numbers" not in [ch.name for ch in w.checks]
    assert "width_numbers" in [ch.name for ch in w.corroborations]
