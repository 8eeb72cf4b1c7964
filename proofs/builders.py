"""Check builders: the engines wrapped as :class:`~prunecert.proofs.registry.Check` objects.

Each builder validates its input when it is called (a malformed relation or box is an
:class:`~prunecert.checks.errors.InputError` at once, not a failure later) and returns a Check
whose ``run`` is a :func:`functools.partial` of a module-level function with plain-data
arguments, so it can run in a worker process.  What each one certifies:

* :func:`prove_inequality` -- the branch-and-bound prover (ball arithmetic, exact steps, an
  SMT rung for polynomial claims): PROVED / REFUTED (with a certified decimal witness) /
  UNKNOWN, with a certificate that ``prunecert verify`` re-checks independently.
* :func:`identity` -- ``lhs == rhs`` by exact algebra.  Without a box both sides must be
  defined for every real value of their variables (no division, root, log, tan, gamma, ...):
  then PROVED means equal everywhere.  With a box, definedness of both sides on the box is
  proved first by ball arithmetic, and PROVED means equal at every point of the box.  An
  identity sympy obtains by cancelling a pole (``x/x == 1``) is therefore never PROVED.  The
  decision: rational functions by exact cancellation (a complete test); otherwise
  ``sympy.simplify(lhs - rhs) == 0``, cross-checked by ball arithmetic at rational points
  (a certain difference there is REFUTED with the point as witness).
* :func:`smt_decide` -- ``forall x in box: lhs OP rhs`` decided by z3 and confirmed by cvc5
  (polynomial / piecewise-linear statements), certificate re-checked by ``prunecert verify``.
* :func:`instance_check` -- a relation (exact rational evaluation, ball arithmetic where it
  is transcendental) or a Python predicate decided on a stated finite list of instances:
  CHECKED, or REFUTED with the failing instance.
* :func:`monte_carlo` -- corroboration by sampling, never above EVIDENCE, and EVIDENCE only
  through the test stated when the check is built: the one-sided Clopper-Pearson upper
  bound (confidence ``conf``) on the failure rate must come out below ``max_failure_rate``.
  That test fails when the property fails often enough; a failure of a relation that ball
  arithmetic confirms at an exact point is REFUTED.

>>> ch = prove_inequality("x**2 + 1 >= 2*x", {"x": ("-1", "1")})
>>> ch.run().level.value
'PROVED'
>>> identity("(x + 1)**2", "x**2 + 2*x + 1").run().level.value
'PROVED'
>>> r = identity("(x**2 - 1)/(x - 1)", "x + 1").run(); r.level.value, "box" in r.detail
('UNKNOWN', True)
>>> identity("(x**2 - 1)/(x - 1)", "x + 1", box={"x": ("2", "3")}).run().level.value
'PROVED'
>>> identity("(x**2 - 1)/(x - 1)", "x + 1", box={"x": ("0", "2")}).run().level.value
'UNKNOWN'
"""
from __future__ import annotations

import functools
import importlib
import math
import random
import time
from fractions import Fraction
from typing import Any, Callable, Iterable, Mapping, Sequence

from prunecert.checks.errors import BoxError, ExpressionError, InputError
from prunecert.checks.levels import Level, Tri
from prunecert.checks.result import CheckResult
from prunecert.proofs.registry import Check

__all__ = ["prove_inequality", "identity", "smt_decide", "instance_check", "monte_carlo", "python_check",
           "hypothesis"]

BoxSpec = tuple[tuple[str, tuple[str, str]], ...]   # picklable, ordered ((name, (lo, hi)), ...)


# ----------------------------------------------------------------------------- validation

