"""The documentation: executed examples, generated pages up to date, strict offline site build."""
from __future__ import annotations

import doctest
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "scripts"))

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _run_doctests(path: Path) -> None:
    res = doctest.testfile(str(path), module_relative=False, optionflags=FLAGS, verbose=False,
                           report=True, name=path.name)
    assert res.attempted > 0, f"{path.name} has no examples"
    assert res.failed == 0, f"{res.failed} example(s) of {path.name} failed (see output above)"


@pytest.mark.parametrize("page", ["levels.md", "api.md", "tutorial.md", "verify-your-own-lemma.md"])
def test_page_examples_run(page):
    """Every `>>>` example of the page is executed against the current code."""
    _run_doctests(DOCS / page)


@pytest.mark.parametrize("module", ["prunecert.bounds.constants", "prunecert.bounds.gap.calculator", "prunecert.proofs.blueprint", "prunecert.proofs.parallel",
                                    "prunecert.proofs.registry", "prunecert.proofs.builders", "prunecert.proofs.user_claims"])
def test_module_doctests(module):
    import importlib

    mod = importlib.import_module(module)
    res = doctest.testmod(mod, optionflags=FLAGS)
    assert res.failed == 0


def test_generated_pages_are_up_to_date():
    """docs/cli.md equals the CLI's --help now; each seed page lists exactly the registered claims
    of its paper.  Fix with `python scripts/gen_docs.py` (or `--cli` for the CLI page only)."""
    import gen_docs

    problems = gen_docs.stale()
    assert not problems, "stale generated docs (run `python scripts/gen_docs.py`): " + "; ".join(problems)


def test_every_subcommand_documented():
    import gen_docs
    from prunecert.cli import build_parser

    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in gen_docs._subparsers(build_parser()):
        assert f"## prunecert {name}\n" in page


def test_tutorial_uses_only_existing_claims():
    import re

    from prunecert.proofs import all_claims

    reg = all_claims()
    for page in ("tutorial.md", "api.md"):
        text = (DOCS / page).read_text(encoding="utf-8")
        ids = set(re.findall(r'"((?:gap|seed00\d|statdim|limit|relu)\.[A-Za-z0-9_.]+)"', text))
        assert ids and ids <= set(reg), sorted(ids - set(reg))


def test_mkdocs_build_strict(tmp_path):
    """The site builds offline in strict mode with no warning at all."""
    if shutil.which("mkdocs") is None and subprocess.run([sys.executable, "-m", "mkdocs", "--version"],
                                                         capture_output=True).returncode != 0:
        pytest.fail("mkdocs is not installed (it is a test dependency: pip install -e '.[test]')")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    assert "WARNING" not in log, log[-4000:]
    site = tmp_path / "site"
    for page in ("index.html", "tutorial/index.html", "cli/index.html", "api/index.html", "levels/index.html"):
        assert (site / page).exists(), page
    assert list((site / "seeds").glob("*/index.html")), "seed pages missing"
    import re

    for f in site.rglob("*.html"):        # offline: nothing is loaded from the network
        text = f.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', text), f
    # formulas are MathML drawn by the browser (no script): statements render as mathematics
    seed = (site / "seeds" / "000-001-exponential-gap" / "index.html").read_text(encoding="utf-8")
    assert seed.count("<math") > 20 and 'class="arithmatex"' not in seed and 'class="tex"' not in seed
    assert "<math" in (site / "blueprint" / "index.html").read_text(encoding="utf-8")
    # the navigation starts from the tutorial
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = re.findall(r'<a href="([^"#]+)" class="dropdown-item', home)
    assert nav and nav[0].startswith("tutorial"), nav[:3]


def test_no_reference_outside_the_repository():
    """Docs, code and scripts name no file outside the repository (the background notes are not
    shipped: what the docs need from them is written into the docs)."""
    import re

    pat = re.compile(r"MATH\.md|NUMERICS\.md|DESIGN\.md|\.\./shared|shared/background")
    hits = []
    for top in ("docs", "checks", "bounds", "proofs", "prunecert", "scripts", "benchmarks", "tests"):
        for f in (ROOT / top).rglob("*"):
            if f.suffix in (".md", ".py", ".html", ".json", ".yml", ".toml", ".csv") and f.name != "test_docs.py":
                for i, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                    if pat.search(line):
                        hits.append(f"{f.relative_to(ROOT)}:{i}")
    for f in ("README.md", "mkdocs.yml", "pyproject.toml"):
        if pat.search((ROOT / f).read_text(encoding="utf-8")):
            hits.append(f)
    assert not hits, "references to files outside the repository: " + ", ".join(hits[:20])
