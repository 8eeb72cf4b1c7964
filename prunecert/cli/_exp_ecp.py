"""``prunecert experiment ecp``: elimination-compensation pruning vs magnitude, gradient and random
pruning on small trained networks (no fine-tuning).  Thin over :mod:`prunecert.bounds.elimination.ecp_pruning`;
one sweep task per (dataset, seed) (:func:`~prunecert.bounds.elimination.ecp_pruning.seed_rows`), on Dask by
default and resumable through ``OUT/sweep.sqlite``."""
from __future__ import annotations

import csv
import json
import os

from prunecert.checks.errors import InputError
from prunecert.cli import _sweep

DEFAULT_OUT = os.path.join("out", "experiment-ecp")


def register_experiment(sub) -> None:
    p = sub.add_parser("ecp", help="elimination-compensation pruning vs magnitude/gradient/random (seed 004)")
    p.add_argument("--dataset", default="all",
                   help="diabetes | digits | synthetic-regression | all (= diabetes and digits); default all")
    p.add_argument("--seeds", type=int, default=5, help="number of seeds (networks) per dataset (default 5)")
    p.add_argument("--plot", metavar="FILE", help="write the loss/accuracy-vs-sparsity plot (PNG)")
    p.add_argument("--out", metavar="DIR", default=DEFAULT_OUT,
                   help=f"directory for results.json, rows.csv, summary.csv, table.md and the sweep store "
                        f"(default {DEFAULT_OUT})")
    p.add_argument("--json", action="store_true", help="print the result as one JSON document on stdout")
    _sweep.add_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from prunecert.checks.sweep import Sweep
    from prunecert.cli._render import Col, check_output_dir, check_output_path, emit_json, out_console, render_table
    from prunecert.bounds.elimination.ecp_pruning import (METHODS, TASKS, experiment_config, markdown_table, plot,
                                                          seed_rows, summarise)

    if args.dataset == "all":
        datasets = ["diabetes", "digits"]
    elif args.dataset in TASKS:
        datasets = [args.dataset]
    else:
        raise InputError(f"unknown dataset {args.dataset!r}; one of {', '.join(TASKS)} or all")
    if args.seeds < 1 or args.seeds > 100:
        raise InputError("--seeds must lie in 1..100")
    _sweep.exec_spec(args)
    out = check_output_dir(args.out, "--out")
    if args.plot:
        check_output_path(args.plot, "--plot")
    params = [{"dataset": d, "seed": s} for d in datasets for s in range(args.seeds)]
    with _sweep.open_store(args, out) as store:
        sweep = _sweep.run(Sweep("ecp", seed_rows), params, args, store, "ecp")
    rows = [r for part in sweep.results for r in part]
    config = experiment_config(datasets, args.seeds)
    summary = summarise(rows)
    with open(out / "results.json", "w") as fh:
        json.dump({"config": config, "summary": summary, "rows": rows}, fh, indent=1)
    for name, part in (("rows.csv", rows), ("summary.csv", summary)):
        keys = sorted({k for r in part for k in r})
        with open(out / name, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=keys)
            w.writeheader()
            w.writerows(part)
    tables = {d: markdown_table(summary, d) for d in datasets}
    with open(out / "table.md", "w") as fh:
        for d in datasets:
            fh.write(f"### {d}\n\n{tables[d]}\n")
    if args.plot:
        plot(summary, args.plot)
    if args.json:
        emit_json({"experiment": "ecp", "out": os.path.abspath(out), "plot": args.plot, "config": config,
                   "summary": summary, "sweep": {"tasks": sweep.total, "from_store": sweep.from_store,
                                                 "computed": sweep.computed, "where": sweep.where}})
        return 0
    for d in datasets:
        sel = [r for r in summary if r["dataset"] == d]
        methods = [m for m in METHODS if any(r["method"] == m for r in sel)]
        cell = {(r["method"], r["sparsity"]): f"{r['mean']:.3f}±{_short(r['std'])}" for r in sel}
        spars = sorted({r["sparsity"] for r in sel})
        render_table([Col("sparsity", whole=True)] + [Col(m) for m in methods],
                     [[f"{s:.2f}"] + [cell[(m, s)] for m in methods] for s in spars],
                     title=f"{d}: test {sel[0]['metric']}, mean±std over {sel[0]['n']} seeds (no fine-tuning)")
    out_console().print(f"files: {os.path.abspath(out)}")
    return 0


def _short(x: float) -> str:
    """0.102 -> ".102" (keeps five methods' columns within 80 characters)."""
    t = f"{x:.3f}"
    return t[1:] if t.startswith("0.") else t
