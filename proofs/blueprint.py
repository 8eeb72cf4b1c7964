"""Proof blueprints: the graph of a theorem's lemmas, laid out and rendered (HTML, DOT, markdown).

Edges point from a lemma to the claim that needs it.  Two kinds are kept apart (the
leanblueprint lesson): a *statement* dependency (``uses``: the statement mentions it) is drawn
dashed, a *proof* dependency (``proof_uses``: the proof relies on it) solid.  Each node is
coloured by its computed level and says *why* it is not PROVED; a node whose own checks pass
but which is held down by a dependency is drawn with a double border.

The HTML page is one self-contained file (inline SVG laid out here by longest-path layering
plus barycentre ordering, inline CSS and JS, no network).  Its script fills in each node's
status from the embedded JSON data, so a rendered DOM that shows statuses proves the JS ran.

>>> from prunecert.proofs.registry import Claim
>>> reg = {"a": Claim("a", "A", "a", "new"), "t": Claim("t", "T", "t", "new", kind="theorem", proof_uses=("a",))}
>>> g = subgraph(reg, "t")
>>> g.nodes, g.edges
(['a', 't'], [('a', 't', 'proof')])
>>> layers(g)
{'t': 0, 'a': 1}
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Iterable, Mapping

from prunecert.checks.errors import CycleError, InputError
from prunecert.checks.levels import Level

from prunecert.proofs.registry import Claim, ClaimStatus, combine

__all__ = ["Graph", "Layout", "theorem_ids", "subgraph", "layers", "layout", "node_data", "render_html",
           "render_dot", "render_md", "LEVEL_COLOURS"]

LEVEL_COLOURS = {
    "PROVED": "#2e7d32", "CHECKED": "#7cb342", "EVIDENCE": "#fbc02d", "CLAIMED": "#4fc3f7",
    "UNKNOWN": "#bdbdbd", "REFUTED": "#e53935",
}
LEVEL_TEXT = {"PROVED": "#ffffff", "CHECKED": "#ffffff", "EVIDENCE": "#222222", "CLAIMED": "#222222",
              "UNKNOWN": "#222222", "REFUTED": "#ffffff"}
LEVEL_MEANING = {
    "PROVED": "every leaf machine-checked, glue argument written",
    "CHECKED": "decided exactly on stated finite instances",
    "EVIDENCE": "statistical, with a confidence bound",
    "CLAIMED": "restated from a paper, not checked",
    "UNKNOWN": "nothing decided (no check, budget, or a weaker dependency)",
    "REFUTED": "a counterexample is recorded",
}


@dataclass
class Graph:
    root: str
    nodes: list[str]                       # dependencies first
    edges: list[tuple[str, str, str]]      # (lemma, claim that needs it, "uses" | "proof" | "both")


def theorem_ids(reg: Mapping[str, Claim]) -> list[str]:
    """Claims of kind ``theorem``; if there are none, the claims nothing else depends on that
    have dependencies of their own."""
    ths = [c.id for c in reg.values() if c.kind == "theorem"]
    if ths:
        return ths
    needed = {d for c in reg.values() for d in c.dependencies()}
    return [c.id for c in reg.values() if c.id not in needed and c.dependencies()]


def subgraph(reg: Mapping[str, Claim], root: str) -> Graph:
    """``root`` and everything it depends on (transitively).  CycleError on a cycle, InputError
    on an unknown id."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(cid: str, path: list[str]) -> None:
        if cid not in reg:
            where = f" (needed by {path[-1]!r})" if path else ""
            raise InputError(f"unknown claim id {cid!r}{where}")
        s = state.get(cid, 0)
        if s == 2:
            return
        if s == 1:
            raise CycleError("dependency cycle: " + " -> ".join(path[path.index(cid):] + [cid]))
        state[cid] = 1
        for d in reg[cid].dependencies():
            visit(d, path + [cid])
        state[cid] = 2
        order.append(cid)

    visit(root, [])
    edges = []
    for cid in order:
        c = reg[cid]
        for d in c.dependencies():
            kind = "both" if (d in c.uses and d in c.proof_uses) else ("uses" if d in c.uses else "proof")
            edges.append((d, cid, kind))
    return Graph(root, order, edges)


