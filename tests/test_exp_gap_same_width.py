"""`prunecert experiment gap`, the same-width presentation: the certified bracket of the median
neuron optimum over all seeds, the per-network comparison at equal width, widths up to 128."""
from __future__ import annotations

import io
import json
import random
import textwrap
from fractions import Fraction as F

import pytest

from prunecert.bounds.gap.gap_fit import GapRow, summary_table
from prunecert.cli import main
from prunecert.cli import _exp_gap
from prunecert.cli._exp_gap import _median, _widths, same_width_table

BAD_DIR = "/proc/prunecert-no-such-dir"


def _row(n, seed, nlo, nhi, complete, wlo, whi, dist="gaussian"):
    return GapRow(2, dist, "random", n, seed, 1000 * n + seed, nlo, nhi, None if nlo is None else 3,
                  complete, None if nlo is None else 1.0, wlo, whi, 10, True, 0.1)


def test_median_bracket_uses_every_seed_not_only_decided():
    # one decided network (OPT = 1/10), two undecided ones (no complete lower bound)
    rows = [_row(8, 0, F(1, 10), F(1, 10), True, F(1, 2), F(1, 2)),
            _row(8, 1, F(0), F(1, 2), False, F(1, 2), F(1, 2)),
            _row(8, 2, F(2, 5), F(3, 5), False, F(1, 2), F(1, 2))]
    (t,) = same_width_table(rows)
    assert t["median_opt_exact"] == ["1/10", "1/2"]           # median(0, 1/10, 2/5), median(1/10, 1/2, 3/5)
    assert t["median_opt_lo"] <= 0.1 <= 0.5 <= t["median_opt_hi"]
    assert t["median_decided"] is False
    # the decided-only summary would claim the median is 1/10: the bracket must not
    assert summary_table(rows)[0]["neuron_median"] == pytest.approx(0.1)
    assert F(t["median_opt_exact"][1]) == F(1, 2)


def test_median_bracket_even_count_and_decided():
    rows = [_row(4, s, F(k, 100), F(k, 100) + F(1, 10**6), True, None, None) for s, k in enumerate((4, 1, 3, 2))]
    (t,) = same_width_table(rows)
    assert F(t["median_opt_exact"][0]) == F(5, 200)          # (2/100 + 3/100) / 2
    assert F(t["median_opt_exact"][1]) == F(5, 200) + F(1, 10**6)
    assert t["median_decided"] is True
    assert t["undecided"] == 4                                 # the weight construction gave no interval


def test_median_bracket_contains_the_median_of_any_consistent_optima():
    """The order-statistic argument, tested: OPT_i anywhere in [lo_i, hi_i] => median(OPT) in the bracket."""
    rng = random.Random(13)
    for trial in range(300):
        k = rng.randint(1, 9)
        lo = [F(rng.randint(0, 100), 100) for _ in range(k)]
        hi = [a + F(rng.randint(0, 100), 100) for a in lo]
        opt = [a + (b - a) * F(rng.randint(0, 10), 10) for a, b in zip(lo, hi)]
        rows = [_row(6, s, a, b, False, None, None) for s, (a, b) in enumerate(zip(lo, hi))]
        (t,) = same_width_table(rows)
        assert F(t["median_opt_exact"][0]) <= _median(opt) <= F(t["median_opt_exact"][1])


def test_same_width_counts():
    rows = [_row(16, 0, F(3, 10), F(3, 10), True, F(1, 10), F(2, 10)),      # weight better
            _row(16, 1, F(1, 10), F(1, 10), True, F(2, 10), F(3, 10)),      # neuron better
            _row(16, 2, F(1, 10), F(3, 10), False, F(2, 10), F(4, 10)),     # overlap
            _row(16, 3, F(2, 10), F(2, 10), True, F(2, 10), F(2, 10)),      # equal: not certified better
            _row(16, 4, F(2, 10), F(2, 10), True, None, None),              # construction timed out
            _row(16, 5, F(5, 10), F(5, 10), True, F(1, 10), F(1, 10)),      # weight better
            _row(16, 0, F(1, 10), F(1, 10), True, F(1, 10), F(1, 10), dist="uniform"),
            _row(64, 0, None, None, None, F(1, 10**5), F(1, 10**5))]         # weight-only width: no entry
    tab = same_width_table(rows)
    assert [(t["dist"], t["n"]) for t in tab] == [("gaussian", 16), ("uniform", 16)]
    g = tab[0]
    assert (g["weight_better"], g["neuron_better"], g["undecided"], g["networks"]) == (2, 1, 3, 6)
    assert tab[1]["undecided"] == 1


