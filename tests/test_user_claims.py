"""Claims from outside the package: --claims files and modules, entry points, isolation."""
import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level
from prunecert.cli import main
from prunecert.proofs.registry import Claim, all_claims, extra_claims

THREE = textwrap.dedent('''\
    namespace = "sector_plus"

    [claims.jordan]
    title = "Jordan's inequality sin t >= 2t/pi"
    statement = "sin t >= 2t/pi for 0 <= t <= 157/100"
    proof = "notes.md#jordan"

    [[claims.jordan.checks]]
    type = "prove"
    relation = "sin(t) >= 2*t/pi"
    box = { t = ["0", "157/100"] }

    [claims.linear_sector]
    title = "Sector error >= min(a, b)/(2 pi)"
    statement = "K2's bound sin(min(a,b))/4 with Jordan's inequality"
    proof = "notes.md#linear"
    proof_uses = ["jordan", "gap.lower.K2_sector"]

    [claims.naive]
    title = "sin t >= t"
    statement = "sin t >= t on [0, 3/2]"
    proof = "notes.md#naive"

    [[claims.naive.checks]]
    type = "prove"
    relation = "sin(t) >= t"
    box = { t = ["0", "3/2"] }
    ''')


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    (tmp_path / "notes.md").write_text("# Notes\n## jordan\n## linear\n## naive\n")
    return p


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_three_claims_file_levels_and_blueprint(tmp_path, capsys):
    f = write(tmp_path, "claims.toml", THREE)
    code, out, err = run_cli(capsys, "verify", "--claims", str(f), "--json", "--certificates", str(tmp_path / "c"))
    rep = json.loads(out)
    lv = {c["id"]: c["level"] for c in rep["claims"]}
    assert lv["sector_plus.jordan"] == "PROVED"
    assert lv["sector_plus.linear_sector"] == "PROVED" == lv["gap.lower.K2_sector"]
    assert lv["sector_plus.naive"] == "REFUTED"
    assert code == 1                                  # a REFUTED claim: exit 1
    by = {c["id"]: c for c in rep["claims"]}
    assert by["sector_plus.jordan"]["origin"] == str(f) and by["gap.lower.K2_sector"]["origin"] == "shipped"
    assert by["sector_plus.jordan"]["checks"][0]["recheck"]["status"] == "ok"   # certificate re-checked
    assert (tmp_path / "c" / "sector_plus.jordan--prover.json").exists()
    code, out, err = run_cli(capsys, "blueprint", "--claims", str(f), "--format", "md", "--out", str(tmp_path / "bp"))
    assert code == 0
    md = (tmp_path / "bp" / "blueprint.md").read_text()
    assert "## sector_plus.linear_sector" in md and "gap.lower.K2_sector" in md and "## sector_plus.naive" in md


def test_malformed_claim_file_exit_3_with_lines(tmp_path, capsys):
    f = write(tmp_path, "bad.toml", 'namespace = "m"\n\n[claims.a]\ntitle = "A"\nstatement = "s"\nkind = 3\n'
                                    '[[claims.a.checks]]\ntype = "prove"\nrelation = "x >= 0"\n')
    code, out, err = run_cli(capsys, "verify", "--claims", str(f), "--json")
    assert code == 3 and out == ""
    assert f"{f}:6: claims.a.kind:" in err
    assert f"{f}:7: claims.a.checks[1]: missing required field 'box'" in err
    assert "Traceback" not in err


MODULE = textwrap.dedent('''\
    import prunecert
    from prunecert import Check, Claim

    def boom():
        raise RuntimeError("the user's check exploded")

    def hang():
        import time
        time.sleep(600)

    CLAIMS = [
        Claim("mymod.raises", "raises", "s", source="new", checks=(Check("boom", boom),)),
        Claim("mymod.hangs", "hangs", "s", source="new", checks=(Check("hang", hang),)),
        Claim("mymod.fine", "fine", "x^2 + 1 >= 2x", source="new", proof="notes.md",
              checks=(prunecert.prove_inequality("x**2 + 1 >= 2*x", {"x": (-1, 1)}),)),
        Claim("mymod.broken_import", "broken import", "s", source="new",
              checks=(prunecert.python_check("no_such_module_for_prunecert:f"),)),
    ]
    ''')


def test_raising_and_broken_checks_are_unknown_others_run(tmp_path, capsys):
    f = write(tmp_path, "mymod.py", MODULE)
    code, out, err = run_cli(capsys, "verify", "--claims", str(f), "mymod.raises", "mymod.fine", "mymod.broken_import",
                             "--json", "--jobs", "2")
    by = {c["id"]: c for c in json.loads(out)["claims"]}
    assert by["mymod.raises"]["level"] == "UNKNOWN" and "the user's check exploded" in by["mymod.raises"]["reason"]
    assert by["mymod.broken_import"]["level"] == "UNKNOWN"
    assert "no_such_module_for_prunecert" in by["mymod.broken_import"]["reason"]
    assert by["mymod.fine"]["level"] == "PROVED"
    assert code == 0


def test_hanging_user_check_hits_the_time_limit(tmp_path, capsys):
    f = write(tmp_path, "mymod.py", MODULE)
    t0 = time.perf_counter()
    code, out, err = run_cli(capsys, "verify", "--claims", str(f), "mymod.hangs", "--json", "--timeout", "3")
    by = {c["id"]: c for c in json.loads(out)["claims"]}
    assert by["mymod.hangs"]["level"] == "UNKNOWN" and "timed out" in by["mymod.hangs"]["reason"]
    assert time.perf_counter() - t0 < 60          # the check sleeps 600 s


