"""Every reproduction of issue 10 (and issue 12 item 7): never PROVED when false or undefined,
forged certificates rejected, no traceback, every run within its timeout plus 10 s."""
from __future__ import annotations

import json
import time

import pytest

from prunecert.cli import main

SLACK = 10.0


def _run(capsys, argv, budget):
    t0 = time.perf_counter()
    code = main(argv)
    took = time.perf_counter() - t0
    out, err = capsys.readouterr()
    assert "Traceback" not in err + out
    assert took <= budget + SLACK, f"{argv[:2]} took {took:.1f} s"
    return code, out, err


NEVER_PROVED = [
    # 1. jumps that a symbolic derivative ignores
    ("atan(tan(x)) - atan(tan(x - 1e-10)) - 1e-10 + x**2 >= 0", ["x=[0,2]"]),
    ("atan(tan(x)) - atan(tan(x - 1e-30)) - 1e-30 + x**2 >= 0", ["x=[0,2]"]),
    ("atan(tan(x)) - atan(tan(x - 1e-10)) - 1e-10 + (x - 1)**2 >= 0", ["x=[0,2]"]),
    ("atan(tan(x)) - atan(tan(x - 1e-10)) - 1e-10 + x**2 + y**2 >= 0", ["x=[0,2]", "y=[-1,1]"]),
    ("atan(tan(x)) - atan(tan(x - 1e-10)) - 1e-10 + x**2 + y**2 + z**2 >= 0",
     ["x=[0,2]", "y=[-1,1]", "z=[-1,1]"]),
    # 2. claims undefined on part of the box
    ("tan(x) + 1 >= tan(x)", ["x=[0,2]"]),
    ("gamma(x) - gamma(x) >= 0", ["x=[-1,1]"]),
    ("Piecewise((1, log(x) < 0), (2, True)) >= 0", ["x=[-1,1]"]),
    ("Piecewise((1, sqrt(x) < 1), (2, True)) >= 0", ["x=[-1,1]"]),
    ("Piecewise((0, 1/x < 0), (1, True)) >= 0", ["x=[-1,1]"]),
    ("Abs(x)/x + 1 >= 0", ["x=[-1,1]"]),
]


@pytest.mark.parametrize("claim,vars_", NEVER_PROVED)
def test_never_proved(capsys, claim, vars_):
    argv = ["prove", claim, "--timeout", "3"] + [a for v in vars_ for a in ("--var", v)]
    code, out, err = _run(capsys, argv, 3)
    assert code != 0 and "PROVED" not in out.split()[:1]


def test_unicode_lookalike_names_are_bad_input(capsys):
    code, out, err = _run(capsys, ["prove", "ｘ >= 5", "--var", "ｘ=[5,6]", "--var", "x=[0,1]"], 5)
    assert code == 3 and "NFKC" in err


@pytest.mark.parametrize("argv", [
    ["prove", "x >= 1e-99999999", "--var", "x=[0,1]", "--timeout", "2"],
    ["prove", "x >= 0", "--var", "x=[0,1e99999999]", "--timeout", "2"],
    ["prove", "x >= ((2**10000)**10000)**10000", "--var", "x=[0,1]", "--timeout", "2"],
    ["sample", "--seed", "-1", "--n", "3", "--d", "2"],
    ["sample", "--n", "1000000000", "--d", "2", "--seed", "1"],
])
def test_budgets_bad_input_fast(capsys, argv):
    code, out, err = _run(capsys, argv, 2)
    assert code == 3 and err.count("\n") == 1


def test_sample_out_directory(capsys, tmp_path):
    code, out, err = _run(capsys, ["sample", "--n", "3", "--d", "2", "--seed", "1", "--out", str(tmp_path)], 2)
    assert code == 3


def test_deep_nesting_within_timeout(capsys):
    claim = "sin(" * 120 + "x" + ")" * 120 + " <= 1"
    code, out, err = _run(capsys, ["prove", claim, "--var", "x=[0,1]", "--timeout", "5"], 5)
    assert code in (0, 2)


