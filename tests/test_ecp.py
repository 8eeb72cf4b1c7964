"""Elimination-compensation closed forms (seed 004): symbolic derivations and property hunts."""
from fractions import Fraction

from hypothesis import given, settings, strategies as st

from prunecert.bounds.elimination import ecp

fr = st.fractions(min_value=-5, max_value=5, max_denominator=7)
pos = st.fractions(min_value=Fraction(1, 7), max_value=5, max_denominator=7)


def test_symbolic_derivations():
    assert ecp.first_order()["ok"]
    assert ecp.first_order_sums_identity(3, 2)["ok"]
    r = ecp.second_order()
    assert r["ok"] and r["matches_reconstructed"]
    assert r["sign_flipped_residual"] == "2*g_b"      # the other sign is not stationary
    assert ecp.linear_last_layer()["ok"]
    assert ecp.several_weights_first_order(2)["ok"]
    assert ecp.several_weights_first_order(2)["scores_additive"] is False
    assert ecp.several_weights_linear(2, 3)["ok"]
    assert ecp.several_weights_second_order(2)["ok"]
    assert ecp.second_order_counterexample_additivity()["differs"]


def test_linear_exact_instances_and_bruteforce():
    assert ecp.linear_last_layer_exact_instances(3, seed=1)["ok"]
    r = ecp.linear_last_layer_bruteforce(5, seed=1)
    assert r["max_abs_db_error"] < 1e-5 and r["max_abs_dL_error"] < 1e-8


def _S(a, x, W, db):
    return sum(an * (db - W * xn) ** 2 for an, xn in zip(a, x))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(pos, fr), min_size=1, max_size=6), fr, fr)
def test_first_order_compensation_never_worse(samples, W, other):
    a = [s[0] for s in samples]
    x = [s[1] for s in samples]
    xt = sum(an * xn for an, xn in zip(a, x)) / sum(a)
    best = _S(a, x, W, W * xt)
    assert best <= _S(a, x, W, 0)           # score <= uncompensated score W^2 ||J_w||^2
    assert best <= _S(a, x, W, other)       # db* is the minimiser
    assert _S(a, x, W, 0) == W ** 2 * sum(an * xn ** 2 for an, xn in zip(a, x))
    assert best == W ** 2 * sum(an * (xn - xt) ** 2 for an, xn in zip(a, x))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(pos, fr, fr), min_size=1, max_size=5), fr, fr)
def test_joint_shift_additive_first_order(samples, W1, W2):
    a = [s[0] for s in samples]
    x1 = [s[1] for s in samples]
    x2 = [s[2] for s in samples]
    A = sum(a)
    joint_target = [W1 * u + W2 * v for u, v in zip(x1, x2)]
    joint = sum(an * t for an, t in zip(a, joint_target)) / A
    singles = W1 * sum(an * u for an, u in zip(a, x1)) / A + W2 * sum(an * v for an, v in zip(a, x2)) / A
    assert joint == singles


@settings(max_examples=200, deadline=None)
@given(fr, fr, fr, fr, fr, pos, fr)
def test_second_order_never_worse(W, gw, gb, Hww, Hwb, Hbb, other):
    def dL(db):
        return -gw * W + gb * db + (Hww * W ** 2 - 2 * Hwb * W * db + Hbb * db ** 2) / 2

    dbs = (Hwb * W - gb) / Hbb
    assert dL(dbs) <= dL(0) and dL(dbs) <= dL(other)
    assert dL(0) - dL(dbs) == (gb - Hwb * W) ** 2 / (2 * Hbb)
