"""Theorem B: neuron pruning in Model B needs width n = Omega(1/(eps log(1/eps))).

Model B: g_S(x) = sigma(sum_{i in S} v_i sigma(<u_i, x>)), u_i ~ N(0, I_d),
v_i ~ Uniform[-1, 1], all independent; target f_w(x) = sigma(<w, x>), ||w||_2 = 1, d >= 2;
E(S) = sup_{x in B^d} |g_S(x) - f_w(x)|.  The kept output weights are the random v_i.

Theorem B (proof sketch reconstructed for this project; every step checked here, written proof in
docs/neuron-lower-bound.md#theorem-b).  For 0 < eps < 1, every C1 >= 8 rho_max = sqrt(8 pi), with
W = int_0^pi min(1, C1 eps / g) dg  (= C1 eps log(e pi / (C1 eps)) when C1 eps <= pi) and
q = n W / pi < 1:

    P(exists S : E(S) <= eps)  <=  (2n/pi) arcsin(eps) + (2q - q^2)/(1 - q)^2.

Corollary (the sketch's numbers, C1 = 4 pi rho_max = pi sqrt(2 pi)): for 0 < eps <= 1/10 and
n <= 1/(20 eps log(1/eps)), q <= 0.130 and P(no S reaches eps) >= 0.64.

The proof reaches the exponent 1/(eps log(1/eps)), not the paper's 1/eps (the log is lost in the
union over sets whose kinks crowd the cap edge).  The paper's Omega(1/eps)
stays a CLAIMED claim.

Lemmas (each a check function below):
  cap        E(S) <= eps  =>  |h_S(theta) - cos theta| <= eps on [-arccos eps, arccos eps];
  kinks      each unit has at most one cap kink, with sub-density 1/pi; P(none) = 2 arcsin(eps)/pi
             <= 2 eps/3 for eps <= 1/2;
  density    c_i = v_i ||u_i|| is independent of arg u_i with density
             rho(x) = (1/2) int_|x|^oo e^{-r^2/2} dr = sqrt(pi/8) erfc(|x|/sqrt 2) <= sqrt(pi/8);
  kernel     D_delta q(m) = q(m - delta) + q(m + delta) - 2 cos(delta) q(m) kills A cos + B sin and
             maps sigma(sin(. - kappa)) to (sin(delta - |m - kappa|))_+ when |m - kappa| + delta < pi;
  window     the constraint confines c_j to an interval of length 4(1 + cos d) eps / sin d =
             4 eps cot(d/2) <= 8 eps / d;
  lemma 1    P(E(S) <= eps | angles) <= prod_j min(1, C1 eps / delta_j);
  lemma 2    prod_j w(delta_j) <= sum_{l*} prod_{l != l*} w(g_l) (charging, deterministic);
  theorem    union bound with the series sum_{k>=1} (k+1) q^k = (2q - q^2)/(1 - q)^2.
"""
from __future__ import annotations

import itertools
import random
from fractions import Fraction

import sympy as sp

from prunecert.checks.rigorous import arith
from prunecert.checks.errors import InputError
from prunecert.checks.hypotheses import Hypothesis, require
from prunecert.checks.levels import Level, Tri
from prunecert.checks.rigorous.numbers import fraction_to_decimal, to_fraction
from prunecert.checks.result import CheckResult, Timer

from prunecert.bounds.gap.chord import identity_result, positivity_result

__all__ = [
    "RHO_MAX", "C1_TIGHT", "C1_RECONSTRUCTED", "CONSTANTS", "STATEMENT", "COROLLARY", "EXPONENT",
    "THEOREM_B_ID", "THEOREM_B_HYPOTHESES", "MODEL",
    "rho_expr", "W_expr", "series_expr", "W_ball", "failure_terms", "success_probability_upper",
    "neuron_width_lower_bound", "charge", "lemma2_sides",
    "check_slice", "check_cap", "check_cap_pointwise", "check_kinks", "check_density", "check_kernel", "check_window",
    "check_lemma1_chain", "check_prover_window", "check_prover_asin", "check_lemma2_w", "check_lemma2_exhaustive", "check_W_integral",
    "check_series", "check_jacobian_small_k", "check_corollary_reparam",
    "check_corollary_numbers", "check_corollary_spot", "check_corollary_content_range",
]

eps = sp.Symbol("epsilon", positive=True)
_x = sp.Symbol("x", positive=True)
_r = sp.Symbol("r", positive=True)
_q = sp.Symbol("q", positive=True)
_K = sp.Symbol("K", positive=True)      # K = C1 * eps
_g = sp.Symbol("g", positive=True)
_s = sp.Symbol("s", positive=True)      # s = log(1/eps)

RHO_MAX = sp.sqrt(sp.pi / 8)
C1_TIGHT = 8 * RHO_MAX                  # = sqrt(8 pi) = 2 sqrt(2 pi)
C1_RECONSTRUCTED = 4 * sp.pi * RHO_MAX  # = pi sqrt(2 pi)
rho_expr = RHO_MAX * sp.erfc(_x / sp.sqrt(2))     # x >= 0; even in x
W_expr = _K * sp.log(sp.E * sp.pi / _K)            # 0 < K = C1 eps <= pi
series_expr = (2 * _q - _q ** 2) / (1 - _q) ** 2
EXPONENT = "1/(eps*log(1/eps))"

