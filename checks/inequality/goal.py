"""The goal ``g >= 0`` (or ``g > 0``) on a box and the rigorous rungs that decide one box.

Shared by the branch-and-bound search (:mod:`prunecert.checks.inequality.prover`) and the exact
steps (:mod:`prunecert.checks.inequality.touching`); it imports neither of them.

Definedness before sign: a box counts as satisfied only when the claim *as typed* (``raw``,
the unevaluated tree) is proved defined on the whole box
(:func:`prunecert.checks.rigorous.domain.compile_checked`).  Derivative-based rungs (mean value,
monotonicity, Taylor) run only where the margin ``g`` is proved real-analytic on the box (every
function applied in the interior of its domain, no kinks); sympy's derivative formulas are
its true derivatives only there (``d/dx atan(tan x) = 1`` is false across a pole of tan).
"""
from __future__ import annotations

import math
import time
from fractions import Fraction

import sympy as sp
from flint import arb

from prunecert.checks.errors import ExpressionError
from prunecert.checks.rigorous.arith import ball, interval, is_finite, workprec
from prunecert.checks.rigorous.domain import ANALYTIC, DEFINED, Undefined, compile_checked, real_symbols, tree_size
from prunecert.checks.rigorous.expr import compile_arb, compile_float, is_smooth

__all__ = ["Goal", "evaluate_box", "taylor_form", "point_violates", "find_decimal_witness", "float_search",
           "enclosure_triple", "prec_ladder", "MAX_PREC"]

MAX_PREC = 1_000_000        # working precision never escalates past this many bits
MAX_DERIV_SIZE = 60_000     # a derivative larger than this (tree nodes) is not compiled


def prec_ladder(prec: int, factors=(2, 4, 8, 16)) -> list[int]:
    """Escalated precisions for a retry, capped at MAX_PREC (``--prec`` near the top of its
    range must not escalate into an error)."""
    out = []
    for f in factors:
        b = min(prec * f, MAX_PREC)
        if b > prec and b not in out:
            out.append(b)
    return out


# ----------------------------------------------------------------------------- the goal

Box = tuple  # tuple of (Fraction lo, Fraction hi)


class Goal:
    """``g >= 0`` (or ``> 0``) over a box, with lazily compiled derivatives.

    ``raw`` is the margin exactly as typed (unevaluated); it defaults to ``g`` (API callers who
    pass built sympy expressions have already let sympy evaluate them)."""

    def __init__(self, g: sp.Expr, names: list[str], strict: bool, raw: sp.Expr | None = None,
                 deadline: float | None = None):
        self.names = list(names)
        self.syms = [sp.Symbol(n, real=True) for n in names]
        # normalise symbols to real symbols with these names
        real = {s: sp.Symbol(s.name, real=True) for s in g.free_symbols}
        self.g = g.xreplace(real)
        self.raw = self.g if raw is None else real_symbols(raw)
        self.strict = strict
        self.side = "lhs - rhs"
        self.n = len(names)
        self.deadline = deadline
        self.F = compile_arb(self.g, names)
        self.A = compile_checked(self.g, names)       # analyticity / definedness of g itself
        self.D = self.A if self.raw == self.g and sp.srepr(self.raw) == sp.srepr(self.g) \
            else compile_checked(self.raw, names)     # definedness of the claim as typed
        self.smooth = is_smooth(self.g)
        self._grad = None
        self._hess = None
        self._d1 = {}
        self._d1e = {}
        self._last = {}
        self._float = None

    # -- definedness (see the module docstring)
    def _level(self, C, X) -> int:
        """0 (not proved defined), DEFINED or ANALYTIC for the checked evaluator C on X;
        remembered for the last box (the rungs of one box ask several times)."""
        key = (id(C), id(X))
        hit = self._last.get(key)
        if hit is not None and hit[0] is X:
            return hit[1]
        try:
            lev = C(X)[1]
        except Undefined:
            lev = 0
        if len(self._last) > 8:
            self._last.clear()
        self._last[key] = (X, lev)
        return lev

    def defined(self, X) -> bool:
        """The claim as typed is defined at every point of the box of balls X (and so is g)."""
        if self._level(self.A, X) < DEFINED:
            return False
        return self.D is self.A or self._level(self.D, X) >= DEFINED

    def analytic(self, X) -> bool:
        """g is real-analytic on an open set containing X (derivative rungs may be used)."""
        return self.smooth and self._level(self.A, X) >= ANALYTIC

    def _diff(self, e, *args):
        """sympy derivative within the goal's time budget and a size cap (None otherwise)."""
        from prunecert.checks.rigorous.budget import time_limit
        left = None if self.deadline is None else self.deadline - time.perf_counter()
        if left is not None and left <= 0:
            return None
        d = None
        with time_limit(left) as tl:
            d = sp.diff(e, *args)
        if tl.expired or d is None:
            return None
        if tree_size(d, MAX_DERIV_SIZE) > MAX_DERIV_SIZE:
            return None
        return d

    def _compile(self, e):
        if e is None:
            raise ExpressionError("derivative not available")
        return compile_arb(e, self.names)

    # -- derivatives (None when not available)
    def grad(self):
        if self._grad is None:
            self._grad = False
            if self.smooth:
                try:
                    self._grad = [self._compile(self._diff(self.g, s)) for s in self.syms]
                except ExpressionError:
                    self._grad = False
        return self._grad or None

    def hess(self):
        if self._hess is None:
            self._hess = False
            if self.smooth:
                try:
                    H = {}
                    for i, si in enumerate(self.syms):
                        di = self._diff(self.g, si)
                        if di is None:
                            raise ExpressionError("derivative not available")
                        for j in range(i, self.n):
                            H[(i, j)] = self._compile(self._diff(di, self.syms[j]))
                    self._hess = H
                except ExpressionError:
                    self._hess = False
        return self._hess or None

    def deriv_expr1(self, k: int):
        """The k-th derivative of g (1 variable) as a sympy expression, or None."""
        if k == 0:
            return self.g
        if k not in self._d1e:
            self._d1e[k] = None
            if self.smooth and self.n == 1:
                prev = self.deriv_expr1(k - 1)
                if prev is not None:
                    self._d1e[k] = self._diff(prev, self.syms[0])
        return self._d1e[k]

    def deriv1(self, k: int):
        """k-th derivative (1 variable), compiled, or None."""
        if k not in self._d1:
            self._d1[k] = None
            try:
                self._d1[k] = self._compile(self.deriv_expr1(k))
            except ExpressionError:
                pass
        return self._d1[k]

    def float_fn(self):
        if self._float is None:
            try:
                self._float = compile_float(self.g, self.names)
            except Exception:  # noqa: BLE001 - search only
                self._float = False
        return self._float or None

    # -- sign tests on balls
    def sat(self, y: arb) -> bool:
        """y (an enclosure of g) certainly has the claimed sign.  Callers that conclude "g has
        the sign on the box" must also check :meth:`defined` on that box."""
        if not is_finite(y):
            return False
        return bool(y > 0) if self.strict else bool(y >= 0)

    def viol(self, y: arb) -> bool:
        if not is_finite(y):
            return False
        return bool(y <= 0) if self.strict else bool(y < 0)