def _box(box, what: str = "box", *, allow_none: bool = False) -> BoxSpec | None:
    """A box {name: (lo, hi) | "[lo, hi]"} as an ordered tuple of exact endpoint strings."""
    from prunecert.checks.rigorous.numbers import fraction_to_str

    if box is None:
        if allow_none:
            return None
        raise BoxError(f"{what}: a box is required (a mapping name -> (lo, hi))")
    if not isinstance(box, Mapping) or not box:
        raise BoxError(f"{what}: expected a non-empty mapping name -> (lo, hi), got {box!r:.80}")
    from prunecert.checks.inequality.prover import validate_box   # the prover's own reading

    try:
        names, parts = validate_box({str(k): v for k, v in box.items()})
    except BoxError as exc:
        raise BoxError(f"{what}: {exc}") from None
    return tuple((n, (fraction_to_str(lo), fraction_to_str(hi))) for n, (lo, hi) in zip(names, parts))


def _box_dict(spec: BoxSpec | None) -> dict[str, tuple[str, str]] | None:
    return None if spec is None else {k: v for k, v in spec}


def _box_fractions(spec: BoxSpec) -> list[tuple[Fraction, Fraction]]:
    return [(Fraction(lo), Fraction(hi)) for _, (lo, hi) in spec]


def _names(spec: BoxSpec | None) -> list[str] | None:
    return None if spec is None else [k for k, _ in spec]


def _relation(text: str, box: BoxSpec | None, what: str = "relation"):
    from prunecert.checks.rigorous.expr import parse_relation

    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(f"{what}: expected a relation 'EXPR OP EXPR' as text, got {text!r:.80}")
    lhs, op, rhs = parse_relation(text, _names(box))
    if box is not None:
        free = {s.name for s in (lhs - rhs).free_symbols | lhs.free_symbols | rhs.free_symbols}
        missing = sorted(free - set(_names(box)))
        if missing:
            raise BoxError(f"{what}: variable(s) {', '.join(missing)} appear in {text.strip()!r} but have no box")
    return lhs, op, rhs


def _expr(text: str, names: list[str] | None, what: str):
    from prunecert.checks.rigorous.expr import parse

    if isinstance(text, (int, Fraction)) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(f"{what}: expected an expression as text, got {text!r:.80}")
    return parse(text, names)


def _positive(x, what: str, *, integer: bool = False) -> Any:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not (x > 0) or not math.isfinite(x):
        raise InputError(f"{what}: expected a positive number, got {x!r}")
    if integer and not isinstance(x, int):
        raise InputError(f"{what}: expected a positive integer, got {x!r}")
    return x


def _check(name: str, fn: Callable, args: tuple, description: str, slow: bool) -> Check:
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"check name must be a non-empty string, got {name!r}")
    return Check(name, functools.partial(fn, *args), description, bool(slow))


def _result(level: Level, method: str, t0: float, detail: str = "", **kw) -> CheckResult:
    return CheckResult(level, method, time.perf_counter() - t0, detail, **kw)


# ----------------------------------------------------------------------------- prover

def prove_inequality(relation: str, box: Mapping, *, name: str = "prover", timeout: float = 20.0,
                     prec: int = 53, description: str = "", slow: bool = False) -> Check:
    """A check that proves ``relation`` (e.g. ``"sin(t) >= 2*t/pi"``) at every point of ``box``
    with the branch-and-bound prover (see docs/prover.md), within ``timeout`` seconds."""
    spec = _box(box)
    _relation(relation, spec)
    _positive(timeout, "timeout")
    return _check(name, _run_prove, (relation.strip(), spec, float(timeout), int(prec)),
                  description or f"prover: {relation.strip()} on the box", slow)


def _run_prove(relation: str, spec: BoxSpec, timeout: float, prec: int) -> CheckResult:
    from prunecert.checks.inequality.prover import prove_text

    return prove_text(relation, _box_dict(spec), timeout=timeout, prec=prec).to_check_result()


# ----------------------------------------------------------------------------- SMT

def smt_decide(relation: str, box: Mapping | None = None, *, name: str = "smt", timeout: float = 20.0,
               description: str = "", slow: bool = False) -> Check:
    """A check that decides ``forall x in box: relation`` exactly with z3, confirmed by cvc5
    (polynomial and piecewise-linear relations; variables without a box range over all reals)."""
    spec = _box(box, allow_none=True)
    _relation(relation, spec)
    _positive(timeout, "timeout")
    return _check(name, _run_smt, (relation.strip(), spec, float(timeout)),
                  description or f"z3 + cvc5: forall box, {relation.strip()}", slow)


