"""Tests of prunecert.checks.decide.smt / prunecert.checks.decide.smtlib / prunecert.checks.decide.smt_worker: exact decision, double confirmation,
exact re-check of models, hard kill at the deadline, 0-1 feasibility against brute force."""
from __future__ import annotations

import itertools
import os
import time
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prunecert.checks.decide import smt
from prunecert.checks.errors import BoxError, ExpressionError, InputError
from prunecert.checks.levels import Level
from prunecert.checks.decide.smt import SatResult, check_sat, feasible_01, prove_forall
from prunecert.checks.decide.smt_worker import _algebraic
from prunecert.checks.decide.smtlib import Translator, real_literal

x, y, t, a, b, c = sp.symbols("x y t a b c")
n = sp.Symbol("n", integer=True)
relu = lambda e: sp.Max(0, e)  # noqa: E731
FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------ translation
def test_real_literals_are_exact():
    assert real_literal(Fraction(-3, 7)) == "(- (/ 3.0 7.0))"
    assert real_literal(5) == "5.0"
    assert real_literal(Fraction(1, 10 ** 15)) == "(/ 1.0 1000000000000000.0)"


@pytest.mark.parametrize("expr", [sp.sin(x), sp.exp(x), sp.log(x + 2), sp.sqrt(x), x ** sp.Rational(1, 3),
                                  x ** y, sp.pi * x, sp.Float("0.1") * x, sp.erf(x), sp.floor(x)])
def test_unsupported_is_expression_error_pointing_to_the_prover(expr):
    with pytest.raises(ExpressionError) as ei:
        Translator().term(expr)
    assert "prover" in str(ei.value) or "rational" in str(ei.value) or "float" in str(ei.value)


def test_unsupported_in_prove_forall_is_expression_error():
    with pytest.raises(ExpressionError, match="interval prover"):
        prove_forall(sp.sin(x), "<=", 1, {"x": (0, 1)})
    with pytest.raises(ExpressionError, match="interval prover"):
        prove_forall("exp(x)", ">=", "1 + x", None)
    with pytest.raises(ExpressionError):
        prove_forall(0.5 * x, ">=", 0, {"x": (0, 1)})  # inexact float coefficient


def test_bad_names_and_inputs():
    with pytest.raises(ExpressionError):
        Translator().term(sp.Symbol("a|b"))
    with pytest.raises(InputError):
        prove_forall(x, "=>", 0)
    with pytest.raises(BoxError, match="reversed"):
        prove_forall(x, ">=", 0, {"x": (1, 0)})
    with pytest.raises(BoxError, match="does not occur"):
        prove_forall(x, ">=", 0, {"z": (0, 1)})
    with pytest.raises(BoxError):
        prove_forall(x, ">=", 0, {"x": ("nan", 1)})
    with pytest.raises(BoxError):
        prove_forall(x, ">=", 0, {"x": (0, float("inf"))})
    with pytest.raises(InputError):
        prove_forall(x, ">=", 0, timeout=0)
    with pytest.raises(InputError):
        check_sat("(declare-fun x () Real)", solver="yices")
    with pytest.raises(ExpressionError):
        prove_forall("x +* 2", ">=", "0")  # unparsable text, via prunecert.checks.rigorous.expr.parse


def test_piecewise_definedness_is_path_sensitive():
    tr = Translator()
    term, dfn = tr.term(sp.Piecewise((1 / x, x > 0), (0, True)))
    assert "ite" in term and "=>" in dfn  # the 1/x guard only applies where x > 0
    assert tr.logic == "QF_NRA"
    tr2 = Translator()
    tr2.term(relu(2 * x - y))
    assert tr2.logic == "QF_LRA"
    tr3 = Translator()
    tr3.term(n * x)
    assert tr3.logic == "QF_NIRA"


