"""Mathematics in statements, rendered as MathML for web pages (no script, no font files).

Claim statements and the docs write mathematics in LaTeX between ``$...$`` (inline) or
``$$...$$`` (display).  :func:`math_html` turns such a text into HTML in which every formula is
a MathML ``<math>`` element, converted here by the pure-Python ``latex2mathml`` package, so a
browser draws it offline with its own math layout; everything else is HTML-escaped.  A formula
the converter cannot read stays visible as escaped LaTeX in a ``<code>`` element (never an
error: a page must always render).
"""
from __future__ import annotations

import html
import re

_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(?!\s)(.+?)(?<![\s\\])\$", re.S)
_XMLNS = ' xmlns="http://www.w3.org/1998/Math/MathML"'   # implied for <math> in HTML5


def latex_to_mathml(tex: str, display: bool = False) -> str:
    """One formula (without its dollars) as a MathML element; escaped LaTeX in <code> if it
    cannot be converted."""
    try:
        from latex2mathml.converter import convert

        out = convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - a formula the converter cannot read stays readable as LaTeX
        return f'<code class="tex">{html.escape(tex)}</code>'
    return out.replace(_XMLNS, "")


def math_html(text: str) -> str:
    """``text`` with ``$...$`` / ``$$...$$`` formulas as MathML and the rest HTML-escaped."""
    out, pos = [], 0
    for m in _MATH.finditer(text):
        out.append(html.escape(text[pos:m.start()]))
        if m.group(1) is not None:
            out.append(latex_to_mathml(m.group(1), display=True))
        else:
            out.append(latex_to_mathml(m.group(2)))
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\\$", "$")
