"""Counterexample search engine and the instance properties (they must be able to fire)."""
from dataclasses import replace

import pytest

from bounds.gap_search import PROPERTIES, isolated_kink_violation, window_violation
from checks.counterexample import FAMILIES, make_instance, search
from checks.errors import InputError
from checks.neuron_subset import best_error


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
