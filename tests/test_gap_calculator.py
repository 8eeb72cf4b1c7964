"""`prunecert gap` / prunecert.bounds.gap.calculator: neuron lower width vs weight upper width."""
from __future__ import annotations

import importlib
import json
import sys
import types
from fractions import Fraction

import pytest

from prunecert.bounds.gap import calculator as gap
from prunecert.cli import main


def _have(modname, attr):
    try:
        return hasattr(importlib.import_module(modname), attr)
    except ImportError:
        return False


HAVE_LOWER = _have("prunecert.bounds.gap.model_b", "neuron_width_lower_bound")
HAVE_UPPER = _have("prunecert.bounds.gap.weight_pruning", "required_width")
real = pytest.mark.skipif(not (HAVE_LOWER and HAVE_UPPER),
                          reason="prunecert.bounds.gap.weight_pruning.required_width or prunecert.bounds.gap.model_b.neuron_width_lower_bound "
                                 "(CONTRACTS.md) not implemented yet")


def test_bad_input(capsys):
    assert main(["gap", "--eps", "0"]) == 3
    assert main(["gap", "--eps", "nan"]) == 3
    assert main(["gap", "--eps", "0.1", "--delta", "1.5"]) == 3
    assert main(["gap", "--eps", "0.1", "--d", "0"]) == 3
    assert main(["gap", "--eps", "abc"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and "eps" in err


def test_d1_is_outside_theorem_B(capsys):
    """Theorem B assumes d >= 2 (in d = 1 neuron pruning is a subset-sum problem): refused, exit 3."""
    assert main(["gap", "--eps", "1e-6", "--d", "1"]) == 3
    captured = capsys.readouterr()
    assert "d >= 2" in captured.err and "Traceback" not in captured.err
    assert "PROVED" not in captured.out
    from prunecert.checks.errors import InputError

    with pytest.raises(InputError, match="d >= 2"):
        gap.gap_row("1e-6", d=1)


def test_grid():
    g = gap.eps_grid("1e-4")
    assert g == [Fraction(1, 10), Fraction(1, 100), Fraction(1, 1000), Fraction(1, 10000)]
    assert gap.eps_grid("0.003")[-1] == Fraction(3, 1000)


def test_plumbing(capsys, tmp_path):
    row = gap.gap_row("1e-3", d=3, delta="1/2")
    from prunecert.bounds.gap.model_b import neuron_width_lower_bound

    assert row["lower"]["width"] == neuron_width_lower_bound(Fraction(1, 1000), p_fail=Fraction(1, 2))["width"]
    assert Fraction(row["ratio_exact"]) == Fraction(row["lower"]["width"], row["upper"]["width"])
    png = tmp_path / "gap.png"
    code = main(["gap", "--eps", "1e-3", "--d", "3", "--json", "--plot", str(png), "--no-levels"])
    rep = json.loads(capsys.readouterr().out)
    assert code == 0 and [r["eps"] for r in rep["rows"]] == ["0.1", "0.01", "0.001"]
    assert png.exists() and png.read_bytes()[:4] == b"\x89PNG"
    widths = [r["lower"]["width"] for r in rep["rows"]]
    assert widths == sorted(widths)           # smaller eps, larger certified lower width


@real
def test_real_gap_row_and_levels(capsys):
    from prunecert.bounds.gap.model_b import neuron_width_lower_bound
    from prunecert.bounds.gap.weight_pruning import required_width

    row = gap.gap_row("1e-4", d=2, delta="1/2")
    assert row["lower"]["width"] == neuron_width_lower_bound(Fraction(1, 10**4), p_fail=Fraction(1, 2))["width"]
    assert row["upper"]["width"] == required_width(Fraction(1, 10**4), Fraction(1, 2), 2, "gaussian")
    assert row["model"] == "gaussian" and row["claim"] == "gap.theorem"
    assert row["lower"]["exponent"] and row["lower"]["claim"]
    code = main(["gap", "--eps", "1e-4", "--json"])
    rep = json.loads(capsys.readouterr().out)
    assert code == 0
    assert rep["claim"] == "gap.theorem" and rep["model"] == "gaussian"
    assert rep["level"]["level"] == rep["claims"]["gap.theorem"]["level"]
    assert rep["crossover"]["claim"] == "gap.crossover" and Fraction(rep["crossover"]["eps_star"]) > 0
    lv = rep["rows"][0]["lower"]["level"]["level"]
    assert lv in ("PROVED", "CHECKED", "EVIDENCE", "CLAIMED", "UNKNOWN")


def test_crossover_is_certified_and_consistent():
    """For every eps <= eps*, n_w < n_n: spot-check with the exact calculator widths at eps*, eps*/10."""
    c = gap.crossover(2, "1/2")
    es = Fraction(c["eps_star"])
    assert Fraction(1, 10**7) < es < Fraction(1, 10**6)
    for e in (es, es / 10):
        row = gap.gap_row(e, d=2, delta="1/2")
        assert row["upper"]["width"] < row["lower"]["width"] and row["separated"]
    # above the crossover the certified widths are not separated (1e-6: 28864 vs 7954)
    assert not gap.gap_row("1e-6", d=2)["separated"]
    c3 = gap.crossover(3, "1/2")
    assert Fraction(c3["eps_star"]) < es                      # harder in higher d


@real
def test_real_exponential_separation():
    """The certified lower width grows like 1/(eps log 1/eps), the upper like log(1/eps):
    over eps = 1e-4 .. 1e-12 the lower width multiplies by far more than the upper width."""
    rows = gap.gap_table(["1e-4", "1e-8", "1e-12"], d=2, delta="1/2")
    lo = [r["lower"]["width"] for r in rows]
    up = [r["upper"]["width"] for r in rows]
    assert lo[0] < lo[1] < lo[2] and up[0] <= up[1] <= up[2]
    assert lo[2] / max(lo[0], 1) > 1000 * (up[2] / up[0])