THEOREM_B_ID = "gap.lower.theorem_B"
MODEL = "u_i ~ N(0, I_d), v_i ~ U[-1, 1] i.i.d., output ReLU (Model B), target relu(<w, x>), ||w|| = 1"
# the parameter hypotheses of Theorem B as code (the claim gap.lower.theorem_B carries them);
# checked by every function below that reports a number backed by Theorem B
THEOREM_B_HYPOTHESES = (
    Hypothesis("d >= 2", ("d",), lambda d: d >= 2, integers=("d",)),
    Hypothesis("0 < eps < 1", ("eps",), lambda eps: 0 < eps < 1),
    Hypothesis("n >= 0 an integer", ("n",), lambda n: n >= 0, integers=("n",)),
    Hypothesis("0 < p_fail < 1", ("p_fail",), lambda p_fail: 0 < p_fail < 1),
)

STATEMENT = ("P(exists S: sup_B |sigma(sum_{i in S} v_i sigma(<u_i,x>)) - sigma(<w,x>)| <= eps) "
             "<= 2*n*asin(eps)/pi + (2*q - q**2)/(1 - q)**2,  q = n*W/pi < 1, "
             "W = C1*eps*log(E*pi/(C1*eps)), C1 = sqrt(8*pi), 0 < eps < 1, d >= 2")
COROLLARY = ("0 < eps <= 1/10 and n <= 1/(20*eps*log(1/eps)) imply q <= 0.130 (C1 = pi*sqrt(2*pi)) "
             "and P(no S reaches eps) >= 0.64")

CONSTANTS = [
    {"name": "model_B_rho_max", "expression": "sqrt(pi/8)",
     "description": "max density of c = v*||u||, v ~ U[-1,1], u ~ N(0, I_2) (attained at 0)", "source": "new"},
    {"name": "model_B_C1", "expression": "sqrt(8*pi)",
     "description": "Lemma 1 constant C1 = 8 rho_max (window length 8 eps/delta times rho_max)", "source": "new"},
    {"name": "model_B_C1_reconstructed", "expression": "pi*sqrt(2*pi)",
     "description": "looser Lemma 1 constant 4 pi rho_max used by the sketch's numeric corollary",
     "source": "reconstructed proof sketch of Theorem B (docs/neuron-lower-bound.md#b7-numeric-corollary)"},
    {"name": "model_B_corollary_q", "expression": "sqrt(2*pi)/20*(1 + (1 - log(sqrt(2*pi)))/log(10))",
     "description": "max of q over eps <= 1/10 at n = 1/(20 eps log(1/eps)) (certified <= 0.130)",
     "source": "new"},
]


# --------------------------------------------------------------------------- numerics
def _eps(value) -> Fraction:
    q = to_fraction(value, "eps")
    if not (0 < q < 1):
        raise InputError(f"eps must satisfy 0 < eps < 1, got {q}")
    return q


def _c1_ball(constant: str):
    pi = arith.arb.pi()
    if constant == "tight":
        return (8 * pi).sqrt()
    if constant == "reconstructed":
        return pi * (2 * pi).sqrt()
    raise InputError(f"constant must be 'tight' or 'reconstructed', got {constant!r}")


def W_ball(eps_, constant: str = "tight"):
    """Rigorous enclosure (or upper bound) of W = int_0^pi min(1, C1 eps/g) dg."""
    qe = _eps(eps_)
    pi = arith.arb.pi()
    K = _c1_ball(constant) * arith.ball(qe)
    if arith.compare3(K, "<=", pi) is Tri.TRUE:
        return K * (1 + (pi / K).log())
    return pi  # W <= pi always (the integrand is <= 1): a valid upper bound


def failure_terms(n, eps_, constant: str = "tight", *, d=2) -> dict:
    """The two terms of Theorem B's bound, as balls: kink = (2n/pi) arcsin eps, q, series F(q)."""
    require(THEOREM_B_HYPOTHESES, THEOREM_B_ID, d=d, eps=eps_, n=n)
    if isinstance(n, bool):
        raise InputError("n must be an integer")
    qn = to_fraction(n, "n")
    if qn < 0 or qn.denominator != 1:
        raise InputError(f"n must be a nonnegative integer, got {qn}")
    qe = _eps(eps_)
    pi = arith.arb.pi()
    nb = arith.ball(qn)
    kink = 2 * nb * arith.ball(qe).asin() / pi
    q = nb * W_ball(qe, constant) / pi
    series = None
    if arith.compare3(q, "<", 1) is Tri.TRUE:
        series = (2 * q - q * q) / ((1 - q) * (1 - q))
    return {"kink": kink, "q": q, "series": series}


def success_probability_upper(n, eps_, constant: str = "tight", *, d=2):
    """Rigorous upper bound (arb ball; use its upper end) on P(exists S: E(S) <= eps) in Model B
    (Theorem B), or 1 when the theorem says nothing (q >= 1 not excluded).  Outside Theorem B's
    hypotheses (d >= 2, 0 < eps < 1, integer n >= 0): HypothesisError."""
    t = failure_terms(n, eps_, constant, d=d)
    if to_fraction(n, "n") == 0:
        return arith.arb(0)   # only S = {} exists, with error 1 > eps
    if t["series"] is None:
        return arith.arb(1)
    return arith.amin(t["kink"] + t["series"], arith.arb(1))


