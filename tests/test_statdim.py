"""prunecert.bounds.limit.statdim: closed forms, certified enclosures, identities, Monte Carlo and mpmath cross-checks."""
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from prunecert.bounds.limit import statdim as sd
from prunecert.bounds.limit import cone_projection as cp
from prunecert.checks.rigorous.arith import exact_endpoints, workprec
from prunecert.checks.errors import InputError
from prunecert.checks.statistics.montecarlo import clopper_pearson, statdim_mc


def contains(ball, x, prec=200):
    lo, hi = exact_endpoints(ball)
    with mpmath.workprec(prec):
        return mpmath.mpf(lo.numerator) / lo.denominator <= x <= mpmath.mpf(hi.numerator) / hi.denominator


# ---------------------------------------------------------------- exact kinds
@pytest.mark.parametrize("d", [1, 2, 5, 17])
def test_orthant_exact(d):
    v = sd.orthant_intrinsic_volumes(d)
    assert sum(v) == 1
    if d >= 1:
        assert sum(v[0::2]) == sum(v[1::2]) == Fraction(1, 2)
    assert sd.statdim_from_volumes(v) == sd.orthant(d) == Fraction(d, 2)
    # polarity: the polar of the orthant is -orthant, delta(C) + delta(C°) = d
    assert sd.orthant(d) + sd.orthant(d) == d


def test_subspace_and_self_dual():
    assert sd.subspace(7, 3) == 3
    v = sd.subspace_intrinsic_volumes(7, 3)
    assert sum(v) == 1 and sd.statdim_from_volumes(v) == 3
    # polar of a k-subspace is its (d-k)-dim orthogonal complement
    assert sd.subspace(7, 3) + sd.subspace(7, 4) == 7
    assert sd.self_dual(10) == 5 and sd.psd_cone_dimension(4) == 10
    with pytest.raises(InputError):
        sd.subspace(3, 4)
    with pytest.raises(InputError):
        sd.orthant(0)


# ---------------------------------------------------------------- circular cones
@pytest.mark.parametrize("d", [2, 3, 4, 7, 12, 30])
@pytest.mark.parametrize("alpha", ["0.3", "1.2", "pi/4", "pi/6", "1.5"])
def test_circular_volume_identities(d, alpha):
    with workprec(128):
        v = sd.circular_intrinsic_volumes(d, alpha)
        total, even, odd = sum(v), sum(v[0::2]), sum(v[1::2])
        assert abs(total - 1) < 1e-30
        assert abs(even - 0.5) < 1e-30 and abs(odd - 0.5) < 1e-30  # not a subspace
        assert all(x > 0 for x in v)


@pytest.mark.parametrize("d", [2, 5, 11])
@pytest.mark.parametrize("q", [Fraction(1, 12), Fraction(1, 5), Fraction(3, 8)])
def test_circular_polarity(d, q):
    """Circ_d(alpha)° = -Circ_d(pi/2 - alpha): v_k(C°) = v_{d-k}(C) and delta(C) + delta(C°) = d."""
    a = sd.Angle("pi", q)
    with workprec(128):
        v, w = sd.circular_intrinsic_volumes(d, a), sd.circular_intrinsic_volumes(d, a.complement())
        for k in range(d + 1):
            assert abs(v[k] - w[d - k]) < 1e-30
        s = sd.circular(d, a) + sd.circular(d, a.complement())
        assert abs(s - d) < 1e-28 and (s - d).contains(0)


def test_self_dual_lorentz_and_half_space():
    for d in (1, 2, 3, 8, 25):
        x = sd.circular(d, "pi/4")
        assert abs(x - d / 2) < 1e-10
        hs = sd.circular(d, "pi/2")  # half-space {x_1 >= 0}: delta = d - 1/2 (d >= 2)
        if d >= 2:
            assert abs(hs - (d - 0.5)) < 1e-12


def _delta_circ_mpmath(d, alpha, dps=40):
    """Independent evaluation: in polar coordinates (r, theta) of (g_1, |g_rest|), r^2 has mean d
    and theta has density ~ sin^{d-2}; the projection norm^2 is r^2 (theta <= alpha),
    r^2 cos^2(theta - alpha) (alpha < theta < alpha + pi/2), 0 otherwise."""
    with mpmath.workdps(dps):
        a = mpmath.mpf(alpha) if not isinstance(alpha, mpmath.mpf) else alpha
        w = lambda th: mpmath.sin(th) ** (d - 2)
        num = mpmath.quad(w, [0, a]) + mpmath.quad(lambda th: mpmath.cos(th - a) ** 2 * w(th), [a, a + mpmath.pi / 2])
        den = mpmath.quad(w, [0, mpmath.pi])
        return d * num / den


@pytest.mark.parametrize("d,alpha", [(3, "0.3"), (10, "0.3"), (10, "1.1"), (40, "0.7"), (7, "1.5")])
def test_circular_against_mpmath_quadrature(d, alpha):
    with workprec(200):
        x = sd.circular(d, alpha)
    ref = _delta_circ_mpmath(d, mpmath.mpf(alpha) if "pi" not in alpha else None)
    assert contains(x, ref) or abs(float(x.mid()) - float(ref)) < 1e-25


# ---------------------------------------------------------------- Monte Carlo (99% CI)
MC_N = 20000


def test_orthant_monte_carlo():
    est = statdim_mc(cp.orthant, 20, n=MC_N, seed=11)
    assert est.contains(10)


def test_subspace_monte_carlo():
    est = statdim_mc(cp.subspace(4), 9, n=MC_N, seed=12)
    assert est.contains(4)


