"""Branch-and-bound prover for real inequalities ``lhs OP rhs`` over boxes (1 to 4 variables).

The claim is reduced to ``g >= 0`` (or ``g > 0``) with ``g = lhs - rhs`` (``rhs - lhs`` for
``<=``/``<``).  Each box is tried with a ladder of rigorous enclosures, cheapest first:

1. ``plain``: the compiled arb evaluator of ``g`` on the box;
2. ``mvf`` / ``mono``: the mean-value form ``g(c) + sum_i dg/dx_i(X) (X_i - c_i)``; where a
   partial derivative has a certain sign on the box, ``g`` is monotone in that variable and its
   minimum lies on the corresponding face, so that coordinate is fixed (``mono``);
3. ``taylor``: a Taylor form with Lagrange remainder (order up to 4 in one variable, order 2
   with the Hessian enclosed on the box in several variables).

A box no rung decides is bisected along its widest side.  Before the search an exact step
(:mod:`prunecert.checks.inequality.touching`) handles claims that touch equality: an exact factorisation of
polynomials (even powers are >= 0; quadratic factors proved PSD exactly) and touching points
where ``g`` vanishes exactly (decided by sympy) with a Lagrange-remainder bound on a
neighbourhood.  A float search (never used to decide) proposes counterexamples; a witness is
accepted only when the rigorous enclosure of ``g`` at an exact decimal point has the wrong sign.

Soundness argument: docs/prover.md.
"""
from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

import sympy as sp
from flint import arb

from prunecert.checks.rigorous.arith import workprec, is_finite, exact_endpoints
from prunecert.checks.errors import BoxError, ExpressionError, InputError
from prunecert.checks.rigorous.expr import (RELATIONS, domain_atoms, normalise_names, parse, parse_relation,
                                            require_domain_kept)
from prunecert.checks.inequality.goal import (Goal, _mid, _point_balls, enclosure_triple, evaluate_box,  # noqa: F401
                                              find_decimal_witness, float_search, point_violates, prec_ladder,
                                              taylor_form)
from prunecert.checks.levels import Level
from prunecert.checks.rigorous.numbers import exact_decimal, fraction_to_str, to_fraction
from prunecert.checks.result import CheckResult

__all__ = ["prove", "prove_text", "ProofOutcome", "Goal", "decimal_string"]

MAX_VARS = 4
HARD_GRACE = 2.0   # seconds past the budget before a hard stop


# ----------------------------------------------------------------------------- outcome

decimal_string = exact_decimal  # witnesses print as exact decimals (finite-decimal points are chosen)


@dataclass
class ProofOutcome:
    status: Level
    method: str
    seconds: float
    boxes: int
    witness: dict[str, Fraction] | None = None
    certificate: dict | None = None
    detail: str = ""
    claim: str = ""

    def witness_strings(self) -> dict[str, str] | None:
        if self.witness is None:
            return None
        return {k: decimal_string(v) for k, v in self.witness.items()}

    def to_check_result(self) -> CheckResult:
        return CheckResult(self.status, self.method, self.seconds, self.detail,
                           witness=self.witness_strings(), certificate=self.certificate,
                           data={"boxes": self.boxes, "claim": self.claim})

    def to_json(self) -> dict[str, Any]:
        out = {"status": self.status.value, "method": self.method, "seconds": round(self.seconds, 6),
               "boxes": self.boxes, "claim": self.claim, "detail": self.detail}
        if self.witness is not None:
            out["witness"] = self.witness_strings()
        return out


# ----------------------------------------------------------------------------- main search

@dataclass
class _State:
    goal: Goal
    prec: int
    deadline: float
    max_boxes: int
    keep_leaves: bool
    boxes: int = 0
    leaves: list = field(default_factory=list)
    methods: dict = field(default_factory=dict)
    stuck: list = field(default_factory=list)


def _width_key(box, scale):
    return max(((hi - lo) / s if s else Fraction(0)) for (lo, hi), s in zip(box, scale))