def test_valid_input_accepted(capsys, tmp_path):
    # --prec inside its documented range, with a refutation that escalates precision
    code, out, _ = _run(capsys, ["prove", "exp(x) - 1 - x - 1/10**15 >= 0", "--var", "x=[-1,1]",
                                 "--prec", "65000", "--timeout", "20"], 20)
    assert code == 1
    # a sum of 300 terms
    s = " + ".join(f"x**{k}/{k + 1}" for k in range(300))
    code, out, _ = _run(capsys, ["prove", f"{s} >= 0", "--var", "x=[0,1/2]", "--timeout", "10"], 10)
    assert code == 0
    # a certificate for a variable named e (exact-decision rung) re-checks
    cert = tmp_path / "e.json"
    code, out, _ = _run(capsys, ["prove", "Abs(x) + Abs(e) >= Abs(x + e)", "--var", "x=[-1,1]", "--var",
                                 "e=[-1,1]", "--timeout", "8", "--certificate", str(cert)], 8)
    assert code == 0
    code, out, _ = _run(capsys, ["recheck", str(cert)], 60)
    assert code == 0, out


@pytest.mark.parametrize("edit", [
    lambda c: c.update(prec=float("inf")),
    lambda c: c.update(prec=1e400),
    lambda c: c["box"].update(x=["0", "1e99999999"]),
])
def test_recheck_absurd_numbers(capsys, tmp_path, edit):
    from prunecert.checks.inequality.certificate import digest
    from prunecert.checks.inequality.prover import prove_text

    c = prove_text("x**2 + 1 >= x", {"x": ("0", "1")}, timeout=10).certificate
    edit(c)
    c["digest"] = digest(c)
    p = tmp_path / "c.json"
    p.write_text(json.dumps(c).replace("1e+400", "1e400"))
    code, out, err = _run(capsys, ["recheck", str(p)], 10)
    assert code in (1, 3)


def test_recheck_deeply_nested_json(capsys, tmp_path):
    p = tmp_path / "n.json"
    p.write_text("[" * 100000 + "]" * 100000)
    code, out, err = _run(capsys, ["recheck", str(p)], 5)
    assert code == 3
    code, out, err = _run(capsys, ["instance", str(p), "--mode", "weight", "--eps", "0.1"], 5)
    assert code == 3


def test_recheck_time_limit_is_unknown_not_rejection(capsys, tmp_path):
    """Issue 12 item 7: running out of time is UNKNOWN (exit 2, "time limit")."""
    cert = tmp_path / "c.json"
    code, _, _ = _run(capsys, ["prove", "t*log(t) + exp(-1) + 1e-9 >= 0", "--var", "t=[1/100,2]",
                               "--timeout", "30", "--certificate", str(cert)], 30)
    assert code == 0 and len(json.loads(cert.read_text())["evidence"]["leaves"]) > 5
    code, out, _ = _run(capsys, ["recheck", str(cert), "--timeout", "0.001"], 1)
    assert code == 2 and "time limit" in out
    code, out, _ = _run(capsys, ["recheck", str(cert), "--timeout", "300"], 300)
    assert code == 0 and out.startswith("OK")


@pytest.mark.parametrize("claim,box", [
    ("Max(0, x) + Abs(x - 1/3) >= x/2 - 1", {"x": ("-1", "1")}),
    ("Piecewise((x**2, x < 0), (x, True)) >= -1/100", {"x": ("-1", "1")}),
    ("pi*e >= e*3", {"e": ("0", "1")}),
    ("sqrt(x) + E >= 2", {"x": ("0", "1")}),
    ("log(x, 2) <= x", {"x": ("1/2", "4")}),
    ("atan(x) + asin(x/2) + erf(x) >= -4", {"x": ("-1", "1")}),
    ("gamma(x) >= 1/2", {"x": ("1", "3")}),
    ("tan(x) >= x", {"x": ("0", "1")}),
    ("x**2 + y**2 >= 2*x*y", {"x": ("-1", "1"), "y": ("-1", "1")}),
])
def test_every_certificate_prove_writes_rechecks(claim, box):
    from prunecert.checks.inequality.prover import prove_text
    from prunecert.checks.inequality.recheck import recheck

    r = prove_text(claim, box, timeout=10)
    assert r.certificate is not None and r.certificate["format"] == "prunecert-inequality/1"
    res = recheck(r.certificate, timeout=120)
    assert res.ok, res.detail


def test_import_layering_no_cycle():
    import ast
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[1] / "checks" / "inequality"
    imports = {}
    for name in ("goal", "touching", "prover"):
        tree = ast.parse((root / f"{name}.py").read_text())
        mods = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                mods.add(node.module.rsplit(".", 1)[-1])
        imports[name] = mods
    assert "prover" not in imports["touching"] and "prover" not in imports["goal"]
    assert "touching" not in imports["goal"]
