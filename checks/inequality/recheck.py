"""Independent re-checker for prover certificates (format ``prunecert-inequality/1``).

It shares no numerical code with the prover (:mod:`prunecert.checks.inequality.prover`, :mod:`prunecert.checks.inequality.touching`,
:func:`prunecert.checks.rigorous.expr.compile_arb`): it re-parses the claim with the safe parser, recomputes
derivatives with sympy and evaluates everything with its own small interval evaluator:

* intervals have exact :class:`fractions.Fraction` endpoints; ``+ - * /`` and integer powers are
  exact (endpoints are then rounded *outward* to ``bits`` binary digits to keep them small);
* ``exp, log, sqrt, sin, cos, tan`` and rational powers: ``mpmath.iv`` evaluated at the (exact)
  endpoints only, combined with the monotonicity of the function (sin/cos: extrema detected
  with an enclosure of pi);
* functions ``mpmath.iv`` lacks (atan, asin, acos, erf, erfc, gamma) are evaluated by arb
  (python-flint) as a *fallback*; every leaf that needed it is counted and reported in
  ``RecheckResult.fallback_leaves`` (honest: those leaves are not independent of Arb).

Checks: the digest; that the claim, box and status are consistent with the evidence; that the
leaves cover the box exactly (exact rational test); each leaf's sign by its own evaluation
(plain, mean-value with monotonicity, 1-D Taylor, then subdividing the leaf); a witness's
wrong sign; the exact symbolic facts (touching points, factorisations, Gram matrices) are
re-derived with sympy and exact rational arithmetic.
"""
from __future__ import annotations

import math
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp

from prunecert.checks.inequality.certificate import FORMAT, digest
from prunecert.checks.errors import CertificateError, ExpressionError, InputError

FORMATS = (FORMAT,)
__all__ = ["recheck", "RecheckResult", "FORMATS"]


@dataclass
class RecheckResult:
    """``ok`` True: re-checked.  ``ok`` False with ``timed_out`` True: the time limit ran out
    before a verdict (UNKNOWN, not a rejection); otherwise rejected with the reason."""
    ok: bool
    detail: str
    leaves: int = 0
    fallback_leaves: int = 0
    subdivided_leaves: int = 0
    seconds: float = 0.0
    notes: list = field(default_factory=list)
    timed_out: bool = False

    @property
    def verdict(self) -> str:
        return "OK" if self.ok else "UNKNOWN" if self.timed_out else "REJECTED"

    def to_json(self):
        return {"ok": self.ok, "verdict": self.verdict, "detail": self.detail, "leaves": self.leaves,
                "fallback_leaves": self.fallback_leaves, "subdivided_leaves": self.subdivided_leaves,
                "seconds": round(self.seconds, 6)}


class _Reject(Exception):
    pass


class _OutOfTime(Exception):
    """The re-check's time limit passed (UNKNOWN, never a rejection)."""


MAX_EXP_BITS = 100_000   # binary exponents beyond this are refused (no giant exact numbers)


class _Undefined(Exception):
    """The evaluator cannot certify a finite value (domain, pole, no applicable branch)."""


# ----------------------------------------------------------------------------- intervals

class I:
    """A closed interval with exact rational endpoints."""
    __slots__ = ("lo", "hi")

    def __init__(self, lo, hi=None):
        lo = Fraction(lo)
        hi = lo if hi is None else Fraction(hi)
        if lo > hi:
            raise ValueError("reversed interval")
        self.lo, self.hi = lo, hi

    def __repr__(self):
        return f"I({float(self.lo)!r}, {float(self.hi)!r})"


def _round_out(lo: Fraction, hi: Fraction, bits: int) -> I:
    def down(q):
        if q.denominator == 1 or q == 0:
            return q
        e = bits - (abs(q.numerator).bit_length() - q.denominator.bit_length())
        s = Fraction(2) ** e
        return Fraction(math.floor(q * s)) / s

    def up(q):
        return -down(-q)
    return I(down(lo), up(hi))


@contextmanager
def _ivprec(iv, bits):
    old = iv.prec
    iv.prec = bits
    try:
        yield
    finally:
        iv.prec = old


