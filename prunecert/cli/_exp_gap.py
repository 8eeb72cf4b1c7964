"""``prunecert experiment gap``: best neuron-pruning error vs weight-pruning construction error.

Thin CLI over :mod:`prunecert.bounds.gap.gap_fit` (measurement and fits); this module only parses arguments,
runs the sweep (one task per network, :func:`prunecert.bounds.gap.gap_fit.gap_cell`, on Dask by default,
resumable through the store in ``--out``), renders (progress on stderr; the table, or one JSON
document with --json, on stdout), writes CSV/JSON/markdown files and draws the PNG plot.
Beyond the summary of :mod:`~prunecert.bounds.gap.gap_fit` it adds :func:`same_width_table`: the certified
bracket of the median neuron optimum over all seeds and the per-network comparison at equal width.
"""
from __future__ import annotations

import csv
import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Sequence

from prunecert.checks.errors import InputError
from prunecert.checks.rigorous.numbers import to_fraction

from prunecert.cli import _sweep
from prunecert.cli._render import Col, check_output_dir, check_output_path, emit_json, out_console, render_table


def _widths(text: str, what: str = "--widths", top: int = 128, empty_ok: bool = False) -> list[int]:
    try:
        ws = [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise InputError(f"{what}: expected comma-separated integers, got {text!r}") from None
    if not ws and empty_ok:
        return []
    if not ws or min(ws) < 1 or max(ws) > top:
        raise InputError(f"{what}: need integers in [1, {top}]")
    return sorted(set(ws))


# Widths at which the neuron side is solved (the exact search only brackets beyond about 64; the
# MILP-assisted solver is meant for 64-128) and widths for the weight construction alone.
NEURON_WIDTH_CAP = 128
WEIGHT_WIDTH_CAP = 256


def _median(xs: Sequence[Fraction]) -> Fraction:
    """The sample median of exact numbers (mean of the two middle order statistics if even)."""
    v = sorted(xs)
    k = len(v)
    return v[k // 2] if k % 2 else (v[k // 2 - 1] + v[k // 2]) / 2


def _down(x: Fraction) -> float:
    f = float(x)
    return math.nextafter(f, -math.inf) if Fraction(f) > x else f


def _up(x: Fraction) -> float:
    f = float(x)
    return math.nextafter(f, math.inf) if Fraction(f) < x else f


def same_width_table(rows) -> list[dict]:
    """Per (dist, n) with the neuron side measured: the certified bracket of the median optimum over
    ALL seeds, and how the two methods compare network by network at that width.

    ``rows``: :class:`prunecert.bounds.gap.gap_fit.GapRow` objects (exact Fractions, never the float
    copies of ``result["rows"]``).

    Median bracket: for every network i the solver certifies lo_i <= OPT_i <= hi_i.  Order
    statistics keep elementwise order: if a_i <= b_i for every i, the networks holding the k smallest
    b's have a-values each <= their b <= b_(k), so at least k of the a's are <= b_(k), i.e.
    a_(k) <= b_(k).  Hence lo_(k) <= OPT_(k) <= hi_(k) for every k, and the same holds for the mean
    of the two middle ones: the sample median of the optima lies in [median(lo), median(hi)] -- a
    rigorous bracket that uses every seed, decided or not (a missing lower bound counts as lo = 0,
    always valid since a sup error is >= 0).  The medians are exact (Fractions); the floats are
    rounded outward (lo down, hi up).

    Same-width counts (the same network pruned both ways): "weight_better" when the neuron optimum's
    certified lo exceeds the weight construction's certified hi (so even the best neuron subset is
    worse than the construction), "neuron_better" when the neuron hi is below the weight lo, and
    "undecided" otherwise (the intervals overlap, or the construction ran out of time)."""
    out = []
    for dist in sorted({r.dist for r in rows}):
        for n in sorted({r.n for r in rows if r.dist == dist}):
            rs = [r for r in rows if r.dist == dist and r.n == n]
            if all(r.neuron_lo is None and r.neuron_hi is None for r in rs):
                continue                                   # a weight-only width
            los = [r.neuron_lo if r.neuron_lo is not None else Fraction(0) for r in rs]
            his = [r.neuron_hi for r in rs]
            mlo = _median(los)
            mhi = None if any(h is None for h in his) else _median(his)
            wb = nb = 0
            for r in rs:
                if r.weight_hi is not None and r.neuron_lo is not None and r.neuron_lo > r.weight_hi:
                    wb += 1
                elif r.weight_lo is not None and r.neuron_hi is not None and r.neuron_hi < r.weight_lo:
                    nb += 1
            out.append({"dist": dist, "n": n, "networks": len(rs),
                        "median_opt_lo": _down(mlo), "median_opt_hi": None if mhi is None else _up(mhi),
                        "median_opt_exact": [str(mlo), None if mhi is None else str(mhi)],
                        "median_decided": mhi is not None and mhi - mlo <= mhi / 100,
                        "weight_better": wb, "neuron_better": nb, "undecided": len(rs) - wb - nb})
    return out


def register_experiment(sub) -> None:
    p = sub.add_parser("gap", help="exact best neuron-pruning error vs weight-pruning construction, with fits")
    p.add_argument("--d", type=int, default=2, help="input dimension (>= 2)")
    p.add_argument("--widths", default="4,6,8,12,16,20,24",
                   help=f"comma-separated widths n (<= {NEURON_WIDTH_CAP}) for both methods")
    p.add_argument("--seeds", type=int, default=6, help="random networks per width")
    p.add_argument("--dist", choices=["uniform", "gaussian", "both"], default="gaussian",
                   help="weight distribution of u and v (prunecert.checks.instances.network.sample)")
    p.add_argument("--target", choices=["random", "e1"], default="random", help="target direction w")
    p.add_argument("--weight-widths", default="", help=f"extra widths (<= {WEIGHT_WIDTH_CAP}) for the weight construction only")
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
    widths = _widths(args.widths, top=NEURON_WIDTH_CAP)
    wonly = _widths(args.weight_widths, "--weight-widths", WEIGHT_WIDTH_CAP, empty_ok=True)
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
        "same_width": same_width_table(rows),
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
             f"--target {c['target']}"
             + (f" --solver {c['solver']}" if c.get("solver", "enum") != "enum" else "")
             + (f" --timeout {c['timeout']:g}" if c.get("timeout", 60.0) != 60.0 else "")
             + f"` (Model B; {c['seeds']} networks per width).", "",
             "| dist | n | decided | neuron best error, median [q1, q3] | weight construction error, median [q1, q3] |",
             "|---|---|---|---|---|"]
    for t in result["summary"]:
        lines.append(f"| {t['dist']} | {t['n']} | {t['neuron_decided']}/{t['seeds']} | "
                     f"{t['neuron_median']:.4g} [{t['neuron_q1']:.4g}, {t['neuron_q3']:.4g}] | "
                     f"{t['weight_median']:.4g} [{t['weight_q1']:.4g}, {t['weight_q3']:.4g}] |"
                     .replace("nan [nan, nan]", "not measured"))
    if result.get("same_width"):
        lines += ["", "Same networks, equal width: the certified bracket of the median neuron optimum over all "
                  "seeds ([median of lo, median of hi]; decided or not), and per network whether the certified "
                  "intervals separate the two methods.", "",
                  "| dist | n | median neuron optimum, certified bracket | weight construction, median | "
                  "weight certified better | neuron certified better | overlapping / undecided |",
                  "|---|---|---|---|---|---|---|"]
        wmed = {(t["dist"], t["n"]): t["weight_median"] for t in result["summary"]}
        for t in result["same_width"]:
            lines.append(f"| {t['dist']} | {t['n']} | {_fmt_bracket(t)} | "
                         f"{_fmt_num(wmed.get((t['dist'], t['n'])))} | {t['weight_better']}/{t['networks']} | "
                         f"{t['neuron_better']}/{t['networks']} | {t['undecided']}/{t['networks']} |")
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


def _fmt_num(x) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.4g}"


