"""Status propagation of the claim registry: levels are computed, never stored."""
import pytest

from prunecert.checks.errors import CycleError
from prunecert.checks.levels import Level
from prunecert.checks.result import CheckResult
from prunecert.proofs.registry import Check, Claim, combine, topological_order


def ok(level):
    return CheckResult(level, "test")


def claim(**kw):
    base = dict(id="x", title="x", statement="x", source="new", proof="docs/x.md")
    base.update(kw)
    return Claim(**base)


def test_no_checks():
    assert combine(claim(), [], [], {})[0] is Level.UNKNOWN
    assert combine(claim(source="seed 001"), [], [], {})[0] is Level.CLAIMED


def test_weakest_leaf_and_refutation():
    c = claim(checks=(Check("a", lambda: None), Check("b", lambda: None)))
    assert combine(c, [("a", ok(Level.PROVED)), ("b", ok(Level.PROVED))], [], {})[0] is Level.PROVED
    assert combine(c, [("a", ok(Level.PROVED)), ("b", ok(Level.EVIDENCE))], [], {})[0] is Level.EVIDENCE
    assert combine(c, [("a", ok(Level.PROVED)), ("b", ok(Level.REFUTED))], [], {})[0] is Level.REFUTED
    assert combine(c, [("a", ok(Level.PROVED)), ("b", None)], [], {})[0] is Level.UNKNOWN


def test_proved_needs_written_glue():
    c = claim(proof=None, checks=(Check("a", lambda: None),))
    assert combine(c, [("a", ok(Level.PROVED))], [], {})[0] is Level.UNKNOWN


def test_dependencies_cap_level():
    c = claim(checks=(Check("a", lambda: None),), proof_uses=("y",))
    assert combine(c, [("a", ok(Level.PROVED))], [], {"y": Level.CHECKED})[0] is Level.CHECKED
    assert combine(c, [("a", ok(Level.PROVED))], [], {"y": Level.REFUTED})[0] is Level.UNKNOWN
    assert combine(c, [("a", ok(Level.PROVED))], [], {"y": Level.PROVED})[0] is Level.PROVED


def test_corroboration_only_refutes():
    c = claim(checks=(Check("a", lambda: None),), corroborations=(Check("mc", lambda: None),))
    assert combine(c, [("a", ok(Level.PROVED))], [("mc", ok(Level.EVIDENCE))], {})[0] is Level.PROVED
    assert combine(c, [("a", ok(Level.PROVED))], [("mc", ok(Level.REFUTED))], {})[0] is Level.REFUTED


def test_cycle_rejected():
    reg = {"a": claim(id="a", uses=("b",)), "b": claim(id="b", proof_uses=("a",))}
    with pytest.raises(CycleError, match="cycle"):
        topological_order(reg, ["a"])


def test_pure_composition_takes_its_lemmas_level():
    c = claim(proof_uses=("y", "z"))
    assert combine(c, [], [], {"y": Level.PROVED, "z": Level.PROVED})[0] is Level.PROVED
    assert combine(c, [], [], {"y": Level.PROVED, "z": Level.CHECKED})[0] is Level.CHECKED
    # without a written argument it is not a composition
    assert combine(claim(proof=None, proof_uses=("y",)), [], [], {"y": Level.PROVED})[0] is Level.UNKNOWN
    # only statement uses (no proof_uses): not a composition either
    assert combine(claim(source="seed 001", uses=("y",)), [], [], {"y": Level.PROVED})[0] is Level.CLAIMED