class Ev:
    """Interval evaluator of a sympy expression (independent of the prover)."""

    def __init__(self, bits: int):
        self.bits = bits
        self.fallback = False
        self.edge = False   # some function was applied at the edge of its domain (sqrt(0), asin(1))
        self.kink = False   # Abs / Max / Min / Piecewise occurred
        from mpmath import iv
        self.iv = iv

    # ---- exact helpers
    def add(self, a, b):
        return _round_out(a.lo + b.lo, a.hi + b.hi, self.bits)

    def neg(self, a):
        return I(-a.hi, -a.lo)

    def mul(self, a, b):
        ps = (a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi)
        return _round_out(min(ps), max(ps), self.bits)

    def inv(self, a):
        if a.lo <= 0 <= a.hi:
            raise _Undefined("division by an interval containing 0")
        return _round_out(1 / a.hi, 1 / a.lo, self.bits)

    def ipow(self, a, n: int):
        if abs(n) > 10_000:
            raise _Undefined("exponent too large")
        if n < 0:
            return self.inv(self.ipow(a, -n))
        if n == 0:
            return I(1)
        lo, hi = a.lo ** n, a.hi ** n
        if n % 2 == 1:
            return _round_out(lo, hi, self.bits)
        if a.lo >= 0:
            return _round_out(lo, hi, self.bits)
        if a.hi <= 0:
            return _round_out(hi, lo, self.bits)
        return _round_out(Fraction(0), max(lo, hi), self.bits)

    # ---- mpmath.iv at exact points
    def _iv_point(self, q: Fraction):
        iv = self.iv
        return iv.mpf(q.numerator) / iv.mpf(q.denominator)

    def _to_I(self, v) -> I:
        from mpmath.libmp import to_rational
        lo_t, hi_t = v._mpi_
        for t in (lo_t, hi_t):   # (sign, man, exp, bc): refuse astronomically large or small values
            if len(t) == 4 and isinstance(t[2], int) and abs(t[2]) > MAX_EXP_BITS:
                raise _Undefined("value out of range")
        try:
            lo = Fraction(*to_rational(lo_t))
            hi = Fraction(*to_rational(hi_t))
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            raise _Undefined("non-finite value") from None
        return I(lo, hi)

    def point_fn(self, name, q: Fraction) -> I:
        iv = self.iv
        with _ivprec(iv, self.bits):
            x = self._iv_point(q)
            f = {"exp": iv.exp, "log": iv.log, "sqrt": iv.sqrt, "sin": iv.sin, "cos": iv.cos, "tan": iv.tan}[name]
            return self._to_I(f(x))

    def monotone(self, name, a: I, increasing: bool = True) -> I:
        lo, hi = self.point_fn(name, a.lo), self.point_fn(name, a.hi)
        return I(lo.lo, hi.hi) if increasing else I(hi.lo, lo.hi)

    def pi(self) -> I:
        with _ivprec(self.iv, self.bits):
            return self._to_I(self.iv.pi)

    def e(self) -> I:
        with _ivprec(self.iv, self.bits):
            return self._to_I(self.iv.e)

    def sincos(self, name, a: I) -> I:
        lo, hi = self.point_fn(name, a.lo), self.point_fn(name, a.hi)
        out_lo, out_hi = min(lo.lo, hi.lo), max(lo.hi, hi.hi)
        PI = self.pi()
        # extrema of sin at pi/2 + k pi, of cos at k pi: does [a.lo, a.hi] possibly contain one?
        shift = Fraction(1, 2) if name == "sin" else Fraction(0)
        # candidate k with (shift + k) * pi in [a.lo, a.hi]
        kmin = math.floor(a.lo / PI.hi - shift) - 1 if a.lo >= 0 else math.floor(a.lo / PI.lo - shift) - 1
        kmax = math.ceil(a.hi / PI.lo - shift) + 1 if a.hi >= 0 else math.ceil(a.hi / PI.hi - shift) + 1
        if kmax - kmin > 8:
            return I(-1, 1)
        for k in range(kmin, kmax + 1):
            c = shift + k
            pts = (c * PI.lo, c * PI.hi)
            if max(pts) >= a.lo and min(pts) <= a.hi:
                val = (-1) ** (k % 2) if name == "cos" else (-1) ** (k % 2)
                # sin(pi/2 + k pi) = (-1)^k, cos(k pi) = (-1)^k
                out_lo, out_hi = min(out_lo, val), max(out_hi, val)
        return I(max(out_lo, -1), min(out_hi, 1))

    def tan(self, a: I) -> I:
        PI = self.pi()
        # poles at pi/2 + k pi; require none in [a.lo, a.hi]
        ks = {math.floor(x / bound - Fraction(1, 2)) for bound in (PI.lo, PI.hi) for x in (a.lo, a.hi)}
        if len(ks) != 1:  # k(x, pi) is monotone in pi: equal at all four corners -> no pole inside
            raise _Undefined("tan: possible pole")
        return self.monotone("tan", a)

    def arb_fallback(self, name, a: I) -> I:
        """Functions mpmath.iv lacks: evaluated with arb (reported as fallback)."""
        from flint import arb, ctx, fmpq
        self.fallback = True
        with ctx.workprec(self.bits):
            lo = arb(fmpq(a.lo.numerator, a.lo.denominator))
            hi = arb(fmpq(a.hi.numerator, a.hi.denominator))
            x = lo.union(hi)
            y = getattr(x, name)()
            if not (y.is_finite() and not y.is_nan()):
                raise _Undefined(f"{name}: not finite")
            m, e = y.mid().man_exp()
            r, f = y.rad().man_exp()
            if abs(int(e)) > MAX_EXP_BITS or abs(int(f)) > MAX_EXP_BITS:
                raise _Undefined(f"{name}: value out of range")
            mid = Fraction(int(m)) * Fraction(2) ** int(e)
            rad = Fraction(int(r)) * Fraction(2) ** int(f)
            return I(mid - rad, mid + rad)

    def rpow(self, a: I, ex: Fraction) -> I:
        """a**ex, ex a non-integer rational: a >= 0 (a > 0 if ex < 0); monotone in a."""
        if a.lo < 0 or (ex < 0 and a.lo == 0):
            raise _Undefined("power of a possibly negative base")
        if a.lo == 0:
            self.edge = True

        def at(q):
            if q == 0:
                return I(0)
            with _ivprec(self.iv, self.bits):
                x = self._iv_point(q)
                return self._to_I(self.iv.exp(self._iv_point(ex) * self.iv.log(x)))
        lo, hi = at(a.lo), at(a.hi)
        return I(lo.lo, hi.hi) if ex > 0 else I(hi.lo, lo.hi)

    # ---- expression walk
    def ev(self, e, env) -> I:
        if e.is_Symbol:
            return env[e.name]
        if e.is_Integer or e.is_Rational:
            return I(Fraction(int(e.p), int(e.q)))
        if e is sp.pi:
            return self.pi()
        if e is sp.E:
            return self.e()
        if e.is_Add:
            acc = self.ev(e.args[0], env)
            for a in e.args[1:]:
                acc = self.add(acc, self.ev(a, env))
            return acc
        if e.is_Mul:
            acc = self.ev(e.args[0], env)
            for a in e.args[1:]:
                acc = self.mul(acc, self.ev(a, env))
            return acc
        if e.is_Pow:
            b, x = e.base, e.exp
            if x.is_Integer:
                return self.ipow(self.ev(b, env), int(x))
            if b is sp.E:
                return self.monotone("exp", self.ev(x, env))
            if x.is_Rational:
                a = self.ev(b, env)
                if x == sp.S.Half:
                    if a.lo < 0:
                        raise _Undefined("sqrt of a possibly negative number")
                    if a.lo == 0:
                        self.edge = True
                    return self.monotone("sqrt", a)
                return self.rpow(a, Fraction(int(x.p), int(x.q)))
            # general power b**x = exp(x log b), b > 0
            a = self.ev(b, env)
            if a.lo <= 0:
                raise _Undefined("power of a possibly non-positive base")
            return self.monotone("exp", self.mul(self.ev(x, env), self.monotone("log", a)))
        f = e.func
        if f is sp.exp:
            return self.monotone("exp", self.ev(e.args[0], env))
        if f is sp.log:
            a = self.ev(e.args[0], env)
            if a.lo <= 0:
                raise _Undefined("log of a possibly non-positive number")
            return self.monotone("log", a)
        if f in (sp.sin, sp.cos):
            return self.sincos(f.__name__, self.ev(e.args[0], env))
        if f is sp.tan:
            return self.tan(self.ev(e.args[0], env))
        if f in (sp.asin, sp.acos):
            a = self.ev(e.args[0], env)
            if a.lo < -1 or a.hi > 1:
                raise _Undefined(f"{f.__name__} of a number possibly outside [-1, 1]")
            if a.lo == -1 or a.hi == 1:
                self.edge = True
            return self.arb_fallback(f.__name__, a)
        if f is sp.gamma:
            a = self.ev(e.args[0], env)
            if not (a.lo > 0 or (a.hi < 0 and math.floor(a.hi) < a.lo)):
                raise _Undefined("gamma: possible pole 0, -1, -2, ...")
            return self.arb_fallback("gamma", a)
        if f in (sp.atan, sp.erf, sp.erfc):
            return self.arb_fallback(f.__name__, self.ev(e.args[0], env))
        if f in (sp.Abs, sp.Max, sp.Min, sp.Piecewise):
            self.kink = True
        if f is sp.Abs:
            a = self.ev(e.args[0], env)
            if a.lo >= 0:
                return a
            if a.hi <= 0:
                return self.neg(a)
            return I(0, max(-a.lo, a.hi))
        if f in (sp.Max, sp.Min):
            vals = [self.ev(a, env) for a in e.args]
            if f is sp.Max:
                return I(max(v.lo for v in vals), max(v.hi for v in vals))
            return I(min(v.lo for v in vals), min(v.hi for v in vals))
        if f is sp.Piecewise:
            acc = None
            for val, cond in e.args:
                c = self.cond(cond, env)
                if c is False:
                    continue
                v = self.ev(val, env)
                acc = v if acc is None else I(min(acc.lo, v.lo), max(acc.hi, v.hi))
                if c is True:
                    return acc
            raise _Undefined("Piecewise: no branch certainly applies")
        raise _Undefined(f"unsupported construct {f}")

    def cond(self, c, env):
        """True / False / None (undecided)."""
        if c is sp.true:
            return True
        if c is sp.false:
            return False
        if isinstance(c, sp.core.relational.Relational):
            d = self.add(self.ev(c.lhs, env), self.neg(self.ev(c.rhs, env)))
            op = c.rel_op
            if op == "<":
                return True if d.hi < 0 else False if d.lo >= 0 else None
            if op == "<=":
                return True if d.hi <= 0 else False if d.lo > 0 else None
            if op == ">":
                return True if d.lo > 0 else False if d.hi <= 0 else None
            if op == ">=":
                return True if d.lo >= 0 else False if d.hi < 0 else None
            if op == "==":
                return True if d.lo == d.hi == 0 else False if (d.lo > 0 or d.hi < 0) else None
            if op == "!=":
                return False if d.lo == d.hi == 0 else True if (d.lo > 0 or d.hi < 0) else None
        if isinstance(c, sp.And):
            vals = [self.cond(a, env) for a in c.args]
            return False if False in vals else True if all(v is True for v in vals) else None
        if isinstance(c, sp.Or):
            vals = [self.cond(a, env) for a in c.args]
            return True if True in vals else False if all(v is False for v in vals) else None
        if isinstance(c, sp.Not):
            v = self.cond(c.args[0], env)
            return None if v is None else not v
        raise _Undefined(f"unsupported condition {c}")