def _run_smt(relation: str, spec: BoxSpec | None, timeout: float) -> CheckResult:
    from prunecert.checks.decide.smt import prove_forall
    from prunecert.checks.rigorous.expr import parse_relation

    lhs, op, rhs = parse_relation(relation, _names(spec))
    return prove_forall(lhs, op, rhs, _box_dict(spec), timeout=timeout)


# ----------------------------------------------------------------------------- identity

_ENTIRE = ("sin", "cos", "exp", "atan", "erf", "erfc", "Abs", "Max", "Min", "sinh", "cosh")


def _defined_everywhere(e) -> bool:
    """True if ``e`` is defined at every real point by construction: only + * and nonnegative
    integer powers of entire functions (no division, root, log, tan, gamma, asin, ...)."""
    import sympy as sp

    for a in sp.preorder_traversal(e):
        if isinstance(a, sp.Pow) and not (a.exp.is_integer and a.exp.is_nonnegative):
            return False
        if isinstance(a, sp.Function) and type(a).__name__ not in _ENTIRE:
            return False
    return True


def identity(lhs: str, rhs: str, *, box: Mapping | None = None, name: str = "identity",
             points: int = 8, seed: int = 0, description: str = "", slow: bool = False) -> Check:
    """A check of the exact identity ``lhs == rhs`` (see the module docstring for exactly what
    PROVED certifies, with and without a box).  ``points`` rational points (drawn with
    ``seed``) cross-check sympy's answer in ball arithmetic."""
    spec = _box(box, allow_none=True)
    names = _names(spec)
    L, R = _expr(lhs, names, "identity lhs"), _expr(rhs, names, "identity rhs")
    if spec is not None:
        missing = sorted({s.name for s in L.free_symbols | R.free_symbols} - set(names))
        if missing:
            raise BoxError(f"identity: variable(s) {', '.join(missing)} have no box")
    _positive(points, "points", integer=True)
    return _check(name, _run_identity, (str(lhs).strip(), str(rhs).strip(), spec, int(points), int(seed)),
                  description or f"exact identity {str(lhs).strip()} = {str(rhs).strip()}", slow)


def _points(spec: BoxSpec | None, names: list[str], k: int, seed: int) -> list[list[Fraction]]:
    rng = random.Random(seed)
    parts = _box_fractions(spec) if spec is not None else [(Fraction(-2), Fraction(2))] * len(names)
    out = []
    for _ in range(k):
        out.append([lo + (hi - lo) * Fraction(rng.randrange(1, 1000), 1000) for lo, hi in parts])
    return out


def _defined_on_box(F, parts: list[tuple[Fraction, Fraction]], names: list[str], deadline: float,
                    max_boxes: int = 20_000) -> str | None:
    """None if the compiled enclosure ``F`` is finite on every piece of a bisection of the box
    (the expression is then defined on the whole box); else the reason it could not be shown."""
    from prunecert.checks.rigorous.arith import interval, is_finite

    stack = [tuple(parts)]
    n = 0
    while stack:
        if time.perf_counter() > deadline:
            return "time limit while proving definedness on the box"
        if n >= max_boxes:
            return f"definedness not certified within {max_boxes} sub-boxes"
        box = stack.pop()
        n += 1
        if is_finite(F([interval(lo, hi) for lo, hi in box])):
            continue
        widths = [hi - lo for lo, hi in box]
        i = max(range(len(box)), key=lambda j: widths[j])
        if widths[i] == 0 or widths[i] < Fraction(1, 2**40):
            pt = {k: str(lo) for k, (lo, _) in zip(names, box)}
            return f"not defined (or not certifiably defined) near {pt}"
        lo, hi = box[i]
        mid = (lo + hi) / 2
        stack.append(box[:i] + ((lo, mid),) + box[i + 1:])
        stack.append(box[:i] + ((mid, hi),) + box[i + 1:])
    return None


