"""Sweeps of independent tasks, run in this process or on a Dask cluster, resumable.

A sweep is one pure function applied to many parameter sets (network seed, width, model,
budget, ...).  Every task's parameters and result are JSON; each finished result is written to a
:class:`Store` (an SQLite table keyed by a hash of the sweep name, the parameters and the code
version) the moment it arrives, so an interrupted sweep loses only the tasks that were running,
and running it again computes only what is missing.  Where the tasks run is an
:class:`ExecSpec`: in this process (``serial``), on a Dask ``LocalCluster`` on this machine
(``local``, the default) or on an existing Dask cluster (``remote``, by scheduler address).

This package knows tasks, not theorems: the mathematics of a task lives with its seed in
``prunecert.bounds``; the command line decides what to sweep.

>>> from prunecert.checks.sweep import ExecSpec, Store, Sweep, run_sweep
>>> from prunecert.checks.sweep.probe import square
>>> run = run_sweep(Sweep("doc", square), [{"i": 3}, {"i": 4}], store=Store(None),
...                 spec=ExecSpec("serial"))
>>> run.results
[{'i': 3, 'square': 9}, {'i': 4, 'square': 16}]
"""
from prunecert.checks.sweep.cluster import ExecSpec
from prunecert.checks.sweep.run import SweepError, SweepRun, run_sweep
from prunecert.checks.sweep.store import Store
from prunecert.checks.sweep.task import Sweep, code_version, package_code_version

__all__ = ["ExecSpec", "Store", "Sweep", "SweepError", "SweepRun", "code_version", "package_code_version",
           "run_sweep"]
