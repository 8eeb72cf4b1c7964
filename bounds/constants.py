"""Named constants of the package, discovered and certified to any number of digits.

Every module of :mod:`bounds` may define a module-level list ``CONSTANTS`` of dicts::

    {"name": ..., "expression": "<sympy-parsable closed form: numbers and named functions>",
     "description": ..., "source": ...}

:func:`discover_constants` collects them all (this module's own general constants included);
:func:`certify_constants` evaluates each closed form in outward-rounded ball arithmetic
(python-flint ``arb``, via :func:`prunecert.checks.rigorous.expr.compile_arb`), raising the working precision until
:func:`prunecert.checks.rigorous.arith.certified_decimal` can print the requested number of significant digits
with a guarantee (enclosure radius below one unit of the last digit).

>>> from prunecert.bounds.constants import certify_constants
>>> [c["value"] for c in certify_constants(["pensia_mixture_weight"], digits=20)]
['0.17328679513998632735']
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from prunecert.checks.errors import BudgetExceeded, ExpressionError, InputError

__all__ = ["CONSTANTS", "Constant", "discover_constants", "certify_constant", "certify_constants",
           "parse_constant", "enclosure"]

# a_eta = sqrt(8 log(4/eta)) of the approximate kinematic formula (Amelunxen-Lotz-McCoy-Tropp 2014,
# Thm. I): for a few confidence levels eta.
_ETAS = {"0.1": "40", "0.05": "80", "0.01": "400", "0.001": "4000"}

CONSTANTS = [
    {"name": "pensia_mixture_weight", "expression": "log(2)/4",
     "description": "mixture weight ln(2)/4: (1/2)delta_0 + (1/2)Law(XY) contains Uniform[-1/2,1/2] "
                    "with this weight (X~U[0,1], Y~U[-1,1])",
     "source": "literature: Pensia et al., NeurIPS 2020, Cor. 1-2"},
    *[{"name": f"kinematic.a_eta_{eta}", "expression": f"sqrt(8*log({four_over}))",
       "description": f"a_eta = sqrt(8 log(4/eta)) of the approximate kinematic formula, eta = {eta}",
       "source": "literature: Amelunxen, Lotz, McCoy, Tropp 2014 (arXiv 1303.6672), Thm. I"}
      for eta, four_over in _ETAS.items()],
]


@dataclass(frozen=True)
class Constant:
    name: str
    expression: str
    description: str
    source: str
    module: str

    def to_json(self) -> dict:
        return {"name": self.name, "expression": self.expression, "description": self.description,
                "source": self.source, "module": self.module}


def discover_constants() -> tuple[list[Constant], list[str]]:
    """All ``CONSTANTS`` of the modules of :mod:`bounds`, in module order.

    Returns (constants, problems): a module that fails to import, or a malformed entry, is
    reported in ``problems`` (one line each) rather than hiding the other constants.  Two
    modules defining the same name with different expressions are both qualified as
    ``module:name``; identical duplicates (same name and closed form) are kept once.
    """
    import prunecert.bounds as pkg

    found: list[Constant] = []
    problems: list[str] = []
    todo = [(pkg.__path__, "prunecert.bounds.")]       # the package and its seed subpackages
    modules = []
    while todo:
        path, prefix = todo.pop(0)
        for info in sorted(pkgutil.iter_modules(path), key=lambda i: i.name):
            modname = prefix + info.name
            try:
                mod = importlib.import_module(modname)
            except Exception as exc:  # noqa: BLE001 - a broken sibling must not hide the rest
                problems.append(f"{modname}: import failed: {type(exc).__name__}: {exc}")
                continue
            if getattr(info, "ispkg", False):
                todo.append((mod.__path__, modname + "."))
            modules.append((modname, mod))
    for modname, mod in modules:
        entries = getattr(mod, "CONSTANTS", None)
        if entries is None:
            continue
        if not isinstance(entries, (list, tuple)):
            problems.append(f"{modname}: CONSTANTS is not a list")
            continue
        for k, e in enumerate(entries):
            if not (isinstance(e, dict) and isinstance(e.get("name"), str)
                    and isinstance(e.get("expression"), str)):
                problems.append(f"{modname}: CONSTANTS[{k}] lacks a string 'name' or 'expression'")
                continue
            found.append(Constant(e["name"], e["expression"], str(e.get("description", "")),
                                  str(e.get("source", "")), modname))
    by_name: dict[str, list[Constant]] = {}
    for c in found:
        by_name.setdefault(c.name, []).append(c)
    out: list[Constant] = []
    for c in found:
        same = by_name[c.name]
        if len({s.expression.replace(" ", "") for s in same}) == 1:
            if same[0] is c:   # one entry, attributed to a topic module rather than this one
                out.append(next((x for x in same if x.module != __name__), c))
        else:
            out.append(Constant(f"{c.module.rsplit('.', 1)[-1]}:{c.name}", c.expression,
                                c.description, c.source, c.module))
    return out, problems


def parse_constant(expression: str):
    """The sympy form of a constant's closed form; it must have no free symbols."""
    from prunecert.checks.rigorous.expr import parse

    expr = parse(expression)
    if expr.free_symbols:
        raise ExpressionError(f"constant expression {expression!r} has free symbols "
                              f"{sorted(map(str, expr.free_symbols))}")
    return expr


