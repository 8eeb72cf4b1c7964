"""`prunecert experiment gap` on the sweep layer: Ctrl-C keeps every finished task, the same
command finishes only the missing ones, and the tables equal an uninterrupted run's."""
from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from prunecert.cli import main

# width 40 makes the last two tasks take seconds: the interrupt, sent once two tasks are stored,
# must land while the sweep still runs (with widths up to 18 the whole sweep took under a
# second, and the interrupt could arrive after it had finished)
GAP = ["experiment", "gap", "--d", "2", "--widths", "10,14,40", "--seeds", "2"]
TIMINGS = ("neuron_seconds", "weight_seconds")


def _cli(*argv):
    return [sys.executable, "-m", "prunecert.cli", *argv]


def _stored(db) -> int:
    try:
        with sqlite3.connect(db) as c:
            return c.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    except sqlite3.Error:
        return 0


def _rows(path):
    with open(path) as fh:
        return [{k: v for k, v in r.items() if k not in TIMINGS} for r in csv.DictReader(fh)]


@pytest.mark.parametrize("where", [["--serial"],
                                   pytest.param(["--workers", "2"], marks=pytest.mark.slow)])
def test_gap_interrupt_and_resume_equals_uninterrupted(tmp_path, where):
    ref, out = tmp_path / "ref", tmp_path / "out"
    assert main([*GAP, "--out", str(ref), "--serial"]) == 0
    total = 6
    env = {**os.environ, "COLUMNS": "80"}
    p = subprocess.Popen(_cli(*GAP, "--out", str(out), *where), start_new_session=True, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t0 = time.monotonic()
    while _stored(out / "sweep.sqlite") < 2 and p.poll() is None and time.monotonic() - t0 < 120:
        time.sleep(0.2)
    os.killpg(p.pid, signal.SIGINT)                 # what Ctrl-C in a terminal does
    _, err = p.communicate(timeout=60)
    kept = _stored(out / "sweep.sqlite")
    if p.returncode == 0:                           # pragma: no cover - the sweep beat the signal
        pytest.skip("the sweep finished before the interrupt arrived")
    assert p.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    assert 2 <= kept < total
    r = subprocess.run(_cli(*GAP, "--out", str(out), *where), env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert f"{kept} of {total} tasks already in" in r.stderr
    assert f"running {total - kept} tasks" in r.stderr
    assert _stored(out / "sweep.sqlite") == total
    assert (out / "gap_d2.md").read_text() == (ref / "gap_d2.md").read_text()
    assert _rows(out / "gap_d2.csv") == _rows(ref / "gap_d2.csv")
    assert "gap, d = 2" in r.stdout                  # the table is the result: on stdout


def test_gap_bad_sweep_options_exit_3_before_work(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for extra in (["--workers", "-1"], ["--serial", "--scheduler", "tcp://127.0.0.1:1"],
                  ["--out", str(blocker / "sub")], ["--plot", str(tmp_path / "nodir" / "p.png")],
                  ["--store", str(tmp_path)]):
        assert main([*GAP, *extra]) == 3, extra
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err, err
