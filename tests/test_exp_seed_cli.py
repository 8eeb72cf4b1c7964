import json
import subprocess
import sys

from prunecert.cli import main


def _run(*args):
    return subprocess.run([sys.executable, "-m", "prunecert.cli", *args], capture_output=True, text=True, timeout=300)


def test_random_pruning_cli(tmp_path, capsys):
    plot = tmp_path / "rp.png"
    r = _run("experiment", "random-pruning", "--dims", "2,3,1", "--trials", "400", "--out", str(tmp_path / "o"),
             "--plot", str(plot), "--json", "--serial")     # the default (a LocalCluster): test_exp_gap
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert len(out["widths"]) == 18 and plot.exists()
    assert out["all_ok"] and all(m["cp95"][0] >= 0.9 for m in out["monte_carlo"])
    assert (tmp_path / "o" / "widths.csv").exists() and (tmp_path / "o" / "mc.csv").exists()
    assert out["sweep"]["computed"] == 18
    # the same command again: every grid point comes from the store; the default result is a table
    assert main(["experiment", "random-pruning", "--dims", "2,3,1", "--trials", "400", "--out", str(tmp_path / "o"),
                 "--serial"]) == 0
    again = capsys.readouterr()
    assert "18 of 18 tasks already in" in again.err
    assert "CP95 lower" in again.out and "all grid points reach 1 - delta: True" in again.out


def test_ecp_cli(tmp_path):
    plot = tmp_path / "ecp.png"
    r = _run("experiment", "ecp", "--dataset", "diabetes", "--seeds", "1", "--out", str(tmp_path / "o"),
             "--plot", str(plot), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    methods = {s["method"] for s in out["summary"]}
    assert methods == {"ecp", "ecp-nocomp", "magnitude", "gradient", "random"}
    assert plot.exists() and (tmp_path / "o" / "table.md").exists()


def test_bad_input_exit_3(tmp_path, capsys):
    assert _run("experiment", "ecp", "--dataset", "mnist", "--out", str(tmp_path)).returncode == 3
    assert _run("experiment", "random-pruning", "--dims", "4,x", "--out", str(tmp_path)).returncode == 3
    assert _run("experiment", "random-pruning", "--trials", "0", "--out", str(tmp_path)).returncode == 3
    blocker = tmp_path / "f"
    blocker.write_text("")
    for cmd in (["ecp", "--dataset", "diabetes"], ["random-pruning"]):
        assert main(["experiment", *cmd, "--out", str(blocker / "o")]) == 3   # unwritable: exit 3 before any work
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.count("\n") == 1, err
