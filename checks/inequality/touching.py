"""Exact steps for claims that touch equality (used by :mod:`prunecert.checks.inequality.prover`).

No pure interval method certifies ``g >= 0`` near a point where ``g = 0``: the enclosures
never become nonnegative there.  Two exact steps handle such claims:

* **Factorisation** (polynomial ``g``): ``g = c * prod h_i**e_i`` exactly (sympy
  ``factor_list``; re-checked by expanding).  Even powers are >= 0; each odd-power factor gets a
  sign: a quadratic proved positive semidefinite by an exact rational LDL^T decomposition of
  its Gram matrix, or a branch-and-bound proof of ``h >= 0`` / ``h <= 0`` on the box.
* **Touching points**: a point ``p`` (exact sympy numbers, possibly irrational such as
  ``exp(-1)``) with ``g(p) = 0`` proved by sympy.  In one variable, the first ``k`` with
  ``g^(k)(p) != 0`` is found with the lower derivatives proved zero by sympy; Taylor's theorem
  with Lagrange remainder gives ``g(t) = g^(k)(xi) (t-p)^k / k!`` with ``xi`` between ``p`` and
  ``t``; the sign of ``g^(k)`` is enclosed by arb on a rational neighbourhood ``N`` of ``p``, so
  ``g >= 0`` on ``N`` when the parity/sign conditions hold.  In several variables the gradient
  at ``p`` is proved zero by sympy and the Hessian is proved positive definite on ``N`` (all
  leading principal minors certainly > 0), so ``g(x) = 1/2 h^T H(xi) h >= 0`` on ``N``.

Soundness argument: docs/prover.md#touching-equality.
"""
from __future__ import annotations

import math
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp
from flint import arb

from prunecert.checks.inequality.goal import Goal, enclosure_triple, point_violates
from prunecert.checks.rigorous.arith import ball, exact_endpoints, interval, is_finite
from prunecert.checks.rigorous.expr import compile_arb
from prunecert.checks.errors import ExpressionError
from prunecert.checks.levels import Level
from prunecert.checks.rigorous.numbers import fraction_to_str

__all__ = ["exact_steps", "carve", "is_zero_exact", "psd_ldl", "gram_matrix", "ExactStep"]


@dataclass
class ExactStep:
    kind: str                     # "factor" | "touch" | "refuted"
    status: Level | None = None
    method: str = ""
    boxes: int = 0
    detail: str = ""
    facts: dict = field(default_factory=dict)
    neighbourhoods: list = field(default_factory=list)
    point: tuple | None = None
    enclosure: arb | None = None


class _Timeout(Exception):
    pass


@contextmanager
def _alarm(seconds: float):
    """Interrupt slow sympy calls (nestable, main thread only; see checks.rigorous.budget):
    raises _Timeout after the block was cut short."""
    from prunecert.checks.rigorous.budget import time_limit

    with time_limit(max(seconds, 0.001)) as tl:
        yield
    if tl.expired:
        raise _Timeout()


def is_zero_exact(e) -> bool:
    """True only if sympy rewrites ``e`` to the literal 0 (a symbolic proof); False otherwise."""
    e = sp.sympify(e)
    if e == 0:
        return True
    if e.free_symbols:
        return False
    try:  # cheap exclusion: a rigorous ball that excludes 0 proves e != 0
        from prunecert.checks.rigorous.arith import workprec
        with workprec(128):
            y = compile_arb(e, [])([])
        if is_finite(y) and not y.contains(0):
            return False
    except ExpressionError:
        pass
    try:
        with _alarm(2.0):
            return sp.simplify(e) == 0
    except _Timeout:
        return False


# ----------------------------------------------------------------------------- PSD quadratics

def gram_matrix(h, syms) -> list[list[Fraction]] | None:
    """Q with h = [1, x]^T Q [1, x] for a polynomial h of total degree <= 2 with rational
    coefficients, else None."""
    try:
        P = sp.Poly(sp.expand(h), *syms)
    except sp.PolynomialError:
        return None
    if P.total_degree() > 2:
        return None
    n = len(syms)
    Q = [[Fraction(0)] * (n + 1) for _ in range(n + 1)]
    for monom, coeff in P.terms():
        if not coeff.is_Rational:
            return None
        c = Fraction(int(coeff.p), int(coeff.q))
        idx = [i for i, m in enumerate(monom) for _ in range(m)]
        if len(idx) == 0:
            Q[0][0] += c
        elif len(idx) == 1:
            Q[0][idx[0] + 1] += c / 2
            Q[idx[0] + 1][0] += c / 2
        elif idx[0] == idx[1]:
            Q[idx[0] + 1][idx[0] + 1] += c
        else:
            i, j = idx[0] + 1, idx[1] + 1
            Q[i][j] += c / 2
            Q[j][i] += c / 2
    return Q


