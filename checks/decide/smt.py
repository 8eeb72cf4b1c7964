"""Exact decision with SMT solvers (z3 and cvc5), every answer double-checked.

Three entry points (see docs/smt.md):

* :func:`check_sat` runs ONE solver on an SMT-LIB2 script in a separate process
  (``python -m prunecert.checks.decide.smt_worker``) and kills its process group at the deadline, so a
  solver that ignores its own time limit cannot hang the caller.  Models come back as
  exact Fractions; irrational (real-algebraic) values come back as a rational
  approximation *flagged as approximate*, with an enclosing interval.
* :func:`prove_forall` decides ``forall x in box: lhs OP rhs`` for polynomial and
  piecewise-linear statements.  PROVED needs **both** z3 and cvc5 to answer "unsat" for
  the negation (z3 has shipped wrong nonlinear "unsat" answers, issues #3106 and #7174);
  REFUTED needs a witness that re-checks in exact rational arithmetic (sympy); anything
  else is UNKNOWN with the reason in ``detail``.
* :func:`feasible_01` decides exact 0-1 linear feasibility: "feasible" comes with an
  assignment re-checked exactly in Python; "infeasible" needs z3 and cvc5 to agree.
"""
from __future__ import annotations

import importlib.util
import itertools
import json
import math
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping, Sequence

from prunecert.checks.errors import BoxError, ExpressionError, InputError
from prunecert.checks.levels import Level
from prunecert.checks.rigorous.numbers import fraction_to_decimal, fraction_to_str, to_fraction
from prunecert.checks.result import CheckResult

SOLVERS = ("z3", "cvc5")
HARD_GRACE = 1.0          # seconds beyond the soft limit before the kill (subprocess: interpreter start-up)
FORK_GRACE = 0.5          # the same for a forked child (no start-up cost)
MIN_SOLVER_TIME = 0.2     # do not start a solver with less budget than this
_OPS = (">=", ">", "<=", "<", "==")
_NEGATION = {">=": "<", ">": "<=", "<=": ">", "<": ">="}
_ROOT = str(Path(__file__).resolve().parents[1])
CERT_FORMAT = "prunecert-smt/1"


# ------------------------------------------------------------------------ check_sat
@dataclass
class SatResult:
    """One solver's answer.

    status: "sat" | "unsat" | "unknown" | "timeout" | "error".
    model: variable -> exact Fraction (Bool as 0/1) when sat; for a name in
        ``approximate`` the Fraction is only a rational approximation of an irrational value.
    approximate: name -> (lo, hi), an interval containing the solver's true value.
    """

    status: str
    model: dict[str, Fraction] | None = None
    seconds: float = 0.0
    solver: str = ""
    version: str = ""
    detail: str = ""
    approximate: dict[str, tuple[Fraction, Fraction]] = field(default_factory=dict)
    model_text: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"solver": self.solver, "version": self.version, "status": self.status,
                               "seconds": round(self.seconds, 6)}
        if self.detail:
            out["detail"] = self.detail
        if self.model is not None:
            out["model"] = {k: fraction_to_str(v) for k, v in self.model.items()}
            if self.approximate:
                out["approximate"] = {k: [fraction_to_str(a), fraction_to_str(b)]
                                      for k, (a, b) in self.approximate.items()}
        return out


def solver_available(solver: str) -> bool:
    return importlib.util.find_spec("z3" if solver == "z3" else "cvc5") is not None


def _check_timeout(timeout) -> float:
    try:
        t = float(timeout)
    except (TypeError, ValueError) as exc:
        raise InputError(f"timeout must be a number of seconds, got {timeout!r}") from exc
    if not math.isfinite(t) or t <= 0:
        raise InputError(f"timeout must be a positive finite number of seconds, got {timeout!r}")
    return t


