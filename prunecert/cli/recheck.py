"""``prunecert recheck FILE``: re-verify a certificate (interval prover or exact decision) independently.

Exit 0 if it re-checks, 1 if rejected, 3 if the file is unreadable or not a certificate.
"""
from __future__ import annotations


def register(subparsers):
    p = subparsers.add_parser(
        "recheck", help="re-verify a prover certificate independently",
        description="Re-verify a certificate written by 'prunecert prove --certificate FILE'. "
                    "Exit 0 if it re-checks, 1 if rejected, 3 if the file is not a certificate.")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.set_defaults(func=run)


def run(args) -> int:
    from prunecert.checks.decide import smt
    from prunecert.checks.inequality.certificate import FORMAT, load
    from prunecert.cli._render import print_json
    from prunecert.checks.inequality.recheck import recheck

    from prunecert.checks.instances import neuron_certificate

    cert = load(args.file, formats=(FORMAT, smt.CERT_FORMAT, neuron_certificate.FORMAT))
    if cert["format"] == neuron_certificate.FORMAT:
        # neuron-pruning optimum: points, integer data, tree and the subset's sup error re-derived
        out = neuron_certificate.recheck(cert)
    elif cert["format"] == smt.CERT_FORMAT:
        # exact-decision certificates (prover's SMT rung, prove_forall, feasible_01):
        # script re-derived from the statement, witnesses re-checked exactly, unsat re-decided by z3 and cvc5
        r = smt.recheck_certificate(cert)
        out = {"ok": r.ok, "detail": r.detail}
    else:
        res = recheck(cert)
        out = res.to_json()
    if args.json:
        print_json({"file": args.file, "claim": cert.get("claim", cert.get("statement")),
                    "status": cert.get("status"), **out})
    else:
        print(("OK  " if out["ok"] else "REJECTED  ") + out["detail"])
    return 0 if out["ok"] else 1
