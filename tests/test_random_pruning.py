from fractions import Fraction

import pytest
import sympy as sp

from prunecert.bounds.random_magnitude import random_pruning as rp
from prunecert.checks.errors import InputError
from prunecert.checks.learning.matrices import conv1d_apply, conv1d_matrix, is_partial_permutation, shift_matrices_1d


def test_required_width_certified_and_monotone():
    a = rp.required_width("0.1", "0.1", [2, 3, 1])
    b = rp.required_width("0.05", "0.1", [2, 3, 1])
    c = rp.required_width("0.05", "0.01", [2, 3, 1])
    assert a["N"] < b["N"] < c["N"]
    # the union bound at N holds exactly: M (1 - q)^N <= M exp(-qN) <= delta (checked in floats loosely)
    import math
    q = float(Fraction(c["q_lower"]))
    assert c["M"] * math.exp(-q * c["N"]) <= 0.01 * (1 + 1e-9)
    # eta_lo satisfies P((1+eta)^L - 1) <= eps
    P = math.sqrt(float(Fraction(c["P_squared"])))
    assert P * ((1 + float(Fraction(c["eta_lo"]))) ** c["L"] - 1) <= 0.05


def test_width_formula_matches_number():
    r = rp.required_width("0.1", "0.05", [2, 2])
    f = rp.width_formula("random").subs({rp.eps_s: sp.Rational(1, 10), rp.delta_s: sp.Rational(1, 20), rp.P_s: 2,
                                         rp.L_s: 1, rp.M_s: 4, rp.K_s: 2, rp.p_s: sp.Rational(1, 2)})
    assert 0 <= r["N"] - float(f) <= 1 + 1e-6 * r["N"]   # N is the ceiling (eta rounded down slightly)


def test_bad_inputs():
    with pytest.raises(InputError):
        rp.required_width("0", "0.1")
    with pytest.raises(InputError):
        rp.required_width("0.1", "1")
    with pytest.raises(InputError):
        rp.required_width("0.1", "0.1", K=1)
    with pytest.raises(InputError):
        rp.required_width("0.1", "0.1", method="neuron")
    with pytest.raises(InputError):
        rp.required_width("1000", "0.1", [1, 1])


def test_monte_carlo_acceptance_one_point():
    cert = rp.required_width("0.05", "0.05", method="magnitude")
    r = rp.simulate(cert, 300, seed=3)
    assert r["ok"] and r["cp95"][0] >= 0.95 - 1e-12 or r["successes"] == 300


def test_monte_carlo_detects_too_small_width():
    cert = dict(rp.required_width("0.01", "0.1", [2, 3, 1]))
    cert["N"] = 50   # far below the certified width: matching must fail often
    r = rp.simulate(cert, 200, seed=1)
    assert r["successes"] < 200 and not r["ok"]


def test_conv_helpers():
    assert rp.conv_decomposition_identity()
    assert rp.conv_norm_instances(3, seed=1)["ok"]
    k = [Fraction(1), Fraction(-2), Fraction(1, 2)]
    x = [Fraction(v) for v in (3, 1, -1, 2, 5)]
    T = conv1d_matrix(k, 5, pad=1)
    assert [sum(T[i, j] * x[j] for j in range(5)) for i in range(T.shape[0])] == conv1d_apply(k, x, pad=1)
    assert all(is_partial_permutation(S) for S in shift_matrices_1d(5, 3, 1))
    with pytest.raises(InputError):
        conv1d_matrix(k, 1, pad=0)


def test_conv_layer_constants():
    l = rp.Layer.conv(2, 3, 9)
    assert l.M == 54 and l.c2 == 81 * 6


# --------------------------------------------------------------------------- audit W2: theorem levels
def test_union_bound_step_is_proved_symbolically():
    from prunecert.bounds.random_magnitude.random_pruning import union_bound_step

    r = union_bound_step()
    assert r["ok"] and set(r["parts"]) >= {"value_at_N0", "derivative_negative", "random_width", "magnitude_width"}


def test_union_bound_step_detects_a_wrong_width(monkeypatch):
    """Falsifiability: a width formula off by a factor 2 is not confirmed."""
    import sympy as sp

    import prunecert.bounds.random_magnitude.random_pruning as rp

    real = rp.width_formula
    monkeypatch.setattr(rp, "width_formula", lambda m="random": real(m) / 2 if m == "random" else real(m))
    r = rp.union_bound_step()
    assert not r["ok"] and r["parts"]["random_width"] is False and r["parts"]["magnitude_width"] is True
    assert sp.simplify(real("random") - 2 * rp.width_formula("random")) == 0


def test_theorems_rest_on_lemmas_and_grid_is_an_instance_check():
    from prunecert.checks.levels import Level
    from prunecert.proofs.claims.seed002 import check_grid_magnitude
    from prunecert.proofs.registry import all_claims

    reg = all_claims()
    for cid in ("seed002.theorem.random", "seed002.theorem.magnitude"):
        c = reg[cid]
        assert c.checks == () and c.proof and "seed002.union_bound" in c.proof_uses
        assert {"seed002.perturbation", "seed002.matching"} <= set(c.proof_uses)
        assert any(ch.name == "certified-grid-instances" for ch in c.corroborations)
    assert check_grid_magnitude().level is Level.CHECKED
