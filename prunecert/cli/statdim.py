"""``prunecert statdim KIND --d D [--s S] [--k K] [--alpha A] [--digits N] [--json]``:
certified statistical dimensions (prunecert.bounds.limit.statdim).  Exit 0 on success, 3 on bad input."""
from __future__ import annotations

from fractions import Fraction

KINDS = ("orthant", "subspace", "self-dual", "circular", "l1-descent")


def register(subparsers) -> None:
    p = subparsers.add_parser("statdim", help="certified statistical dimension of a cone",
                              description="Certified statistical dimension delta(C) = E||Pi_C(g)||^2. "
                                          "Exact kinds print an enclosure of delta (lo rounded down, hi up); "
                                          "l1-descent prints certified outer ends of the ALMT bounds "
                                          "d psi(s/d) - 2 sqrt(d/s) <= delta <= d psi(s/d).")
    p.add_argument("kind", choices=KINDS, metavar="KIND", help="one of " + ", ".join(KINDS))
    p.add_argument("--d", required=True, help="ambient dimension (integer >= 1)")
    p.add_argument("--s", help="sparsity for l1-descent (1 <= s <= d)")
    p.add_argument("--k", help="subspace dimension (0 <= k <= d)")
    p.add_argument("--alpha", help="half-angle of the circular cone in (0, pi/2]: exact decimal radians "
                                   "('0.5') or a rational multiple of pi ('pi/4', '3*pi/8')")
    p.add_argument("--digits", default="20", help="significant digits of the printed enclosure (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    p.set_defaults(func=run)


def _int(text, what):
    from prunecert.checks.errors import InputError
    from prunecert.checks.rigorous.numbers import to_fraction

    if text is None:
        raise InputError(f"--{what} is required for this kind")
    q = to_fraction(text, what)
    if q.denominator != 1:
        raise InputError(f"--{what} must be an integer, got {text}")
    return int(q)


def run(args) -> int:
    from prunecert.bounds.limit import statdim as sd
    from prunecert.checks.rigorous.arith import exact_endpoints
    from prunecert.cli._render import emit_json, out_console
    from prunecert.checks.errors import InputError

    d = _int(args.d, "d")
    digits = _int(args.digits, "digits")
    if not 1 <= digits <= 1000:
        raise InputError("--digits must lie in [1, 1000]")
    if d < 1:
        raise InputError(f"--d must be >= 1, got {d}")
    out = {"kind": args.kind, "d": d}
    if args.kind == "l1-descent":
        s = _int(args.s, "s")
        if not 1 <= s <= d:
            raise InputError(f"--s must satisfy 1 <= s <= d = {d}, got {s}")
        prec = max(128, int(3.4 * digits) + 64)
        lo, hi, enc = sd.l1_descent_bounds(d, s, prec=prec)
        out["s"] = s
        from prunecert.checks.rigorous.numbers import fraction_to_decimal

        out["lower"] = fraction_to_decimal(lo, digits, "down")
        out["upper"] = fraction_to_decimal(hi, digits, "up")
        out["psi"] = {"lo": fraction_to_decimal(enc.psi_lo, digits, "down"),
                      "hi": fraction_to_decimal(enc.psi_hi, digits, "up")}
        out["tau_star"] = {"lo": fraction_to_decimal(enc.tau_lo, digits, "down"),
                           "hi": fraction_to_decimal(enc.tau_hi, digits, "up")}
        out["method"] = "psi by certified bisection on F'(tau) (arb); bounds from ALMT Prop. 4.5 (CLAIMED)"
        text = f"{out['lower']} <= delta <= {out['upper']}   (d psi(s/d) with psi in [{out['psi']['lo']}, {out['psi']['hi']}])"
    else:
        if args.kind == "orthant":
            lo = hi = sd.orthant(d)
            method = "exact: d/2"
        elif args.kind == "self-dual":
            lo = hi = sd.self_dual(d)
            method = "exact: d/2 (any self-dual cone)"
        elif args.kind == "subspace":
            k = _int(args.k, "k")
            lo = hi = sd.subspace(d, k)
            out["k"] = k
            method = "exact: k"
        else:  # circular
            if args.alpha is None:
                raise InputError("--alpha is required for circular")
            ang = sd.parse_angle(args.alpha)
            out["alpha"] = ang.text()
            x = sd.enclosure(lambda: sd.circular(d, ang), digits)
            lo, hi = exact_endpoints(x)
            method = "arb: sum_k k v_k with certified intrinsic volumes (regularised incomplete beta, Gamma)"
        enc = sd.decimal_enclosure(Fraction(lo), Fraction(hi), digits)
        out["delta"] = enc
        out["exact"] = str(lo) if lo == hi else None
        out["method"] = method
        text = f"delta in [{enc['lo']}, {enc['hi']}]"
    if args.json:
        emit_json(out)
    else:  # the result once, on stdout
        con = out_console()
        con.print(f"statdim {args.kind} d={d}: {text}")
        con.print(f"method: {out['method']}")
    return 0
