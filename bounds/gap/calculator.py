"""The gap calculator: the numbers of ``gap.theorem``, the exponential gap in one model.

The model (the only one used here): hidden weights u_i ~ N(0, I_d), output weights v_i ~ U[-1, 1],
all independent; output ReLU; target relu(<w, x>) with ||w|| = 1; error = sup over the unit ball.
For accuracy ``eps``, input dimension ``d >= 2``, probabilities ``delta`` and ``p_fail``:

* **neuron pruning fails** (Theorem B, ``gap.lower.theorem_B``):
  ``model_b.neuron_width_lower_bound(eps, p_fail, d=d)`` -- every width ``n <= lower`` admits no neuron
  subset with error ``<= eps`` with probability ``>= p_fail``; growth exponent 1/(eps log(1/eps)).
* **weight pruning succeeds** (``gap.upper.width_gaussian``):
  ``weight_pruning.width_details(eps, delta, d, "gaussian")`` -- at this width the block construction
  reaches error ``<= eps`` with probability ``>= 1 - delta``.
* **crossover** (``gap.crossover``): ``crossover(d, delta, p_fail)`` -- a certified eps* such that for
  every eps <= eps* the weight width is below a width at which neuron pruning fails.

Both widths are certified integers; their ratio is exact.  Every number is backed by a claim
whose hypotheses (``d >= 2`` for Theorem B, ...) are checked first: outside them the functions
here raise :class:`prunecert.checks.hypotheses.HypothesisError` (an InputError), never a number.

This module knows nothing of the claim registry (``bounds`` never imports ``proofs``): it
returns the claim ids, and the caller (``prunecert gap``) computes their levels.
"""
from __future__ import annotations

from fractions import Fraction

from prunecert.bounds.gap import crossover as cx
from prunecert.bounds.gap import model_b, weight_pruning
from prunecert.bounds.gap.product_mixture import MODELS
from prunecert.checks.errors import InputError, PrunecertError
from prunecert.checks.hypotheses import Hypothesis, require
from prunecert.checks.rigorous.numbers import fraction_to_decimal, to_fraction

__all__ = ["GAP_THEOREM_ID", "GAP_THEOREM_HYPOTHESES", "MODEL", "gap_row", "gap_table", "eps_grid", "crossover"]

GAP_THEOREM_ID = "gap.theorem"
MODEL = "gaussian"
MODEL_TEXT = MODELS[MODEL] + "; output ReLU; target relu(<w, x>), ||w|| = 1; error sup over the unit ball"
GAP_THEOREM_HYPOTHESES = (
    Hypothesis("d >= 2", ("d",), lambda d: d >= 2, integers=("d",)),
    Hypothesis("0 < eps < 1", ("eps",), lambda eps: 0 < eps < 1),
    Hypothesis("0 < delta < 1", ("delta",), lambda delta: 0 < delta < 1),
    Hypothesis("0 < p_fail < 1", ("p_fail",), lambda p_fail: 0 < p_fail < 1),
)


def _width(v) -> int:
    """The integer width of an answer (an int, or a dict with 'width'/'n')."""
    if isinstance(v, dict):
        for key in ("width", "n", "N"):
            if key in v:
                v = v[key]
                break
    if isinstance(v, bool) or not isinstance(v, int):
        raise PrunecertError(f"width provider returned {v!r}, not an integer width")
    return v


def crossover(d: int = 2, delta="1/2", p_fail=None) -> dict:
    """The certified crossover eps*(d, delta, p_fail) of gap.theorem (see prunecert.bounds.gap.crossover)."""
    if p_fail is None:
        p_fail = delta
    require(GAP_THEOREM_HYPOTHESES, GAP_THEOREM_ID, d=d, delta=delta, p_fail=p_fail)
    out = dict(cx.crossover(d, delta, p_fail))
    out.pop("eps_star_exact", None)
    return out


def gap_row(eps, d: int = 2, delta="1/2", p_fail=None) -> dict:
    """One row of gap.theorem in its one model (u ~ N(0, I_d), v ~ U[-1, 1]): the certified weight-pruning
    width (success probability >= 1 - delta), the certified neuron-pruning width below which neuron
    pruning fails with probability >= p_fail (default: delta), their exact ratio.  Outside the theorem's
    hypotheses (d >= 2, 0 < eps < 1, 0 < delta, p_fail < 1): HypothesisError.

    >>> row = gap_row("1e-6", d=2, delta="1/2")
    >>> row["model"] == "gaussian" and row["claim"] == "gap.theorem"
    True
    >>> row["lower"]["width"] > 0 and row["upper"]["width"] > 0
    True
    >>> from fractions import Fraction
    >>> Fraction(row["ratio_exact"]) == Fraction(row["lower"]["width"], row["upper"]["width"])
    True
    """
    if p_fail is None:
        p_fail = delta
    require(GAP_THEOREM_HYPOTHESES, GAP_THEOREM_ID, d=d, eps=eps, delta=delta, p_fail=p_fail)
    qe, qd, qp = to_fraction(eps, "eps"), to_fraction(delta, "delta"), to_fraction(p_fail, "p_fail")
    lo = model_b.neuron_width_lower_bound(qe, p_fail=qp, d=d)     # checks Theorem B's hypotheses too
    lw = _width(lo)
    up = weight_pruning.width_details(qe, qd, d, MODEL)
    uw = up.n
    ratio = Fraction(lw, uw) if uw else None
    return {
        "eps": fraction_to_decimal(qe, 20), "d": d, "delta": fraction_to_decimal(qd, 20),
        "p_fail": fraction_to_decimal(qp, 20),
        "model": MODEL, "model_text": MODEL_TEXT, "claim": GAP_THEOREM_ID,
        "lower": {
            "width": lw,
            "meaning": f"neuron pruning: every width <= {lw} fails to reach error <= eps "
                       f"with probability >= {fraction_to_decimal(qp, 6)}",
            "exponent": lo["exponent"],
            "claim": lo["claim"],
            "details": lo,
        },
        "upper": {
            "width": uw,
            "meaning": f"weight pruning: width {uw} reaches error <= eps with probability >= "
                       f"{fraction_to_decimal(1 - qd, 6)}",
            "claim": up.claim,
            "details": up.to_json(),
        },
        "separated": lw > uw,
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


def gap_table(eps_values, d: int = 2, delta="1/2", p_fail=None) -> list[dict]:
    """:func:`gap_row` for each eps (largest first)."""
    return [gap_row(e, d, delta, p_fail) for e in eps_values]
