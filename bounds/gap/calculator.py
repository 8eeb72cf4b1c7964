"""The gap calculator: certified neuron-pruning lower width next to weight-pruning upper width.

For accuracy ``eps`` (sup error on the unit ball), input dimension ``d`` and probability ``delta``:

* **neuron pruning, lower bound** (Model B, MATH.md section 1.5, Theorem B as proved):
  ``prunecert.bounds.gap.model_b.neuron_width_lower_bound(eps, p_fail=delta)`` -- every network of width
  ``n <= lower`` admits no neuron subset with error ``<= eps`` with probability ``>= delta``; so
  a success probability above ``1 - delta`` needs width ``> lower``.  Its growth exponent
  (``1/(eps log(1/eps))``) and the claim id whose level backs it come with it.
* **weight pruning, upper bound** (Pensia-style construction, MATH.md section 1.2):
  ``prunecert.bounds.gap.weight_pruning.required_width(eps, delta, d)`` -- at this width the construction
  reaches error ``<= eps`` with probability ``>= 1 - delta``.

Both widths are certified integers; their ratio is exact.  Every number is backed by a claim
whose hypotheses (``d >= 2`` for Theorem B, ...) are checked first: outside them the functions
here raise :class:`prunecert.checks.hypotheses.HypothesisError` (an InputError), never a number.

This module knows nothing of the claim registry (``bounds`` never imports ``proofs``): it
returns the claim ids, and the caller (``prunecert gap``) computes their levels.
"""
from __future__ import annotations

from fractions import Fraction

from prunecert.bounds.gap import model_b, weight_pruning
from prunecert.checks.errors import InputError, PrunecertError
from prunecert.checks.rigorous.numbers import fraction_to_decimal, to_fraction

__all__ = ["gap_row", "gap_table", "eps_grid"]


def _check_args(eps, d, delta) -> tuple[Fraction, int, Fraction]:
    qe = to_fraction(eps, "eps")
    if not 0 < qe < 1:
        raise InputError(f"eps must satisfy 0 < eps < 1, got {eps}")
    if isinstance(d, bool) or not isinstance(d, int):
        raise InputError(f"d must be an integer, got {d!r}")
    qd = to_fraction(delta, "delta")
    if not 0 < qd < 1:
        raise InputError(f"delta must satisfy 0 < delta < 1, got {delta}")
    return qe, d, qd


def _width(v) -> int:
    """The integer width of a provider's answer (an int, or a dict with 'width'/'n')."""
    if isinstance(v, dict):
        for key in ("width", "n", "N"):
            if key in v:
                v = v[key]
                break
    if isinstance(v, bool) or not isinstance(v, int):
        raise PrunecertError(f"width provider returned {v!r}, not an integer width")
    return v


def gap_row(eps, d: int = 2, delta="1/2") -> dict:
    """One row of the gap table (all numbers certified; decimals as strings).

    >>> row = gap_row("1e-6", d=2, delta="1/2")
    >>> row["lower"]["width"] > 0 and row["upper"]["width"] > 0
    True
    >>> from fractions import Fraction
    >>> Fraction(row["ratio_exact"]) == Fraction(row["lower"]["width"], row["upper"]["width"])
    True
    """
    qe, d, qd = _check_args(eps, d, delta)
    lo = model_b.neuron_width_lower_bound(qe, p_fail=qd, d=d)     # checks Theorem B's hypotheses (d >= 2)
    lw = _width(lo)
    up = weight_pruning.required_width(qe, qd, d)
    uw = _width(up)
    upper_claim = weight_pruning.WIDTH_ID
    ratio = Fraction(lw, uw) if uw else None
    return {
        "eps": fraction_to_decimal(qe, 20), "d": d, "delta": fraction_to_decimal(qd, 20),
        "lower": {
            "width": lw,
            "meaning": f"neuron pruning (Model B): every width <= {lw} fails to reach error <= eps "
                       f"with probability >= {fraction_to_decimal(qd, 6)}",
            "exponent": lo.get("exponent") if isinstance(lo, dict) else None,
            "claim": lo.get("level") if isinstance(lo, dict) else None,
            "details": lo if isinstance(lo, dict) else {},
        },
        "upper": {
            "width": uw,
            "meaning": f"weight pruning: width {uw} reaches error <= eps with probability >= "
                       f"{fraction_to_decimal(1 - qd, 6)}",
            "claim": ((up.get("level") or up.get("claim")) if isinstance(up, dict) else None) or upper_claim,
            "details": up if isinstance(up, dict) else {},
        },
        "ratio": fraction_to_decimal(ratio, 8) if ratio is not None else None,
        "ratio_exact": f"{lw}/{uw}",
    }


def eps_grid(eps_min, *, start="1/10") -> list[Fraction]:
    """1/10, 1/100, ... down to ``eps_min`` (included)."""
    lo = to_fraction(eps_min, "eps")
    s = to_fraction(start, "start")
    if not 0 < lo < 1:
        raise InputError(f"eps must satisfy 0 < eps < 1, got {eps_min}")
    grid = []
    e = s
    while e > lo:
        grid.append(e)
        e /= 10
    grid.append(lo)
    return sorted(set(grid), reverse=True)


def gap_table(eps_values, d: int = 2, delta="1/2") -> list[dict]:
    """:func:`gap_row` for each eps (largest first)."""
    return [gap_row(e, d, delta) for e in eps_values]
