"""The prove/recheck CLI contract: exit codes, JSON keys, bad input -> exit 3 with one line."""
import json
from fractions import Fraction

import pytest

from prunecert.cli import main


def run(capsys, argv):
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse usage errors exit directly (with code 3)
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("claim,vars_,code,status", [
    ("cos(t) <= 1 - t**2/2 + t**4/24", ["t=[0,1]"], 0, "PROVED"),
    ("t*log(t) + exp(-1) >= 0", ["t=[1/100,2]"], 0, "PROVED"),
    ("t*log(t) + exp(-1) >= 1e-9", ["t=[1/100,2]"], 1, "REFUTED"),
    ("x**2 + y**2 >= 2*x*y", ["x=[-1,1]", "y=[-1,1]"], 0, "PROVED"),
    ("exp(x + y) >= 1 + x + y", ["x=[-1,1]", "y=[-1,1]"], 2, "UNKNOWN"),
])
def test_acceptance_json(capsys, claim, vars_, code, status):
    argv = ["prove", claim] + [a for v in vars_ for a in ("--var", v)] + ["--json", "--timeout", "3" if code == 2 else "20"]
    c, out, err = run(capsys, argv)
    assert c == code, err
    js = json.loads(out)
    assert js["status"] == status
    for key in ("method", "seconds", "boxes"):
        assert key in js
    if status == "REFUTED":
        w = js["witness"]
        assert set(w) == {"t"}
        q = Fraction(w["t"])  # exact decimal string
        assert "/" not in w["t"] and Fraction(1, 100) <= q <= 2


def test_certificate_and_recheck(capsys, tmp_path):
    f = tmp_path / "c.json"
    c, out, _ = run(capsys, ["prove", "t*log(t) + exp(-1) >= 0", "--var", "t=[0.01,2]", "--certificate", str(f)])
    assert c == 0 and "PROVED" in out
    c, out, _ = run(capsys, ["recheck", str(f), "--json"])
    assert c == 0 and json.loads(out)["ok"] is True
    cert = json.loads(f.read_text())
    cert["claim"] = "t*log(t) + exp(-1) >= 1/10"
    f.write_text(json.dumps(cert))
    c, out, _ = run(capsys, ["recheck", str(f)])
    assert c == 1 and "REJECTED" in out


@pytest.mark.parametrize("argv,needle", [
    (["prove", "x >=", "--var", "x=[0,1]"], "parse"),
    (["prove", "foo(x) >= 0", "--var", "x=[0,1]"], "unknown function"),
    (["prove", "x >= 0", "--var", "x=[1,0]"], "reversed"),
    (["prove", "x >= 0", "--var", "x=[nan,1]"], "nan"),
    (["prove", "x >= 0", "--var", "x=[0,inf]"], "inf"),
    (["prove", "x + y >= 0", "--var", "x=[0,1]"], "y"),
    (["prove", "x >= 0"], "--var"),
    (["prove", "x >= 0", "--var", "x:[0,1]"], "NAME=[LO,HI]"),
    (["prove", "x >= 0", "--var", "x=0,1"], "[LO,HI]"),
    (["prove", "x >= 0", "--var", "x=[0,1,2]"], "[LO,HI]"),
    (["prove", "x >= 0", "--var", "x=[0,1]", "--var", "x=[0,2]"], "twice"),
    (["prove", "x >= 0", "--var", "x=[0,1]", "--prec", "nonsense"], "prec"),
    (["prove", "x >= 0", "--var", "x=[0,1]", "--prec", "2"], "precision"),
    (["prove", "x >= 0", "--var", "x=[0,1]", "--timeout", "-1"], "timeout"),
    (["prove", "x >= 0", "--var", "x=[0,1]", "--timeout", "nan"], "timeout"),
    (["prove", "x == 0", "--var", "x=[0,1]"], "not supported"),
    (["prove", "x^2 >= 0", "--var", "x=[0,1]"], "**"),
    (["prove", "x >= 0", "--var", "1x=[0,1]"], "name"),
])
def test_bad_input_exit_3(capsys, argv, needle):
    c, out, err = run(capsys, argv)
    assert c == 3
    lines = [ln for ln in err.strip().splitlines() if ln.startswith("prunecert")]
    assert len(lines) == 1, err
    assert needle.lower() in err.lower()
    assert "Traceback" not in err


def test_unused_var_is_fine(capsys):
    c, out, err = run(capsys, ["prove", "x**2 + 1 > 0", "--var", "x=[-1,1]", "--var", "z=[0,1]"])
    assert c == 0 and "PROVED" in out


def test_recheck_bad_files(capsys, tmp_path):
    c, _, err = run(capsys, ["recheck", str(tmp_path / "missing.json")])
    assert c == 3
    f = tmp_path / "x.json"
    f.write_text("{not json")
    assert run(capsys, ["recheck", str(f)])[0] == 3
    f.write_text(json.dumps({"hello": 1}))
    assert run(capsys, ["recheck", str(f)])[0] == 3