# ----------------------------------------------------------------------------- the claim

class _Claim:
    """The margin g (evaluated by sympy) and ``raw``, the margin exactly as typed: a box counts
    only where ``raw`` is defined at every point (sympy's evaluation may erase poles)."""

    def __init__(self, g, names, strict, bits, raw=None):
        self.g = g
        self.raw = g if raw is None else raw
        self.names = names
        self.syms = [sp.Symbol(n, real=True) for n in names]
        self.strict = strict
        self.bits = bits
        self.smooth = not any(g.has(f) for f in (sp.Abs, sp.Max, sp.Min, sp.Piecewise))
        self._grad = None
        self.d1 = {}
        self.fallback_used = False
        self.last_analytic = False

    @property
    def grad(self):
        if not self.smooth:
            return None
        if self._grad is None:
            self._grad = [sp.diff(self.g, s) for s in self.syms]
        return self._grad

    def ev(self, e, box):
        """Enclosure of e on the box, or None when e is not proved defined there.  Sets
        ``last_analytic``: every function was applied inside its open domain and no kink
        function occurred (then e is real-analytic near the box)."""
        E = Ev(self.bits)
        env = {n: I(lo, hi) for n, (lo, hi) in zip(self.names, box)}
        try:
            v = E.ev(e, env)
        except (_Undefined, ValueError, ZeroDivisionError, OverflowError, RecursionError):
            v = None
        if E.fallback:
            self.fallback_used = True
        self.last_analytic = v is not None and not E.edge and not E.kink
        return v

    def defined(self, box) -> bool:
        """The claim as typed is defined at every point of the box."""
        return self.raw is self.g or self.ev(self.raw, box) is not None

    def analytic(self, box) -> bool:
        """g is real-analytic on a neighbourhood of the box (derivative rungs apply)."""
        return self.smooth and self.ev(self.g, box) is not None and self.last_analytic

    def sat(self, v):
        return v is not None and (v.lo > 0 if self.strict else v.lo >= 0)

    def viol(self, v):
        return v is not None and (v.hi <= 0 if self.strict else v.hi < 0)

    def deriv1(self, k):
        if k not in self.d1:
            self.d1[k] = sp.diff(self.g, self.syms[0], k)
        return self.d1[k]

    def leaf_ok(self, box) -> bool:
        """Own ladder: plain, mean value (+ monotone faces), 1-D Taylor."""
        if not self.defined(box):
            return False
        v = self.ev(self.g, box)
        if self.sat(v):
            return True
        if self.grad is None or v is None or not self.last_analytic:
            return False
        G = [self.ev(d, box) for d in self.grad]
        if any(gv is None for gv in G):
            return False
        red = list(box)
        for i, (gi, (lo, hi)) in enumerate(zip(G, box)):
            if lo == hi:
                continue
            if gi.lo >= 0:
                red[i] = (lo, lo)
            elif gi.hi <= 0:
                red[i] = (hi, hi)
        for B in ([tuple(red)] if tuple(red) != tuple(box) else []) + [tuple(box)]:
            if self.sat(self.ev(self.g, B)) or self.sat(self._mvf(B, G)):
                return True
        if len(self.names) == 1:
            t = self._taylor1(box)
            if self.sat(t):
                return True
        return False

    def _mvf(self, box, G):
        c = [(lo + hi) / 2 for lo, hi in box]
        fc = self.ev(self.g, [(x, x) for x in c])
        if fc is None:
            return None
        E = Ev(self.bits)
        acc = fc
        for i, (lo, hi) in enumerate(box):
            if lo == hi:
                continue
            acc = E.add(acc, E.mul(G[i], I(lo - c[i], hi - c[i])))
        return acc

    def _taylor1(self, box, K=4):
        (lo, hi), = box
        c = (lo + hi) / 2
        h = I(lo - c, hi - c)
        E = Ev(self.bits)
        coeffs = [self.ev(self.g, [(c, c)])]
        fact = 1
        for k in range(1, K):
            fact *= k
            d = self.ev(self.deriv1(k), [(c, c)])
            coeffs.append(None if d is None else E.mul(d, I(Fraction(1, fact))))
        fact *= K
        d = self.ev(self.deriv1(K), box)
        coeffs.append(None if d is None else E.mul(d, I(Fraction(1, fact))))
        if any(x is None for x in coeffs):
            return None
        acc = coeffs[-1]
        for cf in reversed(coeffs[:-1]):
            acc = E.add(E.mul(acc, h), cf)
        return acc