def test_psd_self_dual_monte_carlo():
    est = statdim_mc(cp.psd(4), 10, n=MC_N, seed=13)
    assert est.contains(5)


@pytest.mark.parametrize("d,alpha,seed", [(10, "0.3", 14), (6, "1.2", 15), (15, "pi/4", 16)])
def test_circular_monte_carlo(d, alpha, seed):
    x = sd.circular(d, alpha)
    est = statdim_mc(cp.circular(float(sd.parse_angle(alpha).ball().mid())), d, n=MC_N, seed=seed)
    assert est.contains(float(x.mid()))


def test_l1_descent_monte_carlo_between_bounds():
    d, s = 60, 6
    lo, hi, _ = sd.l1_descent_bounds(d, s)
    sg = np.zeros(d)
    sg[:s] = 1
    est = statdim_mc(None, d, n=6000, seed=17, sq_dist=cp.l1_normal_dist2(sg))
    assert float(lo) <= est.lo and est.hi <= float(hi)
    # the descent-cone projection agrees with the normal-cone distance (Moreau)
    G = np.random.default_rng(0).standard_normal((200, d))
    P = cp.l1_descent(sg)(G)
    assert np.allclose(np.einsum("ij,ij->i", P, P), cp.l1_normal_dist2(sg)(G))


def test_projections_are_projections():
    rng = np.random.default_rng(1)
    G = rng.standard_normal((300, 8))
    for proj in (cp.orthant, cp.subspace(3), cp.circular(0.4), cp.circular(np.pi / 2), cp.psd(3) if False else cp.orthant):
        P = proj(G)
        D = G - P
        assert np.allclose(np.einsum("ij,ij->i", P, D), 0, atol=1e-10)    # Moreau orthogonality
        assert np.allclose(proj(P), P)                                     # idempotent
    G6 = rng.standard_normal((100, 6))
    P = cp.psd(3)(G6)
    assert np.all(np.linalg.eigvalsh(cp.smat(P, 3)) > -1e-10)
    assert np.allclose(np.einsum("ij,ij->i", P, G6 - P), 0, atol=1e-10)


# ---------------------------------------------------------------- psi and l1 bounds
def test_psi_sympy_second_derivative():
    import sympy as sp

    t, r = sp.symbols("tau rho", positive=True)
    F = sd.F_expr(t, r)
    assert sp.simplify(sp.diff(F, t, 2) - (2 * r + 2 * (1 - r) * sp.erfc(t / sp.sqrt(2)))) == 0


@pytest.mark.parametrize("rho", ["0.05", "0.1", "0.2", "0.5", "0.9"])
def test_psi_against_mpmath(rho):
    enc = sd.psi(rho, prec=200)
    assert enc.tau_hi - enc.tau_lo < Fraction(1, 10**25)
    with mpmath.workdps(50):
        r = mpmath.mpf(rho)
        J = lambda t: (1 + t**2) * mpmath.erfc(t / mpmath.sqrt(2)) - t * mpmath.sqrt(2 / mpmath.pi) * mpmath.exp(-t**2 / 2)
        F = lambda t: r * (1 + t**2) + (1 - r) * J(t)
        dF = lambda t: mpmath.diff(F, t)
        tau = mpmath.findroot(dF, float(enc.tau_lo))
        val = F(tau)
        assert enc.tau_lo - Fraction(1, 10**20) <= Fraction(str(tau)) <= enc.tau_hi + Fraction(1, 10**20)
        lo, hi = enc.psi_lo, enc.psi_hi
        slack = mpmath.mpf(10) ** -45  # the mpmath reference itself carries ~50 digits
        assert mpmath.mpf(lo.numerator) / lo.denominator - slack <= val <= mpmath.mpf(hi.numerator) / hi.denominator + slack
        assert hi - lo < Fraction(1, 10**40)
        # it is the infimum: nearby and far points are not lower
        for t in (0, tau / 2, tau * 2, 10):
            assert F(t) >= val


def test_psi_edge_cases():
    assert sd.psi(1).psi_lo == sd.psi(1).psi_hi == 1
    with pytest.raises(InputError):
        sd.psi(0)
    with pytest.raises(InputError):
        sd.l1_descent_bounds(10, 11)
    with pytest.raises(InputError):
        sd.l1_descent_bounds(10, 0)
    lo, hi, _ = sd.l1_descent_bounds(10, 10)
    assert hi == 10


def test_l1_bounds_monotone_in_s():
    his = [sd.l1_descent_bounds(100, s)[1] for s in (5, 10, 20, 50)]
    assert his == sorted(his)


# ---------------------------------------------------------------- angles and enclosures
def test_parse_angle():
    assert sd.parse_angle("pi/4") == sd.Angle("pi", Fraction(1, 4))
    assert sd.parse_angle("3*pi/8").value == Fraction(3, 8)
    assert sd.parse_angle("1.5707").kind == "rad"
    for bad in ("0", "-1", "1.5708", "pi", "2*pi/3", "abc", "nan"):
        with pytest.raises(InputError):
            sd.parse_angle(bad)


def test_enclosure_digits():
    x = sd.enclosure(lambda: sd.circular(10, "0.3"), digits=40)
    lo, hi = exact_endpoints(x)
    assert hi - lo < Fraction(1, 10**40)
    e = sd.decimal_enclosure(lo, hi, 45)
    assert Fraction(e["lo"]) <= lo and hi <= Fraction(e["hi"])


def test_clopper_pearson():
    lo, hi = clopper_pearson(5, 10, 0.99)
    assert lo < 0.5 < hi
    assert clopper_pearson(0, 10)[0] == 0 and clopper_pearson(10, 10)[1] == 1
