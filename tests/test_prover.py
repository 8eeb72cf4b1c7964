"""prunecert.checks.inequality.prover: acceptance claims, soundness properties on claims whose truth is known by
construction (never PROVED when false, never REFUTED when true), budgets."""
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prunecert.checks.errors import BoxError, ExpressionError, InputError
from prunecert.checks.levels import Level
from prunecert.checks.inequality.prover import decimal_string, prove, prove_text

P, R, U = Level.PROVED, Level.REFUTED, Level.UNKNOWN


def check_witness(text, box, w):
    """Exact/high-precision re-evaluation of the claim at the witness (sympy, 60 digits)."""
    lhs, op, rhs = sp.sympify(text.split(op_of(text))[0]), op_of(text), sp.sympify(text.split(op_of(text))[1])
    sub = {sp.Symbol(k): sp.Rational(str(v)) for k, v in w.items()}
    for k, v in w.items():
        lo, hi = box[k]
        assert Fraction(lo) <= Fraction(v) <= Fraction(hi)
    val = sp.N((lhs - rhs).subs(sub), 60)
    return {">=": val < 0, ">": val <= 0, "<=": val > 0, "<": val >= 0}[op]


def op_of(text):
    for op in (">=", "<=", ">", "<"):
        if op in text:
            return op


ACCEPT = [
    ("cos(t) <= 1 - t**2/2 + t**4/24", {"t": ("0", "1")}, P),
    ("t*log(t) + exp(-1) >= 0", {"t": ("1/100", "2")}, P),
    ("t*log(t) + exp(-1) >= 1e-9", {"t": ("1/100", "2")}, R),
    ("x**2 + y**2 >= 2*x*y", {"x": ("-1", "1"), "y": ("-1", "1")}, P),
]


@pytest.mark.parametrize("text,box,want", ACCEPT)
def test_acceptance(text, box, want):
    out = prove_text(text, box, timeout=20)
    assert out.status is want, out.detail
    if want is R:
        assert check_witness(text, box, out.witness)
        assert set(out.witness_strings()) == set(box)
        for s in out.witness_strings().values():
            assert Fraction(s) == out.witness[next(k for k in out.witness if out.witness_strings()[k] == s)]
    assert out.certificate is not None
    js = out.to_json()
    assert js["status"] == want.value and "method" in js and "seconds" in js and "boxes" in js


@pytest.mark.parametrize("text,box,want", [
    ("1 - t**2/2 + t**4/24 - cos(t) + 1/1000000 >= 0", {"t": ("0", "1")}, P),
    ("exp(x) >= 1 + x", {"x": ("-1", "1")}, P),
    ("sin(x)*cos(y) <= 1", {"x": ("-2", "2"), "y": ("-2", "2")}, P),
    ("x**2 + y**2 > 2*x*y", {"x": ("-1", "1"), "y": ("-1", "1")}, R),
    ("sqrt(x) >= x", {"x": ("0", "1")}, U),  # touches at 0 where sqrt is not differentiable
    ("sqrt(x) >= x", {"x": ("1/100", "1/2")}, P),
    ("x*y*z <= 1", {"x": ("0", "1"), "y": ("0", "1"), "z": ("0", "1")}, P),
    ("Max(0, x) + 1/1000 >= x/2", {"x": ("-1", "1")}, P),
    ("Max(0, x) - Max(0, -x) >= x", {"x": ("-1", "1")}, U),  # identity: equality everywhere
    ("Abs(x) + Abs(y) >= Abs(x + y)", {"x": ("-1", "1"), "y": ("-1", "1")}, U),  # or P; never R
])
def test_more_claims(text, box, want):
    out = prove_text(text, box, timeout=2 if want is U else 10)
    if want is U:
        assert out.status is not R
    else:
        assert out.status is want, out.detail


def test_decimal_string_is_exact():
    for q in [Fraction(1, 8), Fraction(-3, 40), Fraction(7), Fraction(0), Fraction(-1, 1024)]:
        assert Fraction(decimal_string(q)) == q
    assert decimal_string(Fraction(1, 3)) == "1/3"


# ---------------------------------------------------------------- soundness by construction

