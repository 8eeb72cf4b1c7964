"""``prunecert gap``: certified neuron-pruning lower width vs weight-pruning upper width."""
from __future__ import annotations

import sys

from prunecert.checks.errors import InputError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "gap", help="certified neuron-pruning lower width vs weight-pruning upper width, and their ratio",
        description="For accuracy eps: the certified width below which neuron pruning (Model B) fails "
                    "with probability >= delta (prunecert.bounds.gap.model_b, with its proved exponent and the level "
                    "of the claim backing it), next to the certified width at which weight pruning "
                    "succeeds with probability >= 1 - delta (prunecert.bounds.gap.weight_pruning), and their ratio.")
    p.add_argument("--eps", required=True, help="accuracy (sup error on the unit ball), 0 < eps < 1; "
                                                 "with --grid/--plot the smallest eps of the grid")
    p.add_argument("--d", type=int, default=2, help="input dimension (default 2)")
    p.add_argument("--delta", default="1/2", help="probability delta, 0 < delta < 1 (default 1/2)")
    p.add_argument("--grid", action="store_true", help="tabulate eps = 1/10, 1/100, ... down to --eps")
    p.add_argument("--plot", metavar="FILE", help="write a PNG: width (log scale) against 1/eps (implies --grid)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--no-levels", action="store_true",
                   help="do not run the backing claims' checks (levels shown as 'not evaluated')")
    p.set_defaults(func=run)


def claim_levels(ids, *, evaluate_checks: bool = True) -> dict[str, dict]:
    """{claim id: {"level", "reason"}} for the backing claims (by running their checks)."""
    from prunecert.proofs import all_claims, evaluate

    reg = all_claims()
    out = {}
    present = [i for i in dict.fromkeys(ids) if i and i in reg]
    for i in dict.fromkeys(ids):
        if i and i not in reg:
            out[i] = {"level": "UNKNOWN", "reason": f"claim {i!r} is not registered"}
    if present and evaluate_checks:
        sts = evaluate(present)
        for i in present:
            out[i] = {"level": sts[i].level.value, "reason": sts[i].reason}
    else:
        for i in present:
            out[i] = {"level": "not evaluated", "reason": "run without --no-levels"}
    return out


def plot(rows: list[dict], path: str) -> None:
    """Width (log scale) against 1/eps (log scale): the neuron lower bound grows like
    1/(eps log 1/eps), the weight upper bound like log(1/eps)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from prunecert.checks.rigorous.numbers import to_fraction

    inv = [float(1 / to_fraction(r["eps"])) for r in rows]
    lo = [max(r["lower"]["width"], 0) for r in rows]
    up = [r["upper"]["width"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(inv, up, "o-", color="#1565c0", label="weight pruning: certified upper width")
    ax.plot(inv, [v if v > 0 else float("nan") for v in lo], "s-", color="#c62828",
            label="neuron pruning: certified lower width")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("1/eps")
    ax.set_ylabel("hidden width n")
    r0 = rows[0]
    ax.set_title(f"Neuron vs weight pruning (d = {r0['d']}, delta = {r0['delta']})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def run(args) -> int:
    from prunecert.bounds.gap.calculator import eps_grid, gap_row, gap_table
    from prunecert.cli._render import err_console, print_json

    if args.plot:                          # an unwritable path is refused before any work
        from prunecert.cli._render import check_output_path

        check_output_path(args.plot, "--plot")
    grid = args.grid or bool(args.plot)
    rows = gap_table(eps_grid(args.eps), args.d, args.delta) if grid else [gap_row(args.eps, args.d, args.delta)]
    ids = [r[s]["claim"] for r in rows for s in ("lower", "upper")]
    from prunecert.cli.verify import stdout_to_stderr

    with stdout_to_stderr():
        levels = claim_levels(ids, evaluate_checks=not args.no_levels)
    for r in rows:
        for s in ("lower", "upper"):
            r[s]["level"] = levels.get(r[s]["claim"], {"level": "UNKNOWN", "reason": "no backing claim named"})
    if args.plot:
        try:
            plot(rows, args.plot)
        except OSError as exc:
            raise InputError(f"--plot: cannot write {args.plot!r}: {exc.strerror or exc}") from exc
        err_console.print(f"plot written to {args.plot}")
    if args.json:
        print_json({"rows": rows, "claims": levels})
        return 0
    from rich.console import Console
    from rich.table import Table

    out = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 160, highlight=False, markup=False)
    r0 = rows[0]
    t = Table(title=f"Neuron- vs weight-pruning width (d = {r0['d']}, delta = {r0['delta']})")
    for col, just in (("eps", "left"), ("neuron lower", "right"), ("weight upper", "right"), ("ratio", "right")):
        t.add_column(col, justify=just)
    for r in rows:
        t.add_row(r["eps"], str(r["lower"]["width"]), str(r["upper"]["width"]), r["ratio"] or "-")
    out.print(t)
    cross = next((r["eps"] for r in rows if r["lower"]["width"] > r["upper"]["width"]), None)
    if len(rows) > 1:
        out.print(f"certified separation (neuron lower > weight upper) from eps = {cross} on" if cross
                  else "no certified separation on this grid: go to smaller eps")
    rl = rows[-1]
    out.print(f"at eps = {rl['eps']}:")
    lw, uw = rl["lower"], rl["upper"]
    out.print(f"neuron lower: {lw['meaning']}; exponent {lw['exponent']}; backed by {lw['claim']} "
              f"[{lw['level']['level']}]" + ("" if lw["level"]["level"] == "PROVED" else f" ({lw['level']['reason']})"))
    out.print(f"weight upper: {uw['meaning']}; backed by {uw['claim']} [{uw['level']['level']}]"
              + ("" if uw["level"]["level"] == "PROVED" else f" ({uw['level']['reason']})"))
    return 0