# ------------------------------------------------------------------ prove_forall
TRUE_CASES = [
    (relu(t) - relu(-t), "==", t, None),
    (relu(t) + relu(-t), "==", sp.Abs(t), None),
    (sp.Abs(relu(a) - relu(b)), "<=", sp.Abs(a - b), None),
    (relu(c * t), "==", c * relu(t), {"c": (0, None)}),
    (sp.Max(a, b), "==", (a + b + sp.Abs(a - b)) / 2, None),
    (x ** 2 + y ** 2, ">=", 2 * x * y, {"x": (-1, 1), "y": (-1, 1)}),
    (x ** 4 - 2 * x ** 2 + 1, ">=", 0, None),
    (n ** 2, ">=", n, None),                                   # true over the integers only
    (sp.Piecewise((x, x >= 0), (-x, True)), "==", sp.Abs(x), None),
    (1 / x, ">", 0, {"x": (Fraction(1, 10), 1)}),
    (sp.Min(x, 2, 3 * x), "<=", 2, None),
]


@pytest.mark.parametrize("lhs,op,rhs,box", TRUE_CASES)
def test_true_statements_are_proved_by_both_solvers(lhs, op, rhs, box):
    r = prove_forall(lhs, op, rhs, box, timeout=20)
    assert r.level is Level.PROVED, r.detail
    assert r.method == "z3+cvc5"
    ans = r.certificate["answers"]
    assert [a["solver"] for a in ans] == ["z3", "cvc5"] and all(a["status"] == "unsat" for a in ans)
    assert all(a["version"] for a in ans)
    assert "(check-sat)" in r.certificate["smtlib2"]


FALSE_CASES = [
    (relu(t) - relu(-t), "==", sp.Abs(t), None),
    (sp.Abs(relu(a) - relu(b)), "<", sp.Abs(a - b), None),
    (relu(c * t), "==", c * relu(t), None),                    # false for c < 0
    (x ** 2 + y ** 2, ">=", 2 * x * y + sp.Rational(1, 10 ** 12), {"x": (-1, 1), "y": (-1, 1)}),
    (relu(x), ">=", x + sp.Rational(1, 10 ** 12), {"x": (0, 1)}),
    (x ** 2, ">=", x, None),                                   # false over the reals (x = 1/2)
    (x ** 3 - x, "<=", sp.Rational(3849, 10000), {"x": (-1, 0)}),  # max is 2/(3*sqrt 3) = 0.38490...
]


@pytest.mark.parametrize("lhs,op,rhs,box", FALSE_CASES)
def test_false_statements_are_refuted_with_exact_witness(lhs, op, rhs, box):
    r = prove_forall(lhs, op, rhs, box, timeout=20)
    assert r.level is Level.REFUTED, r.detail
    syms = sp.sympify(lhs).free_symbols | sp.sympify(rhs).free_symbols
    pt = {s: sp.Rational(r.witness[s.name]) for s in syms}
    lv, rv = sp.sympify(lhs).xreplace(pt), sp.sympify(rhs).xreplace(pt)
    assert lv.is_Rational and rv.is_Rational
    assert not {"==": lv == rv, "<": lv < rv, ">=": lv >= rv, "<=": lv <= rv}[op]
    for name, (lo, hi) in (box or {}).items():
        v = Fraction(r.witness[name])
        assert (lo is None or v >= lo) and (hi is None or v <= hi)


@given(r=st.fractions(min_value=-2, max_value=2, max_denominator=1000),
       m=st.fractions(min_value=-5, max_value=5, max_denominator=1000),
       k=st.integers(min_value=9, max_value=15),
       sign=st.sampled_from([1, -1]))
@FAST
def test_generated_tight_polynomials_never_proved_when_false(r, m, k, sign):
    """(x - r)^2 (x^2 + 1) + m >= m + sign * 10^-k on [-3, 3]: true iff sign = -1 (min m at x = r)."""
    rr, mm, delta = sp.Rational(r.numerator, r.denominator), sp.Rational(m.numerator, m.denominator), \
        sp.Rational(sign, 10 ** k)
    lhs = (x - rr) ** 2 * (x ** 2 + 1) + mm
    res = prove_forall(lhs, ">=", mm + delta, {"x": (-3, 3)}, timeout=20)
    assert res.level is (Level.REFUTED if sign > 0 else Level.PROVED), res.detail


