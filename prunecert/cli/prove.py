"""``prunecert prove "EXPR OP EXPR" --var NAME=[LO,HI] ...``: certify, refute or give up.

Exit code 0 PROVED, 1 REFUTED, 2 UNKNOWN, 3 bad input.
"""
from __future__ import annotations

import sys

from prunecert.checks.errors import BoxError, InputError


def register(subparsers):
    p = subparsers.add_parser(
        "prove", help="prove or refute a real inequality over a box (rigorous branch and bound)",
        description="Prove or refute 'EXPR OP EXPR' (OP one of >=, >, <=, <) for all points of a box. "
                    "Exit 0 PROVED, 1 REFUTED, 2 UNKNOWN, 3 bad input.")
    p.add_argument("claim", help='e.g. "cos(t) <= 1 - t**2/2 + t**4/24"')
    p.add_argument("--var", action="append", default=[], metavar="NAME=[LO,HI]",
                   help="variable box; bounds as integers, decimals or fractions (1/100); repeat per variable")
    p.add_argument("--prec", type=int, default=53, metavar="BITS", help="working precision in bits (default 53)")
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="time budget (default 10)")
    p.add_argument("--max-boxes", type=int, default=200_000, metavar="N", help="box budget (default 200000)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--certificate", metavar="FILE", help="write the certificate (PROVED/REFUTED) as JSON")
    p.set_defaults(func=run)


def parse_vars(specs) -> dict:
    from prunecert.checks.rigorous.numbers import parse_box

    box = {}
    for spec in specs:
        if "=" not in spec:
            raise BoxError(f"--var expects NAME=[LO,HI], got {spec!r}")
        name, rng = spec.split("=", 1)
        name = name.strip()
        if not name.isidentifier():
            raise BoxError(f"--var {spec!r}: {name!r} is not a valid variable name")
        if name in box:
            raise BoxError(f"--var {name} given twice")
        rng = rng.strip()
        if not (rng.startswith("[") and rng.endswith("]")):
            raise BoxError(f"--var {spec!r}: the range must look like [LO,HI]")
        box[name] = parse_box(rng, f"--var {name}")
    return box


def run(args) -> int:
    from prunecert.cli._render import err_console, print_json
    from prunecert.checks.rigorous.expr import parse_relation
    from prunecert.checks.levels import Level
    from prunecert.checks.inequality.prover import prove

    from prunecert.cli._render import check_output_path

    if args.certificate:                   # an unwritable path is refused before any work
        check_output_path(args.certificate, "--certificate")
    box = parse_vars(args.var)
    if not box:
        raise BoxError("give at least one --var NAME=[LO,HI]")
    if args.timeout is None or not (args.timeout > 0) or args.timeout == float("inf"):
        raise InputError(f"--timeout must be a positive finite number of seconds, got {args.timeout}")
    from prunecert.checks.rigorous.budget import time_limit

    parsed = None
    with time_limit(args.timeout + 2.0) as tl:   # sympy's automatic evaluation while building
        parsed = (parse_relation(args.claim, list(box)), parse_relation(args.claim, list(box), raw=True))
    if tl.expired or parsed is None:
        raise InputError("building the claim took longer than --timeout (a constant too costly to evaluate?)")
    (lhs, op, rhs), (raw_lhs, _, raw_rhs) = parsed
    used = {s.name for s in (lhs.free_symbols | rhs.free_symbols)}
    unused = [n for n in box if n not in used]
    box_used = {n: v for n, v in box.items() if n in used} or box
    if unused and len(box_used) < len(box):
        err_console.print(f"[yellow]note:[/] --var {', '.join(unused)} not used in the claim; ignored")
    if args.timeout is None or not (args.timeout > 0) or args.timeout == float("inf"):
        raise InputError(f"--timeout must be a positive finite number of seconds, got {args.timeout}")
    out = prove(lhs, op, rhs, box_used, prec=args.prec, timeout=args.timeout, max_boxes=args.max_boxes,
                certificate=bool(args.certificate), claim_text=args.claim.strip(), raw=(raw_lhs, raw_rhs))
    if args.certificate:
        if out.certificate is not None:
            from prunecert.checks.inequality.certificate import save
            try:
                save(out.certificate, args.certificate)
            except OSError as exc:
                raise InputError(f"cannot write certificate {args.certificate}: {exc}") from None
        else:
            err_console.print("no certificate written: the claim was not decided")
    if args.json:
        js = out.to_json()
        if args.certificate and out.certificate is not None:
            js["certificate"] = args.certificate
        print_json(js)
    else:
        line = f"{out.status.value}  method={out.method}  boxes={out.boxes}  seconds={out.seconds:.3f}"
        print(line)
        if out.witness is not None:
            print("witness: " + ", ".join(f"{k}={v}" for k, v in out.witness_strings().items()))
        if out.detail:
            print(out.detail)
    sys.stdout.flush()
    return {Level.PROVED: 0, Level.REFUTED: 1}.get(out.status, 2)