def neuron_width_lower_bound(eps_, p_fail="1/2", *, d=2) -> dict:
    """The largest width n such that, by Theorem B (as proved, constant C1 = sqrt(8 pi)), every
    Model B network of width <= n fails -- no neuron subset reaches sup error <= eps -- with
    probability >= p_fail.  Certified: P(success) <= bound(n) is evaluated in ball arithmetic and
    bound(n) <= 1 - p_fail holds certainly; bound is increasing in n.

    Returns {"width", "exponent", "probability", "failure_probability_lower", "eps", "level", ...}."""
    if isinstance(eps_, float) and eps_ != eps_:
        raise InputError("eps is NaN")
    require(THEOREM_B_HYPOTHESES, THEOREM_B_ID, d=d, eps=eps_, p_fail=p_fail)
    qe = _eps(eps_)
    qp = to_fraction(p_fail, "p_fail")
    if not (0 < qp < 1):
        raise InputError(f"p_fail must satisfy 0 < p_fail < 1, got {qp}")
    budget = 1 - qp

    def ok(n: int) -> bool:
        return arith.compare3(success_probability_upper(n, qe), "<=", budget) is Tri.TRUE

    lo, hi = 0, 1                      # ok(lo) holds (n = 0 fails surely)
    while ok(hi):
        lo, hi = hi, hi * 2
        if hi > 2 ** 200:
            raise InputError("eps too small for the width search")
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid
    bound = success_probability_upper(lo, qe)
    # exact: 1 - (exact upper end of the ball), >= p_fail because bound <= 1 - p_fail was certified
    fail_lo = 1 - arith.upper_fraction(bound) if lo > 0 else Fraction(1)
    assert fail_lo >= qp
    return {
        "width": lo,
        "exponent": EXPONENT,
        "probability": fraction_to_decimal(qp, 12, rounding="down"),
        "failure_probability_lower": fraction_to_decimal(fail_lo, 6, rounding="down"),
        "eps": fraction_to_decimal(qe, 20),
        "constant_C1": "sqrt(8*pi)",
        "d": d,
        "model": MODEL,
        "level": THEOREM_B_ID,
        "claim": THEOREM_B_ID,
    }


# --------------------------------------------------------------------------- Lemma 2 (combinatorics)
def _w(delta: Fraction, K: Fraction) -> Fraction:
    return Fraction(1) if delta <= K else K / delta


def charge(gaps) -> tuple[list[Fraction], list[int]]:
    """For gaps g_0..g_k (>= 0) of the sorted cap kinks: delta_j = min(g_j, g_0 + ... + g_{j-1})
    (j = 1..k) and the greedy injective charging j -> l(j) with g_{l(j)} <= delta_j (the proof of
    Lemma 2).  Raises AssertionError if the invariant failed (it cannot, by the proof)."""
    gaps = [Fraction(x) for x in gaps]
    k = len(gaps) - 1
    deltas, assign, used = [], [], set()
    free = 0                       # the free gap among 0..j-1
    left = Fraction(0)             # kappa_j - a
    for j in range(1, k + 1):
        left += gaps[j - 1]
        d = min(gaps[j], left)
        deltas.append(d)
        if gaps[j] <= left:        # right-limited: charge the right gap j
            lj = j
        else:                      # left-limited: charge the free gap l < j
            lj = free
            free = j
        assert lj not in used and gaps[lj] <= d
        used.add(lj)
        assign.append(lj)
    return deltas, assign


def lemma2_sides(gaps, K) -> tuple[Fraction, Fraction]:
    """(prod_j w(delta_j), sum_{l*} prod_{l != l*} w(g_l)) exactly, w(t) = min(1, K/t)."""
    K = Fraction(K)
    deltas, _ = charge(gaps)
    lhs = Fraction(1)
    for d in deltas:
        lhs *= _w(d, K)
    ws = [_w(Fraction(g), K) for g in gaps]
    rhs = Fraction(0)
    for ls in range(len(ws)):
        p = Fraction(1)
        for l, wl in enumerate(ws):
            if l != ls:
                p *= wl
        rhs += p
    return lhs, rhs


# --------------------------------------------------------------------------- checks: lemmas
def check_slice() -> CheckResult:
    """For x = alpha w + beta z in P: <u, x> = alpha <u, w> + beta <u, z> (so the restricted unit is the
    2-D unit with weights (<u,w>, <u,z>)) and |x|^2 = alpha^2 + beta^2 for orthonormal w, z (so
    B^d cap P is the unit disc of the coordinates): exact, symbolic vectors in R^4."""
    with Timer() as tm:
        u = sp.Matrix(sp.symbols("u1:5", real=True))
        w = sp.Matrix(sp.symbols("w1:5", real=True))
        z = sp.Matrix(sp.symbols("z1:5", real=True))
        al, be = sp.symbols("alpha beta", real=True)
        x = al * w + be * z
        ww, wz, zz = sp.symbols("ww wz zz", real=True)
        norm2 = sp.expand(x.dot(x))
        norm2_gram = sp.expand(al ** 2 * w.dot(w) + 2 * al * be * w.dot(z) + be ** 2 * z.dot(z))
        facts = [("<u, al w + be z> = al <u,w> + be <u,z>", u.dot(x) - (al * u.dot(w) + be * u.dot(z))),
                 ("|x|^2 in the Gram entries", norm2 - norm2_gram),
                 ("Gram = I gives al^2 + be^2", (al ** 2 * ww + 2 * al * be * wz + be ** 2 * zz).subs(
                     {ww: 1, wz: 0, zz: 1}) - (al ** 2 + be ** 2))]
        res = identity_result(facts)
    res.seconds = tm.seconds
    return res


