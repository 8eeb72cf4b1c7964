"""Claims of the weight-pruning (upper) side of the exponential gap (seeds 000/001).

Proofs: docs/weight-pruning.md.  Every check is a module-level function returning a CheckResult.
"""
from __future__ import annotations

import time
from fractions import Fraction

import sympy as sp

from prunecert.checks.levels import Level
from prunecert.checks.result import CheckResult
from prunecert.bounds.gap import counting, weight_pruning
from prunecert.proofs.registry import Check, Claim

DOC = "docs/weight-pruning.md"


def _res(ok: bool, method: str, t0: float, detail: str, data=None, witness=None) -> CheckResult:
    return CheckResult(Level.PROVED if ok else Level.REFUTED, method, time.perf_counter() - t0, detail,
                       witness=witness, data=data or {})


def _smt(lhs, op, rhs, box=None) -> CheckResult:
    from prunecert.checks.decide.smt import prove_forall

    return prove_forall(lhs, op, rhs, box, timeout=20.0)


# ------------------------------------------------------------------------------ mixture (product law)
def check_product_cdf() -> CheckResult:
    """P(UV <= s) = s - s ln s for U, V ~ U(0,1); density -ln s (sympy, exact)."""
    t0 = time.perf_counter()
    s, x = sp.symbols("s x", positive=True)
    cdf = s + sp.integrate(s / x, (x, s, 1))       # int_0^1 min(1, s/x) dx split at x = s
    ok1 = sp.simplify(cdf - (s - s * sp.log(s))) == 0
    ok2 = sp.simplify(sp.diff(s - s * sp.log(s), s) + sp.log(s)) == 0
    # law of X = v u 1[u>0]: P(u>0) = 1/2, sign of v symmetric -> density (1/2)(1/2)(-ln|x|)
    dens = sp.Rational(1, 2) * sp.Rational(1, 2) * (-sp.log(x))
    ok3 = sp.simplify(sp.integrate(dens, (x, 0, 1)) * 2 - sp.Rational(1, 2)) == 0   # total mass 1/2 (+ atom 1/2)
    return _res(ok1 and ok2 and ok3, "sympy-identity", t0, "cdf s - s ln s, density -ln s, continuous mass 1/2")


def check_mixture_weight() -> CheckResult:
    """(1/4) ln(1/x) >= ln(2)/4 on (0, 1/2]: equality at 1/2 (exact) and derivative -1/(4x) < 0 (sympy)."""
    t0 = time.perf_counter()
    x = sp.symbols("x", positive=True)
    f = sp.log(1 / x) / 4 - sp.log(2) / 4
    ok = sp.simplify(f.subs(x, sp.Rational(1, 2))) == 0 and sp.simplify(sp.diff(f, x) + 1 / (4 * x)) == 0
    return _res(ok, "sympy-identity+monotone", t0, "f(1/2) = 0 and f' = -1/(4x) < 0 on (0, 1/2]")


def check_mixture_general() -> CheckResult:
    """The product-mixture lemma for any hidden-weight density p (symbolic function, sympy): the density of
    v u 1[u>0] is g(|z|) = int_|z|^oo p(u)/(2u) du (Leibniz rule on the CDF), g' = -p/(2t) <= 0."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.product_mixture import density_parts

    r = density_parts()
    bad = [k for k, v in r["parts"].items() if not v]
    if not r["ok"]:
        return CheckResult(Level.UNKNOWN, "sympy-symbolic-density", time.perf_counter() - t0,
                           f"sympy did not confirm {bad}", data={"parts": r["parts"]})
    return _res(True, "sympy-symbolic-density", t0, "density g(|z|) by Leibniz, g nonincreasing; beta = 2 a g(a)",
                data={"parts": r["parts"]})


def check_mixture_instances() -> CheckResult:
    """g for uniform (ln(1/t)/4) and Gaussian (E1(t^2/2)/(4 sqrt(2 pi))) hidden weights: derivative and
    boundary value (fundamental theorem of calculus, sympy); beta at a = 1/2."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.product_mixture import instance_parts

    r = instance_parts()
    bad = [k for k, v in r["parts"].items() if not v]
    if not r["ok"]:
        return CheckResult(Level.UNKNOWN, "sympy-ftc", time.perf_counter() - t0,
                           f"sympy did not confirm {bad}", data={"parts": r["parts"]})
    return _res(True, "sympy-ftc", t0, "g' = -p/(2t) and boundary values for both laws", data={"parts": r["parts"]})


