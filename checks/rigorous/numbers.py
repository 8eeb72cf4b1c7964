"""Exact numbers from user input.

Every number that enters a rigorous computation is an exact :class:`fractions.Fraction`.
Accepted: ``int``, ``Fraction``, strings holding an integer, a decimal (``"0.01"``,
``"1e-9"``) or a fraction (``"1/100"``, ``"-3/7"``).  A Python ``float`` is converted to
its *exact* binary value (``0.1`` becomes 3602879701896397/36028797018963968), never read
as the decimal it was typed as; pass strings when you mean decimals.  NaN and infinities
are rejected with :class:`~prunecert.checks.errors.InputError`.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from prunecert.checks.errors import InputError

_FRACTION_RE = re.compile(r"^\s*([+-]?\d+)\s*/\s*([+-]?\d+)\s*$")
_DECIMAL_RE = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")


def to_fraction(value, what: str = "number") -> Fraction:
    """Return ``value`` as an exact Fraction, or raise InputError saying what is wrong."""
    if isinstance(value, bool):
        raise InputError(f"{what}: expected a number, got a boolean")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"{what}: non-finite value {value!r}")
        return Fraction(value)  # exact binary value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InputError(f"{what}: non-finite value {value!r}")
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip()
        m = _FRACTION_RE.match(text)
        if m:
            den = int(m.group(2))
            if den == 0:
                raise InputError(f"{what}: division by zero in {value!r}")
            return Fraction(int(m.group(1)), den)
        if _DECIMAL_RE.match(text):
            try:
                return Fraction(Decimal(text))
            except (InvalidOperation, ValueError) as exc:  # pragma: no cover - regex guards
                raise InputError(f"{what}: cannot read {value!r} as a number") from exc
        raise InputError(
            f"{what}: cannot read {value!r} as an exact number "
            "(use an integer, a decimal like 0.01 or 1e-9, or a fraction like 1/100)"
        )
    # numpy scalars and the like: go through their exact Python value
    try:
        import numpy as np

        if isinstance(value, np.integer):
            return Fraction(int(value))
        if isinstance(value, np.floating):
            return to_fraction(float(value), what)
    except ImportError:  # pragma: no cover
        pass
    raise InputError(f"{what}: unsupported type {type(value).__name__}")


def fraction_to_str(q: Fraction) -> str:
    """Canonical exact text of a Fraction: ``"3"``, ``"-3/7"``."""
    q = Fraction(q)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def exact_decimal(q: Fraction) -> str:
    """Exact text of q: a terminating decimal when the denominator is 2^a 5^b ("-0.375"),
    else the fraction text ("1/3")."""
    q = Fraction(q)
    den = q.denominator
    a = b = 0
    while den % 2 == 0:
        den //= 2
        a += 1
    while den % 5 == 0:
        den //= 5
        b += 1
    if den != 1:
        return fraction_to_str(q)
    k = max(a, b)
    if k == 0:
        return str(q.numerator)
    scaled = q.numerator * (10**k // q.denominator)
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(k + 1, "0")
    return f"{sign}{digits[:-k]}.{digits[-k:]}"


def fraction_to_decimal(q: Fraction, digits: int = 20, rounding: str = "nearest") -> str:
    """Decimal text of q with ``digits`` significant digits.

    rounding: "nearest", "down" (toward -inf) or "up" (toward +inf).  Use "down"/"up"
    to print the ends of an enclosure so that the printed interval still contains it.
    """
    from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Context

    mode = {"nearest": ROUND_HALF_EVEN, "down": ROUND_FLOOR, "up": ROUND_CEILING}[rounding]
    ctx = Context(prec=max(1, digits), rounding=mode)
    q = Fraction(q)
    d = ctx.divide(Decimal(q.numerator), Decimal(q.denominator))
    return format(d, "f") if abs(d.adjusted()) < 30 else str(d)


def parse_box(spec: str, what: str = "box") -> tuple[Fraction, Fraction]:
    """Parse ``"[LO,HI]"`` (brackets optional) into exact endpoints; LO <= HI required."""
    text = spec.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    parts = text.split(",")
    if len(parts) != 2:
        raise InputError(f"{what}: expected [LO,HI], got {spec!r}")
    lo = to_fraction(parts[0].strip(), f"{what} lower end")
    hi = to_fraction(parts[1].strip(), f"{what} upper end")
    if lo > hi:
        raise InputError(f"{what}: reversed interval [{parts[0].strip()}, {parts[1].strip()}] (lower end > upper end)")
    return lo, hi
