"""Example claims proved by the core prover (prunecert.checks.inequality.prover): the acceptance inequalities.

Each check runs the branch-and-bound prover and returns its CheckResult with the certificate
(re-checked by ``prunecert verify`` with the independent checker).  Written argument:
docs/prover.md.
"""
from __future__ import annotations

from prunecert.checks.inequality.prover import prove_text
from prunecert.proofs.registry import Check, Claim

DOC = "docs/prover.md"


def check_cos_taylor4():
    return prove_text("cos(t) <= 1 - t**2/2 + t**4/24", {"t": ("0", "1")}, timeout=20).to_check_result()


def check_tlogt():
    return prove_text("t*log(t) + exp(-1) >= 0", {"t": ("1/100", "2")}, timeout=20).to_check_result()


def check_amgm2():
    return prove_text("x**2 + y**2 >= 2*x*y", {"x": ("-1", "1"), "y": ("-1", "1")}, timeout=20).to_check_result()


def check_log1p():
    return prove_text("log(1 + x) >= x - x**2/2", {"x": ("0", "1")}, timeout=20).to_check_result()


CLAIMS = [
    Claim(
        id="core.cos_taylor4",
        title="cos t <= 1 - t^2/2 + t^4/24 on [0, 1] (touches equality at t = 0)",
        statement=r"$\forall t\in[0,1]:\ \cos t\le 1-\tfrac{t^2}{2}+\tfrac{t^4}{24}$",
        source="new", kind="lemma", sympy="cos(t) <= 1 - t**2/2 + t**4/24",
        checks=(Check("prover", check_cos_taylor4, "touching point t=0, order 6, cos >= 0 on the neighbourhood"),),
        proof=f"{DOC}#touching-equality", tags=("engine-example",),
        sketch="g = 1 - t^2/2 + t^4/24 - cos t vanishes to order 6 at 0 and g^(6) = cos t >= 0.",
    ),
    Claim(
        id="core.tlogt",
        title="t log t >= -1/e on [1/100, 2] (equality at the irrational point 1/e)",
        statement=r"$\forall t\in[\tfrac1{100},2]:\ t\log t+e^{-1}\ge 0$",
        source="new", kind="lemma", sympy="t*log(t) + exp(-1) >= 0",
        checks=(Check("prover", check_tlogt, "touching point 1/e found by sympy, g'' = 1/t > 0"),),
        proof=f"{DOC}#touching-equality", tags=("engine-example",),
        sketch="g(1/e) = g'(1/e) = 0 exactly; g'' = 1/t > 0 on the box.",
    ),
    Claim(
        id="core.amgm2",
        title="x^2 + y^2 >= 2xy on [-1, 1]^2 (equality on the diagonal)",
        statement=r"$\forall x,y\in[-1,1]:\ x^2+y^2\ge 2xy$",
        source="new", kind="lemma", sympy="x**2 + y**2 >= 2*x*y",
        checks=(Check("prover", check_amgm2, "exact factorisation (x - y)^2"),),
        proof=f"{DOC}#exact-factorisation", tags=("engine-example",),
        sketch="x^2 + y^2 - 2xy = (x - y)^2, an even power.",
    ),
    Claim(
        id="core.log1p",
        title="log(1 + x) >= x - x^2/2 on [0, 1] (touches equality at x = 0)",
        statement=r"$\forall x\in[0,1]:\ \log(1+x)\ge x-\tfrac{x^2}{2}$",
        source="new", kind="lemma", sympy="log(1 + x) >= x - x**2/2",
        checks=(Check("prover", check_log1p, "touching point 0, order 3, g''' = 2/(1+x)^3 > 0"),),
        proof=f"{DOC}#touching-equality", tags=("engine-example",),
        sketch="g vanishes to order 3 at the left end 0 and g''' > 0.",
    ),
]
