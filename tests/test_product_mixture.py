"""Product-mixture lemma (any hidden-weight density) and its Gaussian instance; crossover argument."""
from fractions import Fraction

import sympy as sp

from prunecert.bounds.gap import product_mixture as pm
from prunecert.checks.levels import Level, Tri
from prunecert.checks.rigorous import arith


def test_general_lemma_parts():
    r = pm.density_parts()
    assert r["ok"], r


def test_general_lemma_would_catch_a_wrong_density():
    p = sp.Function("p")
    u, z = sp.symbols("u z", positive=True)
    wrong = sp.Integral(p(u) / 2, (u, 0, z)) + sp.Integral(p(u) * z / (3 * u), (u, z, sp.oo))
    assert sp.simplify(sp.diff(wrong, z) - sp.Integral(p(u) / (2 * u), (u, z, sp.oo))) != 0


def test_instances_and_beta_values():
    assert pm.instance_parts()["ok"]
    bg, bu = pm.beta_ball("gaussian"), pm.beta_ball("uniform")
    assert arith.compare3(bg, ">=", Fraction(161913, 10**6)) is Tri.TRUE
    assert arith.compare3(bg, "<=", Fraction(161914, 10**6)) is Tri.TRUE
    assert arith.compare3(bu, ">", bg) is Tri.TRUE          # ln(2)/4 ~ 0.1733 > 0.1619
    assert pm.beta_series_ball().overlaps(bg)
    # the density of uv itself at 1/2 is twice beta: E1(1/8)/(2 sqrt(2 pi)) ~ 0.32383
    assert abs(float((2 * bg).mid()) - 0.32383) < 1e-5


def test_claim_checks():
    from prunecert.proofs.claims import gap_theorem, gap_upper

    for fn in (gap_upper.check_mixture_general, gap_upper.check_gaussian_beta_arb, gap_upper.check_formula_split,
               gap_theorem.check_crossover_argument):
        assert fn().level is Level.PROVED, fn.__name__
    assert gap_upper.check_gaussian_beta_series().level is Level.PROVED


def test_crossover_conditions_fail_when_kappa_too_large():
    from prunecert.bounds.gap.crossover import neuron_conditions

    nc = neuron_conditions(Fraction(1, 2), Fraction(15), Fraction(1, 2))
    assert nc["q_lt_1"] is not Tri.TRUE or nc["bound_ok"] is not Tri.TRUE
