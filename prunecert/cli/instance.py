"""``prunecert instance NET.json --mode weight|neuron --eps E``: decide one pruning instance.

weight mode: run the block construction (prunecert.bounds.gap.weight_construction) and certify the sup error
of the pruned network.  ``achievable`` is true exactly when the certified upper end hi <= eps,
false when the certified lower end lo > eps (or the construction does not apply), and null
(undecided) when lo <= eps < hi.  Note: "achievable" speaks about *this construction*; false
does not prove that no other weight mask reaches eps.

neuron mode: delegates to prunecert.checks.instances.neuron_subset.solve_instance (exact neuron-subset search).

Exit code 0 when the question is decided (achievable true or false), 2 when undecided, 3 on bad input.
"""
from __future__ import annotations

import math
import sys

from prunecert.cli._render import err_console, print_json
from prunecert.checks.errors import InputError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "instance", help="decide a pruning instance (weight: construction + certified error; neuron: exact search)",
        description=__doc__.splitlines()[0])
    p.add_argument("network", metavar="NET.json")
    p.add_argument("--mode", choices=["weight", "neuron"], required=True)
    p.add_argument("--eps", required=True, help="accuracy (decimal or fraction, > 0)")
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.add_argument("--timeout", type=float, default=60.0, help="time budget in seconds (default 60)")
    p.set_defaults(func=run)


def _eps(text: str):
    from prunecert.checks.rigorous.numbers import to_fraction

    if text.strip().lower() in ("nan", "inf", "-inf", "+inf", "infinity"):
        raise InputError(f"--eps must be a finite number > 0, got {text!r}")
    q = to_fraction(text, "--eps")
    if q <= 0:
        raise InputError(f"--eps must be > 0, got {text}")
    return q


def run(args) -> int:
    from prunecert.checks.instances.network import Network
    from prunecert.checks.rigorous.numbers import fraction_to_decimal

    eps = _eps(args.eps)
    if not (args.timeout > 0 and math.isfinite(args.timeout)):
        raise InputError("--timeout must be a finite number > 0")
    net = Network.from_json(args.network)
    if args.mode == "neuron":
        try:
            from prunecert.checks.instances.neuron_subset import solve_instance
        except ImportError:
            print("prunecert: neuron mode needs prunecert.checks.instances.neuron_subset (not installed in this checkout)",
                  file=sys.stderr)
            return 2
        res = solve_instance(net, eps, timeout=args.timeout)
        out = res.to_json()
        if args.json:
            print_json(out)
        else:
            err_console.print(f"[bold]neuron pruning[/bold], n = {net.n}, d = {net.d}, model {net.model}")
            print(f"achievable: {out.get('achievable')}")
            print(f"best error in [{out['best_error']['lo']}, {out['best_error']['hi']}]")
            print(f"subset: {out.get('subset')}")
        return 2 if out.get("achievable") is None else 0

    from prunecert.bounds.gap.weight_construction import construct

    res = construct(net, eps=eps, timeout=args.timeout)
    ach = res.achievable(eps) if res.applicable else False
    out = {
        "mode": "weight",
        "eps": fraction_to_decimal(eps, 20),
        "achievable": ach,
        "applicable": res.applicable,
        "error": ({"lo": fraction_to_decimal(res.error.lo, 12, "down"),
                   "hi": fraction_to_decimal(res.error.hi, 12, "up")} if res.error else None),
        "analytic_bound": fraction_to_decimal(res.analytic_hi, 12, "up") if res.analytic_hi is not None else None,
        "neuron_mask": res.neuron_mask,
        "weight_mask": res.weight_mask,
        "kept_units": sum(res.neuron_mask),
        "kept_weights": sum(map(sum, res.weight_mask)),
        "instances": [i.to_json() for i in res.instances],
        "failed_instances": [i.failed for i in res.failed_instances],
        "method": "block construction (MATH.md 1.2) + " + (res.error.method if res.error else "none"),
        "reason": res.reason,
        "n": net.n, "d": net.d, "model": net.model,
        "seconds": round(res.seconds, 4),
    }
    if args.json:
        print_json(out)
    else:
        err_console.print(f"[bold]weight pruning[/bold] by the block construction: n = {net.n}, d = {net.d}, "
                          f"model {net.model}")
        if not res.applicable:
            print(f"achievable: false (construction does not apply)\nreason: {res.reason}")
        else:
            e = out["error"]
            print(f"certified sup error in [{e['lo']}, {e['hi']}]  (analytic bound {out['analytic_bound']})")
            print(f"eps = {out['eps']}: achievable = {str(ach).lower() if ach is not None else 'undecided (lo <= eps < hi)'}")
            print(f"kept units: {out['kept_units']} / {net.n}, kept weights: {out['kept_weights']} / {net.n * net.d}")
            print("neuron_mask: " + "".join(map(str, res.neuron_mask)))
            print("weight_mask: " + " ".join("".join(map(str, row)) for row in res.weight_mask))
            for msg in out["failed_instances"]:
                print(f"failed instance: {msg}")
    return 2 if ach is None else 0
