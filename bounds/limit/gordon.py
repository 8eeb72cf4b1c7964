"""Gordon's constant a_m = E||g||, g ~ N(0, I_m):  a_m = sqrt(2) Gamma((m+1)/2) / Gamma(m/2),
and the bounds  m / sqrt(m+1) <= a_m <= sqrt(m)  for every integer m >= 1.

Proof (written in docs/fundamental-limit.md#gordon-am-bounds; each step is a check below):

G1 (identity)  a_m a_{m+1} = m                       [sympy gammasimp, m symbolic]
G2 (Cauchy-Schwarz for Gamma)  Gamma(x+1/2)^2 <= Gamma(x) Gamma(x+1) for every real x > 0:
    Q(s) = int_0^oo t^(x-1) e^(-t) (1 + s sqrt t)^2 dt >= 0 for all real s (nonnegative integrand),
    and Q(s) = Gamma(x) + 2 s Gamma(x+1/2) + s^2 Gamma(x+1)          [sympy integrate, x, s symbolic]
    At s = -B/C (B = Gamma(x+1/2), C = Gamma(x+1) > 0): Q = (A C - B^2)/C  [sympy identity],
    so B^2 <= A C.
G3 (upper)  a_m^2 = 2 Gamma((m+1)/2)^2 / Gamma(m/2)^2 <= 2 Gamma(m/2+1)/Gamma(m/2) = m
    (G2 at x = m/2; the last equality is sympy gammasimp).
G4 (lower)  a_m = m / a_{m+1} (G1) >= m / sqrt(m+1) (G3 at m+1), since a_{m+1} > 0.
"""
from __future__ import annotations

import time
from fractions import Fraction

from flint import arb, fmpq

from prunecert.checks.rigorous.arith import workprec
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level
from prunecert.checks.result import CheckResult

__all__ = ["a_m", "a_m_expr", "check_identity", "check_gamma_cauchy_schwarz", "check_upper_reduction",
           "check_lower_reduction", "check_range", "CONSTANTS"]


def a_m_expr(m):
    import sympy as sp

    return sp.sqrt(2) * sp.gamma((m + 1) / sp.Integer(2)) / sp.gamma(m / sp.Integer(2))


def a_m(m: int) -> arb:
    """a_m as a ball at the current precision."""
    if isinstance(m, bool) or not isinstance(m, int) or m < 1:
        raise InputError(f"m must be a positive integer, got {m!r}")
    return arb(2).sqrt() * arb(fmpq(m + 1, 2)).gamma() / arb(fmpq(m, 2)).gamma()


def _symbols():
    import sympy as sp

    m = sp.Symbol("m", positive=True, integer=True)
    x = sp.Symbol("x", positive=True)
    s = sp.Symbol("s", real=True)
    t = sp.Symbol("t", positive=True)
    return sp, m, x, s, t


def check_identity() -> CheckResult:
    """G1: a_m a_{m+1} - m simplifies to 0 for symbolic positive integer m."""
    t0 = time.perf_counter()
    sp, m, *_ = _symbols()
    diff = sp.gammasimp(a_m_expr(m) * a_m_expr(m + 1) - m)
    ok = diff == 0
    return CheckResult(Level.PROVED if ok else Level.UNKNOWN, "sympy-gammasimp", time.perf_counter() - t0,
                       "a_m a_(m+1) = m" if ok else f"residual {diff}")


def check_gamma_cauchy_schwarz() -> CheckResult:
    """G2: the integral identity for Q(s) and the discriminant identity."""
    t0 = time.perf_counter()
    sp, _, x, s, t = _symbols()
    A, B, C = sp.gamma(x), sp.gamma(x + sp.Rational(1, 2)), sp.gamma(x + 1)
    Q = sp.integrate(t ** (x - 1) * sp.exp(-t) * (1 + s * sp.sqrt(t)) ** 2, (t, 0, sp.oo))
    r1 = sp.simplify(sp.gammasimp(Q - (A + 2 * s * B + s**2 * C)))
    a, b, c = sp.symbols("A B C", positive=True)
    q = a + 2 * s * b + s**2 * c
    r2 = sp.simplify(q.subs(s, -b / c) - (a * c - b**2) / c)
    # nonnegativity of the integrand: t^(x-1) e^(-t) > 0 and a square
    integrand_ok = (t ** (x - 1) * sp.exp(-t)).is_positive is True and ((1 + s * sp.sqrt(t)) ** 2).is_nonnegative is True
    ok = r1 == 0 and r2 == 0 and integrand_ok
    return CheckResult(Level.PROVED if ok else Level.UNKNOWN, "sympy-integrate+identity", time.perf_counter() - t0,
                       "Gamma(x+1/2)^2 <= Gamma(x)Gamma(x+1) (Cauchy-Schwarz)" if ok
                       else f"residuals {r1}, {r2}, integrand sign {integrand_ok}")


