"""The ``prunecert`` command: the one place that imports everything.

It holds no mathematics: argument parsing, rendering and exit codes.  Each subcommand lives in
a module of this package that defines ``register(subparsers)``; modules are discovered
automatically.  The output contract every subcommand follows (result on stdout, a table or
exactly one JSON document with ``--json``; progress and logs on stderr; output paths checked
before work starts) is implemented once in :mod:`prunecert.cli._render`.

Exit codes: 0 PROVED / success, 1 REFUTED (or a failed re-check), 2 UNKNOWN (undecided, out of
time, or an internal error), 3 bad input (one-line message on stderr, no traceback).
Set PRUNECERT_DEBUG=1 to see the traceback of an internal error.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from prunecert.checks.errors import InputError, PrunecertError

from prunecert.cli._render import EXIT_BAD_INPUT, EXIT_OK, EXIT_REFUTED, EXIT_UNKNOWN  # noqa: F401


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
    except OSError as exc:  # a file that cannot be read or written: bad input, one line
        name = f" {exc.filename!r}" if getattr(exc, "filename", None) else ""
        print(f"prunecert: error: cannot access{name}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - never a traceback; the verdict is unknown
        import os

        if os.environ.get("PRUNECERT_DEBUG"):
            raise
        first = (str(exc).splitlines() or [""])[0]
        print(f"prunecert: internal error ({type(exc).__name__}: {first}); no verdict. "
              "Set PRUNECERT_DEBUG=1 for the traceback and please report it.", file=sys.stderr)
        return EXIT_UNKNOWN
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