def check_sat(smtlib2: str, *, timeout: float = 10.0, solver: str = "z3", _test_hang: float = 0.0) -> SatResult:
    """Run ``solver`` on the SMT-LIB2 script in a separate process whose process group is
    killed at ``timeout + grace`` (grace: FORK_GRACE for a forked child, HARD_GRACE for a
    fresh ``python -m prunecert.checks.decide.smt_worker``; forking is used when the caller has no other
    threads, set ``PRUNECERT_SMT_SPAWN=subprocess`` to force a fresh interpreter).

    The script holds declarations and assertions (``check-sat``/``get-model`` in it are
    skipped; one check runs at the end).  The solver's own soft limit is ``timeout``.
    """
    if solver not in SOLVERS:
        raise InputError(f"unknown solver {solver!r}; choose one of {', '.join(SOLVERS)}")
    if not isinstance(smtlib2, str):
        raise InputError("smtlib2 must be a string holding an SMT-LIB2 script")
    t = _check_timeout(timeout)
    if not solver_available(solver):
        return SatResult("error", solver=solver, detail=f"{solver} is not installed (pip install "
                         f"{'z3-solver' if solver == 'z3' else 'cvc5'})")
    job = {"solver": solver, "smtlib2": smtlib2, "timeout_ms": int(t * 1000)}
    if _test_hang:
        job["_test_hang"] = _test_hang
    t0 = time.perf_counter()
    if _use_fork():
        res, detail = _run_forked(job, t + FORK_GRACE)
    else:
        res, detail = _run_subprocess(job, t + HARD_GRACE)
    secs = time.perf_counter() - t0
    if res is None:
        return SatResult("timeout" if detail.startswith("killed") else "error", solver=solver, seconds=secs,
                         detail=detail + (f" (soft limit {t:g} s not honoured)" if detail.startswith("killed") else ""))
    sr = SatResult(str(res.get("status", "error")), solver=solver, seconds=secs,
                   version=str(res.get("version", "")), detail=str(res.get("reason", "") or ""))
    if sr.status == "sat":
        model, approx, texts = {}, {}, {}
        for name, ent in (res.get("model") or {}).items():
            model[name] = Fraction(ent["value"])
            texts[name] = ent.get("text", "")
            if not ent.get("exact", True):
                approx[name] = (Fraction(ent["lo"]), Fraction(ent["hi"]))
        sr.model, sr.approximate, sr.model_text = model, approx, texts
    return sr


def _use_fork() -> bool:
    """Fork (fast: no interpreter start-up) only where safe: POSIX, and no other threads."""
    import threading

    mode = os.environ.get("PRUNECERT_SMT_SPAWN", "auto")
    if mode == "subprocess":
        return False
    return hasattr(os, "fork") and threading.active_count() == 1


def _run_subprocess(job: dict, hard: float) -> tuple[dict | None, str]:
    """``python -m prunecert.checks.decide.smt_worker`` in its own session; the group is killed after ``hard`` s."""
    env = dict(os.environ)
    env["PYTHONPATH"] = _ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.Popen([sys.executable, "-m", "prunecert.checks.decide.smt_worker"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            env=env, cwd=_ROOT)
    try:
        out, err = proc.communicate(json.dumps(job).encode(), timeout=hard)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid)
        proc.communicate()
        return None, f"killed after {hard:.2f} s"
    except BaseException:
        _kill_group(proc.pid)
        proc.communicate()
        raise
    try:
        res = json.loads(out.decode() or "null")
    except json.JSONDecodeError:
        res = None
    if not isinstance(res, dict):
        tail = err.decode(errors="replace").strip().splitlines()[-3:]
        return None, f"solver process exited with code {proc.returncode}: {' | '.join(tail)}"
    return res, ""


def _run_forked(job: dict, hard: float) -> tuple[dict | None, str]:
    """Fork a child (its own session) that runs the worker; kill its group after ``hard`` s."""
    import select

    from prunecert.checks.decide import smt_worker

    smt_worker.preload(job["solver"])  # import the solver module once, in the parent
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into the caller's code
        code = 0
        try:
            os.close(rfd)
            os.setsid()
            try:
                out = smt_worker.run(job)
            except BaseException as exc:  # noqa: BLE001
                out = {"status": "error", "reason": f"{type(exc).__name__}: {exc}"}
            data = json.dumps(out).encode()
            view = memoryview(data)
            while view:
                n = os.write(wfd, view)
                view = view[n:]
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    os.close(wfd)
    chunks: list[bytes] = []
    deadline = time.perf_counter() + hard
    killed = False
    try:
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                killed = True
                break
            ready, _, _ = select.select([rfd], [], [], left)
            if not ready:
                continue
            b = os.read(rfd, 1 << 16)
            if not b:
                break
            chunks.append(b)
    except BaseException:
        _kill_group(pid)
        os.waitpid(pid, 0)
        os.close(rfd)
        raise
    if killed:
        _kill_group(pid)
    os.waitpid(pid, 0)
    os.close(rfd)
    if killed:
        return None, f"killed after {hard:.2f} s"
    try:
        res = json.loads(b"".join(chunks).decode() or "null")
    except json.JSONDecodeError:
        res = None
    if not isinstance(res, dict):
        return None, "solver child process died without an answer"
    return res, ""


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# --------------------------------------------------------------------- prove_forall
def _to_expr(x, what: str):
    import sympy

    if isinstance(x, sympy.Basic):
        return x
    if isinstance(x, str):
        try:
            from prunecert.checks.rigorous.expr import parse
        except ImportError as exc:  # pragma: no cover - prunecert.checks.rigorous.expr lands with the core prover
            raise ExpressionError(f"{what}: text input needs prunecert.checks.rigorous.expr.parse, which is not available") from exc
        return parse(x)
    if isinstance(x, bool):
        raise ExpressionError(f"{what}: expected an expression, got a boolean")
    if isinstance(x, (int, Fraction)):
        q = Fraction(x)
        return sympy.Rational(q.numerator, q.denominator)
    if isinstance(x, float):
        raise ExpressionError(f"{what}: inexact float {x!r}; pass a string or an exact number")
    raise ExpressionError(f"{what}: expected a sympy expression or a string, got {type(x).__name__}")