def layers(g: Graph) -> dict[str, int]:
    """Layer of each node: the longest path from the root (root = 0), so every edge points
    from a deeper layer to a shallower one."""
    depth = {g.root: 0}
    parents: dict[str, list[str]] = {}
    for lemma, user, _ in g.edges:
        parents.setdefault(lemma, []).append(user)
    for cid in reversed(g.nodes):           # users before their lemmas
        if cid != g.root:
            depth[cid] = 1 + max(depth[p] for p in parents[cid])
    return depth


@dataclass
class Layout:
    coords: dict[str, tuple[float, float]]          # top-left corner of each real node
    routes: dict[tuple[str, str, str], list[tuple[float, float]]]  # edge -> points, lemma first
    width: float
    height: float
    node_w: int
    node_h: int


def layout(g: Graph, *, node_w: int = 200, node_h: int = 58, gap_x: int = 26, gap_y: int = 70,
           margin: int = 16, sweeps: int = 8, dummy_w: int = 16) -> Layout:
    """Coordinates of every node and a route for every edge.

    Sugiyama-style: layers by longest path from the root; an edge spanning several layers gets
    a chain of virtual nodes (so it is routed around the nodes in between); alternating
    barycentre sweeps order each layer to reduce crossings; each layer is centred."""
    depth = layers(g)
    nl = max(depth.values()) + 1
    rows: list[list[str]] = [[] for _ in range(nl)]
    for cid in g.nodes:                      # deterministic initial order
        rows[depth[cid]].append(cid)
    ups: dict[str, list[str]] = {c: [] for c in g.nodes}
    downs: dict[str, list[str]] = {c: [] for c in g.nodes}
    chains: dict[tuple[str, str, str], list[str]] = {}
    for k_e, (lemma, user, kind) in enumerate(g.edges):
        chain = [lemma]
        for lay in range(depth[lemma] - 1, depth[user], -1):
            v = f"\x00v{k_e}:{lay}"
            rows[lay].append(v)
            ups[v], downs[v] = [], []
            chain.append(v)
        chain.append(user)
        for a, b in zip(chain, chain[1:]):
            ups[a].append(b)
            downs[b].append(a)
        chains[(lemma, user, kind)] = chain

    def pos(row):
        return {c: i for i, c in enumerate(row)}

    for s in range(sweeps):
        down_sweep = s % 2 == 0
        for k in (range(1, nl) if down_sweep else range(nl - 2, -1, -1)):
            ref = pos(rows[k - 1]) if down_sweep else pos(rows[k + 1])
            nbrs = ups if down_sweep else downs
            cur = pos(rows[k])

            def key(c, ref=ref, nbrs=nbrs, cur=cur):
                ps = [ref[n] for n in nbrs[c] if n in ref]
                return (sum(ps) / len(ps), cur[c]) if ps else (cur[c], cur[c])

            rows[k].sort(key=key)

    def w(c):
        return dummy_w if c.startswith("\x00") else node_w

    row_ws = [sum(w(c) for c in row) + (len(row) - 1) * gap_x for row in rows]
    width = 2 * margin + max(row_ws)
    height = 2 * margin + nl * node_h + (nl - 1) * gap_y
    coords: dict[str, tuple[float, float]] = {}
    for k, row in enumerate(rows):
        x = (width - row_ws[k]) / 2
        for c in row:
            coords[c] = (x, margin + k * (node_h + gap_y))
            x += w(c) + gap_x
    routes = {}
    for e, chain in chains.items():
        pts = []
        for i, c in enumerate(chain):
            x, y = coords[c]
            cx = x + w(c) / 2
            if i == 0:
                pts.append((cx, y))                      # top of the lemma
            elif i == len(chain) - 1:
                pts.append((cx, y + node_h))             # bottom of the user
            else:
                pts += [(cx, y + node_h), (cx, y)]       # pass through the virtual node
        routes[e] = pts
    real = {c: xy for c, xy in coords.items() if not c.startswith("\x00")}
    return Layout(real, routes, width, height, node_w, node_h)


