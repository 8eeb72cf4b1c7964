"""``prunecert verify [ID ...]``: run the checks of claims and their dependencies, show levels.

Exit codes: 0 when no claim is REFUTED and every re-checkable certificate re-checks;
1 when a claim is REFUTED or a certificate fails to re-check; 3 on bad input (unknown id).
UNKNOWN / CLAIMED claims do not change the exit code: the table says why they are not PROVED.
"""
from __future__ import annotations

import contextlib
import json
import re
import time
from pathlib import Path

from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level
from prunecert.cli._render import stdout_to_stderr  # noqa: F401 - re-exported for blueprint and gap

LEVEL_STYLE = {
    "PROVED": "bold green", "CHECKED": "green", "EVIDENCE": "yellow", "CLAIMED": "cyan",
    "REFUTED": "bold red", "UNKNOWN": "magenta",
}
LEVEL_ORDER = ["PROVED", "CHECKED", "EVIDENCE", "CLAIMED", "UNKNOWN", "REFUTED"]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "verify", help="run the checks of claims (default: all) and report their evidence levels",
        description="Run the checks of the given claims (default: every registered claim) and of "
                    "their dependencies; print id, title, level, method and time, and why a claim "
                    "is not PROVED. Exit 0 if nothing is REFUTED and every certificate re-checks, "
                    "1 otherwise, 3 on an unknown claim id.")
    p.add_argument("ids", nargs="*", metavar="ID",
                   help="claim ids or shell patterns such as 'gap.lower.*' (default: all registered claims)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout instead of a table")
    p.add_argument("--certificates", metavar="DIR",
                   help="write every check's certificate as a JSON file into DIR")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="run independent checks in N worker processes (default 1: in this process)")
    p.add_argument("--slow", action="store_true", help="also run checks marked slow")
    p.add_argument("--timeout", type=float, default=None, metavar="S",
                   help="wall-time limit per check in seconds; a check that runs longer is UNKNOWN "
                        "(runs the checks in worker processes)")
    p.add_argument("--list", action="store_true",
                   help="list the registered claims without running anything (a table; --json for JSON)")
    add_claims_argument(p)
    p.set_defaults(func=run)


USER_TIMEOUT = 120.0   # default wall-time limit (s) of one check of a user claim


def add_claims_argument(p) -> None:
    p.add_argument("--claims", action="append", default=[], metavar="FILE_OR_MODULE",
                   help="also load the claims of a claim file (.toml), a Python file or module defining "
                        "CLAIMS; repeatable. Without ID patterns, only these claims (and what they use) "
                        "run. Their checks run in worker processes, each limited to --timeout seconds "
                        f"(default {USER_TIMEOUT:g}). Claims of installed packages (entry-point group "
                        "prunecert.claims) are always loaded")


@contextlib.contextmanager
def user_claims_loaded(args):
    """Load --claims sources and entry-point claims into the registry for the block; yield
    (ids of the --claims sources, ids of all user claims, origins of broken entry points)."""
    from prunecert.cli._render import err_console
    from prunecert.proofs.user_claims import gather, using

    with stdout_to_stderr():          # a user module that prints while loading must not corrupt stdout
        loaded, broken = gather(args.claims)
    for b in broken:
        err_console.print(f"prunecert: warning: {b.origin}: {b.error} (its claims are skipped)",
                          markup=False, highlight=False)
    with using(loaded) as new:
        requested = [c.id for s in loaded if s.kind != "entry point" for c in s.claims]
        yield requested, set(new), broken


def job_timeout(args, user_ids):
    """The per-check time limit: --timeout for every check; without it, USER_TIMEOUT for the
    checks of user claims (a hanging user check cannot hang the run) and none for shipped ones."""
    if args.timeout is not None or not user_ids:
        return args.timeout
    return lambda job: USER_TIMEOUT if job[0] in user_ids else None


