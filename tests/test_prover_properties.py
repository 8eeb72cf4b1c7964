"""Property tests: never PROVED when the claim is false or undefined somewhere on the box.

Claims are generated from functions with jumps and poles (tan, atan(tan), gamma, 1/x,
Abs(x)/x, Piecewise) in 1 to 3 variables; each generator knows by construction a point of the
box where the claim is undefined or false (issue 10, deliverable 6).  The search budget is
small: the property is about what the prover *says*, and UNKNOWN is always allowed.
"""
from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prunecert.checks.errors import ExpressionError
from prunecert.checks.inequality.prover import prove_text
from prunecert.checks.levels import Level

Q = Fraction
SETTINGS = settings(max_examples=14, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

quarter = st.sampled_from([Q(0), Q(1, 4), Q(1, 2), Q(3, 2)])
const = st.sampled_from(["0", "1", "1/1000", "5"])
rel = st.sampled_from([">=", ">"])


def _s(q: Fraction) -> str:
    return f"({q.numerator}/{q.denominator})"


@st.composite
def pole_claims(draw):
    """F - F + c >= 0 (sympy reduces it to c >= 0, true) with a pole/jump of F in the box."""
    kind = draw(st.sampled_from(["tan", "atan-tan", "gamma", "inv", "sign", "pw-log", "pw-sqrt", "pw-inv"]))
    a, b = draw(quarter), draw(quarter)
    if kind in ("tan", "atan-tan"):
        lo, hi = Q(3, 2) - a, Q(8, 5) + b          # contains pi/2 = 1.5707...
        f = "tan(x)" if kind == "tan" else "atan(tan(x))"
    elif kind == "gamma":
        k = draw(st.sampled_from([0, -1, -2]))
        lo, hi = k - a, k + b                      # a pole of gamma at the integer k <= 0
        f = "gamma(x)"
    else:
        p = draw(st.sampled_from([Q(0), Q(1, 3), Q(-2, 7)]))
        lo, hi = p - a, p + b                      # p in the box (possibly an end)
        f = {"inv": f"1/(x - {_s(p)})", "sign": f"Abs(x - {_s(p)})/(x - {_s(p)})",
             "pw-log": f"Piecewise((1, log(x - {_s(p)}) < 0), (2, True))",
             "pw-sqrt": f"Piecewise((1, sqrt(x - {_s(p)}) < 1/2), (2, True))",
             "pw-inv": f"Piecewise((0, 1/(x - {_s(p)}) < 0), (1, True))"}[kind]
        if kind in ("pw-log", "pw-sqrt") and a == 0:
            lo = p - Q(1, 2)                       # undefined left of p: make sure the box reaches there
    c = draw(const)
    extra = draw(st.sampled_from(["", " + y**2", " + 0*y + z**2", " + y*z - y*z"]))
    text = f"{f} + {c} - {f}{extra} {draw(rel)} 0"
    if "pw" in kind:
        text = f"{f} + {c}{extra} >= 0"            # the Piecewise itself is undefined at points of the box
    box = {"x": (str(lo), str(hi))}
    if "y" in extra:
        box["y"] = ("-1", "1")
    if "z" in extra:
        box["z"] = ("-1/2", "1")
    return text, box


@st.composite
def jump_claims(draw):
    """False by construction: a jump of atan(tan) or a Piecewise/Abs step in the box."""
    kind = draw(st.sampled_from(["atan-tan", "step", "abs-step"]))
    if kind == "atan-tan":
        d = draw(st.sampled_from(["1/10**10", "1/10**30", "1/1000"]))
        sq = draw(st.sampled_from(["x**2", "(x - 1)**2", "(x - 3/2)**2"]))
        text = f"atan(tan(x)) - atan(tan(x - {d})) - {d} + {sq} >= 0"   # about -pi just past pi/2
        box = {"x": ("0", "2")}
    elif kind == "step":
        t = draw(st.sampled_from([Q(1, 3), Q(1, 2), Q(-1, 5)]))
        text = f"Piecewise((-1, x < {_s(t)}), (1, True)) >= 0"            # -1 left of t
        box = {"x": ("-1", "1")}
    else:
        t = draw(st.sampled_from([Q(1, 3), Q(0), Q(-1, 5)]))
        text = f"Abs(x - {_s(t)}) + (x - {_s(t)}) > 0"                    # 0 for x <= t
        box = {"x": ("-1", "1")}
    extra = draw(st.sampled_from(["", " + 0*y", " + 0*y*z"]))
    if extra:
        lhs, op, rhs = text.rpartition(" >= ") if " >= " in text else text.rpartition(" > ")
        text = f"{lhs}{extra}{op}{rhs}"
        box["y"] = ("-1", "1")
        if "z" in extra:
            box["z"] = ("0", "1")
    return text, box


@SETTINGS
@given(pole_claims())
def test_undefined_somewhere_is_never_proved(case):
    text, box = case
    try:
        out = prove_text(text, box, timeout=1.0)
    except ExpressionError:
        return  # refused as typed (a cancellation that drops a domain condition): also never PROVED
    assert out.status is not Level.PROVED, (text, box, out.method, out.detail)


@SETTINGS
@given(jump_claims())
def test_false_by_a_jump_is_never_proved(case):
    text, box = case
    out = prove_text(text, box, timeout=1.0)
    assert out.status is not Level.PROVED, (text, box, out.method, out.detail)