def _run_identity(lhs: str, rhs: str, spec: BoxSpec | None, points: int, seed: int,
                  timeout: float = 60.0) -> CheckResult:
    import sympy as sp

    from prunecert.checks.rigorous.arith import ball, is_finite, workprec
    from prunecert.checks.rigorous.expr import compile_arb

    t0 = time.perf_counter()
    names = _names(spec)
    L, R = _expr(lhs, names, "identity lhs"), _expr(rhs, names, "identity rhs")
    free = sorted({s.name for s in L.free_symbols | R.free_symbols})
    names = names if names is not None else free
    stmt = f"{lhs} = {rhs}" + ("" if spec is None else " on " + ", ".join(f"{k} in [{a}, {b}]" for k, (a, b) in spec))
    data = {"statement": stmt}
    cert = {"format": "prunecert-identity/1", "lhs": lhs, "rhs": rhs,
            "box": None if spec is None else {k: list(v) for k, v in spec}}
    if spec is None:
        bad = [s for s, e in (("lhs", L), ("rhs", R)) if not _defined_everywhere(e)]
        if bad:
            return _result(Level.UNKNOWN, "sympy-identity", t0,
                           f"the {' and '.join(bad)} is not defined for every real value (division, root, log, "
                           "tan, ...): give a box on which both sides are defined; an identity obtained by "
                           "cancelling a pole is not proved", data=data)
    Fl, Fr = compile_arb(L, names), compile_arb(R, names)
    with workprec(80):
        if spec is not None:
            parts = _box_fractions(spec)
            for side, F in (("lhs", Fl), ("rhs", Fr)):
                why = _defined_on_box(F, parts, names, t0 + timeout / 2)
                if why is not None:
                    return _result(Level.UNKNOWN, "sympy-identity+arb", t0,
                                   f"{side} {lhs if side == 'lhs' else rhs!r}: definedness on the box not proved: {why}",
                                   data=data)
        # ball arithmetic at rational points: a certain difference refutes, whatever sympy says
        for pt in _points(spec, names, points, seed):
            d = Fl([ball(v) for v in pt]) - Fr([ball(v) for v in pt])
            if is_finite(d) and not d.contains(0):
                w = {k: str(v) for k, v in zip(names, pt)}
                return _result(Level.REFUTED, "arb", t0, f"lhs - rhs = {d.str(5)} != 0 at {w}",
                               witness=w, data=data, certificate={**cert, "level": "REFUTED", "witness": w})
    diff = L - R
    syms = [sp.Symbol(n, real=True) for n in names]
    if diff.is_rational_function(*syms) and not diff.atoms(sp.Function):
        zero = sp.expand(sp.numer(sp.together(diff))) == 0
        method = "exact rational cancellation"
    else:
        if spec is not None:
            # on a box, the sign of each variable's range is a true assumption (sound: the
            # statement is only about the box), which lets sympy use e.g. log(xy) = log x + log y
            sub = {}
            for (nm, (lo, hi)) in spec:
                a = {"real": True}
                if Fraction(lo) > 0:
                    a["positive"] = True
                elif Fraction(lo) >= 0:
                    a["nonnegative"] = True
                elif Fraction(hi) < 0:
                    a["negative"] = True
                elif Fraction(hi) <= 0:
                    a["nonpositive"] = True
                sub[sp.Symbol(nm, real=True)] = sp.Symbol(nm, **a)
            diff = diff.xreplace(sub)
        # equivalence transformations only (each keeps the value wherever the sides are defined)
        strategies = (("sympy.simplify", lambda d: sp.simplify(d)),
                      ("sympy.simplify after expand_log", lambda d: sp.simplify(sp.expand(sp.expand_log(d)))),
                      ("sympy.simplify after expand_trig", lambda d: sp.simplify(sp.expand_trig(d))),
                      ("sympy.simplify of the exponential form", lambda d: sp.simplify(d.rewrite(sp.exp))))
        zero, method = False, "sympy.simplify"
        for method, f in strategies:
            if f(diff) == 0:
                zero = True
                break
            if time.perf_counter() - t0 > timeout:
                break
    if zero:
        where = "at every real point" if spec is None else "at every point of the box (both sides proved defined there)"
        return _result(Level.PROVED, f"sympy-identity ({method})", t0, f"lhs - rhs = 0 {where}",
                       data=data, certificate={**cert, "level": "PROVED", "method": method})
    return _result(Level.UNKNOWN, "sympy-identity", t0,
                   "sympy (simplify; after expand_log, expand_trig; exponential form) does not reduce lhs - rhs "
                   "to 0, and no rational test point showed a difference",
                   data=data)


