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
    code, out, _ = run(capsys, ["instance", str(p), "--mode", "weight", "--eps", "0.05", "--json", "--timeout", "6"])
    res = json.loads(out)
    assert res["mode"] == "weight" and res["eps"] == "0.05"
    lo, hi = Fraction(res["best_error"]["lo"]), Fraction(res["best_error"]["hi"])
    assert lo <= hi
    assert res["achievable"] == (True if hi <= Fraction(1, 20) else (False if lo > Fraction(1, 20) else None))
    assert code == {True: 0, False: 1, None: 2}[res["achievable"]]
    c = res["construction"]
    assert c["applicable"] is True and len(c["neuron_mask"]) == 40 and all(len(r) == 3 for r in c["weight_mask"])
    # independent dense evaluation never exceeds the certified hi (of the witness, and of the construction)
    rng = np.random.default_rng(7)
    X = rng.standard_normal((200_000, 3))
    X /= np.linalg.norm(X, axis=1)[:, None]
    wm = res["witness"]["weight_mask"]
    err = np.abs(net.evaluate_float(X, None, wm) - net.target_float(X)).max()
    assert err <= float(hi) + 1e-12
    if c["error"] is not None:
        err = np.abs(net.evaluate_float(X, c["neuron_mask"], c["weight_mask"]) - net.target_float(X)).max()
        assert err <= float(Fraction(c["error"]["hi"])) + 1e-12
    # human-readable form prints masks and the enclosure
    code, out, _ = run(capsys, ["instance", str(p), "--mode", "weight", "--eps", "0.05", "--timeout", "6"])
    assert "best_error: [" in out and "witness.weight_mask:" in out and "construction.weight_mask:" in out


def test_achievable_true_case(tmp_path, capsys):
    p = tmp_path / "net.json"
    code, out, _ = run(capsys, ["sample", "--n", "160", "--d", "2", "--seed", "3", "--out", str(p)])
    code, out, _ = run(capsys, ["instance", str(p), "--mode", "weight", "--eps", "0.05", "--json"])
    res = json.loads(out)
    assert code == 0
    assert res["achievable"] is True and Fraction(res["best_error"]["hi"]) <= Fraction(1, 20)
    assert res["construction"]["reaches_eps"] is True


def test_model_a_not_applicable(tmp_path, capsys):
    p = tmp_path / "a.json"
    run(capsys, ["sample", "--n", "20", "--d", "2", "--seed", "0", "--model", "A", "--out", str(p)])
    code, out, _ = run(capsys, ["instance", str(p), "--mode", "weight", "--eps", "0.1", "--json"])
    res = json.loads(out)
    # the construction does not apply; that says nothing about other masks
    c = res["construction"]
    assert c["applicable"] is False and c["reaches_eps"] is None and "Model A" in c["reason"]
    assert res["achievable"] in (True, False, None)
    lo, hi = Fraction(res["best_error"]["lo"]), Fraction(res["best_error"]["hi"])
    assert res["achievable"] is not False or lo > Fraction(1, 10)
    assert code == {True: 0, False: 1, None: 2}[res["achievable"]]


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


# ----------------------------------------------------------------------------- issue 16
MODEL_A = ('{"model": "A", "w": ["0.6", "0.8"], "u": [["0.6", "0.8"], ["1.2", "1.6"], ["0.3", "-0.9"], '
           '["-0.7", "0.2"], ["0.5", "0.5"]], "v": ["0.5", "0.25", "0.8", "-0.6", "0.4"]}')


def test_model_a_both_modes_reachable(tmp_path, capsys):
    p = tmp_path / "a.json"
    p.write_text(MODEL_A)
    for mode in ("weight", "neuron"):
        code, out, err = run(capsys, ["instance", str(p), "--mode", mode, "--eps", "1/2", "--json"])
        assert code == 0 and json.loads(out)["achievable"] is True, (mode, out, err)


@pytest.mark.parametrize("big", ["1e16", "1e17", "1e60", "1e200"])
def test_huge_unit_neuron_mode(tmp_path, capsys, big):
    """u = (big, 0): a documented decision (exit 0/1/2), no traceback; the same network with the
    unit rescaled down by big (u / big, v * big: the same function) gives the same decision."""
    net = {"model": "B", "w": ["0.6", "0.8"], "u": [[big, "0"], ["0.5", "0.5"], ["1", "0.2"]],
           "v": ["1", "1", "0.5"]}
    p = tmp_path / "big.json"
    p.write_text(json.dumps(net))
    net["u"][0], net["v"][0] = ["1", "0"], big
    q = tmp_path / "small.json"
    q.write_text(json.dumps(net))
    answers = []
    for path in (p, q):
        code, out, err = run(capsys, ["instance", str(path), "--mode", "neuron", "--eps", "0.5", "--json",
                                      "--timeout", "20"])
        assert "Traceback" not in err and code in (0, 1, 2)
        res = json.loads(out)
        assert code == {True: 0, False: 1, None: 2}[res["achievable"]]
        answers.append((res["achievable"], res["best_error"]))
    assert answers[0] == answers[1]


def test_d3_small_eps_weight_false(tmp_path, capsys):
    p = tmp_path / "d3.json"
    run(capsys, ["sample", "--n", "8", "--d", "3", "--seed", "0", "--out", str(p)])
    code, out, _ = run(capsys, ["instance", str(p), "--mode", "weight", "--eps", "1e-6", "--json"])
    res = json.loads(out)
    assert code == 1 and res["achievable"] is False and Fraction(res["best_error"]["lo"]) > Fraction(1, 10**6)
    assert res["seconds"] < 10


@pytest.mark.parametrize("mode", ["weight", "neuron"])
def test_empty_network_both_modes(tmp_path, capsys, mode):
    p = tmp_path / "e.json"
    p.write_text('{"model": "B", "w": ["0.6", "0.8"], "u": [], "v": []}')
    code, out, _ = run(capsys, ["instance", str(p), "--mode", mode, "--eps", "1.5", "--json"])
    assert code == 0 and json.loads(out)["achievable"] is True
    code, out, _ = run(capsys, ["instance", str(p), "--mode", mode, "--eps", "0.5", "--json"])
    assert code == 1 and json.loads(out)["achievable"] is False


@pytest.mark.parametrize("mode", ["weight", "neuron"])
def test_table_and_json_agree(tmp_path, capsys, mode):
    """The table prints the JSON's names and values (true/false/null spelled as in JSON)."""
    p = tmp_path / "a.json"
    p.write_text(MODEL_A)
    for eps in ("0.5", "0.001"):
        _, out, _ = run(capsys, ["instance", str(p), "--mode", mode, "--eps", eps, "--json", "--timeout", "10"])
        res = json.loads(out)
        _, table, _ = run(capsys, ["instance", str(p), "--mode", mode, "--eps", eps, "--timeout", "10"])
        lines = dict(line.split(": ", 1) for line in table.splitlines() if ": " in line)
        assert lines["achievable"] == json.dumps(res["achievable"])
        assert lines["best_error"] == f"[{res['best_error']['lo']}, {res['best_error']['hi']}]"
        assert lines["eps"] == res["eps"]
        assert "True" not in table and "False" not in table and "None" not in table
