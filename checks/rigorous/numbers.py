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

# Size limits for exact numbers read from text.  ``Fraction("1e99999999")`` would build a
# 10^8-digit integer (minutes and gigabytes), so the digits and the decimal exponent are
# bounded *before* anything is converted.  The limits are far beyond any meaningful input.
MAX_DIGITS = 2000          # significant digits of one literal (numerator or denominator)
MAX_DECIMAL_EXPONENT = 1000  # |e| in 1eE, after normalising the mantissa
MAX_JSON_DEPTH = 64        # nesting of arrays/objects in a JSON input


def check_decimal_size(text: str, what: str = "number") -> None:
    """InputError unless the decimal literal ``text`` has at most MAX_DIGITS digits and a
    magnitude 10**k with |k| <= MAX_DECIMAL_EXPONENT (checked on the text, without converting)."""
    t = text.strip().lstrip("+-").replace("_", "").lower()
    mant, _, exp = t.partition("e")
    intpart, _, frac = mant.partition(".")
    digits = (intpart + frac).lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise InputError(f"{what}: {len(digits)} digits; at most {MAX_DIGITS} are supported")
    if len(exp.lstrip("+-").lstrip("0")) > 9:
        raise InputError(f"{what}: exponent out of the supported range (|exponent| <= {MAX_DECIMAL_EXPONENT})")
    ev = int(exp) if exp else 0
    if not digits:
        return  # zero, whatever the exponent
    ip = intpart.lstrip("0")
    adjusted = ev + len(ip) - 1 if ip else ev - (len(frac) - len(frac.lstrip("0"))) - 1
    if abs(adjusted) > MAX_DECIMAL_EXPONENT:
        raise InputError(f"{what}: {text.strip()[:40]!r} is out of the supported range "
                         f"(magnitude between 1e-{MAX_DECIMAL_EXPONENT} and 1e{MAX_DECIMAL_EXPONENT})")


def check_int_size(text: str, what: str = "number") -> None:
    digits = text.strip().lstrip("+-").lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise InputError(f"{what}: {len(digits)} digits; at most {MAX_DIGITS} are supported")


def to_fraction(value, what: str = "number") -> Fraction:
    """Return ``value`` as an exact Fraction, or raise InputError saying what is wrong."""
    if isinstance(value, bool):
        raise InputError(f"{what}: expected a number, got a boolean")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        if value.bit_length() > 4 * MAX_DIGITS:
            raise InputError(f"{what}: integer with {value.bit_length()} bits; too large")
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"{what}: non-finite value {value!r}")
        return Fraction(value)  # exact binary value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InputError(f"{what}: non-finite value {value!r}")
        check_decimal_size(format(value, "e"), what)
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip()
        m = _FRACTION_RE.match(text)
        if m:
            check_int_size(m.group(1), what)
            check_int_size(m.group(2), what)
            den = int(m.group(2))
            if den == 0:
                raise InputError(f"{what}: division by zero in {value!r}")
            return Fraction(int(m.group(1)), den)
        if _DECIMAL_RE.match(text):
            check_decimal_size(text, what)
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


# --------------------------------------------------------------------------- JSON input

def _json_number(text: str):
    check_decimal_size(text, "JSON number")
    v = float(text)
    if not math.isfinite(v):
        raise InputError(f"JSON number {text!r} is not a finite double")
    return v


def _json_int(text: str):
    check_int_size(text, "JSON integer")
    return int(text)


def _json_constant(name: str):
    raise InputError(f"JSON constant {name} (not a finite number) is not accepted")


def load_json(text, what: str = "JSON input"):
    """Parse JSON text with bounded resources: no NaN/Infinity, numbers of bounded size
    (``1e99999999`` is refused, not materialised), nesting at most MAX_JSON_DEPTH.
    Any problem is an InputError with a one-line message."""
    import json

    if isinstance(text, (bytes, bytearray)):
        try:
            text = text.decode()
        except UnicodeDecodeError:
            raise InputError(f"{what}: not UTF-8 text") from None
    # nesting depth, counted outside strings, before the (recursive) decoder runs
    depth = best = 0
    in_str = esc = False
    for ch in text if len(text) < 50_000_000 else ():
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > best:
                best = depth
                if best > MAX_JSON_DEPTH:
                    raise InputError(f"{what}: nested more than {MAX_JSON_DEPTH} levels deep")
        elif ch in "]}":
            depth -= 1
    if len(text) >= 50_000_000:
        raise InputError(f"{what}: larger than 50 MB")
    try:
        return json.loads(text, parse_float=_json_number, parse_int=_json_int, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"{what}: malformed JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise InputError(f"{what}: nested too deeply") from None
    except ValueError as exc:  # e.g. int() digit limit
        raise InputError(f"{what}: {exc}") from None