def check_gaussian_beta_arb() -> CheckResult:
    """beta = E1(1/8)/(4 sqrt(2 pi)) in [0.161913, 0.161914] (arb's exponential integral, outward rounded)."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.product_mixture import beta_ball
    from prunecert.checks.levels import Tri
    from prunecert.checks.rigorous import arith

    b = beta_ball("gaussian")
    lo = arith.compare3(b, ">=", Fraction(161913, 10 ** 6))
    hi = arith.compare3(b, "<=", Fraction(161914, 10 ** 6))
    ok = lo is Tri.TRUE and hi is Tri.TRUE
    if not ok:
        return CheckResult(Level.UNKNOWN, "arb-ei", time.perf_counter() - t0, "bounds not certified")
    return _res(True, "arb-ei", t0, f"beta = {arith.certified_decimal(b, 12)}; 0.161913 <= beta <= 0.161914")


def check_gaussian_beta_series() -> CheckResult:
    """Second route: the alternating series of E1(1/8) (exact rationals, tail by the first omitted term)
    encloses beta, overlaps arb's value and certifies beta >= 0.161913 on its own."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.product_mixture import beta_ball, beta_series_ball
    from prunecert.checks.levels import Tri
    from prunecert.checks.rigorous import arith

    s, b = beta_series_ball(), beta_ball("gaussian")
    if not s.overlaps(b):
        return CheckResult(Level.REFUTED, "series", time.perf_counter() - t0, f"series {s} disjoint from arb {b}")
    ok = arith.compare3(s, ">=", Fraction(161913, 10 ** 6)) is Tri.TRUE
    return CheckResult(Level.PROVED if ok else Level.UNKNOWN, "exact-series+arb", time.perf_counter() - t0,
                       f"series encloses beta = {arith.certified_decimal(s, 12)}")


def check_formula_split() -> CheckResult:
    """The closed-form split fails with probability <= delta/2 per phase, for every admissible parameter set:
    with q1 = p(1 - e^{-lam}) in (0, 1), r1 = -ln(1 - q1) and T1 = (lam K + ln(8d/delta))/r1:
    4d e^{lam K} (1 - q1)^T1 = delta/2; with q2 = beta mu/2, r2 = -ln(1 - q2) and T2 = ln(8d/delta)/r2:
    4d (1 - q2)^T2 = delta/2 (sympy, symbolic q1, q2, lam; ceilings only lower the terms).  The classic set
    gives q1 = beta/14, q2 = beta/4, lam = ln 2."""
    t0 = time.perf_counter()
    K, dd, dl, lam = sp.symbols("K d delta lam", positive=True)
    q1, q2 = sp.symbols("q1 q2", positive=True)
    r1 = -sp.log(1 - q1)
    r2 = -sp.log(1 - q2)
    T1 = (lam * K + sp.log(8 * dd / dl)) / r1
    T2 = sp.log(8 * dd / dl) / r2
    e1 = 4 * dd * sp.exp(lam * K) * sp.exp(-r1 * T1) - dl / 2
    e2 = 4 * dd * sp.exp(-r2 * T2) - dl / 2
    ok = sp.simplify(sp.expand_log(e1, force=True)) == 0 and sp.simplify(sp.expand_log(e2, force=True)) == 0
    ok = ok and sp.simplify(sp.expand_log((1 - q1) ** T1 - sp.exp(-r1 * T1), force=True)) == 0
    return _res(ok, "sympy-identity", t0, "each phase of the closed-form split contributes delta/2 (symbolic q1, q2, lam)")


def check_width_gaussian_numbers() -> CheckResult:
    """Instances: required_width(model="gaussian") certified at 3 (eps, delta, d) points, never above the
    closed-form split."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.product_mixture import beta_ball
    from prunecert.bounds.gap.weight_pruning import formula_split, width_details

    data = []
    for e, dl, dd in (("0.1", "0.1", 2), ("1e-6", "1/2", 2), ("0.001", "0.01", 10)):
        c = width_details(e, dl, dd, "gaussian")
        _, t1, t2 = formula_split(c.eps, c.delta, dd, beta_ball("gaussian"))
        if c.n > 2 * dd * (t1 + t2):
            return CheckResult(Level.REFUTED, "arb-compare", time.perf_counter() - t0, "width above the closed form")
        data.append(c.to_json())
    return CheckResult(Level.CHECKED, "arb-compare", time.perf_counter() - t0,
                       "instances: Gaussian-model width certified at 3 points", data={"points": data})


def check_rss_general() -> CheckResult:
    """The RSS lemma with symbolic parameters (mu, theta, lam): every step of the two-phase proof (sympy)."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.subset_sum_lemma import general_parts

    r = general_parts()
    bad = [k for k, v in r["parts"].items() if not v]
    if not r["ok"]:
        return CheckResult(Level.UNKNOWN, "sympy-identity", time.perf_counter() - t0,
                           f"sympy did not confirm {bad}", data={"parts": r["parts"]})
    return _res(True, "sympy-identity", t0, "growth, reverse Markov, Chernoff, Markov, stopping rule, hit "
                "probability for symbolic (mu, theta, lam); classic constants reproduced; both sets admissible",
                data={"parts": r["parts"]})


