"""The check builders of the public claim API: what each certifies, and bad input."""
import pytest

from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level
from prunecert.proofs.builders import (identity, instance_check, monte_carlo, prove_inequality, python_check,
                                       smt_decide)


def level(check):
    return check.run().level


def test_prove_inequality_proves_and_refutes_with_certificate():
    r = prove_inequality("sin(t) >= 2*t/pi", {"t": ("0", "157/100")}).run()
    assert r.level is Level.PROVED and r.certificate is not None
    r = prove_inequality("sin(t) >= t", {"t": ("0", "3/2")}).run()
    assert r.level is Level.REFUTED and r.witness


@pytest.mark.parametrize("args", [("sin(t) >= ", {"t": (0, 1)}), ("sin(t) >= t", {"t": (1, 0)}),
                                  ("sin(t) >= u", {"t": (0, 1)}), ("sin(t) >= t", {})])
def test_prove_inequality_bad_input_at_build_time(args):
    with pytest.raises(InputError):
        prove_inequality(*args)


def test_identity_exact_and_refuted():
    assert level(identity("(x + y)**2", "x**2 + 2*x*y + y**2")) is Level.PROVED
    assert level(identity("sin(x)**2 + cos(x)**2", "1")) is Level.PROVED
    r = identity("sin(x)", "x").run()
    assert r.level is Level.REFUTED and r.witness      # a certain difference at a rational point


def test_identity_never_proved_by_cancelling_a_pole():
    # (x^2 - 1)/(x - 1) = x + 1 only where x != 1: without a box it is refused ...
    r = identity("(x**2 - 1)/(x - 1)", "x + 1").run()
    assert r.level is Level.UNKNOWN and "box" in r.detail
    # ... on a box containing the pole its definedness cannot be proved ...
    r = identity("(x**2 - 1)/(x - 1)", "x + 1", box={"x": ("0", "2")}).run()
    assert r.level is Level.UNKNOWN and "definedness" in r.detail
    # ... and on a box away from it the identity is proved.
    assert level(identity("(x**2 - 1)/(x - 1)", "x + 1", box={"x": ("2", "3")})) is Level.PROVED
    # the parser itself refuses text that sympy reduces past its domain (x/x -> 1)
    with pytest.raises(InputError):
        identity("x/x", "1")


def test_identity_uses_the_sign_of_the_box():
    box = {"x": ("1/2", "3"), "y": ("1", "2")}
    assert level(identity("log(x*y)", "log(x) + log(y)", box=box)) is Level.PROVED
    assert level(identity("log(x*y)", "log(x) + log(y)", box={"x": ("-1", "3"), "y": ("1", "2")})) is Level.UNKNOWN


def test_smt_decide():
    assert level(smt_decide("x**2 + y**2 >= 2*x*y")) is Level.PROVED
    r = smt_decide("x**2 >= x", {"x": ("0", "2")}).run()
    assert r.level is Level.REFUTED and r.certificate["format"] == "prunecert-smt/1"


def test_instance_check_relation_and_predicate():
    assert level(instance_check("2**n >= n**2", [{"n": k} for k in range(4, 40)])) is Level.CHECKED
    r = instance_check("2**n >= n**2", [{"n": k} for k in range(0, 10)]).run()
    assert r.level is Level.REFUTED and r.witness == {"n": "3"}
    assert level(instance_check("sin(x) <= x", [{"x": "1/3"}, {"x": 2}])) is Level.CHECKED
    assert level(instance_check(_is_even_square, [0, 2, 4])) is Level.CHECKED
    assert level(instance_check(_is_even_square, [0, 3])) is Level.REFUTED
    with pytest.raises(InputError):
        instance_check("n >= 0", [])


def _is_even_square(k):
    return (k * k) % 2 == 0


def _trial_holds(rng):
    return bool(rng.random() < 1.0)


def _trial_fails_often(rng):
    return bool(rng.random() < 0.9)


def test_monte_carlo_never_above_evidence_and_its_test_can_fail():
    r = monte_carlo("sin(t) >= t - t**3/6", {"t": ("0", "2")}, seed=1).run()
    assert r.level is Level.EVIDENCE and "upper bound" in r.detail
    r = monte_carlo("sin(t) >= t - t**3/7", {"t": ("0", "2")}, seed=1).run()
    assert r.level is Level.REFUTED                     # confirmed in ball arithmetic
    assert level(monte_carlo(_trial_holds, samples=5000, seed=2)) is Level.EVIDENCE
    r = monte_carlo(_trial_fails_often, samples=5000, seed=2).run()
    assert r.level is Level.UNKNOWN and "test failed" in r.detail
    with pytest.raises(InputError, match="samples"):    # a test that could never pass is refused
        monte_carlo(_trial_holds, samples=100, seed=1, max_failure_rate=0.001)
    with pytest.raises(TypeError):                      # every random draw takes a seed
        monte_carlo(_trial_holds, samples=5000)


def test_python_check_import_failure_is_unknown_not_a_crash():
    from prunecert.proofs.registry import run_check

    r = run_check(python_check("no_such_module_xyz:f"))
    assert r.level is Level.UNKNOWN and "no_such_module_xyz" in r.detail
    with pytest.raises(InputError):
        python_check("no colon")


def test_builder_boxes_read_names_as_the_parser_does():
    """A user claim's box goes through the prover's one box reader: two names that normalise to the
    same identifier (fullwidth ｘ and x) are bad input, in every builder that takes a box."""
    import pytest

    from prunecert.checks.errors import InputError
    from prunecert.proofs.builders import identity, prove_inequality

    with pytest.raises(InputError):
        prove_inequality("x >= 0", {"\uff58": (0, 1), "x": (0, 1)})
    with pytest.raises(InputError):
        identity("x", "x", box={"\uff58": (0, 1), "x": (2, 3)})
