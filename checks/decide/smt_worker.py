"""Subprocess side of :mod:`prunecert.checks.decide.smt`: run ONE solver on ONE SMT-LIB2 script.

Run as ``python -m prunecert.checks.decide.smt_worker``.  It reads one JSON object from stdin::

    {"solver": "z3" | "cvc5", "smtlib2": "<script>", "timeout_ms": 1000}

and writes one JSON object to stdout::

    {"status": "sat" | "unsat" | "unknown" | "timeout" | "error",
     "version": "...", "reason": "...",
     "model": {name: {"sort": "Real"|"Int"|"Bool", "text": solver's text,
                      "value": "p/q", "exact": bool, "lo": "p/q", "hi": "p/q"}}}

For an exact value ``lo == hi == value``.  For an irrational (real-algebraic) value,
``value`` is a rational approximation and ``[lo, hi]`` an interval that contains the
true value by the solver's guarantee (z3: ``approx(k)`` is within 10^-k; cvc5: its
isolating interval, refined by exact bisection when the polynomial changes sign).  The
parent never trusts these numbers: every model is re-checked in exact arithmetic there.

The script is taken as declarations and assertions: ``check-sat``, ``get-model`` and
``exit`` commands in it are skipped; the worker runs one satisfiability check at the end.
The parent (:func:`prunecert.checks.decide.smt.check_sat`) kills this process's group at its deadline, so
a solver that ignores its own time limit cannot hang the caller.

This module imports only the solver, json and fractions (no sympy), to start fast.
"""
from __future__ import annotations

import json
import re
import sys
import time
from fractions import Fraction

_SKIP = {"check-sat", "get-model", "exit", "get-value", "check-sat-assuming"}
_LOGIC_RE = re.compile(r"\(\s*set-logic\s+([A-Za-z_]+)\s*\)")


def _q(x: Fraction) -> str:
    x = Fraction(x)
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def _entry(sort: str, text: str, value: Fraction, lo: Fraction | None = None,
           hi: Fraction | None = None) -> dict:
    exact = lo is None
    return {"sort": sort, "text": text, "value": _q(value), "exact": exact,
            "lo": _q(value if exact else lo), "hi": _q(value if exact else hi)}


# ---------------------------------------------------------------------------- z3
def _run_z3(text: str, timeout_ms: int) -> dict:
    import z3

    out: dict = {"version": "z3 " + z3.get_full_version()}
    m = _LOGIC_RE.search(text)
    logic = m.group(1) if m else None
    try:
        s = z3.SolverFor(logic) if logic and logic != "ALL" else z3.Solver()
    except z3.Z3Exception:
        s = z3.Solver()
    s.set(timeout=max(1, int(timeout_ms)))
    try:
        s.from_string(text)
    except z3.Z3Exception as exc:
        out.update(status="error", reason=f"z3 could not parse the script: {exc}")
        return out
    r = s.check()
    if r == z3.unsat:
        out["status"] = "unsat"
        return out
    if r == z3.unknown:
        reason = s.reason_unknown()
        out["status"] = "timeout" if reason in ("timeout", "canceled", "interrupted from keyboard") else "unknown"
        out["reason"] = reason
        return out
    out["status"] = "sat"
    model = s.model()
    consts: dict[str, z3.ExprRef] = {}
    seen = set()
    todo = list(s.assertions())
    while todo:
        e = todo.pop()
        if e.get_id() in seen:
            continue
        seen.add(e.get_id())
        if z3.is_const(e) and e.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            consts[e.decl().name()] = e
        todo.extend(e.children())
    mod = {}
    for name, c in sorted(consts.items()):
        v = model.eval(c, model_completion=True)
        if z3.is_bool(v):
            mod[name] = _entry("Bool", str(v), Fraction(1 if z3.is_true(v) else 0))
        elif z3.is_int_value(v):
            mod[name] = _entry("Int", str(v), Fraction(v.as_long()))
        elif z3.is_rational_value(v):
            mod[name] = _entry("Real", str(v), Fraction(v.numerator_as_long(), v.denominator_as_long()))
        elif z3.is_algebraic_value(v):
            k = 40
            a = v.approx(k)
            q = Fraction(a.numerator_as_long(), a.denominator_as_long())
            err = Fraction(1, 10 ** k)
            mod[name] = _entry("Real", v.sexpr(), q, q - err, q + err)
        else:
            out.update(status="error", reason=f"z3 model value of {name} is not a number: {v.sexpr()}")
            return out
    out["model"] = mod
    return out


# -------------------------------------------------------------------------- cvc5
_RAN_RE = re.compile(r"real_algebraic_number\s*<(.*),\s*\(([^,()]+),\s*([^,()]+)\)\s*>")


def _frac(text: str) -> Fraction:
    return Fraction(text.strip().replace("(", "").replace(")", "").replace(" ", ""))