# ------------------------------------------------------------------------------ RSS lemma leaves
def check_window_length() -> CheckResult:
    """For |t| <= 1: |[-1 - t, 1 - t] cap [-1, 1]| = min(1, 1 - t) - max(-1, -1 - t) >= 1 (scaled by a)."""
    return _smt("Min(1, 1 - t) - Max(-1, -1 - t)", ">=", "1", {"t": ("-1", "1")})


def check_growth_ratio() -> CheckResult:
    """x/2 - x^2/(2a) - x (1/2 - mu/2) = x (mu a - x)/(2a) (sympy), so >= 0 on 0 <= x <= mu a; mu = 1/2."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.subset_sum_lemma import MU, expected_growth_ratio

    xx, a = sp.symbols("x a", positive=True)
    r = expected_growth_ratio(MU)
    ok = sp.simplify(xx / 2 - xx**2 / (2 * a) - xx * r - xx * (MU * a - xx) / (2 * a)) == 0 and r == sp.Rational(1, 4)
    return _res(ok, "sympy-identity", t0, f"r = {r}")


def check_reverse_markov() -> CheckResult:
    """E[D] <= theta*D0 + (1 - theta) D0 P(D >= theta D0) gives P >= (r - theta)/(1 - theta) = 1/7 (exact)."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.subset_sum_lemma import THETA, expected_growth_ratio, grow_probability, hit_probability, reverse_markov

    q = reverse_markov(expected_growth_ratio())
    b = sp.Symbol("beta", positive=True)
    ok = q == sp.Rational(1, 7) and sp.simplify(grow_probability(b) - b / 7) == 0 \
        and sp.simplify(hit_probability(b) - b / 4) == 0 and THETA == sp.Rational(1, 8)
    return _res(ok, "exact-rational", t0, "(1/4 - 1/8)/(1 - 1/8) = 1/7; hit probability beta/4")


