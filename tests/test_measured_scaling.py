"""The stated test of gap.lower.measured_neuron_scaling can fail: a wrong constant is rejected (UNKNOWN
with "came out AGAINST", never REFUTED: a statistical rejection is not a counterexample)."""
from fractions import Fraction

from prunecert.bounds.gap import gap_fit
from prunecert.checks.levels import Level


def test_stated_test_can_fail_and_pass():
    bad = gap_fit.check_neuron_scaling(widths=(6,), seeds=2, c0=1000)
    assert bad.level is Level.UNKNOWN and "came out AGAINST the claim" in bad.detail
    assert bad.witness is None
    ok = gap_fit.check_neuron_scaling(widths=(6,), seeds=2, c0=Fraction(1, 10**9))
    assert ok.level is Level.EVIDENCE and "stated test passed" in ok.detail and "75.0%" in ok.detail


def test_fit_comparison_prefers_the_true_law():
    pts = [(n, 3.0 / n) for n in (8, 12, 16, 20, 24)]
    assert gap_fit._fit_compare(pts)["best"] == "c/n"
    pts = [(n, 3.0 / n ** 2) for n in (8, 12, 16, 20, 24)]
    assert gap_fit._fit_compare(pts)["best"] == "c/(n log n)"      # the fastest of the three forms
