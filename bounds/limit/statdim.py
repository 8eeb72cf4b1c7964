"""Statistical dimension of convex cones: closed forms with certified enclosures.

delta(C) = E ||Pi_C(g)||^2, g ~ N(0, I_d) (Amelunxen, Lotz, McCoy, Tropp 2014, "Living on the
edge", here ALMT).  Equivalently delta(C) = sum_k k v_k(C) with the conic intrinsic volumes
v_0..v_d (sum 1; for a cone that is not a subspace the even and odd sums are 1/2 each).

Exact kinds (rational results, exact Fractions):
* orthant R^d_+:        v_k = C(d,k) / 2^d,  delta = d/2
* k-dim subspace:       v_k = 1,             delta = k
* self-dual cones (C° = -C), e.g. the orthant, the Lorentz cone Circ_d(pi/4), the PSD cone:
  delta(C) + delta(C°) = d and delta(-C) = delta(C) give delta = d/2.

Certified kinds (arb balls, any precision):
* circular cone Circ_d(alpha) = {x : x_1 >= ||x|| cos alpha}, 0 < alpha <= pi/2 (ALMT Ex. 4.4.3 /
  Prop. 3.4 of Amelunxen's thesis), for d >= 2:
      v_k = 1/2 * binom((d-2)/2, (k-1)/2) * sin(alpha)^(k-1) * cos(alpha)^(d-k-1),  1 <= k <= d-1
      v_d = P(g in C)  = 1/2 * I_{sin^2 alpha}((d-1)/2, 1/2)
      v_0 = P(g in C°) = 1/2 * I_{cos^2 alpha}((d-1)/2, 1/2)
  (binom(a, b) = Gamma(a+1)/(Gamma(b+1) Gamma(a-b+1)); I the regularised incomplete beta).
  v_0 and v_d are derived in docs/fundamental-limit.md from g_1^2/||g||^2 ~ Beta(1/2, (d-1)/2);
  the interior formula is from the literature and is *tested* here: sum v_k = 1, the half-sum
  identities, polarity v_k(C°) = v_{d-k}(C) with C° = -Circ_d(pi/2 - alpha), and an
  independent high-precision quadrature of E||Pi_C(g)||^2 (tests, mpmath).
* the l1 descent cone at an s-sparse point of R^d: psi(s/d) - 2/sqrt(s d) <= delta/d <= psi(s/d)
  (ALMT Prop. 4.5, literature), psi(rho) = inf_{tau >= 0} F_rho(tau),
      F_rho(tau) = rho (1 + tau^2) + (1 - rho) J(tau),
      J(tau) = (1 + tau^2) erfc(tau/sqrt 2) - tau sqrt(2/pi) exp(-tau^2/2).
  F_rho'' = 2 rho + 2 (1 - rho) erfc(tau/sqrt 2) in (0, 2] on tau >= 0 (sympy-checked), so
  F_rho' is strictly increasing, F_rho'(0) = -2 (1 - rho) sqrt(2/pi) < 0 (rho < 1): the
  minimiser tau* is the unique root of F_rho'.  We isolate it by bisection with certified
  signs and enclose psi = F(tau*) in [F(m) - w^2, F(m)] for any m in the isolating interval of
  width w (Taylor at tau*, F'(tau*) = 0, 0 < F'' <= 2).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from math import comb

from flint import arb, fmpq

from prunecert.checks.rigorous.arith import ball, certified_decimal, compare3, exact_endpoints, workprec
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Tri
from prunecert.checks.rigorous.numbers import fraction_to_decimal, to_fraction

__all__ = [
    "Angle", "parse_angle", "orthant", "orthant_intrinsic_volumes", "subspace",
    "subspace_intrinsic_volumes", "self_dual", "psd_cone_dimension", "circular_intrinsic_volumes",
    "circular", "statdim_from_volumes", "psi", "PsiEnclosure", "l1_descent_bounds", "J_expr",
    "F_expr", "enclosure", "decimal_enclosure",
]


# --------------------------------------------------------------------------- input checks
def _check_d(d) -> int:
    if isinstance(d, bool) or not isinstance(d, int):
        try:
            q = to_fraction(d, "d")
        except InputError:
            raise InputError(f"d must be a positive integer, got {d!r}") from None
        if q.denominator != 1:
            raise InputError(f"d must be a positive integer, got {d!r}")
        d = int(q)
    if d < 1:
        raise InputError(f"d must be a positive integer (d >= 1), got {d}")
    if d > 10**6:
        raise InputError(f"d = {d} is too large (limit 10^6)")
    return d


# --------------------------------------------------------------------------- exact kinds
def orthant_intrinsic_volumes(d: int) -> list[Fraction]:
    d = _check_d(d)
    return [Fraction(comb(d, k), 2**d) for k in range(d + 1)]


def orthant(d: int) -> Fraction:
    """delta(R^d_+) = d/2 (exact)."""
    return Fraction(_check_d(d), 2)


def subspace_intrinsic_volumes(d: int, k: int) -> list[Fraction]:
    d = _check_d(d)
    if not isinstance(k, int) or not (0 <= k <= d):
        raise InputError(f"subspace dimension k must be an integer in [0, d={d}], got {k!r}")
    return [Fraction(int(j == k)) for j in range(d + 1)]


def subspace(d: int, k: int) -> Fraction:
    subspace_intrinsic_volumes(d, k)
    return Fraction(k)


def self_dual(d: int) -> Fraction:
    """delta(C) = d/2 for every self-dual cone C = -C° in R^d (e.g. PSD cone, Lorentz cone)."""
    return Fraction(_check_d(d), 2)


def psd_cone_dimension(n: int) -> int:
    """Ambient dimension n(n+1)/2 of the cone of n x n PSD matrices (self-dual, delta = d/2)."""
    if not isinstance(n, int) or n < 1:
        raise InputError(f"matrix size n must be a positive integer, got {n!r}")
    return n * (n + 1) // 2


def statdim_from_volumes(v) -> object:
    """delta = sum_k k v_k (works for Fractions and arb balls)."""
    total = 0
    for k, vk in enumerate(v):
        total = total + k * vk
    return total


# --------------------------------------------------------------------------- angles
@dataclass(frozen=True)
class Angle:
    """An exact angle: ``value`` radians (kind "rad") or ``value * pi`` (kind "pi")."""

    kind: str
    value: Fraction

    def ball(self) -> arb:
        q = arb(fmpq(self.value.numerator, self.value.denominator))
        return q * arb.pi() if self.kind == "pi" else q

    def complement(self) -> "Angle":
        """pi/2 - alpha, exact only for alpha = q*pi (InputError for radians)."""
        if self.kind != "pi":
            raise InputError("the complementary angle pi/2 - alpha is exact only for alpha = q*pi")
        return Angle("pi", Fraction(1, 2) - self.value)

    def text(self) -> str:
        if self.kind == "pi":
            q = self.value
            return "pi" if q == 1 else (f"{q.numerator}*pi/{q.denominator}" if q.numerator != 1
                                         else f"pi/{q.denominator}")
        return fraction_to_decimal(self.value, 30) if (self.value * 10**30).denominator == 1 else \
            f"{self.value.numerator}/{self.value.denominator}"


_PI_RE = re.compile(r"^\s*(?:([0-9]+(?:\.[0-9]*)?)\s*\*\s*)?pi\s*(?:/\s*([0-9]+))?\s*$")


def parse_angle(spec) -> Angle:
    """An angle in (0, pi/2]: an exact decimal/fraction in radians ("0.5", "1/3"), or a
    rational multiple of pi ("pi/4", "3*pi/8", "0.25*pi").  Anything else -> InputError."""
    if isinstance(spec, Angle):
        ang = spec
    else:
        text = str(spec)
        m = _PI_RE.match(text)
        if m:
            num = to_fraction(m.group(1), "alpha") if m.group(1) else Fraction(1)
            den = int(m.group(2)) if m.group(2) else 1
            if den == 0:
                raise InputError(f"alpha: division by zero in {text!r}")
            ang = Angle("pi", num / den)
        else:
            ang = Angle("rad", to_fraction(text, "alpha"))
    if ang.value <= 0:
        raise InputError(f"alpha must lie in (0, pi/2], got {ang.text()}")
    if ang.kind == "pi":
        if ang.value > Fraction(1, 2):
            raise InputError(f"alpha must lie in (0, pi/2], got {ang.text()}")
        return ang
    # rational alpha vs pi/2: pi is irrational, so the comparison is decidable (never equal)
    for bits in (64, 256, 1024, 4096):
        with workprec(bits):
            c = compare3(ball(ang.value), "<", arb.pi() / 2)
        if c is Tri.TRUE:
            return ang
        if c is Tri.FALSE:
            raise InputError(f"alpha must lie in (0, pi/2], got {ang.text()} > pi/2")
    raise InputError(f"alpha = {ang.text()} is too close to pi/2 to decide")  # pragma: no cover


# --------------------------------------------------------------------------- circular cones
def _half(n: int) -> arb:
    return arb(fmpq(n, 2))


def _gbinom(a2: int, b2: int) -> arb:
    """binom(a2/2, b2/2) = Gamma(a2/2 + 1) / (Gamma(b2/2 + 1) Gamma((a2 - b2)/2 + 1)), a2 >= b2 >= 0."""
    return (_half(a2 + 2).gamma()) / (_half(b2 + 2).gamma() * _half(a2 - b2 + 2).gamma())


def circular_intrinsic_volumes(d: int, alpha) -> list[arb]:
    """Balls v_0..v_d for Circ_d(alpha) at the current precision."""
    d = _check_d(d)
    ang = parse_angle(alpha)
    if d == 1:  # Circ_1(alpha) is the ray [0, inf) for every alpha in (0, pi/2]... except alpha = pi/2
        # alpha = pi/2: {x_1 >= 0} is still the ray (||x|| cos(pi/2) = 0)
        return [arb(fmpq(1, 2)), arb(fmpq(1, 2))]
    a = ang.ball()
    s, c = a.sin(), a.cos()
    if ang.kind == "pi" and ang.value == Fraction(1, 2):
        c = arb(0)  # exact: the half-space
        s = arb(1)
    s2 = s * s
    c2 = c * c
    half = arb(fmpq(1, 2))
    dm1 = _half(d - 1)
    v = [arb(0)] * (d + 1)
    # v_d = P(g in C) = 1/2 I_{sin^2}((d-1)/2, 1/2);  v_0 = 1/2 I_{cos^2}((d-1)/2, 1/2)
    v[d] = half * _reg_beta(s2, dm1, half)
    v[0] = half * _reg_beta(c2, dm1, half)
    for k in range(1, d):
        term = half * _gbinom(d - 2, k - 1)
        if k - 1 > 0:
            term = term * s ** (k - 1)
        if d - k - 1 > 0:
            term = term * c ** (d - k - 1)
        v[k] = term
    return v


def _reg_beta(x: arb, a: arb, b: arb) -> arb:
    """Regularised lower incomplete beta I_x(a, b) on a ball x in [0, 1] (Arb, rigorous)."""
    if x == 0:
        return arb(0)
    if x == 1:
        return arb(1)
    return x.beta_lower(a, b, regularized=True)


def circular(d: int, alpha) -> arb:
    """delta(Circ_d(alpha)) = sum_k k v_k as a ball at the current precision."""
    return statdim_from_volumes(circular_intrinsic_volumes(d, alpha))


# --------------------------------------------------------------------------- l1 descent cone
def J_expr(tau):
    """sympy: J(tau) = (1 + tau^2) erfc(tau/sqrt 2) - tau sqrt(2/pi) exp(-tau^2/2)."""
    import sympy as sp

    return (1 + tau**2) * sp.erfc(tau / sp.sqrt(2)) - tau * sp.sqrt(2 / sp.pi) * sp.exp(-tau**2 / 2)


def F_expr(tau, rho):
    """sympy: F_rho(tau) = rho (1 + tau^2) + (1 - rho) J(tau)."""
    return rho * (1 + tau**2) + (1 - rho) * J_expr(tau)


def _J(t: arb) -> arb:
    x = t / arb(2).sqrt()
    return (1 + t * t) * x.erfc() - t * (2 / arb.pi()).sqrt() * (-(t * t) / 2).exp()


def _F(t: arb, rho: arb) -> arb:
    return rho * (1 + t * t) + (1 - rho) * _J(t)


def _dF(t: arb, rho: arb) -> arb:
    """F_rho'(tau) = 2 rho tau + (1 - rho)(2 tau erfc(tau/sqrt 2) - 2 sqrt(2/pi) exp(-tau^2/2))."""
    x = t / arb(2).sqrt()
    return 2 * rho * t + (1 - rho) * (2 * t * x.erfc() - 2 * (2 / arb.pi()).sqrt() * (-(t * t) / 2).exp())