def check_chernoff_step() -> CheckResult:
    """1 - p (1 - e^{-ln 2}) = 1 - p/2 and e^{K ln 2} = 2^K (sympy)."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.subset_sum_lemma import LAMBDA

    p, K = sp.symbols("p K", positive=True)
    ok = sp.simplify(1 - p * (1 - sp.exp(-LAMBDA)) - (1 - p / 2)) == 0 and sp.simplify(sp.exp(LAMBDA * K) - 2**K) == 0
    return _res(ok, "sympy-identity", t0, "lambda = ln 2")


# ------------------------------------------------------------------------------ construction
def check_relu_lipschitz() -> CheckResult:
    return _smt("Abs(Max(a, 0) - Max(b, 0))", "<=", "Abs(a - b)")


def cauchy_schwarz_parts(rhs_B_coeff=-2) -> dict:
    """Cauchy-Schwarz (sum a_i b_i)^2 <= (sum a_i^2)(sum b_i^2) for real vectors of every length n,
    by the discriminant argument, each step a sympy fact with n a *symbol* (no fixed length):

    (a) sum_{i=1}^n (a_i t - b_i)^2 = A t^2 - 2 B t + C with A = sum a_i^2, B = sum a_i b_i,
        C = sum b_i^2 (Sum over an IndexedBase, symbolic n; simplify pulls t out of the sums);
    (b) that sum is >= 0 (sympy: a Sum of squares of reals is nonnegative), and C >= 0;
    (c) A > 0: A (A (B/A)^2 - 2 B (B/A) + C) = A C - B^2, so A C - B^2 = A q(B/A) >= 0;
    (d) A = 0: q(t) = C - 2 B t; if B != 0 then q((C + 1)/(2 B)) = -1 < 0, contradicting (b); so B = 0
        and B^2 = 0 <= A C.

    ``rhs_B_coeff`` exists only for the falsifiability test (a wrong coefficient must fail (a))."""
    n = sp.Symbol("n", integer=True, positive=True)
    i = sp.Symbol("i", integer=True)
    a = sp.IndexedBase("a", real=True)
    b = sp.IndexedBase("b", real=True)
    t = sp.Symbol("t", real=True)
    q = sp.Sum((a[i] * t - b[i]) ** 2, (i, 1, n))
    A_, B_, C_ = (sp.Sum(a[i] ** 2, (i, 1, n)), sp.Sum(a[i] * b[i], (i, 1, n)), sp.Sum(b[i] ** 2, (i, 1, n)))
    parts = {}
    parts["sum_expansion_symbolic_n"] = sp.simplify(q.expand() - (A_ * t**2 + rhs_B_coeff * B_ * t + C_)) == 0
    parts["sum_of_squares_nonneg"] = bool(q.is_nonnegative) and bool(C_.is_nonnegative)
    A = sp.Symbol("A", positive=True)
    B, C, T = sp.symbols("B C T", real=True)
    quad = A * T**2 - 2 * B * T + C
    parts["vertex_identity_A_pos"] = sp.simplify(A * quad.subs(T, B / A) - (A * C - B**2)) == 0
    Bnz = sp.Symbol("B", real=True, nonzero=True)
    parts["A_zero_forces_B_zero"] = sp.simplify((C - 2 * Bnz * T).subs(T, (C + 1) / (2 * Bnz)) + 1) == 0
    return {"ok": all(parts.values()), "parts": parts}


def check_cauchy_schwarz_all_d() -> CheckResult:
    """Cauchy-Schwarz for every dimension d (discriminant argument, symbolic length)."""
    t0 = time.perf_counter()
    r = cauchy_schwarz_parts()
    bad = [k for k, v in r["parts"].items() if not v]
    if not r["ok"]:
        return CheckResult(Level.UNKNOWN, "sympy-symbolic-sum", time.perf_counter() - t0,
                           f"sympy did not confirm {bad}", data={"parts": r["parts"]})
    return _res(True, "sympy-symbolic-sum", t0,
                "sum_{i<=n}(a_i t - b_i)^2 = A t^2 - 2Bt + C >= 0 for symbolic n; A(A(B/A)^2 - 2B^2/A + C) = AC - B^2; "
                "A = 0 forces B = 0", data={"parts": r["parts"]})


def check_construction_instances() -> CheckResult:
    """CHECKED: on stated instances (d = 2, n = 80, Model B, seeds 0..9, eps = 0.1) the construction's
    certified error respects the analytic bound ||delta||_2 and decides eps."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.weight_construction import construct
    from prunecert.checks.instances.network import sample

    wins, rows = 0, []
    for seed in range(10):
        net = sample(80, 2, seed=seed, model="B")
        r = construct(net, eps="0.1")
        if r.error.lo > r.analytic_hi:
            return CheckResult(Level.REFUTED, "exact-sectors-2d", time.perf_counter() - t0,
                               f"seed {seed}: certified error above the analytic bound", witness={"seed": seed})
        wins += r.achievable("0.1") is True
        rows.append([seed, str(float(r.error.hi)), str(float(r.analytic_hi))])
    return CheckResult(Level.CHECKED, "construction+exact-sectors-2d", time.perf_counter() - t0,
                       f"{wins}/10 seeds reach eps = 0.1 at n = 80; error <= ||delta||_2 on all",
                       data={"rows": rows})


# ------------------------------------------------------------------------------ width theorem
def check_width_numbers() -> CheckResult:
    """The width inequality 4d[2^K(1-beta/14)^T1 + (1-beta/4)^T2] <= delta certified in arb at sample points."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.weight_pruning import width_details

    data = []
    for e, dl, dd in (("0.1", "0.1", 2), ("0.01", "0.1", 3), ("0.001", "0.01", 10)):
        c = width_details(e, dl, dd)
        data.append(c.to_json())
    return CheckResult(Level.CHECKED, "arb-compare", time.perf_counter() - t0,
                       "instances: required_width certified at 3 (eps, delta, d) points", data={"points": data})


def check_width_asymptotics() -> CheckResult:
    """For fixed d and delta the smooth width formula is linear in ln(1/eps): n/ln(1/eps) -> constant."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.weight_pruning import d, delta, eps, width_formula_smooth

    L = sp.Symbol("L", positive=True)
    f = width_formula_smooth().subs(eps, sp.exp(-L))
    lim = sp.limit(f / L, L, sp.oo)
    ok = lim.is_finite and lim.is_positive
    return _res(bool(ok), "sympy-limit", t0, f"lim n / ln(1/eps) = {sp.simplify(lim)}")


