"""Time budgets that hold even inside long library calls (sympy simplify/diff/factor).

:func:`time_limit` is a nestable context manager built on ``SIGALRM``.  When its deadline
passes, a :class:`TimeLimit` is raised in the running code and swallowed again by *that*
``with`` block, which records ``expired = True``; a limit that belongs to an outer block passes
through inner ones untouched.  ``TimeLimit`` derives from ``BaseException`` so that library
code with ``except Exception`` cannot swallow it.  Signals only reach the main thread: in other
threads the block runs without a limit (callers also check deadlines cooperatively).
"""
from __future__ import annotations

import itertools
import signal
import threading
import time

__all__ = ["time_limit", "TimeLimit"]


class TimeLimit(BaseException):
    """A :func:`time_limit` deadline passed (carries the token of the block it belongs to)."""

    def __init__(self, token):
        super().__init__("time limit")
        self.token = token


_active: dict[int, float] = {}   # token -> absolute deadline (perf_counter)
_tokens = itertools.count(1)
_saved_handler = None


def _arm():
    if not _active:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    left = min(_active.values()) - time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


def _handler(signum, frame):
    now = time.perf_counter()
    expired = [t for t, d in _active.items() if d <= now + 1e-4]
    if not expired:
        _arm()
        return
    # the outermost expired block (smallest token) is the one to unwind to
    token = min(expired)
    # fire again shortly in case some code swallows the exception anyway
    signal.setitimer(signal.ITIMER_REAL, 0.25)
    raise TimeLimit(token)


class time_limit:
    """``with time_limit(seconds) as tl: ...``; afterwards ``tl.expired`` tells whether the
    block was cut short.  ``seconds=None`` (or a non-main thread) means no limit."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.expired = False
        self.token = None

    def __enter__(self):
        global _saved_handler
        if self.seconds is None or threading.current_thread() is not threading.main_thread():
            return self
        if self.seconds <= 0:
            self.seconds = 0.001
        if not _active:
            _saved_handler = signal.signal(signal.SIGALRM, _handler)
        self.token = next(_tokens)
        _active[self.token] = time.perf_counter() + self.seconds
        _arm()
        return self

    def __exit__(self, exc_type, exc, tb):
        global _saved_handler
        if self.token is None:
            return False
        _active.pop(self.token, None)
        if _active:
            _arm()
        else:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, _saved_handler or signal.SIG_DFL)
            _saved_handler = None
        if isinstance(exc, TimeLimit) and exc.token == self.token:
            self.expired = True
            return True
        if isinstance(exc, TimeLimit) and exc.token not in _active and exc.token > self.token:
            # raised for an inner block that is already gone (a late re-fire): ours now
            self.expired = True
            return True
        return False