# --- certificates ---------------------------------------------------------------------------

def certificate_filename(claim_id: str, check_name: str, corroboration: bool = False) -> str:
    """A file name for a check's certificate: ``<claim id>--<check name>.json`` (safe characters)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{claim_id}--{'corr-' if corroboration else ''}{check_name}")
    return safe + ".json"


def rechecker_table() -> dict:
    """{certificate format: re-check function} for every re-checker installed: the prover's
    independent re-checker (prunecert.checks.inequality.recheck) and the SMT certificate re-checker (prunecert.checks.decide.smt)."""
    table = {}
    try:
        import prunecert.checks.inequality.recheck as rc

        for fmt in getattr(rc, "FORMATS", ()):
            table[fmt] = rc.recheck
    except ImportError:
        pass
    try:
        import prunecert.checks.decide.smt as smt

        if hasattr(smt, "recheck_certificate") and hasattr(smt, "CERT_FORMAT"):
            table[smt.CERT_FORMAT] = smt.recheck_certificate
    except ImportError:
        pass
    return table


def recheck_certificate(cert, table: dict | None = None, expected_level: str | None = None) -> dict:
    """Re-check one certificate: {"status": "ok"|"failed"|"stored", "detail": ...}.

    A certificate whose ``format`` has a re-checker is re-checked; any other is only stored,
    and the detail says so.  With ``expected_level`` (the level of the check that wrote it), a
    certificate recording a different PROVED/REFUTED verdict fails: a valid certificate of the
    opposite verdict must not pass for the check's.
    """
    if not isinstance(cert, dict) or "format" not in cert:
        return {"status": "stored", "detail": "no 'format' field: stored, not re-checked"}
    recorded = cert.get("level", cert.get("status"))
    if expected_level in ("PROVED", "REFUTED") and recorded in ("PROVED", "REFUTED") and recorded != expected_level:
        return {"status": "failed", "detail": f"certificate records {recorded}, but its check reported {expected_level}",
                "format": cert.get("format")}
    fmt = cert.get("format")
    fn = (rechecker_table() if table is None else table).get(fmt)
    if fn is None:
        return {"status": "stored", "detail": f"no re-checker for format {fmt!r}: stored, not re-checked"}
    try:
        res = fn(cert)
    except Exception as exc:  # noqa: BLE001 - a malformed certificate fails its re-check
        return {"status": "failed", "detail": f"re-check raised {type(exc).__name__}: {exc}"}
    return {"status": "ok" if res.ok else "failed", "detail": str(getattr(res, "detail", "")),
            "format": fmt}


def make_dir(path: Path, what: str) -> None:
    """Create an output directory, or raise InputError saying why it cannot be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{what}: cannot create directory {str(path)!r}: {exc.strerror or exc}") from exc


# --- report ---------------------------------------------------------------------------------

