"""prunecert.bounds.limit.gordon: a_m identities and the bounds m/sqrt(m+1) <= a_m <= sqrt(m) for all m."""
import mpmath
import pytest

from prunecert.bounds.limit import gordon as g
from prunecert.checks.rigorous.arith import exact_endpoints, workprec
from prunecert.checks.errors import InputError
from prunecert.checks.levels import Level


def test_symbolic_leaves_are_proved():
    for check in (g.check_identity, g.check_gamma_cauchy_schwarz, g.check_upper_reduction, g.check_lower_reduction):
        r = check()
        assert r.level is Level.PROVED, (check.__name__, r.detail)


def test_range_corroboration():
    r = g.check_range(3000)
    assert r.level is Level.CHECKED


@pytest.mark.parametrize("m", [1, 2, 3, 10, 57, 1000])
def test_a_m_against_mpmath(m):
    with workprec(200):
        x = g.a_m(m)
    with mpmath.workdps(60):
        ref = mpmath.sqrt(2) * mpmath.gamma(mpmath.mpf(m + 1) / 2) / mpmath.gamma(mpmath.mpf(m) / 2)
        c = mpmath.sqrt(m)
        pts = [0, c / 2, c, c + 5, c + 15, mpmath.inf]
        # E||g|| by quadrature of the chi density: independent route
        chi = mpmath.quad(lambda r: r * r ** (m - 1) * mpmath.exp(-r * r / 2), pts) / \
            mpmath.quad(lambda r: r ** (m - 1) * mpmath.exp(-r * r / 2), pts)
    assert abs(float(x.mid()) - float(ref)) < 1e-12 and abs(ref - chi) < mpmath.mpf(10) ** -30
    lo, hi = exact_endpoints(x)
    with mpmath.workdps(60):
        assert mpmath.mpf(lo.numerator) / lo.denominator - mpmath.mpf(10) ** -55 <= ref
        assert ref <= mpmath.mpf(hi.numerator) / hi.denominator + mpmath.mpf(10) ** -55


def test_a_1_and_recurrence():
    with workprec(128):
        assert abs(g.a_m(1) ** 2 - 2 / g.arb.pi()) < 1e-35
        for m in (1, 5, 40):
            assert abs(g.a_m(m) * g.a_m(m + 1) - m) < 1e-30


def test_bad_m():
    for bad in (0, -1, 1.5, True):
        with pytest.raises(InputError):
            g.a_m(bad)