def own_level(st: ClaimStatus) -> Level:
    """The level of a claim from its own checks alone (dependencies taken as PROVED)."""
    deps = {d: Level.PROVED for d in st.claim.dependencies()}
    return combine(st.claim, st.results, st.corroboration_results, deps)[0]


def steps(st: ClaimStatus) -> dict[str, list[str]]:
    """The steps of one claim's proof, split by how they are backed:
    ``machine``: its required checks that ran and were not UNKNOWN (a machine decided them);
    ``prose``: its ``prose_steps`` (definitional or written-argument-only steps) and, if it has a written
    proof, the glue that combines its leaves and lemmas ("written argument: <page>")."""
    machine = [name for name, r in st.results if r is not None and r.level is not Level.UNKNOWN]
    prose = list(st.claim.prose_steps)
    if st.claim.proof:
        prose.append(f"glue: written argument {st.claim.proof}")
    return {"machine": machine, "prose": prose}


def step_counts(statuses: Mapping[str, ClaimStatus], root: str) -> dict[str, int]:
    """Machine-checked and prose-only steps summed over a theorem's graph."""
    reg = {cid: st.claim for cid, st in statuses.items()}
    g = subgraph(reg, root)
    m = p = 0
    for cid in g.nodes:
        s_ = steps(statuses[cid])
        m += len(s_["machine"])
        p += len(s_["prose"])
    return {"machine": m, "prose": p, "claims": len(g.nodes)}


def node_data(statuses: Mapping[str, ClaimStatus], report: Mapping | None = None) -> dict[str, dict]:
    """JSON-able data of every node: statement, sketch, level, reason, checks (with the
    certificate file names and re-check results of a ``prunecert verify`` report, if given)."""
    rep = {c["id"]: c for c in (report or {}).get("claims", [])}
    out = {}
    for cid, st in statuses.items():
        c = st.claim
        rchecks = {(ch["kind"], ch["name"]): ch for ch in rep.get(cid, {}).get("checks", [])}
        checks = []
        for kind, results in (("check", st.results), ("corroboration", st.corroboration_results)):
            for name, r in results:
                extra = rchecks.get((kind, name), {})
                checks.append({
                    "name": name, "kind": kind,
                    "level": r.level.value if r else "not run (slow)",
                    "method": r.method if r else "-", "seconds": round(r.seconds, 4) if r else 0.0,
                    "detail": r.detail if r else "slow check; run with --slow",
                    "certificate_file": extra.get("certificate_file"),
                    "recheck": (extra.get("recheck") or {}).get("status"),
                })
        out[cid] = {
            "id": cid, "title": c.title, "kind": c.kind, "statement": c.statement, "sympy": c.sympy,
            "source": c.source, "sketch": c.sketch, "proof": c.proof, "hypotheses": list(c.hypotheses),
            "level": st.level.value, "own_level": own_level(st).value, "reason": st.reason,
            "uses": list(c.uses), "proof_uses": list(c.proof_uses), "checks": checks,
            "steps": steps(st),
        }
    return out


def _roots(statuses, roots):
    reg = {cid: st.claim for cid, st in statuses.items()}
    roots = list(roots) if roots else theorem_ids(reg)
    for r in roots:
        if r not in reg:
            raise InputError(f"unknown claim id {r!r}")
    return reg, roots


# --- DOT ------------------------------------------------------------------------------------