def branch_and_bound(st: _State, start_boxes, scale):
    """Returns ("PROVED", None) | ("REFUTED", (point, y)) | ("UNKNOWN", reason)."""
    goal = st.goal
    heap = []
    counter = 0
    for b in start_boxes:
        heap.append((0.0, counter, b))
        counter += 1
    heapq.heapify(heap)
    min_width = Fraction(1, 2 ** 60)
    while heap:
        if time.perf_counter() > st.deadline:
            return "UNKNOWN", f"timeout with {len(heap)} open boxes"
        if st.boxes >= st.max_boxes:
            return "UNKNOWN", f"box budget {st.max_boxes} exhausted with {len(heap)} open boxes"
        _, _, box = heapq.heappop(heap)
        st.boxes += 1
        status, method, y, info = evaluate_box(goal, box)
        if status == "sat":
            st.methods[method] = st.methods.get(method, 0) + 1
            if st.keep_leaves:
                leaf = {"box": [[fraction_to_str(lo), fraction_to_str(hi)] for lo, hi in box],
                        "method": method, "enclosure": enclosure_triple(y)}
                if info.get("fixed"):
                    leaf["monotone"] = [[i, s] for i, s in info["fixed"]]
                st.leaves.append(leaf)
            continue
        m = _mid(box)
        if status == "viol":
            w = find_decimal_witness(goal, m, box, st.prec, st.deadline + 5.0)
            if w is not None:
                return "REFUTED", w
        else:
            ym = goal.F(_point_balls(m))
            if goal.viol(ym):
                w = find_decimal_witness(goal, m, box, st.prec, st.deadline + 5.0)
                if w is not None:
                    return "REFUTED", w
        # split the widest side (relative to the start box)
        widths = [((hi - lo) / s if s else Fraction(-1)) for (lo, hi), s in zip(box, scale)]
        i = max(range(goal.n), key=lambda k: widths[k])
        if widths[i] <= min_width:
            # a (nearly) degenerate box: try higher precision before giving up
            done = False
            for bits in prec_ladder(st.prec):
                with workprec(bits):
                    s2, m2, y2, _ = evaluate_box(goal, box)
                if s2 == "sat":
                    if st.keep_leaves:
                        st.leaves.append({"box": [[fraction_to_str(lo), fraction_to_str(hi)] for lo, hi in box],
                                          "method": m2, "prec": bits, "enclosure": enclosure_triple(y2)})
                    st.methods[m2] = st.methods.get(m2, 0) + 1
                    done = True
                    break
                if s2 == "viol":
                    break
            if done:
                continue
            st.stuck.append(box)
            why = ("the claim as typed is not proved defined there (a pole or a domain edge?)"
                   if info.get("undefined") else "equality touched where no exact step applies?")
            return "UNKNOWN", "a box shrank below 2^-60 of the start width without being decided " \
                              f"(near {[float(a) for a, _ in box]}; {why})"
        lo, hi = box[i]
        c = (lo + hi) / 2
        lower = float(y.lower()) if is_finite(y) else -math.inf
        for part in ((lo, c), (c, hi)):
            nb = tuple(part if k == i else box[k] for k in range(goal.n))
            heapq.heappush(heap, (lower, counter, nb))
            counter += 1
    return "PROVED", None


def validate_box(box: Mapping, names_in_expr=()) -> tuple[list[str], tuple]:
    """The one reading of a box {name: (lo, hi) | "[lo, hi]"}: names NFKC-normalised as the parser
    does (two names that normalise alike are bad input), exact Fraction endpoints, lo <= hi;
    every name of ``names_in_expr`` must have a box.  Returns (names, ((lo, hi), ...))."""
    if not isinstance(box, Mapping) or not box:
        raise BoxError("the box must map each variable name to (lo, hi)")
    names = []
    parts = []
    try:
        normal = normalise_names(box.keys())
    except ExpressionError as exc:
        raise BoxError(str(exc)) from None
    for name, (_, spec) in zip(normal, box.items()):
        if not name.isidentifier():
            raise BoxError(f"variable name {name!r} is not a valid identifier")
        if isinstance(spec, str):
            from prunecert.checks.rigorous.numbers import parse_box
            lo, hi = parse_box(spec, f"box of {name}")
        else:
            try:
                lo_, hi_ = spec
            except (TypeError, ValueError):
                raise BoxError(f"box of {name}: expected (lo, hi), got {spec!r}") from None
            lo, hi = to_fraction(lo_, f"box of {name} lower end"), to_fraction(hi_, f"box of {name} upper end")
        if lo > hi:
            raise BoxError(f"box of {name}: reversed interval [{lo}, {hi}] (lower end > upper end)")
        names.append(name)
        parts.append((lo, hi))
    missing = sorted(set(names_in_expr) - set(names))
    if missing:
        raise BoxError(f"variable(s) {', '.join(missing)} appear in the claim but have no box")
    return names, tuple(parts)


