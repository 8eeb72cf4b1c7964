"""``prunecert experiment gap``: best neuron-pruning error vs weight-pruning construction error.

Thin CLI over :mod:`prunecert.bounds.gap.gap_fit` (measurement and fits); this module only parses arguments,
runs the sweep (one task per network, :func:`prunecert.bounds.gap.gap_fit.gap_cell`, on Dask by default,
resumable through the store in ``--out``), renders (progress on stderr; the table, or one JSON
document with --json, on stdout), writes CSV/JSON/markdown files and draws the PNG plot.
"""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

from prunecert.checks.errors import InputError
from prunecert.checks.rigorous.numbers import to_fraction

from prunecert.cli import _sweep
from prunecert.cli._render import Col, check_output_dir, check_output_path, emit_json, out_console, render_table


def _widths(text: str, what: str = "--widths", top: int = 64, empty_ok: bool = False) -> list[int]:
    try:
        ws = [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise InputError(f"{what}: expected comma-separated integers, got {text!r}") from None
    if not ws and empty_ok:
        return []
    if not ws or min(ws) < 1 or max(ws) > top:
        raise InputError(f"{what}: need integers in [1, {top}]")
    return sorted(set(ws))


def register_experiment(sub) -> None:
    p = sub.add_parser("gap", help="exact best neuron-pruning error vs weight-pruning construction, with fits")
    p.add_argument("--d", type=int, default=2, help="input dimension (>= 2)")
    p.add_argument("--widths", default="4,6,8,12,16,20,24", help="comma-separated widths n")
    p.add_argument("--seeds", type=int, default=6, help="random networks per width")
    p.add_argument("--dist", choices=["uniform", "gaussian", "both"], default="gaussian",
                   help="weight distribution of u and v (prunecert.checks.instances.network.sample)")
    p.add_argument("--target", choices=["random", "e1"], default="random", help="target direction w")
    p.add_argument("--weight-widths", default="", help="extra widths (<= 256) for the weight construction only")
    p.add_argument("--eps", default=None, help="also report, per width, how often each method reaches eps")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per instance and method")
    p.add_argument("--solver", default="enum",
                   help="neuron-pruning solver of each task: enum (the exact search, default), milp (HiGHS "
                        "incumbents, certified bounds) or module:function returning lo, hi, subset, lower_complete")
    p.add_argument("--plot", default=None, help="write a PNG plot to this file")
    p.add_argument("--out", default=None, help="directory for gap_d<D>.csv / .json / .md")
    p.add_argument("--json", action="store_true", help="print the full JSON result on stdout")
    _sweep.add_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from prunecert.checks.sweep import Sweep

    from prunecert.bounds.gap.gap_fit import (SOLVERS, fit_gap, gap_cell, gap_cells, provenance, row_from_cell,
                                              summary_table)

    if args.d < 2 or args.d > 4:
        raise InputError("--d must be 2, 3 or 4")
    widths = _widths(args.widths)
    wonly = _widths(args.weight_widths, "--weight-widths", 256, empty_ok=True)
    if args.seeds < 1 or args.seeds > 200:
        raise InputError("--seeds must be in [1, 200]")
    if not (args.timeout > 0) or math.isinf(args.timeout):
        raise InputError("--timeout must be a positive number")
    if args.solver not in SOLVERS and ":" not in args.solver:
        raise InputError(f"--solver: one of {', '.join(SOLVERS)} or module:function, got {args.solver!r}")
    eps = None
    if args.eps is not None:
        eps = to_fraction(args.eps, "--eps")
        if eps <= 0:
            raise InputError("--eps must be > 0")
    spec = _sweep.exec_spec(args)              # bad --workers/--scheduler: exit 3 before any work
    out = check_output_dir(args.out, "--out") if args.out else None
    if args.plot:
        check_output_path(args.plot, "--plot")
    dists = ["uniform", "gaussian"] if args.dist == "both" else [args.dist]
    params = gap_cells(args.d, widths, args.seeds, dists=dists, target=args.target, timeout=args.timeout,
                       weight_only_widths=wonly, solver=args.solver)
    with _sweep.open_store(args, out) as store:
        sweep = _sweep.run(Sweep("gap", gap_cell), params, args, store, f"gap d={args.d}")
    rows = [row_from_cell(c) for c in sweep.results]
    fits = fit_gap(rows)
    table = summary_table(rows)
    result = {
        "experiment": "gap",
        "config": {"d": args.d, "widths": widths, "weight_only_widths": wonly, "seeds": args.seeds, "dists": dists, "target": args.target,
                   "model": "B", "timeout": args.timeout, "eps": None if eps is None else str(eps),
                   "network_seed": "10^7 d + 10^6 [gaussian] + 1000 n + seed", "solver": args.solver},
        "provenance": provenance(),
        "rows": [r.to_json() for r in rows],
        "summary": table,
        "fits": fits,
    }
    if eps is not None:
        reach = []
        for dist in dists:
            for n in widths:
                rs = [r for r in rows if r.dist == dist and r.n == n]
                reach.append({"dist": dist, "n": n,
                              "neuron_reaches_eps": sum(r.neuron_hi is not None and r.neuron_hi <= eps for r in rs),
                              "neuron_fails_eps": sum(r.neuron_lo is not None and r.neuron_lo > eps for r in rs),
                              "weight_construction_reaches_eps": sum(r.weight_hi is not None and r.weight_hi <= eps
                                                                     for r in rs),
                              "seeds": len(rs)})
        result["eps_table"] = reach
    if out is not None:
        stem = f"gap_d{args.d}"
        with open(out / f"{stem}.csv", "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(result["rows"][0]))
            w.writeheader()
            w.writerows(result["rows"])
        (out / f"{stem}.json").write_text(json.dumps(result, indent=1, default=str) + "\n")
        (out / f"{stem}.md").write_text(markdown(result) + "\n")
    if args.plot:
        plot(result, args.plot)
    if args.json:
        result["sweep"] = {"tasks": sweep.total, "from_store": sweep.from_store, "computed": sweep.computed,
                           "where": sweep.where, "store": None if store.path is None else str(store.path)}
        emit_json(result)
    else:
        _render(result)
    return 0


def _fmt_fit(f: dict | None, key: str) -> str:
    if not f or key not in f:
        return "n/a"
    g = f[key]
    return f"{g['slope']:.3f} [{g['slope_lo']:.3f}, {g['slope_hi']:.3f}]"


def markdown(result: dict) -> str:
    """Markdown tables of the summary and the fits (generated, for docs)."""
    c = result["config"]
    ww = f"--weight-widths {','.join(map(str, c['weight_only_widths']))} " if c.get("weight_only_widths") else ""
    lines = [f"Command: `prunecert experiment gap --d {c['d']} --widths {','.join(map(str, c['widths']))} "
             f"{ww}--seeds {c['seeds']} --dist {'both' if len(c['dists']) > 1 else c['dists'][0]} "
             f"--target {c['target']}` (Model B; {c['seeds']} networks per width).", "",
             "| dist | n | decided | neuron best error, median [q1, q3] | weight construction error, median [q1, q3] |",
             "|---|---|---|---|---|"]
    for t in result["summary"]:
        lines.append(f"| {t['dist']} | {t['n']} | {t['neuron_decided']}/{t['seeds']} | "
                     f"{t['neuron_median']:.4g} [{t['neuron_q1']:.4g}, {t['neuron_q3']:.4g}] | "
                     f"{t['weight_median']:.4g} [{t['weight_q1']:.4g}, {t['weight_q3']:.4g}] |"
                     .replace("nan [nan, nan]", "not measured"))
    lines += ["", "| dist | curve | log-log slope (OLS, 95% t-CI) | log-log slope (bootstrap 95%) | "
              "semilog slope per unit width (OLS, 95% t-CI) | semilog (bootstrap 95%) | R² log-log / semilog |",
              "|---|---|---|---|---|---|---|"]
    for dist, f in result["fits"].items():
        for curve in ("neuron", "weight", "weight_common_widths"):
            g = f.get(curve) or {}
            r2 = (f"{g['loglog']['r2']:.3f} / {g['semilog']['r2']:.3f}" if "loglog" in g else "n/a")
            lines.append(f"| {dist} | {curve} | {_fmt_fit(g, 'loglog')} | {_fmt_fit(g, 'loglog_bootstrap')} | "
                         f"{_fmt_fit(g, 'semilog')} | {_fmt_fit(g, 'semilog_bootstrap')} | {r2} |")
    lines += ["", "Verdicts (computed by `prunecert.bounds.gap.gap_fit.verdicts`):", ""]
    for dist, f in result["fits"].items():
        v = f["verdict"]
        lines.append(f"- {dist}: neuron pruning consistent with Ω(1/ε) (slope CI reaches ≥ −1): "
                     f"**{v.get('neuron_consistent_with_omega_1_over_eps', 'n/a')}**; "
                     f"weight construction decays exponentially (semilog slope CI < 0 and semilog R² ≥ log-log R²): "
                     f"**{v.get('weight_exponential_decay', 'n/a')}**; the neuron curve passes that same exponential "
                     f"test: **{v.get('neuron_also_passes_exponential_test', 'n/a')}**")
    return "\n".join(lines)


def _render(result: dict) -> None:
    """The summary table, the fits and the verdicts, on stdout (readable at 80 columns)."""
    rows = [(t["dist"], t["n"], f"{t['neuron_decided']}/{t['seeds']}", f"{t['neuron_median']:.4g}",
             f"{t['weight_median']:.4g}") for t in result["summary"]]
    render_table([Col("dist"), Col("n", whole=True), Col("decided", whole=True), Col("neuron median", whole=True),
                  Col("weight median", whole=True)], rows, title=f"gap, d = {result['config']['d']} (Model B)")
    con = out_console()
    for dist, f in result["fits"].items():
        con.print(f"{dist}: neuron log-log slope {_fmt_fit(f['neuron'], 'loglog')}")
        con.print(f"{dist}: weight semilog slope {_fmt_fit(f['weight'], 'semilog')}")
        for k, v in f["verdict"].items():
            con.print(f"  {k}: {v:.4g}" if isinstance(v, float) else f"  {k}: {v}")


def plot(result: dict, path) -> None:
    """Two panels: log-log (neuron fit) and semilog (weight fit); medians with quartile bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    colors = {("neuron", "gaussian"): "tab:red", ("neuron", "uniform"): "tab:orange",
              ("weight", "gaussian"): "tab:blue", ("weight", "uniform"): "tab:cyan"}
    rows = result["rows"]
    for ax, kind in zip(axes, ("loglog", "semilog")):
        for dist, f in result["fits"].items():
            summ = [t for t in result["summary"] if t["dist"] == dist]
            ns = np.array([t["n"] for t in summ], dtype=float)
            for curve, label in (("neuron", "best neuron pruning (exact)"), ("weight", "weight construction")):
                col = colors[(curve, dist)]
                med = np.array([t[f"{curve}_median"] for t in summ])
                q1 = np.array([t[f"{curve}_q1"] for t in summ])
                q3 = np.array([t[f"{curve}_q3"] for t in summ])
                pts = [(r["n"], (r["neuron_lo"] + r["neuron_hi"]) / 2 if curve == "neuron" else r["weight_hi"])
                       for r in rows if r["dist"] == dist and (curve == "weight" or r["neuron_lo"] is not None)]
                pts = [(a, b) for a, b in pts if b is not None and b > 0]
                if pts:
                    ax.scatter([a for a, _ in pts], [b for _, b in pts], s=8, alpha=0.25, color=col)
                ok = np.isfinite(med) & (med > 0)
                ax.errorbar(ns[ok], med[ok], yerr=[med[ok] - q1[ok], q3[ok] - med[ok]], fmt="o-", color=col,
                            capsize=3, label=f"{label}, {dist} (median, quartiles)")
                fit = f[curve].get(kind)
                if fit:
                    xs = np.linspace(ns.min(), ns.max(), 100)
                    ys = np.exp(fit["intercept"] + fit["slope"] * (np.log(xs) if kind == "loglog" else xs))
                    what = "slope" if kind == "loglog" else "rate"
                    ax.plot(xs, ys, "--", color=col, alpha=0.8,
                            label=f"fit {curve} {dist}: {what} {fit['slope']:.2f} "
                                  f"[{fit['slope_lo']:.2f}, {fit['slope_hi']:.2f}]")
        ax.set_yscale("log")
        if kind == "loglog":
            ax.set_xscale("log")
            ax.set_title("log-log: error vs width (power law = straight line)")
        else:
            ax.set_title("semilog: error vs width (exponential = straight line)")
        ax.set_xlabel("width n")
        ax.set_ylabel("certified sup error")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=6.5)
    fig.suptitle(f"Model B, d = {result['config']['d']}: neuron pruning (exact optimum) vs weight pruning "
                 f"(construction); 95% CIs")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
