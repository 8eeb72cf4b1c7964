"""`prunecert verify`: levels, reasons, JSON shape, certificates, exit codes, process pool."""
from __future__ import annotations

import json

import pytest

import _fake_claims
from prunecert.cli import main
from prunecert.checks.levels import Level
from prunecert.checks.result import CheckResult


def run_cli(capsys, *argv):
    code = main(["verify", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_levels_and_reasons(monkeypatch, capsys):
    _fake_claims.install(monkeypatch)
    code, out, _ = run_cli(capsys, "--json")
    rep = json.loads(out)
    assert code == 0 and rep["exit_code"] == 0
    by = {c["id"]: c for c in rep["claims"]}
    assert set(by) == set(_fake_claims.claims())
    for key in ("id", "title", "statement", "source", "level", "reason", "method", "seconds", "checks"):
        assert key in by["toy.thm"]
    assert by["toy.lemma.a"]["level"] == "PROVED"
    assert by["toy.lemma.b"]["level"] == "CHECKED"
    assert by["toy.paper"]["level"] == "CLAIMED"
    assert by["toy.crash"]["level"] == "UNKNOWN" and "boom" in by["toy.crash"]["reason"]
    # the slow lemma is skipped, so the theorem is only as strong as it: UNKNOWN, and says why
    assert by["toy.lemma.slow"]["level"] == "UNKNOWN" and "--slow" in by["toy.lemma.slow"]["reason"]
    assert by["toy.thm"]["level"] == "UNKNOWN" and "toy.lemma.slow" in by["toy.thm"]["reason"]
    assert by["toy.lemma.slow"]["checks"][0]["skipped"] is True
    assert sum(rep["summary"].values()) == len(by)
    assert rep["summary"]["PROVED"] == 2 and rep["summary"]["CHECKED"] == 1
    # toy-format has no re-checker: stored only, and the report says so
    rc = by["toy.lemma.a"]["checks"][0]["recheck"]
    assert rc["status"] == "stored"


def test_slow_flag_and_subset(monkeypatch, capsys):
    _fake_claims.install(monkeypatch)
    code, out, _ = run_cli(capsys, "toy.thm", "--json", "--slow")
    rep = json.loads(out)
    by = {c["id"]: c for c in rep["claims"]}
    # only the theorem and its dependencies ran
    assert set(by) == {"toy.def", "toy.lemma.a", "toy.lemma.b", "toy.lemma.slow", "toy.thm"}
    assert by["toy.lemma.slow"]["level"] == "PROVED"
    assert by["toy.thm"]["level"] == "CHECKED"  # capped by Lemma B
    assert "toy.lemma.b" in by["toy.thm"]["reason"]
    assert by["toy.thm"]["requested"] and not by["toy.def"]["requested"]


def test_refuted_exits_1_and_text_table(monkeypatch, capsys):
    _fake_claims.install(monkeypatch, refuted=True)
    code, out, _ = run_cli(capsys)
    assert code == 1
    assert "toy.false" in out and "REFUTED" in out and "counterexample" in out
    assert "why UNKNOWN" in out  # toy.after depends on the refuted lemma
    assert "toy-instances[exact]" in out  # brackets are text, not rich markup
    code, out, _ = run_cli(capsys, "--json", "toy.after")
    rep = json.loads(out)
    assert code == 1 and rep["exit_code"] == 1 and rep["summary"]["REFUTED"] == 1
    by = {c["id"]: c for c in rep["claims"]}
    assert by["toy.after"]["level"] == "UNKNOWN" and "refuted" in by["toy.after"]["reason"]


def test_unknown_id_exit_3(monkeypatch, capsys):
    _fake_claims.install(monkeypatch)
    code, out, err = run_cli(capsys, "no.such.claim")
    assert code == 3 and "unknown claim id" in err and out == ""
    code, _, err = run_cli(capsys, "--jobs", "0")
    assert code == 3


def test_certificates_written(monkeypatch, capsys, tmp_path):
    _fake_claims.install(monkeypatch)
    code, out, _ = run_cli(capsys, "--json", "--certificates", str(tmp_path / "certs"), "toy.lemma.a")
    rep = json.loads(out)
    files = sorted(p.name for p in (tmp_path / "certs").iterdir())
    assert files == ["toy.def--exact.json", "toy.lemma.a--exact.json"]
    cert = json.loads((tmp_path / "certs" / files[1]).read_text())
    assert cert == {"format": "toy-format", "claim": "2 > 1"}
    by = {c["id"]: c for c in rep["claims"]}
    assert by["toy.lemma.a"]["checks"][0]["certificate_file"] == "toy.lemma.a--exact.json"


def test_failed_recheck_exits_1(monkeypatch, capsys):
    import prunecert.cli.verify as verify

    _fake_claims.install(monkeypatch)

    class Bad:
        ok, detail = False, "altered certificate"

    monkeypatch.setattr(verify, "rechecker_table", lambda: {"toy-format": lambda cert: Bad()})
    code, out, _ = run_cli(capsys, "toy.lemma.a", "--json")
    rep = json.loads(out)
    assert code == 1 and rep["certificates"]["recheck_failed"] == 2
    code, out, _ = run_cli(capsys, "toy.lemma.a")
    assert code == 1 and "failed to re-check" in out


def test_recheck_statuses():
    from prunecert.cli.verify import recheck_certificate, rechecker_table

    assert recheck_certificate({"no": "format"})["status"] == "stored"
    assert recheck_certificate({"format": "surely-not-a-format-xyz"})["status"] == "stored"
    assert "prunecert-inequality/1" in rechecker_table()


def test_real_prover_certificate_rechecked_and_tampering_detected():
    from prunecert.cli.verify import recheck_certificate
    from prunecert.checks.inequality.prover import prove_text

    cert = prove_text("sin(x) <= x", {"x": ("0", "2")}).certificate
    assert recheck_certificate(cert)["status"] == "ok"
    bad = dict(cert, rhs="x - 1", claim="sin(x) <= x - 1")      # a false statement
    assert recheck_certificate(bad)["status"] == "failed"


def test_process_pool_matches_serial(monkeypatch, capsys):
    _fake_claims.install(monkeypatch)
    _, out1, _ = run_cli(capsys, "--json")
    _, out2, _ = run_cli(capsys, "--json", "--jobs", "2")
    lv1 = {c["id"]: (c["level"], c["reason"]) for c in json.loads(out1)["claims"]}
    lv2 = {c["id"]: (c["level"], c["reason"]) for c in json.loads(out2)["claims"]}
    assert lv1 == lv2


def test_pool_runner_unpicklable_check_is_unknown(monkeypatch):
    from prunecert.proofs.parallel import pool_runner
    from prunecert.proofs.registry import Check, Claim
    import prunecert.proofs.registry as registry

    reg = {"x": Claim("x", "x", "x", "new", checks=(Check("lambda", lambda: CheckResult(Level.PROVED, "m")),))}
    monkeypatch.setattr(registry, "_REGISTRY", reg)
    out = pool_runner(2)([("x", 0, False)])
    assert out[("x", 0, False)].level is Level.UNKNOWN


def test_precision_restored_between_jobs(monkeypatch):
    """A check that leaks a precision change cannot affect the next job."""
    from flint import ctx

    from prunecert.proofs.parallel import run_check_clean
    from prunecert.proofs.registry import Check

    def leaky():
        ctx.prec = 20
        return CheckResult(Level.PROVED, "leak")

    before = ctx.prec
    run_check_clean(Check("leak", leaky))
    assert ctx.prec == before


def test_real_registry_lists(capsys):
    """The package's own registry loads (no malformed claim, no cycle) and lists its claims."""
    code, out, err = run_cli(capsys, "--list", "--json")
    assert code == 0, err
    items = json.loads(out)
    assert isinstance(items, list) and items
    code, out, err = run_cli(capsys, "--list")      # a table without --json, every id whole
    assert code == 0, err
    assert all(i["id"] in out for i in items)


def test_noisy_checks_do_not_corrupt_json_stdout():
    """A check that prints (in this process or in a worker) leaves stdout one JSON document."""
    import subprocess
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    code = ("import sys; sys.path.insert(0, %r)\n"
            "import _fake_claims, prunecert.proofs.registry as r\n"
            "r._REGISTRY = _fake_claims.claims()\n"
            "from prunecert.cli import main\n"
            "sys.exit(main(['verify', '--json', '--jobs', sys.argv[1]]))\n") % str(here)
    for jobs in ("1", "2"):
        proc = subprocess.run([sys.executable, "-c", code, jobs], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        rep = json.loads(proc.stdout)
        assert rep["summary"]["CHECKED"] == 1
        assert "a noisy check writes to stdout" in proc.stderr


def test_id_patterns(monkeypatch, capsys):
    _fake_claims.install(monkeypatch)
    code, out, _ = run_cli(capsys, "toy.lemma.*", "--json")
    by = {c["id"]: c for c in json.loads(out)["claims"] if c["requested"]}
    assert code == 0 and set(by) == {"toy.lemma.a", "toy.lemma.b", "toy.lemma.slow"}
    code, _, err = run_cli(capsys, "nothing.*")
    assert code == 3 and "nothing.*" in err


# --- the leanblueprint lesson, as a property: nothing is green over a non-green dependency ------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

LEVELS = [Level.PROVED, Level.CHECKED, Level.EVIDENCE, Level.UNKNOWN, Level.REFUTED]


@st.composite
def random_registry(draw):
    from prunecert.proofs.registry import Check, Claim

    n = draw(st.integers(1, 10))
    reg, outcomes = {}, {}
    for i in range(n):
        deps = draw(st.lists(st.integers(0, i - 1), max_size=3, unique=True)) if i else []
        k = draw(st.integers(0, 2))
        checks = tuple(Check(f"c{j}", _fake_claims.check_proved) for j in range(k))
        for j in range(k):
            outcomes[(f"x{i}", j, False)] = CheckResult(draw(st.sampled_from(LEVELS)), "m")
        split = draw(st.integers(0, len(deps)))
        reg[f"x{i}"] = Claim(f"x{i}", "t", "s", draw(st.sampled_from(["new", "seed 001"])), checks=checks,
                             uses=tuple(f"x{d}" for d in deps[:split]),
                             proof_uses=tuple(f"x{d}" for d in deps[split:]),
                             proof=draw(st.sampled_from([None, "docs/levels.md"])))
    return reg, outcomes


@settings(max_examples=150, deadline=None)
@given(random_registry())
def test_levels_never_exceed_dependencies(monkeypatch_reg):
    import prunecert.proofs.registry as registry
    from prunecert.proofs import evaluate

    reg, outcomes = monkeypatch_reg
    old = registry._REGISTRY
    registry._REGISTRY = reg
    try:
        sts = evaluate(runner=lambda jobs: {j: outcomes[j] for j in jobs})
    finally:
        registry._REGISTRY = old

    def closure(cid, seen=None):
        seen = set() if seen is None else seen
        for d in reg[cid].dependencies():
            if d not in seen:
                seen.add(d)
                closure(d, seen)
        return seen

    for cid, s in sts.items():
        lv = s.level
        if lv is Level.REFUTED:   # only by its own checks
            assert any(outcomes[(cid, j, False)].level is Level.REFUTED for j in range(len(reg[cid].checks)))
            continue
        for d in closure(cid):
            dl = sts[d].level
            assert lv.strength <= (dl.strength if dl is not Level.REFUTED else Level.UNKNOWN.strength), (cid, d)
        if lv is Level.PROVED:
            # rule 4, and rule 2: a composition (no own checks) has a written argument over proof_uses lemmas
            assert reg[cid].proof and (reg[cid].checks or reg[cid].proof_uses)
            assert all(outcomes[(cid, j, False)].level is Level.PROVED for j in range(len(reg[cid].checks)))
        if lv is not Level.PROVED:          # every non-green node says why
            assert s.reason and s.reason != "all checks passed", (cid, lv, s.reason)


def test_timeout_makes_a_hanging_check_unknown(monkeypatch, capsys):
    import time

    import prunecert.proofs.registry as registry
    from prunecert.proofs.registry import Check, Claim, validate_graph

    reg = _fake_claims.claims()
    reg["toy.hang"] = Claim("toy.hang", "Hangs", "H", "new", checks=(Check("sleep", _fake_claims.check_sleeps),),
                            proof="docs/levels.md")
    validate_graph(reg)
    monkeypatch.setattr(registry, "_REGISTRY", reg)
    t0 = time.perf_counter()
    code, out, _ = run_cli(capsys, "--json", "--jobs", "2", "--timeout", "4")
    assert time.perf_counter() - t0 < 50
    by = {c["id"]: c for c in json.loads(out)["claims"]}
    assert code == 0
    assert by["toy.hang"]["level"] == "UNKNOWN" and "timed out" in by["toy.hang"]["reason"]
    assert by["toy.lemma.a"]["level"] == "PROVED" and by["toy.lemma.b"]["level"] == "CHECKED"
    assert run_cli(capsys, "--timeout", "0")[0] == 3


def test_unwritable_certificate_dir_is_bad_input(monkeypatch, capsys, tmp_path):
    _fake_claims.install(monkeypatch)
    f = tmp_path / "a_file"
    f.write_text("x")
    code, out, err = run_cli(capsys, "--certificates", str(f / "sub"))
    assert code == 3 and "--certificates" in err and "Traceback" not in err and out == ""


def test_certificate_with_opposite_verdict_fails():
    from prunecert.cli.verify import recheck_certificate

    cert = {"format": "prunecert-smt/1", "level": "REFUTED"}
    out = recheck_certificate(cert, {}, expected_level="PROVED")
    assert out["status"] == "failed" and "records REFUTED" in out["detail"]
