"""Counterexample search engine and the instance properties (they must be able to fire)."""
from dataclasses import replace

import pytest

from prunecert.bounds.gap.gap_search import PROPERTIES, isolated_kink_violation, window_violation
from prunecert.checks.instances.counterexample import FAMILIES, make_instance, search
from prunecert.checks.errors import InputError
from prunecert.checks.instances.neuron_subset import best_error


def test_families_are_valid_networks():
    for fam in FAMILIES:
        for d in (2, 3):
            net = make_instance(fam, 6, d, seed=3)
            assert net.n == 6 and net.d == d and sum(c * c for c in net.w) <= 1
    with pytest.raises(InputError):
        make_instance("nope", 4, 2, 0)


def test_search_runs_and_finds_nothing_on_true_properties():
    rep = search(PROPERTIES, families=("gauss_u_unif_v", "w_near_hidden"), widths=(6,), dims=(2, 3), budget=60)
    assert rep.instances == 4 and rep.checks == 8 and rep.findings == [] and rep.complete


def test_properties_fire_when_eps_is_too_small():
    """Falsifiability: with a fake 'certified error' 20x too small the constraints must break."""
    fired = [0, 0]
    for s in range(8):
        net = make_instance("gauss_u_unif_v", 10, 2, seed=s)
        r = best_error(net, timeout=20)
        if not r.subset:
            continue
        assert window_violation(net, r) is None and isolated_kink_violation(net, r) is None
        fake = replace(r, hi=r.hi / 20)
        fired[0] += window_violation(net, fake) is not None
        fired[1] += isolated_kink_violation(net, fake) is not None
    assert fired[0] >= 3 and fired[1] >= 3


def test_a_finding_keeps_the_instance():
    rep = search({"always": lambda net, res: {"why": "test"}}, families=("uniform",), widths=(4,), dims=(2,))
    assert len(rep.findings) == 1
    f = rep.findings[0].to_json()
    assert f["network"]["model"] == "B" and f["detail"] == {"why": "test"} and "best_error" in f["solver"]


def test_search_bad_input():
    with pytest.raises(InputError):
        search({}, widths=(4,))
    with pytest.raises(InputError):
        search(PROPERTIES, widths=(20,))


# --------------------------------------------------------------------------- undecided comparisons (audit W1)
from fractions import Fraction  # noqa: E402

import prunecert.bounds.gap.gap_search as gs  # noqa: E402
from prunecert.checks.levels import Level, Tri  # noqa: E402
from prunecert.checks.instances.network import Network  # noqa: E402


def test_search_check_is_checked_only_with_every_comparison_decided():
    r = gs.check_search(widths=(5,), dims=(2,), families=("gaussian", "w_near_hidden"))
    assert r.level is Level.CHECKED
    assert r.data["comparisons"] > 0 and r.data["undecided_comparisons"] == 0


def test_forced_undecided_comparison_gives_unknown(monkeypatch):
    """Every arb comparison forced UNDECIDED: no violation can be certain, and the check must say
    UNKNOWN with the count, never CHECKED."""
    monkeypatch.setattr(gs, "_cmp", lambda a, op, b: Tri.UNDECIDED)
    r = gs.check_search(widths=(5,), dims=(2,), families=("gaussian",))
    assert r.level is Level.UNKNOWN
    assert r.data["undecided_comparisons"] >= 1 and "undecided" in r.detail
    assert r.data["max_precision_bits"] == gs.PRECISIONS[-1]     # the whole ladder was tried


def test_undecided_comparison_is_redecided_at_higher_precision(monkeypatch):
    """A comparison undecided at the first precision only is re-decided by the ladder."""
    real = gs._cmp
    from flint import ctx

    def flaky(a, op, b):
        return Tri.UNDECIDED if ctx.prec <= gs.PRECISIONS[0] else real(a, op, b)

    monkeypatch.setattr(gs, "_cmp", flaky)
    net = make_instance("gaussian", 5, 2, seed=521)
    res = best_error(net, timeout=20)
    assert res.subset                                # a nonempty subset: the property has work to do
    out = gs.window_check(net, res)
    assert out["undecided"] == 0 and out["prec"] == gs.PRECISIONS[1] and out["comparisons"] > 0


def test_kink_exactly_at_cap_edge_stays_undecided():
    """A genuine undecidable case: w = e1, eps = hi = 0 (cap = [-pi/2, pi/2]) and a kept unit u = e1
    whose kinks sit exactly at +-pi/2; arb can never place them, so the property is not decided."""
    net = Network("B", (Fraction(1), Fraction(0)), ((Fraction(1), Fraction(0)),), (Fraction(1),))
    res = replace(best_error(net, timeout=20), hi=Fraction(0), subset=(0,))
    out = gs.isolated_kink_check(net, res)
    assert out["violation"] is None and out["undecided"] >= 1 and out["prec"] == gs.PRECISIONS[-1]
    tally = {}
    assert gs.isolated_kink_violation(net, res, tally=tally) is None and tally["undecided"] >= 1


def test_search_with_the_milp_solver_at_a_width_beyond_the_exact_search():
    from prunecert.bounds.gap.gap_search import check_search
    from prunecert.checks.levels import Level

    r = check_search(widths=(16,), dims=(2,), families=("gaussian",), solver="milp", solver_timeout=30,
                     budget=120)
    assert r.level == Level.CHECKED, r.detail
    assert r.data["config"]["solver"] == "milp" and r.data["instances"] == 1


def test_theorem_A_frequency_at_width_64_is_a_test_that_could_fail():
    """30 networks at n = 64 decided by the certified MILP-assisted solver: EVIDENCE only because
    none of them reaches eps = 1/1000 (a single certified success would leave the 99% upper
    confidence bound above Theorem A's 0.163, and the answer would not be EVIDENCE)."""
    from prunecert.bounds.gap import gap_search
    from prunecert.checks.levels import Level

    r = gap_search.check_theorem_A_frequency_wide()
    assert r.data["solver"] == "milp" and r.data["n"] == 64 and r.data["samples"] == 30
    assert r.data["undecided"] == 0
    assert (r.level is Level.EVIDENCE) == (r.data["certified_successes"] == 0)
    assert r.data["cp_upper_0.99"] <= r.data["theorem_bound_upper"] or r.level is not Level.EVIDENCE


@pytest.mark.slow
def test_theorem_B_frequency_at_width_128():
    from prunecert.bounds.gap import gap_search
    from prunecert.checks.levels import Level

    r = gap_search.check_theorem_B_frequency_wide()
    assert r.data["n"] == 128 and r.data["undecided"] == 0
    assert r.level in (Level.EVIDENCE, Level.UNKNOWN, Level.REFUTED)
    assert (r.level is Level.EVIDENCE) == (r.data["cp_upper_0.99"] <= r.data["theorem_bound_upper"])
