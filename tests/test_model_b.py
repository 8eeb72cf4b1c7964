"""Theorem B and its lemmas: leaves, numerics at random points, Lemma 2 search, width function."""
import math
import random
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from prunecert.bounds.gap import model_b
from prunecert.checks.rigorous import arith
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level, Tri

LEAVES = ["check_slice", "check_cap", "check_cap_pointwise", "check_kinks", "check_density", "check_kernel", "check_window",
          "check_lemma1_chain", "check_lemma2_w", "check_W_integral", "check_series",
          "check_corollary_reparam", "check_corollary_numbers"]


@pytest.mark.parametrize("name", LEAVES)
def test_leaves_prove(name):
    r = getattr(model_b, name)()
    assert r.level is Level.PROVED, (name, r.detail)


def test_corroborations():
    assert model_b.check_lemma2_exhaustive(total=8, max_k=5, random_cases=50).level is Level.CHECKED
    assert model_b.check_jacobian_small_k(4).level is Level.CHECKED
    assert model_b.check_corollary_spot().level is Level.CHECKED


def _relu_sin(t, k):
    return max(mp.sin(t - k), 0)


def test_kernel_against_mpmath():
    mp.mp.dps = 40
    rng = random.Random(3)
    for _ in range(200):
        dl = mp.mpf(rng.uniform(0.01, math.pi / 2 - 0.01))
        k = mp.mpf(rng.uniform(-1, 1))
        m = k + mp.mpf(rng.uniform(-1, 1)) * (mp.pi - dl) * mp.mpf("0.999")
        D = _relu_sin(m - dl, k) + _relu_sin(m + dl, k) - 2 * mp.cos(dl) * _relu_sin(m, k)
        assert abs(D - max(mp.sin(dl - abs(m - k)), 0)) < mp.mpf(10) ** -30
        A, B = mp.mpf(rng.uniform(-3, 3)), mp.mpf(rng.uniform(-3, 3))
        lin = lambda t: A * mp.cos(t) + B * mp.sin(t)  # noqa: E731
        assert abs(lin(m - dl) + lin(m + dl) - 2 * mp.cos(dl) * lin(m)) < mp.mpf(10) ** -30
        # a whole unit sigma(cos(theta - phi)) with its kink kappa in the window
        for phi in (k + mp.pi / 2, k - mp.pi / 2):
            unit = lambda t: max(mp.cos(t - phi), 0)  # noqa: E731
            if abs(m - k) + dl < mp.pi / 2:
                D = unit(m - dl) + unit(m + dl) - 2 * mp.cos(dl) * unit(m)
                assert abs(D - max(mp.sin(dl - abs(m - k)), 0)) < mp.mpf(10) ** -30


def test_density_against_quadrature_and_sampling():
    mp.mp.dps = 30
    for x in (0, 0.3, 1.1, 2.5):
        direct = mp.quad(lambda r: r * mp.exp(-r ** 2 / 2) * (mp.mpf(1) / 2) / r, [max(x, 1e-30), mp.inf])
        closed = mp.sqrt(mp.pi / 8) * mp.erfc(mp.mpf(x) / mp.sqrt(2))
        assert abs(direct - closed) < 1e-20
        assert closed <= mp.sqrt(mp.pi / 8)
    rng = np.random.default_rng(0)
    c = rng.uniform(-1, 1, 200_000) * np.linalg.norm(rng.standard_normal((200_000, 2)), axis=1)
    frac = np.mean(np.abs(c) <= 0.1)
    expected = 2 * mp.quad(lambda x: mp.sqrt(mp.pi / 8) * mp.erfc(x / mp.sqrt(2)), [0, 0.1])
    assert abs(frac - float(expected)) < 0.003       # binomial sd ~ 0.0007
    assert frac <= 0.2 * math.sqrt(math.pi / 8) + 0.003


def test_W_and_series_numerics():
    mp.mp.dps = 30
    for K in (0.01, 0.3, 2.0, 3.0):
        W = mp.quad(lambda g: min(1, K / g), [0, K, mp.pi])
        assert abs(W - K * mp.log(mp.e * mp.pi / K)) < 1e-20
    for q in (0.01, 0.13, 0.5, 0.9):
        qq = mp.mpf(q)
        s = mp.nsum(lambda k: (k + 1) * qq ** k, [1, mp.inf])
        assert abs(s - (2 * qq - qq * qq) / (1 - qq) ** 2) < 1e-15 * (1 + abs(s))


def _lemma2_general(gaps, wfun):
    deltas, assign = model_b.charge(gaps)
    assert len(set(assign)) == len(assign)
    for d, l in zip(deltas, assign):
        assert gaps[l] <= d
    lhs = math.prod(wfun(d) for d in deltas)
    ws = [wfun(g) for g in gaps]
    rhs = sum(math.prod(ws[:i] + ws[i + 1:]) for i in range(len(ws)))
    return lhs, rhs


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fractions(min_value=0, max_value=10), min_size=2, max_size=9),
       st.fractions(min_value=Fraction(1, 100), max_value=20))
def test_lemma2_hypothesis_exact(gaps, K):
    lhs, rhs = model_b.lemma2_sides(gaps, K)
    assert lhs <= rhs
    # also for another nonincreasing [0, 1]-valued w: a step function
    lhs2, rhs2 = _lemma2_general(gaps, lambda t: Fraction(1) if t < K else Fraction(1, 3))
    assert lhs2 <= rhs2


