"""``prunecert recheck FILE``: re-verify a prover certificate with the independent checker.

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
    from checks.certificate import load
    from checks.cli._render import print_json
    from checks.recheck import recheck

    cert = load(args.file)
    res = recheck(cert)
    if args.json:
        print_json({"file": args.file, "claim": cert.get("claim"), "status": cert.get("status"), **res.to_json()})
    else:
        print(("OK  " if res.ok else "REJECTED  ") + res.detail)
    return 0 if res.ok else 1