def _parse_box(box, symbols: Mapping[str, Any]) -> dict[str, tuple[Fraction | None, Fraction | None]]:
    out: dict[str, tuple[Fraction | None, Fraction | None]] = {}
    if box is None:
        return out
    if not isinstance(box, Mapping):
        raise BoxError(f"box must be a mapping name -> (lo, hi), got {type(box).__name__}")
    for name, rng in box.items():
        name = str(name)
        if name not in symbols:
            raise BoxError(f"box names variable {name!r}, which does not occur in the statement "
                           f"(variables: {', '.join(sorted(symbols)) or 'none'})")
        if isinstance(rng, str):
            from prunecert.checks.rigorous.numbers import parse_box

            try:
                lo, hi = parse_box(rng, f"box for {name}")
            except InputError as exc:
                raise BoxError(str(exc)) from exc
        else:
            try:
                lo_in, hi_in = rng
            except (TypeError, ValueError) as exc:
                raise BoxError(f"box for {name}: expected (lo, hi), got {rng!r}") from exc
            try:
                lo = None if lo_in is None else _box_number(lo_in, f"box lower end of {name}")
                hi = None if hi_in is None else _box_number(hi_in, f"box upper end of {name}")
            except InputError as exc:
                raise BoxError(str(exc)) from exc
        if lo is not None and hi is not None and lo > hi:
            raise BoxError(f"box for {name}: reversed interval [{lo}, {hi}] (lower end > upper end)")
        out[name] = (lo, hi)
    return out


