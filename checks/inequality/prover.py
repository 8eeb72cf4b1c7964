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

from prunecert.checks.rigorous.arith import interval, ball, workprec, is_finite, exact_endpoints
from prunecert.checks.errors import BoxError, ExpressionError, InputError
from prunecert.checks.rigorous.expr import (RELATIONS, compile_arb, compile_float, domain_atoms, is_smooth, parse, parse_relation,
                   require_domain_kept)
from prunecert.checks.levels import Level
from prunecert.checks.rigorous.numbers import exact_decimal, fraction_to_str, to_fraction
from prunecert.checks.result import CheckResult

__all__ = ["prove", "prove_text", "ProofOutcome", "Goal", "decimal_string"]

MAX_VARS = 4


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


# ----------------------------------------------------------------------------- the goal

Box = tuple  # tuple of (Fraction lo, Fraction hi)


class Goal:
    """``g >= 0`` (or ``> 0``) over a box, with lazily compiled derivatives."""

    def __init__(self, g: sp.Expr, names: list[str], strict: bool):
        self.g = g
        self.names = list(names)
        self.syms = [sp.Symbol(n, real=True) for n in names]
        # normalise symbols to real symbols with these names
        self.g = g.xreplace({s: sp.Symbol(s.name, real=True) for s in g.free_symbols})
        self.strict = strict
        self.side = "lhs - rhs"
        self.n = len(names)
        self.F = compile_arb(self.g, names)
        self.smooth = is_smooth(self.g)
        self._grad = None
        self._hess = None
        self._d1 = {}
        self._float = None

    # -- derivatives (None when not available)
    def grad(self):
        if self._grad is None:
            self._grad = False
            if self.smooth:
                try:
                    self._grad = [compile_arb(sp.diff(self.g, s), self.names) for s in self.syms]
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
                        di = sp.diff(self.g, si)
                        for j in range(i, self.n):
                            H[(i, j)] = compile_arb(sp.diff(di, self.syms[j]), self.names)
                    self._hess = H
                except ExpressionError:
                    self._hess = False
        return self._hess or None

    def deriv1(self, k: int):
        """k-th derivative (1 variable), compiled, or None."""
        if k not in self._d1:
            self._d1[k] = None
            if self.smooth and self.n == 1:
                try:
                    self._d1[k] = compile_arb(sp.diff(self.g, self.syms[0], k), self.names)
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
        return "sat", "plain", Y, {}
    if goal.viol(Y):
        return "viol", "plain", Y, {}
    best = Y
    grad = goal.grad() if is_finite(Y) else None
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
                if goal.sat(YR):
                    return "sat", "mono", YR, {"fixed": fixed}
            c = _mid(box)
            ymv = goal.F(_point_balls(c))
            for i in range(goal.n):
                if box[i][0] != box[i][1]:
                    ymv = ymv + G[i] * (X[i] - ball(c[i]))
            best = _inter(Y, ymv)
            if goal.sat(best):
                return "sat", "mvf", best, {}
            if goal.viol(best):
                return "viol", "mvf", best, {}
            # Taylor form
            yt = taylor_form(goal, box, X)
            if yt is not None:
                best2 = _inter(best, yt)
                if goal.sat(best2):
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
    """Rigorous enclosure of g at the exact point p if it certainly has the wrong sign."""
    for bits in (prec, 2 * prec, 4 * prec, 8 * prec):
        with workprec(bits):
            y = goal.F(_point_balls(p))
            if goal.viol(y):
                return y
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
            for bits in (2 * st.prec, 4 * st.prec, 8 * st.prec, 16 * st.prec):
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
            return "UNKNOWN", "a box shrank below 2^-60 of the start width without being decided " \
                              f"(near {[float(a) for a, _ in box]}; equality touched where no exact step applies?)"
        lo, hi = box[i]
        c = (lo + hi) / 2
        lower = float(y.lower()) if is_finite(y) else -math.inf
        for part in ((lo, c), (c, hi)):
            nb = tuple(part if k == i else box[k] for k in range(goal.n))
            heapq.heappush(heap, (lower, counter, nb))
            counter += 1
    return "PROVED", None


def _validate_box(box: Mapping, names_in_expr) -> tuple[list[str], tuple]:
    if not isinstance(box, Mapping) or not box:
        raise BoxError("the box must map each variable name to (lo, hi)")
    names = []
    parts = []
    for name, spec in box.items():
        name = str(name)
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
          use_smt: bool = True) -> ProofOutcome:
    """Prove, refute or give up on ``lhs OP rhs`` for all points of ``box``.

    The interval ladder runs first.  If it ends UNKNOWN with time left and the claim is
    polynomial / piecewise-linear (no transcendental functions), the exact-decision rung
    :func:`prunecert.checks.decide.smt.prove_forall` (z3, confirmed by cvc5) gets the remaining time; its
    PROVED comes with a ``prunecert-smt/1`` certificate, and a counterexample model is only
    used as a starting point for a decimal witness certified here by ball arithmetic."""
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
    expr_names = {s.name for s in (L - R).free_symbols} | {s.name for s in L.free_symbols | R.free_symbols}
    names, parts = _validate_box(box, expr_names)
    if len(names) > MAX_VARS:
        raise BoxError(f"at most {MAX_VARS} variables are supported, got {len(names)}")
    g = (L - R) if op in (">=", ">") else (R - L)
    strict = op in (">", "<")
    text = claim_text or f"{sp.sstr(L)} {op} {sp.sstr(R)}"
    # lhs - rhs may cancel a sqrt/log/division of the typed claim (sqrt(x) >= sqrt(x) - 1 becomes
    # 1 >= 0, "true" where sqrt(x) is undefined): refuse instead of proving the extended claim
    require_domain_kept(domain_atoms(L) + domain_atoms(R), g, text)
    deadline = t0 + timeout
    smt_ok = use_smt and _smt_expressible(g)
    # an exactly decidable (polynomial / piecewise-linear) claim keeps 40% of the time for the SMT rung
    ladder_deadline = t0 + 0.6 * timeout if smt_ok else deadline
    with workprec(prec):
        goal = Goal(g, names, strict)
        goal.side = "lhs - rhs" if op in (">=", ">") else "rhs - lhs"
        res = _run(goal, parts, prec=prec, deadline=ladder_deadline, max_boxes=max_boxes,
                   keep=certificate, seed=seed, exact_steps=use_exact_steps)
        smt_cert = None
        if res[0] is Level.UNKNOWN and smt_ok:
            res, smt_cert = _smt_rung(goal, L, op, R, parts, res, prec=prec, deadline=deadline)
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
                                  keep=keep, seed=seed, float_minima=cands[1:])
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