def build_report(statuses, *, certificates_dir: str | None = None, requested=None) -> dict:
    """The JSON report of ``evaluate`` results, with certificates re-checked (and written)."""
    from prunecert.proofs.registry import claim_origin

    outdir = Path(certificates_dir) if certificates_dir else None
    if outdir is not None:
        make_dir(outdir, "--certificates")
    claims = []
    counts = {"written": 0, "rechecked_ok": 0, "recheck_failed": 0, "stored_only": 0}
    any_refuted = False
    table = rechecker_table()
    for cid, st in statuses.items():
        c = st.claim
        checks = []
        for kind, results, defs in (("check", st.results, c.checks),
                                    ("corroboration", st.corroboration_results, c.corroborations)):
            for (name, r), d in zip(results, defs):
                entry = {"name": name, "kind": kind, "slow": d.slow}
                if r is None:
                    entry.update(level=None, skipped=True, detail="slow check not run (use --slow)")
                else:
                    entry.update(skipped=False, **{k: v for k, v in r.to_json().items() if k != "certificate"})
                    if r.certificate is not None:
                        rc = recheck_certificate(r.certificate, table, expected_level=r.level.value)
                        entry["recheck"] = rc
                        key = {"ok": "rechecked_ok", "failed": "recheck_failed", "stored": "stored_only"}[rc["status"]]
                        counts[key] += 1
                        if outdir is not None:
                            fn = certificate_filename(cid, name, kind == "corroboration")
                            (outdir / fn).write_text(json.dumps(r.certificate, indent=1, default=str))
                            entry["certificate_file"] = fn
                            counts["written"] += 1
                checks.append(entry)
        any_refuted |= st.level is Level.REFUTED
        claims.append({
            "id": cid, "title": c.title, "statement": c.statement, "source": c.source, "kind": c.kind,
            "seed": c.seed, "level": st.level.value, "reason": st.reason, "method": st.methods,
            "seconds": round(st.seconds, 4), "uses": list(c.uses), "proof_uses": list(c.proof_uses),
            "proof": c.proof, "requested": requested is None or cid in requested, "checks": checks,
            "origin": claim_origin(cid),
        })
    summary = {lv: 0 for lv in LEVEL_ORDER}
    for cl in claims:
        summary[cl["level"]] += 1
    exit_code = 1 if (any_refuted or counts["recheck_failed"]) else 0
    return {"claims": claims, "summary": summary, "certificates": counts, "exit_code": exit_code}


def evaluate_with_progress(ids, *, slow: bool, jobs: int, show_progress: bool = True,
                           timeout=None):
    """``prunecert.proofs.evaluate`` with a live progress bar on stderr (rich; transient).
    ``timeout``: seconds per check, or a function job -> seconds | None."""
    from rich.markup import escape

    from prunecert.cli._render import progress
    from prunecert.proofs import evaluate
    from prunecert.proofs.parallel import make_runner
    from prunecert.proofs.user_claims import loaded_files, worker_init

    init = dict(initializer=worker_init, initargs=(loaded_files(),))
    if not show_progress:
        return evaluate(ids, slow=slow, runner=make_runner(jobs, timeout=timeout, **init))
    with progress(transient=True) as prog:
        task = prog.add_task("starting", total=None)

        def on_result(job, res):
            prog.update(task, advance=1, description=f"{escape(job[0])} {res.level.value}")

        inner = make_runner(jobs, on_result, timeout=timeout, **init)

        def runner(joblist):
            prog.update(task, total=len(joblist), description=f"{len(joblist)} checks, {jobs} process(es)")
            return inner(joblist)

        return evaluate(ids, slow=slow, runner=runner)


def _print_table(report: dict, wall: float) -> None:
    from rich.text import Text

    from prunecert.cli._render import Col, out_console, render_table

    out = out_console()
    rows = []
    for c in report["claims"]:
        lv = c["level"]
        text = Text(c["title"])
        text.append(f"\nmethod: {c['method']}", style="dim")
        if lv != "PROVED":
            text.append(f"\nwhy {lv}: {c['reason']}", style="dim")
        rows.append((c["id"], text, Text(lv, style=LEVEL_STYLE[lv]), f"{c['seconds']:.2f}s"))
    render_table([Col("id", whole=True, justify="left"), Col("statement, method, why not PROVED"),
                  Col("level", whole=True, justify="left"), Col("time", whole=True)], rows,
                 title="prunecert verify", console=out)
    s = ", ".join(f"{k} {v}" for k, v in report["summary"].items() if v)
    cc = report["certificates"]
    out.print(f"{len(report['claims'])} claims: {s or 'none'}.  Certificates: {cc['rechecked_ok']} re-checked ok, "
              f"{cc['recheck_failed']} failed, {cc['stored_only']} stored only (no re-checker for their format)"
              + (f", {cc['written']} written." if cc["written"] else ".")
              + f"  Wall time {wall:.1f}s.")
    for c in report["claims"]:
        for ch in c["checks"]:
            rc = ch.get("recheck")
            if rc and rc["status"] == "failed":
                out.print(Text(f"certificate of {c['id']} / {ch['name']} failed to re-check: ", style="bold red")
                          + Text(rc["detail"]))


