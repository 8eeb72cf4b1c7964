"""``prunecert gap``: certified neuron-pruning lower width vs weight-pruning upper width."""
from __future__ import annotations

import sys

from prunecert.checks.errors import InputError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "gap", help="the exponential gap (gap.theorem): certified weight- vs neuron-pruning widths in one model",
        description="The numbers of gap.theorem, in its one model (u_i ~ N(0, I_d), v_i ~ U[-1, 1], output "
                    "ReLU, ||w|| = 1, d >= 2): the certified width at which weight pruning reaches error <= eps "
                    "with probability >= 1 - delta, the certified width up to which neuron pruning fails with "
                    "probability >= p (default p = delta), their ratio, and the certified crossover eps*(d) "
                    "below which the weight width is the smaller one.  Outside the theorem's hypotheses "
                    "(e.g. d = 1) the answer is exit 3 naming the hypothesis.")
    p.add_argument("--eps", required=True, help="accuracy (sup error on the unit ball), 0 < eps < 1; "
                                                 "with --grid/--plot the smallest eps of the grid")
    p.add_argument("--d", type=int, default=2, help="input dimension, d >= 2 (default 2)")
    p.add_argument("--delta", default="1/2", help="weight pruning fails with probability <= delta, 0 < delta < 1 "
                                                   "(default 1/2)")
    p.add_argument("--p", dest="p_fail", default=None,
                   help="neuron pruning fails with probability >= p, 0 < p < 1 (default: delta)")
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
    from prunecert.bounds.gap.calculator import GAP_THEOREM_ID, crossover, eps_grid, gap_row, gap_table
    from prunecert.cli._render import check_output_path, err_console, print_json, spinner

    if args.plot:                          # an unwritable path is refused before any work
        check_output_path(args.plot, "--plot")
    grid = args.grid or bool(args.plot)
    with spinner("gap: certified widths"):
        rows = (gap_table(eps_grid(args.eps), args.d, args.delta, args.p_fail) if grid
                else [gap_row(args.eps, args.d, args.delta, args.p_fail)])
        cross = crossover(args.d, args.delta, args.p_fail)
    r0 = rows[0]
    ids = [GAP_THEOREM_ID, r0["upper"]["claim"], r0["lower"]["claim"], cross["claim"]]
    from prunecert.cli.verify import stdout_to_stderr

    with stdout_to_stderr(), spinner("gap: evaluating gap.theorem and its lemmas"):
        levels = claim_levels(ids, evaluate_checks=not args.no_levels)
    unknown = {"level": "UNKNOWN", "reason": "no backing claim named"}
    for r in rows:
        r["level"] = levels.get(GAP_THEOREM_ID, unknown)
        for s in ("lower", "upper"):
            r[s]["level"] = levels.get(r[s]["claim"], unknown)
    cross["level"] = levels.get(cross["claim"], unknown)
    if args.plot:
        try:
            plot(rows, args.plot)
        except OSError as exc:
            raise InputError(f"--plot: cannot write {args.plot!r}: {exc.strerror or exc}") from exc
        err_console.print(f"plot written to {args.plot}")
    if args.json:
        print_json({"claim": GAP_THEOREM_ID, "model": r0["model"], "model_text": r0["model_text"],
                    "level": levels.get(GAP_THEOREM_ID, unknown), "crossover": cross, "rows": rows,
                    "claims": levels})
        return 0
    from prunecert.cli._render import Col, out_console, render_table

    out = out_console()
    render_table([Col("eps", whole=True), Col("weight width", whole=True), Col("neuron width", whole=True),
                  Col("neuron/weight", whole=True)],
                 [[r["eps"], r["upper"]["width"], r["lower"]["width"], r["ratio"] or "-"] for r in rows],
                 title=f"gap.theorem (d = {r0['d']}, delta = {r0['delta']}, p = {r0['p_fail']})")
    lv = levels.get(GAP_THEOREM_ID, unknown)
    out.print(f"model: {r0['model_text']}")
    out.print(f"weight width: weight pruning reaches error <= eps with probability >= 1 - delta "
              f"({r0['upper']['claim']} [{r0['upper']['level']['level']}])")
    out.print(f"neuron width: every width up to it fails for neuron pruning with probability >= p "
              f"({r0['lower']['claim']} [{r0['lower']['level']['level']}]; exponent {r0['lower']['exponent']})")
    out.print(f"crossover: for every eps <= eps* = {cross['eps_star']} the weight width is below a width where "
              f"neuron pruning fails ({cross['claim']} [{cross['level']['level']}])")
    out.print(f"{GAP_THEOREM_ID} [{lv['level']}]" + ("" if lv["level"] == "PROVED" else f" ({lv['reason']})"))
    return 0
