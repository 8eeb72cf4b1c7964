#!/usr/bin/env python
"""Generate the documentation pages that come from the code, so they never go stale.

One command::

    python scripts/gen_docs.py            # docs/cli.md, docs/seeds/*.md, docs/blueprint/ (runs every
                                          # default check once, about a minute)
    python scripts/gen_docs.py --cli      # only docs/cli.md (instant)
    python scripts/gen_docs.py --check    # exit 1 if a generated page is stale (CLI help or the claim
                                          # lists of the seed pages); runs no check
    python scripts/gen_docs.py --jobs 2   # run the checks in 2 processes

docs/cli.md is the argparse help of every subcommand.  docs/seeds/*.md list, for each seed paper,
every registered claim grouped by its computed level (what the package proves, checks, or only
records), with links to the written arguments that exist.  docs/blueprint/index.html is the
``prunecert blueprint`` teaching page (certificates under docs/blueprint/certificates/).
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT))

HELP_COLUMNS = "100"

# --- seed pages ------------------------------------------------------------------------------

SEEDS = [
    {
        "key": "000-001", "file": "000-001-exponential-gap.md", "seeds": ("000", "001"),
        "prefixes": ("gap.",),
        "title": "Seeds 000/001: the exponential gap between neuron and weight pruning",
        "cite": "Ferré, Giroire, Mallmann-Trenn, Natale, 2026 (arXiv 2603.02234); seed 000 is a news "
                "summary of the same paper.",
        "abstract": "Approximating one bias-free ReLU neuron by pruning a random two-layer ReLU network: "
                    "neuron pruning needs width Ω(1/ε), weight pruning O(log(1/ε)) hidden units — an "
                    "exponential separation (abstract). The package proves its own versions of both "
                    "sides: the weight-pruning upper bound (random subset sum, Pensia-style "
                    "construction) and a neuron-pruning lower bound Ω(1/(ε log(1/ε))) for Model B; "
                    "the paper's Ω(1/ε) itself is recorded, not proved.",
        "topics": ("neuron-lower-bound.md", "weight-pruning.md", "weight-upper-bound.md", "gap.md",
                   "gap-experiment.md", "measured-gap.md", "tutorial.md"),
    },
    {
        "key": "002", "file": "002-random-magnitude-pruning.md", "seeds": ("002",), "prefixes": ("seed002.",),
        "title": "Seed 002: probabilistic bounds for random and magnitude pruning",
        "cite": "Qian & Klabjan, ICML 2021 (arXiv 2105.10065).",
        "abstract": "Random and magnitude pruning of fully-connected and convolutional networks: for a "
                    "target with independently sampled weights, a pruned larger network is within any "
                    "specified bound with high probability (abstract; theorem texts unavailable). The "
                    "package proves reconstructed building blocks and its own versions of the theorems "
                    "with certified widths.",
        "topics": ("seed002-random-magnitude-pruning.md",),
    },
    {
        "key": "003", "file": "003-fundamental-limit.md", "seeds": ("003",), "prefixes": ("statdim.", "limit."),
        "title": "Seed 003: the fundamental limit of pruning (statistical dimension)",
        "cite": "Zhang, Zhang, Sun, Liu, NeurIPS 2024 (arXiv 2306.05857).",
        "abstract": "The limit of the pruning ratio is a phase transition given by the statistical "
                    "dimension (Gaussian width) of a convex set built from the ℓ1-regularised loss "
                    "(abstract). The package checks the conic-geometry tools (statistical dimension "
                    "closed forms, kinematic formula, Gordon's a_m) and the authors' threshold formula.",
        "topics": ("fundamental-limit.md", "statdim.md", "statistical-dimension.md"),
    },
    {
        "key": "004", "file": "004-elimination-compensation.md", "seeds": ("004",), "prefixes": ("seed004.",),
        "title": "Seed 004: elimination-compensation pruning",
        "cite": "Ballini et al., arXiv 2602.20467.",
        "abstract": "Each weight's importance is measured after an optimal perturbation of its adjacent "
                    "bias, applied right after each removal (abstract). The package proves the "
                    "reconstructed closed forms of the optimal bias shift and of the loss change.",
        "topics": ("seed004-elimination-compensation.md",),
    },
]

LEVEL_SECTIONS = [
    ("PROVED", "Proved", "every leaf machine-checked and the glue argument written"),
    ("CHECKED", "Checked on finite instances", "decided exactly on the stated instances"),
    ("EVIDENCE", "Statistical evidence", "Monte Carlo or measurement, with a confidence bound"),
    ("CLAIMED", "Only recorded", "restated from the paper, not checked by the package"),
    ("UNKNOWN", "Not decided", "no check, a skipped slow check, or a weaker/refuted dependency"),
    ("REFUTED", "Refuted", "a counterexample is recorded"),
]


def seed_of(claim) -> str | None:
    for s in SEEDS:
        if claim.seed in s["seeds"] or claim.id.startswith(s["prefixes"]):
            return s["key"]
    return None


def group_claims(reg) -> dict[str, list[str]]:
    groups = {s["key"]: [] for s in SEEDS}
    groups["other"] = []
    for cid, c in reg.items():
        groups[seed_of(c) or "other"].append(cid)
    return groups


def _slugs(page: Path) -> set[str]:
    from markdown.extensions.toc import slugify

    text = page.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return {slugify(m.group(1).strip(), "-") for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, flags=re.M)}


def proof_link(proof: str | None, warnings: list[str], cid: str) -> str:
    """A relative link (from docs/seeds/) to a claim's written argument, if that page exists."""
    if not proof:
        return ""
    path, _, anchor = proof.partition("#")
    rel = path.removeprefix("docs/")
    page = DOCS / rel
    if not page.exists():
        warnings.append(f"{cid}: proof page {proof!r} does not exist")
        return f"`{proof}` (page missing)"
    if anchor and anchor not in _slugs(page):
        warnings.append(f"{cid}: anchor #{anchor} not found in {rel}")
        return f"[{rel}](../{rel})"
    return f"[{rel}{'#' + anchor if anchor else ''}](../{rel}{'#' + anchor if anchor else ''})"