@given(p=st.fractions(min_value=-3, max_value=3, max_denominator=50),
       q=st.fractions(min_value=-3, max_value=3, max_denominator=50),
       eps=st.sampled_from([Fraction(1, 10 ** 12), Fraction(-1, 10 ** 12), Fraction(0)]))
@FAST
def test_generated_piecewise_linear(p, q, eps):
    """relu(p a + q) <= |p| |a| + |q| + eps on all reals: true iff eps >= 0 or q < 0.

    (eps < 0, q >= 0: a = 0 violates it; q < 0: relu(pa + q) <= max(0, |p||a| - |q|) < rhs.)"""
    P, Q, E = (sp.Rational(v.numerator, v.denominator) for v in (p, q, eps))
    res = prove_forall(relu(P * a + Q), "<=", sp.Abs(P) * sp.Abs(a) + sp.Abs(Q) + E, timeout=20)
    assert res.level is (Level.PROVED if (E >= 0 or Q < 0) else Level.REFUTED), res.detail


def test_string_input_goes_through_the_safe_parser():
    assert prove_forall("relu(t) - relu(-t)", "==", "t").level is Level.PROVED
    r = prove_forall("x**2 + y**2", ">=", "2*x*y + 1e-12", {"x": ("-1", "1"), "y": "[-1,1]"})
    assert r.level is Level.REFUTED


def test_undefined_points_are_never_proved():
    # 1/x is undefined at x = 0, which lies in the box
    r = prove_forall(1 / x, ">", 0, {"x": (0, 1)})
    assert r.level is Level.UNKNOWN and "not defined" in r.detail
    # a Piecewise with no branch at x = 0
    r = prove_forall(sp.Piecewise((x, x > 0)), ">=", 0, {"x": (0, 1)})
    assert r.level is Level.UNKNOWN
    assert prove_forall(sp.Piecewise((x, x > 0)), ">=", 0, {"x": (Fraction(1, 2), 1)}).level is Level.PROVED


def test_irrational_counterexample_is_not_claimed():
    # (x^2 - 2)^2 > 0 fails only at x = +-sqrt(2): no rational witness exists
    r = prove_forall((x ** 2 - 2) ** 2, ">", 0, None)
    assert r.level is Level.UNKNOWN, r.detail
    models = [a for a in r.certificate["answers"] if a["status"] == "sat"]
    assert models and any("approximate" in a for a in models)


def test_approximate_model_tries_nearby_rationals():
    tr = Translator()
    tr.term(x)
    third = Fraction(1, 3)
    err = Fraction(1, 10 ** 40)
    # the approximation itself (1/3) satisfies x <= 1/3; a rational in the enclosure violates it
    sr = SatResult("sat", {"x": third}, solver="z3", approximate={"x": (third - err, third + err)})
    ref = smt._try_refute(sr, x, "<=", sp.Rational(1, 3), tr, {})
    assert ref is not None and Fraction(ref[0]["x"]) > third


def test_cvc5_algebraic_numbers_are_refined_exactly():
    q, lo, hi = _algebraic("(_ real_algebraic_number <1*x^2 + (-2), (5/4, 3/2)>)")
    assert lo < hi and lo ** 2 < 2 < hi ** 2 and hi - lo < Fraction(1, 10 ** 30)
    q, lo, hi = _algebraic("(_ real_algebraic_number <1*x^3 + 2, (-3/2, -5/4)>)")
    assert lo ** 3 < -2 < hi ** 3


@given(lo=st.fractions(min_value=-10, max_value=10, max_denominator=10 ** 6),
       w=st.fractions(min_value=0, max_value=1, max_denominator=10 ** 6))
@settings(max_examples=200, deadline=None)
def test_simplest_between(lo, w):
    hi = lo + w
    q = smt._simplest_between(lo, hi)
    assert lo <= q <= hi
    # no rational with a smaller denominator lies in [lo, hi]
    for d in range(1, min(q.denominator, 60)):
        import math
        assert math.ceil(lo * d) > math.floor(hi * d)


