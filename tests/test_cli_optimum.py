"""prunecert instance --mode neuron --optimum, its certificate and prunecert recheck."""
import json
from fractions import Fraction

from prunecert.cli import main
from prunecert.checks.instances.network import sample
from prunecert.checks.instances.neuron_certificate import digest


def run(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_optimum_json_certificate_and_recheck(tmp_path, capsys):
    net = tmp_path / "net.json"
    sample(14, 2, seed=5, dist="gaussian").save(net)
    cert = tmp_path / "cert.json"
    code, out, _ = run(capsys, ["instance", str(net), "--mode", "neuron", "--optimum", "--json",
                                "--timeout", "30", "--certificate", str(cert)])
    res = json.loads(out)
    lo, hi = Fraction(res["best_error"]["lo"]), Fraction(res["best_error"]["hi"])
    assert code == 0 and res["exact"] and res["lower_complete"] and hi - lo <= hi / 10**4
    assert res["eps"] is None and res["achievable"] is None and isinstance(res["subset"], list)
    code, out, _ = run(capsys, ["recheck", str(cert), "--json"])
    assert code == 0 and json.loads(out)["ok"]
    c = json.loads(cert.read_text())
    c["lo"] = c["hi"]                         # claim more than the tree proves, digest updated
    c["digest"] = digest(c)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(c))
    code, out, _ = run(capsys, ["recheck", str(bad)])
    assert code == 1 and out.startswith("REJECTED")


def test_optimum_with_eps_below_reports_subset_and_lo(tmp_path, capsys):
    net = tmp_path / "net.json"
    sample(10, 2, seed=6, dist="uniform").save(net)
    code, out, _ = run(capsys, ["instance", str(net), "--mode", "neuron", "--optimum", "--eps", "1/1000",
                                "--json", "--timeout", "30"])
    res = json.loads(out)
    assert code == 1 and res["achievable"] is False
    assert Fraction(res["best_error"]["lo"]) > Fraction(1, 1000) and res["subset"] is not None
    assert Fraction(res["best_error"]["hi"]) < 1


def test_optimum_bad_usage(tmp_path, capsys):
    net = tmp_path / "net.json"
    sample(4, 2, seed=1).save(net)
    assert run(capsys, ["instance", str(net), "--mode", "weight", "--optimum"])[0] == 3
    assert run(capsys, ["instance", str(net), "--mode", "neuron"])[0] == 3
    assert run(capsys, ["instance", str(net), "--mode", "neuron", "--optimum", "--certificate",
                        str(tmp_path / "no" / "c.json")])[0] == 3


def test_optimum_on_two_processes_rechecks(tmp_path, capsys):
    """--workers 2: the tree is searched by two processes; the certificate is the same format and
    re-checks; a bad worker count is exit 3."""
    net = tmp_path / "net.json"
    sample(24, 2, seed=3, dist="uniform").save(net)
    cert = tmp_path / "cert.json"
    code, out, _ = run(capsys, ["instance", str(net), "--mode", "neuron", "--optimum", "--json",
                                "--timeout", "40", "--workers", "2", "--certificate", str(cert)])
    res = json.loads(out)
    assert res["tree"]["workers"] == 2 and res["lower_complete"] and code == 0
    code, out, _ = run(capsys, ["recheck", str(cert), "--json"])
    assert code == 0 and json.loads(out)["ok"]
    for bad in ("0", "-3", "65"):
        code, _, err = run(capsys, ["instance", str(net), "--mode", "neuron", "--optimum", "--workers", bad])
        assert code == 3 and "--workers" in err and "Traceback" not in err


def test_highs_runs_reaches_the_solver_and_is_checked(tmp_path, capsys):
    """--highs-runs N is the number of HiGHS runs per round (reported as highs_uncertified.runs,
    1 for the in-process rounds of a small network); a bad count is exit 3 before any work."""
    net = tmp_path / "net.json"
    sample(10, 2, seed=2).save(net)
    code, out, _ = run(capsys, ["instance", str(net), "--mode", "neuron", "--optimum", "--json",
                                "--timeout", "10", "--highs-runs", "1"])
    res = json.loads(out)
    assert code == 0 and res["exact"] and res["highs_uncertified"].get("runs", 1) == 1
    for bad in ("0", "-1", "17"):
        code, _, err = run(capsys, ["instance", str(net), "--mode", "neuron", "--optimum", "--highs-runs", bad])
        assert code == 3 and "--highs-runs" in err and "Traceback" not in err
