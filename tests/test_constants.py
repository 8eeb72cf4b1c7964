"""`prunecert constants`: discovery, certified digits cross-checked independently, outputs."""
from __future__ import annotations

import json
import types
from decimal import Decimal, localcontext

import mpmath
import pytest
import sympy

from prunecert.bounds import constants as bc
from prunecert.cli import main
from prunecert.checks.errors import BudgetExceeded, ExpressionError, InputError


def independent_value(expression: str) -> Decimal:
    """sympy's own parser (not the package's) and mpmath at 80 digits."""
    expr = sympy.sympify(expression)
    assert not expr.free_symbols
    with mpmath.workdps(90):
        return Decimal(str(sympy.N(expr, 80)))


def within_one_unit(printed: str, true: Decimal, digits: int) -> bool:
    """The printed value is within one unit of its last significant digit of the true value."""
    with localcontext() as ctx:
        ctx.prec = 200
        d = Decimal(printed)
        assert len(d.as_tuple().digits) <= digits or d == d.to_integral_value() or d.normalize() == d
        unit = Decimal(10) ** (d.adjusted() - digits + 1) if d != 0 else Decimal(0)
        return abs(d - true) < unit


def test_cli_50_digits_json_cross_checked(capsys):
    assert main(["constants", "--digits", "50", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    names = [c.name for c in bc.discover_constants()[0]]
    assert [r["name"] for r in rows] == names and len(rows) >= 3
    assert "pensia_mixture_weight" in names and any(n.startswith("kinematic.a_eta") for n in names)
    for r in rows:
        assert {"name", "expression", "value"} <= set(r)
        true = independent_value(r["expression"])
        digs = Decimal(r["value"]).as_tuple().digits
        if not r["exact"]:
            assert len(digs) == 50, r
        assert within_one_unit(r["value"], true, 50), (r["name"], r["value"], true)


def test_known_values():
    (row,) = bc.certify_constants(["pensia_mixture_weight"], digits=40)
    # ln 2 / 4, digits independently known: ln 2 = 0.693147180559945309417232121458176568075500134360...
    assert row["value"] == "0.1732867951399863273543080303645441420189"
    assert row["expression"] == "log(2)/4" and not row["exact"]
    lo, hi = (Decimal(x) for x in row["enclosure"])
    assert lo <= Decimal("0.17328679513998632735430803036454414201887503359") <= hi


@pytest.mark.parametrize("digits", [1, 5, 17, 120])
def test_digits_respected(digits):
    for row in bc.certify_constants(digits=digits):
        assert within_one_unit(row["value"], independent_value(row["expression"]), digits) or digits > 75
        if digits <= 75:
            continue
        # beyond the 80-digit reference, compare with a 200-digit one
        expr = sympy.sympify(row["expression"])
        true = Decimal(str(sympy.N(expr, 200)))
        assert within_one_unit(row["value"], true, digits)


def test_latex_and_text(capsys):
    assert main(["constants", "pensia_mixture_weight", "--latex", "--digits", "12"]) == 0
    out = capsys.readouterr().out
    assert r"\begin{tabular}" in out and r"\frac{\log{\left(2 \right)}}{4}" in out
    assert r"0.173286795140\ldots" in out
    assert main(["constants", "pensia_mixture_weight", "--digits", "8"]) == 0
    assert "0.17328680" in capsys.readouterr().out


def test_bad_input(capsys):
    assert main(["constants", "no_such_constant"]) == 3
    assert "unknown constant" in capsys.readouterr().err
    assert main(["constants", "--digits", "0"]) == 3
    with pytest.raises(InputError):
        bc.certify_constant({"name": "x", "expression": "1"}, digits=-2)
    with pytest.raises(ExpressionError):
        bc.certify_constant({"name": "x", "expression": "t + 1"}, digits=5)   # free symbol
    with pytest.raises(ExpressionError):
        bc.certify_constant({"name": "x", "expression": "__import__('os')"}, digits=5)
    with pytest.raises(BudgetExceeded):                                       # exact zero: no digits
        bc.certify_constant({"name": "z", "expression": "log(6) - log(2) - log(3)"}, digits=5, max_bits=400)
    assert bc.certify_constant({"name": "z", "expression": "sin(pi)"}, digits=5)["value"] == "0"


def test_discovery_problems_and_duplicates(monkeypatch):
    import prunecert.bounds as bounds

    good = types.ModuleType("prunecert.bounds.zz_fake_good")
    good.CONSTANTS = [{"name": "pensia_mixture_weight", "expression": "log(2)/4"},      # identical: kept once
                      {"name": "model_B_rho_max", "expression": "sqrt(pi/9)"},       # clash: qualified
                      {"expression": "1"}]                                           # malformed
    monkeypatch.setitem(__import__("sys").modules, "prunecert.bounds.zz_fake_good", good)
    real_iter = bc.pkgutil.iter_modules

    def fake_iter(path):
        yield from real_iter(path)
        yield types.SimpleNamespace(name="zz_fake_good")
        yield types.SimpleNamespace(name="zz_fake_missing_module")

    monkeypatch.setattr(bc.pkgutil, "iter_modules", fake_iter)
    consts, problems = bc.discover_constants()
    names = [c.name for c in consts]
    assert any("zz_fake_missing_module: import failed" in p for p in problems)
    assert any("CONSTANTS[2]" in p for p in problems)
    assert "zz_fake_good:model_B_rho_max" in names and "model_b:model_B_rho_max" in names
    assert names.count("pensia_mixture_weight") == 0 or names.count("pensia_mixture_weight") == 1
    assert bounds  # noqa: B018
