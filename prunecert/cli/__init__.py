"""The ``prunecert`` command: the one place that imports everything.

It holds no mathematics: argument parsing, rendering (rich on stderr, JSON on stdout) and
exit codes.  Each subcommand lives in a module of this package that defines
``register(subparsers)``; modules are discovered automatically.

Exit codes: 0 PROVED / success, 1 REFUTED (or a failed re-check), 2 UNKNOWN,
3 bad input (one-line message on stderr, no traceback).
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from prunecert.checks.errors import InputError, PrunecertError

EXIT_OK, EXIT_REFUTED, EXIT_UNKNOWN, EXIT_BAD_INPUT = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on bad usage; 2 means UNKNOWN here, so bad usage is 3."""

    def error(self, message):  # noqa: D401
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"prunecert: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="prunecert", description=__doc__.splitlines()[0])
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("prunecert")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout
        ver = "unknown"
    parser.add_argument("--version", action="version", version=f"prunecert {ver}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    import prunecert.cli as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"prunecert.cli.{info.name}")
        if hasattr(mod, "register"):
            mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        code = args.func(args)
    except InputError as exc:
        print(f"prunecert: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PrunecertError as exc:
        print(f"prunecert: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNKNOWN
    except KeyboardInterrupt:
        print("prunecert: interrupted", file=sys.stderr)
        return 130
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