def _poly(text: str) -> dict[int, Fraction] | None:
    """cvc5's univariate polynomial text, e.g. ``1*x^2 + (-2)`` -> {2: 1, 0: -2}."""
    coeffs: dict[int, Fraction] = {}
    for term in re.split(r"\s\+\s", text.strip()):
        term = term.strip()
        m = re.fullmatch(r"(\(?-?[\d/]+\)?)(?:\*\w+(?:\^(\d+))?)?", term)
        if not m:
            m2 = re.fullmatch(r"\w+(?:\^(\d+))?", term)
            if not m2:
                return None
            deg = int(m2.group(1) or 1)
            coeffs[deg] = coeffs.get(deg, Fraction(0)) + 1
            continue
        c = _frac(m.group(1))
        if "*" in term:
            deg = int(m.group(2) or 1)
        else:
            deg = 0
        coeffs[deg] = coeffs.get(deg, Fraction(0)) + c
    return coeffs


def _peval(p: dict[int, Fraction], x: Fraction) -> Fraction:
    return sum((c * x ** k for k, c in p.items()), Fraction(0))


def _algebraic(text: str) -> tuple[Fraction, Fraction, Fraction] | None:
    """(approximation, lo, hi) for a cvc5 real algebraic number, or None."""
    m = _RAN_RE.search(text)
    if not m:
        return None
    try:
        lo, hi = _frac(m.group(2)), _frac(m.group(3))
    except (ValueError, ZeroDivisionError):
        return None
    p = _poly(m.group(1))
    if p is not None:
        plo, phi = _peval(p, lo), _peval(p, hi)
        if plo * phi < 0:  # exact bisection keeps a sign change, hence a root, inside
            for _ in range(140):
                mid = (lo + hi) / 2
                pm = _peval(p, mid)
                if pm == 0:
                    return mid, mid, mid
                if (pm < 0) == (plo < 0):
                    lo, plo = mid, pm
                else:
                    hi = mid
    return (lo + hi) / 2, lo, hi


def _run_cvc5(text: str, timeout_ms: int) -> dict:
    import cvc5

    tm = cvc5.TermManager()
    s = cvc5.Solver(tm)
    ver = s.getVersion()
    out: dict = {"version": "cvc5 " + (ver.decode() if isinstance(ver, bytes) else str(ver))}
    s.setOption("produce-models", "true")
    s.setOption("tlimit-per", str(max(1, int(timeout_ms))))
    sm = cvc5.SymbolManager(tm)
    parser = cvc5.InputParser(s, sm)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "prunecert")
    try:
        while True:
            cmd = parser.nextCommand()
            if cmd.isNull():
                break
            if cmd.getCommandName() in _SKIP:
                continue
            cmd.invoke(s, sm)
    except Exception as exc:  # noqa: BLE001 - cvc5 raises its own exception types
        out.update(status="error", reason=f"cvc5 could not parse the script: {exc}")
        return out
    r = s.checkSat()
    if r.isUnsat():
        out["status"] = "unsat"
        return out
    if r.isUnknown():
        why = str(r.getUnknownExplanation())
        out["status"] = "timeout" if "TIMEOUT" in why.upper() else "unknown"
        out["reason"] = why
        return out
    out["status"] = "sat"
    mod = {}
    for t in sm.getDeclaredTerms():
        name = str(t.getSymbol()) if t.hasSymbol() else str(t)
        v = s.getValue(t)
        txt = str(v)
        if v.isBooleanValue():
            mod[name] = _entry("Bool", txt, Fraction(1 if v.getBooleanValue() else 0))
        elif v.isIntegerValue():
            mod[name] = _entry("Int", txt, Fraction(v.getIntegerValue()))
        elif v.isRealValue():
            mod[name] = _entry("Real", txt, Fraction(v.getRealValue()))
        else:
            alg = _algebraic(txt)
            if alg is None:
                out.update(status="error", reason=f"cvc5 model value of {name} not understood: {txt}")
                return out
            q, lo, hi = alg
            mod[name] = _entry("Real", txt, q, lo, hi) if lo != hi else _entry("Real", txt, q)
    out["model"] = mod
    return out


def preload(solver: str) -> None:
    """Import the solver's module (used by the parent before forking, so children start fast)."""
    if solver == "z3":
        import z3  # noqa: F401
    elif solver == "cvc5":
        try:
            import cvc5  # noqa: F401
        except ImportError:
            pass


def run(job: dict) -> dict:
    t0 = time.perf_counter()
    solver = job.get("solver")
    text = job.get("smtlib2", "")
    timeout_ms = int(job.get("timeout_ms", 10_000))
    if job.get("_test_hang"):  # test hook: behave like a solver that ignores its time limit
        time.sleep(float(job["_test_hang"]))
    if solver == "z3":
        out = _run_z3(text, timeout_ms)
    elif solver == "cvc5":
        out = _run_cvc5(text, timeout_ms)
    else:
        out = {"status": "error", "reason": f"unknown solver {solver!r}"}
    out["seconds"] = time.perf_counter() - t0
    return out


def main() -> int:
    job = json.loads(sys.stdin.read())
    try:
        out = run(job)
    except Exception as exc:  # noqa: BLE001 - report, the parent decides
        out = {"status": "error", "reason": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(out))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
