"""Statements as MathML (prunecert.proofs.mathtext): the blueprint page and the docs site."""
from prunecert.proofs.mathtext import _MATH, latex_to_mathml, math_html


def test_formulas_become_mathml_and_text_is_escaped():
    out = math_html(r"For $a,b>0$ and <b>: $$\frac{ab}{2(a+b)}$$ costs \$5")
    assert out.count("<math") == 2 and 'display="block"' in out and 'display="inline"' in out
    assert "&lt;b&gt;" in out and "<b>" not in out and "$5" in out and "\\$" not in out
    assert "xmlns" not in out                      # HTML5 needs no namespace (and the page fetches nothing)


def test_unreadable_formula_stays_visible_as_latex(monkeypatch):
    import latex2mathml.converter as conv

    def broken(*a, **k):
        raise ValueError("cannot parse")

    monkeypatch.setattr(conv, "convert", broken)
    assert latex_to_mathml(r"x < \frac{1}{2}") == '<code class="tex">x &lt; \\frac{1}{2}</code>'


def test_every_registered_statement_converts():
    from prunecert.proofs import all_claims

    n = 0
    for cid, claim in all_claims().items():
        for m in _MATH.finditer(claim.statement):
            n += 1
            tex = m.group(1) if m.group(1) is not None else m.group(2)
            assert latex_to_mathml(tex).startswith("<math"), (cid, tex)
    assert n > 100