def _text(s) -> str:
    """Plain text safe in markdown: no raw HTML (``<u,z>``), no accidental emphasis."""
    s = str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]])", r"\\\1", s).replace("\n", " ")


def _statement(s: str) -> str:
    """A claim statement as one Markdown paragraph: formulas ($...$, $$...$$) kept for the math
    extension (rendered as MathML), the text between them made safe with _text."""
    from prunecert.proofs.mathtext import _MATH

    s = " ".join(str(s).split())
    out, pos = [], 0
    for m in _MATH.finditer(s):
        out += [_text(s[pos:m.start()]), m.group(0)]
        pos = m.end()
    out.append(_text(s[pos:]))
    return "".join(out)


def _cell(s) -> str:
    return _text(s).replace("|", "\\|")


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def seed_page(spec: dict, ids: list[str], statuses, warnings: list[str], seconds: float) -> str:
    reg = {cid: statuses[cid].claim for cid in ids}
    out = [f"# {spec['title']}", "",
           f"**Source.** {spec['cite']}", "",
           spec["abstract"], ""]
    topics = [t for t in spec["topics"] if (DOCS / t).exists()]
    topics += sorted({(c.proof or "").partition("#")[0].removeprefix("docs/") for c in reg.values()
                      if c.proof and (DOCS / (c.proof.partition("#")[0].removeprefix("docs/"))).exists()}
                     - set(topics))
    if topics:
        out += ["**Written proofs and topic pages:** " + ", ".join(f"[{t}](../{t})" for t in topics), ""]
    counts = {lv: sum(1 for i in ids if statuses[i].level.value == lv) for lv, _, _ in LEVEL_SECTIONS}
    out += ["<!-- generated by scripts/gen_docs.py: do not edit by hand -->",
            f"<!-- generated-claims: {','.join(sorted(ids))} -->", "",
            f"*Generated by `python scripts/gen_docs.py` at commit `{_commit()}`: the levels below are "
            f"the ones computed from the default checks in that run ({len(statuses)} claims evaluated in "
            f"{seconds:.0f} s; slow checks not run). For the live levels run "
            f"`prunecert verify ID ...` or open the [blueprint](../blueprint/index.html).*",
            "",
            "| level | meaning | claims |", "|---|---|---|"]
    for lv, name, meaning in LEVEL_SECTIONS:
        out.append(f"| {lv} | {meaning} | {counts[lv]} |")
    out.append("")
    if not ids:
        out += ["No claim of this paper is registered yet.", ""]
    for lv, name, meaning in LEVEL_SECTIONS:
        sel = [i for i in ids if statuses[i].level.value == lv]
        if not sel:
            continue
        out += [f"## {name} ({lv})", "", f"*{meaning}.*", "",
                "| claim | title | kind | how | why not PROVED |", "|---|---|---|---|---|"]
        for cid in sel:
            st = statuses[cid]
            why = "" if lv == "PROVED" else st.reason
            out.append(f"| `{cid}` | {_cell(st.claim.title)} | {st.claim.kind} | {_cell(st.methods)} | "
                       f"{_cell(why)} |")
        out.append("")
        for cid in sel:
            st, c = statuses[cid], statuses[cid].claim
            out += [f"**`{cid}`** — {_text(c.title)}. *Source:* {_text(c.source)}."]
            link = proof_link(c.proof, warnings, cid)
            deps = []
            if c.uses:
                deps.append("statement uses " + ", ".join(f"`{d}`" for d in c.uses))
            if c.proof_uses:
                deps.append("proof uses " + ", ".join(f"`{d}`" for d in c.proof_uses))
            extra = [f"Written argument: {link}." if link else "", ("; ".join(deps) + ".").capitalize() if deps else ""]
            out += ["", "> " + (_statement(c.statement) if c.statement.strip() else "(no statement)"), ""]
            checks = ", ".join(f"{_text(name)} ({_text(r.method)}, {r.level.value})" if r else f"{_text(name)} (slow, not run)"
                               for name, r in st.results)
            if checks:
                extra.append(f"Checks: {checks}.")
            out += [" ".join(e for e in extra if e), ""]
    return "\n".join(out).rstrip() + "\n"