def render_dot(statuses: Mapping[str, ClaimStatus], root: str) -> str:
    """Graphviz source of one theorem's graph (dashed: statement dependency; solid: proof)."""
    reg = {cid: st.claim for cid, st in statuses.items()}
    g = subgraph(reg, root)

    def q(s):
        return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    lines = [f"digraph {q(root)} {{", "  rankdir=BT;",
             '  node [shape=box, style="rounded,filled", fontname="Helvetica"];']
    for cid in g.nodes:
        lv = statuses[cid].level.value
        lines.append(f"  {q(cid)} [label={q(cid + chr(10) + statuses[cid].claim.title + chr(10) + lv)}, "
                     f"fillcolor={q(LEVEL_COLOURS[lv])}, fontcolor={q(LEVEL_TEXT[lv])}, "
                     f"tooltip={q(statuses[cid].reason)}];")
    for a, b, kind in g.edges:
        style = {"uses": "dashed", "proof": "solid", "both": "bold"}[kind]
        lines.append(f"  {q(a)} -> {q(b)} [style={style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- markdown -------------------------------------------------------------------------------

def render_md(statuses: Mapping[str, ClaimStatus], roots: Iterable[str] | None = None) -> str:
    """A markdown page: per theorem, its lemmas with level, reason and dependencies."""
    reg, roots = _roots(statuses, roots)

    def cell(s):
        return str(s).replace("|", "\\|").replace("\n", " ")

    out = ["# Proof blueprints", "",
           "Levels are computed from the checks that ran; *uses* = statement dependency, "
           "*proof uses* = proof dependency.", ""]
    for r in roots:
        g = subgraph(reg, r)
        sc = step_counts(statuses, r)
        out += [f"## {cell(r)}: {cell(reg[r].title)}", "",
                f"{sc['claims']} claims; {sc['machine']} steps machine-checked, {sc['prose']} steps written "
                "argument only (prose, including each claim's glue).", "",
                "| claim | level | why | machine-checked steps | prose-only steps | uses | proof uses |",
                "|---|---|---|---|---|---|---|"]
        for cid in reversed(g.nodes):
            st = statuses[cid]
            s_ = steps(st)
            out.append(f"| `{cid}` {cell(st.claim.title)} | **{st.level.value}** | {cell(st.reason)} | "
                       f"{cell(', '.join(s_['machine']) or '-')} | {cell('; '.join(s_['prose']) or '-')} | "
                       f"{', '.join(st.claim.uses) or '-'} | {', '.join(st.claim.proof_uses) or '-'} |")
        out.append("")
    return "\n".join(out)


# --- HTML -----------------------------------------------------------------------------------

def _svg(g: Graph, statuses: Mapping[str, ClaimStatus], gi: int) -> str:
    lay = layout(g)
    coords, width, height, nw, nh = lay.coords, lay.width, lay.height, lay.node_w, lay.node_h
    e = html.escape
    parts = [f'<svg class="bp-graph" id="graph-{gi}" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
             f'role="img" aria-label="dependency graph of {e(g.root)}">',
             '<defs><marker id="arrow-%d" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
             'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/>'
             '</marker></defs>' % gi]
    for a, b, kind in g.edges:
        pts = lay.routes[(a, b, kind)]
        d = f"M{pts[0][0]:.1f},{pts[0][1]:.1f}"
        for (x1, y1), (x2, y2) in zip(pts, pts[1:]):
            my = (y1 + y2) / 2
            d += f" C{x1:.1f},{my:.1f} {x2:.1f},{my:.1f} {x2:.1f},{y2:.1f}"
        dash = ' stroke-dasharray="6 4"' if kind == "uses" else ""
        w = 2.4 if kind == "both" else 1.4
        parts.append(f'<path class="bp-edge bp-edge-{kind}" data-from="{e(a)}" data-to="{e(b)}" '
                     f'd="{d}" '
                     f'fill="none" stroke="#555" stroke-width="{w}"{dash} marker-end="url(#arrow-{gi})"/>')
    for cid in g.nodes:
        x, y = coords[cid]
        st = statuses[cid]
        title = st.claim.title if len(st.claim.title) <= 30 else st.claim.title[:29] + "…"
        label = cid if len(cid) <= 30 else cid[:29] + "…"
        parts.append(
            f'<g class="bp-node" data-id="{e(cid)}" transform="translate({x:.1f},{y:.1f})" tabindex="0">'
            f'<title>{e(cid)}: {e(st.level.value)} — {e(st.reason)}</title>'
            f'<rect class="bp-box" width="{nw}" height="{nh}" rx="9" ry="9" fill="#eeeeee" stroke="#333"/>'
            f'<text class="bp-id" x="{nw / 2}" y="17" text-anchor="middle">{e(label)}</text>'
            f'<text class="bp-title" x="{nw / 2}" y="33" text-anchor="middle">{e(title)}</text>'
            f'<text class="bp-status" x="{nw / 2}" y="50" text-anchor="middle"></text>'
            f'</g>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#263238;color:#fff;padding:12px 20px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;font-size:13px;color:#cfd8dc}
main{padding:12px 20px;max-width:1400px}
.legend span{display:inline-block;margin:2px 8px 2px 0;padding:2px 8px;border-radius:6px;font-size:12px}
.legend .edge{background:none;color:#333}
section.theorem{background:#fff;border:1px solid #ddd;border-radius:8px;margin:18px 0;padding:10px 16px}
.graph-wrap{overflow-x:auto;border-bottom:1px solid #eee;padding-bottom:8px}
.bp-node{cursor:pointer}.bp-node text{font-size:11px;pointer-events:none}
.bp-id{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.bp-status{font-weight:700;letter-spacing:.5px}
.bp-node.capped .bp-box{stroke-width:4;stroke-dasharray:2 2}
.bp-node.selected .bp-box{stroke:#1565c0;stroke-width:4}
.cards details{border:1px solid #e0e0e0;border-radius:6px;margin:6px 0;padding:4px 10px;background:#fff}
.cards details.selected{outline:3px solid #1565c0}
.cards summary{cursor:pointer;font-size:14px}
.badge{display:inline-block;padding:1px 7px;border-radius:5px;font-size:12px;font-weight:700}
div.stmt{white-space:pre-wrap;background:#f5f5f5;padding:6px;border-radius:4px;font-size:14px}
math{font-size:1.05em}code.tex{color:#555}
.reason{font-size:13px}.reason b{color:#b71c1c}
table.checks{border-collapse:collapse;font-size:12px;margin:6px 0}
table.checks td,table.checks th{border:1px solid #ddd;padding:2px 6px;text-align:left}
table.index{border-collapse:collapse;font-size:13px}table.index td,table.index th{border:1px solid #ddd;padding:3px 8px}
.sketch{white-space:pre-wrap;font-size:13px}
nav.toc ul{margin:4px 0;padding-left:18px;font-size:13px}nav.toc li{margin:2px 0}
"""

_JS = r"""
(function(){
  var data = JSON.parse(document.getElementById('blueprint-data').textContent);
  var colours = data.colours, textc = data.text_colours, nodes = data.nodes;
  function badge(el, lv){ el.textContent = lv; el.style.background = colours[lv] || '#ccc';
    el.style.color = textc[lv] || '#000'; el.setAttribute('data-status', lv); }
  document.querySelectorAll('g.bp-node').forEach(function(g){
    var n = nodes[g.getAttribute('data-id')]; if(!n) return;
    var lv = n.level;
    g.querySelector('rect.bp-box').setAttribute('fill', colours[lv]);
    g.querySelectorAll('text').forEach(function(t){ t.setAttribute('fill', textc[lv]); });
    var st = g.querySelector('text.bp-status');
    st.textContent = lv + (n.own_level !== lv ? ' (own: ' + n.own_level + ')' : '');
    g.setAttribute('data-status', lv);
    if(n.own_level !== lv) g.classList.add('capped');
    g.addEventListener('click', function(){ select(g.closest('section'), n.id); });
    g.addEventListener('keydown', function(ev){ if(ev.key==='Enter') select(g.closest('section'), n.id); });
  });
  document.querySelectorAll('.badge[data-level]').forEach(function(b){ badge(b, b.getAttribute('data-level')); });
  function select(section, id){
    section.querySelectorAll('.selected').forEach(function(e){ e.classList.remove('selected'); });
    var g = section.querySelector('g.bp-node[data-id="' + CSS.escape(id) + '"]'); if(g) g.classList.add('selected');
    var card = section.querySelector('details[data-id="' + CSS.escape(id) + '"]');
    if(card){ card.open = true; card.classList.add('selected'); card.scrollIntoView({block:'nearest'}); }
  }
  var counts = {}; Object.keys(nodes).forEach(function(k){ var l = nodes[k].level; counts[l] = (counts[l]||0)+1; });
  var s = document.getElementById('summary');
  s.textContent = Object.keys(counts).sort().map(function(k){ return k + ' ' + counts[k]; }).join(', ');
  var m = /^#node=(.+)$/.exec(decodeURIComponent(location.hash || ''));
  if(m){ var g0 = document.querySelector('g.bp-node[data-id="' + CSS.escape(m[1]) + '"]');
         if(g0) select(g0.closest('section'), m[1]); }
  document.body.setAttribute('data-rendered', 'yes');
})();
"""


def _card(n: dict, proof_href=None) -> str:
    from prunecert.proofs.mathtext import math_html

    e = html.escape
    rows = []
    for ch in n["checks"]:
        cert = (f'<a href="certificates/{e(ch["certificate_file"])}">{e(ch["certificate_file"])}</a>'
                + (f' (re-check: {e(ch["recheck"])})' if ch.get("recheck") else "")
                if ch.get("certificate_file") else "-")
        rows.append(f'<tr><td>{e(ch["name"])}{" (corroboration)" if ch["kind"] == "corroboration" else ""}'
                    f'</td><td>{e(ch["level"])}</td><td>{e(ch["method"])}</td><td>{ch["seconds"]:.3f}s</td>'
                    f'<td>{e(ch["detail"])}</td><td>{cert}</td></tr>')
    table = ('<table class="checks"><tr><th>check</th><th>level</th><th>method</th><th>time</th>'
             '<th>detail</th><th>certificate</th></tr>' + "".join(rows) + "</table>") if rows \
        else "<p><i>No machine check: the level comes from the source alone.</i></p>"
    why = "" if n["level"] == "PROVED" else f'<p class="reason"><b>Why not PROVED:</b> {e(n["reason"])}</p>'
    own = (f'<p class="reason">Own checks alone give <b>{e(n["own_level"])}</b>; the claim is held at '
           f'{e(n["level"])} by its dependencies.</p>') if n["own_level"] != n["level"] else ""
    hyp = ("<p>Hypotheses: " + "; ".join(e(h) for h in n["hypotheses"]) + "</p>") if n["hypotheses"] else ""
    deps = (f'<p>Statement uses: {e(", ".join(n["uses"]) or "-")} · Proof uses: '
            f'{e(", ".join(n["proof_uses"]) or "-")}</p>')
    href = proof_href(n["proof"]) if (proof_href and n["proof"]) else None
    proof = ((f'<p>Written argument: <a href="{e(href)}">{e(n["proof"])}</a></p>' if href else
              f'<p>Written argument: <code>{e(n["proof"])}</code></p>') if n["proof"] else "")
    sketch = f'<div class="sketch"><b>Proof sketch.</b> {math_html(n["sketch"])}</div>' if n["sketch"] else ""
    sym = f'<p>sympy: <code>{e(n["sympy"])}</code></p>' if n.get("sympy") else ""
    stp = n.get("steps") or {"machine": [], "prose": []}
    steps_html = ('<p class="steps"><b>Steps:</b> ' + str(len(stp["machine"])) + ' machine-checked ('
                  + (e(", ".join(stp["machine"])) or "none") + '); ' + str(len(stp["prose"])) + ' prose only'
                  + (' (' + e("; ".join(stp["prose"])) + ')' if stp["prose"] else '') + '</p>')
    return (f'<details data-id="{e(n["id"])}"><summary><span class="badge" data-level="{e(n["level"])}">'
            f'</span> <code>{e(n["id"])}</code> — {e(n["title"])} <small>({e(n["kind"])})</small></summary>'
            f'<div class="stmt">{math_html(n["statement"])}</div>{sym}{hyp}<p>Source: {e(n["source"])}</p>'
            f'{why}{own}{deps}{steps_html}{sketch}{proof}{table}</details>')


def render_html(statuses: Mapping[str, ClaimStatus], roots: Iterable[str] | None = None, *,
                report: Mapping | None = None, title: str = "prunecert proof blueprints",
                proof_href=None) -> str:
    """One self-contained HTML page: per theorem an SVG graph and a card per lemma.

    statuses: the result of :func:`prunecert.proofs.evaluate`; roots: the theorems to draw (default:
    every claim of kind ``theorem``); report: a ``prunecert verify --json`` report whose
    certificate file names are linked (as ``certificates/<file>``); proof_href: optional function
    mapping a claim's ``proof`` ("docs/page.md#anchor") to a link, or None to show it as text."""
    reg, roots = _roots(statuses, roots)
    nodes = node_data(statuses, report)
    e = html.escape
    legend = "".join(f'<span style="background:{c};color:{LEVEL_TEXT[k]}" title="{e(LEVEL_MEANING[k])}">{k}</span>'
                     for k, c in LEVEL_COLOURS.items())
    legend += ('<span class="edge">- - - statement uses</span><span class="edge">—— proof uses</span>'
               '<span class="edge">double border: own checks stronger than dependencies</span>')
    sections = []
    for gi, r in enumerate(roots):
        g = subgraph(reg, r)
        cards = "".join(_card(nodes[c], proof_href) for c in reversed(g.nodes))
        sections.append(f'<section class="theorem" id="thm-{e(r)}"><h2><span class="badge" data-level='
                        f'"{e(statuses[r].level.value)}"></span> {e(r)}: {e(reg[r].title)}</h2>'
                        f'<p>{len(g.nodes)} claims; {step_counts(statuses, r)["machine"]} steps machine-checked, '
                        f'{step_counts(statuses, r)["prose"]} steps written argument only. Click a node for its '
                        f'statement, sketch, checks and certificate.</p><div class="graph-wrap">{_svg(g, statuses, gi)}</div>'
                        f'<div class="cards">{cards}</div></section>')
    if not sections:
        sections.append("<p>No theorem registered yet.</p>")
    toc = "".join(f'<li><span class="badge" data-level="{e(statuses[r].level.value)}"></span> '
                  f'<a href="#thm-{e(r)}">{e(r)}</a> — {e(reg[r].title)}</li>' for r in roots)
    if toc:
        sections.insert(0, f'<nav class="toc"><b>Theorems</b><ul>{toc}</ul></nav>')
    index = "".join(f'<tr><td><code>{e(cid)}</code></td><td>{e(st.claim.title)}</td><td><span class="badge" '
                    f'data-level="{e(st.level.value)}"></span></td><td>{e(st.reason)}</td></tr>'
                    for cid, st in statuses.items())
    payload = json.dumps({"nodes": nodes, "colours": LEVEL_COLOURS, "text_colours": LEVEL_TEXT},
                         default=str).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>
<body data-rendered="no"><header><h1>{e(title)}</h1>
<p>Levels are computed from the checks that ran; a claim is only as strong as its weakest dependency.
Summary: <span id="summary"></span></p></header><main>
<div class="legend">{legend}</div>
{''.join(sections)}
<section class="theorem"><h2>All evaluated claims</h2><table class="index"><tr><th>id</th><th>title</th>
<th>level</th><th>why</th></tr>{index}</table></section>
</main>
<script type="application/json" id="blueprint-data">{payload}</script>
<script>{_JS}</script></body></html>
"""
