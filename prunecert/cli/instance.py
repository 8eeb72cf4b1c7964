"""``prunecert instance NET.json --mode weight|neuron --eps E``: decide one pruning instance.

The question: does some mask bring the certified sup error over the unit ball to eps or below?
weight mode: masks of individual hidden weights u_ij (prunecert.bounds.gap.weight_instance);
neuron mode: subsets of hidden units (prunecert.checks.instances.neuron_subset).

achievable: true = a mask is certified to reach eps (the witness is printed); false = proved that
no mask reaches eps (a certified lower bound on the best error exceeds eps); null = not settled
within the budget.  best_error {lo, hi} encloses the best error over all masks.  In weight mode
the block construction is reported separately under ``construction`` (reaches_eps speaks only of
that one mask).  Every field is listed in docs/instances.md.

--optimum (neuron mode): the certified optimum itself, eps optional -- best_error {lo, hi}, the
subset achieving hi, lower_complete, exact (hi - lo <= 1e-4 hi) and the method (HiGHS incumbents,
lower bound from a certified LP/interval tree, prunecert.checks.instances.neuron_milp); with --eps
also achievable, and below the optimum still the best subset found and the certified lo.
--certificate FILE writes a certificate that ``prunecert recheck FILE`` re-verifies.
--workers N lets the certified tree search use N processes (the certificate is the same format).
--highs-runs N: HiGHS runs per round, each with its own random seed, at once (default 2 on a
machine with several cores, else 1); every subset they return is certified, the best is kept.

Exit code 0 achievable true, 1 achievable false, 2 undecided, 3 bad input; with --optimum and
no --eps: 0 when the optimum is certified exactly (hi - lo <= 1e-4 hi), else 2.
"""
from __future__ import annotations

import json
import math
import sys
import textwrap

from prunecert.cli._render import emit_json, out_console, spinner
from prunecert.checks.errors import InputError

