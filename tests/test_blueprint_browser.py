"""The blueprint page rendered by a real headless browser (Debian's chromium).

The node statuses are inserted by the page's own script, so finding them in the dumped DOM
proves the JS ran offline.  If chromium is missing and this process runs as root with
apt-get available, the test installs it (as .ci/run does); it skips only if that fails.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

import pytest

import _fake_claims
from prunecert.cli import main

pytestmark = pytest.mark.browser


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        try:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=600)
            subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, capture_output=True,
                           timeout=900)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return shutil.which("chromium")
    return None


def _flags(profile: str) -> list[str]:
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}"]


@pytest.fixture(scope="module")
def chromium():
    path = _chromium()
    if path is None:
        pytest.skip("chromium is not installed and could not be installed (no root/apt-get or no network)")
    return path


def test_page_renders_graph_and_statuses(monkeypatch, capsys, tmp_path, chromium):
    _fake_claims.install(monkeypatch, refuted=True)
    assert main(["blueprint", "--format", "html", "--out", str(tmp_path / "site")]) == 0
    capsys.readouterr()
    page = tmp_path / "site" / "blueprint.html"
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([chromium, *_flags(profile), "--dump-dom", page.as_uri()],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        dom = proc.stdout
        shot = tmp_path / "shot.png"
        subprocess.run([chromium, *_flags(profile), "--window-size=1100,800", f"--screenshot={shot}",
                        page.as_uri()], capture_output=True, timeout=120, cwd=tmp_path)
    assert 'data-rendered="yes"' in dom, "the page script did not run"
    nodes = re.findall(r'<g class="bp-node[^"]*" data-id="([^"]+)"[^>]*data-status="([A-Z]+)"', dom)
    assert dict(nodes) == {"toy.def": "PROVED", "toy.lemma.a": "PROVED", "toy.lemma.b": "CHECKED",
                           "toy.lemma.slow": "UNKNOWN", "toy.thm": "UNKNOWN"}
    # the status text inside each SVG node was written by the script
    texts = re.findall(r'<text class="bp-status"[^>]*>([^<]+)</text>', dom)
    assert "PROVED" in texts and "CHECKED" in texts and "UNKNOWN (own: PROVED)" in texts
    assert dom.count("<path class=\"bp-edge") == 5
    assert "Summary:" in dom and re.search(r'<span id="summary">[^<]*REFUTED 1', dom)
    assert shot.exists() and shot.stat().st_size > 10_000  # a real screenshot was taken


def test_real_theorem_page_renders(capsys, tmp_path, chromium):
    """The package's own Theorem A (Model A) blueprint, rendered by the browser."""
    from prunecert.proofs import all_claims

    reg = all_claims()
    root = "gap.lower.theorem_A"
    if root not in reg:
        pytest.skip(f"{root} is not registered")
    assert main(["blueprint", "--format", "html", "--out", str(tmp_path / "site"), root]) == 0
    capsys.readouterr()
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([chromium, *_flags(profile), "--dump-dom", (tmp_path / "site" / "blueprint.html").as_uri()],
                              capture_output=True, text=True, timeout=120)
    dom = proc.stdout
    assert 'data-rendered="yes"' in dom
    nodes = dict(re.findall(r'<g class="bp-node[^"]*" data-id="([^"]+)"[^>]*data-status="([A-Z]+)"', dom))
    from prunecert.proofs.blueprint import subgraph

    assert set(nodes) == set(subgraph(reg, root).nodes)
    assert set(nodes.values()) <= {"PROVED", "CHECKED", "EVIDENCE", "CLAIMED", "UNKNOWN", "REFUTED"}
