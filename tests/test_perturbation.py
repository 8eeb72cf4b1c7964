"""Layer-wise perturbation bound: exact leaves, and hunts for violations."""
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from prunecert.bounds.random_magnitude import perturbation as pb
from prunecert.checks.errors import InputError


def test_relu_leaves_proved():
    assert pb.relu_lipschitz() == (True, [])
    assert pb.relu_bounded() == (True, [])


def test_cone_prover_rejects_false_statement():
    a, b = sp.symbols("a b", real=True)
    ok, fails = pb.prove_pl_nonneg(sp.Abs(sp.Max(a, 0) - sp.Max(b, 0)) - sp.Abs(a - b) / 2, [a, b])
    assert not ok and fails
    ok, _ = pb.prove_pl_nonneg(sp.Max(a, 0) - a, [a])   # relu(a) >= a: true
    assert ok
    ok, _ = pb.prove_pl_nonneg(a - sp.Max(a, 0), [a])   # false for a < 0
    assert not ok


def test_identities():
    assert pb.one_layer_identity(2, 3)
    assert all(pb.induction_identity(L) for L in range(1, 5))
    assert pb.geometric_identity(None)
    assert all(pb.lagrange_identity(n) for n in range(1, 5))


def test_induction_identity_detects_wrong_closed_form(monkeypatch):
    orig = pb.bound_closed_form
    monkeypatch.setattr(pb, "bound_closed_form", lambda L: orig(L) * 2)
    assert not pb.induction_identity(2)


def test_exact_linf_search_no_violation():
    r = pb.linf_search_exact(100, seed=5)
    assert r["violations"] == []
    assert 0 < r["max_ratio"] <= 1


def test_forward_exact_shape_error():
    with pytest.raises(InputError):
        pb.forward_exact([[[Fraction(1)]], [[Fraction(1), Fraction(2)]]], [Fraction(1)])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 3), st.floats(1e-3, 1.0))
def test_spectral_bound_holds_on_random_networks(seed, L, scale):
    """Float search (falsifier): actual error at sampled unit vectors never exceeds the bound."""
    rng = np.random.default_rng(seed)
    dims = rng.integers(1, 5, size=L + 1)
    Ws = [rng.normal(size=(dims[i + 1], dims[i])) for i in range(L)]
    Vs = [W + scale * rng.normal(size=W.shape) for W in Ws]
    X = rng.normal(size=(200, dims[0]))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    err = np.linalg.norm(pb.forward_float(Ws, X) - pb.forward_float(Vs, X), axis=1).max()
    assert err <= pb.bound_float(Ws, Vs) * (1 + 1e-9) + 1e-12
