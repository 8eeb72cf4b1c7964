"""Domain restrictions survive parsing and lhs - rhs (audit finding P1).

sympy evaluates sqrt(x)**2 to x and exp(log(x)) to x while building them, and lhs - rhs can
cancel a sqrt; proving the reduced claim would silently extend the typed one to points where it
is undefined.  Such claims are refused with a clear message (exit 3 from the CLI)."""
import pytest

from prunecert.cli import main
from prunecert.checks.errors import ExpressionError
from prunecert.checks.rigorous.expr import parse, parse_relation
from prunecert.checks.levels import Level
from prunecert.checks.inequality.prover import prove_text

BOX = {"x": ("-1", "1")}


@pytest.mark.parametrize("text", ["sqrt(x)**2 >= x", "exp(log(x)) >= x", "x/x >= 1",
                                  "sqrt(x) >= sqrt(x) - 1", "log(x) - log(x) >= 0", "acos(x) - acos(x) >= 0",
                                  "(x + 1)**(1/2) - sqrt(x + 1) >= 0 + 0*x"])
def test_dropped_domain_refused(text):
    with pytest.raises(ExpressionError, match="dropping the condition"):
        prove_text(text, BOX, timeout=2)


def test_parse_refuses_silent_simplification():
    with pytest.raises(ExpressionError):
        parse("sqrt(x)**2")
    with pytest.raises(ExpressionError):
        parse_relation("exp(log(x)) >= 0")


@pytest.mark.parametrize("text,box", [
    ("sqrt(x**2) >= 0", BOX),                    # x**2 >= 0 holds symbolically
    ("log(exp(x)) >= x", BOX),                   # exp(x) > 0 holds symbolically
    ("1/x >= 1", {"x": ("1/2", "1")}),
    ("x**(3/2) <= x", {"x": ("1/100", "1")}),
])
def test_kept_or_automatic_domains_still_proved(text, box):
    assert prove_text(text, box, timeout=10).status is Level.PROVED


def test_touching_at_a_domain_edge_is_not_assumed_smooth():
    # x - x**(3/2) touches 0 at x = 0, where x**(3/2) is not analytic: the touching step needs
    # a proof that g is smooth on its whole neighbourhood, which ball arithmetic cannot give at
    # the edge of the power's domain.  Sound outcome: never REFUTED; UNKNOWN is acceptable.
    out = prove_text("x**(3/2) <= x", {"x": ("0", "1")}, timeout=5)
    assert out.status in (Level.PROVED, Level.UNKNOWN)


def test_cli_exit_3(capsys):
    assert main(["prove", "sqrt(x)**2 >= x", "--var", "x=[-1,1]"]) == 3
    err = capsys.readouterr().err
    assert "dropping the condition x >= 0" in err and "Traceback" not in err
