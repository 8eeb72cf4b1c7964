"""Shared rendering helpers for subcommands: JSON to stdout, rich output to stderr."""
from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

err_console = Console(stderr=True)


def print_json(obj: Any) -> None:
    """Machine-readable output: exactly one JSON document on stdout."""
    json.dump(obj, sys.stdout, indent=2, sort_keys=False, default=str)
    sys.stdout.write("\n")
    sys.stdout.flush()


def progress(**kwargs):
    """A rich progress bar on stderr (quiet when stderr is not a terminal is fine)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, **kwargs)