# ------------------------------------------------------- double-confirmation rule
def _fake(answers):
    seq = iter(answers)

    def fake_check_sat(script, *, timeout=10.0, solver="z3", _test_hang=0.0):
        st_, model = next(seq)
        return SatResult(st_, model, solver=solver, version="fake")
    return fake_check_sat


@pytest.mark.parametrize("second", ["unknown", "timeout", "error", "sat"])
def test_z3_unsat_alone_is_not_proved(monkeypatch, second):
    # the statement is FALSE; a (simulated) wrong z3 "unsat" must not make it PROVED
    monkeypatch.setattr(smt, "check_sat", _fake([("unsat", None), (second, {"x": Fraction(1, 2)})]))
    r = prove_forall(x ** 2, ">=", x, None)
    assert r.level is not Level.PROVED
    if second == "sat":  # cvc5's model re-checks exactly: the z3 answer was wrong
        assert r.level is Level.REFUTED and r.witness == {"x": "1/2"}


def test_a_sat_model_that_does_not_recheck_is_not_refuted(monkeypatch):
    # the statement is TRUE; (simulated) bogus models from both solvers must not refute it
    monkeypatch.setattr(smt, "check_sat", _fake([("sat", {"x": Fraction(3)}), ("sat", {"x": Fraction(-3)})]))
    r = prove_forall(x ** 2, ">=", 0, None)
    assert r.level is Level.UNKNOWN


# ------------------------------------------------------------------ check_sat
def _hard_script(seed: int = 1) -> str:
    import random

    rng = random.Random(seed)
    z = sp.Symbol("z")

    def rpoly(deg):
        return sum(rng.randint(-9, 9) * x ** i * y ** j * z ** k for i in range(deg + 1)
                   for j in range(deg + 1 - i) for k in range(deg + 1 - i - j) if rng.random() < 0.5)

    tr = Translator()
    lines = [f"(assert (= {tr.term(rpoly(10))[0]} 0.0))" for _ in range(3)]
    lines.append("(assert (> (* |x| |y| |z|) 1.0))")
    return "\n".join([f"(set-logic {tr.logic})"] + tr.declarations() + lines)


@pytest.mark.parametrize("mode", ["auto", "subprocess"])
def test_timeout_kills_a_hard_degree_10_system(monkeypatch, mode):
    monkeypatch.setenv("PRUNECERT_SMT_SPAWN", mode)
    script = _hard_script()
    t0 = time.perf_counter()
    r = check_sat(script, timeout=1.0, solver="z3")
    elapsed = time.perf_counter() - t0
    assert r.status in ("timeout", "unknown"), r
    assert elapsed < 10  # liveness, not performance: without the kill this runs for minutes


@pytest.mark.parametrize("mode", ["auto", "subprocess"])
def test_hard_kill_of_a_solver_that_ignores_its_limit(monkeypatch, mode):
    monkeypatch.setenv("PRUNECERT_SMT_SPAWN", mode)
    t0 = time.perf_counter()
    r = check_sat("(declare-fun x () Real)", timeout=0.5, solver="cvc5", _test_hang=60)
    assert r.status == "timeout" and "killed" in r.detail
    assert time.perf_counter() - t0 < 10


def test_prove_forall_on_a_hard_instance_returns_unknown():
    z = sp.Symbol("z")
    p = (x ** 10 - 3 * x ** 7 * y ** 2 + 7 * y ** 9 * z - 5 * x * y * z ** 8 + 11 * z ** 10 - 2 * x ** 3 * y ** 3 * z ** 4
         + 13 * x ** 5 * z ** 5 - 17)
    q = (y ** 10 - 5 * x ** 9 * z + 3 * x ** 4 * y ** 6 - 7 * z ** 7 * y ** 3 + 2 * x ** 2 * y ** 2 * z ** 6 - 19)
    t0 = time.perf_counter()
    r = prove_forall(p ** 2 + q ** 2 + (x * y * z - 1) ** 2, ">", 0, None, timeout=1.0)
    assert r.level in (Level.UNKNOWN, Level.PROVED, Level.REFUTED)
    if r.level is Level.REFUTED:  # only with an exact witness
        assert r.witness is not None
    assert time.perf_counter() - t0 < 15