def check_cap() -> CheckResult:
    """Cap [a, b] = [-arccos eps, arccos eps]: cos = eps at both ends, b - a = pi - 2 arcsin eps < pi.
    (The step E(S) <= eps => |h - cos| <= eps on the cap is the case split in the docs.)"""
    with Timer() as tm:
        b_ = sp.acos(eps)
        facts = [("cos(b) = eps", sp.cos(b_) - eps), ("cos(-b) = eps", sp.cos(-b_) - eps),
                 ("b - a = pi - 2 asin eps", (2 * b_ - (sp.pi - 2 * sp.asin(eps))).rewrite(sp.asin))]
        res = identity_result(facts)
        # sigma case split, exactly: for h >= 0 sigma(h) = h; for h < 0, |sigma(h) - c| = c > eps
        hp, hn, c, e = sp.symbols("h_p h_n c e", positive=True)
        if not (sp.Max(hp, 0) == hp and sp.Max(-hn, 0) == 0):
            res = CheckResult(Level.UNKNOWN, "sympy", 0.0, "ReLU case split not evaluated")
        # asin(eps) > 0: asin(0) = 0 and asin' = (1 - x^2)^(-1/2) > 0 on [0, 1)
        x, y = sp.symbols("x y", positive=True)
        more = identity_result([("asin(0) = 0", sp.asin(0)),
                                ("asin' = (1 - x^2)^(-1/2)", sp.diff(sp.asin(x), x) - 1 / sp.sqrt(1 - x ** 2))])
        if more.level is not Level.PROVED or positivity_result([("y^(-1/2) > 0", 1 / sp.sqrt(y), "positive")]):
            res = CheckResult(Level.UNKNOWN, "sympy-sign", 0.0, "asin(eps) > 0 not established")
    res.seconds = tm.seconds
    return res


def check_cap_pointwise() -> CheckResult:
    """The pointwise step of the cap lemma, decided by z3 and cvc5 (prunecert.checks.decide.smt.prove_forall; both must
    say unsat): min(|h - c|, c) <= |sigma(h) - c| for h in [-10, 10], c in [0, 10].  Both sides are
    positively 1-homogeneous in (h, c), so it holds for all real h and c >= 0.  With c = cos(theta) > eps
    and |sigma(h) - c| <= eps < c, the minimum must be |h - c|, so |h - c| <= eps."""
    from prunecert.checks.decide.smt import prove_forall

    return prove_forall("Min(Abs(h - c), c)", "<=", "Abs(Max(h, 0) - c)",
                        {"h": ("-10", "10"), "c": ("0", "10")}, timeout=10.0)


def check_kinks() -> CheckResult:
    """P(unit has a cap kink) = (b - a)/pi = 1 - 2 asin(eps)/pi, and 2 asin(eps)/pi <= 2 eps/3 for
    0 < eps <= 1/2: asin is convex on [0, 1) (asin'' = x (1 - x^2)^(-3/2) > 0) with asin 0 = 0,
    asin(1/2) = pi/6, so asin x <= (pi/3) x on [0, 1/2]."""
    with Timer() as tm:
        x = sp.Symbol("x", positive=True)
        y = sp.Symbol("y", positive=True)
        facts = [
            ("(b - a)/pi = 1 - 2 asin(eps)/pi", ((2 * sp.acos(eps)) / sp.pi - (1 - 2 * sp.asin(eps) / sp.pi)).rewrite(sp.asin)),
            ("asin(1/2) = pi/6", sp.asin(sp.Rational(1, 2)) - sp.pi / 6),
            ("asin(0) = 0", sp.asin(0)),
            ("asin'' = x (1 - x^2)^(-3/2)", sp.diff(sp.asin(x), x, 2) - x / (1 - x ** 2) ** sp.Rational(3, 2)),
            ("chord: (pi/3)(1/2) = pi/6 and 2/pi * pi/3 = 2/3", sp.Rational(2) / sp.pi * sp.pi / 3 - sp.Rational(2, 3)),
        ]
        res = identity_result(facts)
        bad = positivity_result([("x y^(-3/2) > 0", x / y ** sp.Rational(3, 2), "positive")])
        if bad:
            res = CheckResult(Level.UNKNOWN, "sympy-sign", 0.0, ", ".join(bad))
    res.seconds = tm.seconds
    return res