def other_page(ids, statuses) -> str:
    out = ["# Package-wide claims", "", "Claims not tied to one seed paper (e.g. ReLU identities used across proofs).", "",
           "<!-- generated by scripts/gen_docs.py: do not edit by hand -->",
           f"<!-- generated-claims: {','.join(sorted(ids))} -->", "",
           "| claim | title | level | why |", "|---|---|---|---|"]
    for cid in ids:
        st = statuses[cid]
        out.append(f"| `{cid}` | {_cell(st.claim.title)} | {st.level.value} | {_cell(st.reason)} |")
    return "\n".join(out) + "\n"


def site_proof_href(proof: str) -> str | None:
    """From docs/blueprint/index.html in the built site: "docs/x.md#a" -> "../x/#a" (if x.md exists)."""
    path, _, anchor = proof.partition("#")
    rel = path.removeprefix("docs/")
    if not rel.endswith(".md") or not (DOCS / rel).exists():
        return None
    url = "../" + ("" if rel == "index.md" else rel[:-3] + "/")
    return url + (f"#{anchor}" if anchor else "")


# --- CLI page --------------------------------------------------------------------------------

def _subparsers(parser):
    for a in parser._actions:
        if isinstance(a, argparse._SubParsersAction):
            return a.choices
    return {}


def cli_page() -> str:
    """The CLI reference (help formatted at a fixed width; the environment is restored after)."""
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_COLUMNS
    try:
        return _cli_page()
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old