@dataclass
class PsiEnclosure:
    rho: Fraction
    tau_lo: Fraction          # tau* in [tau_lo, tau_hi]
    tau_hi: Fraction
    psi: arb                  # ball containing psi(rho)
    psi_lo: Fraction
    psi_hi: Fraction
    bisections: int
    prec: int


def psi(rho, *, prec: int = 128, tau_width=None) -> PsiEnclosure:
    """Certified enclosure of psi(rho) and of the optimal tau* (0 < rho <= 1)."""
    rho = to_fraction(rho, "rho")
    if not (0 < rho <= 1):
        raise InputError(f"rho = s/d must lie in (0, 1], got {rho}")
    with workprec(prec):
        r = ball(rho)
        if rho == 1:  # F_1(tau) = 1 + tau^2, minimised at tau = 0
            one = arb(1)
            return PsiEnclosure(rho, Fraction(0), Fraction(0), one, Fraction(1), Fraction(1), 0, prec)
        width = to_fraction(tau_width, "tau width") if tau_width is not None else Fraction(1, 2 ** (prec // 2 + 4))
        lo, hi = Fraction(0), Fraction(1)
        # F'(0) < 0 exactly (rho < 1); find hi with F'(hi) > 0 certainly
        n = 0
        while compare3(_dF(ball(hi), r), ">", 0) is not Tri.TRUE:
            lo, hi = hi, hi * 2
            n += 1
            if hi > 2**20:
                raise InputError("could not bracket tau* (precision too low?)")  # pragma: no cover
        while hi - lo > width:
            mid = (lo + hi) / 2
            s = compare3(_dF(ball(mid), r), ">", 0)
            n += 1
            if s is Tri.TRUE:
                hi = mid
            elif s is Tri.FALSE and compare3(_dF(ball(mid), r), "<", 0) is Tri.TRUE:
                lo = mid
            else:
                break  # sign undecided at this precision: stop with the current bracket
        m = (lo + hi) / 2
        Fm = _F(ball(m), r)
        w = hi - lo
        # psi = F(tau*) in [F(m) - w^2, F(m)]  (Taylor at tau*, 0 < F'' <= 2, |m - tau*| <= w)
        lo_ball = Fm - ball(w * w)
        p_lo = exact_endpoints(lo_ball)[0]
        p_hi = exact_endpoints(Fm)[1]
        enc = ball(p_lo).union(ball(p_hi))
        return PsiEnclosure(rho, lo, hi, enc, p_lo, p_hi, n, prec)


def l1_descent_bounds(d: int, s: int, *, prec: int = 128) -> tuple[Fraction, Fraction, PsiEnclosure]:
    """Certified (lower, upper) on the two ALMT bounds d psi(s/d) - 2 sqrt(d/s) <= delta <= d psi(s/d):
    returns L <= d psi - 2 sqrt(d/s) and U >= d psi (exact Fractions), i.e. rigorous outer ends."""
    d = _check_d(d)
    if isinstance(s, bool) or not isinstance(s, int):
        raise InputError(f"sparsity s must be an integer, got {s!r}")
    if not (1 <= s <= d):
        raise InputError(f"sparsity s must satisfy 1 <= s <= d = {d}, got s = {s}")
    enc = psi(Fraction(s, d), prec=prec)
    with workprec(prec):
        lower = ball(d) * ball(enc.psi_lo) - 2 * (ball(Fraction(d, s))).sqrt()
        upper = ball(d) * ball(enc.psi_hi)
        lo = exact_endpoints(lower)[0]
        hi = exact_endpoints(upper)[1]
    return max(lo, Fraction(0)), min(hi, Fraction(d)), enc


# --------------------------------------------------------------------------- enclosures
def enclosure(fn, digits: int = 30):
    """Evaluate ``fn()`` (returning an arb) at increasing precision until its radius is below
    10^-(digits+2) relative; returns the ball."""
    if not isinstance(digits, int) or not (1 <= digits <= 2000):
        raise InputError(f"digits must be an integer in [1, 2000], got {digits!r}")
    bits = max(64, int(digits * 3.33) + 32)
    last = None
    for _ in range(6):
        with workprec(bits):
            x = fn()
            if certified_decimal(x, digits + 2) is not None:
                return x
            last = x
        bits *= 2
    return last


def decimal_enclosure(lo: Fraction, hi: Fraction, digits: int) -> dict:
    """{"lo": lo rounded down, "hi": hi rounded up} as decimal strings with ``digits`` digits."""
    return {"lo": fraction_to_decimal(lo, digits, "down"), "hi": fraction_to_decimal(hi, digits, "up")}




def circular_by_integral(d: int, alpha) -> arb:
    """Independent rigorous evaluation of delta(Circ_d(alpha)), d >= 2, from the projection itself.

    Write g = r (cos th, sin th u) with r = ||g||, th in [0, pi] the angle to e_1, u a unit vector;
    r and th are independent, E r^2 = d and th has density proportional to sin^(d-2) th.  The
    projection onto Circ_d(alpha) has squared norm r^2 if th <= alpha, r^2 cos^2(th - alpha) if
    alpha < th < alpha + pi/2, and 0 otherwise.  Hence
        delta = d [int_0^alpha sin^(d-2) + int_alpha^(alpha+pi/2) cos^2(th-alpha) sin^(d-2)] / int_0^pi sin^(d-2),
    evaluated with Arb's rigorous adaptive integration (acb.integral)."""
    from flint import acb

    d = _check_d(d)
    if d < 2:
        raise InputError("circular_by_integral needs d >= 2")
    a = parse_angle(alpha).ball()

    def f0(z, _analytic):
        return z.sin() ** (d - 2)

    def f1(z, _analytic):
        return (z - a).cos() ** 2 * z.sin() ** (d - 2)

    num = acb.integral(f0, 0, a) + acb.integral(f1, a, a + arb.pi() / 2)
    den = acb.integral(f0, 0, arb.pi())
    return (d * num / den).real