def psd_ldl(Q) -> list[Fraction] | None:
    """Exact LDL^T of a symmetric rational matrix: the pivots D if Q is PSD, else None."""
    A = [row[:] for row in Q]
    n = len(A)
    D = []
    for k in range(n):
        piv = A[k][k]
        if piv < 0:
            return None
        if piv == 0:
            if any(A[k][j] != 0 for j in range(k + 1, n)):
                return None
            D.append(Fraction(0))
            continue
        D.append(piv)
        for i in range(k + 1, n):
            f = A[i][k] / piv
            for j in range(k + 1, n):
                A[i][j] -= f * A[k][j]
    return D


# ----------------------------------------------------------------------------- factorisation

MAX_FACTOR_DEGREE = 200   # exact factorisation/expansion only below this total degree


def _degree_bound(e) -> int:
    """An upper bound on the total degree of a polynomial expression, without expanding it."""
    if e.is_Symbol:
        return 1
    if e.is_Number or not e.free_symbols:
        return 0
    if e.is_Add:
        return max(_degree_bound(a) for a in e.args)
    if e.is_Mul:
        return sum(_degree_bound(a) for a in e.args)
    if e.is_Pow and e.exp.is_Integer and e.exp >= 0:
        return int(e.exp) * _degree_bound(e.base)
    return 10 ** 9

def _factor_step(goal, box, *, prec, deadline, max_boxes, keep, seed, subprove):
    from prunecert.checks.rigorous.domain import defined_on

    if goal.strict or subprove is None:
        return None
    syms = goal.syms
    g = goal.g
    if not g.is_polynomial(*syms):
        return None
    if _degree_bound(g) > MAX_FACTOR_DEGREE:
        return None
    # the polynomial g stands for the claim only where the claim as typed is defined
    if not defined_on(goal.D, box, deadline=deadline):
        return None
    try:
        with _alarm(min(3.0, max(0.1, deadline - time.perf_counter()))):
            c, facs = sp.factor_list(g, *syms)
    except (_Timeout, sp.PolynomialError):
        return None
    if not c.is_Rational:
        return None
    # do not trust factor_list blindly: the factorisation must expand back to g exactly
    if sp.expand(c * sp.Mul(*[h ** e for h, e in facs]) - g) != 0:
        return None
    nontrivial = len(facs) > 1 or any(e > 1 for _, e in facs)
    if not nontrivial:
        # a single irreducible quadratic: exact PSD test of its Gram matrix
        Q = gram_matrix(g, syms)
        if Q is None or psd_ldl(Q) is None:
            return None
    sign = 1 if c > 0 else -1 if c < 0 else 0
    if sign == 0:
        return None
    factors = []
    boxes = 0
    methods = []
    for h, e in facs:
        entry = {"expr": sp.sstr(h), "exponent": int(e)}
        if e % 2 == 0:
            entry.update(sign=1, reason="even-power")
            factors.append(entry)
            continue
        done = False
        for s in (1, -1):
            Q = gram_matrix(s * h, syms)
            if Q is not None:
                D = psd_ldl(Q)
                if D is not None:
                    entry.update(sign=s, reason="psd", gram=[[fraction_to_str(v) for v in row] for row in Q],
                                 pivots=[fraction_to_str(v) for v in D])
                    done = True
                    break
        if not done:
            # guess a sign from the centre, then prove it by branch and bound
            mid = [(lo + hi) / 2 for lo, hi in box]
            hc = compile_arb(h, goal.names)([ball(v) for v in mid])
            order = (1, -1) if not (hc < 0) else (-1, 1)
            for s in order:
                if time.perf_counter() > deadline:
                    return None
                sub = Goal(s * h, goal.names, strict=False, deadline=deadline)
                res = subprove(sub, box, prec=prec, deadline=deadline, max_boxes=max_boxes,
                           keep=keep, seed=seed, exact_steps=True)
                boxes += res[2]
                if res[0] is Level.PROVED:
                    entry.update(sign=s, reason="sub-proof", method=res[1], proof=res[5])
                    methods.append(res[1])
                    done = True
                    break
                if res[0] is Level.UNKNOWN:
                    break  # do not spend the budget on the other sign
        if not done:
            return None
        sign *= entry["sign"]
        factors.append(entry)
    if sign < 0:
        return None
    return ExactStep("factor", Level.PROVED, "+".join(dict.fromkeys(methods)), boxes,
                     f"{g} = {c} * " + " * ".join(f"({f['expr']})**{f['exponent']}" for f in factors),
                     facts={"constant": fraction_to_str(Fraction(int(c.p), int(c.q))), "factors": factors})