def check_upper_reduction() -> CheckResult:
    """G3: a_m^2 = 2 B^2/A^2 with x = m/2, and 2 Gamma(x+1)/Gamma(x) = 2x = m; so B^2 <= A C gives
    a_m^2 <= 2 C / A = m.  Checked: the two identities, and that A > 0 for x > 0."""
    t0 = time.perf_counter()
    sp, m, x, *_ = _symbols()
    A, B, C = sp.gamma(x), sp.gamma(x + sp.Rational(1, 2)), sp.gamma(x + 1)
    r1 = sp.simplify((a_m_expr(m) ** 2 - 2 * B**2 / A**2).subs(x, m / 2))
    r2 = sp.gammasimp(2 * C / A - 2 * x)
    ok = r1 == 0 and r2 == 0 and A.is_positive is True
    return CheckResult(Level.PROVED if ok else Level.UNKNOWN, "sympy-identity", time.perf_counter() - t0,
                       "a_m^2 <= m from G2 at x = m/2" if ok else f"residuals {r1}, {r2}")


def check_lower_reduction() -> CheckResult:
    """G4: with a_{m+1} = m / a_m (G1) and 0 < a_{m+1} <= sqrt(m+1):  m/a_{m+1} >= m/sqrt(m+1).
    Checked: a_m > 0 symbolically and the identity a_m = m / a_{m+1}; the monotone step
    1/u >= 1/v for 0 < u <= v is checked as  1/u - 1/v = (v - u)/(u v)  (sympy)."""
    t0 = time.perf_counter()
    sp, m, *_ = _symbols()
    r1 = sp.gammasimp(a_m_expr(m) - m / a_m_expr(m + 1))
    u, v = sp.symbols("u v", positive=True)
    r2 = sp.simplify(1 / u - 1 / v - (v - u) / (u * v))
    pos = a_m_expr(m).is_positive is True
    ok = r1 == 0 and r2 == 0 and pos
    return CheckResult(Level.PROVED if ok else Level.UNKNOWN, "sympy-identity", time.perf_counter() - t0,
                       "a_m >= m/sqrt(m+1) from the upper bound at m+1" if ok else f"residuals {r1}, {r2}, pos {pos}")


def check_range(m_max: int = 2000, prec: int = 64) -> CheckResult:
    """Corroboration: both bounds certified with arb (strictly) for m = 1..m_max."""
    t0 = time.perf_counter()
    with workprec(prec):
        # a_m by the recurrence a_(m+1) = m / a_m from rigorous a_1 = sqrt(2/pi)
        a = (2 / arb.pi()).sqrt()
        for m in range(1, m_max + 1):
            if m % 200 == 0:
                a = a_m(m)  # re-anchor to keep radii small
            lower = arb(m) / arb(m + 1).sqrt()
            upper = arb(m).sqrt()
            if not (lower < a and a < upper):
                if a < lower or a > upper:
                    return CheckResult(Level.REFUTED, "arb", time.perf_counter() - t0, f"bound fails at m={m}",
                                       witness={"m": m})
                return CheckResult(Level.UNKNOWN, "arb", time.perf_counter() - t0, f"undecided at m={m}")
            a = arb(m) / a
    return CheckResult(Level.CHECKED, "arb", time.perf_counter() - t0,
                       f"m/sqrt(m+1) < a_m < sqrt(m) certified for m = 1..{m_max}", data={"m_max": m_max})


CONSTANTS = [
    {"name": "gordon.a_1", "expression": "sqrt(2)*gamma(1)/gamma(1/2)",
     "description": "Gordon's a_1 = E|g| = sqrt(2/pi)", "source": "seed 003 / Gordon 1988"},
    {"name": "gordon.a_100", "expression": "sqrt(2)*gamma(101/2)/gamma(50)",
     "description": "Gordon's a_m at m = 100 (E||g|| in R^100)", "source": "seed 003 / Gordon 1988"},
]