def check_density() -> CheckResult:
    """Polar Jacobian r (so R = ||u|| has density r e^{-r^2/2} independent of the uniform angle);
    the product c = v R has density rho(x) = int_0^oo f_R(r) f_V(x/r) / r dr = (1/2) int_|x|^oo
    e^{-r^2/2} dr = sqrt(pi/8) erfc(|x|/sqrt 2); it integrates to 1, rho(0) = sqrt(pi/8) and
    rho' = -e^{-x^2/2}/2 < 0 on x > 0, so rho <= sqrt(pi/8) (rho is even)."""
    with Timer() as tm:
        th = sp.Symbol("theta", real=True)
        J = sp.Matrix([_r * sp.cos(th), _r * sp.sin(th)]).jacobian(sp.Matrix([_r, th])).det()
        gauss2 = sp.exp(-(_r ** 2 * sp.cos(th) ** 2 + _r ** 2 * sp.sin(th) ** 2) / 2) / (2 * sp.pi)
        f_R = _r * sp.exp(-_r ** 2 / 2)
        # product density: f_V(x/r) = 1/2 exactly when r >= |x| (x > 0 here; rho is even), so
        # rho(x) = int_x^oo f_R(r) (1/2) / r dr = (1/2) int_x^oo e^{-r^2/2} dr.  The closed form is
        # certified by the fundamental theorem of calculus: same derivative, both -> 0 at oo.
        integrand = sp.simplify(f_R * sp.Rational(1, 2) / _r)
        cv = sp.Symbol("c", real=True)
        Jp = sp.Matrix([cv / _r, _r]).jacobian(sp.Matrix([cv, _r])).det()   # (c, r) -> (v, r)
        facts = [
            ("polar Jacobian = r", J - _r),
            ("joint density of (R, Theta) = f_R(r) * 1/(2 pi)", gauss2 * J - f_R / (2 * sp.pi)),
            ("int f_R = 1", sp.integrate(f_R, (_r, 0, sp.oo)) - 1),
            ("|d(v,r)/d(c,r)| = 1/r", Jp - 1 / _r),
            ("f_R(r) f_V / r = e^{-r^2/2}/2", integrand - sp.exp(-_r ** 2 / 2) / 2),
            ("d/dx closed form = -(integrand at x)", sp.diff(rho_expr, _x) + integrand.subs(_r, _x)),
            ("closed form -> 0 at oo", sp.limit(rho_expr, _x, sp.oo)),
            ("int rho over R = 1", 2 * sp.integrate(rho_expr, (_x, 0, sp.oo)) - 1),
            ("rho(0) = sqrt(pi/8)", rho_expr.subs(_x, 0) - RHO_MAX),
        ]
        res = identity_result(facts, method="sympy-integral")
        with arith.workprec(64):
            rm = (arith.arb.pi() / 8).sqrt()
            if arith.compare3(rm, "<=", Fraction(6267, 10000)) is not Tri.TRUE:
                res = CheckResult(Level.UNKNOWN, "arb", 0.0, "rho_max <= 0.6267 not certified")
            else:
                res.data["rho_max"] = arith.certified_decimal(rm, 15)
    res.seconds = tm.seconds
    return res


def _D(fun, m, dl):
    return fun(m - dl) + fun(m + dl) - 2 * sp.cos(dl) * fun(m)


def check_kernel() -> CheckResult:
    """D_delta kills A cos + B sin; a unit sigma(cos(theta - phi)) equals sigma(sin(theta - kappa))
    plus (0 or) a linear term; D_delta sigma(sin(. - kappa))(m) = (sin(delta - |m - kappa|))_+ in each
    of the four cases of x = m - kappa (|x| + delta < pi): exact identities."""
    with Timer() as tm:
        A, B, m, phi, th = sp.symbols("A B m phi theta", real=True)
        dl, xx, sp_, sn = sp.symbols("delta x s_p s_n", positive=True)
        facts = [
            ("D[A cos + B sin] = 0", _D(lambda t: A * sp.cos(t) + B * sp.sin(t), m, dl)),
            ("cos(th - phi) = sin(th - (phi - pi/2))", sp.cos(th - phi) - sp.sin(th - (phi - sp.pi / 2))),
            ("cos(th - phi) = -sin(th - (phi + pi/2))", sp.cos(th - phi) + sp.sin(th - (phi + sp.pi / 2))),
            # x >= delta: all three points right of the kink (sigma = sin there): D = 0
            ("case x >= delta: sin(x-d) + sin(x+d) - 2 cos d sin x = 0",
             sp.sin(xx - dl) + sp.sin(xx + dl) - 2 * sp.cos(dl) * sp.sin(xx)),
            # 0 <= x < delta: the left point is past the kink (value 0)
            ("case 0 <= x < delta: sin(x+d) - 2 cos d sin x = sin(d - x)",
             sp.sin(xx + dl) - 2 * sp.cos(dl) * sp.sin(xx) - sp.sin(dl - xx)),
            # D of the triangle window constraint constant: eps + eps + 2 cos(delta) eps
            ("|D e| <= 2(1 + cos delta) eps", (eps + eps + 2 * sp.cos(dl) * eps) - 2 * (1 + sp.cos(dl)) * eps),
        ]
        res = identity_result(facts, extra="the sign conditions of each case and the cases -delta < x < 0, "
                                            "x <= -delta are written argument (prose_steps of gap.lower.B_kernel)")
    res.seconds = tm.seconds
    return res


