"""``prunecert recheck FILE``: re-verify a certificate (interval prover or exact decision) independently.

Exit 0 if it re-checks, 1 if rejected, 2 if the time limit ran out first (UNKNOWN: no
verdict, never a rejection), 3 if the file is unreadable or not a certificate.
"""
from __future__ import annotations


def register(subparsers):
    p = subparsers.add_parser(
        "recheck", help="re-verify a prover certificate independently",
        description="Re-verify a certificate written by 'prunecert prove --certificate FILE'. "
                    "Exit 0 if it re-checks, 1 if rejected, 2 if --timeout ran out first (UNKNOWN, "
                    "not a rejection), 3 if the file is not a certificate.")
    p.add_argument("file")
    p.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS",
                   help="time limit in seconds (default 600); running out is UNKNOWN (exit 2)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.set_defaults(func=run)


def run(args) -> int:
    from prunecert.checks.decide import smt
    from prunecert.checks.inequality.certificate import FORMAT, load
    from prunecert.cli._render import print_json
    from prunecert.checks.inequality.recheck import recheck

    import math

    from prunecert.checks.errors import InputError
    from prunecert.checks.instances import neuron_certificate

    t = args.timeout
    if t is None or not (t > 0 and math.isfinite(t)):
        raise InputError(f"--timeout must be a positive finite number of seconds, got {t}")
    cert = load(args.file, formats=(FORMAT, smt.CERT_FORMAT, neuron_certificate.FORMAT))
    if cert["format"] == neuron_certificate.FORMAT:
        # neuron-pruning optimum: points, integer data, tree and the subset's sup error re-derived
        out = neuron_certificate.recheck(cert, timeout=t)
        timed_out = not out["ok"] and "ran out of time" in str(out.get("detail", ""))
        out.setdefault("verdict", "OK" if out["ok"] else "UNKNOWN" if timed_out else "REJECTED")
    elif cert["format"] == smt.CERT_FORMAT:
        # exact-decision certificates (prover's SMT rung, prove_forall, feasible_01):
        # script re-derived from the statement, witnesses re-checked exactly, unsat re-decided by z3 and cvc5
        r = smt.recheck_certificate(cert, timeout=t)
        verdict = "OK" if r.ok else "UNKNOWN" if getattr(r, "timed_out", False) else "REJECTED"
        out = {"ok": r.ok, "verdict": verdict, "detail": r.detail}
    else:
        res = recheck(cert, timeout=t)
        out = res.to_json()
    if args.json:
        print_json({"file": args.file, "claim": cert.get("claim", cert.get("statement")),
                    "status": cert.get("status"), **out})
    else:
        print(f"{out['verdict']}  " + out["detail"])
    return {"OK": 0, "UNKNOWN": 2}.get(out["verdict"], 1)
