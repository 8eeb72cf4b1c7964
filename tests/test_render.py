"""The shared output helpers of the command line (prunecert.cli._render)."""
import io
import json
import os
import random
import re

import pytest
from rich.console import Console

from prunecert.checks.errors import InputError
from prunecert.cli._render import Col, check_output_dir, check_output_path, emit_json, render_table


def _render(cols, rows, width):
    buf = io.StringIO()
    render_table(cols, rows, title="t", console=Console(file=buf, width=width, markup=False, color_system=None))
    return buf.getvalue()


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_numbers_are_never_cut(width):
    rng = random.Random(width)
    cols = [Col("name"), Col("value", whole=True), Col("other value", whole=True, optional=True),
            Col("note", optional=True)]
    rows = [(f"case {i} " + "word " * rng.randrange(0, 8), f"{rng.uniform(-1e6, 1e6):.10g}",
             f"{rng.random():.25f}", "a longish explanation of the row " * rng.randrange(1, 3)) for i in range(6)]
    text = _render(cols, rows, width)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    tokens = set(re.findall(r"[-+0-9.e]+", text))
    dropped = " ".join(text.split("left out")[1:])
    for r in rows:
        assert r[1] in tokens                       # the whole number on one line
        if "other" not in dropped:
            assert r[2] in tokens


def test_falls_back_to_name_value_lines_when_nothing_fits():
    text = _render([Col("a", whole=True), Col("b", whole=True)], [("1" * 30, "2" * 30)], 40)
    assert "a: " + "1" * 30 in text and "b: " + "2" * 30 in text


def test_optional_columns_are_dropped_and_said_so():
    text = _render([Col("x", whole=True), Col("extra", whole=True, optional=True)], [("1" * 30, "2" * 30)], 60)
    assert "1" * 30 in text and "2" * 30 not in text and "left out" in text


def test_check_output_path(tmp_path):
    assert check_output_path(tmp_path / "a.png", "--plot") == tmp_path / "a.png"
    assert not (tmp_path / "a.png").exists()         # the check leaves nothing behind
    (tmp_path / "old.json").write_text("keep")
    check_output_path(tmp_path / "old.json", "--out")
    assert (tmp_path / "old.json").read_text() == "keep"
    for bad in (tmp_path / "missing" / "a.png", tmp_path, "/proc/version/x", "/proc/no-such.png"):
        with pytest.raises(InputError, match="--plot"):
            check_output_path(bad, "--plot")


def test_check_output_dir(tmp_path):
    d = check_output_dir(tmp_path / "a" / "b", "--out")
    assert d.is_dir() and os.listdir(d) == []
    (tmp_path / "f").write_text("")
    for bad in (tmp_path / "f", "/proc/version/x", "/proc/x"):
        with pytest.raises(InputError, match="--out"):
            check_output_dir(bad, "--out")


def test_emit_json(capsys):
    emit_json({"a": 1, "b": [1, 2]})
    assert json.loads(capsys.readouterr().out) == {"a": 1, "b": [1, 2]}
