"""CLI: prunecert statdim (and limit argument errors)."""
import json
from fractions import Fraction

import pytest

from prunecert.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_orthant_json(capsys):
    code, out, _ = run(capsys, "statdim", "orthant", "--d", "7", "--json")
    assert code == 0
    obj = json.loads(out)
    assert obj["delta"] == {"lo": "3.5", "hi": "3.5"}


def test_subspace_json(capsys):
    code, out, _ = run(capsys, "statdim", "subspace", "--d", "9", "--k", "4", "--json")
    assert code == 0 and json.loads(out)["delta"] == {"lo": "4", "hi": "4"}


def test_circular_json_encloses_self_dual(capsys):
    code, out, _ = run(capsys, "statdim", "circular", "--d", "10", "--alpha", "pi/4", "--digits", "25", "--json")
    assert code == 0
    d = json.loads(out)["delta"]
    assert Fraction(d["lo"]) <= 5 <= Fraction(d["hi"]) and Fraction(d["hi"]) - Fraction(d["lo"]) < Fraction(1, 10**20)


def test_circular_decimal_alpha(capsys):
    code, out, _ = run(capsys, "statdim", "circular", "--d", "10", "--alpha", "0.3", "--digits", "30", "--json")
    d = json.loads(out)["delta"]
    assert code == 0 and Fraction(d["lo"]) <= Fraction("1.605961671321104066534508694046") <= Fraction(d["hi"])


def test_l1_descent_json(capsys):
    code, out, _ = run(capsys, "statdim", "l1-descent", "--d", "100", "--s", "10", "--json")
    obj = json.loads(out)
    assert code == 0
    lo, hi = Fraction(obj["lower"]), Fraction(obj["upper"])
    assert 26 < lo < hi < 33
    assert Fraction(obj["psi"]["lo"]) <= Fraction(obj["psi"]["hi"])


@pytest.mark.parametrize("argv", [
    ["statdim", "l1-descent", "--d", "5", "--s", "6"],
    ["statdim", "l1-descent", "--d", "5", "--s", "0"],
    ["statdim", "orthant", "--d", "0"],
    ["statdim", "orthant", "--d", "-3"],
    ["statdim", "orthant", "--d", "2.5"],
    ["statdim", "circular", "--d", "4", "--alpha", "1.6"],
    ["statdim", "circular", "--d", "4", "--alpha", "0"],
    ["statdim", "circular", "--d", "4", "--alpha", "pi"],
    ["statdim", "circular", "--d", "4"],
    ["statdim", "circular", "--d", "4", "--alpha", "inf"],
    ["statdim", "subspace", "--d", "3"],
    ["statdim", "subspace", "--d", "3", "--k", "4"],
    ["statdim", "cube", "--d", "3"],
    ["limit"],
    ["limit", "--demo", "--dataset", "digits"],
    ["limit", "--dataset", "digits", "--hidden", "a,b"],
])
def test_bad_input_exit_3(capsys, argv):
    with pytest.raises(SystemExit) as e:
        raise SystemExit(main(argv))
    assert e.value.code == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()
