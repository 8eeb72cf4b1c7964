"""The output contract shared by every subcommand (docs/cli.md, "Output and exit codes").

* the result goes to **stdout**: a readable table by default (:func:`render_table`), or exactly
  one JSON document with ``--json`` (:func:`emit_json`);
* progress and logs go to **stderr** (:data:`err_console`, :func:`progress`);
* every output path is checked **before** any work starts (:func:`check_output_path`,
  :func:`check_output_dir`): an unwritable path is bad input, exit 3 with one line;
* tables fit the terminal, or 80 columns when piped (``COLUMNS`` overrides): text columns
  wrap, columns that hold numbers or identifiers are never cut; when even that does not fit,
  optional columns are dropped and, as a last resort, each row is printed as ``name: value``
  lines.

Exit codes (the same for every command): 0 PROVED / success, 1 REFUTED (or a failed re-check),
2 UNKNOWN (undecided, out of time, or an internal error), 3 bad input.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable, Sequence

from rich.console import Console

from prunecert.checks.errors import InputError

EXIT_OK, EXIT_REFUTED, EXIT_UNKNOWN, EXIT_BAD_INPUT = 0, 1, 2, 3

err_console = Console(stderr=True)


# --- output paths ---------------------------------------------------------------------------

def check_output_path(path, what: str) -> Path:
    """Make sure a result FILE can be written, before any work starts; return it as a Path.

    The parent directory must exist; the file may exist (it will be replaced) but must not be a
    directory.  The check really opens the file for appending (so it also catches read-only file
    systems and missing permissions, whoever runs it) and removes it again if it did not exist.
    Raises :class:`InputError` (exit 3, one line) naming ``what`` (e.g. ``"--plot"``).
    """
    if path is None or str(path).strip() == "":
        raise InputError(f"{what}: empty path")
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{what}: {str(p)!r} is a directory, expected a file name")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{what}: cannot write {str(p)!r}: directory {str(parent)!r} does not exist")
    existed = p.exists()
    try:
        with open(p, "a"):
            pass
    except OSError as exc:
        raise InputError(f"{what}: cannot write {str(p)!r}: {exc.strerror or exc}") from None
    if not existed:
        with contextlib.suppress(OSError):
            p.unlink()
    return p


def check_output_dir(path, what: str) -> Path:
    """Create an output DIRECTORY (with parents) if missing and make sure a file can be written
    in it, before any work starts; return it as a Path.  InputError (exit 3) otherwise."""
    if path is None or str(path).strip() == "":
        raise InputError(f"{what}: empty path")
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise InputError(f"{what}: {str(p)!r} exists and is not a directory")
    try:
        p.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".prunecert-write-test-", dir=p)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(f"{what}: cannot write into directory {str(p)!r}: {exc.strerror or exc}") from None
    return p


# --- JSON -----------------------------------------------------------------------------------

def emit_json(obj: Any) -> None:
    """Machine-readable output: exactly one JSON document on stdout (call it once per run)."""
    json.dump(obj, sys.stdout, indent=2, sort_keys=False, default=str)
    sys.stdout.write("\n")
    sys.stdout.flush()


print_json = emit_json  # the older name, kept for callers


def write_json(obj: Any, path) -> None:
    """Write one JSON document to a file (after :func:`check_output_path` passed)."""
    try:
        Path(path).write_text(json.dumps(obj, indent=1, default=str) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None


# --- tables ---------------------------------------------------------------------------------

def out_console(file=None) -> Console:
    """A console on stdout (or ``file``): the terminal's width, or ``COLUMNS`` / 80 when piped.
    No markup or highlighting is applied to cell text."""
    return Console(file=file or sys.stdout, highlight=False, markup=False, soft_wrap=False)


class Col:
    """One table column.

    ``whole``: the cells are numbers or identifiers that must never be cut or wrapped (the
    column is as wide as its widest cell); ``optional``: the column may be dropped when the
    table does not fit (dropped in the order given, last optional column first);
    ``justify``: "left" or "right" (default: right for whole columns, left otherwise).
    """

    __slots__ = ("name", "whole", "optional", "justify")

    def __init__(self, name: str, *, whole: bool = False, optional: bool = False, justify: str | None = None):
        self.name, self.whole, self.optional = name, whole, optional
        self.justify = justify or ("right" if whole else "left")


def _as_col(c) -> Col:
    return c if isinstance(c, Col) else Col(str(c))


def _plain(cell) -> str:
    """The text of a cell: a rich Text keeps its styles for printing; its .plain is measured."""
    return "" if cell is None else getattr(cell, "plain", None) or str(cell)


def _cell_len(text) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in _plain(text).split("\n")), default=0)


def _longest_word(text) -> int:
    from rich.cells import cell_len

    return max((cell_len(w) for w in _plain(text).split()), default=0)


TEXT_MIN = 16  # a text column is never made narrower than this (or its longest word, if shorter)


def column_widths(cols: Sequence[Col], rows: Sequence[Sequence], width: int) -> list[int] | None:
    """Content widths of the columns so that the table fits ``width`` characters, or None.

    A whole column is exactly as wide as its widest cell (its header may wrap); a text column
    gets at least min(its longest word, TEXT_MIN) and at most its natural width, the room left
    being shared out evenly (water filling)."""
    avail = width - (3 * len(cols) + 1)  # one space of padding each side, one rule between columns
    fixed, natural, least = {}, {}, {}
    for j, c in enumerate(cols):
        cells = [r[j] for r in rows]
        if c.whole:
            fixed[j] = max([_cell_len(x) for x in cells] + [_longest_word(c.name), 1])
        else:
            natural[j] = max([_cell_len(x) for x in cells] + [_cell_len(c.name), 1])
            least[j] = max([min(_longest_word(x), TEXT_MIN) for x in cells]
                           + [min(_longest_word(c.name), TEXT_MIN), 1])
    room = avail - sum(fixed.values())
    if room < sum(least.values()):
        return None
    if sum(natural.values()) <= room:
        share = dict(natural)
    else:
        lo, hi = 0, max(natural.values(), default=0)
        while lo < hi:  # the largest cap with sum(clip(natural, least, cap)) <= room
            cap = (lo + hi + 1) // 2
            if sum(min(natural[j], max(least[j], cap)) for j in natural) <= room:
                lo = cap
            else:
                hi = cap - 1
        share = {j: min(natural[j], max(least[j], lo)) for j in natural}
        spare = room - sum(share.values())
        for j in natural:  # hand out what rounding left over
            if spare <= 0:
                break
            if share[j] < natural[j]:
                give = min(spare, natural[j] - share[j])
                share[j] += give
                spare -= give
    spare = room - sum(share.values())
    for j in fixed:  # room left: let whole columns' headers stand on one line
        give = min(max(spare, 0), max(_cell_len(cols[j].name) - fixed[j], 0))
        fixed[j] += give
        spare -= give
    return [fixed[j] if j in fixed else share[j] for j in range(len(cols))]


def build_table(columns: Iterable, rows: Iterable[Sequence], *, title: str | None = None,
                width: int | None = None, caption: str | None = None):
    """A rich Table of ``rows`` (sequences of cells, converted with str) that fits ``width``:
    returns ``(table, kept_columns)`` or ``(None, cols)`` if no column selection fits."""
    from rich.table import Table
    from rich.text import Text

    cols = [_as_col(c) for c in columns]
    rows = [["" if v is None else (v if hasattr(v, "plain") else str(v)) for v in r] for r in rows]
    keep = list(range(len(cols)))
    droppable = [j for j in range(len(cols)) if cols[j].optional]
    w = width or 80
    while (widths := column_widths([cols[j] for j in keep], [[r[j] for j in keep] for r in rows], w)) is None:
        if not droppable:
            return None, cols
        keep.remove(droppable.pop())
    t = Table(title=title, caption=caption, title_justify="left")
    for j, cw in zip(keep, widths):
        c = cols[j]
        t.add_column(c.name, justify=c.justify, width=cw, overflow="fold")
    for r in rows:
        t.add_row(*(r[j] if isinstance(r[j], Text) else Text(r[j]) for j in keep))
    return t, [cols[j] for j in keep]


def render_table(columns: Iterable, rows: Iterable[Sequence], *, title: str | None = None,
                 caption: str | None = None, console: Console | None = None) -> None:
    """Print a table on stdout (or ``console``) that is readable at the console's width.

    ``columns``: names or :class:`Col` objects; ``rows``: sequences of cells (str() is applied,
    None prints empty; a ``rich.text.Text`` cell keeps its style).  Numbers and identifiers in ``Col(..., whole=True)`` columns are never
    cut; text columns wrap.  If the table cannot fit even after dropping optional columns, each
    row is printed as ``name: value`` lines instead.
    """
    con = console or out_console()
    cols = [_as_col(c) for c in columns]
    rows = [list(r) for r in rows]
    table, kept = build_table(cols, rows, title=title, width=con.width, caption=caption)
    if table is not None:
        con.print(table)
        if len(kept) < len(cols):
            dropped = [c.name for c in cols if c not in kept]
            con.print(f"(columns left out to fit {con.width} columns: {', '.join(dropped)}; "
                      "widen the terminal, set COLUMNS, or use --json)")
        return
    if title:
        con.print(title)
    for r in rows:
        for c, v in zip(cols, r):
            con.print(f"  {c.name}: {_plain(v)}")
        con.print("")


# --- progress -------------------------------------------------------------------------------

def progress(**kwargs):
    """A rich progress bar on stderr, for anything that can take more than ~2 s::

        with progress() as bar:
            task = bar.add_task("what", total=n)
            ...; bar.advance(task)

    Keyword arguments go to ``rich.progress.Progress`` (e.g. ``transient=True``).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    kwargs.setdefault("console", err_console)
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), **kwargs)


@contextlib.contextmanager
def spinner(description: str):
    """A progress indicator (no total) on stderr for one long step of unknown length."""
    with progress(transient=True) as bar:
        bar.add_task(description, total=None)
        yield bar


@contextlib.contextmanager
def stdout_to_stderr():
    """Send everything written to stdout (file descriptor 1, so also by subprocesses and worker
    processes) to stderr for the duration of the block, so a library that prints cannot
    corrupt the result on stdout."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # pragma: no cover - no real stdout (embedded use)
        with contextlib.redirect_stdout(sys.stderr):
            yield
        return
    try:
        os.dup2(2, 1)
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