def _box_number(v, what: str) -> Fraction:
    import sympy

    if isinstance(v, sympy.Basic):
        if not v.is_Rational:
            raise InputError(f"{what}: {v} is not an exact rational number")
        return Fraction(int(v.p), int(v.q))
    return to_fraction(v, what)


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational with the smallest denominator in [lo, hi] (Stern-Brocot descent)."""
    if lo > hi:
        lo, hi = hi, lo
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -_simplest_between(-hi, -lo)
    fl = math.floor(lo)
    if fl == lo:
        return Fraction(fl)
    if fl + 1 <= hi:
        return Fraction(fl + 1)
    # lo, hi in (fl, fl+1): recurse on reciprocals of the fractional parts
    inner = _simplest_between(1 / (hi - fl), 1 / (lo - fl))
    return fl + 1 / inner


def _candidates(value: Fraction, interval: tuple[Fraction, Fraction] | None) -> list[Fraction]:
    if interval is None:
        return [value]
    lo, hi = interval
    cands = [value, _simplest_between(lo, hi), lo, hi, (lo + hi) / 2]
    for k in (6, 12, 24):
        cands.append(_simplest_between(value - Fraction(1, 10 ** k), value + Fraction(1, 10 ** k)))
    return list(dict.fromkeys(cands))


def _holds(l: Fraction, op: str, r: Fraction) -> bool:
    return {">=": l >= r, ">": l > r, "<=": l <= r, "<": l < r, "==": l == r}[op]


def _recheck_point(lhs, op, rhs, symbols, box, point: Mapping[str, Fraction]) -> tuple[str, str]:
    """Exact evaluation at ``point``: ("violated" | "holds" | "outside" | "undefined", detail)."""
    import sympy

    for name, s in symbols.items():
        v = point[name]
        if s.is_integer and v.denominator != 1:
            return "outside", f"{name}={v} is not an integer"
        for attr, ok in (("is_positive", v > 0), ("is_nonnegative", v >= 0), ("is_negative", v < 0),
                         ("is_nonpositive", v <= 0), ("is_nonzero", v != 0)):
            if getattr(s, attr) and not ok:
                return "outside", f"{name}={v} violates the symbol assumption {attr[3:]}"
        lo, hi = box.get(name, (None, None))
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            return "outside", f"{name}={v} is outside the box"
    sub = {s: sympy.Rational(point[n].numerator, point[n].denominator) for n, s in symbols.items()}
    vals = []
    for side in (lhs, rhs):
        try:
            v = side.xreplace(sub)
            if not v.is_Rational:
                v = sympy.simplify(v)
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError) as exc:
            # e.g. a Piecewise condition 1/x < 0 at x = 0: the statement is undefined there
            return "undefined", f"the statement is not defined there: {side} ({type(exc).__name__})"
        if not v.is_Rational:
            return "undefined", f"the statement is not defined (or not rational) there: {side} -> {v}"
        vals.append(Fraction(int(v.p), int(v.q)))
    l, r = vals
    if _holds(l, op, r):
        return "holds", f"lhs={l}, rhs={r}"
    return "violated", f"lhs={fraction_to_str(l)}, rhs={fraction_to_str(r)}"


def build_forall_query(lhs, op: str, rhs, box=None):
    """(SMT-LIB2 script asserting box AND NOT(lhs OP rhs defined and true), translator, box).

    The script is unsat iff the statement is defined and true at every point of the box
    (and of the symbols' assumption domains).
    """
    from prunecert.checks.decide.smtlib import Translator, quote_symbol, real_literal

    lhs = _to_expr(lhs, "lhs")
    rhs = _to_expr(rhs, "rhs")
    if op not in _OPS:
        raise InputError(f"unknown relation {op!r}; use one of {', '.join(_OPS)}")
    tr = Translator()
    a, da = tr.term(lhs)
    b, db = tr.term(rhs)
    for s in sorted(lhs.free_symbols | rhs.free_symbols, key=lambda s: s.name):
        tr.declare(s)
    bx = _parse_box(box, tr.symbols)
    lines = [f"(set-logic {tr.logic})"] + tr.declarations()
    for name, (lo, hi) in bx.items():
        v = quote_symbol(name)
        if tr.variables[name] == "Int":
            v = f"(to_real {v})"
        if lo is not None:
            lines.append(f"(assert (>= {v} {real_literal(lo)}))")
        if hi is not None:
            lines.append(f"(assert (<= {v} {real_literal(hi)}))")
    lines += [f"(assert {c})" for c in tr.domain_constraints()]
    rel = f"(not (= {a} {b}))" if op == "==" else f"({_NEGATION[op]} {a} {b})"
    from prunecert.checks.decide.smtlib import _and

    dfn = _and(da, db)
    neg = rel if dfn == "true" else f"(or (not {dfn}) {rel})"
    lines += [f"(assert {neg})", "(check-sat)"]
    return "\n".join(lines) + "\n", tr, bx, lhs, rhs


def prove_forall(lhs, op: str, rhs, box: Mapping[str, tuple] | None = None, *,
                 timeout: float = 10.0) -> CheckResult:
    """Decide ``forall x in box: lhs OP rhs`` (OP in >=, >, <=, <, ==) exactly.

    Variables not in ``box`` range over all reals (all integers for ``integer=True``
    symbols); a box side may be ``None`` (unbounded).  PROVED iff z3 and cvc5 both answer
    "unsat" for the negation; REFUTED iff a solver's model (or a rational near an
    irrational model value) violates the statement in exact rational arithmetic.
    """
    t_all = _check_timeout(timeout)
    t0 = time.perf_counter()
    script, tr, bx, lhs_e, rhs_e = build_forall_query(lhs, op, rhs, box)
    deadline = t0 + t_all
    answers: list[SatResult] = []
    notes: list[str] = []

    def remaining() -> float:
        return deadline - time.perf_counter()

    def cert(extra: dict | None = None) -> dict:
        c = {
            "format": CERT_FORMAT,
            "kind": "smt-forall",
            "statement": {"lhs": str(lhs_e), "op": op, "rhs": str(rhs_e)},
            "box": {k: [None if lo is None else fraction_to_str(lo), None if hi is None else fraction_to_str(hi)]
                    for k, (lo, hi) in bx.items()},
            "variables": dict(tr.variables),
            "logic": tr.logic,
            "smtlib2": script,
            "answers": [a.to_json() for a in answers],
            "seconds": round(time.perf_counter() - t0, 6),
            "timeout": t_all,
        }
        if extra:
            c.update(extra)
        return c

    def result(level: Level, method: str, detail: str, witness=None, data=None) -> CheckResult:
        c = cert({"witness": witness} if witness else None)
        c["level"] = level.value          # the re-checker confirms exactly this level (audit N1)
        return CheckResult(level, method, time.perf_counter() - t0, detail, witness=witness, certificate=c,
                           data=data or {})

    z3_res = check_sat(script, timeout=max(MIN_SOLVER_TIME, 0.5 * t_all), solver="z3")
    answers.append(z3_res)
    if z3_res.status == "unsat":
        if remaining() < MIN_SOLVER_TIME:
            return result(Level.UNKNOWN, "z3+cvc5", "z3: unsat, but no time budget left for the cvc5 confirmation")
        cv = check_sat(script, timeout=remaining(), solver="cvc5")
        answers.append(cv)
        if cv.status == "unsat":
            return result(Level.PROVED, "z3+cvc5", "z3 and cvc5 both: negation unsat")
        if cv.status == "sat":
            ref = _try_refute(cv, lhs_e, op, rhs_e, tr, bx)
            if ref is not None:
                w, why = ref
                return result(Level.REFUTED, "cvc5+exact",
                              f"z3 said unsat but cvc5's model re-checks exactly as a counterexample ({why}); "
                              "a z3 soundness bug?", witness=w)
            return result(Level.UNKNOWN, "z3+cvc5", "solvers disagree: z3 unsat, cvc5 sat (model does not "
                          "re-check exactly)")
        return result(Level.UNKNOWN, "z3+cvc5", f"z3: unsat, cvc5: {cv.status} {cv.detail}".strip())
    if z3_res.status == "sat":
        ref = _try_refute(z3_res, lhs_e, op, rhs_e, tr, bx, notes)
        if ref is not None:
            w, why = ref
            return result(Level.REFUTED, "z3+exact", f"counterexample re-checked exactly: {why}", witness=w,
                          data={"witness_decimal": {k: fraction_to_decimal(Fraction(v), 20) for k, v in w.items()}})
    # z3 undecided, or its model did not re-check: ask cvc5 for a (checkable) model
    why_z3 = f"z3: {z3_res.status}" + (f" ({z3_res.detail})" if z3_res.detail else "")
    if z3_res.status == "sat":
        why_z3 = "z3: sat, but no candidate from its model re-checks exactly"
    if remaining() < MIN_SOLVER_TIME:
        return result(Level.UNKNOWN, "z3+cvc5", why_z3 + "; no time budget left for cvc5")
    cv = check_sat(script, timeout=remaining(), solver="cvc5")
    answers.append(cv)
    if cv.status == "sat":
        ref = _try_refute(cv, lhs_e, op, rhs_e, tr, bx, notes)
        if ref is not None:
            w, why = ref
            return result(Level.REFUTED, "cvc5+exact", f"counterexample re-checked exactly: {why}", witness=w,
                          data={"witness_decimal": {k: fraction_to_decimal(Fraction(v), 20) for k, v in w.items()}})
        return result(Level.UNKNOWN, "z3+cvc5", why_z3 + "; cvc5: sat, but its model does not re-check exactly "
                      "(the counterexample may be irrational or the statement undefined there)"
                      + ("; " + "; ".join(notes) if notes else ""))
    return result(Level.UNKNOWN, "z3+cvc5", why_z3 + f"; cvc5: {cv.status}" + (f" ({cv.detail})" if cv.detail else "")
                  + ("" if cv.status != "unsat" else " (one unsat answer is not enough)"))


def _try_refute(sr: SatResult, lhs, op, rhs, tr, bx, notes: list[str] | None = None
                ) -> tuple[dict[str, str], str] | None:
    """A witness (name -> exact fraction text) from the model that re-checks exactly, or None.

    ``notes`` collects why the model's points do not count (e.g. the statement is undefined there)."""
    names = list(tr.symbols)
    if sr.model is None:
        return None
    per_var = []
    for n in names:
        if n in sr.model:
            per_var.append(_candidates(sr.model[n], sr.approximate.get(n)))
        else:  # the solver did not constrain it: any value in the box
            lo, hi = bx.get(n, (None, None))
            per_var.append([Fraction(0) if (lo is None or lo <= 0) and (hi is None or hi >= 0)
                            else (lo if lo is not None else hi)])
    undefined = ""
    for combo in itertools.islice(itertools.product(*per_var), 512):
        point = dict(zip(names, combo))
        verdict, why = _recheck_point(lhs, op, rhs, tr.symbols, bx, point)
        if verdict == "violated":
            return {n: fraction_to_str(v) for n, v in point.items()}, why
        if verdict == "undefined" and not undefined:
            undefined = why
            if notes is not None:
                pt = ", ".join(f"{n}={fraction_to_str(v)}" for n, v in point.items())
                notes.append(f"{sr.solver} model {pt}: {why}")
    return None