def _balls(box):
    return [interval(lo, hi) for lo, hi in box]


def _mid(box):
    return tuple((lo + hi) / 2 for lo, hi in box)


def _point_balls(p):
    return [ball(v) for v in p]


def _inter(a: arb, b: arb) -> arb:
    if is_finite(a) and is_finite(b) and a.overlaps(b):
        return a.intersection(b)
    if is_finite(a):
        return a
    return b


def enclosure_triple(y: arb) -> list[int]:
    """[mid mantissa, mid exponent, radius mantissa, radius exponent]: y = m*2^e +/- r*2^f."""
    m, e = y.mid().man_exp()
    r, f = y.rad().man_exp()
    return [int(m), int(e), int(r), int(f)]


def _horner(coeffs, h):
    acc = coeffs[-1]
    for c in reversed(coeffs[:-1]):
        acc = acc * h + c
    return acc


def evaluate_box(goal: Goal, box) -> tuple[str, str, arb, dict]:
    """Decide one box: ("sat"|"viol"|"undecided", method, enclosure, extra info)."""
    X = _balls(box)
    Y = goal.F(X)
    if goal.sat(Y):
        if goal.defined(X):
            return "sat", "plain", Y, {}
        return "undecided", "", Y, {"undefined": True}
    if goal.viol(Y):
        return "viol", "plain", Y, {}
    best = Y
    grad = goal.grad() if is_finite(Y) and goal.analytic(X) else None
    if grad is not None:
        G = [d(X) for d in grad]
        if all(is_finite(v) for v in G):
            # monotonicity: fix coordinates where the sign of dg/dx_i is certain (minimum side)
            red = list(box)
            fixed = []
            for i, (gi, (lo, hi)) in enumerate(zip(G, box)):
                if lo == hi:
                    continue
                if gi >= 0:
                    red[i] = (lo, lo)
                    fixed.append((i, "+"))
                elif gi <= 0:
                    red[i] = (hi, hi)
                    fixed.append((i, "-"))
            if fixed:
                R = _balls(red)
                YR = goal.F(R)
                c = _mid(red)
                ymv = goal.F(_point_balls(c))
                for i, (lo, hi) in enumerate(red):
                    if lo != hi:
                        ymv = ymv + G[i] * (R[i] - ball(c[i]))
                YR = _inter(YR, ymv)
                if goal.sat(YR) and goal.defined(X):
                    return "sat", "mono", YR, {"fixed": fixed}
            c = _mid(box)
            ymv = goal.F(_point_balls(c))
            for i in range(goal.n):
                if box[i][0] != box[i][1]:
                    ymv = ymv + G[i] * (X[i] - ball(c[i]))
            best = _inter(Y, ymv)
            if goal.sat(best) and goal.defined(X):
                return "sat", "mvf", best, {}
            if goal.viol(best):
                return "viol", "mvf", best, {}
            # Taylor form
            yt = taylor_form(goal, box, X)
            if yt is not None:
                best2 = _inter(best, yt)
                if goal.sat(best2) and goal.defined(X):
                    return "sat", "taylor", best2, {}
                if goal.viol(best2):
                    return "viol", "taylor", best2, {}
                best = best2
    return "undecided", "", best, {}


