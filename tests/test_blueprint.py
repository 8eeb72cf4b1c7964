"""Blueprint graphs: subgraphs, edge kinds, layering, layout, renderers, cycles, CLI."""
from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import _fake_claims
from prunecert.cli import main
from prunecert.checks.errors import CycleError, InputError
from prunecert.proofs import evaluate
from prunecert.proofs.blueprint import (layers, layout, render_dot, render_html, render_md, subgraph,
                              theorem_ids)
from prunecert.proofs.registry import Claim


def test_subgraph_and_edge_kinds():
    reg = _fake_claims.claims()
    g = subgraph(reg, "toy.thm")
    assert set(g.nodes) == {"toy.def", "toy.lemma.a", "toy.lemma.b", "toy.lemma.slow", "toy.thm"}
    assert g.nodes[-1] == "toy.thm" and g.nodes.index("toy.def") < g.nodes.index("toy.lemma.a")
    kinds = {(a, b): k for a, b, k in g.edges}
    assert kinds[("toy.def", "toy.thm")] == "uses"
    assert kinds[("toy.lemma.a", "toy.thm")] == "proof"
    assert theorem_ids(reg) == ["toy.thm"]


def test_cycle_and_unknown_rejected():
    reg = {"a": Claim("a", "a", "a", "new", uses=("b",)), "b": Claim("b", "b", "b", "new", proof_uses=("a",))}
    with pytest.raises(CycleError, match="cycle: a -> b -> a"):
        subgraph(reg, "a")
    with pytest.raises(InputError, match="unknown claim id 'zz'"):
        subgraph({"a": Claim("a", "a", "a", "new", uses=("zz",))}, "a")


def test_cli_cycle_exit_3(monkeypatch, capsys, tmp_path):
    import prunecert.proofs.registry as registry

    reg = {"a": Claim("a", "a", "a", "new", kind="theorem", uses=("b",)),
           "b": Claim("b", "b", "b", "new", proof_uses=("a",))}
    monkeypatch.setattr(registry, "_REGISTRY", reg)
    code = main(["blueprint", "--out", str(tmp_path), "a"])
    err = capsys.readouterr().err
    assert code == 3 and "cycle" in err and "Traceback" not in err


@st.composite
def dags(draw):
    n = draw(st.integers(2, 12))
    cs = {}
    for i in range(n):
        deps = draw(st.lists(st.integers(0, i - 1), max_size=3, unique=True)) if i else []
        split = draw(st.integers(0, len(deps)))
        cs[f"c{i}"] = Claim(f"c{i}", f"claim {i}", "s", "new", uses=tuple(f"c{j}" for j in deps[:split]),
                            proof_uses=tuple(f"c{j}" for j in deps[split:]))
    return cs


@settings(max_examples=60, deadline=None)
@given(dags())
def test_layout_properties(reg):
    root = list(reg)[-1]
    g = subgraph(reg, root)
    depth = layers(g)
    for a, b, _ in g.edges:               # lemma strictly below its user
        assert depth[a] > depth[b]
    lay = layout(g)
    assert set(lay.coords) == set(g.nodes)
    boxes = [(x, y, x + lay.node_w, y + lay.node_h) for x, y in lay.coords.values()]
    for p, q in itertools.combinations(boxes, 2):   # no two nodes overlap
        assert p[2] <= q[0] or q[2] <= p[0] or p[3] <= q[1] or q[3] <= p[1]
    for x0, y0, x1, y1 in boxes:
        assert 0 <= x0 and x1 <= lay.width and 0 <= y0 and y1 <= lay.height
    for (a, b, _), pts in lay.routes.items():      # routes start at the lemma, end at the user
        assert pts[0][1] == lay.coords[a][1] and pts[-1][1] == lay.coords[b][1] + lay.node_h
        inner = pts[1:-1]                           # virtual points avoid every real node
        for (x, y) in inner:
            for x0, y0, x1, y1 in boxes:
                assert not (x0 < x < x1 and y0 < y < y1)


def test_renderers(monkeypatch):
    _fake_claims.install(monkeypatch)
    sts = evaluate(["toy.thm"])
    dot = render_dot(sts, "toy.thm")
    assert dot.startswith('digraph "toy.thm"') and '"toy.def" -> "toy.thm" [style=dashed]' in dot
    assert '"toy.lemma.a" -> "toy.thm" [style=solid]' in dot and "#bdbdbd" in dot  # thm UNKNOWN (slow lemma)
    md = render_md(sts)
    assert "## toy.thm: Main theorem" in md and "| **UNKNOWN** |" in md and "toy.lemma.slow" in md
    page = render_html(sts)
    assert page.count('class="bp-node"') == 5
    assert page.count("bp-edge-uses") == 2 and page.count("bp-edge-proof") == 3
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in page and "<b>&</b>" not in page   # statements escaped
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")  # nothing fetched
    assert "https://" not in page
    assert "Why not PROVED" in page and "not run (slow; use --slow)" in page
    assert "compare *exactly*" in page                                        # sketch shown


def test_cli_formats(monkeypatch, capsys, tmp_path):
    _fake_claims.install(monkeypatch)
    for fmt, name in (("html", "blueprint.html"), ("dot", "toy.thm.dot"), ("md", "blueprint.md")):
        code = main(["blueprint", "--format", fmt, "--out", str(tmp_path / fmt)])
        capsys.readouterr()
        assert code == 0 and (tmp_path / fmt / name).exists()
    page = (tmp_path / "html" / "blueprint.html").read_text()
    links = re.findall(r'href="(certificates/[^"]+)"', page)
    assert links and all((tmp_path / "html" / link).exists() for link in links)
    assert main(["blueprint", "--out", str(tmp_path), "no.such"]) == 3


@pytest.mark.skipif("not __import__('prunecert.proofs.blueprint').proofs.blueprint.theorem_ids(__import__('prunecert.proofs').proofs.all_claims())",
                    reason="no theorem registered yet")
def test_real_registry_graphs_are_acyclic_and_render():
    from prunecert.proofs import all_claims

    reg = all_claims()
    for r in theorem_ids(reg):
        g = subgraph(reg, r)
        layout(g)


def test_cli_out_is_a_file_exit_3(monkeypatch, capsys, tmp_path):
    _fake_claims.install(monkeypatch)
    f = tmp_path / "a_file"
    f.write_text("x")
    assert main(["blueprint", "--out", str(f)]) == 3
    assert "--out" in capsys.readouterr().err