def _sympify_side(side, names):
    if isinstance(side, str):
        return parse(side, names)
    if isinstance(side, (int, Fraction)):
        q = Fraction(side)
        return sp.Rational(q.numerator, q.denominator)
    if isinstance(side, float):
        raise ExpressionError("a float is not an exact claim side; pass a string or sympy expression")
    try:
        e = sp.sympify(side, strict=True)
    except (sp.SympifyError, TypeError) as exc:
        raise ExpressionError(f"cannot use {side!r} as an expression: {exc}") from None
    if e.has(sp.Float):
        raise ExpressionError(f"expression {e} contains an inexact float; use exact rationals")
    return e


def _versions() -> dict[str, str]:
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for dist in ("python-flint", "sympy", "mpmath", "prunecert"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "unknown"
    return out


def prove(lhs, op: str, rhs, box: Mapping[str, tuple], *, prec: int = 53, timeout: float = 10.0,
          max_boxes: int = 200_000, certificate: bool = True, seed: int = 0,
          use_exact_steps: bool = True, claim_text: str | None = None,
          use_smt: bool = True, raw: tuple | None = None) -> ProofOutcome:
    """Prove, refute or give up on ``lhs OP rhs`` for all points of ``box``.

    The interval ladder runs first.  If it ends UNKNOWN with time left and the claim is
    polynomial / piecewise-linear (no transcendental functions), the exact-decision rung
    :func:`prunecert.checks.decide.smt.prove_forall` (z3, confirmed by cvc5) gets the remaining time; its
    PROVED comes with a ``prunecert-smt/1`` certificate, and a counterexample model is only
    used as a starting point for a decimal witness certified here by ball arithmetic.

    Definedness: the claim counts only where it is defined *as typed*.  Text sides are parsed
    twice, once evaluated and once unevaluated (``raw``); sympy expressions passed directly are
    their own raw form (give ``raw=(lhs_as_typed, rhs_as_typed)`` to keep undefined points that
    sympy's evaluation erased)."""
    t0 = time.perf_counter()
    if op not in RELATIONS:
        raise InputError(f"relation {op!r} not supported (use one of {', '.join(RELATIONS)})")
    if not isinstance(prec, int) or isinstance(prec, bool) or not (16 <= prec <= 100_000):
        raise InputError(f"precision must be an integer number of bits in [16, 100000], got {prec!r}")
    try:
        timeout = float(timeout)
    except (TypeError, ValueError):
        raise InputError(f"timeout must be a number of seconds, got {timeout!r}") from None
    if not (timeout > 0 and math.isfinite(timeout)):
        raise InputError(f"timeout must be a positive finite number of seconds, got {timeout!r}")
    if not isinstance(max_boxes, int) or max_boxes < 1:
        raise InputError(f"max_boxes must be a positive integer, got {max_boxes!r}")
    box_names = [str(k) for k in box] if isinstance(box, Mapping) else None
    L = _sympify_side(lhs, box_names)
    R = _sympify_side(rhs, box_names)
    if raw is not None:
        rawL, rawR = raw
    else:
        rawL = parse(lhs, box_names, raw=True) if isinstance(lhs, str) else L
        rawR = parse(rhs, box_names, raw=True) if isinstance(rhs, str) else R
    expr_names = {s.name for s in (L - R).free_symbols} | {s.name for s in L.free_symbols | R.free_symbols}
    names, parts = validate_box(box, expr_names)
    if len(names) > MAX_VARS:
        raise BoxError(f"at most {MAX_VARS} variables are supported, got {len(names)}")
    g = (L - R) if op in (">=", ">") else (R - L)
    graw = sp.Add(rawL, sp.Mul(-1, rawR, evaluate=False), evaluate=False) if op in (">=", ">") \
        else sp.Add(rawR, sp.Mul(-1, rawL, evaluate=False), evaluate=False)
    strict = op in (">", "<")
    text = claim_text or f"{sp.sstr(L)} {op} {sp.sstr(R)}"
    # lhs - rhs may cancel a sqrt/log/division of the typed claim (sqrt(x) >= sqrt(x) - 1 becomes
    # 1 >= 0, "true" where sqrt(x) is undefined): refuse instead of proving the extended claim
    require_domain_kept(domain_atoms(L) + domain_atoms(R), g, text)
    deadline = t0 + timeout
    smt_ok = use_smt and _smt_expressible(g)
    # an exactly decidable (polynomial / piecewise-linear) claim keeps 40% of the time for the SMT rung
    ladder_deadline = t0 + 0.6 * timeout if smt_ok else deadline
    from prunecert.checks.rigorous.budget import time_limit

    res, smt_cert = None, None
    # cooperative deadline checks everywhere, plus a hard stop for anything that ignores them
    # (a long sympy call): the budget holds for any input
    with time_limit(max(deadline + HARD_GRACE - time.perf_counter(), 0.01)) as tl:
        with workprec(prec):
            goal = Goal(g, names, strict, raw=graw, deadline=deadline)
            goal.side = "lhs - rhs" if op in (">=", ">") else "rhs - lhs"
            res = _run(goal, parts, prec=prec, deadline=ladder_deadline, max_boxes=max_boxes,
                       keep=certificate, seed=seed, exact_steps=use_exact_steps)
            if res[0] is Level.UNKNOWN and smt_ok:
                res, smt_cert = _smt_rung(goal, L, op, R, parts, res, prec=prec, deadline=deadline)
    if tl.expired or res is None:
        smt_cert = None
        res = (Level.UNKNOWN, "time-limit", 0, None,
               f"time limit: stopped {HARD_GRACE:g} s after the {timeout:g} s budget", None)
    status, method, boxes, witness, detail, body = res
    seconds = time.perf_counter() - t0
    out = ProofOutcome(status, method, seconds, boxes, witness, None, detail, text)
    if smt_cert is not None:
        out.certificate = smt_cert if certificate else None
        return out
    if certificate and status in (Level.PROVED, Level.REFUTED):
        from prunecert.checks.inequality.certificate import make_certificate
        out.certificate = make_certificate(
            claim=text, lhs=sp.sstr(L), op=op, rhs=sp.sstr(R), names=names, box=parts,
            status=status.value, method=method, prec=prec, seconds=seconds, boxes=boxes, body=body,
            versions=_versions(), seed=seed)
    return out


def prove_text(text: str, box: Mapping[str, tuple], **kw) -> ProofOutcome:
    names = [str(k) for k in box] if isinstance(box, Mapping) else None
    lhs, op, rhs = parse_relation(text, names)
    kw.setdefault("claim_text", text.strip())
    kw.setdefault("raw", parse_relation(text, names, raw=True)[::2])
    return prove(lhs, op, rhs, box, **kw)


def _run(goal: Goal, box, *, prec, deadline, max_boxes, keep, seed, exact_steps):
    """Returns (status, method, boxes, witness, detail, certificate body)."""
    from prunecert.checks.inequality import touching

    names = goal.names
    scale = [hi - lo for lo, hi in box]
    st = _State(goal, prec, deadline, max_boxes, keep)

    # 0. a quick look at the centre (exact) and a float search for counterexamples (search only)
    cands = [(None, _mid(box))]
    try:
        for v, x in float_search(goal, box, seed=seed):
            cands.append((v, x))
    except Exception:  # noqa: BLE001 - search only
        pass
    for v, x in cands[:8]:
        if v is not None and v > 0 and not goal.strict:
            break
        w = find_decimal_witness(goal, x, box, prec, deadline)
        if w is not None:
            return _refuted(goal, w, "float-search+exact-point", st)

    # 1. exact steps (factorisation, touching points): they may settle everything or carve
    #    neighbourhoods out of the box
    start = [box]
    exact_facts = []
    if exact_steps:
        ex = touching.exact_steps(goal, box, prec=prec, deadline=deadline, max_boxes=max_boxes,
                                  keep=keep, seed=seed, float_minima=cands[1:], subprove=_run)
        if ex is not None:
            if ex.kind == "refuted":
                return _refuted(goal, (ex.point, ex.enclosure), ex.method, st, extra=ex.facts)
            if ex.kind == "factor":
                return (ex.status, "exact-factorisation" + (f"+{ex.method}" if ex.method else ""),
                        ex.boxes, None, ex.detail, {"kind": "factor", **ex.facts})
            if ex.kind == "touch":
                exact_facts = ex.facts["touch_points"]
                start, touch_leaves = touching.carve(box, ex.neighbourhoods)
                for lf in touch_leaves:
                    st.leaves.append(lf)
                st.methods["touch"] = len(touch_leaves)

    # 2. branch and bound on the rest
    status, info = branch_and_bound(st, start, scale)
    if status == "REFUTED":
        return _refuted(goal, info, "branch-and-bound", st)
    if status == "UNKNOWN":
        return Level.UNKNOWN, _method_name(st), st.boxes, None, info, None
    body = {"kind": "leaves", "leaves": st.leaves, "touch_points": exact_facts}
    return Level.PROVED, _method_name(st), st.boxes, None, \
        f"{len(st.leaves)} leaves ({', '.join(f'{k}: {v}' for k, v in sorted(st.methods.items()))})", body


def _method_name(st: _State) -> str:
    used = [m for m in ("plain", "mono", "mvf", "taylor", "touch") if st.methods.get(m)]
    return "arb-bnb(" + ",".join(used) + ")" if used else "arb-bnb"


def _refuted(goal: Goal, w, how: str, st: _State, extra=None):
    p, y = w
    witness = {n: Fraction(v) for n, v in zip(goal.names, p)}
    lo, hi = exact_endpoints(y)
    body = {"kind": "witness", "witness": {n: fraction_to_str(v) for n, v in witness.items()},
            "enclosure": enclosure_triple(y), "how": how}
    if extra:
        body["facts"] = extra
    detail = (f"at {', '.join(f'{n}={decimal_string(v)}' for n, v in witness.items())}: the margin "
              f"g = {goal.side} lies in [{float(lo):.6g}, {float(hi):.6g}], but g {'>' if goal.strict else '>='} 0 is claimed")
    return Level.REFUTED, f"witness({how})", st.boxes, witness, detail, body


def _smt_expressible(g) -> bool:
    """Can the exact-decision rung state this claim (no transcendental functions)?"""
    try:
        from prunecert.checks.errors import ExpressionError
        from prunecert.checks.decide.smtlib import to_smtlib_term
    except ImportError:  # pragma: no cover
        return False
    try:
        to_smtlib_term(g)
    except ExpressionError:
        return False
    except Exception:  # noqa: BLE001 - anything the translator cannot handle is simply not this rung's
        return False
    return True


def _smt_rung(goal: Goal, L, op: str, R, box, res, *, prec: int, deadline: float):
    """Last rung: exact decision for polynomial / piecewise-linear claims (see :func:`prove`).

    Returns (result tuple, smt certificate or None); the result tuple is ``res`` unchanged
    when the rung does not apply or does not decide."""
    remaining = deadline - time.perf_counter()
    if remaining < 0.2:
        return res, None
    try:
        from prunecert.checks.decide import smt
    except ImportError:  # pragma: no cover - z3 is a dependency
        return res, None
    from prunecert.checks.errors import ExpressionError

    smt_box = {n: (lo, hi) for n, (lo, hi) in zip(goal.names, box)}
    # the decision is about the evaluated claim; it counts only where the claim as typed is
    # defined, so definedness on the whole box is proved first (ball arithmetic, bisection)
    from prunecert.checks.rigorous.domain import defined_on
    if not defined_on(goal.D, box, deadline=deadline) or not defined_on(goal.A, box, deadline=deadline):
        return res, None
    remaining = deadline - time.perf_counter()
    if remaining < 0.2:
        return res, None
    try:
        r = smt.prove_forall(L, op, R, smt_box, timeout=remaining)
    except ExpressionError:  # transcendental or otherwise not expressible: not this rung's job
        return res, None
    status, method, boxes, witness, detail, body = res
    if r.level is Level.PROVED:
        return (Level.PROVED, "exact-smt(" + r.method + ")", boxes, None,
                f"interval ladder undecided; {r.detail}", None), r.certificate
    if r.level is Level.REFUTED and r.witness:
        try:
            q = [Fraction(str(r.witness[n])) for n in goal.names]
        except (KeyError, ValueError, ZeroDivisionError):
            return res, None
        st = _State(goal, prec, deadline + 1.0, 1, True)
        w = find_decimal_witness(goal, q, box, prec, deadline + 1.0)
        if w is not None:
            return _refuted(goal, w, "smt-model+exact-point", st), None
    return res, None
