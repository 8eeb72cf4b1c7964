"""prunecert: machine-checked theory of neural-network pruning.

Layers, each importing only downward:

* :mod:`prunecert.checks` -- engines (rigorous arithmetic, prover, SMT, instance solvers,
  statistics); they know nothing about pruning theorems;
* :mod:`prunecert.bounds` -- the mathematics of each result (statements, constants,
  constructions), grouped by seed paper;
* :mod:`prunecert.proofs` -- the claim registry, evidence levels and blueprints;
* :mod:`prunecert.cli` -- the command line (the one place that imports everything).
"""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("prunecert")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
    __version__ = "0+unknown"

__all__ = ["__version__"]
