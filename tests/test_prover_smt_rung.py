"""The prover's last rung: exact decision (z3 confirmed by cvc5) for piecewise-linear claims
that the interval ladder cannot settle (equality along whole lines)."""
import json

import pytest

from prunecert.cli import main
from prunecert.checks.levels import Level
from prunecert.checks.inequality.prover import prove_text

BOX2 = {"x": ("-1", "1"), "y": ("-1", "1")}


@pytest.mark.parametrize("text,box", [
    ("Abs(x) + Abs(y) >= Abs(x + y)", BOX2),
    ("Max(0, x) - Max(0, -x) >= x", {"x": ("-1", "1")}),
])
def test_pl_identities_proved_by_smt_rung(text, box):
    out = prove_text(text, box, timeout=8)
    assert out.status is Level.PROVED, out.detail
    assert out.method.startswith("exact-smt")
    assert out.certificate["format"] == "prunecert-smt/1"


@pytest.mark.parametrize("text,box", [
    ("Abs(x) + Abs(y) >= Abs(x + y) + 1/10**15", BOX2),
    ("Max(0, x) - Max(0, -x) >= x + 1/10**14", {"x": ("-1", "1")}),
    ("Abs(x - 1/3) + Abs(y) >= 1/10**13", BOX2),
])
def test_false_pl_claims_never_proved(text, box):
    out = prove_text(text, box, timeout=8)
    assert out.status is not Level.PROVED


def test_smt_certificate_rechecks_and_tamper_rejected(tmp_path, capsys):
    cert = tmp_path / "c.json"
    code = main(["prove", "Abs(x)+Abs(y) >= Abs(x+y)", "--var", "x=[-1,1]", "--var", "y=[-1,1]",
                 "--timeout", "8", "--certificate", str(cert)])
    assert code == 0
    assert main(["recheck", str(cert)]) == 0
    c = json.loads(cert.read_text())
    c["statement"]["rhs"] = "Abs(x + y) + 1/1000"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(c))
    assert main(["recheck", str(bad)]) == 1
    capsys.readouterr()