# ----------------------------------------------------------------------------- coverage

def covers(box, leaves) -> bool:
    """Exact test that the union of the leaf boxes contains ``box`` (all rational)."""
    n = len(box)
    stack = [(tuple(box), [tuple(L) for L in leaves])]
    steps = 0
    while stack:
        steps += 1
        if steps > 50 * (len(leaves) + 10) * max(1, n):
            return False
        B, Ls = stack.pop()
        Ls = [L for L in Ls if all(max(L[i][0], B[i][0]) <= min(L[i][1], B[i][1]) for i in range(n))]
        if any(all(L[i][0] <= B[i][0] and B[i][1] <= L[i][1] for i in range(n)) for L in Ls):
            continue
        if not Ls:
            return False
        # split B at a leaf face strictly inside B, widest side first, nearest the middle
        best = None
        for i in sorted(range(n), key=lambda k: -(B[k][1] - B[k][0])):
            mid = (B[i][0] + B[i][1]) / 2
            cuts = {v for L in Ls for v in L[i] if B[i][0] < v < B[i][1]}
            if cuts:
                best = (i, min(cuts, key=lambda v: abs(v - mid)))
                break
        if best is None:
            return False  # no leaf face inside B and no leaf contains B
        i, v = best
        left = tuple((B[k][0], v) if k == i else B[k] for k in range(n))
        right = tuple((v, B[k][1]) if k == i else B[k] for k in range(n))
        stack.append((left, Ls))
        stack.append((right, Ls))
    return True


# ----------------------------------------------------------------------------- main

MAX_PREC_BITS = 100_000
MAX_FACTOR_DEGREE = 200
MAX_LEAVES = 2_000_000


def _fr(s, what):
    """An exact number from a certificate field: an int or a fraction/decimal string of bounded
    size (never a float, never ``Infinity``; ``1e99999999`` is refused without being built)."""
    from prunecert.checks.rigorous.numbers import to_fraction
    if isinstance(s, bool) or not isinstance(s, (str, int)):
        raise _Reject(f"{what}: expected a fraction string, got {str(s)[:40]!r}")
    try:
        return to_fraction(s, what)
    except InputError as exc:
        raise _Reject(str(exc)) from None


