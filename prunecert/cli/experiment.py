"""``prunecert experiment NAME ...``: measured experiments.

Each experiment lives in a module ``prunecert/cli/_exp_<name>.py`` that defines
``register_experiment(subparsers)``; modules are discovered automatically.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser("experiment", help="run a measured experiment (gap, ecp, random-pruning, ...)")
    sub = p.add_subparsers(dest="experiment", metavar="NAME", parser_class=type(p))
    import prunecert.cli as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_exp_"):
            mod = importlib.import_module(f"prunecert.cli.{info.name}")
            mod.register_experiment(sub)
    def no_name(args) -> int:  # bad usage: the help goes to stderr, stdout stays empty (exit 3)
        p.print_help(sys.stderr)
        print("prunecert: error: name an experiment", file=sys.stderr)
        return 3

    p.set_defaults(func=no_name)