# ----------------------------------------------------------------------------- instances

def _instance_list(instances, what: str = "instances") -> tuple:
    if isinstance(instances, (str, bytes)) or not isinstance(instances, Iterable):
        raise InputError(f"{what}: expected a finite list of instances, got {type(instances).__name__}")
    out = tuple(instances)
    if not out:
        raise InputError(f"{what}: the list of instances is empty (nothing would be checked)")
    if len(out) > 1_000_000:
        raise InputError(f"{what}: {len(out)} instances; at most 1000000")
    return out


def instance_check(relation_or_predicate: str | Callable[[Any], bool], instances, *, name: str = "instances",
                   description: str = "", slow: bool = False) -> Check:
    """A check decided exactly on a stated finite list of instances: CHECKED if the relation
    (text, each instance a mapping name -> exact number) or predicate (a module-level function
    instance -> bool, which must decide exactly) holds on every one, REFUTED with the first
    failing instance as witness, UNKNOWN if one cannot be decided."""
    inst = _instance_list(instances)
    if isinstance(relation_or_predicate, str):
        from prunecert.checks.rigorous.numbers import fraction_to_str, to_fraction

        rows = []
        for k, row in enumerate(inst):
            if not isinstance(row, Mapping) or not row:
                raise InputError(f"instance {k + 1}: expected a mapping name -> number, got {row!r:.60}")
            rows.append(tuple((str(n), fraction_to_str(to_fraction(v, f"instance {k + 1}, {n}"))) for n, v in row.items()))
        names = list(dict(rows[0]))
        _relation(relation_or_predicate, tuple((n, ("0", "0")) for n in names))
        for k, r in enumerate(rows):
            if sorted(dict(r)) != sorted(names):
                raise InputError(f"instance {k + 1}: variables {sorted(dict(r))} differ from the first "
                                 f"instance's {sorted(names)}")
        return _check(name, _run_instances_relation, (relation_or_predicate.strip(), tuple(rows)),
                      description or f"{relation_or_predicate.strip()} on {len(rows)} stated instances", slow)
    if not callable(relation_or_predicate):
        raise InputError("instance_check: expected a relation (text) or a predicate function")
    return _check(name, _run_instances_predicate, (relation_or_predicate, inst),
                  description or f"{getattr(relation_or_predicate, '__name__', 'predicate')} on {len(inst)} stated instances",
                  slow)


def _holds_exact(lhs, op: str, rhs, point: Mapping[str, Fraction]) -> Tri:
    import sympy as sp

    from prunecert.checks.rigorous.arith import ball, compare3, workprec
    from prunecert.checks.rigorous.expr import compile_arb

    sub = {s: sp.Rational(point[s.name].numerator, point[s.name].denominator) for s in lhs.free_symbols | rhs.free_symbols}
    a, b = lhs.xreplace(sub), rhs.xreplace(sub)
    if a.is_Rational and b.is_Rational:
        x, y = Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))
        ok = {">=": x >= y, ">": x > y, "<=": x <= y, "<": x < y}[op]
        return Tri.TRUE if ok else Tri.FALSE
    names = sorted(point)
    for prec in (64, 256, 1024):
        with workprec(prec):
            fa, fb = compile_arb(lhs, names), compile_arb(rhs, names)
            xs = [ball(point[n]) for n in names]
            t = compare3(fa(xs), op, fb(xs))
            if t is not Tri.UNDECIDED:
                return t
    return Tri.UNDECIDED