def test_check_sat_models_are_exact_or_flagged():
    r = check_sat("(declare-fun x () Real)(declare-fun y () Real)(assert (= (* x x) 2.0))(assert (= y (/ 1.0 3.0)))",
                  timeout=5, solver="z3")
    assert r.status == "sat" and r.model["y"] == Fraction(1, 3)
    assert "x" in r.approximate and "y" not in r.approximate
    lo, hi = r.approximate["x"]
    assert lo ** 2 < 2 < hi ** 2 or (lo < 0 and hi < 0 and hi ** 2 < 2 < lo ** 2)
    rc = check_sat("(set-logic QF_NRA)(declare-fun x () Real)(assert (= (* x x) 2.0))", timeout=5, solver="cvc5")
    assert rc.status == "sat" and "x" in rc.approximate
    assert check_sat("(set-logic QF_LRA)(declare-fun x () Real)(assert (< x 0.0))(assert (> x 0.0))", timeout=5,
                     solver="cvc5").status == "unsat"
    bad = check_sat("(assert (< q 0.0))", timeout=5, solver="z3")
    assert bad.status == "error"


# ------------------------------------------------------------------ feasible_01
def _brute(rows, n, fixed=None):
    for xs in itertools.product((0, 1), repeat=n):
        if fixed and any(xs[i] != v for i, v in fixed.items()):
            continue
        if smt.check_assignment(rows, xs):
            return True
    return False


@st.composite
def instances(draw):
    n = draw(st.integers(min_value=1, max_value=10))
    m = draw(st.integers(min_value=1, max_value=6))
    coef = st.fractions(min_value=-3, max_value=3, max_denominator=7)
    rows = []
    for _ in range(m):
        cs = draw(st.lists(coef, min_size=n, max_size=n))
        op = draw(st.sampled_from(["<=", ">=", "=="]))
        if op == "==":  # make equalities satisfiable sometimes: rhs from a random point
            pt = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
            rhs = sum((c_ * v for c_, v in zip(cs, pt)), Fraction(0)) + draw(st.sampled_from([0, 0, Fraction(1, 7)]))
        else:
            rhs = draw(coef)
        rows.append((cs, op, rhs))
    fixed = draw(st.dictionaries(st.integers(0, n - 1), st.integers(0, 1), max_size=2))
    return rows, n, fixed


@given(inst=instances())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_feasible_01_against_brute_force(inst):
    rows, n, fixed = inst
    res = feasible_01(rows, n, timeout=20, fixed=fixed)
    truth = _brute(smt._normalise_rows(rows, n), n, fixed)
    assert res.status == ("feasible" if truth else "infeasible"), res
    if truth:
        assert smt.check_assignment(smt._normalise_rows(rows, n), res.assignment)
        assert all(res.assignment[i] == v for i, v in fixed.items())
    elif res.method != "exact-evaluation":  # (all variables fixed: nothing to search)
        assert [a["solver"] for a in res.certificate["answers"]] == ["z3", "cvc5"]


def test_feasible_01_tight_rational_rows():
    third = Fraction(1, 3)
    assert feasible_01([([third] * 3, "==", 1)], 3).assignment == [1, 1, 1]
    assert feasible_01([([third] * 3, ">=", 1 + Fraction(1, 10 ** 15))], 3).status == "infeasible"
    assert feasible_01([([1, 1], "<=", 1)], 2, fixed={0: 1, 1: 1}).status == "infeasible"
    assert feasible_01([], 0).status == "feasible"