def _result(rows):
    from prunecert.bounds.gap.gap_fit import fit_gap

    return {"config": {"d": 2, "widths": sorted({r.n for r in rows}), "weight_only_widths": [], "seeds": 3,
                       "dists": ["gaussian"], "target": "random"},
            "rows": [r.to_json() for r in rows], "summary": summary_table(rows),
            "same_width": same_width_table(rows), "fits": fit_gap(rows)}


def _wide_rows():
    rows = []
    for n in (32, 64, 128):
        for s in range(3):
            rows.append(_row(n, s, F(1, 3 * n) + F(s, 7 * n), F(2, n) + F(s, 11 * n), s == 0,
                             F(1, 10 ** (n // 16)), F(1, 10 ** (n // 16)) * F(101, 100)))
    return rows


def test_markdown_and_80_column_table(monkeypatch, capsys, tmp_path):
    res = _result(_wide_rows())
    md = _exp_gap.markdown(res)
    assert "| median neuron optimum, certified bracket |" in md
    assert "| gaussian | 128 | [0.00372, 0.01634] |" in md          # lo rounded down, hi rounded up
    assert "| 3/3 | 0/3 | 0/3 |" in md                                 # every network: weight certified better
    monkeypatch.setenv("COLUMNS", "80")
    _exp_gap._render(res)
    out = capsys.readouterr().out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "[0.00372, 0.01634]" in out and "3/0/0" in out
    _exp_gap.plot(res, tmp_path / "p.png")
    assert (tmp_path / "p.png").stat().st_size > 1000


def test_widths_cap_is_128():
    assert _widths("4,128") == [4, 128]
    with pytest.raises(Exception, match=r"\[1, 128\]"):
        _widths("129")


def test_cli_accepts_128_rejects_129(capsys):
    assert main(["experiment", "gap", "--widths", "129"]) == 3
    assert "--widths" in capsys.readouterr().err
    assert main(["experiment", "gap", "--widths", "4", "--weight-widths", "257"]) == 3
    capsys.readouterr()
    # 128 passes validation: the run then stops at the (unwritable) output directory, before any work
    assert main(["experiment", "gap", "--widths", "4,128", "--out", BAD_DIR]) == 3
    err = capsys.readouterr().err
    assert "--out" in err and "--widths" not in err


def test_cli_fake_solver_bracket_in_json(tmp_path, monkeypatch, capsys):
    """A solver that never decides: the decided-only summary is empty, the bracket still uses every seed."""
    (tmp_path / "fake_gap_solver.py").write_text(textwrap.dedent("""
        from fractions import Fraction
        from types import SimpleNamespace

        def solve(net, timeout):
            n = len(net.v)
            return SimpleNamespace(lo=Fraction(1, 10 * n), hi=Fraction(1, 1), subset=(0,), lower_complete=False)
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    code = main(["experiment", "gap", "--widths", "4,8", "--seeds", "3", "--serial", "--json",
                 "--solver", "fake_gap_solver:solve", "--store", str(tmp_path / "s.sqlite")])
    assert code == 0
    out = json.loads(capsys.readouterr().out)                 # exactly one JSON document
    assert [t["neuron_decided"] for t in out["summary"]] == [0, 0]
    sw = {t["n"]: t for t in out["same_width"]}
    assert sw[4]["median_opt_exact"] == ["1/40", "1"] and sw[8]["median_opt_exact"] == ["1/80", "1"]
    assert all(t["weight_better"] + t["neuron_better"] + t["undecided"] == 3 for t in sw.values())