def _run_instances_relation(relation: str, rows: tuple) -> CheckResult:
    from prunecert.checks.rigorous.expr import parse_relation

    t0 = time.perf_counter()
    names = [n for n, _ in rows[0]]
    lhs, op, rhs = parse_relation(relation, names)
    for k, row in enumerate(rows):
        pt = {n: Fraction(v) for n, v in row}
        t = _holds_exact(lhs, op, rhs, pt)
        if t is Tri.FALSE:
            w = dict(row)
            return _result(Level.REFUTED, "exact-instances", t0, f"fails at instance {k + 1}: {w}", witness=w)
        if t is Tri.UNDECIDED:
            return _result(Level.UNKNOWN, "exact-instances", t0,
                           f"instance {k + 1} ({dict(row)}) undecided at 1024 bits (equality of irrationals?)")
    return _result(Level.CHECKED, "exact-instances", t0, f"holds on all {len(rows)} stated instances",
                   data={"instances": len(rows)})


def _run_instances_predicate(pred: Callable, inst: tuple) -> CheckResult:
    t0 = time.perf_counter()
    for k, x in enumerate(inst):
        v = pred(x)
        if type(v).__name__ == "bool_":        # numpy bool is a bool
            v = bool(v)
        if not isinstance(v, bool):
            return _result(Level.UNKNOWN, "instances", t0,
                           f"predicate returned {type(v).__name__} for instance {k + 1}, not bool")
        if not v:
            return _result(Level.REFUTED, "instances", t0, f"fails at instance {k + 1}: {x!r:.200}",
                           witness={"instance": k + 1, "value": repr(x)[:500]})
    return _result(Level.CHECKED, "instances", t0, f"holds on all {len(inst)} stated instances",
                   data={"instances": len(inst)})


# ----------------------------------------------------------------------------- Monte Carlo

def _mc_params(n, seed, max_failure_rate, conf):
    from prunecert.checks.statistics.stats import cp_upper

    _positive(n, "samples", integer=True)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InputError(f"seed: expected an integer (every random draw takes a seed), got {seed!r}")
    if isinstance(max_failure_rate, bool) or not isinstance(max_failure_rate, (int, float)) \
            or not (0 < max_failure_rate < 1):
        raise InputError(f"max_failure_rate: expected a number in (0, 1), got {max_failure_rate!r}")
    if isinstance(conf, bool) or not isinstance(conf, (int, float)) or not (0.5 <= conf < 1):
        raise InputError(f"conf: expected a confidence level in [0.5, 1), got {conf!r}")
    best = cp_upper(0, n, conf)
    if not best < max_failure_rate:
        need = math.ceil(math.log(1 - conf) / math.log(1 - max_failure_rate)) + 1
        raise InputError(f"monte_carlo: with {n} samples the test cannot pass even with no failure "
                         f"(upper bound {best:.3g} >= max_failure_rate {max_failure_rate}); use >= {need} samples")


def monte_carlo(relation_or_trial: str | Callable, box: Mapping | None = None, *, samples: int = 10_000,
                seed: int, max_failure_rate: float = 0.001, conf: float = 0.99, name: str = "monte carlo",
                description: str = "", slow: bool = False) -> Check:
    """A statistical check (use it as a corroboration, or as a check capping the claim at
    EVIDENCE).  The test is fixed here, before any draw: EVIDENCE iff the one-sided
    Clopper-Pearson upper bound at ``conf`` on the failure rate, from ``samples`` draws with
    ``seed``, is below ``max_failure_rate``; otherwise UNKNOWN ("test failed", which counts
    against the claim).

    ``relation_or_trial``: a relation in the variables of ``box`` (points drawn uniformly; a
    violation confirmed by ball arithmetic at an exact point is REFUTED), or a module-level
    function ``trial(rng) -> bool`` (``rng`` a seeded :class:`numpy.random.Generator`) saying
    whether the claim held on one random draw."""
    _mc_params(samples, seed, max_failure_rate, conf)
    test = (f"pre-stated test: one-sided {conf:g} Clopper-Pearson upper bound on the failure rate "
            f"< {max_failure_rate:g} from {samples} draws (seed {seed})")
    if isinstance(relation_or_trial, str):
        spec = _box(box)
        _relation(relation_or_trial, spec)
        return _check(name, _run_mc_relation, (relation_or_trial.strip(), spec, samples, seed, max_failure_rate, conf),
                      description or test, slow)
    if not callable(relation_or_trial):
        raise InputError("monte_carlo: expected a relation (text) or a trial function rng -> bool")
    if box is not None:
        raise InputError("monte_carlo: a box goes with a relation, not with a trial function")
    return _check(name, _run_mc_trial, (relation_or_trial, samples, seed, max_failure_rate, conf),
                  description or test, slow)