def check_window() -> CheckResult:
    """{c : |c sin d + K| <= 2(1 + cos d) eps} has length 4(1 + cos d) eps / sin d = 4 eps cot(d/2);
    tan h >= h on [0, pi/2) (h(0) = 0, (tan h - h)' = tan^2 h >= 0), so cot(d/2) <= 2/d and the
    length is <= 8 eps / d; times rho_max: C1 eps / d with C1 = 8 sqrt(pi/8) = sqrt(8 pi); and
    4 pi rho_max >= 8 rho_max (so the reconstructed C1 = pi sqrt(2 pi) is valid, looser)."""
    with Timer() as tm:
        h = sp.Symbol("h", positive=True)           # d = 2h
        Kc = sp.Symbol("K", real=True)
        sd = sp.sin(2 * h)
        T = 2 * (1 + sp.cos(2 * h)) * eps
        lo_end, hi_end = (-T - Kc) / sd, (T - Kc) / sd
        facts = [
            ("interval length = 2T/sin d", (hi_end - lo_end) - 2 * T / sd),
            ("4(1 + cos 2h) eps / sin 2h = 4 eps cot h",
             sp.expand_trig(4 * (1 + sp.cos(2 * h)) * eps / sp.sin(2 * h)) - 4 * eps * sp.cos(h) / sp.sin(h)),
            ("(tan h - h)' = tan^2 h", sp.diff(sp.tan(h) - h, h) - sp.tan(h) ** 2),
            ("tan 0 - 0 = 0", sp.tan(0)),
            ("8 rho_max = sqrt(8 pi)", 8 * RHO_MAX - sp.sqrt(8 * sp.pi)),
            ("4 pi rho_max = pi sqrt(2 pi)", 4 * sp.pi * RHO_MAX - sp.pi * sp.sqrt(2 * sp.pi)),
        ]
        res = identity_result(facts)
        if positivity_result([("4 pi - 8 >= 0", 4 * sp.pi - 8, "positive")]):
            res = CheckResult(Level.UNKNOWN, "sympy-sign", 0.0, "4 pi > 8 not established")
    res.seconds = tm.seconds
    return res


def check_lemma1_chain() -> CheckResult:
    """Lemma 1's probability step on exact data: for a density bounded by rho_max, an interval of
    length L has mass <= min(1, rho_max L).  Leaf: the window length times rho_max equals
    C1 eps / delta exactly at L = 8 eps / delta."""
    with Timer() as tm:
        dl = sp.Symbol("delta", positive=True)
        res = identity_result([("rho_max * 8 eps / delta = C1 eps / delta", RHO_MAX * 8 * eps / dl - C1_TIGHT * eps / dl)])
    res.seconds = tm.seconds
    return res


def check_lemma2_w() -> CheckResult:
    """w(t) = min(1, K/t) (K = C1 eps > 0) is nonincreasing with values in (0, 1]: d/dt (K/t) =
    -K/t^2 < 0, and w = 1 for t <= K.  With w nonincreasing, w(min(x, y)) = max(w(x), w(y)) and the
    charging of docs/neuron-lower-bound.md#b6-lemma-2-charging gives the inequality."""
    with Timer() as tm:
        t_ = sp.Symbol("t", positive=True)
        res = identity_result([("d/dt (K/t) = -K/t^2", sp.diff(_K / t_, t_) + _K / t_ ** 2)])
        if positivity_result([("-K/t^2 < 0", -_K / t_ ** 2, "negative"), ("K/t > 0", _K / t_, "positive")]):
            res = CheckResult(Level.UNKNOWN, "sympy-sign", 0.0, "sign not established")
    res.seconds = tm.seconds
    return res


def check_lemma2_exhaustive(total: int = 10, max_k: int = 6, random_cases: int = 300,
                            seed: int = 20260405) -> CheckResult:
    """CHECKED corroboration of Lemma 2, exact rationals: every composition of `total` into k+1
    positive integer gaps (k = 1..max_k) and K in {1/2, 2, 3, 7/2}, plus random rational gaps (with
    zeros allowed); for each, the greedy charging is injective with g_{l(j)} <= delta_j, and
    prod_j w(delta_j) <= sum_{l*} prod_{l != l*} w(g_l)."""
    rng = random.Random(seed)
    cases = 0
    with Timer() as tm:
        Ks = [Fraction(1, 2), Fraction(2), Fraction(3), Fraction(7, 2)]
        for k in range(1, max_k + 1):
            for cuts in itertools.combinations(range(1, total), k):
                pts = (0,) + cuts + (total,)
                gaps = [Fraction(pts[i + 1] - pts[i]) for i in range(k + 1)]
                for K in Ks:
                    lhs, rhs = lemma2_sides(gaps, K)
                    cases += 1
                    if lhs > rhs:
                        return CheckResult(Level.REFUTED, "exact-rational", tm.seconds, "Lemma 2 fails",
                                           witness={"gaps": [str(g) for g in gaps], "K": str(K)})
        for _ in range(random_cases):
            k = rng.randint(1, 9)
            gaps = [Fraction(rng.choice([0, rng.randint(1, 1000)]), rng.randint(1, 300)) for _ in range(k + 1)]
            K = Fraction(rng.randint(1, 500), rng.randint(1, 300))
            lhs, rhs = lemma2_sides(gaps, K)
            cases += 1
            if lhs > rhs:
                return CheckResult(Level.REFUTED, "exact-rational", tm.seconds, "Lemma 2 fails",
                                   witness={"gaps": [str(g) for g in gaps], "K": str(K)})
    return CheckResult(Level.CHECKED, "exact-rational", tm.seconds,
                       f"{cases} exact instances (compositions of {total}, k <= {max_k}, and random)",
                       data={"cases": cases, "seed": seed})


def _prove_second_route(lhs: str, op: str, rhs: str, box: dict) -> CheckResult:
    from prunecert.checks.inequality.prover import prove   # the package's branch-and-bound prover (independent of sympy)

    return prove(lhs, op, rhs, box, timeout=10.0).to_check_result()


