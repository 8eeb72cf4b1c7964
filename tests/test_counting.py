"""prunecert.bounds.gap.counting: the counting lower bound, exact; the separation lemma on exact instances."""
from fractions import Fraction

import numpy as np
import pytest

from prunecert.bounds.gap.counting import weight_pruning_lower_width
from prunecert.checks.errors import InputError
from prunecert.checks.instances.network import Network
from prunecert.checks.instances.superror import sup_error


def test_lower_width_minimal():
    for e in ("0.1", "0.01", "1e-5"):
        for dd in (1, 2, 5):
            for p in (1, Fraction(1, 2)):
                n = weight_pruning_lower_width(e, dd, p)
                q = Fraction(e)
                assert 2 ** (n * (dd + 1)) * (4 * q) ** dd >= p
                assert n == 0 or Fraction(2) ** ((n - 1) * (dd + 1)) * (4 * q) ** dd < p
    assert weight_pruning_lower_width("0.3", 2) == 0
    assert weight_pruning_lower_width("1e-9", 1) > weight_pruning_lower_width("1e-3", 1)


def test_bad_input():
    with pytest.raises(InputError):
        weight_pruning_lower_width(0, 2)
    with pytest.raises(InputError):
        weight_pruning_lower_width("0.1", 0)
    with pytest.raises(InputError):
        weight_pruning_lower_width("0.1", 2, 2)


def test_separation_exact_d2():
    rng = np.random.default_rng(3)
    for _ in range(50):
        w = tuple(Fraction(int(x), 100) for x in rng.integers(-70, 71, 2))
        wp = tuple(Fraction(int(x), 100) for x in rng.integers(-70, 71, 2))
        R = sup_error(Network("A", w, (wp,), (Fraction(1),))).sup_squared
        assert R >= sum((a - b) ** 2 for a, b in zip(w, wp)) / 4
    # sharp: w' = -w
    R = sup_error(Network("A", (Fraction(1), Fraction(0)), ((Fraction(-1), Fraction(0)),), (Fraction(1),))).sup_squared
    assert R == 1


# --------------------------------------------------------------------------- audit W2: symbolic leaf
def test_counting_equivalence_symbolic():
    from prunecert.bounds.gap.counting import counting_equivalence

    r = counting_equivalence()
    assert r["ok"] and all(r["parts"].values()) and len(r["parts"]) == 5


def test_counting_equivalence_detects_a_wrong_formula(monkeypatch):
    """Falsifiability: a bound with d + 2 in place of d + 1 is not confirmed."""
    import prunecert.bounds.gap.counting as bc

    monkeypatch.setattr(bc, "lower_width_formula",
                        lambda: (bc.d * bc.sp.log(1 / (4 * bc.eps), 2) + bc.sp.log(bc.p, 2)) / (bc.d + 2))
    r = bc.counting_equivalence()
    assert not r["ok"] and r["parts"]["p_equals_1"] is False and r["parts"]["log_identity"] is True


def test_counting_claims_rest_on_the_symbolic_leaf():
    from prunecert.checks.levels import Level
    from prunecert.proofs.claims.gap_upper import check_counting_numbers
    from prunecert.proofs.registry import all_claims

    reg = all_claims()
    for cid in ("gap.upper.counting_lower", "gap.upper.log_optimal"):
        assert [ch.run.__name__ for ch in reg[cid].checks] == ["check_counting_equivalence"]
        assert [ch.name for ch in reg[cid].corroborations] == ["numbers"]
    assert check_counting_numbers().level is Level.CHECKED