def test_lemma1_monte_carlo():
    """P(all window constraints) <= prod_j w(delta_j) on fixed kinks (Clopper-Pearson upper check)."""
    from scipy.stats import beta

    rng = np.random.default_rng(9)
    eps = 0.05
    b = math.acos(eps)
    kap = np.sort(rng.uniform(-b, b, 3))
    gaps = np.diff(np.r_[-b, kap, b])
    deltas = [min(gaps[j + 1], kap[j] + b) for j in range(3)]
    N = 200_000
    c = rng.uniform(-1, 1, (N, 3)) * np.linalg.norm(rng.standard_normal((N, 3, 2)), axis=2)
    ok = np.ones(N, bool)
    for j in range(3):
        dj = deltas[j]
        s = c[:, j] * math.sin(dj)
        for l in range(j):
            s = s + c[:, l] * max(math.sin(dj - abs(kap[j] - kap[l])), 0)
        ok &= np.abs(s) <= 2 * (1 + math.cos(dj)) * eps
    k = int(ok.sum())
    lo = beta.ppf(1e-6, k, N - k + 1) if k else 0.0
    bound = math.prod(min(1, math.sqrt(8 * math.pi) * eps / d) for d in deltas)
    assert lo <= bound


def test_width_function_contract_and_monotone():
    r = model_b.neuron_width_lower_bound("0.001", "1/2")
    assert set(r) >= {"width", "exponent", "probability", "level"}
    assert isinstance(r["width"], int) and r["exponent"] == "1/(eps*log(1/eps))"
    assert r["level"] == "gap.lower.theorem_B"
    n = r["width"]
    assert arith.compare3(model_b.success_probability_upper(n, "0.001"), "<=", Fraction(1, 2)) is Tri.TRUE
    assert arith.compare3(model_b.success_probability_upper(n + 1, "0.001"), "<=", Fraction(1, 2)) is not Tri.TRUE
    assert Fraction(r["failure_probability_lower"]) >= Fraction(1, 2)
    for e in ("1e-30", "1e-12", "0.003"):
        for p in ("1/2", "0.9"):
            rr = model_b.neuron_width_lower_bound(e, p)
            assert Fraction(rr["failure_probability_lower"]) >= Fraction(p)
    widths = [model_b.neuron_width_lower_bound(e)["width"] for e in ("1/20", "1/100", "1/1000", "1/10000", "1/100000")]
    assert widths == sorted(widths) and widths[-1] > 100
    ws = [model_b.neuron_width_lower_bound("1/10000", p)["width"] for p in ("1/10", "1/2", "9/10", "99/100")]
    assert ws == sorted(ws, reverse=True)


@pytest.mark.parametrize("k", [2, 3, 4, 6, 9])
def test_width_consistent_with_certified_corollary(k):
    eps = Fraction(1, 10 ** k)
    n_cor = math.floor(1 / (20 * float(eps) * math.log(10 ** k)) * (1 - 1e-9))
    r = model_b.neuron_width_lower_bound(eps, "0.64")
    assert r["width"] >= n_cor        # the tight constant does at least as well as the sketch's numeric corollary
    # and the bound function obeys the corollary at its width
    assert arith.compare3(model_b.success_probability_upper(n_cor, eps, constant="reconstructed"),
                          "<=", Fraction(36, 100)) is Tri.TRUE


def test_exponent_is_1_over_eps_log():
    # width * eps * log(1/eps) stays within constant factors as eps -> 0 (not width * eps)
    vals = []
    for k in (4, 6, 8, 10):
        n = model_b.neuron_width_lower_bound(Fraction(1, 10 ** k))["width"]
        vals.append(n * 10 ** -k * k * math.log(10))
    assert max(vals) / min(vals) < 1.5


@pytest.mark.parametrize("eps", [0, -0.1, 1, 1.5, float("nan"), "nan", float("inf"), "x"])
def test_bad_eps(eps):
    with pytest.raises(InputError):
        model_b.neuron_width_lower_bound(eps)
    with pytest.raises(InputError):
        model_b.success_probability_upper(3, eps)


@pytest.mark.parametrize("p", [0, 1, -1, "2", float("nan")])
def test_bad_p_fail(p):
    with pytest.raises(InputError):
        model_b.neuron_width_lower_bound("0.01", p)


def test_registered_claims_levels():
    """The blueprint of proofs/claims/gap_lower.py as `prunecert verify` computes it (evaluated on this
    module alone, so another module's state cannot break it): lemmas and theorems PROVED, the paper
    CLAIMED, no corroboration refutes, every sympy form parses."""
    import sympy as sp

    from prunecert.proofs.claims.gap_lower import CLAIMS
    from prunecert.proofs.registry import combine, run_check, topological_order, validate_graph

    reg = {c.id: c for c in CLAIMS}
    validate_graph(reg)
    levels = {}
    for cid in topological_order(reg, list(reg)):
        c = reg[cid]
        res = [(ch.name, run_check(ch)) for ch in c.checks]
        cor = [(ch.name, run_check(ch)) for ch in c.corroborations]
        levels[cid], why = combine(c, res, cor, levels)
        assert all(r.level is not Level.REFUTED for _, r in res + cor), cid
        if c.sympy:
            sp.sympify(c.sympy)
    for cid in reg:
        if cid != "gap.lower.paper_neuron_omega_1_over_eps":
            assert levels[cid] is Level.PROVED, cid
    assert levels["gap.lower.paper_neuron_omega_1_over_eps"] is Level.CLAIMED
    assert "1/(eps log" in reg["gap.lower.theorem_B"].title
