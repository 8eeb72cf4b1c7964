"""prunecert: machine-checked theory of neural-network pruning.

Layers, each importing only downward:

* :mod:`prunecert.checks` -- engines (rigorous arithmetic, prover, SMT, instance solvers,
  statistics); they know nothing about pruning theorems;
* :mod:`prunecert.bounds` -- the mathematics of each result (statements, constants,
  constructions), grouped by seed paper;
* :mod:`prunecert.proofs` -- the claim registry, evidence levels and blueprints;
* :mod:`prunecert.cli` -- the command line (the one place that imports everything).

The public claim API (imported on first use, so ``import prunecert`` stays cheap):

* :class:`Claim`, :class:`Check`, :class:`CheckResult`, :class:`Level` -- claims as data;
* check builders :func:`prove_inequality`, :func:`identity`, :func:`smt_decide`,
  :func:`instance_check`, :func:`monte_carlo`, :func:`python_check`;
* :func:`hypothesis` -- a hypothesis as code (text + exact predicate), for ``Claim(predicates=...)``;
* :func:`verify` -- evaluate your claims together with the shipped ones;
  :func:`load_claims` -- the claims of a claim file (TOML) or a module.

See docs/verify-your-own-lemma.md.
"""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("prunecert")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
    __version__ = "0+unknown"

_LAZY = {
    "Claim": ("prunecert.proofs.registry", "Claim"),
    "Check": ("prunecert.proofs.registry", "Check"),
    "ClaimStatus": ("prunecert.proofs.registry", "ClaimStatus"),
    "CheckResult": ("prunecert.checks.result", "CheckResult"),
    "Level": ("prunecert.checks.levels", "Level"),
    "InputError": ("prunecert.checks.errors", "InputError"),
    "prove_inequality": ("prunecert.proofs.builders", "prove_inequality"),
    "identity": ("prunecert.proofs.builders", "identity"),
    "smt_decide": ("prunecert.proofs.builders", "smt_decide"),
    "instance_check": ("prunecert.proofs.builders", "instance_check"),
    "monte_carlo": ("prunecert.proofs.builders", "monte_carlo"),
    "python_check": ("prunecert.proofs.builders", "python_check"),
    "hypothesis": ("prunecert.proofs.builders", "hypothesis"),
    "Hypothesis": ("prunecert.checks.hypotheses", "Hypothesis"),
    "verify": ("prunecert.proofs.user_claims", "verify"),
    "load_claims": ("prunecert.proofs.user_claims", "load_claims"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name):
    """Import the public claim API on first use (PEP 562)."""
    try:
        mod, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'prunecert' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(mod), attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
