"""Claim files (TOML): schema validation with one error per problem, with line and field."""
import textwrap

import pytest

from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level
from prunecert.proofs.claim_file import ClaimFileError, LineIndex, parse_claim_file

GOOD = textwrap.dedent('''\
    namespace = "mine"

    [claims.jordan]
    title = "Jordan"
    statement = "sin t >= 2t/pi"
    hypotheses = ["0 <= t <= 157/100", "t is an angle", { text = "n >= 2", integers = ["n"] }]

    [[claims.jordan.checks]]
    type = "prove"
    relation = "sin(t) >= 2*t/pi"
    box = { t = ["0", "157/100"] }

    [[claims.jordan.corroborations]]
    type = "monte_carlo"
    relation = "sin(t) >= 2*t/pi"
    box = { t = ["0", "157/100"] }
    seed = 3

    [claims.composed]
    title = "composed"
    statement = "..."
    proof_uses = ["jordan", "gap.lower.K2_sector"]
    ''')


def test_good_file_parses_to_namespaced_claims():
    cs = {c.id: c for c in parse_claim_file(GOOD)}
    assert set(cs) == {"mine.jordan", "mine.composed"}
    assert cs["mine.composed"].proof_uses == ("mine.jordan", "gap.lower.K2_sector")
    assert [c.name for c in cs["mine.jordan"].checks] == ["prover"]
    assert cs["mine.jordan"].corroborations[0].run().level is Level.EVIDENCE
    j = cs["mine.jordan"]
    assert j.hypotheses == ("0 <= t <= 157/100", "t is an angle", "n >= 2")
    assert [h.text for h in j.predicates] == ["0 <= t <= 157/100", "n >= 2"]   # prose stays text
    j.require(t="3/2", n=2)
    with pytest.raises(InputError, match="0 <= t <= 157/100"):
        j.require(t="8/5")
    with pytest.raises(InputError, match="integer"):
        j.require(n="5/2")


BAD = textwrap.dedent('''\
    namespace = "mine"
    colour = "blue"

    [claims.a]
    title = "A"
    statement = "..."
    kind = "lema"
    proof_uses = ["nope"]

    [[claims.a.checks]]
    type = "prove"
    relation = "sin(t) >= "
    box = { t = ["0", "1"] }

    [[claims.a.checks]]
    type = "prove"
    relation = "sin(t) >= t"
    box = { t = [0.1, "1"] }

    [claims.b]
    statement = "..."
    proof = "missing-file.md#x"

    [[claims.b.checks]]
    type = "frobnicate"
    ''')


def test_every_problem_reported_with_line_and_field():
    with pytest.raises(ClaimFileError) as ei:
        parse_claim_file(BAD, "bad.toml")
    got = {(ln, fld) for ln, fld, _ in ei.value.problems}
    assert got == {
        (2, "colour"),                        # unknown top-level field
        (7, "claims.a.kind"),                 # not a kind
        (8, "claims.a.proof_uses"),           # unknown claim
        (12, "claims.a.checks[1].relation"),  # relation does not parse
        (18, "claims.a.checks[2].box"),       # inexact TOML float
        (20, "claims.b"),                     # missing title
        (22, "claims.b.proof"),               # written proof not found
        (25, "claims.b.checks[1].type"),      # unknown check type
    }, ei.value.problems
    msg = str(ei.value)
    assert "bad.toml:18: claims.a.checks[2].box:" in msg and "not exact" in msg
    assert msg.count("\n") == len(got)        # one line per problem


def test_toml_syntax_error_has_its_line():
    with pytest.raises(ClaimFileError) as ei:
        parse_claim_file('namespace = "x"\n\n[claims.a]\ntitle = "unterminated\n', "s.toml")
    assert ei.value.problems[0][0] == 4 and "not valid TOML" in str(ei.value)


def test_shipped_namespace_is_refused():
    with pytest.raises(ClaimFileError, match="namespace"):
        parse_claim_file('namespace = "gap"\n[claims.a]\ntitle = "A"\nstatement = "s"\n')


def test_line_index_handles_multiline_values_and_quoted_keys():
    text = ('a = """\nb = 1\n"""\nc = [\n  [1, 2],\n]\n[t."q.k"]\nx = 1\n[[arr]]\ny = 2\n[[arr]]\ny = 3\n')
    idx = LineIndex(text)
    assert idx.line(("a",)) == 1 and idx.line(("b",)) is None and idx.line(("c",)) == 4
    assert idx.line(("t", "q.k", "x")) == 8
    assert idx.line(("arr", 0, "y")) == 10 and idx.line(("arr", 1, "y")) == 12