# ----------------------------------------------------------------------------- touching points

def _arb_of(e) -> arb:
    return compile_arb(sp.sympify(e), [])([])


def _position(p, lo: Fraction, hi: Fraction) -> str | None:
    """"lo" / "hi" / "in" / None (outside or undecided) for an exact sympy number p."""
    if is_zero_exact(p - sp.Rational(lo.numerator, lo.denominator)):
        return "lo"
    if is_zero_exact(p - sp.Rational(hi.numerator, hi.denominator)):
        return "hi"
    pb = _arb_of(p)
    if is_finite(pb) and pb > ball(lo) and pb < ball(hi):
        return "in"
    return None


def _rational_near(x: float, tol: float):
    out = []
    for maxden in (1, 2, 3, 4, 6, 8, 10, 12, 16, 100, 1000):
        q = Fraction(x).limit_denominator(maxden)
        if abs(float(q) - x) <= tol and q not in out:
            out.append(q)
    return [sp.Rational(q.numerator, q.denominator) for q in out]


def _identify(x: float, tol: float):
    """Exact sympy numbers close to the float x (candidates only; verified exactly later)."""
    cands = list(_rational_near(x, tol))
    for consts in ([sp.E], [sp.pi], [sp.E, sp.pi]):
        try:
            v = sp.nsimplify(x, consts, tolerance=tol)
            if v not in cands and v.is_real and abs(float(v) - x) <= 10 * tol:
                cands.append(v)
        except Exception:  # noqa: BLE001 - candidates only
            pass
    for k in range(-3, 4):
        v = sp.exp(k)
        if abs(float(v) - x) <= tol and v not in cands:
            cands.append(v)
    return cands


def _corner_points(goal, box):
    """Box corners where g may vanish (the ball at the corner contains 0)."""
    pts = []
    for k in range(1 << goal.n):
        corner = tuple(box[i][1] if (k >> i) & 1 else box[i][0] for i in range(goal.n))
        y = goal.F([ball(v) for v in corner])
        if is_finite(y) and y.contains(0):
            pts.append(tuple(sp.Rational(v.numerator, v.denominator) for v in corner))
    return pts


def _interior_points(goal, box, x, deadline, solved, use_solve: bool):
    """Exact candidates near the float minimiser x (verified exactly by the caller)."""
    import itertools

    n = goal.n
    if not use_solve:
        per_coord = []
        for i in range(n):
            w = float(box[i][1] - box[i][0]) or 1.0
            per_coord.append(_identify(x[i], 1e-6 * w)[:4])
        return [tuple(c) for c in itertools.islice(itertools.product(*per_coord), 40)]
    if n != 1 or time.perf_counter() >= deadline:
        return []
    if "sols" not in solved:
        solved["sols"] = []
        try:
            with _alarm(min(1.5, max(0.05, deadline - time.perf_counter()))):
                solved["sols"] = list(sp.solve(sp.diff(goal.g, goal.syms[0]), goal.syms[0]))
        except Exception:  # noqa: BLE001 - candidates only (includes the alarm)
            pass
    w = float(box[0][1] - box[0][0]) or 1.0
    out = []
    for s in solved["sols"]:
        try:
            if s.is_real and not s.free_symbols and abs(float(s) - x[0]) < 1e-4 * w:
                out.append((s,))
        except (TypeError, ValueError):
            pass
    return out


def _subs(goal, expr, p):
    return expr.xreplace(dict(zip(goal.syms, p)))


def _round_down(q: Fraction, unit: Fraction) -> Fraction:
    return math.floor(q / unit) * unit


def _round_up(q: Fraction, unit: Fraction) -> Fraction:
    return math.ceil(q / unit) * unit


def _unit_for(delta: Fraction) -> Fraction:
    d = 0
    while Fraction(1, 10 ** d) > delta / 4 and d < 60:
        d += 1
    return Fraction(1, 10 ** d)


