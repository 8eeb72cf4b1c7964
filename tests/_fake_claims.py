"""A small fake claim registry for the front-door tests (verify, blueprint, docs).

Check functions are module-level so that the process-pool runner can pickle them.
"""
from __future__ import annotations

from prunecert.checks.levels import Level
from prunecert.checks.result import CheckResult
from prunecert.proofs.registry import Check, Claim, validate_graph


def check_proved():
    return CheckResult(Level.PROVED, "toy-exact", 0.01, "",
                       certificate={"format": "toy-format", "claim": "2 > 1"})


def check_checked():
    print("a noisy check writes to stdout")           # must not corrupt `verify --json`
    return CheckResult(Level.CHECKED, "toy-instances[exact]", 0.02, "decided on 3 instances")


def check_slow():
    return CheckResult(Level.PROVED, "toy-slow", 0.03)


def check_sleeps():
    import time

    time.sleep(60)
    return CheckResult(Level.PROVED, "toy-sleep", 60.0)


def check_refuted():
    return CheckResult(Level.REFUTED, "toy-search", 0.01, "counterexample x = 1/2", witness={"x": "1/2"})


def check_raises():
    raise RuntimeError("boom")


def claims(refuted: bool = False) -> dict[str, Claim]:
    cs = [
        Claim("toy.def", "A definition", r"\sigma(t) = \max(t, 0)", "new", kind="definition",
              checks=(Check("exact", check_proved),), proof="docs/levels.md"),
        Claim("toy.lemma.a", "Lemma A", r"1 < 2 <b>&</b>", "new",
              checks=(Check("exact", check_proved),), uses=("toy.def",), proof="docs/levels.md",
              sketch="compare *exactly*"),
        Claim("toy.lemma.b", "Lemma B", r"\forall n \le 3: P(n)", "seed 001: toy", seed="001",
              checks=(Check("instances", check_checked),)),
        Claim("toy.lemma.slow", "Slow lemma", "Q", "new",
              checks=(Check("long", check_slow, slow=True),), proof="docs/levels.md"),
        Claim("toy.paper", "Paper claim", "R", "seed 001: toy", seed="001"),
        Claim("toy.crash", "Crashing check", "S", "new", checks=(Check("crash", check_raises),)),
        Claim("toy.thm", "Main theorem", r"\text{main}", "seed 001: toy", kind="theorem", seed="001",
              checks=(Check("glue", check_proved),), uses=("toy.def",),
              proof_uses=("toy.lemma.a", "toy.lemma.b", "toy.lemma.slow"), proof="docs/levels.md#x"),
    ]
    if refuted:
        cs.append(Claim("toy.false", "False lemma", "T", "new", checks=(Check("search", check_refuted),),
                        uses=("toy.def",)))
        cs.append(Claim("toy.after", "Uses the false lemma", "U", "new",
                        checks=(Check("exact", check_proved),), proof="docs/levels.md",
                        proof_uses=("toy.false",)))
    reg = {c.id: c for c in cs}
    validate_graph(reg)
    return reg


def install(monkeypatch, refuted: bool = False) -> dict[str, Claim]:
    import prunecert.proofs.registry as registry

    reg = claims(refuted)
    monkeypatch.setattr(registry, "_REGISTRY", reg)
    return reg