margins = st.sampled_from([Fraction(1, 10**k) for k in (3, 6, 9, 12, 15)])
rats = st.fractions(min_value=Fraction(-1, 2), max_value=Fraction(1, 2), max_denominator=50)
coef = st.fractions(min_value=Fraction(1, 4), max_value=4, max_denominator=8)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(coef, rats, rats, margins)
def test_false_quadratic_never_proved(a, r, m, eps):
    # min over [-1,1] of a*(t-r)^2 + m is exactly m (r in the box); claim >= m + eps is false
    t = sp.Symbol("t", real=True)
    lhs = sp.expand(a * (t - sp.Rational(r.numerator, r.denominator))**2) + sp.Rational(m.numerator, m.denominator)
    rhs = sp.Rational((m + eps).numerator, (m + eps).denominator)
    out = prove(lhs, ">=", rhs, {"t": (-1, 1)}, timeout=5)
    assert out.status is not P
    if out.status is R:
        w = out.witness["t"]
        assert a * (w - r)**2 + m < m + eps


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(coef, rats, rats, st.sampled_from([Fraction(0), Fraction(1, 10**9), Fraction(1, 1000)]))
def test_true_quadratic_never_refuted(a, r, m, slack):
    t = sp.Symbol("t", real=True)
    lhs = sp.expand(a * (t - sp.Rational(r.numerator, r.denominator))**2) + sp.Rational(m.numerator, m.denominator)
    rhs = sp.Rational((m - slack).numerator, (m - slack).denominator)
    out = prove(lhs, ">=", rhs, {"t": (-1, 1)}, timeout=5)
    assert out.status is not R
    assert out.status is P  # touching (slack 0) is handled by the exact step


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(rats, rats, margins)
def test_false_2d_never_proved(r, s, eps):
    x, y = sp.symbols("x y", real=True)
    g = sp.expand((x - sp.Rational(r.numerator, r.denominator))**2 + 2 * (y - sp.Rational(s.numerator, s.denominator))**2)
    out = prove(g + sp.sin(x)**2, ">=", sp.sin(x)**2 + sp.Rational(eps.numerator, eps.denominator),
                {"x": (-1, 1), "y": (-1, 1)}, timeout=5)
    assert out.status is not P


@pytest.mark.parametrize("k", [9, 12, 15])
def test_false_transcendental_never_proved(k):
    # exp(t) - 1 - t has minimum exactly 0 at t = 0
    out = prove_text(f"exp(t) - 1 - t >= 1e-{k}", {"t": ("-1", "1")}, timeout=5)
    assert out.status is not P
    out2 = prove_text(f"t*log(t) + exp(-1) >= 1e-{k}", {"t": ("1/100", "2")}, timeout=5)
    assert out2.status is not P


def test_budget_gives_unknown_quickly():
    # zero set is a whole line: no exact step applies; must end UNKNOWN by the budget
    out = prove_text("exp(x + y) >= 1 + x + y", {"x": ("-1", "1"), "y": ("-1", "1")}, timeout=1.5)
    assert out.status is U and out.seconds < 6
    out = prove_text("exp(x + y) >= 1 + x + y", {"x": ("-1", "1"), "y": ("-1", "1")}, timeout=30, max_boxes=300)
    assert out.status is U and out.boxes <= 301


@pytest.mark.parametrize("kw", [
    dict(box={"x": ("1", "0")}), dict(box={"x": ("nan", "1")}), dict(box={"x": ("0", "inf")}),
    dict(box={}), dict(box={"y": ("0", "1")}), dict(box={"x": ("0", "1")}, prec=3),
    dict(box={"x": ("0", "1")}, timeout=-1), dict(box={"x": ("a", "1")}),
    dict(box={"x": (0, 1), "y": (0, 1), "z": (0, 1), "u": (0, 1), "v": (0, 1)}),
])
def test_bad_input(kw):
    box = kw.pop("box")
    with pytest.raises(InputError):
        prove_text("x >= -1", box, **kw)


def test_bad_expression():
    with pytest.raises(ExpressionError):
        prove_text("foo(x) >= 0", {"x": (0, 1)})
    with pytest.raises(InputError):
        prove("x", "==", "1", {"x": (0, 1)})