# ---------------------------------------------------------------------- feasible_01
@dataclass
class Feasibility:
    """status: "feasible" | "infeasible" | "unknown"; assignment re-checked exactly when feasible."""

    status: str
    assignment: list[int] | None = None
    seconds: float = 0.0
    method: str = ""
    detail: str = ""
    certificate: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "assignment": self.assignment, "seconds": round(self.seconds, 6),
                "method": self.method, "detail": self.detail}


_ROW_OPS = {"<=": "<=", ">=": ">=", "==": "=", "=": "="}


def _normalise_rows(rows, n: int) -> list[tuple[list[Fraction], str, Fraction]]:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise InputError(f"n must be a non-negative integer, got {n!r}")
    try:
        rows = list(rows)
    except TypeError as exc:
        raise InputError("rows must be a list of (coefficients, op, rhs)") from exc
    out = []
    for i, row in enumerate(rows):
        try:
            coeffs, op, rhs = row
        except (TypeError, ValueError) as exc:
            raise InputError(f"row {i}: expected (coefficients, op, rhs), got {row!r}") from exc
        if op not in _ROW_OPS:
            raise InputError(f"row {i}: unknown relation {op!r}; use <=, >= or ==")
        coeffs = list(coeffs)
        if len(coeffs) != n:
            raise InputError(f"row {i}: {len(coeffs)} coefficients for n={n} variables")
        cs = [to_fraction(c, f"row {i} coefficient {j}") for j, c in enumerate(coeffs)]
        out.append((cs, op, to_fraction(rhs, f"row {i} right-hand side")))
    return out