def check_prover_window() -> CheckResult:
    """Second route (arb branch-and-bound prover) for the window bound: 2 sin d - d (1 + cos d) >= 0 on
    [0, 1.5708] (i.e. 4 eps (1 + cos d)/sin d <= 8 eps/d for 0 < d < pi/2)."""
    return _prove_second_route("2*sin(d) - d*(1 + cos(d))", ">=", "0", {"d": ("0", "1.5708")})


def check_prover_asin() -> CheckResult:
    """Second route for B2: asin(x) <= pi x / 3 on [0, 1/2]."""
    return _prove_second_route("asin(x)", "<=", "pi*x/3", {"x": ("0", "1/2")})


# --------------------------------------------------------------------------- checks: theorem
def check_W_integral() -> CheckResult:
    """int_0^pi min(1, K/g) dg = int_0^K 1 dg + int_K^pi K/g dg = K log(e pi / K) for 0 < K <= pi."""
    with Timer() as tm:
        W = sp.integrate(1, (_g, 0, _K)) + sp.integrate(_K / _g, (_g, _K, sp.pi))
        res = identity_result([("W = K log(e pi/K)", sp.expand_log(W - W_expr, force=True))],
                              method="sympy-integral")
    res.seconds = tm.seconds
    return res


def check_series() -> CheckResult:
    """sum_{k>=1} (k+1) q^k = (2q - q^2)/(1 - q)^2 for 0 < q < 1 (sympy summation; the result is
    the q < 1 branch of its Piecewise), and F'(q) = 2/(1 - q)^3 > 0 (F increasing on [0, 1))."""
    with Timer() as tm:
        k = sp.Symbol("k", integer=True, positive=True)
        S = sp.summation((k + 1) * _q ** k, (k, 1, sp.oo))
        conds_ok = all(p.args[0][1] == (_q < 1) for p in S.atoms(sp.Piecewise))
        S1 = S.replace(lambda e: isinstance(e, sp.Piecewise), lambda e: e.args[0][0])
        res = identity_result([("series = (2q - q^2)/(1-q)^2", S1 - series_expr),
                               ("F' = 2/(1-q)^3", sp.diff(series_expr, _q) - 2 / (1 - _q) ** 3)],
                              method="sympy-summation")
        if not conds_ok:
            res = CheckResult(Level.UNKNOWN, "sympy-summation", 0.0, "unexpected convergence condition")
    res.seconds = tm.seconds
    return res


def check_jacobian_small_k(max_k: int = 6) -> CheckResult:
    """CHECKED corroboration: for k <= max_k and every l*, the linear map from sorted kinks
    (kappa_1..kappa_k) to the gaps (g_l)_{l != l*} has determinant +-1 (the general-k argument,
    a unit-triangular inverse, is in the docs)."""
    with Timer() as tm:
        a_, b_ = sp.symbols("a b", real=True)
        for k in range(1, max_k + 1):
            kap = sp.symbols(f"kappa1:{k + 1}", real=True)
            pts = [a_] + list(kap) + [b_]
            gaps = [pts[i + 1] - pts[i] for i in range(k + 1)]
            for ls in range(k + 1):
                G = sp.Matrix([gaps[l] for l in range(k + 1) if l != ls])
                det = G.jacobian(sp.Matrix(kap)).det()
                if abs(det) != 1:
                    return CheckResult(Level.REFUTED, "sympy", tm.seconds, f"det {det} at k={k}, l*={ls}")
    return CheckResult(Level.CHECKED, "sympy-exact", tm.seconds, f"|det| = 1 for k <= {max_k}, all l*")


def check_corollary_reparam() -> CheckResult:
    """With eps = e^{-s}, n = N = e^s/(20 s) and C1 = pi sqrt(2 pi): q = N W/pi equals
    (sqrt(2 pi)/20)(1 + (1 - log sqrt(2 pi))/s), and d/ds of it is -(sqrt(2 pi)/20)(1 - log sqrt(2 pi))/s^2;
    the kink term (2N/pi) asin(eps) <= 2 N eps / 3 = 1/(30 s)."""
    with Timer() as tm:
        c = sp.sqrt(2 * sp.pi)
        e_ = sp.exp(-_s)
        N = sp.exp(_s) / (20 * _s)
        K = C1_RECONSTRUCTED * e_
        q = N * W_expr.subs(_K, K) / sp.pi
        qs = c / 20 * (1 + (1 - sp.log(c)) / _s)
        facts = [("q(s) closed form", sp.expand_log(sp.expand(q - qs), force=True)),
                 ("dq/ds", sp.diff(qs, _s) + c / 20 * (1 - sp.log(c)) / _s ** 2),
                 ("2 N eps / 3 = 1/(30 s)", 2 * N * e_ / 3 - 1 / (30 * _s))]
        res = identity_result(facts)
    res.seconds = tm.seconds
    return res


