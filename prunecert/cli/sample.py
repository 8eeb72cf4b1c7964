"""``prunecert sample``: write a random network (exact decimal weights) as JSON."""
from __future__ import annotations

import json
import sys

from prunecert.cli._render import err_console


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "sample", help="sample a random two-layer ReLU network and target as exact JSON",
        description="Sample a bias-free two-layer ReLU network u (n x d), v (n) with i.i.d. Uniform[-1,1] or "
                    "standard Gaussian entries rounded to 6 decimals (exact), and a target w (random unit "
                    "vector rounded toward 0, or e1). JSON on stdout or --out FILE.")
    p.add_argument("--n", type=int, required=True, help="width (number of hidden units)")
    p.add_argument("--d", type=int, required=True, help="input dimension")
    p.add_argument("--seed", type=int, required=True, help="seed of the numpy Generator")
    p.add_argument("--dist", choices=["uniform", "gaussian"], default="uniform")
    p.add_argument("--model", choices=["A", "B"], default="B", help="A: linear output, B: output ReLU")
    p.add_argument("--target", choices=["random", "e1"], default="random")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout (checked before sampling)")
    p.add_argument("--json", action="store_true",
                   help="the network is JSON already; with --out, print {out, n, d, model} as JSON on stdout")
    p.set_defaults(func=run)


MAX_ENTRIES = 2_000_000   # n * (d + 1) weights written as exact decimal text


def run(args) -> int:
    from prunecert.checks.errors import InputError
    from prunecert.checks.instances.network import sample
    from prunecert.cli._render import check_output_path, emit_json

    if args.seed < 0:
        raise InputError(f"--seed must be a non-negative integer, got {args.seed}")
    if args.n < 1 or args.d < 1:
        raise InputError(f"need --n >= 1 and --d >= 1, got n = {args.n}, d = {args.d}")
    if args.n * (args.d + 1) > MAX_ENTRIES:
        raise InputError(f"--n {args.n} --d {args.d} means {args.n * (args.d + 1)} weights; "
                         f"at most {MAX_ENTRIES} are supported")
    if args.out:
        check_output_path(args.out, "--out")
    net = sample(args.n, args.d, seed=args.seed, dist=args.dist, model=args.model, target=args.target)
    obj = net.to_json()
    obj["meta"] = {"seed": args.seed, "dist": args.dist, "digits": 6, "target": args.target,
                   "generator": "numpy.random.default_rng"}
    if args.out:
        try:
            with open(args.out, "w") as fh:
                json.dump(obj, fh, indent=1)
                fh.write("\n")
        except OSError as exc:
            raise InputError(f"cannot write {args.out}: {exc.strerror or exc}") from None
        err_console.print(f"wrote {args.out} (n = {net.n}, d = {net.d}, model {net.model})")
        if args.json:
            emit_json({"out": args.out, "n": net.n, "d": net.d, "model": net.model, "seed": args.seed})
    else:
        json.dump(obj, sys.stdout, indent=1)
        sys.stdout.write("\n")
    return 0