def _row_holds(cs: Sequence[Fraction], op: str, rhs: Fraction, x: Sequence[int]) -> bool:
    lhs = sum((c * xi for c, xi in zip(cs, x)), Fraction(0))
    return lhs <= rhs if op == "<=" else lhs >= rhs if op == ">=" else lhs == rhs


def _rows_json(rows, n: int, fixed: Mapping[int, int]) -> dict[str, Any]:
    return {"n": n, "rows": [[[fraction_to_str(c) for c in cs], op, fraction_to_str(b)] for cs, op, b in rows],
            "fixed": {str(k): v for k, v in sorted(fixed.items())}}


def check_assignment(rows, x: Sequence[int]) -> bool:
    """Exact re-check of a 0-1 assignment against rational rows."""
    return all(v in (0, 1) for v in x) and all(_row_holds(cs, op, b, x) for cs, op, b in rows)


def feasible_01_script(rows, n: int, fixed: Mapping[int, int] | None = None) -> str:
    """SMT-LIB2 (QF_LIA) script: Int x_i in {0,1}, each row scaled to integer coefficients."""
    lines = ["(set-logic QF_LIA)"]
    lines += [f"(declare-fun x_{i} () Int)" for i in range(n)]
    lines += [f"(assert (and (>= x_{i} 0) (<= x_{i} 1)))" for i in range(n)]
    for i, v in sorted((fixed or {}).items()):
        lines.append(f"(assert (= x_{i} {v}))")
    from prunecert.checks.decide.smtlib import int_literal

    for cs, op, b in rows:
        den = math.lcm(*(c.denominator for c in cs), b.denominator) if cs else b.denominator
        ics = [int(c * den) for c in cs]
        ib = int(b * den)
        terms = [f"(* {int_literal(c)} x_{j})" for j, c in enumerate(ics) if c != 0]
        s = "0" if not terms else terms[0] if len(terms) == 1 else "(+ " + " ".join(terms) + ")"
        lines.append(f"(assert ({_ROW_OPS[op]} {s} {int_literal(ib)}))")
    lines.append("(check-sat)")
    return "\n".join(lines) + "\n"


def feasible_01(rows: list[tuple[list[Fraction], str, Fraction]], n: int, *, timeout: float = 30.0,
                fixed: dict[int, int] | None = None) -> Feasibility:
    """Is there x in {0,1}^n with every row ``sum_j coeffs[j] x_j OP rhs`` (OP in <=, >=, ==)?

    fixed: {index: 0 or 1} pins variables.  "feasible" carries an assignment re-checked
    exactly; "infeasible" needs z3 and cvc5 to agree; otherwise "unknown".
    """
    t_all = _check_timeout(timeout)
    t0 = time.perf_counter()
    nrows = _normalise_rows(rows, n)
    fx: dict[int, int] = {}
    for k, v in (fixed or {}).items():
        if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < n:
            raise InputError(f"fixed: index {k!r} is not in 0..{n - 1}")
        if v not in (0, 1):
            raise InputError(f"fixed: x_{k} must be 0 or 1, got {v!r}")
        fx[k] = int(v)
    if len(fx) == n:  # nothing to search: decide by exact evaluation
        x = [fx[i] for i in range(n)]
        ok = check_assignment(nrows, x)
        return Feasibility("feasible" if ok else "infeasible", x if ok else None, time.perf_counter() - t0,
                           "exact-evaluation", "all variables fixed; decided by exact evaluation",
                           {"format": CERT_FORMAT, "kind": "smt-01-feasibility", **_rows_json(nrows, n, fx),
                            "status": "feasible" if ok else "infeasible", "assignment": x if ok else None,
                            "answers": [], "seconds": round(time.perf_counter() - t0, 6)})
    script = feasible_01_script(nrows, n, fx)
    deadline = t0 + t_all
    answers: list[SatResult] = []

    def done(status, x, method, detail):
        return Feasibility(status, x, time.perf_counter() - t0, method, detail,
                           {"format": CERT_FORMAT, "kind": "smt-01-feasibility", **_rows_json(nrows, n, fx),
                            "status": status, "assignment": x, "smtlib2": script,
                            "answers": [a.to_json() for a in answers],
                            "seconds": round(time.perf_counter() - t0, 6)})

    def assignment(sr: SatResult) -> list[int] | None:
        if sr.model is None:
            return None
        x = [int(sr.model.get(f"x_{i}", Fraction(fx.get(i, 0)))) for i in range(n)]
        if any(sr.model.get(f"x_{i}", 0) not in (0, 1) for i in range(n)):
            return None
        if any(x[i] != v for i, v in fx.items()):
            return None
        return x if check_assignment(nrows, x) else None

    z = check_sat(script, timeout=max(MIN_SOLVER_TIME, 0.5 * t_all), solver="z3")
    answers.append(z)
    if z.status == "sat":
        x = assignment(z)
        if x is not None:
            return done("feasible", x, "z3+exact", "z3 assignment re-checked exactly")
    rem = deadline - time.perf_counter()
    if rem < MIN_SOLVER_TIME:
        return done("unknown", None, "z3+cvc5", f"z3: {z.status}; no time budget left for cvc5")
    c = check_sat(script, timeout=rem, solver="cvc5")
    answers.append(c)
    if c.status == "sat":
        x = assignment(c)
        if x is not None:
            return done("feasible", x, "cvc5+exact", f"cvc5 assignment re-checked exactly (z3: {z.status})")
    if z.status == "unsat" and c.status == "unsat":
        return done("infeasible", None, "z3+cvc5", "z3 and cvc5 both: unsat")
    return done("unknown", None, "z3+cvc5", f"z3: {z.status} {z.detail}; cvc5: {c.status} {c.detail}".strip())