def _mc_verdict(t0, failures: int, n: int, seed: int, max_rate: float, conf: float, extra: str = "") -> CheckResult:
    from prunecert.checks.statistics.stats import cp_upper

    ub = cp_upper(failures, n, conf)
    data = {"draws": n, "failures": failures, "seed": seed, "upper_bound": ub, "conf": conf,
            "max_failure_rate": max_rate}
    test = f"{conf:g} upper bound on the failure rate {ub:.3g} {'<' if ub < max_rate else '>='} {max_rate:g}"
    if ub < max_rate:
        return _result(Level.EVIDENCE, "monte-carlo", t0, f"{failures} failures in {n} draws; {test}{extra}", data=data)
    return _result(Level.UNKNOWN, "monte-carlo", t0,
                   f"pre-stated test failed: {failures} failures in {n} draws; {test}{extra}", data=data)


def _run_mc_trial(trial: Callable, n: int, seed: int, max_rate: float, conf: float) -> CheckResult:
    import numpy as np

    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    failures = 0
    for k in range(n):
        v = trial(rng)
        if type(v).__name__ == "bool_":
            v = bool(v)
        if not isinstance(v, bool):
            return _result(Level.UNKNOWN, "monte-carlo", t0, f"trial returned {type(v).__name__} on draw {k + 1}, not bool")
        failures += not v
    return _mc_verdict(t0, failures, n, seed, max_rate, conf)


def _run_mc_relation(relation: str, spec: BoxSpec, n: int, seed: int, max_rate: float, conf: float) -> CheckResult:
    import numpy as np

    from prunecert.checks.rigorous.expr import compile_float, parse_relation
    from prunecert.checks.rigorous.numbers import to_fraction

    t0 = time.perf_counter()
    names = _names(spec)
    lhs, op, rhs = parse_relation(relation, names)
    g = (lhs - rhs) if op in (">=", ">") else (rhs - lhs)
    f = compile_float(g, names)
    rng = np.random.default_rng(seed)
    parts = [(float(Fraction(lo)), float(Fraction(hi))) for _, (lo, hi) in spec]
    X = np.column_stack([rng.uniform(lo, hi, n) for lo, hi in parts])
    with np.errstate(all="ignore"):
        vals = np.broadcast_to(np.asarray(f(*X.T), dtype=float), (n,))
    bad = ~(vals > 0) if op in (">", "<") else ~(vals >= 0)
    failures = int(bad.sum())
    if failures:
        # a failing draw confirmed in ball arithmetic at an exact point (inside the box) refutes
        for row in X[bad][:20]:
            pt = {}
            for nm, v, (lo, hi) in zip(names, row, _box_fractions(spec)):
                q = min(max(to_fraction(f"{v:.12g}", nm), lo), hi)
                pt[nm] = q
            if _holds_exact(lhs, op, rhs, pt) is Tri.FALSE:
                from prunecert.checks.rigorous.numbers import exact_decimal

                w = {k: exact_decimal(v) for k, v in pt.items()}
                return _result(Level.REFUTED, "monte-carlo+arb", t0,
                               f"counterexample found by sampling, confirmed in ball arithmetic: {w}", witness=w,
                               data={"draws": n, "failures": failures, "seed": seed})
    return _mc_verdict(t0, failures, n, seed, max_rate, conf)


