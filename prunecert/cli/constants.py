"""``prunecert constants``: every registered constant, certified to N significant digits."""
from __future__ import annotations

import sys

from prunecert.checks.errors import InputError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "constants", help="print the package's named constants with N certified digits",
        description="Every constant defined in a CONSTANTS list of a bounds module, evaluated in "
                    "outward-rounded ball arithmetic with the precision raised until N significant "
                    "digits are guaranteed (the enclosure's width is below one unit of the last "
                    "printed digit, and every point of it is within one such unit of the printed "
                    "value).")
    p.add_argument("names", nargs="*", metavar="NAME", help="constants to print (default: all)")
    p.add_argument("--digits", type=int, default=30, metavar="N", help="significant digits (default 30)")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true",
                     help="a JSON list of {name, expression, value, ...} on stdout")
    fmt.add_argument("--latex", action="store_true", help="a LaTeX table ready to paste")
    p.set_defaults(func=run)


def latex_table(rows: list[dict]) -> str:
    """A booktabs-free LaTeX tabular of name, closed form and certified value."""
    import sympy as sp

    from prunecert.bounds.constants import parse_constant

    def tt(name):
        return r"\texttt{" + name.replace("\\", r"\textbackslash{}").replace("_", r"\_") \
            .replace("&", r"\&").replace("%", r"\%").replace("#", r"\#") + "}"

    lines = [r"\begin{tabular}{lll}", r"\hline", r"Constant & Closed form & Value \\", r"\hline"]
    for r in rows:
        dots = "" if r.get("exact") else r"\ldots"
        lines.append(f"{tt(r['name'])} & ${sp.latex(parse_constant(r['expression']))}$ & "
                     f"${r['value']}{dots}$ \\\\")
    lines += [r"\hline", r"\end{tabular}",
              f"% {rows[0]['digits'] if rows else 0} significant digits certified by prunecert constants "
              "(ball arithmetic; printed value within one unit of the last digit)"]
    return "\n".join(lines) + "\n"


def run(args) -> int:
    from prunecert.cli._render import Col, emit_json, err_console, render_table, spinner
    from prunecert.bounds.constants import certify_constants, discover_constants

    if args.digits < 1 or args.digits > 10_000:
        raise InputError(f"--digits must be in [1, 10000], got {args.digits}")
    _, problems = discover_constants()
    for msg in problems:
        err_console.print(f"[yellow]warning:[/] {msg}")
    with spinner(f"certifying constants to {args.digits} digits"):
        rows = certify_constants(args.names or None, digits=args.digits)
    if args.json:
        emit_json(rows)
    elif args.latex:
        sys.stdout.write(latex_table(rows))
    else:
        render_table([Col("name"), Col("expression"), Col("value", whole=True, justify="left"),
                      Col("source", optional=True)],
                     [(r["name"], r["expression"], r["value"], r["source"]) for r in rows],
                     title=f"constants, {args.digits} certified significant digits")
    return 0
