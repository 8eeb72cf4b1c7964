"""``prunecert experiment NAME ...``: measured experiments.

Each experiment lives in a module ``prunecert/cli/_exp_<name>.py`` that defines
``register_experiment(subparsers)``; modules are discovered automatically.
"""
from __future__ import annotations

import importlib
import pkgutil


def register(subparsers) -> None:
    p = subparsers.add_parser("experiment", help="run a measured experiment (gap, ecp, random-pruning, ...)")
    sub = p.add_subparsers(dest="experiment", metavar="NAME", parser_class=type(p))
    import prunecert.cli as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_exp_"):
            mod = importlib.import_module(f"prunecert.cli.{info.name}")
            mod.register_experiment(sub)
    p.set_defaults(func=lambda args: (p.print_help(), 3)[1])