# ------------------------------------------------------------- certificate re-check
@dataclass
class SmtRecheck:
    ok: bool
    detail: str
    level: str | None = None     # the level (smt-forall) or status (feasibility) that was confirmed
    timed_out: bool = False      # no verdict within the time limit (UNKNOWN), not a rejection


def recheck_certificate(cert: Mapping[str, Any], *, timeout: float = 30.0, level: str | None = None) -> SmtRecheck:
    """Re-verify a ``prunecert-smt/1`` certificate written by prove_forall or feasible_01.

    The SMT-LIB2 script is re-derived from the recorded statement (or rows) and must equal
    the recorded one (an altered script or statement is rejected).  The certificate's recorded
    level (``"level"``: PROVED / REFUTED for prove_forall; ``"status"``: feasible / infeasible for
    feasible_01) is what is confirmed, and the evidence must be of that kind: a REFUTED / feasible
    certificate needs a witness / assignment, re-checked in exact rational arithmetic; a PROVED /
    infeasible one must carry none and is re-decided by running z3 and cvc5 again, both of which
    must say unsat.  Any other recorded level has nothing to re-check (ok=False).  A prove_forall
    certificate written before levels were recorded (no ``"level"`` field) is re-checked as before
    and its level inferred from its evidence (the detail says "legacy").  ``level``, if given,
    must equal the confirmed level.
    """
    try:
        r = _recheck(cert, timeout)
    except (InputError, KeyError, TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError,
            IndexError, RecursionError, MemoryError) as exc:
        return SmtRecheck(False, f"malformed certificate: {type(exc).__name__}: {str(exc)[:200]}")
    if r.ok and level is not None and r.level != level:
        return SmtRecheck(False, f"certificate confirms {r.level}, not the expected {level}", r.level)
    return r


def _both_unsat(script: str, timeout: float) -> SmtRecheck:
    """Both solvers must say unsat within ``timeout`` seconds in total (half each, the second
    also gets what the first left).  No "sat" but a solver that ran out of time or said
    "unknown": no verdict (``timed_out``), not a rejection."""
    deadline = time.perf_counter() + timeout
    outs = []
    for k, s in enumerate(SOLVERS):
        left = deadline - time.perf_counter()
        share = left if k == len(SOLVERS) - 1 else left / (len(SOLVERS) - k)
        if share < MIN_SOLVER_TIME / 2:
            outs.append(SatResult("timeout", solver=s, detail="no time left"))
            continue
        outs.append(check_sat(script, timeout=share, solver=s))
    if all(o.status == "unsat" for o in outs):
        return SmtRecheck(True, "re-run: z3 unsat, cvc5 unsat")
    undecided = not any(o.status == "sat" for o in outs) and any(o.status in ("timeout", "unknown") for o in outs)
    why = "re-run: " + ", ".join(f"{o.solver} {o.status}" for o in outs)
    if undecided:
        return SmtRecheck(False, "time limit: " + why + "; no verdict (UNKNOWN), not a rejection", timed_out=True)
    return SmtRecheck(False, why)


def _cert_number(v, what: str) -> Fraction:
    """An exact number from a certificate: int or fraction/decimal text of bounded size."""
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        raise InputError(f"{what}: expected an exact number as text, got {str(v)[:40]!r}")
    return to_fraction(v, what)


