"""The chord lemma K1: best affine approximation of the ReLU on an interval.

Statement (reconstructed for this project, proved here; written proof in docs/neuron-lower-bound.md#k1-chord-lemma).
For a, b > 0,

    min_{alpha, beta in R}  max_{t in [-a, b]} |sigma(t) - alpha*t - beta|  =  a*b / (2*(a + b)),

where sigma(t) = max(t, 0).  Both directions are certified with exact sympy identities:

* attained: alpha* = b/(a+b), beta* = ab/(2(a+b)) gives residuals +h, -h, +h at t = -a, 0, b
  (h = ab/(2(a+b))); the residual is affine on [-a, 0] and on [0, b], so |r| <= h there;
* lower bound for every (alpha, beta): with weights lambda = (b/(2(a+b)), 1/2, a/(2(a+b)))
  (positive, summing to 1), lambda_1 r(-a) - lambda_2 r(0) + lambda_3 r(b) = h identically in
  alpha and beta, so max(|r(-a)|, |r(0)|, |r(b)|) >= h.

The helpers :func:`identity_result` / :func:`positivity_result` turn a list of sympy facts into
a :class:`prunecert.checks.result.CheckResult`; the other modules of the lower-bound proof use them too.
"""
from __future__ import annotations

import random
from fractions import Fraction
from typing import Iterable, Sequence

import sympy as sp

from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level
from prunecert.checks.rigorous.numbers import to_fraction
from prunecert.checks.result import CheckResult, Timer

__all__ = [
    "a", "b", "t", "alpha", "beta", "STATEMENT", "value", "value_expr", "optimal_line",
    "three_point_weights", "residual", "identity_result", "positivity_result",
    "check_attained", "check_lower_bound", "check_spot_rational",
]

a, b = sp.symbols("a b", positive=True)
t, alpha, beta = sp.symbols("t alpha beta", real=True)

#: sympy form of the statement (the min-max value as a function of a, b)
STATEMENT = "Min(alpha, beta, Max(t in [-a, b], Abs(Max(t, 0) - alpha*t - beta))) = a*b/(2*(a + b)),  a > 0, b > 0"

value_expr = a * b / (2 * (a + b))


def _pos(x, what: str) -> Fraction:
    q = to_fraction(x, what)
    if q <= 0:
        raise InputError(f"{what} must be > 0, got {q}")
    return q


def value(a_, b_) -> Fraction:
    """The exact min-max value ab/(2(a+b)) for rational a, b > 0."""
    qa, qb = _pos(a_, "a"), _pos(b_, "b")
    return qa * qb / (2 * (qa + qb))


def optimal_line(a_, b_) -> tuple[Fraction, Fraction]:
    """(alpha*, beta*) attaining the minimum, exactly: the chord slope and half the chord gap."""
    qa, qb = _pos(a_, "a"), _pos(b_, "b")
    return qb / (qa + qb), qa * qb / (2 * (qa + qb))


def three_point_weights(a_, b_) -> tuple[Fraction, Fraction, Fraction]:
    """Weights (l1, l2, l3) with l1*r(-a) - l2*r(0) + l3*r(b) = ab/(2(a+b)) for every line."""
    qa, qb = _pos(a_, "a"), _pos(b_, "b")
    return qb / (2 * (qa + qb)), Fraction(1, 2), qa / (2 * (qa + qb))


def residual(tt, alpha_, beta_):
    """sigma(t) - alpha t - beta, exactly (Fractions in, Fraction out)."""
    tt = Fraction(tt)
    return max(tt, Fraction(0)) - Fraction(alpha_) * tt - Fraction(beta_)


# --------------------------------------------------------------------------- helpers
def _zero(expr) -> bool:
    """True only if sympy transforms expr to 0 (False means 'not shown', never 'nonzero')."""
    e = sp.sympify(expr)
    if sp.expand(e) == 0:
        return True
    if sp.trigsimp(sp.expand(e)) == 0:
        return True
    e = sp.simplify(sp.expand_trig(e))
    if e == 0:
        return True
    return sp.simplify(sp.trigsimp(sp.expand(e))) == 0


def identity_result(facts: Sequence[tuple[str, object]], method: str = "sympy-identity",
                    seconds: float = 0.0, extra: str = "") -> CheckResult:
    """PROVED if sympy reduces every expression in ``facts`` (name, expr) to 0, else UNKNOWN
    (sympy failing to simplify is not a refutation)."""
    failed = [name for name, e in facts if not _zero(e)]
    if failed:
        return CheckResult(Level.UNKNOWN, method, seconds, "sympy did not reduce to 0: " + ", ".join(failed))
    return CheckResult(Level.PROVED, method, seconds,
                       f"{len(facts)} identities reduce to 0 exactly" + (f"; {extra}" if extra else ""),
                       data={"identities": [name for name, _ in facts]})


