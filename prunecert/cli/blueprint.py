"""``prunecert blueprint``: the dependency graph of each theorem, coloured by computed level."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from prunecert.checks.errors import InputError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "blueprint", help="render proof blueprints (graph of lemmas, coloured by level) as html, dot or md",
        description="Run the checks of the given theorems (default: every claim of kind theorem) and "
                    "their lemmas, then render each theorem's dependency graph: dashed edges are "
                    "statement dependencies (uses), solid edges proof dependencies (proof_uses). "
                    "html: one offline page OUT/blueprint.html with certificates in OUT/certificates/ "
                    "(never OUT/index.html, so pointing OUT at a built docs site does not replace its "
                    "home page); dot: one Graphviz file per theorem; md: OUT/blueprint.md. The written "
                    "files are listed on stdout (one JSON document with --json). A dependency cycle "
                    "is an error (exit 3).")
    p.add_argument("ids", nargs="*", metavar="ID",
                   help="claims to draw, ids or shell patterns (default: every claim of kind theorem)")
    p.add_argument("--format", choices=["html", "dot", "md"], default="html", help="output format (default html)")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory (created if missing)")
    p.add_argument("--slow", action="store_true", help="also run checks marked slow")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes for the checks")
    p.add_argument("--timeout", type=float, default=None, metavar="S",
                   help="wall-time limit per check in seconds (a check that runs longer is UNKNOWN)")
    from prunecert.cli.verify import add_claims_argument

    add_claims_argument(p)
    p.add_argument("--json", action="store_true",
                   help="print one JSON object (files written, level summary) on stdout")
    p.set_defaults(func=run)


def _proof_link(proof: str):
    """A link for a claim's written argument: URLs as they are, absolute files (user claims)
    as file:// links; shipped docs pages ("docs/page.md#anchor") stay text."""
    if re.match(r"^https?://", proof):
        return proof
    file, sep, anchor = proof.partition("#")
    if Path(file).is_absolute():
        return Path(file).as_uri() + (sep + anchor if sep else "")
    return None


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def run(args) -> int:
    from prunecert.cli.verify import user_claims_loaded

    with user_claims_loaded(args) as (from_files, user_ids, _broken):
        return _run(args, from_files, user_ids)


def _user_roots(reg, ids: list[str]) -> list[str]:
    """Roots among the claims of --claims files: their theorems, else the claims no other of
    them uses."""
    thms = [i for i in ids if reg[i].kind == "theorem"]
    if thms:
        return thms
    used = {d for i in ids for d in reg[i].dependencies()}
    return [i for i in ids if i not in used] or ids


def _run(args, from_files, user_ids) -> int:
    from prunecert.cli._render import check_output_dir, emit_json, err_console, stdout_to_stderr
    from prunecert.cli.verify import LEVEL_ORDER, build_report, evaluate_with_progress, expand_ids, job_timeout
    from prunecert.proofs import all_claims
    from prunecert.proofs.blueprint import render_dot, render_html, render_md, subgraph, theorem_ids

    reg = all_claims()
    ids = expand_ids(args.ids, reg)
    if args.jobs < 1:
        raise InputError(f"--jobs must be >= 1, got {args.jobs}")
    if args.timeout is not None and not (args.timeout > 0 and args.timeout < float("inf")):
        raise InputError(f"--timeout must be a positive number of seconds, got {args.timeout}")
    if not ids and from_files:
        ids = _user_roots(reg, from_files)
    roots = ids or theorem_ids(reg)
    for r in roots:                       # cycles / unknown dependencies: exit 3 before any work
        subgraph(reg, r)
    out = check_output_dir(args.out, "--out")
    # no ids: evaluate every claim, so the page's index also lists claims outside any theorem
    with stdout_to_stderr():
        statuses = evaluate_with_progress(ids or None, slow=args.slow, jobs=args.jobs,
                                          timeout=job_timeout(args, user_ids))
    written = []
    if args.format == "html":
        report = build_report(statuses, certificates_dir=str(out / "certificates"))
        (out / "blueprint.html").write_text(render_html(statuses, roots, report=report, proof_href=_proof_link),
                                            encoding="utf-8")
        written.append(out / "blueprint.html")
    elif args.format == "dot":
        for r in roots:
            f = out / f"{_safe(r)}.dot"
            f.write_text(render_dot(statuses, r), encoding="utf-8")
            written.append(f)
    else:
        (out / "blueprint.md").write_text(render_md(statuses, roots), encoding="utf-8")
        written.append(out / "blueprint.md")
    err_console.print(f"blueprint: {len(roots)} theorem(s), {len(statuses)} claims -> "
                      + ", ".join(str(w) for w in written))
    if args.json:
        summary = {lv: 0 for lv in LEVEL_ORDER}
        for st in statuses.values():
            summary[st.level.value] += 1
        emit_json({"format": args.format, "theorems": list(roots), "claims": len(statuses),
                   "summary": summary, "written": [str(w) for w in written]})
    else:
        print("\n".join(str(w) for w in written), file=sys.stdout)
    return 0