def enclosure(expr, bits: int):
    """An arb ball containing the exact value of the closed-form sympy ``expr`` at ``bits`` bits."""
    from prunecert.checks.rigorous.arith import workprec

    from prunecert.checks.rigorous.expr import compile_arb

    with workprec(bits):
        return compile_arb(expr, [])([])


def certify_constant(c: Constant | dict, digits: int = 30, *, max_bits: int = 200_000) -> dict:
    """One constant with ``digits`` certified significant digits (raises BudgetExceeded if even
    ``max_bits`` of precision cannot certify them, e.g. for an exact zero)."""
    from prunecert.checks.rigorous.arith import certified_decimal, exact_endpoints, is_finite
    from prunecert.checks.rigorous.numbers import fraction_to_decimal

    if isinstance(c, dict):
        c = Constant(c["name"], c["expression"], c.get("description", ""), c.get("source", ""), "")
    if not isinstance(digits, int) or isinstance(digits, bool) or digits < 1 or digits > 10_000:
        raise InputError(f"digits must be an integer in [1, 10000], got {digits!r}")
    expr = parse_constant(c.expression)
    bits = int(digits * 3.33) + 32
    while True:
        x = enclosure(expr, bits)
        value = certified_decimal(x, digits) if is_finite(x) else None
        if value is not None:
            lo, hi = exact_endpoints(x)
            from fractions import Fraction
            from decimal import Decimal

            exact = lo == hi and Fraction(Decimal(value)) == lo
            return {**c.to_json(), "value": value, "exact": exact, "digits": digits, "bits": bits,
                    "enclosure": [fraction_to_decimal(lo, digits + 5, "down"),
                                  fraction_to_decimal(hi, digits + 5, "up")]}
        if bits >= max_bits:
            raise BudgetExceeded(f"constant {c.name!r} = {c.expression}: no {digits} certified digits "
                                 f"at {bits} bits (is it exactly zero or undefined?)")
        bits = min(2 * bits, max_bits)


def certify_constants(names=None, digits: int = 30) -> list[dict]:
    """Certify the named constants (default: all discovered), in discovery order.

    Unknown names raise :class:`prunecert.checks.errors.InputError`.
    """
    consts, _problems = discover_constants()
    if names:
        index = {c.name: c for c in consts}
        missing = [n for n in names if n not in index]
        if missing:
            raise InputError(f"unknown constant(s) {', '.join(missing)}; known: {', '.join(index)}")
        consts = [index[n] for n in dict.fromkeys(names)]
    return [certify_constant(c, digits) for c in consts]