def _cli_page() -> str:
    from prunecert.cli import build_parser

    parser = build_parser()
    out = ["# Command-line reference", "",
           "<!-- generated by scripts/gen_docs.py from the argparse help: do not edit by hand -->", "",
           "Generated from the commands' own `--help` by `python scripts/gen_docs.py --cli`, so it "
           "cannot drift from the code (tests/test_docs.py fails if it does).", "",
           "## Output and exit codes", "",
           "Every command follows the same rules (implemented once, in `prunecert/cli/_render.py`; "
           "`tests/test_cli_contract.py` runs every subcommand against them):", "",
           "* the **result goes to stdout**: a table by default, or exactly one JSON document with "
           "`--json` (every command that produces a result has `--json`); `sample` prints its network "
           "as JSON in either case;",
           "* **progress bars and logs go to stderr**, so `prunecert ... --json > result.json` and pipes "
           "stay clean; anything that can take more than a couple of seconds shows a progress bar;",
           "* **output paths** (`--out`, `--plot`, `--certificate`, `--certificates`) are checked before "
           "any work starts: an unwritable one is bad input (exit 3, one line);",
           "* **tables** fit the terminal, or 80 columns when piped (`COLUMNS=N` overrides): text wraps, "
           "numbers and identifiers are never cut; columns that do not fit are left out (the table says "
           "which), and as a last resort each row is printed as `name: value` lines;",
           "* **no traceback** for any input: bad input is one line `prunecert: error: ...` on stderr; "
           "an internal error (a bug) is one line too, with exit 2 (`PRUNECERT_DEBUG=1` shows the "
           "traceback).", "",
           "| exit code | meaning |", "|---|---|",
           "| 0 | PROVED / success (the question was answered, or the files were written) |",
           "| 1 | REFUTED, or a certificate failed its re-check |",
           "| 2 | UNKNOWN: undecided within the budget (or an internal error) |",
           "| 3 | bad input: a bad value, an unreadable input file, an unwritable output path, "
           "bad usage; one line on stderr |", "",
           "`prunecert verify` exits 0 when nothing is REFUTED and every certificate re-checks: its "
           "UNKNOWN / CLAIMED claims are reported in the table, not in the exit code.", "",
           "## prunecert", "", "```text", parser.format_help().rstrip(), "```", ""]
    for name, sub in _subparsers(parser).items():
        out += [f"## prunecert {name}", "", "```text", sub.format_help().rstrip(), "```", ""]
        for name2, sub2 in _subparsers(sub).items():
            out += [f"### prunecert {name} {name2}", "", "```text", sub2.format_help().rstrip(), "```", ""]
    return "\n".join(out)


# --- index page: the list of pages that exist ------------------------------------------------

def _title(page: Path) -> str:
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page.stem


def index_block() -> str:
    """The seed pages and every other docs page that exists now, with their titles."""
    lines = []
    for spec in SEEDS:
        page = DOCS / "seeds" / spec["file"]
        if page.exists():
            lines.append(f"* [{_title(page)}](seeds/{spec['file']})")
    if (DOCS / "seeds" / "other.md").exists():
        lines.append(f"* [{_title(DOCS / 'seeds' / 'other.md')}](seeds/other.md)")
    own = {"index.md", "tutorial.md", "cli.md", "api.md", "levels.md"}
    topics = sorted(p for p in DOCS.glob("*.md") if p.name not in own)
    if topics:
        lines += ["", "Topic pages (written proofs, experiments, engines):", ""]
        lines += [f"* [{_title(p)}]({p.name})" for p in topics]
    return "\n".join(lines)


def update_index(written: list) -> None:
    page = DOCS / "index.md"
    text = page.read_text(encoding="utf-8")
    new = re.sub(r"<!-- pages:start -->.*?<!-- pages:end -->",
                 lambda m: f"<!-- pages:start -->\n{index_block()}\n<!-- pages:end -->", text, flags=re.S)
    write(page, new, written)


# --- the gap table of the tutorial ------------------------------------------------------------

def gap_block(figure: bool = True) -> str:
    """The numbers of gap.theorem over eps = 1e-1 .. 1e-12 (d = 2, delta = p = 1/2, one model), as a
    markdown table, and the figure docs/figures/gap_widths.png."""
    from prunecert.bounds.gap.calculator import crossover, eps_grid, gap_table
    from prunecert.cli.gap import plot

    rows = gap_table(eps_grid("1e-12"), 2, "1/2")
    if figure:
        plot(rows, str(DOCS / "figures" / "gap_widths.png"))
    cx = crossover(2, "1/2")
    out = ["| ε | weight pruning: certified width | neuron pruning: certified failing width | neuron/weight |",
           "|---|---|---|---|"]
    out += [f"| {r['eps']} | {r['upper']['width']} | {r['lower']['width']} | {r['ratio']} |" for r in rows]
    out += ["", f"*Claim `{rows[0]['claim']}`, one model: {rows[0]['model_text']}; d = 2, δ = p = ½. At the weight "
                f"width, weight pruning succeeds with probability ≥ ½ (`{rows[0]['upper']['claim']}`); at every width "
                f"up to the neuron width, neuron pruning fails with probability ≥ ½ (`{rows[0]['lower']['claim']}`). "
                f"Certified crossover (`{cx['claim']}`): for every ε ≤ ε* = {cx['eps_star']} the weight width is "
                f"the smaller one.*"]
    return "\n".join(out)