def _list(ids, as_json: bool, broken=()) -> int:
    from prunecert.cli._render import Col, emit_json, render_table
    from prunecert.proofs import all_claims
    from prunecert.proofs.registry import claim_origin

    reg = all_claims()
    items = [{"id": c.id, "title": c.title, "kind": c.kind, "source": c.source,
              "checks": [ch.name + (" (slow)" if ch.slow else "") for ch in c.checks],
              "uses": list(c.uses), "proof_uses": list(c.proof_uses), "origin": claim_origin(c.id)}
             for c in reg.values() if not ids or c.id in ids]
    bad = [] if ids else [{"id": None, "origin": b.origin, "error": b.error} for b in broken]
    if as_json:
        emit_json(items + bad)     # entry points that could not be loaded: listed with the reason
    else:
        user = sum(i["origin"] != "shipped" for i in items)
        cols = [Col("id", whole=True, justify="left"), Col("kind", optional=True), Col("title"),
                Col("checks", optional=True)] + ([Col("origin", optional=True)] if user or bad else [])
        rows = [(i["id"], i["kind"], i["title"], ", ".join(i["checks"])) + ((i["origin"],) if user or bad else ())
                for i in items]
        rows += [("(not loaded)", "", b["error"], "", b["origin"]) for b in bad]
        render_table(cols, rows,
                     title=f"{len(items)} registered claims" + (f" ({user} user claims)" if user else "")
                           + " (prunecert verify --list; --json for the full records)")
    return 0


def expand_ids(patterns, reg) -> list[str]:
    """Claim ids from exact ids or shell-style patterns (``'gap.lower.*'``); InputError for an id
    or pattern that matches nothing."""
    import fnmatch

    out: list[str] = []
    bad = []
    for pat in patterns:
        if pat in reg:
            out.append(pat)
        elif any(ch in pat for ch in "*?["):
            hits = [cid for cid in reg if fnmatch.fnmatchcase(cid, pat)]
            out += hits
            if not hits:
                bad.append(pat)
        else:
            bad.append(pat)
    if bad:
        raise InputError(f"unknown claim id(s): {', '.join(bad)} (see `prunecert verify --list`)")
    return list(dict.fromkeys(out))


def run(args) -> int:
    with user_claims_loaded(args) as (from_files, user_ids, broken):
        return _run(args, from_files, user_ids, broken)


def _run(args, from_files, user_ids, broken) -> int:
    from prunecert.cli._render import check_output_dir, emit_json
    from prunecert.proofs import all_claims

    reg = all_claims()
    ids = expand_ids(args.ids, reg) or from_files or None
    if args.jobs < 1:
        raise InputError(f"--jobs must be >= 1, got {args.jobs}")
    if args.timeout is not None and not (args.timeout > 0 and args.timeout < float("inf")):
        raise InputError(f"--timeout must be a positive number of seconds, got {args.timeout}")
    if args.list:
        return _list(expand_ids(args.ids, reg), args.json, broken)
    if args.certificates:                      # fail before any check runs
        check_output_dir(args.certificates, "--certificates")
    t0 = time.perf_counter()
    with stdout_to_stderr():   # a check that prints must not corrupt the JSON / table on stdout
        statuses = evaluate_with_progress(ids, slow=args.slow, jobs=args.jobs, timeout=job_timeout(args, user_ids))
        report = build_report(statuses, certificates_dir=args.certificates, requested=set(ids) if ids else None)
    wall = time.perf_counter() - t0
    report["seconds"] = round(wall, 2)
    if args.json:
        emit_json(report)
    else:
        _print_table(report, wall)
    return report["exit_code"]
