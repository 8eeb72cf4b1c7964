"""The sweep execution layer: same answers serially and on Dask clusters, resumable, and nothing
lost or duplicated when a worker dies (prunecert.checks.sweep)."""
from __future__ import annotations

import logging
import os
from collections import Counter
from fractions import Fraction

import pytest

from prunecert.checks.errors import InputError
from prunecert.checks.sweep import ExecSpec, Store, Sweep, run_sweep
from prunecert.checks.sweep.cluster import ENV_SCHEDULER
from prunecert.checks.sweep.probe import die_once, spin, square
from prunecert.bounds.gap.gap_fit import gap_cell, gap_cells

TIMINGS = ("neuron_seconds", "weight_seconds")


def _untimed(results):
    return [{k: v for k, v in r.items() if k not in TIMINGS} for r in results]


def test_exec_spec_options(monkeypatch):
    monkeypatch.delenv(ENV_SCHEDULER, raising=False)
    assert ExecSpec.from_options() == ExecSpec("local")
    assert ExecSpec.from_options(workers=0).mode == "serial"
    assert ExecSpec.from_options(serial=True).mode == "serial"
    assert ExecSpec.from_options(workers=3) == ExecSpec("local", workers=3)
    assert ExecSpec.from_options(scheduler="tcp://h:8786") == ExecSpec("remote", address="tcp://h:8786")
    monkeypatch.setenv(ENV_SCHEDULER, "tcp://env:8786")
    assert ExecSpec.from_options().address == "tcp://env:8786"
    assert ExecSpec.from_options(serial=True).mode == "serial"      # an explicit choice beats the variable
    for bad in ({"workers": -1}, {"scheduler": "tcp://h:1", "serial": True}, {"scheduler": "tcp://h:1", "workers": 2}):
        with pytest.raises(InputError):
            ExecSpec.from_options(**bad)


def test_store_keeps_each_key_once(tmp_path):
    path = tmp_path / "s.sqlite"
    sw = Sweep("sq", square)
    with Store(path) as st:
        run = run_sweep(sw, [{"i": i} for i in range(5)] + [{"i": 2}], store=st, spec=ExecSpec("serial"))
        assert run.total == 5 and run.computed == 5 and run.from_store == 0
        assert [r["square"] for r in run.results] == [0, 1, 4, 9, 16, 4]
        assert st.put(sw.key({"i": 1}), "sq", "{}", sw.code, "{}") is False     # never stored twice
    with Store(path) as st:                                   # a new process would see the same rows
        again = run_sweep(sw, [{"i": i} for i in range(7)], store=st, spec=ExecSpec("serial"))
        assert again.from_store == 5 and again.computed == 2
        assert [r["square"] for r in again.results] == [i * i for i in range(7)]
        assert st.count("sq") == 7 and len({r["key"] for r in st.rows()}) == 7


def test_key_depends_on_name_params_and_code():
    a = Sweep("a", square)
    assert a.key({"i": 1}) != a.key({"i": 2}) != Sweep("b", square).key({"i": 2})
    assert a.key({"i": 1}) != Sweep("a", spin).key({"i": 1})     # another task function: another code version
    assert a.key({"i": 1, "j": 2}) == a.key({"j": 2, "i": 1})     # canonical JSON


def test_interrupt_then_resume_serial(tmp_path):
    sw = Sweep("gap", gap_cell)
    params = gap_cells(2, [4, 6], 2, timeout=30.0)
    ref = run_sweep(sw, params, store=Store(None), spec=ExecSpec("serial")).results

    class Stop(KeyboardInterrupt):
        pass

    def stop_after_two(done, total):
        if done == 2:
            raise Stop
    with Store(tmp_path / "g.sqlite") as st:
        with pytest.raises(KeyboardInterrupt):
            run_sweep(sw, params, store=st, spec=ExecSpec("serial"), on_progress=stop_after_two)
        assert st.count() == 2                              # the finished ones are on disk
    with Store(tmp_path / "g.sqlite") as st:
        run = run_sweep(sw, params, store=st, spec=ExecSpec("serial"))
    assert run.from_store == 2 and run.computed == len(params) - 2
    assert _untimed(run.results) == _untimed(ref)


