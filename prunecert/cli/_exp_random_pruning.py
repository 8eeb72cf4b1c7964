"""``prunecert experiment random-pruning``: certified widths of the package's random/magnitude
pruning theorems over an (eps, delta) grid and Monte Carlo success rates (Clopper-Pearson) at those
widths.  Thin over :mod:`prunecert.bounds.random_magnitude.random_pruning`; one sweep task per grid point
(:func:`grid_point`), on Dask by default and resumable through ``OUT/sweep.sqlite``."""
from __future__ import annotations

import csv
import json
import os

from prunecert.checks.errors import InputError
from prunecert.cli import _sweep

DEFAULT_OUT = os.path.join("out", "experiment-random-pruning")


def register_experiment(sub) -> None:
    p = sub.add_parser("random-pruning", help="certified widths + Monte Carlo for random/magnitude pruning (seed 002)")
    p.add_argument("--dims", default="4,8,8,2", help="target layer widths d_0,...,d_L (default 4,8,8,2)")
    p.add_argument("--trials", type=int, default=1000, help="Monte Carlo trials per grid point (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="Monte Carlo seed (default 0)")
    p.add_argument("--plot", metavar="FILE", help="write the width-vs-eps plot (PNG)")
    p.add_argument("--out", metavar="DIR", default=DEFAULT_OUT,
                   help=f"directory for results.json, widths.csv, mc.csv and the sweep store (default {DEFAULT_OUT})")
    p.add_argument("--json", action="store_true", help="print the result as one JSON document on stdout")
    _sweep.add_arguments(p)
    p.set_defaults(func=run)


def grid_point(method: str, eps: str, delta: str, dims: list[int], trials: int, seed: int) -> dict:
    """One sweep task: the certified width at (method, eps, delta) and its Monte Carlo check."""
    from prunecert.bounds.random_magnitude.random_pruning import required_width, simulate

    cert = required_width(eps, delta, dims, method=method)
    return {"width": cert, "mc": simulate(cert, trials, seed=seed)}


def _dims(text: str) -> list[int]:
    try:
        dims = [int(v) for v in text.split(",")]
    except ValueError as exc:
        raise InputError(f"--dims must be comma-separated positive integers, got {text!r}") from exc
    if len(dims) < 2 or min(dims) < 1 or max(dims) > 4096:
        raise InputError(f"--dims needs at least two widths in 1..4096, got {text!r}")
    return dims


def run(args) -> int:
    from prunecert.bounds.random_magnitude.random_pruning import GRID_DELTA, GRID_EPS
    from prunecert.checks.sweep import Sweep
    from prunecert.cli._render import Col, check_output_dir, check_output_path, emit_json, out_console, render_table

    dims = _dims(args.dims)
    if not 1 <= args.trials <= 10**6:
        raise InputError("--trials must lie in 1..1000000")
    _sweep.exec_spec(args)
    out = check_output_dir(args.out, "--out")
    if args.plot:
        check_output_path(args.plot, "--plot")
    params = [{"method": m, "eps": e, "delta": d, "dims": dims, "trials": args.trials, "seed": args.seed}
              for m in ("random", "magnitude") for e in GRID_EPS for d in GRID_DELTA]
    with _sweep.open_store(args, out) as store:
        sweep = _sweep.run(Sweep("random-pruning", grid_point), params, args, store, "random-pruning")
    widths = [r["width"] for r in sweep.results]
    mc = [r["mc"] for r in sweep.results]
    with open(out / "results.json", "w") as fh:
        json.dump({"dims": dims, "widths": widths, "monte_carlo": mc}, fh, indent=1)
    with open(out / "widths.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["method", "eps", "delta", "eta_lo", "t", "N", "total_candidates"])
        for c in widths:
            w.writerow([c["method"], c["eps"], c["delta"], c["eta_lo"], c["t"], c["N"], c["total_candidates"]])
    with open(out / "mc.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["method", "eps", "delta", "N", "trials", "successes", "cp95_lower", "required", "ok",
                    "matched_all", "worst_bound"])
        for r in mc:
            w.writerow([r["method"], r["eps"], r["delta"], r["N"], r["trials"], r["successes"], f"{r['cp95'][0]:.5f}",
                        r["required"], r["ok"], r["matched_all"], f"{r['worst_bound']:.3e}"])
    if args.plot:
        _plot(widths, args.plot, dims)
    ok = all(r["ok"] for r in mc)
    if args.json:
        emit_json({"experiment": "random-pruning", "dims": dims, "out": os.path.abspath(out), "all_ok": ok,
                   "widths": [{k: c[k] for k in ("method", "eps", "delta", "eta_lo", "N")} for c in widths],
                   "monte_carlo": [{k: r[k] for k in ("method", "eps", "delta", "successes", "trials", "cp95", "ok")}
                                   for r in mc],
                   "sweep": {"tasks": sweep.total, "from_store": sweep.from_store, "computed": sweep.computed,
                             "where": sweep.where}})
    else:
        render_table([Col("method"), Col("eps", whole=True), Col("delta", whole=True), Col("N", whole=True),
                      Col("successes", whole=True), Col("CP95 lower", whole=True), Col(">= 1-delta", whole=True)],
                     [(c["method"], c["eps"], c["delta"], c["N"], f"{r['successes']}/{r['trials']}",
                       f"{r['cp95'][0]:.4f}", r["ok"]) for c, r in zip(widths, mc)],
                     title=f"dims {dims}: certified N and Monte Carlo ({args.trials} trials)")
        out_console().print(f"all grid points reach 1 - delta: {ok}; files: {os.path.abspath(out)}")
    return 0 if ok else 2


def _plot(widths, path, dims) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from fractions import Fraction

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for m, ls in (("random", "-"), ("magnitude", "--")):
        for d in sorted({c["delta"] for c in widths}, key=lambda s: -float(Fraction(s))):
            pts = sorted((float(Fraction(c["eps"])), c["N"]) for c in widths if c["method"] == m and c["delta"] == d)
            xs, ys = zip(*pts)
            ax.plot(xs, ys, ls, marker="o", ms=3, label=f"{m}, delta={float(Fraction(d)):g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("eps (sup error over the unit l2 ball)")
    ax.set_ylabel("certified N (candidates per target weight)")
    ax.set_title(f"Certified widths, target dims {'-'.join(map(str, dims))}, K=2")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