EXIT = {True: 0, False: 1, None: 2}


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "instance", help="decide a pruning instance: can some weight mask / neuron subset reach eps?",
        description=__doc__.splitlines()[0])
    p.add_argument("network", metavar="NET.json")
    p.add_argument("--mode", choices=["weight", "neuron"], required=True)
    p.add_argument("--eps", help="accuracy (decimal or fraction, > 0); required unless --optimum")
    p.add_argument("--optimum", action="store_true",
                   help="neuron mode: certify the optimal error itself (HiGHS incumbents + certified tree)")
    p.add_argument("--certificate", metavar="FILE",
                   help="with --optimum: write a certificate for 'prunecert recheck'")
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.add_argument("--timeout", type=float, default=60.0, help="time budget in seconds (default 60)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="with --optimum: processes for the certified tree search (default 1)")
    p.add_argument("--highs-runs", type=int, default=None, metavar="N",
                   help="with --optimum: HiGHS runs per round, each with its own seed (default: 2 "
                        "with several cores, else 1)")
    p.set_defaults(func=run)


def _eps(text: str):
    from prunecert.checks.rigorous.numbers import to_fraction

    if text.strip().lower() in ("nan", "inf", "-inf", "+inf", "infinity"):
        raise InputError(f"--eps must be a finite number > 0, got {text!r}")
    q = to_fraction(text, "--eps")
    if q <= 0:
        raise InputError(f"--eps must be > 0, got {text}")
    return q


def solve(net, mode: str, eps, *, timeout: float, progress=None):
    """The Python API behind the command: a result object with ``to_json()`` and ``achievable``."""
    if mode == "neuron":
        from prunecert.checks.instances.neuron_subset import solve_instance

        if progress:
            progress("neuron-subset search")
        return solve_instance(net, eps, timeout=timeout)
    if mode == "weight":
        from prunecert.bounds.gap.weight_instance import solve_weight_instance

        return solve_weight_instance(net, eps, timeout=timeout, progress=progress)
    raise InputError(f"mode must be 'weight' or 'neuron', got {mode!r}")


def _v(x) -> str:
    """A scalar exactly as JSON writes it (true / false / null / numbers / strings unquoted)."""
    return x if isinstance(x, str) else json.dumps(x)


def _mask(rows) -> str:
    return " ".join("".join(map(str, r)) for r in rows) if rows else "(no units)"


def render(out: dict) -> list[str]:
    """The table form of the JSON document (same names, same values)."""
    be = out["best_error"]
    lines = [f"mode: {out['mode']}   n = {out['n']}, d = {out['d']}, model {out['model']}",
             f"eps: {_v(out['eps'])}",
             f"achievable: {_v(out['achievable'])}",
             f"best_error: [{be['lo']}, {be['hi']}]"]
    if out["mode"] == "neuron":
        lines += [f"subset: {out['subset']}",
                  f"lower_complete: {_v(out['lower_complete'])}   points: {out['points']}   rounds: {out['rounds']}",
                  f"method: {out['method']}   sup_method: {out['sup_method']}"]
    else:
        wt, lb = out["witness"], out["lower_bound"]
        lines += [f"witness.source: {wt['source']}   kept_units: {wt['kept_units']}   "
                  f"kept_weights: {wt['kept_weights']}",
                  f"witness.weight_mask: {_mask(wt['weight_mask'])}",
                  f"lower_bound: {lb['method']}   complete: {_v(lb['complete'])}   points: {lb['points']}   "
                  f"rounds: {lb['rounds']}"]
        c = out["construction"]
        e = c.get("error")
        lines += [f"construction.applicable: {_v(c['applicable'])}   reaches_eps: {_v(c['reaches_eps'])}",
                  f"construction.error: {'[' + e['lo'] + ', ' + e['hi'] + ']' if e else 'null'}   "
                  f"analytic_bound: {_v(c.get('analytic_bound'))}"]
        if c.get("weight_mask") is not None:
            lines += [f"construction.weight_mask: {_mask(c['weight_mask'])}"]
        for msg in c.get("failed_instances") or []:
            lines.append(f"construction.failed_instance: {msg}")
        if not c["applicable"] and c.get("reason"):
            lines.append(f"construction.reason: {c['reason']}")
        if c.get("note"):
            lines.append(f"construction.note: {c['note']}")
    if out.get("detail"):
        lines.append(f"detail: {out['detail']}")
    lines.append(f"seconds: {out['seconds']}")
    return lines


def _fit(lines: list[str], width: int) -> str:
    """Wrap long ``name: value`` lines at spaces (continuations indented), never cutting a word."""
    out = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
        else:
            out.append(textwrap.fill(line, width, subsequent_indent="    ", break_long_words=False,
                                     break_on_hyphens=False))
    return "\n".join(out)


def run(args) -> int:
    from prunecert.checks.instances.network import Network

    if getattr(args, "optimum", False):
        return _run_optimum(args)
    if args.eps is None:
        raise InputError("--eps is required (or use --optimum in neuron mode)")
    if getattr(args, "certificate", None):
        raise InputError("--certificate needs --optimum")
    eps = _eps(args.eps)
    if not (args.timeout > 0 and math.isfinite(args.timeout)):
        raise InputError("--timeout must be a finite number > 0")
    net = Network.from_json(args.network)
    with spinner(f"{args.mode} pruning, n = {net.n}, d = {net.d}") as bar:
        task = bar.tasks[0].id
        res = solve(net, args.mode, eps, timeout=args.timeout,
                    progress=lambda msg: bar.update(task, description=f"{args.mode} pruning: {msg}"))
    out = res.to_json()
    if args.json:
        emit_json(out)
    else:
        con = out_console()
        con.print(_fit(render(out), con.width))
    return EXIT[out["achievable"]]


def _run_optimum(args) -> int:
    from prunecert.checks.instances.network import Network
    from prunecert.checks.instances.neuron_milp import optimum
    from prunecert.cli._render import check_output_path, write_json

    if args.mode != "neuron":
        raise InputError("--optimum is available in neuron mode only")
    eps = None if args.eps is None else _eps(args.eps)
    if not (args.timeout > 0 and math.isfinite(args.timeout)):
        raise InputError("--timeout must be a finite number > 0")
    if not 1 <= args.workers <= 64:
        raise InputError(f"--workers must be from 1 to 64, got {args.workers}")
    if args.highs_runs is not None and not 1 <= args.highs_runs <= 16:
        raise InputError(f"--highs-runs must be from 1 to 16, got {args.highs_runs}")
    if args.certificate:
        check_output_path(args.certificate, "--certificate")
    net = Network.from_json(args.network)
    with spinner(f"neuron optimum, n = {net.n}, d = {net.d}") as bar:
        task = bar.tasks[0].id
        res = optimum(net, timeout=args.timeout, eps=eps, certificate=bool(args.certificate),
                      workers=args.workers, highs_seeds=args.highs_runs, progress=lambda msg: bar.update(task, description=f"neuron optimum: {msg}"))
    out = res.to_json()
    if args.certificate:
        if res.cert is None:
            out["certificate"] = None
            print("prunecert: no certificate written (no units: nothing to search)", file=sys.stderr)
        else:
            write_json(res.cert, args.certificate)
            out["certificate"] = str(args.certificate)
    if args.json:
        emit_json(out)
    else:
        lines = render(out)
        lines.insert(4, f"exact: {_v(out['exact'])}   tree: {out['tree'].get('nodes', 0)} nodes, "
                        f"complete {_v(out['tree'].get('complete', True))}")
        if args.certificate:
            lines.append(f"certificate: {_v(out['certificate'])}")
        con = out_console()
        con.print(_fit(lines, con.width))
    if eps is not None:
        return EXIT[out["achievable"]]
    return 0 if out["exact"] and out["lower_complete"] else 2