def update_tutorial(written: list) -> None:
    page = DOCS / "tutorial.md"
    if not page.exists():
        return
    text = page.read_text(encoding="utf-8")
    new = re.sub(r"<!-- gap-table:start -->.*?<!-- gap-table:end -->",
                 lambda m: f"<!-- gap-table:start -->\n{gap_block()}\n<!-- gap-table:end -->", text, flags=re.S)
    write(page, new, written)


# --- driver ----------------------------------------------------------------------------------

def write(path: Path, text: str, written: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
        written.append(str(path.relative_to(ROOT)))


def stale() -> list[str]:
    """Generated pages whose content no longer matches the code (without running any check)."""
    from prunecert.proofs import all_claims

    problems = []
    cli = DOCS / "cli.md"
    if not cli.exists() or cli.read_text(encoding="utf-8") != cli_page():
        problems.append("docs/cli.md differs from the CLI's --help")
    tut = DOCS / "tutorial.md"
    if tut.exists():
        m = re.search(r"<!-- gap-table:start -->\n(.*?)\n<!-- gap-table:end -->", tut.read_text(encoding="utf-8"), re.S)
        if m and m.group(1) != gap_block(figure=False):
            problems.append("docs/tutorial.md: the gap table differs from prunecert.bounds.gap.calculator now")
    groups = group_claims(all_claims())
    for spec in SEEDS:
        page = DOCS / "seeds" / spec["file"]
        want = set(groups[spec["key"]])
        if not page.exists():
            problems.append(f"docs/seeds/{spec['file']} missing")
            continue
        m = re.search(r"<!-- generated-claims: (.*?) -->", page.read_text(encoding="utf-8"))
        have = set(filter(None, m.group(1).split(","))) if m else set()
        if have != want:
            problems.append(f"docs/seeds/{spec['file']}: claim list stale (added {sorted(want - have)}, "
                            f"removed {sorted(have - want)})")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli", action="store_true", help="only docs/cli.md")
    ap.add_argument("--check", action="store_true", help="exit 1 if a generated page is stale")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes for the checks")
    ap.add_argument("--no-blueprint", action="store_true", help="do not write docs/blueprint/")
    args = ap.parse_args(argv)
    if args.check:
        problems = stale()
        for p in problems:
            print("stale:", p)
        return 1 if problems else 0
    written: list[str] = []
    write(DOCS / "cli.md", cli_page(), written)
    warnings: list[str] = []
    if not args.cli:
        from prunecert.cli.verify import build_report
        from prunecert.proofs import all_claims
        from prunecert.proofs.blueprint import render_html, theorem_ids
        from prunecert.proofs.parallel import make_runner
        from prunecert.proofs.registry import evaluate

        reg = all_claims()
        t0 = time.perf_counter()
        statuses = evaluate(None, runner=make_runner(args.jobs))
        seconds = time.perf_counter() - t0
        groups = group_claims(reg)
        for spec in SEEDS:
            write(DOCS / "seeds" / spec["file"], seed_page(spec, groups[spec["key"]], statuses, warnings, seconds),
                  written)
        if groups["other"]:
            write(DOCS / "seeds" / "other.md", other_page(groups["other"], statuses), written)
        elif (DOCS / "seeds" / "other.md").exists():
            (DOCS / "seeds" / "other.md").unlink()
        if not args.no_blueprint:
            bp = DOCS / "blueprint"
            certs = bp / "certificates"
            if certs.exists():
                for f in certs.glob("*.json"):
                    f.unlink()
            report = build_report(statuses, certificates_dir=str(certs))
            write(bp / "index.html", render_html(statuses, theorem_ids(reg), report=report,
                                                 proof_href=site_proof_href), written)
        print(f"evaluated {len(statuses)} claims in {seconds:.1f} s")
        update_tutorial(written)
    update_index(written)
    for w in warnings:
        print("warning:", w)
    print("written:", ", ".join(written) if written else "nothing changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
