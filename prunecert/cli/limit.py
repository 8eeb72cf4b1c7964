"""``prunecert limit --demo`` (or ``prunecert limit --dataset digits --seed 0 ...``): the seed-003
pruning-ratio threshold predicted from the exact Hessian spectrum vs the measured threshold of
global magnitude pruning on small networks (prunecert.bounds.limit.limit_experiments)."""
from __future__ import annotations


def register(subparsers) -> None:
    p = subparsers.add_parser("limit", help="predicted vs actual pruning-ratio threshold on small networks (seed 003)",
                              description="Train small l1-regularised MLPs, compute the exact Hessian spectrum, predict "
                                          "the pruning threshold p* (G(R(p)) = p, certified crossing) and measure the "
                                          "actual one by global magnitude pruning.")
    p.add_argument("--demo", action="store_true", help="run the bundled small cases (digits + synthetic)")
    p.add_argument("--dataset", choices=("digits", "synthetic"), help="run one network on this dataset")
    p.add_argument("--seed", default="0", help="seed (data split, init, training)")
    p.add_argument("--hidden", default="16", help="hidden widths, comma separated (default 16)")
    p.add_argument("--l1", default="1e-4", help="l1 regularisation strength")
    p.add_argument("--epochs", default="40", help="training epochs")
    p.add_argument("--tol", default="0", help="accuracy tolerance for the actual threshold (default 0)")
    p.add_argument("--json", action="store_true", help="print the full results as JSON on stdout")
    from prunecert.cli import _sweep

    _sweep.add_arguments(p, store_default="not kept")
    p.set_defaults(func=run)


def run(args) -> int:
    from prunecert.cli._render import Col, emit_json, render_table
    from prunecert.checks.errors import InputError
    from prunecert.checks.rigorous.numbers import to_fraction

    from prunecert.bounds.limit.limit_experiments import DEMO_CASES, threshold_experiment

    if args.demo == bool(args.dataset):
        raise InputError("give either --demo or --dataset")
    if args.demo:
        cases = [dict(c) for c in DEMO_CASES]
    else:
        try:
            hidden = tuple(int(h) for h in args.hidden.split(","))
        except ValueError:
            raise InputError(f"--hidden must be comma-separated integers, got {args.hidden!r}") from None
        seed = to_fraction(args.seed, "seed")
        epochs = to_fraction(args.epochs, "epochs")
        if seed.denominator != 1 or epochs.denominator != 1 or epochs < 1 or any(h < 1 for h in hidden):
            raise InputError("--seed, --epochs and --hidden must be (positive) integers")
        l1 = float(to_fraction(args.l1, "l1"))
        if l1 < 0:
            raise InputError("--l1 must be >= 0")
        cases = [{"dataset": args.dataset, "hidden": hidden, "l1": l1, "epochs": int(epochs), "lr": 1e-2,
                  "seed": int(seed)}]
    tol = float(to_fraction(args.tol, "tol"))
    if not 0 <= tol < 1:
        raise InputError("--tol must lie in [0, 1)")
    from prunecert.checks.sweep import Sweep
    from prunecert.cli import _sweep

    _sweep.exec_spec(args)
    # one sweep task per network (several with --demo): on Dask by default, in order; with --store
    # a rerun reuses the finished networks
    params = [{**c, "hidden": list(c["hidden"]), "tol": tol} for c in cases]
    with _sweep.open_store(args, None) as store:
        results = _sweep.run(Sweep("limit", threshold_experiment), params, args, store, "limit").results
    if args.json:
        emit_json({"command": "limit", "tol": tol, "results": results})
        return 0
    cols = [Col("network"), Col("params", whole=True), Col("dense acc", whole=True),
            Col("eps", whole=True, optional=True), Col("predicted", whole=True),
            Col("trace version", whole=True, optional=True), Col("actual", whole=True),
            Col("actual (tol 1%)", whole=True, optional=True), Col("gap (pts)", whole=True)]
    rows = [(f"{r['dataset']} {'-'.join(map(str, r['sizes']))} seed {r['seed']}", r["params"],
             f"{r['acc_dense']:.4f}", f"{r['eps']:.3g}", f"{100 * r['predicted']:.2f}%",
             f"{100 * r['predicted_trace_version']:.2f}%", f"{100 * r['actual']:.2f}%",
             f"{100 * r['actual_tol_1pct']:.2f}%", f"{r['gap_points']:+.2f}") for r in results]
    render_table(cols, rows, title="Pruning-ratio threshold: predicted (G(R(p)) = p) vs actual "
                                   "(global magnitude pruning)")
    return 0
