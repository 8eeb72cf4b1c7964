"""prunecert sample / instance (in-process through prunecert.cli.main)."""
import json
from fractions import Fraction

import numpy as np
import pytest

from prunecert.cli import main
from prunecert.checks.instances.network import Network


def run(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_acceptance_pipeline(tmp_path, capsys):
    code, out, _ = run(capsys, ["sample", "--n", "40", "--d", "3", "--seed", "1", "--model", "B"])
    assert code == 0
    p = tmp_path / "net.json"
    p.write_text(out)
    net = Network.from_json(p)
    assert (net.n, net.d, net.model) == (40, 3, "B")
    code, out, _ = run(capsys, ["instance", str(p), "--mode", "weight", "--eps", "0.05", "--json"])
    res = json.loads(out)
    assert res["mode"] == "weight" and res["eps"] == "0.05"
    lo, hi = Fraction(res["error"]["lo"]), Fraction(res["error"]["hi"])
    assert lo <= hi
    assert res["achievable"] == (True if hi <= Fraction(1, 20) else (False if lo > Fraction(1, 20) else None))
    assert code == (2 if res["achievable"] is None else 0)
    assert len(res["neuron_mask"]) == 40 and all(len(r) == 3 for r in res["weight_mask"])
    # independent dense evaluation never exceeds the certified hi
    rng = np.random.default_rng(7)
    X = rng.standard_normal((200_000, 3))
    X /= np.linalg.norm(X, axis=1)[:, None]
    err = np.abs(net.evaluate_float(X, res["neuron_mask"], res["weight_mask"]) - net.target_float(X)).max()
    assert err <= float(hi) + 1e-12
    # human-readable form prints masks and the enclosure
    code, out, _ = run(capsys, ["instance", str(p), "--mode", "weight", "--eps", "0.05"])
    assert "certified sup error in [" in out and "weight_mask:" in out


def test_achievable_true_case(tmp_path, capsys):
    p = tmp_path / "net.json"
    code, out, _ = run(capsys, ["sample", "--n", "160", "--d", "2", "--seed", "3", "--out", str(p)])
    code, out, _ = run(capsys, ["instance", str(p), "--mode", "weight", "--eps", "0.05", "--json"])
    res = json.loads(out)
    assert res["achievable"] is True and Fraction(res["error"]["hi"]) <= Fraction(1, 20)


def test_model_a_not_applicable(tmp_path, capsys):
    p = tmp_path / "a.json"
    run(capsys, ["sample", "--n", "20", "--d", "2", "--seed", "0", "--model", "A", "--out", str(p)])
    code, out, _ = run(capsys, ["instance", str(p), "--mode", "weight", "--eps", "0.1", "--json"])
    res = json.loads(out)
    assert res["achievable"] is False and res["applicable"] is False and "Model A" in res["reason"]


@pytest.mark.parametrize("content, eps, msg", [
    (None, "0.1", "not found"),
    ("{bad", "0.1", "malformed"),
    ('{"model":"B","w":["0.9","0.9"],"u":[],"v":[]}', "0.1", "||w||"),
    ('{"model":"B","w":["0.1","0.1"],"u":[["1"]],"v":["1"]}', "0.1", "u[0]"),
    ('{"model":"B","w":["0.1"],"u":[["1"]],"v":["x"]}', "0.1", "v[0]"),
    ('{"model":"B","w":["0.1"],"u":[["1"]],"v":["1"]}', "0", "eps"),
    ('{"model":"B","w":["0.1"],"u":[["1"]],"v":["1"]}', "-0.5", "eps"),
    ('{"model":"B","w":["0.1"],"u":[["1"]],"v":["1"]}', "inf", "eps"),
    ('{"model":"B","w":["0.1"],"u":[["1"]],"v":["1"]}', "nan", "eps"),
])
def test_bad_input_exit_3(tmp_path, capsys, content, eps, msg):
    p = tmp_path / "x.json"
    if content is not None:
        p.write_text(content)
    code, out, err = run(capsys, ["instance", str(p), "--mode", "weight", "--eps", eps])
    assert code == 3 and msg in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_neuron_mode_missing_or_present(tmp_path, capsys):
    p = tmp_path / "n.json"
    run(capsys, ["sample", "--n", "6", "--d", "2", "--seed", "0", "--out", str(p)])
    code, out, err = run(capsys, ["instance", str(p), "--mode", "neuron", "--eps", "0.3", "--json", "--timeout", "20"])
    try:
        import prunecert.checks.instances.neuron_subset  # noqa: F401
    except ImportError:
        assert code == 2 and "neuron_subset" in err
    else:
        res = json.loads(out)
        assert res["mode"] == "neuron"