def _box_of(spec, names, what):
    if not isinstance(spec, list) or len(spec) != len(names):
        raise _Reject(f"{what}: expected {len(names)} [lo, hi] pairs")
    out = []
    for i, pair in enumerate(spec):
        if not isinstance(pair, list) or len(pair) != 2:
            raise _Reject(f"{what}: bad pair {str(pair)[:60]!r}")
        lo, hi = _fr(pair[0], what), _fr(pair[1], what)
        if lo > hi:
            raise _Reject(f"{what}: reversed interval for {names[i]}")
        out.append((lo, hi))
    return tuple(out)


def _inside(inner, outer) -> bool:
    return all(o[0] <= i[0] and i[1] <= o[1] for i, o in zip(inner, outer))


def _zero(e) -> bool:
    """Is e exactly 0?  True only by a symbolic proof (sympy).

    A numeric pre-filter rejects clearly nonzero values first: rejecting is always safe, and
    it keeps sympy's simplify (which can run for minutes) away from the expressions of a
    tampered certificate."""
    e = sp.sympify(e)
    if e == 0:
        return True
    try:
        v = sp.N(e, 30, maxn=200)
        if v.is_Number and v.is_real is not False and abs(v) > sp.Float("1e-20", 30):
            return False
    except Exception:  # noqa: BLE001 - the filter is only a shortcut; fall through to sympy
        pass
    return sp.simplify(e) == 0


def _parse(text, names, raw=False):
    from prunecert.checks.rigorous.expr import parse
    if not isinstance(text, str):
        raise _Reject(f"expected expression text, got {str(text)[:40]!r}")
    return parse(text, names, raw=raw)


def recheck(cert: dict, *, max_subdivisions: int = 256, timeout: float = 120.0) -> RecheckResult:
    """Re-verify a certificate; never raises on a bad certificate (returns ok=False).

    Running out of ``timeout`` seconds gives ``ok=False, timed_out=True`` (UNKNOWN), never a
    rejection."""
    from prunecert.checks.rigorous.budget import time_limit

    t0 = time.perf_counter()
    res = RecheckResult(False, "")
    try:
        timeout = float(timeout)
    except (TypeError, ValueError):
        timeout = float("nan")
    if not (timeout > 0 and math.isfinite(timeout)):
        res.detail = f"rejected: bad time limit {timeout!r}"
        return res
    try:
        # a hard stop (sympy calls cannot be interrupted cooperatively) plus deadline checks
        with time_limit(timeout + 1.0) as tl:
            _recheck(cert, res, max_subdivisions, t0 + timeout)
            res.ok = True
        if tl.expired:
            raise _OutOfTime()
    except _OutOfTime:
        res.ok, res.timed_out = False, True
        res.detail = f"time limit: the re-check did not finish within {timeout:g} s " \
                     f"({res.leaves} leaves checked); no verdict (UNKNOWN), not a rejection"
    except _Reject as exc:
        res.ok, res.detail = False, f"rejected: {exc}"
    except (ExpressionError, InputError, CertificateError) as exc:
        res.ok, res.detail = False, f"rejected: {exc}"
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError,
            ZeroDivisionError, RecursionError, MemoryError) as exc:
        res.ok, res.detail = False, f"rejected: malformed certificate ({type(exc).__name__}: {str(exc)[:200]})"
    res.seconds = time.perf_counter() - t0
    return res


def _tick(deadline):
    if time.perf_counter() > deadline:
        raise _OutOfTime()


def _recheck(cert, res: RecheckResult, max_sub, deadline):
    from prunecert.checks.rigorous.expr import normalise_names, parse_relation

    if not isinstance(cert, dict) or cert.get("format") != FORMAT:
        raise _Reject(f"not a {FORMAT} certificate")
    if cert.get("digest") != digest(cert):
        raise _Reject("digest mismatch: the certificate was altered")
    names = cert["variables"]
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise _Reject("bad variable list")
    if normalise_names(names) != names:
        raise _Reject("variable names are not in normal form (NFKC)")
    if not isinstance(cert["box"], dict) or set(cert["box"]) != set(names):
        raise _Reject("box and variables disagree")
    box = _box_of([cert["box"][n] for n in names], names, "box")
    claim_text = cert["claim"]
    if not isinstance(claim_text, str):
        raise _Reject("claim is not text")
    lhs, op, rhs = parse_relation(claim_text, names)
    raw_lhs, _, raw_rhs = parse_relation(claim_text, names, raw=True)
    if op != cert["op"]:
        raise _Reject("relation differs from the claim text")
    # the recorded sides must be the claim's sides (they are what a reader sees)
    for key, side in (("lhs", lhs), ("rhs", rhs)):
        if key in cert and _parse(cert[key], names) != side and not _zero(_parse(cert[key], names) - side):
            raise _Reject(f"recorded {key} differs from the claim text")
    used = {s.name for s in (lhs.free_symbols | rhs.free_symbols | raw_lhs.free_symbols | raw_rhs.free_symbols)}
    if not used <= set(names):
        raise _Reject("the claim uses a variable without a box")
    g = (lhs - rhs) if op in (">=", ">") else (rhs - lhs)
    g = g.xreplace({s: sp.Symbol(s.name, real=True) for s in g.free_symbols})
    raw = sp.Add(raw_lhs, sp.Mul(-1, raw_rhs, evaluate=False), evaluate=False) if op in (">=", ">") \
        else sp.Add(raw_rhs, sp.Mul(-1, raw_lhs, evaluate=False), evaluate=False)
    strict = op in (">", "<")
    prec = cert.get("prec", 53)
    if isinstance(prec, bool) or not isinstance(prec, int) or not (16 <= prec <= MAX_PREC_BITS):
        raise _Reject(f"bad precision {str(prec)[:20]!r} (an integer number of bits in [16, {MAX_PREC_BITS}])")
    bits = prec + 20
    ev = cert["evidence"]
    if not isinstance(ev, dict):
        raise _Reject("evidence is not an object")
    status = cert["status"]
    claim = _Claim(g, names, strict, bits, raw=raw)
    kind = ev.get("kind")
    if status == "REFUTED":
        if kind != "witness":
            raise _Reject("a REFUTED certificate needs a witness")
        _check_witness(claim, box, ev, res)
    elif status == "PROVED":
        if kind == "leaves":
            _check_leaves(claim, box, ev, res, max_sub, deadline)
        elif kind == "factor":
            _check_factor(claim, box, ev, res, max_sub, deadline)
        else:
            raise _Reject(f"unknown evidence kind {str(kind)[:40]!r}")
    else:
        raise _Reject(f"status {str(status)[:40]!r} carries no checkable evidence")
    fb = f"; {res.fallback_leaves} leaves used the arb fallback (atan/asin/acos/erf/erfc/gamma)" if res.fallback_leaves else ""
    res.detail = f"{status} re-checked independently: {res.leaves} leaves" \
                 f" ({res.subdivided_leaves} subdivided further){fb}"