def check_empirical_width() -> CheckResult:
    """EVIDENCE: at d = 2, n = 64, eps = 0.1 the construction succeeds (certified) on k of 50 seeds;
    99% Clopper-Pearson lower bound on the success probability."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.weight_construction import construct
    from prunecert.checks.statistics.montecarlo import clopper_pearson
    from prunecert.checks.instances.network import sample

    k = 0
    for seed in range(50):
        r = construct(sample(64, 2, seed=1000 + seed, model="B"), eps="0.1")
        k += r.achievable("0.1") is True
    lo, hi = clopper_pearson(k, 50, 0.99)
    return CheckResult(Level.EVIDENCE, "monte-carlo+exact-sectors-2d", time.perf_counter() - t0,
                       f"{k}/50 successes; success probability >= {lo:.3f} (99% Clopper-Pearson)",
                       data={"k": k, "n_trials": 50, "cp_lower": lo, "cp_upper": hi})


# ------------------------------------------------------------------------------ counting side
def check_relu_odd_identity() -> CheckResult:
    return _smt("Max(t, 0) - Max(-t, 0)", ">=", "t")  # with the reverse below: equality


def check_relu_odd_identity_rev() -> CheckResult:
    return _smt("Max(t, 0) - Max(-t, 0)", "<=", "t")


def check_separation_instances() -> CheckResult:
    """CHECKED, exact (d = 2): sup^2 |relu(<w',x>) - relu(<w,x>)| >= ||w - w'||^2/4 on 200 random rational
    pairs, and equality for w' = -w (the constant 1/2 is sharp)."""
    t0 = time.perf_counter()
    import numpy as np

    from prunecert.checks.instances.network import Network
    from prunecert.checks.instances.superror import sup_error

    rng = np.random.default_rng(7)
    worst = None
    for _ in range(200):
        w = [Fraction(int(x), 1000) for x in rng.integers(-700, 701, 2)]
        wp = [Fraction(int(x), 1000) for x in rng.integers(-700, 701, 2)]
        net = Network("A", tuple(w), (tuple(wp),), (Fraction(1),))
        R = sup_error(net).sup_squared
        dist2 = sum((a - b) ** 2 for a, b in zip(w, wp))
        if R < dist2 / 4:
            return CheckResult(Level.REFUTED, "exact-sectors-2d", time.perf_counter() - t0,
                               "separation violated", witness={"w": [str(x) for x in w], "w'": [str(x) for x in wp]})
        ratio = R / dist2 if dist2 else None
        if ratio is not None and (worst is None or ratio < worst):
            worst = ratio
    sharp = sup_error(Network("A", (Fraction(3, 5), Fraction(4, 5)), ((Fraction(-3, 5), Fraction(-4, 5)),),
                              (Fraction(1),))).sup_squared
    ok = sharp == Fraction(1)   # ||w - w'||^2 / 4 = 4/4
    return CheckResult(Level.CHECKED if ok else Level.REFUTED, "exact-sectors-2d", time.perf_counter() - t0,
                       f"min sup^2/||w-w'||^2 = {float(worst):.4f} >= 1/4 on 200 pairs; w' = -w gives equality",
                       data={"min_ratio": str(worst)})


def check_counting_equivalence() -> CheckResult:
    """The counting inequality as a symbolic statement (all eps, d, p > 0, real n): sympy."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.counting import counting_equivalence

    r = counting_equivalence()
    bad = [k for k, v in r["parts"].items() if not v]
    if not r["ok"]:
        return CheckResult(Level.UNKNOWN, "sympy-identity+monotone", time.perf_counter() - t0,
                           f"sympy did not confirm {bad}", data={"parts": r["parts"]})
    return _res(True, "sympy-identity+monotone", t0,
                "log2(2^{n(d+1)}(4eps)^d/p) = n(d+1) - (d log2(1/(4eps)) + log2 p), log2 increasing; "
                "p = 1 gives d/(d+1) log2(1/(4eps)), d/(d+1) >= 1/2", data={"parts": r["parts"]})


def check_counting_numbers() -> CheckResult:
    """Instance check: weight_pruning_lower_width is the least n with 2^{n(d+1)} (4 eps)^d >= p
    (exact rationals) at 3 points."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap.counting import weight_pruning_lower_width

    rows = []
    for e, dd, p in (("0.01", 2, 1), ("0.001", 3, "1/2"), ("1e-6", 1, 1)):
        n = weight_pruning_lower_width(e, dd, p)
        eq, pq = Fraction(e), Fraction(p)
        ok = Fraction(2) ** (n * (dd + 1)) * (4 * eq) ** dd >= pq and (n == 0 or Fraction(2) ** ((n - 1) * (dd + 1)) * (4 * eq) ** dd < pq)
        if not ok:
            return CheckResult(Level.REFUTED, "exact-rational", time.perf_counter() - t0, f"bad n at {e}, {dd}")
        rows.append([e, dd, str(p), n])
    return CheckResult(Level.CHECKED, "exact-rational", time.perf_counter() - t0,
                       "instances: minimal n verified at 3 points", data={"rows": rows})


CLAIMS = [
    Claim(
        id="gap.upper.product_mixture",
        title="Products of uniforms contain a uniform component of weight ln(2)/4",
        statement=r"For $u,v\sim U[-1,1]$ independent, $\mathrm{Law}(vu\,1[u>0]) \ge \tfrac{\ln 2}{4}\,U[-\tfrac12,\tfrac12]$.",
        source="literature: Pensia et al. 2020, Cor. 1-2 (restated, re-proved)",
        kind="lemma",
        checks=(Check("product_cdf", check_product_cdf), Check("mixture_weight", check_mixture_weight),
                Check("instance_of_general_lemma", check_mixture_instances,
                      "g(t) = ln(1/t)/4 for p = 1/2 on [-1, 1]; beta = ln(2)/4")),
        proof_uses=("gap.upper.product_mixture_general",),
        proof=f"{DOC}#mixture", seed="001", tags=("weight-pruning",),
    ),
    Claim(
        id="gap.upper.product_mixture_general",
        title="Product-mixture lemma, any hidden-weight density: Law(v u 1[u>0]) >= 2a g(a) U[-a, a]",
        statement=(r"$U$ with density $p$, $V\sim U[-1,1]$ independent, $X=VU\,1[U>0]$: for $z\ne0$ the density of $X$ "
                   r"is $g(|z|)$, $g(t)=\int_t^\infty \frac{p(u)}{2u}du$, nonincreasing; so "
                   r"$\mathrm{Law}(X)\ge 2a\,g(a)\,U[-a,a]$ for every $a>0$."),
        source="new (generalises Pensia et al. 2020, Cor. 1-2)", kind="lemma",
        hypotheses=("U has a density p", "V ~ U[-1, 1] independent of U", "a > 0"),
        checks=(Check("density_and_monotone", check_mixture_general, "sympy, symbolic density p"),),
        proof=f"{DOC}#mixture-general", seed="001", tags=("weight-pruning",),
    ),
    Claim(
        id="gap.upper.product_mixture_gaussian",
        title="Gaussian hidden weights: Law(v u 1[u>0]) >= beta U[-1/2, 1/2], beta = E1(1/8)/(4 sqrt(2 pi)) >= 0.161913",
        statement=(r"$u\sim N(0,1)$, $v\sim U[-1,1]$ independent: $\mathrm{Law}(vu\,1[u>0])\ge\beta\,U[-\tfrac12,\tfrac12]$ with "
                   r"$\beta=\frac{E_1(1/8)}{4\sqrt{2\pi}}\in[0.161913,0.161914]$ (the density of $uv$ is "
                   r"$\int_{|z|}^\infty\varphi(r)/r\,dr\ge E_1(1/8)/(2\sqrt{2\pi})\approx0.32383$ on $[-\tfrac12,\tfrac12]$)."),
        source="new (proved here)", kind="lemma",
        checks=(Check("g_closed_form", check_mixture_instances, "g(t) = E1(t^2/2)/(4 sqrt(2 pi)) by FTC"),
                Check("beta_arb", check_gaussian_beta_arb, "arb exponential integral")),
        corroborations=(Check("beta_series", check_gaussian_beta_series, "second route: alternating series"),),
        proof_uses=("gap.upper.product_mixture_general",),
        proof=f"{DOC}#mixture-gaussian", seed="001", tags=("weight-pruning",),
    ),
    Claim(
        id="gap.upper.rss_lemma",
        title="Random subset sum with explicit constants (fixed target)",
        statement=r"If $\mathrm{Law}(X_i)\ge\beta U[-a,a]$, $|z|\le a$, $0<\varepsilon\le a$, $K=\max(0,\lceil\ln(a/2\varepsilon)/\ln(9/8)\rceil)$: "
                  r"$P(\forall S: |\sum_S X_i - z|>\varepsilon) \le 2^K(1-\beta/14)^{T_1} + (1-\beta/4)^{T_2}$.",
        source="new (two-phase covering argument after Lueker 1998)",
        kind="lemma",
        checks=(Check("window_length", check_window_length), Check("growth_ratio", check_growth_ratio),
                Check("reverse_markov", check_reverse_markov), Check("chernoff_step", check_chernoff_step)),
        proof=f"{DOC}#rss-lemma", tags=("weight-pruning",),
    ),
    Claim(
        id="gap.upper.rss_lemma_general",
        title="Random subset sum with free parameters (mu, theta, lam): the same two-phase proof, sharper constants",
        statement=(r"If $\mathrm{Law}(X_i)\ge\beta U[-a,a]$, $|z|\le a$, $0<\varepsilon\le a$, $0<\mu\le1$, "
                   r"$0<\theta<r=\frac12-\frac\mu2$, $\lambda>0$, $p=\beta\frac{r-\theta}{1-\theta}$, "
                   r"$K=\max(0,\lceil\ln(\mu a/\varepsilon)/\ln(1+\theta)\rceil)$: "
                   r"$P(\forall S:|\sum_SX_i-z|>\varepsilon)\le e^{\lambda K}(1-p(1-e^{-\lambda}))^{T_1}"
                   r"+(1-\beta\mu/2)^{T_2}$. $(\mu,\theta,\lambda)=(\frac12,\frac18,\ln2)$ is gap.upper.rss_lemma."),
        source="new (two-phase covering argument after Lueker 1998)", kind="lemma",
        hypotheses=("Law(X_i) >= beta U[-a, a]", "|z| <= a", "0 < eps <= a", "0 < mu <= 1",
                    "0 < theta < 1/2 - mu/2", "lam > 0"),
        checks=(Check("general_steps", check_rss_general, "sympy, symbolic mu, theta, lam"),
                Check("window_length", check_window_length)),
        proof=f"{DOC}#rss-lemma-general-parameters", tags=("weight-pruning",),
        prose_steps=("the decomposition X = B Y + (1 - B) R from the domination (definitional)",
                     "E|C' cap (C' + Y)| <= D^2/(2a) (Fubini with p_Y <= 1/(2a))"),
    ),
    Claim(
        id="gap.upper.construction",
        title="Block construction: sup error <= ||delta||_2 (Model B)",
        statement=r"$\sup_{B^d}|\sigma(h)-\sigma(\langle w,x\rangle)| \le \sum_j \delta_j|x_j| \le \|\delta\|_2$.",
        source="new (after Pensia et al. 2020)",
        kind="lemma",
        checks=(Check("relu_lipschitz", check_relu_lipschitz),
                Check("cauchy_schwarz_all_d", check_cauchy_schwarz_all_d,
                      "discriminant argument with a symbolic-length Sum (every d)")),
        corroborations=(Check("instances", check_construction_instances),),
        proof=f"{DOC}#construction", tags=("weight-pruning",),
    ),
    Claim(
        id="gap.upper.width",
        title="Weight pruning in the uniform model (u ~ U[-1,1]^d, v ~ U[-1,1]) reaches eps with width 2d(T1+T2) = O(d log(d/eps) + d log(d/delta))",
        statement=r"Uniform model ($u_{ij},v_i\sim U[-1,1]$): with $n = 2d(T_1+T_2)$ as in prunecert.bounds.gap.weight_pruning ($\beta=\ln2/4$), the construction succeeds with probability $\ge 1-\delta$.",
        source="new",
        kind="theorem",
        hypotheses=("d >= 1", "0 < eps <= 1", "0 < delta < 1", "||w|| <= 1"),
        predicates=weight_pruning.WIDTH_HYPOTHESES,
        checks=(Check("asymptotics", check_width_asymptotics), Check("formula_split", check_formula_split)),
        corroborations=(Check("width_numbers", check_width_numbers, "instance check at 3 points"),),
        proof_uses=("gap.upper.rss_lemma", "gap.upper.product_mixture", "gap.upper.construction"),
        proof=f"{DOC}#width", tags=("weight-pruning",),
    ),
    Claim(
        id="gap.upper.width_gaussian",
        title="Weight pruning in Theorem B's model (u ~ N(0, I_d), v ~ U[-1, 1]) reaches eps with width 2d(T1+T2)",
        statement=(r"$u_i\sim N(0,I_d)$, $v_i\sim U[-1,1]$, output ReLU, $\|w\|\le1$, $0<\varepsilon\le1$, $0<\delta<1$, "
                   r"admissible RSS parameters $(\mu,\theta,\lambda)$, $K=\min\{k:(1+\theta)^{2k}\ge\mu^2d/\varepsilon^2\}$, "
                   r"$\beta=E_1(1/8)/(4\sqrt{2\pi})$, $p=\beta\frac{1/2-\mu/2-\theta}{1-\theta}$: if "
                   r"$4d[e^{\lambda K}(1-p(1-e^{-\lambda}))^{T_1}+(1-\beta\mu/2)^{T_2}]\le\delta$ then weight pruning of "
                   r"width $n=2d(T_1+T_2)$ reaches sup error $\le\varepsilon$ on $B^d$ with probability $\ge1-\delta$; the "
                   r"closed-form split $T_1=\lceil(\lambda K+\ln(8d/\delta))/r_1\rceil$, $T_2=\lceil\ln(8d/\delta)/r_2\rceil$ "
                   r"satisfies it."),
        source="new", kind="theorem",
        hypotheses=("d >= 1", "0 < eps <= 1", "0 < delta < 1", "||w|| <= 1", "u_i ~ N(0, I_d)", "v_i ~ U[-1, 1]"),
        predicates=weight_pruning.WIDTH_HYPOTHESES,
        checks=(Check("formula_split", check_formula_split, "sympy: each phase delta/2"),),
        corroborations=(Check("width_numbers", check_width_gaussian_numbers, "instance check at 3 points"),),
        proof_uses=("gap.upper.rss_lemma_general", "gap.upper.product_mixture_gaussian", "gap.upper.construction"),
        proof=f"{DOC}#width-in-theorem-bs-model", seed="001", tags=("weight-pruning",),
    ),
    Claim(
        id="gap.upper.empirical_width",
        title="Measured: the construction succeeds at width 64 (d = 2, eps = 0.1)",
        statement=r"$P(\text{success} \mid d=2, n=64, \varepsilon=0.1)$ bounded below by Clopper-Pearson.",
        source="new", kind="corollary",
        checks=(Check("monte_carlo", check_empirical_width),),
        tags=("weight-pruning",),
    ),
    Claim(
        id="gap.upper.separation_half",
        title="Separation: sup_B |relu(<w,x>) - relu(<w',x>)| >= ||w - w'||/2, sharp",
        statement=r"$\sup_{x\in B^d}|\sigma(\langle w,x\rangle)-\sigma(\langle w',x\rangle)|\ge \|w-w'\|_2/2$; equality for $w'=-w$.",
        source="literature: Pensia et al. 2020, Thm 2 (statement reconstructed for this project; checked)",
        kind="lemma",
        checks=(Check("relu_odd_ge", check_relu_odd_identity), Check("relu_odd_le", check_relu_odd_identity_rev)),
        corroborations=(Check("instances_and_sharpness", check_separation_instances),),
        proof=f"{DOC}#separation", seed="001", tags=("weight-pruning",),
    ),
    Claim(
        id="gap.upper.counting_lower",
        title="Counting lower bound: width >= (d log2(1/(4 eps)) + log2 p)/(d+1)",
        hypotheses=("d >= 1", "eps > 0", "0 < p <= 1"),
        predicates=counting.COUNTING_HYPOTHESES,
        statement=r"A network whose weight-prunings $\varepsilon$-approximate a fraction $p$ of a $4\varepsilon$-separated maximal set of targets has $n(d+1) \ge d\log_2(1/4\varepsilon)+\log_2 p$.",
        source="literature: Pensia et al. 2020, Thm 2 (statement reconstructed for this project)",
        kind="theorem",
        checks=(Check("counting_equivalence", check_counting_equivalence, "sympy, symbolic eps, d, p, n"),),
        corroborations=(Check("numbers", check_counting_numbers, "instance check at 3 points"),),
        proof_uses=("gap.upper.separation_half",),
        proof=f"{DOC}#counting", seed="001", tags=("weight-pruning",),
    ),
    Claim(
        id="gap.upper.paper_log_width",
        title="[seed 001] Weight pruning succeeds with O(log(1/eps)) hidden units (fixed d)",
        statement=r"For fixed $d$ and $\delta$, width $O(\log(1/\varepsilon))$ suffices for weight pruning of a random Model-B network to $\varepsilon$-approximate $\sigma(\langle w,x\rangle)$.",
        source="seed 001: Ferré, Giroire, Mallmann-Trenn, Natale 2026, abstract",
        kind="theorem",
        checks=(Check("asymptotics", check_width_asymptotics),),
        proof_uses=("gap.upper.width",),
        proof=f"{DOC}#paper-claim", seed="001", tags=("weight-pruning",),
    ),
    Claim(
        id="gap.upper.log_optimal",
        title="[seed 001] Logarithmic width is necessary for weight pruning to serve every target (each realisation of the network)",
        statement=(r"For every realisation of the network (random or not): if its weight prunings $\varepsilon$-approximate "
                   r"$\sigma(\langle w,\cdot\rangle)$ for every $w$ in the unit ball, then "
                   r"$n \ge \frac{d}{d+1}\log_2\frac{1}{4\varepsilon} = \Omega(\log(1/\varepsilon))$. (Weakened to what is "
                   r"proved: the averaging step from a per-target success probability $p$ to one realisation serving a "
                   r"fraction $p$ of the packing is not registered.)"),
        source="seed 001: Ferré et al. 2026, abstract (optimality of the log), after Pensia et al. 2020",
        kind="corollary",
        checks=(Check("p_equals_1", check_counting_equivalence, "sympy: the bound at p = 1, d/(d+1) >= 1/2"),),
        corroborations=(Check("numbers", check_counting_numbers, "instance check at 3 points"),),
        proof_uses=("gap.upper.counting_lower",),
        proof=f"{DOC}#counting", seed="001", tags=("weight-pruning",),
    ),
]