def _fmt_bracket(t: dict, compact: bool = False) -> str:
    """[lo, hi] of the median optimum to 4 significant digits, lo rounded down and hi up (exactly,
    from the stored Fractions).  ``compact``: one number (the midpoint) when the bracket is within 1%."""
    lo, hi = (None if x is None else Fraction(x) for x in t["median_opt_exact"])
    if compact and t["median_decided"]:
        return f"{float((lo + hi) / 2):.4g}"
    return f"[{_sig(lo, math.floor)}, {'?' if hi is None else _sig(hi, math.ceil)}]"


def _sig(x: Fraction, rnd) -> str:
    """x >= 0 to 4 significant digits, rounded exactly in the direction ``rnd`` (math.floor / math.ceil)."""
    if x == 0:
        return "0"
    e = math.floor(math.log10(x)) - 3                  # float log10 only picks the scale
    y = Fraction(rnd(x / Fraction(10) ** e)) * Fraction(10) ** e
    return f"{float(y):.4g}"


def _render(result: dict) -> None:
    """The summary table, the fits and the verdicts, on stdout (readable at 80 columns)."""
    same = {(t["dist"], t["n"]): t for t in result.get("same_width", [])}
    rows = []
    for t in result["summary"]:
        sw = same.get((t["dist"], t["n"]))
        rows.append((t["dist"], t["n"], f"{t['neuron_decided']}/{t['seeds']}", _fmt_num(t["neuron_median"]),
                     _fmt_bracket(sw, compact=True) if sw else "", _fmt_num(t["weight_median"]),
                     f"{sw['weight_better']}/{sw['neuron_better']}/{sw['undecided']}" if sw else ""))
    render_table([Col("dist"), Col("n", whole=True), Col("decided", whole=True, optional=True),
                  Col("decided median", whole=True, optional=True),
                  Col("OPT median", whole=True), Col("weight median", whole=True),
                  Col("W/N/?", whole=True)], rows, title=f"gap, d = {result['config']['d']} (Model B)",
                 caption="decided median: neuron optimum, median over the decided networks only; OPT median: "
                         "certified bracket [median lo, median hi] of the neuron optimum over all networks (one "
                         "number when within 1%); W/N/?: networks where weight pruning / neuron pruning is "
                         "certified better at this width, or the intervals overlap")
    con = out_console()
    for dist, f in result["fits"].items():
        con.print(f"{dist}: neuron log-log slope {_fmt_fit(f['neuron'], 'loglog')}")
        con.print(f"{dist}: weight semilog slope {_fmt_fit(f['weight'], 'semilog')}")
        for k, v in f["verdict"].items():
            con.print(f"  {k}: {v:.4g}" if isinstance(v, float) else f"  {k}: {v}")