def _check_witness(claim: _Claim, box, ev, res):
    w = ev["witness"]
    if not isinstance(w, dict) or set(w) != set(claim.names):
        raise _Reject("witness variables differ from the claim's")
    p = tuple(_fr(w[n], "witness") for n in claim.names)
    if not _inside([(v, v) for v in p], box):
        raise _Reject("witness outside the box")
    point = [(x, x) for x in p]
    for bits in (claim.bits, 2 * claim.bits, 4 * claim.bits, 8 * claim.bits):
        claim.bits = bits
        v = claim.ev(claim.g, point)
        if claim.viol(v):
            if not claim.defined(point):
                raise _Reject("the claim as typed is not proved defined at the witness")
            res.leaves = 1
            res.fallback_leaves = int(claim.fallback_used)
            return
        if claim.sat(v):
            break
    raise _Reject("the witness does not violate the claim")


def _check_leaves(claim: _Claim, box, ev, res, max_sub, deadline):
    leaves = ev["leaves"]
    if not isinstance(leaves, list) or not leaves:
        raise _Reject("no leaves")
    if len(leaves) > MAX_LEAVES:
        raise _Reject(f"more than {MAX_LEAVES} leaves")
    tps = ev.get("touch_points") or []
    if not isinstance(tps, list):
        raise _Reject("touch_points is not a list")
    if tps and claim.strict:
        # a touching point is a zero of g: it proves g >= 0 near it, never g > 0
        raise _Reject("a touching point proves only a non-strict claim (>= or <=)")
    hoods = [_check_touch(claim, box, tp, deadline) for tp in tps]
    boxes = []
    for k, L in enumerate(leaves):
        _tick(deadline)
        if not isinstance(L, dict):
            raise _Reject(f"leaf {k} is not an object")
        B = _box_of(L["box"], claim.names, f"leaf {k}")
        if not _inside(B, box):
            raise _Reject(f"leaf {k} lies outside the box")
        boxes.append(B)
        res.leaves += 1
        if L.get("method") == "touch":
            idx = L.get("touch_point")
            if isinstance(idx, bool) or not isinstance(idx, int) or not (0 <= idx < len(hoods)):
                raise _Reject(f"leaf {k}: unknown touching point")
            if not _inside(B, hoods[idx]):
                raise _Reject(f"leaf {k} is not inside its touching neighbourhood")
            continue
        claim.fallback_used = False
        if not _leaf_with_subdivision(claim, B, max_sub, res, deadline):
            raise _Reject(f"leaf {k} ({str(L['box'])[:80]}): sign (or definedness) not confirmed")
        res.fallback_leaves += int(claim.fallback_used)
    if not covers(box, boxes):
        raise _Reject("the leaves do not cover the box")


def _leaf_with_subdivision(claim, B, max_sub, res, deadline):
    if claim.leaf_ok(B):
        return True
    base = claim.bits
    try:  # narrow leaves may need more precision (the prover records its own in "prec")
        for bits in (4 * base, 16 * base):
            _tick(deadline)
            claim.bits = min(bits, 4 * MAX_PREC_BITS)
            if claim.leaf_ok(B):
                return True
    finally:
        claim.bits = base
    if not _covered_by_bisection(B, claim.leaf_ok, max_sub, deadline, root_known_bad=True):
        return False
    res.subdivided_leaves += 1
    return True


