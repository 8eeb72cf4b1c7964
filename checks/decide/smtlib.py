"""Translate sympy expressions into SMT-LIB2 (QF_LRA / QF_NRA / QF_LIRA / QF_NIRA).

Supported, exactly: integers and rationals (never floats), symbols (Real; ``integer=True``
symbols become Int), ``+ - * /``, integer powers, ``Abs``, ``Max``, ``Min`` (ReLU is
``Max(0, t)``), ``sign``, ``Piecewise`` (nested ``ite``), relations ``< <= > >= == !=`` and
``And / Or / Not`` inside Piecewise conditions.  ``Abs``/``Max``/``Min`` bind their
arguments with ``let`` so nested ReLUs do not blow up the text.

Division and Piecewise without an ``otherwise`` branch are *partial*: every translated
term comes with a **definedness formula** (``x/y`` needs ``y != 0``; a Piecewise needs some
condition to hold), path-sensitive through ``ite`` (a denominator in a branch that is not
taken does not matter).  In SMT-LIB ``(/ x 0)`` is an arbitrary total value, so callers must
use the definedness formula; :func:`prunecert.checks.decide.smt.prove_forall` asks the solvers for a point
where the statement is undefined *or* false.

Anything else (sin, exp, log, sqrt, pi, floats, symbolic powers, ...) raises
:class:`prunecert.checks.errors.ExpressionError` pointing to the interval prover.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import sympy
from sympy.logic.boolalg import BooleanFalse, BooleanTrue

from prunecert.checks.errors import ExpressionError

MAX_POWER = 64
_TRUE = "true"
_FALSE = "false"

_USE_PROVER = "exact SMT decision handles only polynomial and piecewise-linear " \
              "(Abs/Max/Min/Piecewise) statements; use the interval prover prunecert.checks.inequality.prover.prove instead"


def real_literal(q) -> str:
    """Exact SMT-LIB2 Real literal of a rational number."""
    q = Fraction(q)
    num = abs(q.numerator)
    body = f"{num}.0" if q.denominator == 1 else f"(/ {num}.0 {q.denominator}.0)"
    return f"(- {body})" if q < 0 else body


def int_literal(k: int) -> str:
    return f"(- {-k})" if k < 0 else str(k)


def _and(*parts: str) -> str:
    parts = tuple(dict.fromkeys(p for p in parts if p != _TRUE))
    if any(p == _FALSE for p in parts):
        return _FALSE
    if not parts:
        return _TRUE
    return parts[0] if len(parts) == 1 else "(and " + " ".join(parts) + ")"


def _implies(c: str, d: str) -> str:
    if d == _TRUE or c == _FALSE:
        return _TRUE
    if c == _TRUE:
        return d
    return f"(=> {c} {d})"


def _ite_formula(c: str, a: str, b: str) -> str:
    if a == b:
        return a
    return _and(_implies(c, a), _implies(f"(not {c})", b))


def quote_symbol(name: str) -> str:
    if not name or "|" in name or "\\" in name or name.startswith("_let"):
        raise ExpressionError(f"variable name {name!r} cannot be used in SMT-LIB2 "
                              "(no '|' or '\\', not starting with '_let')")
    return f"|{name}|"


@dataclass
class Translator:
    """Stateful translator: collects the variables it meets (name -> sort)."""

    variables: dict[str, str] = field(default_factory=dict)       # name -> "Real" | "Int"
    symbols: dict[str, sympy.Symbol] = field(default_factory=dict)
    nonlinear: bool = False
    _let_counter: int = 0

    # -- public -------------------------------------------------------------------------
    def term(self, e) -> tuple[str, str]:
        """(SMT-LIB2 Real term, definedness formula) of a sympy expression."""
        e = _sympify(e)
        self._scan_nonlinear(e)
        return self._term(e)

    def formula(self, e) -> tuple[str, str]:
        """(SMT-LIB2 Bool formula, definedness formula) of a sympy relation/boolean."""
        e = _sympify(e)
        self._scan_nonlinear(e)
        return self._formula(e)

    def declare(self, s: sympy.Symbol) -> None:
        """Register a symbol even if it does not occur in a translated term."""
        self._symbol(s)

    @property
    def logic(self) -> str:
        ints = "Int" in self.variables.values()
        n = "N" if self.nonlinear else "L"
        if ints:
            return f"QF_{n}IRA"  # Int variables enter Real arithmetic through to_real
        return f"QF_{n}RA"

    def declarations(self) -> list[str]:
        return [f"(declare-fun {quote_symbol(n)} () {s})" for n, s in self.variables.items()]

    def domain_constraints(self) -> list[str]:
        """Constraints from sympy assumptions (positive, nonnegative, ...) of the symbols."""
        out = []
        for name, s in self.symbols.items():
            v = self._var_ref(name)
            if s.is_positive:
                out.append(f"(> {v} 0.0)")
            elif s.is_nonnegative:
                out.append(f"(>= {v} 0.0)")
            elif s.is_negative:
                out.append(f"(< {v} 0.0)")
            elif s.is_nonpositive:
                out.append(f"(<= {v} 0.0)")
            if s.is_zero:
                out.append(f"(= {v} 0.0)")
            elif s.is_nonzero and not (s.is_positive or s.is_negative):
                out.append(f"(not (= {v} 0.0))")
        return out

    # -- internals ----------------------------------------------------------------------
    def _fresh(self) -> str:
        self._let_counter += 1
        return f"_let{self._let_counter}"

    def _var_ref(self, name: str) -> str:
        q = quote_symbol(name)
        return f"(to_real {q})" if self.variables[name] == "Int" else q

    def _symbol(self, s: sympy.Symbol) -> str:
        name = s.name
        for bad in ("even", "odd", "prime", "composite"):
            if s.assumptions0.get(bad):
                raise ExpressionError(f"symbol {name!r}: assumption {bad!r} is not supported by exact SMT decision")
        if s.is_real is False or s.is_extended_real is False:
            raise ExpressionError(f"symbol {name!r} is not real")
        sort = "Int" if s.is_integer else "Real"
        old = self.symbols.get(name)
        if old is not None and old != s:
            raise ExpressionError(f"two different symbols are both called {name!r} (different assumptions)")
        self.symbols[name] = s
        self.variables[name] = sort
        return self._var_ref(name)

    def _scan_nonlinear(self, e) -> None:
        if self.nonlinear:
            return
        for node in sympy.preorder_traversal(e):
            if isinstance(node, sympy.Mul) and sum(1 for a in node.args if a.free_symbols) >= 2:
                self.nonlinear = True
                return
            if isinstance(node, sympy.Pow) and node.base.free_symbols and node.exp != 1:
                self.nonlinear = True
                return

    def _term(self, e) -> tuple[str, str]:
        if isinstance(e, sympy.Float):
            raise ExpressionError(f"inexact floating-point number {e} in an exact statement: "
                                  "write it as a rational (sympy.Rational or a decimal string parsed by prunecert.checks.rigorous.expr.parse)")
        if isinstance(e, sympy.Rational):  # Integer is a Rational
            return real_literal(Fraction(int(e.p), int(e.q))), _TRUE
        if isinstance(e, sympy.Symbol):
            return self._symbol(e), _TRUE
        if isinstance(e, sympy.Add):
            parts = [self._term(a) for a in e.args]
            return "(+ " + " ".join(t for t, _ in parts) + ")", _and(*(d for _, d in parts))
        if isinstance(e, sympy.Mul):
            num, den = [], []
            for a in e.args:
                if isinstance(a, sympy.Pow) and a.exp.is_Integer and a.exp < 0 and a.base.free_symbols:
                    den.append(sympy.Pow(a.base, -a.exp, evaluate=False) if a.exp != -1 else a.base)
                else:
                    num.append(a)
            nt = [self._term(a) for a in num]
            numer = nt[0][0] if len(nt) == 1 else "(* " + " ".join(t for t, _ in nt) + ")"
            defs = [d for _, d in nt]
            if den:
                dt = [self._term(a) for a in den]
                denom = dt[0][0] if len(dt) == 1 else "(* " + " ".join(t for t, _ in dt) + ")"
                defs += [d for _, d in dt]
                nz = f"(not (= {denom} 0.0))"
                return f"(/ {numer} {denom})", _and(*defs, nz)
            return numer, _and(*defs)
        if isinstance(e, sympy.Pow):
            if not (e.exp.is_Integer):
                raise ExpressionError(f"non-integer or symbolic power {e}: {_USE_PROVER}")
            k = int(e.exp)
            if abs(k) > MAX_POWER:
                raise ExpressionError(f"power {k} in {e} exceeds the limit {MAX_POWER} for SMT translation")
            b, db = self._term(e.base)
            if k == 0:
                return real_literal(1), db
            prod = b if abs(k) == 1 else "(* " + " ".join([b] * abs(k)) + ")"
            if k > 0:
                return prod, db
            return f"(/ 1.0 {prod})", _and(db, f"(not (= {b} 0.0))")
        if isinstance(e, sympy.Abs):
            (a,) = e.args
            t, d = self._term(a)
            v = self._fresh()
            return f"(let (({v} {t})) (ite (>= {v} 0.0) {v} (- {v})))", d
        if isinstance(e, (sympy.Max, sympy.Min)):
            ts = [self._term(a) for a in e.args]
            cmp = ">=" if isinstance(e, sympy.Max) else "<="
            acc = ts[0][0]
            for t, _ in ts[1:]:
                va, vb = self._fresh(), self._fresh()
                acc = f"(let (({va} {acc}) ({vb} {t})) (ite ({cmp} {va} {vb}) {va} {vb}))"
            return acc, _and(*(d for _, d in ts))
        if isinstance(e, sympy.sign):
            (a,) = e.args
            t, d = self._term(a)
            v = self._fresh()
            return f"(let (({v} {t})) (ite (> {v} 0.0) 1.0 (ite (< {v} 0.0) (- 1.0) 0.0)))", d
        if isinstance(e, sympy.Piecewise):
            return self._piecewise(e)
        if e.is_Function or isinstance(e, sympy.Function):
            raise ExpressionError(f"function {type(e).__name__} in {e} is not supported: {_USE_PROVER}")
        if e.is_number:
            raise ExpressionError(f"constant {e} is not rational: {_USE_PROVER}")
        raise ExpressionError(f"cannot translate {e} ({type(e).__name__}) to SMT-LIB2: {_USE_PROVER}")

    def _piecewise(self, e: sympy.Piecewise) -> tuple[str, str]:
        pieces = list(e.args)
        # build from the last piece backwards
        term, dfn = None, _FALSE  # undefined if no condition holds
        for expr, cond in reversed(pieces):
            c, dc = self._formula(cond)
            t, dt = self._term(expr)
            if c == _TRUE:
                term, dfn = t, dt
                continue
            if term is None:
                term = real_literal(0)  # value irrelevant: definedness is false there
            term = f"(ite {c} {t} {term})"
            dfn = _and(dc, _ite_formula(c, dt, dfn))
        return term, dfn

    def _formula(self, e) -> tuple[str, str]:
        if isinstance(e, (BooleanTrue,)) or e is sympy.true or e is True:
            return _TRUE, _TRUE
        if isinstance(e, (BooleanFalse,)) or e is sympy.false or e is False:
            return _FALSE, _TRUE
        ops = {sympy.StrictLessThan: "<", sympy.LessThan: "<=", sympy.StrictGreaterThan: ">",
               sympy.GreaterThan: ">=", sympy.Equality: "="}
        for cls, op in ops.items():
            if isinstance(e, cls):
                a, da = self._term(e.lhs)
                b, db = self._term(e.rhs)
                return f"({op} {a} {b})", _and(da, db)
        if isinstance(e, sympy.Unequality):
            a, da = self._term(e.lhs)
            b, db = self._term(e.rhs)
            return f"(not (= {a} {b}))", _and(da, db)
        if isinstance(e, (sympy.And, sympy.Or)):
            parts = [self._formula(a) for a in e.args]
            op = "and" if isinstance(e, sympy.And) else "or"
            return f"({op} " + " ".join(p for p, _ in parts) + ")", _and(*(d for _, d in parts))
        if isinstance(e, sympy.Not):
            p, d = self._formula(e.args[0])
            return f"(not {p})", d
        raise ExpressionError(f"cannot translate condition {e} ({type(e).__name__}) to SMT-LIB2")


def _sympify(e):
    """sympy object from a sympy object or an exact Python number (never from text)."""
    if isinstance(e, bool):
        return sympy.true if e else sympy.false
    if isinstance(e, sympy.Basic):
        return e
    if isinstance(e, int):
        return sympy.Integer(e)
    if isinstance(e, Fraction):
        return sympy.Rational(e.numerator, e.denominator)
    if isinstance(e, float):
        raise ExpressionError(f"inexact float {e!r}: pass an exact number (int, Fraction, sympy.Rational)")
    raise ExpressionError(f"expected a sympy expression, got {type(e).__name__}")


def to_smtlib_term(expr) -> str:
    """Convenience: the SMT-LIB2 term of one expression (ignores definedness)."""
    return Translator().term(expr)[0]
