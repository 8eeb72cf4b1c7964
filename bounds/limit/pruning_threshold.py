"""The pruning-ratio threshold of seed 003 (Zhang, Zhang, Sun, Liu, NeurIPS 2024), as computed
in the authors' code (github QiaozheZhang/Global-One-shot-Pruning, ``cal_rate.cal_gw``):

    r_i^2 = 2 eps / |lambda_i|,     G(R) = sum_i rho_i r_i^2 / (R^2 + r_i^2) / sum_i rho_i,

with lambda_i Hessian eigenvalues (the authors: a grid of eigenvalues with the SLQ spectral
density as weights rho_i; for an exact dense spectrum rho_i = 1 per eigenvalue), eps the
standard deviation of the per-batch training losses, and R(p) = ||w - T_p(w)||_2 for global
magnitude pruning T_p removing the fraction p of the weights.  The predicted threshold p*
solves G(R(p)) = p.  Each term equals 2 eps / (2 eps + R^2 |lambda_i|) (so lambda_i = 0 gives 1).

Statements (proved in docs/fundamental-limit.md#pruning-threshold; checks below):
* monotonicity: every term is nonincreasing in R >= 0 and in |lambda_i|, nondecreasing in eps;
  so the kept fraction 1 - G is nondecreasing in R and in each |lambda_i| and nonincreasing in
  eps (strictly, for R > 0 and lambda_i != 0);
* Jensen trace bound: phi(t) = 2 eps / (2 eps + R^2 t) is convex on t >= 0, so
      G(R) >= 2 eps / (2 eps + R^2 * lbar),   lbar = sum rho_i |lambda_i| / sum rho_i
  (= tr(H)/n for a PSD Hessian with rho_i = 1): the predicted pruned fraction is at least the
  trace version's, hence p* >= p*_trace;
* unique crossing: h(p) = G(R(p)) - p is strictly decreasing for any nondecreasing R(p), with
  h(0) = G(R(0)) - 0 >= 0 ... so {p in [0,1] : h(p) >= 0} is an interval [0, p*].

For magnitude pruning of N weights R(p) is a step function: pruning k = ceil(pN) weights,
R_k^2 = sum of the k smallest w_j^2.  :func:`crossing_magnitude` locates p* exactly: the
smallest k with g_k = G(R_k) < k/N (binary search with certified comparisons); then
p* = g_k if g_k > (k-1)/N (crossing inside the step) else p* = (k-1)/N (at the jump).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Sequence

from flint import arb, fmpq

from prunecert.checks.rigorous.arith import ball, compare3, exact_endpoints, workprec
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level, Tri
from prunecert.checks.rigorous.numbers import to_fraction
from prunecert.checks.result import CheckResult

__all__ = [
    "term_expr", "g_hat", "g_hat_exact", "trace_bound", "magnitude_R2", "Crossing", "crossing_magnitude",
    "crossing_bisect", "check_monotonicity", "check_jensen", "check_unique_crossing_instances",
    "manifest_sign",
]


# --------------------------------------------------------------------------- symbolic statements
def _syms():
    import sympy as sp

    R, eps, lam, t, tb = sp.symbols("R epsilon lambda t tbar", positive=True)
    return sp, R, eps, lam, t, tb


def term_expr():
    """sympy: r^2/(R^2 + r^2) with r^2 = 2 eps/lambda (lambda = |lambda_i| > 0)."""
    sp, R, eps, lam, *_ = _syms()
    r2 = 2 * eps / lam
    return r2 / (R**2 + r2)


def manifest_sign(expr) -> int | None:
    """+1 (>= 0) / -1 (<= 0) if the weak sign of the real expression ``expr`` is evident from its
    syntax, all symbols being real and those declared positive being > 0 (products
    and sums of positive symbols, positive numbers, powers with positive base, even integer
    powers of anything); None otherwise.  A sound, deliberately simple decision procedure."""
    import sympy as sp

    if expr.is_Number:
        return 1 if expr > 0 else (-1 if expr < 0 else None)
    if expr.is_Symbol:
        return 1 if expr.is_positive is True else None
    if isinstance(expr, sp.Pow):
        b, e = expr.args
        if e.is_Integer and int(e) % 2 == 0:
            return 1          # even power of a real expression: >= 0
        sb = manifest_sign(b)
        if sb == 1:
            return 1
        if sb == -1 and e.is_Integer:
            return -1 if int(e) % 2 else 1
        return None
    if isinstance(expr, sp.Mul):
        sign = 1
        for f in expr.args:
            s = manifest_sign(f)
            if s is None:
                return None
            sign *= s
        return sign
    if isinstance(expr, sp.Add):
        signs = {manifest_sign(a) for a in expr.args}
        return signs.pop() if len(signs) == 1 and None not in signs else None
    if isinstance(expr, (sp.exp,)):
        return 1
    return None


def check_monotonicity() -> CheckResult:
    """d/dR term <= 0, d/dlambda term <= 0, d/deps term >= 0: sympy derivatives put over a
    common denominator (sympy.factor), whose signs are then manifest."""
    t0 = time.perf_counter()
    sp, R, eps, lam, *_ = _syms()
    T = term_expr()
    out = {}
    ok = True
    for var, want in ((R, -1), (lam, -1), (eps, 1)):
        d = sp.factor(sp.together(sp.diff(T, var)))
        s = manifest_sign(d)
        out[str(var)] = {"derivative": str(d), "sign": s}
        ok &= s == want
    # the closed form of the term, used elsewhere
    same = sp.simplify(T - 2 * eps / (2 * eps + R**2 * lam)) == 0
    ok &= same
    return CheckResult(Level.PROVED if ok else Level.UNKNOWN, "sympy-derivative+manifest-sign",
                       time.perf_counter() - t0,
                       "term decreasing in R and |lambda|, increasing in eps" if ok else f"signs {out}",
                       data=out)


def check_jensen() -> CheckResult:
    """Tangent-line form of Jensen for phi(t) = a/(a + b t):
        phi(t) - phi(tb) - phi'(tb)(t - tb) = a b^2 (t - tb)^2 / ((a + b t)(a + b tb)^2) >= 0
    (sympy identity, manifest sign).  Weighting by rho_i >= 0 and summing, the linear term
    vanishes at tb = lbar, giving G(R) >= phi(lbar)."""
    t0 = time.perf_counter()
    sp, R, eps, lam, t, tb = _syms()
    a, b = sp.symbols("a b", positive=True)
    phi = lambda u: a / (a + b * u)  # noqa: E731
    lhs = phi(t) - phi(tb) - sp.diff(phi(tb), tb) * (t - tb)
    rhs = a * b**2 * (t - tb) ** 2 / ((a + b * t) * (a + b * tb) ** 2)
    ident = sp.simplify(lhs - rhs) == 0
    sign = manifest_sign(rhs) == 1
    second = sp.factor(sp.diff(phi(t), t, 2))
    convex = manifest_sign(second) == 1
    # the instance a = 2 eps, b = R^2 is the pruning term
    inst = sp.simplify(phi(lam).subs({a: 2 * eps, b: R**2}) - term_expr()) == 0
    ok = ident and sign and convex and inst
    return CheckResult(Level.PROVED if ok else Level.UNKNOWN, "sympy-identity+manifest-sign",
                       time.perf_counter() - t0,
                       "phi convex; tangent-line identity with a nonnegative remainder" if ok else
                       f"identity {ident}, sign {sign}, convex {convex}, instance {inst}")


# --------------------------------------------------------------------------- evaluation
def _fr(x, what):
    return to_fraction(x, what)


def _prepare(lams, eps, weights):
    L = [abs(_fr(x, "eigenvalue")) for x in lams]
    if not L:
        raise InputError("empty spectrum")
    e = _fr(eps, "eps")
    if e <= 0:
        raise InputError(f"eps must be > 0, got {e}")
    if weights is None:
        W = None
    else:
        W = [_fr(x, "weight") for x in weights]
        if len(W) != len(L):
            raise InputError(f"{len(W)} weights for {len(L)} eigenvalues")
        if any(w < 0 for w in W) or sum(W) <= 0:
            raise InputError("weights must be >= 0 with a positive sum")
    return L, e, W


def g_hat(R2, lams, eps, weights=None, *, _prepared=None) -> arb:
    """Ball enclosing G(R) at R^2 = ``R2`` (exact input) at the current precision."""
    L, e, W = _prepared or _prepare(lams, eps, weights)
    R2 = _fr(R2, "R^2")
    if R2 < 0:
        raise InputError("R^2 must be >= 0")
    two_e = ball(2 * e)
    r2b = ball(R2)
    tot = arb(0)
    for i, lam in enumerate(L):
        term = two_e / (two_e + r2b * ball(lam))
        tot += term if W is None else ball(W[i]) * term
    return tot / (len(L) if W is None else ball(sum(W)))


def g_hat_exact(R2, lams, eps, weights=None) -> Fraction:
    """G(R) as an exact Fraction (slow for large spectra; used to re-check)."""
    L, e, W = _prepare(lams, eps, weights)
    R2 = _fr(R2, "R^2")
    tot = Fraction(0)
    for i, lam in enumerate(L):
        term = 2 * e / (2 * e + R2 * lam)
        tot += term if W is None else W[i] * term
    return tot / (len(L) if W is None else sum(W))


def trace_bound(R2, lams, eps, weights=None) -> arb:
    """Jensen lower bound 2 eps / (2 eps + R^2 lbar) <= G(R), lbar the rho-weighted mean |lambda|."""
    L, e, W = _prepare(lams, eps, weights)
    lbar = (sum(L, Fraction(0)) / len(L)) if W is None else sum(w * x for w, x in zip(W, L)) / sum(W)
    return ball(2 * e) / (ball(2 * e) + ball(_fr(R2, "R^2")) * ball(lbar))


def magnitude_R2(w) -> list[Fraction]:
    """[R_0^2, R_1^2, ..., R_N^2]: R_k^2 = sum of the k smallest w_j^2 (exact)."""
    sq = sorted(_fr(x, "weight") ** 2 for x in w)
    out = [Fraction(0)]
    for v in sq:
        out.append(out[-1] + v)
    return out


@dataclass
class Crossing:
    p_lo: Fraction            # p* in [p_lo, p_hi]
    p_hi: Fraction
    k: int                    # smallest k with G(R_k) < k/N (N+1 if none)
    N: int
    at_jump: bool             # True: p* = (k-1)/N exactly
    comparisons: int
    prec: int
    method: str = "binary search over k, certified arb comparisons"
    data: dict = field(default_factory=dict)

    @property
    def p_mid(self) -> float:
        return float((self.p_lo + self.p_hi) / 2)

    def to_json(self) -> dict:
        return {"p_lo": str(self.p_lo), "p_hi": str(self.p_hi), "p": self.p_mid, "k": self.k, "N": self.N,
                "at_jump": self.at_jump, "comparisons": self.comparisons, "prec": self.prec, "method": self.method}


def _cmp_lt(R2, level: Fraction, prep, prec) -> Tri:
    with workprec(prec):
        return compare3(g_hat(R2, None, None, _prepared=prep), "<", ball(level))


def _decide_lt(R2, level: Fraction, prep) -> tuple[bool, int]:
    for prec in (64, 192, 640):
        c = _cmp_lt(R2, level, prep, prec)
        if c is not Tri.UNDECIDED:
            return c is Tri.TRUE, prec
    L, e, W = prep
    # exact fallback
    g = g_hat_exact(R2, L, e, W)
    return g < level, 0


def crossing_magnitude(lams, eps, w, weights=None) -> Crossing:
    """The unique crossing p* of G(R(p)) = p for global magnitude pruning of the weights ``w``."""
    prep = _prepare(lams, eps, weights)
    R2 = magnitude_R2(w)
    N = len(R2) - 1
    if N < 1:
        raise InputError("need at least one weight")
    ncmp = 0
    maxprec = 64
    lo, hi = 0, N + 1            # invariant: h_lo >= 0 (h_0 = 1), and k* in (lo, hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        below, prec = _decide_lt(R2[mid], Fraction(mid, N), prep)
        ncmp += 1
        maxprec = max(maxprec, prec)
        if below:
            hi = mid
        else:
            lo = mid
    k = hi
    if k == N + 1:               # G(R_N) >= 1: p* = 1
        return Crossing(Fraction(1), Fraction(1), k, N, True, ncmp, maxprec)
    # p* in ((k-1)/N, k/N]: inside the step iff g_k > (k-1)/N, else p* = (k-1)/N (at the jump)
    level = Fraction(k - 1, N)
    for prec in (64, 192, 640):
        with workprec(prec):
            g = g_hat(R2[k], None, None, _prepared=prep)
            ncmp += 1
            if compare3(g, "<", ball(level)) is Tri.TRUE:
                return Crossing(level, level, k, N, True, ncmp, max(maxprec, prec))
            if compare3(g, ">", ball(level)) is Tri.TRUE:
                lo_f, hi_f = exact_endpoints(g)
                return Crossing(max(lo_f, level), min(hi_f, Fraction(k, N)), k, N, False, ncmp, max(maxprec, prec))
    gx = g_hat_exact(R2[k], *prep)                 # exact fallback
    if gx <= level:
        return Crossing(level, level, k, N, True, ncmp, maxprec, method="exact at the jump")
    return Crossing(gx, gx, k, N, False, ncmp, maxprec, method="exact")


def crossing_bisect(h: Callable[[Fraction], arb], lo=0, hi=1, *, tol=Fraction(1, 10**12),
                    max_steps: int = 200) -> tuple[Fraction, Fraction]:
    """Interval bisection for the unique zero of a strictly decreasing function h on [lo, hi]
    (h(p) returns a ball for exact p).  Returns an exact bracket [a, b] with h(a) >= 0 >= h(b)
    certified (or the best bracket reached when a sign is undecided)."""
    a, b = to_fraction(lo, "lo"), to_fraction(hi, "hi")
    if a > b:
        raise InputError("reversed bracket")
    if compare3(h(a), "<", 0) is Tri.TRUE:
        return a, a
    if compare3(h(b), ">", 0) is Tri.TRUE:
        return b, b
    for _ in range(max_steps):
        if b - a <= tol:
            break
        mid = (a + b) / 2
        v = h(mid)
        if compare3(v, ">=", 0) is Tri.TRUE:
            a = mid
        elif compare3(v, "<=", 0) is Tri.TRUE:
            b = mid
        else:
            break
    return a, b


def check_unique_crossing_instances(n_instances: int = 6, seed: int = 0) -> CheckResult:
    """CHECKED on exact random instances: the binary-search crossing equals the brute-force one
    (exact Fractions, every k), and h_k = G(R_k) - k/N changes sign exactly once."""
    import numpy as np

    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    for inst in range(n_instances):
        n = int(rng.integers(3, 12))
        N = int(rng.integers(3, 15))
        lams = [Fraction(int(x), 64) for x in rng.integers(-200, 400, size=n)]
        eps = Fraction(int(rng.integers(1, 50)), 100)
        w = [Fraction(int(x), 16) for x in rng.integers(-40, 40, size=N)]
        cr = crossing_magnitude(lams, eps, w)
        R2 = magnitude_R2(w)
        h = [g_hat_exact(R2[k], lams, eps) - Fraction(k, N) for k in range(N + 1)]
        changes = sum(1 for k in range(N) if (h[k] >= 0) != (h[k + 1] >= 0))
        kstar = next((k for k in range(N + 1) if h[k] < 0), N + 1)
        ok = changes <= 1 and h[0] >= 0 and kstar == cr.k
        if kstar <= N:
            g = g_hat_exact(R2[kstar], lams, eps)
            exact_p = g if g > Fraction(kstar - 1, N) else Fraction(kstar - 1, N)
            ok &= cr.p_lo <= exact_p <= cr.p_hi
        if not ok:
            return CheckResult(Level.REFUTED, "exact", time.perf_counter() - t0,
                               f"instance {inst}: binary search k={cr.k}, brute force k={kstar}, sign changes {changes}",
                               witness={"lams": [str(x) for x in lams], "eps": str(eps), "w": [str(x) for x in w]})
    return CheckResult(Level.CHECKED, "exact", time.perf_counter() - t0,
                       f"{n_instances} exact instances: one sign change, binary search = brute force",
                       data={"seed": seed, "instances": n_instances})
