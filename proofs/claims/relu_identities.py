"""Standard ReLU / max identities used by the gap proofs, each decided exactly by
prunecert.checks.decide.smt.prove_forall: the negation is unsat for z3 AND for cvc5 (double confirmation).

sigma(t) = relu(t) = Max(0, t).  Written arguments: docs/smt.md (one anchor per claim).
"""
from __future__ import annotations

import sympy as sp

from prunecert.checks.result import CheckResult
from prunecert.checks.decide.smt import prove_forall
from prunecert.proofs.registry import Check, Claim

DOC = "docs/smt.md"
TIMEOUT = 20.0

a, b, c, t, lam = (sp.Symbol(s, real=True) for s in ("a", "b", "c", "t", "lam"))


def relu(e):
    return sp.Max(0, e)


# -- checks (module level, zero arguments, return CheckResult) ---------------------------
def check_odd_part() -> CheckResult:
    return prove_forall(relu(t) - relu(-t), "==", t, timeout=TIMEOUT)


def check_abs_sum() -> CheckResult:
    return prove_forall(relu(t) + relu(-t), "==", sp.Abs(t), timeout=TIMEOUT)


def check_lipschitz() -> CheckResult:
    return prove_forall(sp.Abs(relu(a) - relu(b)), "<=", sp.Abs(a - b), timeout=TIMEOUT)


def check_homogeneous() -> CheckResult:
    return prove_forall(relu(c * t), "==", c * relu(t), {"c": (0, None)}, timeout=TIMEOUT)


def check_negative_scaling() -> CheckResult:
    return prove_forall(relu(c * t), "==", -c * relu(-t), {"c": (None, 0)}, timeout=TIMEOUT)


def check_shift() -> CheckResult:
    return prove_forall(sp.Abs(relu(a + b) - relu(a)), "<=", sp.Abs(b), timeout=TIMEOUT)


def check_max_formula() -> CheckResult:
    return prove_forall(sp.Max(a, b), "==", (a + b + sp.Abs(a - b)) / 2, timeout=TIMEOUT)


def check_max_via_relu() -> CheckResult:
    return prove_forall(sp.Max(a, b), "==", b + relu(a - b), timeout=TIMEOUT)


def check_subadditive() -> CheckResult:
    return prove_forall(relu(a + b), "<=", relu(a) + relu(b), timeout=TIMEOUT)


def check_convex() -> CheckResult:
    return prove_forall(relu(lam * a + (1 - lam) * b), "<=", lam * relu(a) + (1 - lam) * relu(b),
                        {"lam": (0, 1)}, timeout=TIMEOUT)


def _claim(cid, title, statement, sympy_form, check, anchor, description, hypotheses=(), sketch=""):
    return Claim(
        id=cid, title=title, statement=statement, source="new", kind="lemma", sympy=sympy_form,
        hypotheses=hypotheses,
        checks=(Check("z3+cvc5", check, description),),
        proof=f"{DOC}#{anchor}", sketch=sketch, tags=("relu", "smt"),
    )


_PL = "negation unsat in QF_LRA for z3 and for cvc5 (ReLU/Abs/Max as ite)"
_NL = "negation unsat in QF_NRA for z3 and for cvc5 (ReLU as ite, products of variables)"