def test_same_answers_serial_local_and_remote_cluster(tmp_path):
    """Serial, the default LocalCluster (2 workers) and an existing 2-worker cluster reached by its
    scheduler address (the --scheduler path) give the same results, apart from timings."""
    from distributed import LocalCluster

    params = gap_cells(2, [4, 6, 8], 2, dists=["gaussian", "uniform"], timeout=30.0)
    sw = Sweep("gap", gap_cell)
    serial = run_sweep(sw, params, store=Store(None), spec=ExecSpec("serial"))
    local = run_sweep(sw, params, store=Store(None), spec=ExecSpec("local", workers=2))
    assert local.where == "local" and local.workers == 2
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.CRITICAL) as cl:
        remote = run_sweep(sw, params, store=Store(tmp_path / "r.sqlite"), spec=ExecSpec("remote", address=cl.scheduler_address))
    assert remote.where == "remote" and len(remote.workers_seen) == 2     # both workers took tasks
    assert _untimed(serial.results) == _untimed(local.results) == _untimed(remote.results)
    for r in serial.results:                                   # exact numbers survive the JSON store
        assert isinstance(r["weight_hi"], str) and Fraction(r["neuron_lo"]) <= Fraction(r["neuron_hi"])


def test_killed_worker_task_is_retried_and_stored_once(tmp_path):
    """A worker dies in the middle of a task (LocalCluster, 2 workers): the scheduler reruns that
    task elsewhere, every task ends up in the store exactly once with the right result."""
    marker, log = str(tmp_path / "killed"), str(tmp_path / "runs.log")
    n, victim = 24, 9
    params = [{"i": i, "seconds": 0.05, "marker": marker, "log": log, "victim": victim} for i in range(n)]
    seen = []
    with Store(tmp_path / "k.sqlite") as st:
        run = run_sweep(Sweep("kill", die_once), params, store=st, spec=ExecSpec("local", workers=2),
                        on_progress=lambda d, t: seen.append(d))
        rows = st.rows("kill")
    assert os.path.exists(marker)                                # the worker really died mid-task
    runs = Counter(int(line.split()[0]) for line in open(log))
    assert runs[victim] >= 2                                     # ... and its task ran again
    assert run.computed == n and seen == list(range(n + 1))      # each task reported once
    assert [r["i"] for r in run.results] == list(range(n))
    assert all(r["value"] == (r["i"] * 2654435761) % 1000003 for r in run.results)
    assert len(rows) == n and len({r["key"] for r in rows}) == n
    died_pid = int(open(marker).read())
    assert all(not r["worker"].endswith(f":{died_pid}") for r in rows if '"i":9' in r["params"])


def test_gap_task_solver_is_a_parameter():
    """The neuron solver of a gap task is part of its parameters (and so of its key): the MILP-based
    certified solver plugs in by name, and its enclosure overlaps the exact search's."""
    enum = gap_cell(2, "gaussian", "random", 8, 1, 30.0)
    milp = gap_cell(2, "gaussian", "random", 8, 1, 30.0, solver="milp")
    assert Fraction(milp["neuron_lo"]) <= Fraction(enum["neuron_hi"])
    assert Fraction(enum["neuron_lo"]) <= Fraction(milp["neuron_hi"])
    assert milp["weight_hi"] == enum["weight_hi"]                  # same network
    sw = Sweep("gap", gap_cell)
    p = gap_cells(2, [8], 1)[0]
    assert sw.key(p) != sw.key({**p, "solver": "milp"})
    with pytest.raises(InputError):
        gap_cell(2, "gaussian", "random", 8, 1, 30.0, solver="nope")