def test_user_checks_get_a_default_time_limit():
    from argparse import Namespace

    from prunecert.cli.verify import USER_TIMEOUT, job_timeout

    lim = job_timeout(Namespace(timeout=None), {"mine.a"})
    assert lim(("mine.a", 0, False)) == USER_TIMEOUT and lim(("gap.lower.K2_sector", 0, False)) is None
    assert job_timeout(Namespace(timeout=5.0), {"mine.a"}) == 5.0


def test_collision_with_shipped_id_is_exit_3(tmp_path, capsys):
    f = write(tmp_path, "clash.py", 'from prunecert import Claim\n'
                                    'CLAIMS = [Claim("gap.lower.K2_sector", "mine", "s", source="new")]\n')
    code, out, err = run_cli(capsys, "verify", "--claims", str(f))
    assert code == 3 and "collides with a shipped claim" in err
    with pytest.raises(InputError, match="shipped namespace"):
        with extra_claims([Claim("core.mine", "x", "s", source="new")]):
            pass


def test_user_claims_do_not_leak_or_change_shipped(tmp_path):
    before = dict(all_claims())
    with extra_claims([Claim("mine.a", "a", "s", source="new", proof_uses=("gap.lower.K2_sector",))]):
        assert "mine.a" in all_claims()
    assert all_claims() == before


def test_module_that_fails_to_import_is_exit_3(tmp_path, capsys):
    f = write(tmp_path, "broken.py", "import no_such_module_for_prunecert\n")
    code, out, err = run_cli(capsys, "verify", "--claims", str(f))
    assert code == 3 and "No module named 'no_such_module_for_prunecert'" in err and "Traceback" not in err


def test_python_api_verify(tmp_path):
    import prunecert

    c = prunecert.Claim("api.sq", "square", "(x+1)^2 = x^2+2x+1", source="new", proof=str(write(tmp_path, "p.md", "x")),
                        checks=(prunecert.identity("(x + 1)**2", "x**2 + 2*x + 1"),))
    st = prunecert.verify([c])
    assert st["api.sq"].level is Level.PROVED


def _site(tmp_path, ep_lines, module_text):
    site = tmp_path / "site"
    (site / "tinyclaims-0.1.dist-info").mkdir(parents=True)
    (site / "tinyclaims-0.1.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: tinyclaims\nVersion: 0.1\n")
    (site / "tinyclaims-0.1.dist-info" / "entry_points.txt").write_text("[prunecert.claims]\n" + ep_lines)
    (site / "tinyclaims.py").write_text(module_text)
    return site


def test_entry_point_claims_listed_and_verified(tmp_path):
    """A package exposing claims through the entry-point group: a dist-info with entry_points.txt
    and its module on sys.path is what importlib.metadata discovers (as for a pip-installed one)."""
    site = _site(tmp_path, "tiny = tinyclaims\nbad = tinyclaims_missing\n", textwrap.dedent('''\
        from prunecert import Claim, identity
        CLAIMS = [Claim("tiny.square", "binomial square", "(a+b)^2", source="literature: school",
                        checks=(identity("(a + b)**2", "a**2 + 2*a*b + b**2"),))]
        '''))
    env = {**os.environ, "PYTHONPATH": str(site) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, "-m", "prunecert.cli", "verify", "--list", "--json"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    tiny = [r for r in rows if r["id"] == "tiny.square"]
    assert tiny and tiny[0]["origin"].startswith("entry point tiny = tinyclaims")
    broken = [r for r in rows if r.get("error")]
    assert broken and "tinyclaims_missing" in broken[0]["error"]        # listed, not a crash
    assert "warning" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "prunecert.cli", "verify", "tiny.*", "--json"], env=env,
                          capture_output=True, text=True, timeout=120)
    rep = json.loads(proc.stdout)
    assert [c["level"] for c in rep["claims"]] == ["UNKNOWN"]      # checked, but no written proof
    assert "no written glue" in rep["claims"][0]["reason"]
    assert rep["claims"][0]["checks"][0]["level"] == "PROVED"


def test_module_that_hangs_while_loading_is_stopped(tmp_path, capsys, monkeypatch):
    import prunecert.proofs.user_modules as um   # where user code is loaded

    monkeypatch.setattr(um, "LOAD_TIMEOUT", 1.0)
    f = write(tmp_path, "slowload.py", "while True:\n    pass\n")
    t0 = time.perf_counter()
    code, out, err = run_cli(capsys, "verify", "--claims", str(f))
    assert code == 3 and "still running after 1 s" in err and time.perf_counter() - t0 < 30


def test_module_printing_while_loading_keeps_json_stdout_clean(tmp_path, capsys):
    f = write(tmp_path, "noisy.py", 'print("hello from the user module")\nfrom prunecert import Claim\n'
                                    'CLAIMS = [Claim("noisy.c", "c", "s", source="literature: x")]\n')
    code, out, err = run_cli(capsys, "verify", "--claims", str(f), "--json")
    assert code == 0 and json.loads(out)["claims"][0]["level"] == "CLAIMED"
