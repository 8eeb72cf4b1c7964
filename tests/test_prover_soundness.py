"""Soundness review: attempts to make the prover PROVE false claims (off by 1e-12 and less),
with Max/Abs/Piecewise, at domain edges, and where float evaluation is misleading.
None may come out PROVED; a REFUTED answer must have a witness that really violates the claim
(checked here with sympy at 80 digits, independently of the prover)."""
import pytest
import sympy as sp

from prunecert.checks.levels import Level
from prunecert.checks.inequality.prover import prove_text

FALSE = [
    ("exp(t) - 1 - t >= 1e-12", {"t": ("-1", "1")}),
    ("(x - 1/3)**2 + (y - 1/7)**2 >= 1e-12", {"x": ("0", "1"), "y": ("0", "1")}),
    ("x**2 + y**2 + z**2 + 1e-12 >= 2e-12", {"x": ("-1", "1"), "y": ("-1", "1"), "z": ("-1", "1")}),
    ("cos(x)*cos(y)*cos(z) <= 1 - 1e-12", {"x": ("-1", "1"), "y": ("-1", "1"), "z": ("-1", "1")}),
    ("Max(x, -x) >= 1e-12", {"x": ("-1", "1")}),
    ("Abs(x - 1/3) >= 1e-12", {"x": ("0", "1")}),
    ("Piecewise((x, x < 1/2), (1 - x, True)) >= 1e-12", {"x": ("0", "1")}),
    ("Max(0, x + y - 1) + Max(0, -x) >= 1e-12", {"x": ("0", "1"), "y": ("0", "1")}),
    ("sqrt(x) >= 1e-12", {"x": ("0", "1")}),
    ("log(1 + x) >= 1e-12", {"x": ("0", "1")}),
    ("x*log(x) >= -1", {"x": ("0", "1")}),                     # undefined at 0: never PROVED
    ("sqrt(x - 1/2) >= 0", {"x": ("0", "1")}),                 # undefined on [0, 1/2)
    ("exp(x) - 1 - x - x**2/2 - x**3/6 >= 1e-20", {"x": ("0", "1e-5")}),  # floats: pure cancellation noise
    ("sin(x)**2 + cos(x)**2 >= 1 + 1e-15", {"x": ("-3", "3")}),
    ("t*log(t) + exp(-1) >= 1e-15", {"t": ("1/100", "2")}),
    ("1 - t**2/2 + t**4/24 - cos(t) >= 1e-15", {"t": ("0", "1")}),
    # Rump's example: floats give about 1.17e21, the exact value is -0.827...
    ("333.75*y**6 + x**2*(11*x**2*y**2 - y**6 - 121*y**4 - 2) + 5.5*y**8 + x/(2*y) >= 0",
     {"x": ("77617", "77617"), "y": ("33096", "33096")}),
    ("x > y", {"x": ("0", "1"), "y": ("1", "2")}),
    ("x**2 + y**2 > 2*x*y", {"x": ("-1", "1"), "y": ("-1", "1")}),
]


def _violates(text, witness):
    for op in (">=", "<=", ">", "<"):
        if op in text:
            break
    lhs, rhs = text.split(op)
    loc = {"Max": sp.Max, "Abs": sp.Abs, "Piecewise": sp.Piecewise, "E": sp.E}
    L, R = sp.sympify(lhs, locals=loc, rational=True), sp.sympify(rhs, locals=loc, rational=True)
    sub = {sp.Symbol(k): sp.Rational(v) for k, v in witness.items()}
    d = sp.N((L - R).subs(sub), 80)
    return {">=": d < 0, ">": d <= 0, "<=": d > 0, "<": d >= 0}[op]


@pytest.mark.parametrize("text,box", FALSE)
def test_false_claims_never_proved(text, box):
    out = prove_text(text, box, timeout=4)
    assert out.status is not Level.PROVED, out.detail
    if out.status is Level.REFUTED:
        assert _violates(text, out.witness_strings())


TRUE = [
    ("exp(t) - 1 - t >= 0", {"t": ("-1", "1")}),
    ("sqrt(x) >= 0", {"x": ("0", "1")}),
    ("Max(x, -x) >= 0", {"x": ("-1", "1")}),
    ("sin(x)**2 + cos(x)**2 >= 1 - 1e-12", {"x": ("-3", "3")}),
    ("333.75*y**6 + x**2*(11*x**2*y**2 - y**6 - 121*y**4 - 2) + 5.5*y**8 + x/(2*y) <= 0",
     {"x": ("77617", "77617"), "y": ("33096", "33096")}),
]


@pytest.mark.parametrize("text,box", TRUE)
def test_true_claims_never_refuted(text, box):
    out = prove_text(text, box, timeout=4)
    assert out.status is not Level.REFUTED, out.detail
