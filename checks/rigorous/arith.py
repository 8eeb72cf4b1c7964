"""Rigorous real arithmetic over python-flint ``arb`` balls.

Rules this module enforces (each rule closes a known trap of floating-point and ball arithmetic):

* numbers enter only as exact values (:func:`prunecert.checks.rigorous.numbers.to_fraction`); a ball for a
  rational is rounded outward by Arb itself;
* a box ``[lo, hi]`` is the union of the two exact endpoint balls (never ``arb(mid, rad)``
  with a 30-bit radius);
* ReLU / abs / max / min are sign-safe (never Python's ``max`` on a ball);
* comparisons are three-valued (:class:`prunecert.checks.levels.Tri`);
* precision is changed only through :func:`workprec`, a context manager.
"""
from __future__ import annotations

from contextlib import contextmanager
from fractions import Fraction

from flint import arb, ctx, fmpq

from prunecert.checks.errors import BoxError
from prunecert.checks.levels import Tri
from prunecert.checks.rigorous.numbers import to_fraction

__all__ = [
    "arb", "ball", "interval", "relu", "absval", "amax", "amin", "sign3", "compare3",
    "workprec", "endpoints", "exact_endpoints", "is_finite", "certified_decimal",
    "lower_fraction", "upper_fraction", "split",
]


@contextmanager
def workprec(bits: int):
    """Run a block at ``bits`` bits of working precision, restoring the old one after."""
    if not isinstance(bits, int) or bits < 16 or bits > 1_000_000:
        raise BoxError(f"precision must be an integer number of bits in [16, 1000000], got {bits!r}")
    with ctx.workprec(bits):
        yield


def ball(value) -> arb:
    """The smallest Arb ball (at the current precision) containing the exact number ``value``."""
    if isinstance(value, arb):
        return value
    q = to_fraction(value)
    return arb(fmpq(q.numerator, q.denominator))


def interval(lo, hi) -> arb:
    """A ball containing the closed interval [lo, hi]; lo <= hi exactly, both finite."""
    qlo, qhi = to_fraction(lo, "lower end"), to_fraction(hi, "upper end")
    if qlo > qhi:
        raise BoxError(f"reversed interval [{qlo}, {qhi}]")
    if qlo == qhi:
        return ball(qlo)
    x = ball(qlo).union(ball(qhi))
    # Arb radii carry ~30 bits, so a union can spill slightly past an endpoint.  A spill
    # below 0 for a nonnegative box (or above 0 for a nonpositive one) would make
    # sqrt/log at the domain edge NaN; clip it (sound: the exact interval lies inside).
    if qlo >= 0 and not (x >= 0):
        x = x.nonnegative_part()
    elif qhi <= 0 and not (x <= 0):
        x = -((-x).nonnegative_part())
    return x


def is_finite(x: arb) -> bool:
    return x.is_finite() and not x.is_nan()


def relu(x: arb) -> arb:
    """Enclosure of {max(t, 0) : t in x}."""
    if x > 0:
        return x
    if x <= 0:  # certainly non-positive
        return arb(0)
    return x.nonnegative_part()


def absval(x: arb) -> arb:
    """Tight enclosure of {|t| : t in x} (Arb's abs keeps negative numbers when 0 is in x)."""
    if x >= 0:
        return x
    if x <= 0:
        return -x
    return arb(0).union(x.abs_upper()).nonnegative_part()


def amax(a: arb, b: arb) -> arb:
    """Enclosure of {max(s, t)}: certain order first, else Arb's own max (sound)."""
    if a >= b:
        return a
    if b >= a:
        return b
    return a.max(b)


def amin(a: arb, b: arb) -> arb:
    if a <= b:
        return a
    if b <= a:
        return b
    return a.min(b)


def sign3(x: arb) -> tuple[Tri, Tri, Tri]:
    """(x > 0, x >= 0, x == 0) each as TRUE/FALSE/UNDECIDED."""
    return compare3(x, ">", 0), compare3(x, ">=", 0), compare3(x, "==", 0)


def compare3(a, op: str, b) -> Tri:
    """Three-valued comparison of two balls (or exact numbers): TRUE only if certain for
    every pair of points, FALSE only if certainly false for every pair, else UNDECIDED."""
    a = a if isinstance(a, arb) else ball(a)
    b = b if isinstance(b, arb) else ball(b)
    if not (is_finite(a) and is_finite(b)):
        return Tri.UNDECIDED
    if op == ">":
        yes, no = a > b, a <= b
    elif op == ">=":
        yes, no = a >= b, a < b
    elif op == "<":
        yes, no = a < b, a >= b
    elif op == "<=":
        yes, no = a <= b, a > b
    elif op == "==":
        yes, no = (a == b), (a != b)
    else:
        raise ValueError(f"unknown comparison {op!r}")
    if yes:
        return Tri.TRUE
    if no:
        return Tri.FALSE
    return Tri.UNDECIDED


def _exact(x: arb) -> Fraction:
    m, e = x.man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2**e) if e >= 0 else Fraction(m, 2**(-e))


def exact_endpoints(x: arb) -> tuple[Fraction, Fraction]:
    """Exact rational endpoints [mid - rad, mid + rad] of a finite ball."""
    if not is_finite(x):
        raise ValueError("ball is not finite")
    mid, rad = _exact(x.mid()), _exact(x.rad())
    return mid - rad, mid + rad


def lower_fraction(x: arb) -> Fraction:
    return exact_endpoints(x)[0]


def upper_fraction(x: arb) -> Fraction:
    return exact_endpoints(x)[1]


def endpoints(x: arb) -> tuple[arb, arb]:
    """(lower, upper) as exact arb numbers."""
    return x.lower(), x.upper()


def split(lo: Fraction, hi: Fraction) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]:
    """Bisect an exact interval at its exact midpoint."""
    mid = (lo + hi) / 2
    return (lo, mid), (mid, hi)


def certified_decimal(x: arb, digits: int) -> str | None:
    """``digits`` significant decimal digits of x that are guaranteed: the enclosure's
    radius is below one unit in the last printed digit and the printed value is within one
    unit of every point of the ball.  Returns None if the ball is too wide for that."""
    if not is_finite(x):
        return None
    lo, hi = exact_endpoints(x)
    from decimal import ROUND_HALF_EVEN, Context, Decimal

    mid = (lo + hi) / 2
    if mid == 0 and lo == hi:
        return "0"
    ref = max(abs(lo), abs(hi))
    c = Context(prec=digits + 5)
    exp10 = c.divide(Decimal(ref.numerator), Decimal(ref.denominator)).adjusted()
    unit = Fraction(10) ** (exp10 - digits + 1)
    if hi - lo >= unit:
        return None
    c = Context(prec=digits, rounding=ROUND_HALF_EVEN)
    d = c.divide(Decimal(mid.numerator), Decimal(mid.denominator))
    # printed value d: |d - mid| <= unit/2 and the ball half-width < unit/2 -> every point within 1 unit
    return format(d, "f") if -30 < d.adjusted() < 30 else str(d)