def test_feasible_01_infeasible_needs_two_solvers(monkeypatch):
    monkeypatch.setattr(smt, "check_sat", _fake([("unsat", None), ("timeout", None)]))
    assert feasible_01([([1, 1], ">=", 3)], 2).status == "unknown"
    monkeypatch.setattr(smt, "check_sat", _fake([("sat", {"x_0": Fraction(1), "x_1": Fraction(1)}),
                                                 ("sat", {"x_0": Fraction(0), "x_1": Fraction(2)})]))
    assert feasible_01([([1, 1], ">=", 3)], 2).status == "unknown"  # bogus models never pass the re-check


def test_feasible_01_bad_input():
    with pytest.raises(InputError):
        feasible_01([([1, 2], "<=", 1)], 3)
    with pytest.raises(InputError):
        feasible_01([([1, 2], "<", 1)], 2)
    with pytest.raises(InputError):
        feasible_01([([1, "nan"], "<=", 1)], 2)
    with pytest.raises(InputError):
        feasible_01([], -1)
    with pytest.raises(InputError):
        feasible_01([([1], "<=", 1)], 1, fixed={1: 0})
    with pytest.raises(InputError):
        feasible_01([([1], "<=", 1)], 1, fixed={0: 2})
    with pytest.raises(InputError):
        feasible_01([([1], "<=", 1)], 1, timeout=-1)


def _children() -> list[int]:
    me, out = os.getpid(), []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me:
                out.append(int(d))
    return out


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc")
@pytest.mark.parametrize("mode", ["auto", "subprocess"])
def test_no_solver_processes_left_behind(monkeypatch, mode):
    monkeypatch.setenv("PRUNECERT_SMT_SPAWN", mode)
    before = set(_children())
    check_sat("(declare-fun x () Real)", timeout=0.3, solver="z3", _test_hang=30)
    prove_forall(x ** 2, ">=", 0)
    assert set(_children()) <= before


# ------------------------------------------------------------------ the claims module
def test_relu_identity_claims_are_proved_by_both_solvers():
    from prunecert.proofs.registry import combine, run_check
    from prunecert.proofs.claims.relu_identities import CLAIMS

    assert len(CLAIMS) >= 6
    for claim in CLAIMS:
        results = [(ch.name, run_check(ch)) for ch in claim.checks]
        level, why = combine(claim, results, [], {})
        assert level is Level.PROVED, (claim.id, why)
        assert claim.proof.startswith("docs/smt.md#")
        for _, r in results:
            assert [a["status"] for a in r.certificate["answers"]] == ["unsat", "unsat"]


# ------------------------------------------------------------- certificate re-check
def test_certificates_recheck_and_altered_ones_are_rejected():
    import copy

    from prunecert.checks.decide.smt import recheck_certificate

    xr, yr = sp.symbols("x y", real=True)
    proved = prove_forall(xr ** 2 + yr ** 2, ">=", 2 * xr * yr, {"x": (-1, 1), "y": (-1, 1)})
    assert proved.certificate["format"] == "prunecert-smt/1"
    assert recheck_certificate(proved.certificate).ok
    for path, value in ((("statement", "rhs"), "2*x*y + 1/1000"), (("box", "x"), ["-2", "1"]),
                        (("smtlib2",), "(set-logic QF_NRA)\n(assert false)\n")):
        bad = copy.deepcopy(proved.certificate)
        tgt = bad
        for k in path[:-1]:
            tgt = tgt[k]
        tgt[path[-1]] = value
        assert not recheck_certificate(bad).ok, path
    refuted = prove_forall(xr ** 2 + yr ** 2, ">=", 2 * xr * yr + sp.Rational(1, 10 ** 12), {"x": (-1, 1), "y": (-1, 1)})
    assert recheck_certificate(refuted.certificate).ok
    bad = copy.deepcopy(refuted.certificate)
    bad["witness"] = {"x": "1/2", "y": "-1/2"}
    assert not recheck_certificate(bad).ok
    feas = feasible_01([([1, 1, 1], ">=", 2)], 3)
    infeas = feasible_01([([1, 1, 1], ">=", 4)], 3)
    assert recheck_certificate(feas.certificate).ok and recheck_certificate(infeas.certificate).ok
    bad = copy.deepcopy(infeas.certificate)
    bad["rows"][0][2] = "3"
    assert not recheck_certificate(bad).ok
    bad = copy.deepcopy(feas.certificate)
    bad["assignment"] = [1, 0, 0]
    assert not recheck_certificate(bad).ok
    assert not recheck_certificate({"format": "something else"}).ok


