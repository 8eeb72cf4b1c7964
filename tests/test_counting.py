"""bounds.counting: the counting lower bound, exact; the separation lemma on exact instances."""
from fractions import Fraction

import numpy as np
import pytest

from bounds.counting import weight_pruning_lower_width
from checks.errors import InputError
from checks.network import Network
from checks.superror import sup_error


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