def _neighbourhood(goal, box, p, pos, delta: Fraction):
    """Rational box N around p (clipped to box) with l < p < r certified (or ends shared)."""
    N = []
    for i in range(goal.n):
        lo, hi = box[i]
        if pos[i] == "lo":
            N.append((lo, min(hi, lo + delta)))
            continue
        if pos[i] == "hi":
            N.append((max(lo, hi - delta), hi))
            continue
        plo, phi = exact_endpoints(_arb_of(p[i]))
        unit = _unit_for(delta)
        l = max(lo, _round_down(plo - delta, unit))
        r = min(hi, _round_up(phi + delta, unit))
        if not (l < plo and phi < r) and not (l == lo or r == hi):
            return None
        if l >= r:
            return None
        N.append((l, r))
    return tuple(N)


def _touch_1d(goal, box, p, pos, deadline):
    t = goal.syms[0]
    zero_orders = []
    k = None
    dk = None
    for j in range(1, 13):
        if time.perf_counter() > deadline:
            return None
        dj = goal.deriv_expr1(j)
        if dj is None:
            return None
        val = _subs(goal, dj, p)
        if is_zero_exact(val):
            zero_orders.append(j)
            continue
        vb = _arb_of(val)
        if not is_finite(vb) or vb.contains(0):
            return None
        k, dk = j, dj
        break
    if k is None:
        return None
    if pos[0] == "in":
        if k % 2 == 1:
            return None  # sign change at p: the claim is false nearby (search will refute)
        want = 1
    elif pos[0] == "lo":
        want = 1
    else:
        want = 1 if k % 2 == 0 else -1
    try:
        Dk = compile_arb(want * dk, goal.names)
    except ExpressionError:
        return None
    width = box[0][1] - box[0][0]
    delta = width
    for _ in range(48):
        if time.perf_counter() > deadline:
            return None
        N = _neighbourhood(goal, box, p, pos, delta)
        if N is not None:
            XN = [interval(*N[0])]
            y = Dk(XN)
            # Taylor's theorem needs g k times continuously differentiable on all of N: proved
            # by g being real-analytic on N (every function inside its open domain, enclosures
            # finite), not by sympy's derivative formula (d/dx atan(tan x) = 1 across a pole)
            if is_finite(y) and y >= 0 and goal.analytic(XN) and goal.defined(XN):
                return N, {"point": [sp.sstr(v) for v in p], "position": list(pos),
                           "zero_derivative_orders": [0] + zero_orders, "order": k,
                           "sign_derivative": sp.sstr(want * dk),
                           "neighbourhood": [[fraction_to_str(a), fraction_to_str(b)] for a, b in N],
                           "enclosure": _triple(y)}
        delta /= 2
    return None


def _minors_positive(H) -> tuple[bool, list]:
    """All leading principal minors of the interval matrix H certainly > 0 (Sylvester)."""
    n = len(H)
    out = []
    for m in range(1, n + 1):
        d = _det([row[:m] for row in H[:m]])
        out.append(d)
        if not (is_finite(d) and d > 0):
            return False, out
    return True, out


def _det(M):
    n = len(M)
    if n == 1:
        return M[0][0]
    if n == 2:
        return M[0][0] * M[1][1] - M[0][1] * M[1][0]
    acc = arb(0)
    for j in range(n):
        minor = [row[:j] + row[j + 1:] for row in M[1:]]
        term = M[0][j] * _det(minor)
        acc = acc + term if j % 2 == 0 else acc - term
    return acc


def _touch_nd(goal, box, p, pos, deadline):
    # gradient must vanish exactly
    grads = [goal._diff(goal.g, s) for s in goal.syms]
    if any(d is None for d in grads):
        return None
    for d in grads:
        if not is_zero_exact(_subs(goal, d, p)):
            return None
    hess = goal.hess()
    if hess is None:
        return None
    width = max(hi - lo for lo, hi in box)
    delta = width
    for _ in range(40):
        if time.perf_counter() > deadline:
            return None
        N = _neighbourhood(goal, box, p, pos, delta)
        if N is not None:
            X = [interval(a, b) for a, b in N]
            if not (goal.analytic(X) and goal.defined(X)):
                delta /= 2
                continue
            H = [[None] * goal.n for _ in range(goal.n)]
            for (i, j), hij in hess.items():
                H[i][j] = H[j][i] = hij(X)
            ok, minors = _minors_positive(H)
            if ok:
                return N, {"point": [sp.sstr(v) for v in p], "position": list(pos),
                           "zero_derivative_orders": [0, 1], "order": 2, "sign_derivative": "hessian-pd",
                           "neighbourhood": [[fraction_to_str(a), fraction_to_str(b)] for a, b in N],
                           "minors": [_triple(m) for m in minors]}
        delta /= 2
    return None