def _recheck(cert, timeout) -> SmtRecheck:
    if not isinstance(cert, Mapping) or cert.get("format") != CERT_FORMAT:
        return SmtRecheck(False, f"not a {CERT_FORMAT} certificate")
    kind = cert.get("kind")
    if kind == "smt-01-feasibility":
        n = int(cert["n"])
        rows = _normalise_rows([(cs, op, b) for cs, op, b in cert["rows"]], n)
        fixed = {int(k): int(v) for k, v in cert.get("fixed", {}).items()}
        status = cert["status"]
        if status == "feasible":
            if cert.get("assignment") is None:
                return SmtRecheck(False, "status feasible but no assignment recorded")
            x = [int(v) for v in cert["assignment"]]
            ok = len(x) == n and check_assignment(rows, x) and all(x[i] == v for i, v in fixed.items())
            return SmtRecheck(ok, "status feasible: assignment re-checked exactly" if ok
                              else "assignment violates a row", "feasible" if ok else None)
        if status == "infeasible":
            if cert.get("assignment") is not None:
                return SmtRecheck(False, "status infeasible but an assignment is recorded")
            if len(fixed) == n:
                x = [fixed[i] for i in range(n)]
                ok = not check_assignment(rows, x)
                return SmtRecheck(ok, "status infeasible: fixed assignment violates a row" if ok
                                  else "fixed assignment is feasible", "infeasible" if ok else None)
            script = feasible_01_script(rows, n, fixed)
            if script != cert.get("smtlib2"):
                return SmtRecheck(False, "recorded SMT-LIB2 script does not match the recorded rows")
            r = _both_unsat(script, timeout)
            return SmtRecheck(r.ok, "status infeasible: " + r.detail, "infeasible" if r.ok else None)
        return SmtRecheck(False, f"nothing to re-check for status {status!r}")
    if kind != "smt-forall":
        return SmtRecheck(False, f"unknown certificate kind {kind!r}")
    from prunecert.checks.rigorous.expr import parse

    import sympy

    st_ = cert["statement"]
    sorts = cert.get("variables", {})
    if not isinstance(sorts, Mapping) or not all(isinstance(k, str) for k in sorts):
        return SmtRecheck(False, "variables must map names to sorts")
    from prunecert.checks.rigorous.expr import normalise_names
    if normalise_names(list(sorts)) != list(sorts):
        return SmtRecheck(False, "variable names are not in normal form (NFKC)")
    # the declared variables are the names (a variable may be called e, say)
    lhs, rhs = parse(st_["lhs"], list(sorts)), parse(st_["rhs"], list(sorts))
    ints = {s: sympy.Symbol(s.name, integer=True) for s in lhs.free_symbols | rhs.free_symbols
            if sorts.get(s.name) == "Int"}
    lhs, rhs = lhs.xreplace(ints), rhs.xreplace(ints)
    box = {k: (None if lo is None else _cert_number(lo, f"box of {k}"),
               None if hi is None else _cert_number(hi, f"box of {k}"))
           for k, (lo, hi) in cert.get("box", {}).items()}
    script, tr, bx, lhs, rhs = build_forall_query(lhs, st_["op"], rhs, box)
    if script != cert.get("smtlib2"):
        return SmtRecheck(False, "recorded SMT-LIB2 script does not match the recorded statement and box")
    w = cert.get("witness")
    recorded = cert.get("level")
    legacy = "level" not in cert
    if legacy:
        recorded = "REFUTED" if w else "PROVED"
        tag = " (legacy certificate without a level; inferred from its evidence)"
    else:
        tag = ""
    if recorded == "REFUTED":
        if not w:
            return SmtRecheck(False, "level REFUTED but no witness recorded")
        if not isinstance(w, Mapping):
            return SmtRecheck(False, "witness must map names to numbers")
        point = {n: _cert_number(w[n], f"witness {n}") for n in tr.symbols}
        verdict, why = _recheck_point(lhs, st_["op"], rhs, tr.symbols, bx, point)
        ok = verdict == "violated"
        return SmtRecheck(ok, f"level REFUTED: witness re-checked exactly: {verdict} ({why}){tag}",
                          "REFUTED" if ok else None)
    if recorded == "PROVED":
        if w:
            return SmtRecheck(False, "level PROVED but a witness is recorded")
        answers = cert.get("answers", [])
        if [a.get("solver") for a in answers] != list(SOLVERS) or any(a.get("status") != "unsat" for a in answers):
            return SmtRecheck(False, "level PROVED but the certificate does not record unsat answers from z3 and cvc5")
        r = _both_unsat(script, timeout)
        return SmtRecheck(r.ok, f"level PROVED: {r.detail}{tag}", "PROVED" if r.ok else None)
    return SmtRecheck(False, f"nothing to re-check for level {recorded!r}")
