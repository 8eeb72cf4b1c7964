"""Definedness and analyticity of an expression on a box, proved with arb balls.

A claim ``lhs OP rhs`` means something at a point only where both sides are defined as
written.  sympy's automatic evaluation can erase undefined points (``tan(x) + 1 - tan(x)``
becomes ``1``, ``sqrt(x - 2)**2`` becomes ``x - 2``), so definedness is decided on the
expression *as typed* (the unevaluated tree from ``parse(..., raw=True)``), independently of
any simplification.

:func:`compile_checked` walks an expression tree (evaluated or not) and returns a function of a
box of balls that either raises :class:`Undefined` or returns ``(enclosure, level)``:

* every subexpression's enclosure is finite and lies in its function's domain: division and
  negative powers by a ball excluding 0, ``log`` of a ball > 0, ``sqrt`` and non-integer powers
  of a ball >= 0 (> 0 for negative exponents), ``asin``/``acos`` of a ball in [-1, 1],
  ``gamma`` of a ball free of the poles 0, -1, -2, ..., ``tan`` with a finite enclosure (Arb
  returns a non-finite ball for a ball containing a pole);
* a Piecewise condition is decided three-valued from defined operands; an operand that is
  not defined on the box makes the box undefined (never "maybe");
* ``level`` is ``ANALYTIC`` when in addition every function is applied in the *interior* of
  its domain and no kink function (Abs, Max, Min, Piecewise) occurs: then the expression is
  real-analytic on an open set containing the box, so sympy's derivative formulas are its
  true derivatives there and Taylor's theorem applies on the whole box; else ``DEFINED``.

An expression that raises :class:`Undefined` on a box may still be defined there (the
enclosures overestimate): callers treat the box as undecided, never as true.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable, Sequence

import sympy as sp
from flint import arb, fmpq

from prunecert.checks.errors import ExpressionError
from prunecert.checks.levels import Tri
from prunecert.checks.rigorous.arith import absval, compare3, exact_endpoints, is_finite

__all__ = ["compile_checked", "Undefined", "DEFINED", "ANALYTIC", "tree_size", "real_symbols", "defined_on"]

DEFINED, ANALYTIC = 1, 2
MAX_TREE = 200_000


class Undefined(Exception):
    """The expression is not proved defined (finite, inside every domain) on the box."""


def tree_size(e, limit: int = MAX_TREE) -> int:
    """Number of nodes of a sympy tree (counting shared subtrees again), capped at limit + 1."""
    n = 0
    stack = [e]
    while stack:
        x = stack.pop()
        n += 1
        if n > limit:
            return n
        stack.extend(x.args)
    return n


def real_symbols(e):
    """``e`` with every free symbol replaced by the real symbol of the same name, *without*
    re-evaluating an unevaluated tree (``xreplace`` would rebuild it with sympy's automatic
    evaluation, erasing undefined points such as ``tan(x) - tan(x)``)."""
    bad = {s for s in e.free_symbols if s != sp.Symbol(s.name, real=True)}
    if not bad:
        return e
    rule = {s: sp.Symbol(s.name, real=True) for s in bad}

    def walk(x):
        if x in rule:
            return rule[x]
        if not x.args or not (x.free_symbols & bad):
            return x
        args = [walk(a) for a in x.args]
        try:
            return x.func(*args, evaluate=False)
        except TypeError:
            return x.func(*args)
    return walk(e)


def _fin(y: arb) -> arb:
    if not is_finite(y):
        raise Undefined("not finite")
    return y


def _ipow(x: arb, n: int) -> arb:
    from prunecert.checks.rigorous.expr import _ipow as ip
    return ip(x, n)


def _gamma_ok(x: arb) -> bool:
    if x > 0:
        return True
    lo, hi = exact_endpoints(x)
    if hi >= 0:
        return False  # contains 0 or reaches it
    return math.floor(hi) < lo  # no integer in [lo, hi]


def compile_checked(expr, variables: Sequence[str]) -> Callable:
    """``C(balls) -> (enclosure, level)`` or raise Undefined; see the module docstring."""
    names = [str(v) for v in variables]
    index = {n: i for i, n in enumerate(names)}
    if tree_size(expr) > MAX_TREE:
        raise ExpressionError("expression too large")
    memo: dict = {}

    def build(e):
        key = (e, type(e))
        if key in memo:
            return memo[key]
        f = _build(e)
        memo[key] = f
        return f

    def _build(e):
        if isinstance(e, sp.Symbol):
            if e.name not in index:
                raise ExpressionError(f"unknown variable {e.name!r}")
            i = index[e.name]
            return lambda xs, st: xs[i]
        if isinstance(e, sp.Rational):  # Integer too
            p, q = int(e.p), int(e.q)
            if q == 1:
                return lambda xs, st: arb(p)
            return lambda xs, st: arb(fmpq(p, q))
        if e is sp.pi:
            return lambda xs, st: arb.pi()
        if e is sp.E:
            return lambda xs, st: arb.const_e()
        if isinstance(e, sp.Float):
            raise ExpressionError(f"inexact float constant {e}")
        if isinstance(e, sp.Add):
            fs = [build(a) for a in e.args]

            def add(xs, st):
                acc = fs[0](xs, st)
                for f in fs[1:]:
                    acc = acc + f(xs, st)
                return _fin(acc)
            return add
        if isinstance(e, sp.Mul):
            fs = [build(a) for a in e.args]

            def mul(xs, st):
                acc = fs[0](xs, st)
                for f in fs[1:]:
                    acc = acc * f(xs, st)
                return _fin(acc)
            return mul
        if isinstance(e, sp.Pow):
            return _pow(e)
        if isinstance(e, sp.Piecewise):
            return _piecewise(e)
        if isinstance(e, (sp.Max, sp.Min)):
            from prunecert.checks.rigorous.expr import _max, _min
            fs = [build(a) for a in e.args]
            op = _max if isinstance(e, sp.Max) else _min

            def mm(xs, st):
                st[0] = DEFINED
                return _fin(op(*[f(xs, st) for f in fs]))
            return mm
        if len(e.args) == 1 and isinstance(e, sp.Function):
            return _func(e)
        raise ExpressionError(f"unsupported construct {type(e).__name__} in {e}")

    def _pow(e):
        b, x = e.base, e.exp
        fb = build(b)
        if x.is_Integer:
            n = int(x)
            if n >= 0:
                return lambda xs, st: _fin(_ipow(fb(xs, st), n))

            def negpow(xs, st):
                v = fb(xs, st)
                if not (v > 0 or v < 0):
                    raise Undefined("division by a ball containing 0")
                return _fin(_ipow(v, n))
            return negpow
        if b is sp.E:
            fx = build(x)
            return lambda xs, st: _fin(fx(xs, st).exp())
        fx = build(x)
        if x.is_Rational or not x.free_symbols:
            positive = bool(x.is_positive)

            def rpow(xs, st):
                v = fb(xs, st)
                ev = fx(xs, st)
                if v > 0:
                    return _fin((ev * v.log()).exp())
                if positive and v >= 0:
                    st[0] = DEFINED
                    if x == sp.S.Half:
                        return _fin(v.sqrt())
                    from prunecert.checks.rigorous.expr import _rpow
                    return _fin(_rpow(v, ev, True))
                raise Undefined("power of a base not certainly >= 0")
            return rpow

        def gpow(xs, st):
            v = fb(xs, st)
            if not (v > 0):
                raise Undefined("power with a variable exponent of a base not certainly > 0")
            return _fin((fx(xs, st) * v.log()).exp())
        return gpow

    def _func(e):
        fa = build(e.args[0])
        f = e.func
        if f in (sp.exp, sp.sin, sp.cos, sp.atan, sp.erf, sp.erfc):
            meth = {sp.exp: arb.exp, sp.sin: arb.sin, sp.cos: arb.cos, sp.atan: arb.atan,
                    sp.erf: arb.erf, sp.erfc: arb.erfc}[f]
            return lambda xs, st: _fin(meth(fa(xs, st)))
        if f is sp.tan:
            return lambda xs, st: _fin(fa(xs, st).tan())
        if f is sp.log:
            def lg(xs, st):
                v = fa(xs, st)
                if not (v > 0):
                    raise Undefined("log of a ball not certainly > 0")
                return _fin(v.log())
            return lg
        if f in (sp.asin, sp.acos):
            def arc(xs, st):
                v = fa(xs, st)
                if not (v >= -1 and v <= 1):
                    raise Undefined(f"{f.__name__} of a ball not inside [-1, 1]")
                if not (v > -1 and v < 1):
                    st[0] = DEFINED
                return _fin(v.asin() if f is sp.asin else v.acos())
            return arc
        if f is sp.gamma:
            def gm(xs, st):
                v = fa(xs, st)
                if not _gamma_ok(v):
                    raise Undefined("gamma near a pole 0, -1, -2, ...")
                return _fin(v.gamma())
            return gm
        if f is sp.Abs:
            def ab(xs, st):
                st[0] = DEFINED
                return _fin(absval(fa(xs, st)))
            return ab
        raise ExpressionError(f"unsupported function {f.__name__!r}")

    def cond(c):
        if c is sp.true or c is True:
            return lambda xs, st: Tri.TRUE
        if c is sp.false or c is False:
            return lambda xs, st: Tri.FALSE
        if isinstance(c, sp.core.relational.Relational):
            fl, fr, op = build(c.lhs), build(c.rhs), c.rel_op

            def rel(xs, st):
                a, b = fl(xs, st), fr(xs, st)
                if op == "!=":
                    return ~compare3(a, "==", b)
                return compare3(a, op, b)
            return rel
        if isinstance(c, (sp.And, sp.Or)):
            fs = [cond(a) for a in c.args]
            is_and = isinstance(c, sp.And)

            def bo(xs, st):
                out = Tri.TRUE if is_and else Tri.FALSE
                for g in fs:  # every operand must be defined: evaluate all
                    t = g(xs, st)
                    out = (out & t) if is_and else (out | t)
                return out
            return bo
        if isinstance(c, sp.Not):
            g = cond(c.args[0])
            return lambda xs, st: ~g(xs, st)
        raise ExpressionError(f"unsupported Piecewise condition {c}")

    def _piecewise(e):
        branches = [(build(v), cond(c)) for v, c in e.args]

        def pw(xs, st):
            st[0] = DEFINED
            acc = None
            for fv, fc in branches:
                t = fc(xs, st)
                if t is Tri.FALSE:
                    continue
                v = fv(xs, st)
                acc = v if acc is None else acc.union(v)
                if t is Tri.TRUE:
                    return _fin(acc)
            raise Undefined("Piecewise: some point may satisfy no condition")
        return pw

    root = build(sp.sympify(expr))
    nv = len(names)

    def C(xs):
        if len(xs) != nv:
            raise ValueError(f"expected {nv} balls, got {len(xs)}")
        st = [ANALYTIC]
        try:
            y = root(xs, st)
        except (ZeroDivisionError, ValueError, OverflowError, ArithmeticError) as exc:
            raise Undefined(str(exc)) from None
        return _fin(y), st[0]

    C.variables = tuple(names)
    return C


def defined_on(C, box, *, deadline: float, max_pieces: int = 2000, need: int = DEFINED) -> bool:
    """Prove by bisection that C is defined (or analytic: ``need=ANALYTIC``) on every point of
    ``box`` (exact (lo, hi) pairs).  False means "not proved" (time or piece budget)."""
    import time

    from prunecert.checks.rigorous.arith import interval

    stack = [tuple(box)]
    pieces = 0
    while stack:
        if time.perf_counter() > deadline:
            return False
        B = stack.pop()
        pieces += 1
        if pieces > max_pieces:
            return False
        try:
            _, lev = C([interval(lo, hi) for lo, hi in B])
            if lev >= need:
                continue
        except Undefined:
            pass
        widths = [hi - lo for lo, hi in B]
        i = max(range(len(B)), key=lambda k: widths[k])
        if widths[i] <= Fraction(1, 2 ** 40) * (1 + max(abs(B[i][0]), abs(B[i][1]))):
            return False
        lo, hi = B[i]
        m = (lo + hi) / 2
        for part in ((lo, m), (m, hi)):
            stack.append(tuple(part if k == i else B[k] for k in range(len(B))))
    return True