def taylor_form(goal: Goal, box, X):
    c = _mid(box)
    C = _point_balls(c)
    H = [X[i] - C[i] for i in range(goal.n)]
    if goal.n == 1:
        K = 4
        ds = [goal.deriv1(k) for k in range(1, K + 1)]
        if any(d is None for d in ds):
            return None
        coeffs = [goal.F(C)]
        fact = 1
        for k in range(1, K):
            fact *= k
            coeffs.append(ds[k - 1](C) / fact)
        fact *= K
        coeffs.append(ds[K - 1](X) / fact)
        if not all(is_finite(v) for v in coeffs):
            return None
        return _horner(coeffs, H[0])
    grad, hess = goal.grad(), goal.hess()
    if grad is None or hess is None:
        return None
    y = goal.F(C)
    for i in range(goal.n):
        y = y + grad[i](C) * H[i]
    for (i, j), hij in hess.items():
        v = hij(X)
        if i == j:
            y = y + v * _sq(H[i]) / 2
        else:
            y = y + v * H[i] * H[j]
    return y if is_finite(y) else None


def _sq(h: arb) -> arb:
    from prunecert.checks.rigorous.arith import absval
    a = absval(h)
    return a * a


# ----------------------------------------------------------------------------- witnesses

def _decimal_candidates(q, lo: Fraction, hi: Fraction, max_digits: int = 25):
    """Finite decimals in [lo, hi] near q, coarsest first."""
    seen = set()
    q = Fraction(q)
    q = min(max(q, lo), hi)
    for d in range(0, max_digits + 1):
        s = 10 ** d
        for v in (Fraction(round(q * s), s), Fraction(math.floor(q * s), s), Fraction(math.ceil(q * s), s)):
            if lo <= v <= hi and v not in seen:
                seen.add(v)
                yield v


def point_violates(goal: Goal, p, prec: int) -> arb | None:
    """Rigorous enclosure of g at the exact point p if it certainly has the wrong sign there
    and the claim as typed is proved defined at p."""
    for bits in [prec] + prec_ladder(prec, (2, 4, 8)):
        with workprec(bits):
            P = _point_balls(p)
            y = goal.F(P)
            if goal.viol(y):
                return y if goal.defined(P) else None
            if goal.sat(y):
                return None
    return None


def find_decimal_witness(goal: Goal, q, box, prec: int, deadline: float, max_digits: int = 25):
    """Try decimal points near q (coordinate-wise rounding) inside box; return (point, enclosure)."""
    cands = [list(_decimal_candidates(q[i], box[i][0], box[i][1], max_digits)) for i in range(goal.n)]
    # walk digits jointly: k-th candidate of each coordinate
    depth = max(len(c) for c in cands)
    for k in range(depth):
        if time.perf_counter() > deadline:
            return None
        p = tuple(c[min(k, len(c) - 1)] for c in cands)
        y = point_violates(goal, p, prec)
        if y is not None:
            return p, y
    return None


def float_search(goal: Goal, box, seed: int = 0, n_samples: int = 400):
    """Float local minima of g on the box (search only): list of (value, point) best first."""
    import numpy as np

    f = goal.float_fn()
    if f is None:
        return []
    lo = np.array([float(a) for a, _ in box])
    hi = np.array([float(b) for _, b in box])
    rng = np.random.default_rng(seed)

    def fv(x):
        try:
            with np.errstate(all="ignore"):
                v = float(f(*x))
        except Exception:  # noqa: BLE001
            return math.inf
        return v if math.isfinite(v) else math.inf

    pts = [lo + (hi - lo) * rng.random(goal.n) for _ in range(n_samples)]
    # grid / corners / centre
    pts.append((lo + hi) / 2)
    for k in range(1 << goal.n):
        pts.append(np.array([hi[i] if (k >> i) & 1 else lo[i] for i in range(goal.n)]))
    if goal.n == 1:
        pts += [np.array([v]) for v in np.linspace(lo[0], hi[0], 201)]
    vals = sorted(((fv(x), tuple(x)) for x in pts), key=lambda t: t[0])
    out = []
    try:
        from scipy.optimize import minimize
        for v, x in vals[:6]:
            if not math.isfinite(v):
                continue
            try:
                r = minimize(lambda z: fv(z), np.array(x), method="L-BFGS-B",
                             bounds=list(zip(lo, hi)), options={"maxiter": 200, "ftol": 1e-15, "gtol": 1e-12})
                out.append((float(r.fun), tuple(float(t) for t in r.x)))
            except Exception:  # noqa: BLE001
                pass
            out.append((v, x))
    except ImportError:  # pragma: no cover
        out = vals[:6]
    out.sort(key=lambda t: t[0])
    return out


