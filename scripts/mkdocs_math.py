"""MkDocs hook: formulas as MathML, offline (listed under ``hooks:`` in mkdocs.yml).

``pymdownx.arithmatex`` (generic mode) finds ``$...$`` / ``$$...$$`` in the Markdown -- and
leaves code spans and code blocks alone -- and wraps each formula in
``<span class="arithmatex">\\(...\\)</span>`` or ``<div class="arithmatex">\\[...\\]</div>``.
This hook replaces each wrapped formula by MathML (prunecert.proofs.mathtext, which uses the
pure-Python latex2mathml), so pages need no script, no font download and no network: the
browser's own math layout draws them.
"""
from __future__ import annotations

import html
import re

_SPAN = re.compile(r'<(span|div) class="arithmatex">\s*\\([(\[])(.*?)\\[)\]]\s*</\1>', re.S)


def _convert(m: re.Match) -> str:
    from prunecert.proofs.mathtext import latex_to_mathml

    tex = html.unescape(m.group(3))
    return latex_to_mathml(tex, display=m.group(2) == "[")


def on_page_content(html_text: str, **kwargs) -> str:
    return _SPAN.sub(_convert, html_text)
