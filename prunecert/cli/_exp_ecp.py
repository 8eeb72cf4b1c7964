"""``prunecert experiment ecp``: elimination-compensation pruning vs magnitude, gradient and random
pruning on small trained networks (no fine-tuning).  Thin over :mod:`prunecert.bounds.elimination.ecp_pruning`."""
from __future__ import annotations

import csv
import json
import os

from prunecert.checks.errors import InputError

DEFAULT_OUT = os.path.join("out", "experiment-ecp")


def register_experiment(sub) -> None:
    p = sub.add_parser("ecp", help="elimination-compensation pruning vs magnitude/gradient/random (seed 004)")
    p.add_argument("--dataset", default="all",
                   help="diabetes | digits | synthetic-regression | all (= diabetes and digits); default all")
    p.add_argument("--seeds", type=int, default=5, help="number of seeds (networks) per dataset (default 5)")
    p.add_argument("--plot", metavar="FILE", help="write the loss/accuracy-vs-sparsity plot (PNG)")
    p.add_argument("--out", metavar="DIR", default=DEFAULT_OUT,
                   help=f"directory for results.json, rows.csv, summary.csv, table.md (default {DEFAULT_OUT})")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON document on stdout")
    p.set_defaults(func=run)


def run(args) -> int:
    from prunecert.cli._render import Col, check_output_dir, check_output_path, emit_json, progress, render_table
    from prunecert.bounds.elimination.ecp_pruning import METHODS, TASKS, markdown_table, plot, run_experiment, summarise

    if args.dataset == "all":
        datasets = ["diabetes", "digits"]
    elif args.dataset in TASKS:
        datasets = [args.dataset]
    else:
        raise InputError(f"unknown dataset {args.dataset!r}; one of {', '.join(TASKS)} or all")
    if args.seeds < 1 or args.seeds > 100:
        raise InputError("--seeds must lie in 1..100")
    check_output_dir(args.out, "--out")          # before any work
    if args.plot:
        check_output_path(args.plot, "--plot")
    with progress() as bar:
        task = bar.add_task("ecp experiment", total=len(datasets) * args.seeds * len(METHODS))
        res = run_experiment(datasets, args.seeds, on_progress=lambda d: bar.update(task, advance=1, description=d))
    summary = summarise(res["rows"])
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w") as fh:
        json.dump({"config": res["config"], "summary": summary, "rows": res["rows"]}, fh, indent=1)
    for name, rows in (("rows.csv", res["rows"]), ("summary.csv", summary)):
        keys = sorted({k for r in rows for k in r})
        with open(os.path.join(args.out, name), "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=keys)
            w.writeheader()
            w.writerows(rows)
    tables = {d: markdown_table(summary, d) for d in datasets}
    with open(os.path.join(args.out, "table.md"), "w") as fh:
        for d in datasets:
            fh.write(f"### {d}\n\n{tables[d]}\n")
    if args.plot:
        plot(summary, args.plot)
    if args.json:
        emit_json({"experiment": "ecp", "out": os.path.abspath(args.out), "plot": args.plot,
                   "config": res["config"], "summary": summary})
        return 0
    for d in datasets:
        sel = [r for r in summary if r["dataset"] == d]
        methods = [m for m in METHODS if any(r["method"] == m for r in sel)]
        cells = {(r["method"], r["sparsity"]): f"{r['mean']:.3f} ± {r['std']:.3f}" for r in sel}
        render_table([Col("sparsity", whole=True)] + [Col(m, whole=True) for m in methods],
                     [[f"{s:.2f}"] + [cells.get((m, s), "") for m in methods]
                      for s in sorted({r["sparsity"] for r in sel})],
                     title=f"{d}: test {sel[0]['metric']} (mean ± std over {sel[0]['n']} seeds), no fine-tuning")
    print(f"files in {os.path.abspath(args.out)}" + (f", plot {args.plot}" if args.plot else ""))
    return 0