def test_relu_claims_point_at_existing_anchors():
    import re
    from pathlib import Path

    from prunecert.proofs.claims.relu_identities import CLAIMS

    text = (Path(__file__).resolve().parents[1] / "docs" / "smt.md").read_text()
    slugs = {re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", h).strip().lower())
             for h in re.findall(r"^#+\s+(.*)$", text, flags=re.M)}
    for claim in CLAIMS:
        assert claim.proof.split("#")[1] in slugs, claim.id


def test_certificate_level_is_recorded_and_confirmed_exactly():
    """Audit N1: the certificate records its level and the re-checker confirms exactly that level;
    swapping the level (or the evidence) is rejected."""
    import copy

    from prunecert.checks.decide.smt import recheck_certificate

    xr, yr = sp.symbols("x y", real=True)
    box = {"x": (-1, 1), "y": (-1, 1)}
    proved = prove_forall(xr ** 2 + yr ** 2, ">=", 2 * xr * yr, box)
    refuted = prove_forall(xr ** 2 + yr ** 2, ">=", 2 * xr * yr + sp.Rational(1, 10 ** 12), box)
    assert proved.certificate["level"] == "PROVED" and refuted.certificate["level"] == "REFUTED"
    rp_, rr_ = recheck_certificate(proved.certificate), recheck_certificate(refuted.certificate)
    assert rp_.ok and rp_.level == "PROVED" and rr_.ok and rr_.level == "REFUTED"
    assert recheck_certificate(proved.certificate, level="PROVED").ok
    assert not recheck_certificate(refuted.certificate, level="PROVED").ok       # a REFUTED file for a PROVED check
    assert not recheck_certificate(proved.certificate, level="REFUTED").ok
    # swapped status fields
    bad = copy.deepcopy(refuted.certificate)
    bad["level"] = "PROVED"
    assert not recheck_certificate(bad).ok                                       # a witness cannot prove
    bad = copy.deepcopy(proved.certificate)
    bad["level"] = "REFUTED"
    assert not recheck_certificate(bad).ok                                       # unsat answers cannot refute
    bad = copy.deepcopy(proved.certificate)
    bad["witness"] = {"x": "0", "y": "0"}
    assert not recheck_certificate(bad).ok                                       # PROVED with a witness
    bad = copy.deepcopy(proved.certificate)
    bad["level"] = "UNKNOWN"
    assert not recheck_certificate(bad).ok
    # the SMT-LIB2 text is unchanged by the new field, and a legacy certificate (no level) still re-checks
    legacy = copy.deepcopy(proved.certificate)
    del legacy["level"]
    r = recheck_certificate(legacy)
    assert r.ok and r.level == "PROVED" and "legacy" in r.detail
    legacy = copy.deepcopy(refuted.certificate)
    del legacy["level"]
    assert recheck_certificate(legacy).level == "REFUTED"
    # feasibility: the status is confirmed, and swapping it is rejected
    feas = feasible_01([([1, 1, 1], ">=", 2)], 3)
    infeas = feasible_01([([1, 1, 1], ">=", 4)], 3)
    assert recheck_certificate(feas.certificate, level="feasible").ok
    assert recheck_certificate(infeas.certificate, level="infeasible").ok
    bad = copy.deepcopy(feas.certificate)
    bad["status"] = "infeasible"
    assert not recheck_certificate(bad).ok
    bad = copy.deepcopy(infeas.certificate)
    bad["status"] = "feasible"
    assert not recheck_certificate(bad).ok
    assert not recheck_certificate(feas.certificate, level="infeasible").ok