def _check_touch(claim: _Claim, box, tp, deadline):
    """Re-derive a touching point's facts; return its (checked) neighbourhood.

    Hypotheses of the Taylor / Hessian step, each re-proved here: g vanishes at p (sympy);
    the lower derivatives (gradient) vanish at p (sympy); the claim as typed is defined on the
    whole neighbourhood N and g is real-analytic on N (every function inside its open domain:
    then sympy's derivatives are the true ones and Taylor's theorem holds on N); the sign of
    the k-th derivative (positive definite Hessian) on N by interval evaluation."""
    if not isinstance(tp, dict):
        raise _Reject("touching point is not an object")
    n = len(claim.names)
    pt = tp["point"]
    if not isinstance(pt, list) or len(pt) != n:
        raise _Reject("touching point has the wrong dimension")
    p = [sp.sympify(_parse(s, [])) for s in pt]
    N = _box_of(tp["neighbourhood"], claim.names, "neighbourhood")
    if not _inside(N, box):
        raise _Reject("neighbourhood outside the box")
    pos = tp["position"]
    if not isinstance(pos, list) or len(pos) != n:
        raise _Reject("bad position list")
    E = Ev(claim.bits + 40)
    for i in range(n):
        lo, hi = box[i]
        if pos[i] == "lo":
            if not _zero(p[i] - sp.Rational(lo.numerator, lo.denominator)) or N[i][0] != lo:
                raise _Reject("touching point is not at the lower end")
        elif pos[i] == "hi":
            if not _zero(p[i] - sp.Rational(hi.numerator, hi.denominator)) or N[i][1] != hi:
                raise _Reject("touching point is not at the upper end")
        elif pos[i] == "in":
            try:
                v = E.ev(p[i], {})
            except (_Undefined, ValueError, ZeroDivisionError, OverflowError):
                raise _Reject("cannot enclose the touching point") from None
            if not (lo < v.lo and v.hi < hi):
                raise _Reject("touching point not certainly inside the box")
            if not ((N[i][0] < v.lo or N[i][0] == lo) and (v.hi < N[i][1] or N[i][1] == hi)):
                raise _Reject("neighbourhood does not contain the touching point")
        else:
            raise _Reject("bad position")
    _tick(deadline)
    if not claim.defined(N):
        raise _Reject("the claim as typed is not proved defined on the touching neighbourhood")
    if not claim.analytic(N):
        raise _Reject("g is not proved smooth (real-analytic) on the touching neighbourhood: "
                      "a derivative formula from sympy proves nothing there")
    sub = dict(zip(claim.syms, p))
    if not _zero(claim.g.xreplace(sub)):
        raise _Reject("g does not vanish at the touching point")
    if n == 1:
        k = tp["order"]
        if isinstance(k, bool) or not isinstance(k, int) or not (1 <= k <= 20):
            raise _Reject("bad order")
        for j in range(1, k):
            _tick(deadline)
            if not _zero(claim.deriv1(j).xreplace(sub)):
                raise _Reject(f"derivative of order {j} does not vanish at the touching point")
        if pos[0] == "in" and k % 2 == 1:
            raise _Reject("odd order at an interior touching point")
        want = -1 if (pos[0] == "hi" and k % 2 == 1) else 1
        dk = want * claim.deriv1(k)
        ok = _nonneg_on(claim, dk, N, deadline)
        if not ok:
            raise _Reject("the sign of the k-th derivative on the neighbourhood is not confirmed")
        return N
    for d in claim.grad:
        if not _zero(d.xreplace(sub)):
            raise _Reject("gradient does not vanish at the touching point")
    H = [[sp.diff(claim.grad[i], claim.syms[j]) for j in range(n)] for i in range(n)]
    Hv = [[claim.ev(H[i][j], N) for j in range(n)] for i in range(n)]
    if any(v is None for row in Hv for v in row):
        raise _Reject("Hessian not finite on the neighbourhood")
    Ev2 = Ev(claim.bits)
    for m in range(1, n + 1):
        d = _idet([row[:m] for row in Hv[:m]], Ev2)
        if not d.lo > 0:
            raise _Reject("Hessian not certainly positive definite on the neighbourhood")
    return N


def _idet(M, E):
    n = len(M)
    if n == 1:
        return M[0][0]
    acc = I(0)
    for j in range(n):
        minor = [row[:j] + row[j + 1:] for row in M[1:]]
        term = E.mul(M[0][j], _idet(minor, E))
        acc = E.add(acc, term if j % 2 == 0 else E.neg(term))
    return acc


def _nonneg_on(claim, e, N, deadline, max_pieces=64):
    def ok(B):
        v = claim.ev(e, B)
        return v is not None and v.lo >= 0

    return _covered_by_bisection(N, ok, max_pieces, deadline)


def _covered_by_bisection(B, ok, max_pieces, deadline, *, root_known_bad=False) -> bool:
    """True if ``ok`` holds on every piece of a bisection of ``B`` (longest side first) that needs
    at most ``max_pieces`` failed pieces; False when the budget runs out or a failing piece is a
    point.  ``root_known_bad``: the caller has already seen ``ok(B)`` fail."""
    stack = [(B, root_known_bad)]
    pieces = 0
    while stack:
        _tick(deadline)
        C, known_bad = stack.pop()
        if not known_bad and ok(C):
            continue
        pieces += 1
        if pieces > max_pieces:
            return False
        i = max(range(len(C)), key=lambda k: C[k][1] - C[k][0])
        lo, hi = C[i]
        if lo == hi:
            return False
        m = (lo + hi) / 2
        for part in ((lo, m), (m, hi)):
            stack.append((tuple(part if k == i else C[k] for k in range(len(C))), False))
    return True


def _defined_on(claim, box, deadline, max_pieces=512) -> bool:
    """Bisection proof that the claim as typed is defined at every point of box."""
    stack = [tuple(box)]
    pieces = 0
    while stack:
        _tick(deadline)
        B = stack.pop()
        if claim.defined(B):
            continue
        pieces += 1
        if pieces > max_pieces:
            return False
        i = max(range(len(B)), key=lambda k: B[k][1] - B[k][0])
        lo, hi = B[i]
        if hi - lo <= Fraction(1, 2 ** 40):
            return False
        m = (lo + hi) / 2
        for part in ((lo, m), (m, hi)):
            stack.append(tuple(part if k == i else B[k] for k in range(len(B))))
    return True


def _is_polynomial_tree(e) -> bool:
    """e is built from variables and rational numbers by + and * and powers with
    non-negative integer exponents only (so it is real and finite everywhere)."""
    stack = [e]
    while stack:
        x = stack.pop()
        if x.is_Symbol or x.is_Rational:
            continue
        if x.is_Add or x.is_Mul:
            stack.extend(x.args)
            continue
        if x.is_Pow and x.exp.is_Integer and x.exp >= 0:
            stack.append(x.base)
            continue
        return False
    return True