def positivity_result(facts: Iterable[tuple[str, object, str]], method: str = "sympy-sign") -> list[str]:
    """Names of facts (name, expr, 'positive'|'nonnegative'|'negative'|'nonpositive') that sympy
    could NOT establish from the symbols' assumptions."""
    bad = []
    for name, e, kind in facts:
        e = sp.simplify(sp.sympify(e))
        ok = {"positive": e.is_positive, "nonnegative": e.is_nonnegative,
              "negative": e.is_negative, "nonpositive": e.is_nonpositive}[kind]
        if ok is not True:
            bad.append(name)
    return bad


# --------------------------------------------------------------------------- checks
def _r(tt):
    return sp.Max(tt, 0) - alpha * tt - beta


def check_attained() -> CheckResult:
    """The explicit line has residuals +h, -h, +h at -a, 0, b and is affine on each piece."""
    with Timer() as tm:
        h = value_expr
        al, be = b / (a + b), a * b / (2 * (a + b))
        r_left = -al * t - be            # sigma = 0 on [-a, 0]
        r_right = (1 - al) * t - be      # sigma = t on [0, b]
        facts = [
            ("r(-a) = h", r_left.subs(t, -a) - h),
            ("r(0) = -h", r_left.subs(t, 0) + h),
            ("right piece r(0) = -h (continuity)", r_right.subs(t, 0) + h),
            ("r(b) = h", r_right.subs(t, b) - h),
            ("r affine on [-a,0]", sp.diff(r_left, t, 2)),
            ("r affine on [0,b]", sp.diff(r_right, t, 2)),
        ]
        res = identity_result(facts)
    res.seconds = tm.seconds
    return res


def check_lower_bound() -> CheckResult:
    """The three-point combination cancels alpha and beta for every line: an exact identity."""
    with Timer() as tm:
        h = value_expr
        l1, l2, l3 = b / (2 * (a + b)), sp.Rational(1, 2), a / (2 * (a + b))
        comb = l1 * _r(-a) - l2 * _r(sp.Integer(0)) + l3 * _r(b)
        comb = comb.subs({sp.Max(-a, 0): 0, sp.Max(b, 0): b, sp.Max(0, 0): 0})
        facts = [
            ("l1*r(-a) - l2*r(0) + l3*r(b) = h for all alpha, beta", comb - h),
            ("l1 + l2 + l3 = 1", l1 + l2 + l3 - 1),
        ]
        res = identity_result(facts)
        bad = positivity_result([("l1 > 0", l1, "positive"), ("l3 > 0", l3, "positive")])
        if bad:
            res = CheckResult(Level.UNKNOWN, "sympy-sign", 0.0, "sign not established: " + ", ".join(bad))
    res.seconds = tm.seconds
    return res


def check_spot_rational(samples: int = 300, seed: int = 20260401) -> CheckResult:
    """Exact rational spot checks (CHECKED on the stated sample): random a, b, alpha, beta.

    * for random lines, max over {-a, 0, b} of |r| >= h (exact);
    * for the optimal line, |r| <= h at 41 rational grid points and = h at the three nodes."""
    rng = random.Random(seed)
    with Timer() as tm:
        for _ in range(samples):
            qa = Fraction(rng.randint(1, 400), rng.randint(1, 100))
            qb = Fraction(rng.randint(1, 400), rng.randint(1, 100))
            h = value(qa, qb)
            al = Fraction(rng.randint(-300, 300), rng.randint(1, 100))
            be = Fraction(rng.randint(-300, 300), rng.randint(1, 100))
            m = max(abs(residual(x, al, be)) for x in (-qa, 0, qb))
            if m < h:
                return CheckResult(Level.REFUTED, "exact-rational", tm.seconds,
                                   "a line beats ab/(2(a+b))",
                                   witness={"a": str(qa), "b": str(qb), "alpha": str(al), "beta": str(be)})
            al, be = optimal_line(qa, qb)
            grid = [-qa + (qa + qb) * Fraction(i, 40) for i in range(41)] + [Fraction(0)]
            vals = [abs(residual(x, al, be)) for x in grid]
            if max(vals) != h:
                return CheckResult(Level.REFUTED, "exact-rational", tm.seconds,
                                   "optimal line does not equioscillate",
                                   witness={"a": str(qa), "b": str(qb)})
    return CheckResult(Level.CHECKED, "exact-rational", tm.seconds,
                       f"{samples} random (a, b, alpha, beta) rational instances, exact",
                       data={"samples": samples, "seed": seed})