def _triple(y):
    return enclosure_triple(y)


def _touching_points(goal, box, *, prec, deadline, float_minima):
    hoods, facts = [], []
    solved: dict = {}
    tried = set()

    def covered(x):
        return any(all(N[i][0] <= x[i] <= N[i][1] for i in range(goal.n)) for N in hoods)

    def attempt(p):
        if p in tried:
            return None
        tried.add(p)
        pos = []
        for i in range(goal.n):
            ps = _position(p[i], *box[i])
            if ps is None:
                return None
            pos.append(ps)
        if not is_zero_exact(_subs(goal, goal.g, p)):
            return None
        if goal.strict:
            if all(v.is_Rational for v in p):
                q = tuple(Fraction(int(v.p), int(v.q)) for v in p)
                y = point_violates(goal, q, prec)
                if y is not None:
                    return ExactStep("refuted", method="exact-zero", point=q, enclosure=y,
                                     facts={"zero_point": [sp.sstr(v) for v in p]})
            return None
        res = _touch_1d(goal, box, p, pos, deadline) if goal.n == 1 else _touch_nd(goal, box, p, pos, deadline)
        if res is not None:
            hoods.append(res[0])
            facts.append(res[1])
        return None

    for p in _corner_points(goal, box):
        if time.perf_counter() > deadline:
            break
        r = attempt(p)
        if r is not None:
            return r
    for v, x in list(float_minima)[:6]:
        if time.perf_counter() > deadline:
            break
        if v is None or not math.isfinite(v) or abs(v) > 1e-7:
            continue
        xf = [float(c) for c in x]
        if covered(xf):
            continue
        for use_solve in (False, True):
            if use_solve and (covered(xf) or abs(v) > 1e-11):
                break  # sympy.solve only for a float minimum that looks exactly zero
            for p in _interior_points(goal, box, xf, deadline, solved, use_solve):
                if time.perf_counter() > deadline or covered(xf):
                    break
                r = attempt(p)
                if r is not None:
                    return r
    if hoods:
        return ExactStep("touch", neighbourhoods=hoods, facts={"touch_points": facts})
    return None


def exact_steps(goal, box, *, prec, deadline, max_boxes, keep, seed, float_minima=(), subprove=None):
    """Run the exact steps; None if none applies.  ``subprove(goal, box, **kw)`` is the
    branch-and-bound search used for factor signs (passed in by the prover, which imports
    this module, so that this module does not import the prover)."""
    try:
        st = _factor_step(goal, box, prec=prec, deadline=deadline, max_boxes=max_boxes, keep=keep, seed=seed,
                          subprove=subprove)
        if st is not None:
            return st
    except (_Timeout, sp.PolynomialError, ExpressionError):
        pass
    if not goal.smooth:
        return None
    try:
        return _touching_points(goal, box, prec=prec, deadline=deadline, float_minima=list(float_minima))
    except (_Timeout, ExpressionError):
        return None


# ----------------------------------------------------------------------------- carving

def _inside(B, N) -> bool:
    return all(N[i][0] <= B[i][0] and B[i][1] <= N[i][1] for i in range(len(B)))


def _overlaps(B, N) -> bool:
    return all(max(B[i][0], N[i][0]) < min(B[i][1], N[i][1]) or
               (B[i][0] == B[i][1] and N[i][0] <= B[i][0] <= N[i][1]) for i in range(len(B)))


def carve(box, hoods):
    """Split box into cells along the neighbourhoods' faces: (cells outside every N,
    certificate leaves for the cells inside some N)."""
    import itertools

    pieces = [tuple(box)]
    leaves = []
    for idx, N in enumerate(hoods):
        nxt = []
        for B in pieces:
            if not _overlaps(B, N):
                nxt.append(B)
                continue
            axes = []
            for i in range(len(B)):
                lo, hi = B[i]
                if lo == hi:
                    axes.append([(lo, hi)])
                    continue
                cuts = sorted({lo, hi} | {v for v in N[i] if lo < v < hi})
                axes.append(list(zip(cuts[:-1], cuts[1:])))
            for cell in itertools.product(*axes):
                if _inside(cell, N):
                    leaves.append({"box": [[fraction_to_str(a), fraction_to_str(b)] for a, b in cell],
                                   "method": "touch", "touch_point": idx})
                else:
                    nxt.append(tuple(cell))
        pieces = nxt
    return pieces, leaves