def _degree_bound(e) -> int:
    if e.is_Symbol:
        return 1
    if not e.free_symbols:
        return 0
    if e.is_Add:
        return max(_degree_bound(a) for a in e.args)
    if e.is_Mul:
        return sum(_degree_bound(a) for a in e.args)
    if e.is_Pow and e.exp.is_Integer and e.exp >= 0:
        return int(e.exp) * _degree_bound(e.base)
    return 10 ** 9


def _principal_minors_nonneg(Q) -> bool:
    """PSD test by Sylvester's criterion over *all* principal minors (exact rationals)."""
    import itertools
    n = len(Q)

    def det(M):
        M = [row[:] for row in M]
        d = Fraction(1)
        m = len(M)
        for c in range(m):
            piv = next((r for r in range(c, m) if M[r][c] != 0), None)
            if piv is None:
                return Fraction(0)
            if piv != c:
                M[c], M[piv] = M[piv], M[c]
                d = -d
            d *= M[c][c]
            for r in range(c + 1, m):
                f = M[r][c] / M[c][c]
                for k in range(c, m):
                    M[r][k] -= f * M[c][k]
        return d
    for size in range(1, n + 1):
        for idx in itertools.combinations(range(n), size):
            if det([[Q[i][j] for j in idx] for i in idx]) < 0:
                return False
    return True


def _check_factor(claim: _Claim, box, ev, res, max_sub, deadline):
    if claim.strict:
        raise _Reject("factorisation evidence is only valid for non-strict claims")
    if not _is_polynomial_tree(claim.g) or _degree_bound(claim.g) > MAX_FACTOR_DEGREE:
        raise _Reject("factorisation evidence needs a polynomial claim of modest degree")
    # the polynomial g stands for the claim only where the claim as typed is defined
    if not _defined_on(claim, box, deadline):
        raise _Reject("the claim as typed is not proved defined on the whole box")
    c = _fr(ev["constant"], "constant")
    prod = sp.Rational(c.numerator, c.denominator)
    sign = 1 if c > 0 else -1 if c < 0 else 0
    factors = ev["factors"]
    if not isinstance(factors, list):
        raise _Reject("factors is not a list")
    total = 0
    for f in factors:
        _tick(deadline)
        if not isinstance(f, dict):
            raise _Reject("factor is not an object")
        e = f["exponent"]
        if isinstance(e, bool) or not isinstance(e, int) or not (1 <= e <= MAX_FACTOR_DEGREE):
            raise _Reject(f"bad exponent {str(e)[:20]!r}")
        # every factor must be a real polynomial as written: "even power" of sqrt(x - 2) or
        # log(x) is not a square of a real number where x - 2 < 0 or x <= 0
        h_raw = _parse(f["expr"], claim.names, raw=True)
        if not _is_polynomial_tree(h_raw):
            raise _Reject(f"factor {str(f['expr'])[:60]!r} is not a polynomial with rational coefficients")
        h = _parse(f["expr"], claim.names)
        h = h.xreplace({s: sp.Symbol(s.name, real=True) for s in h.free_symbols})
        dh = _degree_bound(h)
        if dh == 0:
            raise _Reject("constant factor outside the constant")
        total += e * dh
        if total > MAX_FACTOR_DEGREE:
            raise _Reject("the factors' degrees exceed the claim's")
        prod = prod * h ** e
        reason = f["reason"]
        s = f["sign"]
        if s not in (1, -1) or isinstance(s, bool):
            raise _Reject("bad sign")
        if reason == "even-power":
            if e % 2 != 0:
                raise _Reject("odd exponent claimed as an even power")
            continue
        # s*h >= 0 is what the evidence below proves, so h**e has the sign s**e
        # (an even power is >= 0 whatever s is; audit R1: multiplying by s regardless of e
        # let a forged "(-x**2-1)**2 with s = -1" flip the product's sign)
        if e % 2 == 1:
            sign *= s
        if reason == "psd":
            Q = [[_fr(v, "gram") for v in row] for row in f["gram"]]
            # Q must represent s*h exactly: [1, x]^T Q [1, x] == s*h
            xs = [sp.Integer(1)] + claim.syms
            if len(Q) != len(xs) or any(len(row) != len(xs) for row in Q) or \
                    any(Q[i][j] != Q[j][i] for i in range(len(Q)) for j in range(len(Q))):
                raise _Reject("Gram matrix has the wrong shape or is not symmetric")
            form = sum(sp.Rational(Q[i][j].numerator, Q[i][j].denominator) * xs[i] * xs[j]
                       for i in range(len(xs)) for j in range(len(xs)))
            if sp.expand(form - s * h) != 0:
                raise _Reject("Gram matrix does not represent the factor")
            if not _principal_minors_nonneg(Q):
                raise _Reject("Gram matrix is not positive semidefinite")
        elif reason == "sub-proof":
            sub = _Claim(s * h, claim.names, False, claim.bits)
            proof = f["proof"]
            if not isinstance(proof, dict) or proof.get("kind") != "leaves":
                raise _Reject("sub-proof must be a leaves proof")
            _check_leaves(sub, box, proof, res, max_sub, deadline)
        else:
            raise _Reject(f"unknown factor reason {str(reason)[:40]!r}")
    if total != _exact_degree(claim.g):
        raise _Reject("the factors' degrees do not add up to the claim's degree")
    _tick(deadline)
    if sp.expand(claim.g - prod) != 0:
        raise _Reject("the factorisation does not expand to the claim")
    if sign <= 0:
        raise _Reject("the factor signs do not give a nonnegative product")


def _exact_degree(g) -> int:
    P = sp.Poly(sp.expand(g), *sorted(g.free_symbols, key=lambda s: s.name)) if g.free_symbols else None
    return 0 if P is None else P.total_degree()