CLAIMS = [
    _claim("relu.odd_part", "ReLU odd part: relu(t) - relu(-t) = t",
           r"$\forall t\in\mathbb R:\ \sigma(t)-\sigma(-t)=t$.",
           "Eq(Max(0, t) - Max(0, -t), t)", check_odd_part, "relu-odd-part", _PL,
           sketch="Cases t >= 0 and t < 0."),
    _claim("relu.abs_sum", "ReLU even part: relu(t) + relu(-t) = |t|",
           r"$\forall t\in\mathbb R:\ \sigma(t)+\sigma(-t)=|t|$.",
           "Eq(Max(0, t) + Max(0, -t), Abs(t))", check_abs_sum, "relu-even-part", _PL,
           sketch="Cases t >= 0 and t < 0."),
    _claim("relu.lipschitz", "ReLU is 1-Lipschitz: |relu(a) - relu(b)| <= |a - b|",
           r"$\forall a,b\in\mathbb R:\ |\sigma(a)-\sigma(b)|\le|a-b|$.",
           "Abs(Max(0, a) - Max(0, b)) <= Abs(a - b)", check_lipschitz, "relu-is-1-lipschitz", _PL,
           sketch="Four sign cases; in the mixed case the nonzero side is at most the distance."),
    _claim("relu.homogeneous", "ReLU is positively homogeneous: relu(c t) = c relu(t) for c >= 0",
           r"$\forall c\ge0,\ t\in\mathbb R:\ \sigma(ct)=c\,\sigma(t)$.",
           "Eq(Max(0, c*t), c*Max(0, t))", check_homogeneous, "relu-positive-homogeneity", _NL,
           hypotheses=("c >= 0",), sketch="For c > 0, ct has the sign of t; c = 0 gives 0 = 0."),
    _claim("relu.negative_scaling", "relu(c t) = -c relu(-t) for c <= 0",
           r"$\forall c\le0,\ t\in\mathbb R:\ \sigma(ct)=(-c)\,\sigma(-t)$.",
           "Eq(Max(0, c*t), -c*Max(0, -t))", check_negative_scaling, "relu-negative-scaling", _NL,
           hypotheses=("c <= 0",), sketch="Write ct = (-c)(-t) and use positive homogeneity."),
    _claim("relu.shift", "ReLU shift bound: |relu(a + b) - relu(a)| <= |b|",
           r"$\forall a,b\in\mathbb R:\ |\sigma(a+b)-\sigma(a)|\le|b|$.",
           "Abs(Max(0, a + b) - Max(0, a)) <= Abs(b)", check_shift, "relu-shift-bound", _PL,
           sketch="The Lipschitz bound with the pair (a + b, a)."),
    _claim("relu.max_formula", "max(a, b) = (a + b + |a - b|)/2",
           r"$\forall a,b\in\mathbb R:\ \max(a,b)=\tfrac12\,(a+b+|a-b|)$.",
           "Eq(Max(a, b), (a + b + Abs(a - b))/2)", check_max_formula, "max-via-absolute-value", _PL,
           sketch="If a >= b the right side is (a + b + a - b)/2 = a; symmetric otherwise."),
    _claim("relu.max_via_relu", "max(a, b) = b + relu(a - b)",
           r"$\forall a,b\in\mathbb R:\ \max(a,b)=b+\sigma(a-b)$.",
           "Eq(Max(a, b), b + Max(0, a - b))", check_max_via_relu, "max-via-relu", _PL,
           sketch="max(a, b) - b = max(a - b, 0)."),
    _claim("relu.subadditive", "ReLU is subadditive: relu(a + b) <= relu(a) + relu(b)",
           r"$\forall a,b\in\mathbb R:\ \sigma(a+b)\le\sigma(a)+\sigma(b)$.",
           "Max(0, a + b) <= Max(0, a) + Max(0, b)", check_subadditive, "relu-subadditivity", _PL,
           sketch="a + b <= relu(a) + relu(b) and 0 <= relu(a) + relu(b)."),
    _claim("relu.convex", "ReLU is convex",
           r"$\forall a,b\in\mathbb R,\ \lambda\in[0,1]:\ \sigma(\lambda a+(1-\lambda)b)\le\lambda\sigma(a)+(1-\lambda)\sigma(b)$.",
           "Max(0, lam*a + (1 - lam)*b) <= lam*Max(0, a) + (1 - lam)*Max(0, b)", check_convex,
           "relu-convexity", _NL, hypotheses=("0 <= lam <= 1",),
           sketch="Homogeneity (lam, 1 - lam >= 0) plus subadditivity; a maximum of two linear functions."),
]