def check_corollary_numbers() -> CheckResult:
    """Ball arithmetic: 1 - log sqrt(2 pi) > 0 (q decreasing in s, so max at s = log 10, i.e.
    eps = 1/10); q(log 10) <= 0.130; C1 * (1/10) <= pi (W's closed form applies for eps <= 1/10);
    F(0.130) + 1/(30 log 10) <= 0.36, so P(success) <= 0.36 and P(failure) >= 0.64."""
    with Timer() as tm, arith.workprec(128):
        pi = arith.arb.pi()
        c = (2 * pi).sqrt()
        l10 = arith.arb(10).log()
        c0 = 1 - c.log()
        qmax = c / 20 * (1 + c0 / l10)
        q13 = arith.ball(Fraction(13, 100))
        F = (2 * q13 - q13 * q13) / ((1 - q13) * (1 - q13))
        total = F + 1 / (30 * l10)
        checks = [("1 - log sqrt(2 pi) > 0", c0, ">", 0),
                  ("q(log 10) <= 0.130", qmax, "<=", Fraction(13, 100)),
                  ("C1_rec / 10 <= pi", pi * c / 10, "<=", pi),
                  ("F(0.13) + 1/(30 log 10) <= 0.36", total, "<=", Fraction(36, 100))]
        bad = [nm for nm, x, op, y in checks if arith.compare3(x, op, y) is not Tri.TRUE]
        data = {"q_max": arith.certified_decimal(qmax, 10), "F(0.13)": arith.certified_decimal(F, 10),
                "success_upper": arith.certified_decimal(total, 10)}
    if bad:
        return CheckResult(Level.UNKNOWN, "arb", tm.seconds, "not certified: " + ", ".join(bad), data=data)
    return CheckResult(Level.PROVED, "arb", tm.seconds, "4 ball inequalities certified", data=data)


def check_corollary_content_range() -> CheckResult:
    """Where the corollary has content: n <= 1/(20 eps log(1/eps)) admits n >= 1 iff eps log(1/eps) <= 1/20.
    f(x) = x log(1/x) has f' = log(1/x) - 1 > 0 on (0, 1/e) (sympy), 1/10 < 1/e, and (ball arithmetic)
    f(0.01111) < 1/20 < f(0.01112): so the hypothesis admits n >= 1 exactly for eps <= eps_c with
    0.01111 < eps_c < 0.01112, and only n = 0 on (eps_c, 1/10]."""
    with Timer() as tm:
        x = sp.Symbol("x", positive=True)
        f = x * sp.log(1 / x)
        ok_d = sp.simplify(sp.expand_log(sp.diff(f, x) - (sp.log(1 / x) - 1), force=True)) == 0
        with arith.workprec(96):
            def fb(q):
                b = arith.ball(q)
                return b * (1 / b).log()
            lo = arith.compare3(fb(Fraction(1111, 100000)), "<", Fraction(1, 20))
            hi = arith.compare3(fb(Fraction(1112, 100000)), ">", Fraction(1, 20))
            e_inv = arith.compare3(arith.arb(1).exp(), "<", 10)       # 1/10 < 1/e
    ok = ok_d and lo is Tri.TRUE and hi is Tri.TRUE and e_inv is Tri.TRUE
    return CheckResult(Level.PROVED if ok else Level.UNKNOWN, "sympy+arb", tm.seconds,
                       "content exactly for eps <= eps_c, 0.01111 < eps_c < 0.01112" if ok else "not certified")


def check_corollary_spot() -> CheckResult:
    """Corroboration: the full Theorem B bound (C1 = pi sqrt(2 pi)) at n = floor(1/(20 eps log(1/eps)))
    for eps in {1/10, 10^-2, ..., 10^-12, 10^-30} is <= 0.36 (ball arithmetic)."""
    rows = []
    with Timer() as tm, arith.workprec(128):
        for k in [1, 2, 3, 4, 6, 9, 12, 30]:
            qe = Fraction(1, 10 ** k)
            Nb = 1 / (20 * arith.ball(qe) * arith.ball(Fraction(10 ** k)).log())
            N = int(arith.lower_fraction(Nb))  # floor of a lower bound: <= the true bound on n
            N = max(N, 0)
            U = success_probability_upper(N, qe, constant="reconstructed") if N > 0 else arith.arb(0)
            ok = arith.compare3(U, "<=", Fraction(36, 100))
            rows.append({"eps": f"1e-{k}", "n": N, "success_upper": arith.certified_decimal(U, 6) if N else "0"})
            if ok is not Tri.TRUE:
                return CheckResult(Level.REFUTED if ok is Tri.FALSE else Level.UNKNOWN, "arb", tm.seconds,
                                   f"bound not <= 0.36 at eps = 1e-{k}", data={"rows": rows})
    return CheckResult(Level.CHECKED, "arb", tm.seconds, f"{len(rows)} values of eps", data={"rows": rows})


def width_table(eps_values=("1/10", "1/100", "1/1000", "1/10000", "1/100000", "1/1000000"),
                p_fail_values=("1/2", "9/10")) -> str:
    """Markdown table of certified widths (run ``python -m prunecert.bounds.gap.model_b``)."""
    lines = ["| eps | " + " | ".join(f"width with P(fail) >= {p}" for p in p_fail_values)
             + " | 1/(20 eps log(1/eps)) |", "|---|" + "---|" * (len(p_fail_values) + 1)]
    for e in eps_values:
        qe = to_fraction(e)
        cells = []
        for p in p_fail_values:
            r = neuron_width_lower_bound(qe, p)
            cells.append(f"{r['width']} (P(fail) >= {r['failure_probability_lower']})")
        with arith.workprec(64):
            ref = 1 / (20 * arith.ball(qe) * (1 / arith.ball(qe)).log())
        lines.append(f"| {e} | " + " | ".join(cells) + f" | {arith.certified_decimal(ref, 4)} |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(width_table())
