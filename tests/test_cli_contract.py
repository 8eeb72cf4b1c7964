"""The output contract of every subcommand (docs/cli.md, "Output and exit codes").

* with ``--json`` stdout is exactly one JSON document (nothing else on stdout);
* an unwritable output path is refused before any work: exit 3, one line on stderr, no traceback;
* bad values: exit 3, one line, no traceback.

Every subcommand the parser knows must appear in JSON_RUNS (a new command without a case fails
test_every_subcommand_is_covered).  Arguments are the smallest that still do real work.
"""
from __future__ import annotations

import json
import time

import pytest

from prunecert.cli import build_parser, main

BAD_DIR = "/proc/prunecert-no-such-dir"          # cannot be created, even by root
BAD_FILE = BAD_DIR + "/out.png"


def _leaf_commands():
    """('verify',), ('experiment', 'gap'), ...: every runnable subcommand of the parser."""
    parser = build_parser()
    out = []

    def walk(p, prefix):
        subs = [a for a in p._actions if a.__class__.__name__ == "_SubParsersAction"]
        if not subs:
            out.append(prefix)
            return
        for name, sp in subs[0].choices.items():
            walk(sp, prefix + (name,))

    walk(parser, ())
    return sorted(out)


def _run(capfd, argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse: usage errors (exit 3), --help
        code = exc.code
    cap = capfd.readouterr()
    return code, cap.out, cap.err


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A small network and a prover certificate for instance / recheck."""
    d = tmp_path_factory.mktemp("contract")
    assert main(["sample", "--n", "4", "--d", "2", "--seed", "0", "--out", str(d / "net.json")]) == 0
    assert main(["prove", "x**2 >= 0", "--var", "x=[-1,1]", "--certificate", str(d / "cert.json")]) == 0
    return d


# command -> list of argument lists run with --json (paths: {d} is the fixture's directory)
JSON_RUNS = {
    ("blueprint",): [["core.amgm2", "--format", "md", "--out", "{d}/bp"]],
    ("constants",): [["pensia_mixture_weight", "--digits", "10"]],
    ("experiment", "ecp"): [["--dataset", "synthetic-regression", "--seeds", "1", "--out", "{d}/ecp"]],
    ("experiment", "gap"): [["--widths", "4", "--seeds", "1"]],
    ("experiment", "random-pruning"): [["--dims", "2,2", "--trials", "5", "--out", "{d}/rp"]],
    ("gap",): [["--eps", "1/10", "--no-levels"]],
    ("instance",): [["{d}/net.json", "--mode", "weight", "--eps", "1/2"],
                    ["{d}/net.json", "--mode", "neuron", "--eps", "1/2"]],
    ("limit",): [["--dataset", "synthetic", "--epochs", "1", "--hidden", "4"]],
    ("prove",): [["x**2 >= 0", "--var", "x=[-1,1]"]],
    ("recheck",): [["{d}/cert.json"]],
    ("sample",): [["--n", "3", "--d", "2", "--seed", "1"], ["--n", "3", "--d", "2", "--seed", "1", "--out", "{d}/n2.json"]],
    ("statdim",): [["orthant", "--d", "3"], ["l1-descent", "--d", "20", "--s", "2"]],
    ("verify",): [["core.amgm2"], ["--list"]],
}
SLOW_JSON = {("experiment", "ecp"), ("limit",)}  # > 5 s each on 2 busy cores: still run, listed here to say so

# command -> argument lists whose output path is unwritable (exit 3 before any work)
BAD_PATHS = {
    ("blueprint",): [["--out", BAD_DIR]],
    ("experiment", "ecp"): [["--seeds", "1", "--out", BAD_DIR], ["--seeds", "1", "--plot", BAD_FILE, "--out", "{d}/e"]],
    ("experiment", "gap"): [["--widths", "4", "--seeds", "1", "--out", BAD_DIR],
                            ["--widths", "4", "--seeds", "1", "--plot", BAD_FILE]],
    ("experiment", "random-pruning"): [["--trials", "5", "--out", BAD_DIR],
                                       ["--trials", "5", "--plot", BAD_FILE, "--out", "{d}/r"]],
    ("gap",): [["--eps", "1/10", "--no-levels", "--plot", BAD_FILE]],
    ("prove",): [["x >= 0", "--var", "x=[0,1]", "--certificate", BAD_FILE]],
    ("sample",): [["--n", "3", "--d", "2", "--seed", "0", "--out", BAD_FILE]],
    ("verify",): [["core.amgm2", "--certificates", BAD_DIR]],
}

# bad values for every command: exit 3, one line, no traceback
BAD_VALUES = [
    ["blueprint", "no.such.claim", "--out", "{d}/bp2"],
    ["blueprint", "--out", "{d}/bp2", "--jobs", "0"],
    ["constants", "no_such_constant"],
    ["constants", "--digits", "0"],
    ["experiment", "ecp", "--dataset", "nope"],
    ["experiment", "ecp", "--seeds", "0"],
    ["experiment", "gap", "--widths", "x"],
    ["experiment", "gap", "--d", "9"],
    ["experiment", "random-pruning", "--dims", "2"],
    ["experiment", "random-pruning", "--trials", "0"],
    ["gap", "--eps", "2"],
    ["gap", "--eps", "nan"],
    ["instance", "{d}/missing.json", "--mode", "weight", "--eps", "1/2"],
    ["instance", "{d}/net.json", "--mode", "weight", "--eps", "-1"],
    ["instance", "{d}/cert.json", "--mode", "weight", "--eps", "1/2"],   # not a network
    ["limit", "--dataset", "digits", "--hidden", "a"],
    ["limit"],
    ["prove", "x >= ", "--var", "x=[0,1]"],
    ["prove", "x >= 0", "--var", "x=[1,0]"],
    ["recheck", "{d}/missing.json"],
    ["recheck", "{d}/net.json"],                                          # not a certificate
    ["sample", "--n", "0", "--d", "2", "--seed", "0"],
    ["statdim", "orthant", "--d", "0"],
    ["verify", "no.such.claim"],
    ["verify", "--jobs", "0"],
    ["nosuchcommand"],
    ["experiment"],
]


def _fill(argv, d):
    return [a.replace("{d}", str(d)) for a in argv]


def test_every_subcommand_is_covered():
    cmds = set(_leaf_commands())
    assert cmds == set(JSON_RUNS), f"add contract cases for {sorted(cmds ^ set(JSON_RUNS))}"
    assert {c[0] for c in cmds} <= {a[0] for a in BAD_VALUES}


def _json_cases():
    for cmd, runs in JSON_RUNS.items():
        for args in runs:
            marks = []
            yield pytest.param(cmd, args, marks=marks, id=" ".join(cmd + tuple(args))[:60])


@pytest.mark.parametrize("cmd,args", list(_json_cases()))
def test_json_is_exactly_one_document(capfd, files, cmd, args):
    code, out, err = _run(capfd, [*cmd, *_fill(args, files), "--json"])
    assert code in (0, 1, 2), err
    assert "Traceback" not in err
    json.loads(out)  # raises on anything but exactly one JSON document


def _path_cases():
    for cmd, runs in BAD_PATHS.items():
        for args in runs:
            marks = []
            yield pytest.param(cmd, args, marks=marks, id=" ".join(cmd + tuple(args))[:60])


@pytest.mark.parametrize("cmd,args", list(_path_cases()))
def test_unwritable_output_path_is_refused_before_work(capfd, tmp_path, cmd, args):
    t0 = time.perf_counter()
    code, out, err = _run(capfd, [*cmd, *_fill(args, tmp_path)])
    assert code == 3, err
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("prunecert: error:") and "prunecert-no-such-dir" in lines[0], err
    assert out == ""
    assert time.perf_counter() - t0 < 30, "the path must be checked before the work starts"


@pytest.mark.parametrize("argv", BAD_VALUES, ids=lambda a: " ".join(a)[:60])
def test_bad_values_exit_3_with_one_line(capfd, files, argv):
    code, out, err = _run(capfd, _fill(argv, files))
    assert code == 3, err
    assert "Traceback" not in err
    assert [ln for ln in err.splitlines() if ln.startswith("prunecert") and "error" in ln], err
    assert out == ""


def test_exit_codes_are_documented_once():
    from pathlib import Path

    cli = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text()
    assert "## Output and exit codes" in cli
    for code, meaning in (("0", "PROVED"), ("1", "REFUTED"), ("2", "UNKNOWN"), ("3", "bad input")):
        assert f"| {code} | {meaning}" in cli