def plot(result: dict, path) -> None:
    """Two panels: log-log (neuron fit) and semilog (weight fit).  Weight construction: medians with
    quartile bars.  Neuron optimum: the certified bracket of the median over all seeds as a shaded
    band (a lower end 0 is drawn at the bottom of the axis), the median as a point where the bracket
    is within 1%, and the fit of the decided instances."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    colors = {("neuron", "gaussian"): "tab:red", ("neuron", "uniform"): "tab:orange",
              ("weight", "gaussian"): "tab:blue", ("weight", "uniform"): "tab:cyan"}
    rows = result["rows"]
    same = result.get("same_width", [])
    positive = [v for t in result["summary"] for v in (t["weight_median"], t["weight_q1"]) if v > 0]
    positive += [t["median_opt_lo"] for t in same if t["median_opt_lo"] > 0]
    positive += [t["median_opt_hi"] for t in same if t["median_opt_hi"]]
    floor = min(positive) / 3 if positive else 1e-12
    for ax, kind in zip(axes, ("loglog", "semilog")):
        for dist, f in result["fits"].items():
            summ = [t for t in result["summary"] if t["dist"] == dist]
            ns = np.array([t["n"] for t in summ], dtype=float)
            # weight construction: per-network points, median with quartile bars
            col = colors[("weight", dist)]
            pts = [(r["n"], r["weight_hi"]) for r in rows
                   if r["dist"] == dist and r["weight_hi"] is not None and r["weight_hi"] > 0]
            if pts:
                ax.scatter([a for a, _ in pts], [b for _, b in pts], s=8, alpha=0.25, color=col)
            med = np.array([t["weight_median"] for t in summ])
            q1 = np.array([t["weight_q1"] for t in summ])
            q3 = np.array([t["weight_q3"] for t in summ])
            ok = np.isfinite(med) & (med > 0)
            ax.errorbar(ns[ok], med[ok], yerr=[med[ok] - q1[ok], q3[ok] - med[ok]], fmt="o-", color=col,
                        capsize=3, label=f"weight construction, {dist} (median, quartiles)")
            # neuron optimum: decided instances as faint points, the median's certified bracket as a band
            col = colors[("neuron", dist)]
            pts = [(r["n"], (r["neuron_lo"] + r["neuron_hi"]) / 2) for r in rows
                   if r["dist"] == dist and r["neuron_lo"] is not None and r["neuron_complete"]
                   and r["neuron_hi"] - r["neuron_lo"] <= r["neuron_hi"] / 100 and r["neuron_hi"] > 0]
            if pts:
                ax.scatter([a for a, _ in pts], [b for _, b in pts], s=8, alpha=0.25, color=col)
            sw = [t for t in same if t["dist"] == dist and t["median_opt_hi"] is not None]
            if sw:
                sn = np.array([t["n"] for t in sw], dtype=float)
                lo = np.array([max(t["median_opt_lo"], floor) for t in sw])
                hi = np.array([max(t["median_opt_hi"], floor) for t in sw])
                ax.fill_between(sn, lo, hi, color=col, alpha=0.25, step=None,
                                label=f"neuron optimum (certified bracket), {dist}: median over all seeds")
                ax.plot(sn, lo, "-", color=col, lw=0.8), ax.plot(sn, hi, "-", color=col, lw=0.8)
                dec = np.array([t["median_decided"] and t["median_opt_hi"] > 0 for t in sw], dtype=bool)
                if dec.any():
                    ax.plot(sn[dec], ((lo + hi) / 2)[dec], "o", color=col,
                            label=f"neuron optimum, {dist}: median decided (bracket within 1%)")
            for curve in ("neuron", "weight"):
                fit = f[curve].get(kind)
                if fit:
                    xs = np.linspace(ns.min(), ns.max(), 100)
                    ys = np.exp(fit["intercept"] + fit["slope"] * (np.log(xs) if kind == "loglog" else xs))
                    what = "slope" if kind == "loglog" else "rate"
                    who = "neuron, decided instances" if curve == "neuron" else "weight"
                    ax.plot(xs, ys, "--", color=colors[(curve, dist)], alpha=0.8,
                            label=f"fit {who} {dist}: {what} {fit['slope']:.2f} "
                                  f"[{fit['slope_lo']:.2f}, {fit['slope_hi']:.2f}]")
        ax.set_yscale("log")
        ax.set_ylim(bottom=floor)
        if kind == "loglog":
            ax.set_xscale("log")
            ax.set_title("log-log: error vs width (power law = straight line)")
        else:
            ax.set_title("semilog: error vs width (exponential = straight line)")
        ax.set_xlabel("width n")
        ax.set_ylabel("certified sup error")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=6.5)
    fig.suptitle(f"Model B, d = {result['config']['d']}: neuron pruning (certified optimum) vs weight pruning "
                 f"(construction), same networks; fits with 95% CIs")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
