"""The result store: one SQLite table, one row per finished task, committed as it arrives.

Rows are keyed by the task key (:meth:`prunecert.checks.sweep.task.Sweep.key`) and never
overwritten: a key is inserted once (``PRIMARY KEY``), so a sweep run twice, or two runs at
once, cannot store a task twice.  The journal is SQLite's write-ahead log with ``synchronous =
NORMAL``: a committed row survives the process being interrupted or killed.
"""
from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterable

from prunecert.checks.errors import InputError

__all__ = ["Store"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key      TEXT PRIMARY KEY,
    sweep    TEXT NOT NULL,
    params   TEXT NOT NULL,
    code     TEXT NOT NULL,
    result   TEXT NOT NULL,
    seconds  REAL,
    worker   TEXT,
    finished TEXT
)"""


class Store:
    """``Store(path)``: an SQLite file (created if missing); ``Store(None)``: kept in memory
    only, for runs that were not asked to be resumable."""

    def __init__(self, path: str | Path | None):
        self.path = None if path is None else Path(path)
        if self.path is not None and self.path.is_dir():
            raise InputError(f"result store {self.path} is a directory, not a file")
        try:
            self._db = sqlite3.connect(":memory:" if self.path is None else str(self.path), isolation_level=None)
            if self.path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"cannot use {self.path} as a result store: {exc}") from None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self._db.close()

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """``{key: result}`` for the keys that are stored (results decoded from JSON)."""
        keys = list(dict.fromkeys(keys))
        out = {}
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            q = f"SELECT key, result FROM results WHERE key IN ({','.join('?' * len(part))})"
            out.update({k: json.loads(r) for k, r in self._db.execute(q, part)})
        return out

    def put(self, key: str, sweep: str, params: str, code: str, result: str, seconds: float | None = None,
            worker: str | None = None) -> bool:
        """Store one finished task (JSON texts); False if the key was already stored."""
        cur = self._db.execute(
            "INSERT OR IGNORE INTO results (key, sweep, params, code, result, seconds, worker, finished) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key, sweep, params, code, result, seconds, worker, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
        return cur.rowcount == 1

    def count(self, sweep: str | None = None) -> int:
        if sweep is None:
            return self._db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        return self._db.execute("SELECT COUNT(*) FROM results WHERE sweep = ?", (sweep,)).fetchone()[0]

    def rows(self, sweep: str | None = None) -> list[dict]:
        """Every stored row (for inspection and tests)."""
        q = "SELECT key, sweep, params, code, result, seconds, worker, finished FROM results"
        args: tuple = ()
        if sweep is not None:
            q += " WHERE sweep = ?"
            args = (sweep,)
        cols = ("key", "sweep", "params", "code", "result", "seconds", "worker", "finished")
        return [dict(zip(cols, r)) for r in self._db.execute(q + " ORDER BY rowid", args)]
