"""Hypotheses are code: every claim-backed calculator refuses parameters outside its claim's
hypotheses (HypothesisError, an InputError; CLI exit 3) and never reports a number there.

The property test draws parameters inside and outside the hypotheses of every claim-backed
calculator of the gap (seeded draws) and decides "outside" from the *registered* predicates of
the backing claim, so the calculators and the registry cannot drift apart."""
from __future__ import annotations

import random
from fractions import Fraction

import pytest

from prunecert.checks.errors import InputError
from prunecert.checks.hypotheses import Hypothesis, HypothesisError, require, violated
from prunecert.proofs import all_claims


def test_require_names_the_violated_hypothesis():
    hs = (Hypothesis("d >= 2", ("d",), lambda d: d >= 2, integers=("d",)),
          Hypothesis("0 < eps < 1", ("eps",), lambda eps: 0 < eps < 1))
    require(hs, "demo", d=2, eps="1/2")
    with pytest.raises(HypothesisError, match=r"demo: needs d >= 2 \(got d = 1\)"):
        require(hs, "demo", d=1, eps="1/2")
    with pytest.raises(HypothesisError, match="0 < eps < 1"):
        require(hs, "demo", d=3, eps="1")
    assert violated(hs, {"d": 5}) == []
    with pytest.raises(InputError):                 # not an integer
        require(hs, "demo", d="5/2")


def test_registry_predicates_are_among_the_hypotheses():
    reg = all_claims()
    with_preds = [c for c in reg.values() if c.predicates]
    assert {"gap.lower.theorem_B", "gap.upper.width", "gap.lower.theorem_A"} <= {c.id for c in with_preds}
    for c in with_preds:
        for h in c.predicates:
            assert h.text in c.hypotheses


def _calculators():
    from prunecert.bounds.gap import calculator, counting, model_a, model_b, weight_pruning

    def nb(v):   # theorem B width (dict result with its claim)
        return model_b.neuron_width_lower_bound(v["eps"], p_fail=v["p_fail"], d=v["d"])

    def nb_prob(v):
        return model_b.success_probability_upper(v["n"], v["eps"], d=v["d"])

    def na(v):
        return model_a.success_probability_upper(v["n"], v["eps"], d=v["d"])

    def na_sharp(v):
        return model_a.success_probability_upper(v["n"], v["eps"], sharp=True, d=v["d"])

    def wp(v):
        return weight_pruning.required_width(v["eps"], v["delta"], v["d"])

    def cnt(v):
        return counting.weight_pruning_lower_width(v["eps"], v["d"], v["p"])

    def row(v):
        return calculator.gap_row(v["eps"], d=v["d"], delta=v["delta"])

    def cross(v):
        return calculator.crossover(v["d"], v["delta"], v["p_fail"])

    return [
        (cross, "gap.theorem", ("d", "delta", "p_fail")),
        (nb, "gap.lower.theorem_B", ("eps", "p_fail", "d")),
        (nb_prob, "gap.lower.theorem_B", ("n", "eps", "d")),
        (na, "gap.lower.theorem_A", ("n", "eps", "d")),
        (na_sharp, "gap.lower.theorem_A_sharp", ("n", "eps", "d")),
        (wp, "gap.upper.width", ("eps", "delta", "d")),
        (cnt, "gap.upper.counting_lower", ("eps", "d", "p")),
        (row, ("gap.theorem", "gap.lower.theorem_B", "gap.upper.width_gaussian"), ("eps", "d", "delta")),
    ]


def _draw(rng: random.Random, name: str):
    if name == "d":
        return rng.choice([-1, 0, 1, 1, 2, 2, 3, 5, 10])
    if name == "n":
        return rng.choice([-3, -1, 0, 1, 2, 7, 40, 1000])
    # probabilities and accuracies: inside, on the boundary and outside (0, 1)
    return rng.choice(["-1/10", "0", "1e-5", "1/1000", "1/50", "1/5", "1/4", "3/10", "1/2", "9/10", "1",
                       "3/2"])


@pytest.mark.parametrize("seed", [0, 1])
def test_nothing_outside_the_hypotheses_is_reported(seed):
    reg = all_claims()
    rng = random.Random(seed)
    inside_seen = outside_seen = 0
    for fn, ids, params in _calculators():
        ids = (ids,) if isinstance(ids, str) else ids
        preds = [h for i in ids for h in reg[i].predicates]
        for _ in range(14):
            v = {p: _draw(rng, p) for p in params}
            bad = violated(preds, v)
            if bad:
                outside_seen += 1
                with pytest.raises(InputError):
                    fn(v)
            else:
                inside_seen += 1
                out = fn(v)
                assert out is not None
    assert inside_seen > 10 and outside_seen > 10


def test_calculator_errors_name_the_hypothesis():
    from prunecert.bounds.gap import model_b, weight_pruning

    with pytest.raises(HypothesisError, match="d >= 2"):
        model_b.neuron_width_lower_bound(Fraction(1, 100), d=1)
    with pytest.raises(HypothesisError, match="0 < delta < 1"):
        weight_pruning.required_width("0.1", "1", 2)