# ----------------------------------------------------------------------------- user code

def python_check(target: str, *, name: str = "python", base_dir: str | None = None, description: str = "",
                 slow: bool = False) -> Check:
    """A check that imports ``"module:function"`` (or ``"path/to/file.py:function"``, relative
    to ``base_dir``) when it runs and calls it; the function returns a CheckResult.  An import
    that fails is this check's UNKNOWN with the error, not a failure of the run."""
    if not isinstance(target, str) or target.count(":") != 1 or not all(target.split(":")):
        raise InputError(f"expected 'module:function' or 'file.py:function', got {target!r}")
    return _check(name, _run_python, (target, base_dir), description or f"user function {target}", slow)


def _run_python(target: str, base_dir: str | None) -> CheckResult:
    from prunecert.proofs.user_modules import import_target

    fn = import_target(target, base_dir)
    return fn()


# ----------------------------------------------------------------------------- hypotheses

def _split_chain(text: str) -> list[str]:
    """``"0 < t <= 1"`` -> ``["0 < t", "t <= 1"]`` (each link a relation the parser reads)."""
    import ast

    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"hypothesis {text.strip()!r}: not a relation ({exc.msg})") from None
    body = tree.body
    if not isinstance(body, ast.Compare):
        raise ExpressionError(f"hypothesis {text.strip()!r}: expected a relation such as '0 < t <= 1'")
    src = text.strip()
    parts = [ast.get_source_segment(src, n) for n in [body.left, *body.comparators]]
    ops = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
    out = []
    for a, op, b in zip(parts, body.ops, parts[1:]):
        if type(op) not in ops:
            raise ExpressionError(f"hypothesis {src!r}: only <, <=, >, >= are supported")
        out.append(f"{a} {ops[type(op)]} {b}")
    return out


def _hypothesis_holds(relations: tuple[str, ...], **values) -> bool:
    from prunecert.checks.rigorous.expr import parse_relation

    for rel in relations:
        lhs, op, rhs = parse_relation(rel, sorted(values))
        t = _holds_exact(lhs, op, rhs, values)
        if t is Tri.UNDECIDED:
            raise InputError(f"hypothesis {rel!r} cannot be decided at {values} (equality of irrationals?)")
        if t is Tri.FALSE:
            return False
    return True


def hypothesis(text: str, holds: str | None = None, *, integers: Iterable[str] = ()):
    """A hypothesis as code: ``text`` to read, decided exactly by the relation ``holds``
    (default: ``text`` itself; chains such as ``"0 < eps <= 1/4"`` allowed).  Its parameters are
    the variables of the relation; ``integers`` names those that must be integers.

    >>> h = hypothesis("0 < t <= 157/100")
    >>> h.params, h.decide({"t": "1"}), h.decide({"t": "2"})
    (('t',), True, False)
    """
    from prunecert.checks.hypotheses import Hypothesis
    from prunecert.checks.rigorous.expr import parse_relation

    if not isinstance(text, str) or not text.strip():
        raise InputError(f"hypothesis: expected a text, got {text!r}")
    rels = tuple(_split_chain(holds if holds is not None else text))
    params: list[str] = []
    for r in rels:
        lhs, _, rhs = parse_relation(r, None)
        for s in sorted(lhs.free_symbols | rhs.free_symbols, key=lambda s: s.name):
            if s.name not in params:
                params.append(s.name)
    if not params:
        raise ExpressionError(f"hypothesis {text.strip()!r} names no parameter")
    ints = tuple(str(i) for i in integers)
    bad = sorted(set(ints) - set(params))
    if bad:
        raise InputError(f"hypothesis {text.strip()!r}: integers {bad} are not among its parameters {params}")
    return Hypothesis(text.strip(), tuple(params), functools.partial(_hypothesis_holds, rels), ints)
