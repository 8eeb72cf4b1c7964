"""The gap experiment: runner, fits, CLI outputs."""
import json

import pytest

from prunecert.bounds.gap.gap_fit import fit_gap, run_gap
from prunecert.cli import main


def test_run_gap_rows_and_fits():
    rows = run_gap(2, [4, 6, 8], 3, dists=("gaussian",), weight_only_widths=[16])
    assert len(rows) == 12
    for r in rows:
        if r.n == 16:
            assert r.neuron_lo is None and r.weight_hi is not None
        else:
            assert r.neuron_lo <= r.neuron_hi and r.weight_lo <= r.weight_hi
    f = fit_gap(rows)["gaussian"]
    assert "loglog" in f["weight"] and f["weight"]["points"] >= 10
    assert f["neuron"]["points"] + f["neuron"]["excluded_undecided"] == 9


def test_same_networks_for_both_methods():
    a = run_gap(2, [6], 2, dists=("uniform",))
    b = run_gap(2, [6], 2, dists=("uniform",))
    assert [(r.net_seed, r.neuron_hi, r.weight_hi) for r in a] == [(r.net_seed, r.neuron_hi, r.weight_hi) for r in b]


def test_cli_outputs(tmp_path, capsys):
    code = main(["experiment", "gap", "--d", "2", "--widths", "4,6,8", "--seeds", "2", "--out", str(tmp_path),
                 "--plot", str(tmp_path / "g.png"), "--json", "--eps", "0.5"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["config"]["d"] == 2 and len(out["rows"]) == 6 and "eps_table" in out
    assert (tmp_path / "gap_d2.csv").read_text().startswith("d,dist,target,n,seed")
    assert (tmp_path / "g.png").stat().st_size > 1000
    assert "Verdicts" in (tmp_path / "gap_d2.md").read_text()
    # the same-width comparison, in the JSON result and the generated markdown
    assert [(t["dist"], t["n"]) for t in out["same_width"]] == [("gaussian", 4), ("gaussian", 6), ("gaussian", 8)]
    for t in out["same_width"]:
        assert t["weight_better"] + t["neuron_better"] + t["undecided"] == t["networks"] == 2
        assert t["median_opt_lo"] <= t["median_opt_hi"]
    assert "median neuron optimum, certified bracket" in (tmp_path / "gap_d2.md").read_text()


@pytest.mark.parametrize("argv", [["--widths", "a,b"], ["--widths", "0"], ["--d", "1"], ["--seeds", "0"],
                                  ["--eps", "-1"], ["--widths", "4", "--weight-widths", "999"]])
def test_cli_bad_input(argv):
    assert main(["experiment", "gap"] + argv) == 3
