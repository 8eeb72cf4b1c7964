"""Seed 003 (Zhang, Zhang, Sun, Liu, NeurIPS 2024) and the convex geometry it rests on:
statistical dimension, the approximate kinematic formula, Gordon's constant, the pruning-ratio
threshold.  Written arguments: docs/fundamental-limit.md."""
from __future__ import annotations

import time
from fractions import Fraction

from prunecert.checks.levels import Level
from prunecert.checks.result import CheckResult
from prunecert.proofs.registry import Check, Claim

DOC = "docs/fundamental-limit.md"
ALMT = "literature: Amelunxen, Lotz, McCoy, Tropp, 'Living on the edge', Inf. Inference 2014"
SEED = "seed 003: Zhang, Zhang, Sun, Liu, NeurIPS 2024 (abstract / authors' code)"


def _res(ok, method, t0, detail, level_ok=Level.PROVED, fail=Level.UNKNOWN, data=None, witness=None):
    return CheckResult(level_ok if ok else fail, method, time.perf_counter() - t0, detail,
                       data=data or {}, witness=witness)


# --------------------------------------------------------------------------- statdim checks
def check_half_gaussian_second_moment() -> CheckResult:
    """E max(g,0)^2 = 1/2 and E g^2 = 1 for g ~ N(0,1) (sympy integrals)."""
    import sympy as sp

    t0 = time.perf_counter()
    x = sp.Symbol("x", real=True)
    phi = sp.exp(-x**2 / 2) / sp.sqrt(2 * sp.pi)
    half = sp.integrate(x**2 * phi, (x, 0, sp.oo))
    full = sp.integrate(x**2 * phi, (x, -sp.oo, sp.oo))
    ok = sp.simplify(half - sp.Rational(1, 2)) == 0 and sp.simplify(full - 1) == 0
    return _res(ok, "sympy-integrate", t0, "E (g)_+^2 = 1/2, E g^2 = 1")


def check_orthant_volumes_symbolic() -> CheckResult:
    """sum_k C(d,k) = 2^d, sum_k k C(d,k) = d 2^(d-1) for symbolic d (sympy summation)."""
    import sympy as sp

    t0 = time.perf_counter()
    d = sp.Symbol("d", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    s0 = sp.simplify(sp.summation(sp.binomial(d, k), (k, 0, d)) - 2**d)
    s1 = sp.simplify(sp.summation(k * sp.binomial(d, k), (k, 0, d)) - d * 2 ** (d - 1))
    ok = s0 == 0 and s1 == 0
    return _res(ok, "sympy-summation", t0, "sum v_k = 1 and sum k v_k = d/2 for v_k = C(d,k)/2^d")


def check_orthant_exact_instances() -> CheckResult:
    from prunecert.bounds.limit.statdim import orthant, orthant_intrinsic_volumes, statdim_from_volumes

    t0 = time.perf_counter()
    for d in range(1, 81):
        v = orthant_intrinsic_volumes(d)
        if not (sum(v) == 1 and sum(v[0::2]) == sum(v[1::2]) == Fraction(1, 2)
                and statdim_from_volumes(v) == orthant(d) == Fraction(d, 2)):
            return _res(False, "exact", t0, f"identity fails at d={d}", fail=Level.REFUTED, witness={"d": d})
    return _res(True, "exact", t0, "d = 1..80: sum v = 1, half sums 1/2, sum k v_k = d/2", level_ok=Level.CHECKED)


def _mc(project, d, value, seed, n=8000, sq_dist=None):
    from prunecert.checks.statistics.montecarlo import statdim_mc

    t0 = time.perf_counter()
    est = statdim_mc(project, d, n=n, seed=seed, sq_dist=sq_dist)
    ok = est.contains(float(value))
    return CheckResult(Level.EVIDENCE if ok else Level.REFUTED, "monte-carlo (99% CLT CI)",
                       time.perf_counter() - t0,
                       f"estimate {est.mean:.4f} in [{est.lo:.4f}, {est.hi:.4f}] vs closed form {float(value):.6f}",
                       data=est.to_json())


def mc_orthant() -> CheckResult:
    from prunecert.bounds.limit import cone_projection as cp

    return _mc(cp.orthant, 16, 8, seed=301)


def mc_subspace() -> CheckResult:
    from prunecert.bounds.limit import cone_projection as cp

    return _mc(cp.subspace(5), 12, 5, seed=302)


def mc_psd() -> CheckResult:
    from prunecert.bounds.limit import cone_projection as cp

    return _mc(cp.psd(4), 10, 5, seed=303)


def mc_circular() -> CheckResult:
    from prunecert.bounds.limit.statdim import circular
    from prunecert.bounds.limit import cone_projection as cp

    return _mc(cp.circular(0.5), 12, float(circular(12, "0.5").mid()), seed=304)


def mc_l1() -> CheckResult:
    """The Monte Carlo estimate of delta(D) must lie within the certified ALMT bounds (else REFUTED)."""
    import numpy as np

    from prunecert.bounds.limit.statdim import l1_descent_bounds
    from prunecert.bounds.limit import cone_projection as cp
    from prunecert.checks.statistics.montecarlo import statdim_mc

    t0 = time.perf_counter()
    d, s = 50, 5
    lo, hi, _ = l1_descent_bounds(d, s)
    sg = np.zeros(d)
    sg[:s] = 1
    est = statdim_mc(None, d, n=3000, seed=305, sq_dist=cp.l1_normal_dist2(sg))
    ok = float(lo) <= est.hi and est.lo <= float(hi)
    return CheckResult(Level.EVIDENCE if ok else Level.REFUTED, "monte-carlo (99% CLT CI)", time.perf_counter() - t0,
                       f"d={d}, s={s}: estimate [{est.lo:.3f}, {est.hi:.3f}] vs bounds [{float(lo):.3f}, {float(hi):.3f}]",
                       data=est.to_json())


def mc_polarity() -> CheckResult:
    """delta(C) + delta(C°) = d on a circular cone (Monte Carlo of both, same draws)."""
    import numpy as np

    from prunecert.bounds.limit import cone_projection as cp
    from prunecert.checks.statistics.montecarlo import mean_ci

    t0 = time.perf_counter()
    d = 9
    G = np.random.default_rng(306).standard_normal((8000, d))
    P = cp.circular(0.7)(G)
    Q = cp.polar(cp.circular(0.7))(G)
    est = mean_ci(np.einsum("ij,ij->i", P, P) + np.einsum("ij,ij->i", Q, Q), seed=306)
    ok = est.contains(d)
    return CheckResult(Level.EVIDENCE if ok else Level.REFUTED, "monte-carlo (99% CLT CI)", time.perf_counter() - t0,
                       f"E(|P_C g|^2 + |P_C° g|^2) in [{est.lo:.3f}, {est.hi:.3f}] vs d = {d}", data=est.to_json())


CIRC_INSTANCES = ((2, "0.3"), (3, "1.1"), (5, "pi/4"), (10, "0.3"), (10, "pi/3"), (30, "1.4"), (30, "pi/2"))


def check_circular_two_routes() -> CheckResult:
    """On each instance: the intrinsic-volume sum (sum v = 1, even/odd sums 1/2) and the rigorous
    integral of E|P_C g|^2 (acb.integral) give overlapping enclosures of width < 1e-25."""
    from prunecert.bounds.limit.statdim import circular_by_integral, circular_intrinsic_volumes, statdim_from_volumes
    from prunecert.checks.rigorous.arith import workprec

    t0 = time.perf_counter()
    widths = []
    with workprec(128):
        for d, a in CIRC_INSTANCES:
            v = circular_intrinsic_volumes(d, a)
            x = statdim_from_volumes(v)
            y = circular_by_integral(d, a)
            ok_ids = (sum(v) - 1).contains(0) and (sum(v[0::2]) - sum(v[1::2])).contains(0) and abs(sum(v) - 1) < 1e-30
            overlap = (x - y).contains(0)
            tight = x.rad() < 1e-25 and y.rad() < 1e-25
            if not (ok_ids and overlap and tight):
                fail = Level.REFUTED if (not overlap and tight) or (tight and not ok_ids) else Level.UNKNOWN
                return _res(False, "arb+acb.integral", t0, f"instance d={d}, alpha={a}: ids {ok_ids}, overlap {overlap}",
                            fail=fail, witness={"d": d, "alpha": a})
            widths.append(float(x.rad()) + float(y.rad()))
    return _res(True, "arb+acb.integral", t0,
                f"{len(CIRC_INSTANCES)} instances: intrinsic-volume sum = rigorous integral (to < 1e-25)",
                level_ok=Level.CHECKED, data={"instances": [list(i) for i in CIRC_INSTANCES], "max_width": max(widths)})


def check_psi_convexity() -> CheckResult:
    """F_rho'' = 2 rho + 2 (1 - rho) erfc(tau/sqrt 2) and F_rho'(0) = -2 (1 - rho) sqrt(2/pi) (sympy)."""
    import sympy as sp

    from prunecert.bounds.limit.statdim import F_expr

    t0 = time.perf_counter()
    t, r = sp.symbols("tau rho", positive=True)
    F = F_expr(t, r)
    r1 = sp.simplify(sp.diff(F, t, 2) - (2 * r + 2 * (1 - r) * sp.erfc(t / sp.sqrt(2))))
    r2 = sp.simplify(sp.diff(F, t).subs(t, 0) + 2 * (1 - r) * sp.sqrt(2 / sp.pi))
    # lower bound used for the bracket: F' >= 2 rho tau - 2 (1-rho) sqrt(2/pi) on tau >= 0
    Fp = sp.diff(F, t)
    rest = sp.simplify(Fp - (2 * r * t + (1 - r) * (2 * t * sp.erfc(t / sp.sqrt(2)) - 2 * sp.sqrt(2 / sp.pi) * sp.exp(-t**2 / 2))))
    ok = r1 == 0 and r2 == 0 and rest == 0
    return _res(ok, "sympy-derivative", t0, "F'' = 2rho + 2(1-rho)erfc(tau/sqrt2) > 0; F'(0) < 0" if ok else
                f"residuals {r1}, {r2}, {rest}")


PSI_RHOS = ("1/20", "1/10", "1/5", "1/2")


def check_psi_enclosures() -> CheckResult:
    """tau* isolated by bisection with certified signs of F'; psi enclosed to < 1e-30."""
    from prunecert.bounds.limit.statdim import psi

    t0 = time.perf_counter()
    out = {}
    for rho in PSI_RHOS:
        e = psi(rho, prec=160)
        if not (e.psi_hi - e.psi_lo < Fraction(1, 10**30) and e.tau_hi - e.tau_lo < Fraction(1, 10**20)):
            return _res(False, "arb-bisection", t0, f"rho={rho}: enclosure too wide")
        out[rho] = {"tau": [float(e.tau_lo), float(e.tau_hi)], "psi": [str(float(e.psi_lo)), str(float(e.psi_hi))]}
    return _res(True, "arb-bisection", t0, f"psi and tau* certified for rho in {PSI_RHOS}", data=out)


# --------------------------------------------------------------------------- gordon / kinematic
def gordon_identity() -> CheckResult:
    from prunecert.bounds.limit.gordon import check_identity

    return check_identity()


def gordon_cs() -> CheckResult:
    from prunecert.bounds.limit.gordon import check_gamma_cauchy_schwarz

    return check_gamma_cauchy_schwarz()


def gordon_upper() -> CheckResult:
    from prunecert.bounds.limit.gordon import check_upper_reduction

    return check_upper_reduction()


def gordon_lower() -> CheckResult:
    from prunecert.bounds.limit.gordon import check_lower_reduction

    return check_lower_reduction()


def gordon_range() -> CheckResult:
    from prunecert.bounds.limit.gordon import check_range

    return check_range(2000)


def kinematic_orthant() -> CheckResult:
    from prunecert.bounds.limit.kinematic import check_orthant_instances

    return check_orthant_instances()


def wendel_mc() -> CheckResult:
    """LP feasibility per trial vs the exact probability (Clopper-Pearson 99%)."""
    import numpy as np

    from prunecert.bounds.limit.kinematic import wendel_orthant_probability
    from prunecert.bounds.limit.l1_recovery import orthant_nullspace_hits
    from prunecert.checks.statistics.montecarlo import clopper_pearson

    t0 = time.perf_counter()
    rows = []
    ok = True
    for d, m in ((10, 4), (14, 7)):
        rng = np.random.default_rng([307, d, m])
        n = 100
        k = sum(orthant_nullspace_hits(rng.standard_normal((m, d))) for _ in range(n))
        lo, hi = clopper_pearson(k, n, 0.99)
        P = float(wendel_orthant_probability(d, m))
        ok &= lo <= P <= hi
        rows.append({"d": d, "m": m, "hits": k, "trials": n, "ci99": [lo, hi], "exact": P})
    return CheckResult(Level.EVIDENCE if ok else Level.REFUTED, "LP monte-carlo + Clopper-Pearson",
                       time.perf_counter() - t0, "exact probability inside the 99% CI" if ok else "outside CI",
                       data={"rows": rows})


def l1_transition_fast() -> CheckResult:
    """d=100, s=10: success of l1 recovery at m = round(d psi) -+ 8 (40 trials each), 99% Clopper-Pearson:
    below 1/2 at the lower point and above 1/2 at the upper point."""
    from prunecert.bounds.limit.statdim import psi
    from prunecert.bounds.limit.l1_recovery import success_curve

    t0 = time.perf_counter()
    d, s = 100, 10
    c = float(d * psi(Fraction(s, d)).psi_hi)
    m1, m2 = round(c) - 8, round(c) + 8
    pts = success_curve(d, s, [m1, m2], 40, seed=308)
    ok = pts[0].ci_hi < 0.5 < pts[1].ci_lo
    contra = pts[0].ci_lo > 0.5 or pts[1].ci_hi < 0.5
    return CheckResult(Level.EVIDENCE if ok else (Level.REFUTED if contra else Level.UNKNOWN),
                       "LP monte-carlo + Clopper-Pearson", time.perf_counter() - t0,
                       f"d psi = {c:.3f}; success {pts[0].successes}/40 at m={m1}, {pts[1].successes}/40 at m={m2}",
                       data={"points": [p.to_json() for p in pts], "d_psi": c})


def l1_transition_full() -> CheckResult:
    """The full experiment (docs figure): d=100, s in {5,10,20}; 50% crossing within a_eta sqrt d of d psi."""
    from prunecert.bounds.limit.limit_experiments import phase_transition_experiment

    t0 = time.perf_counter()
    res = phase_transition_experiment(trials=30, seed=0)
    ok = all(r["within_window"] for r in res["rows"])
    return CheckResult(Level.EVIDENCE if ok else Level.REFUTED, "LP monte-carlo", time.perf_counter() - t0,
                       "; ".join(f"s={r['s']}: crossing {r['crossing']:.2f} vs d psi {r['d_psi']:.2f}" for r in res["rows"]),
                       data=res)


# --------------------------------------------------------------------------- pruning threshold
def limit_monotonicity() -> CheckResult:
    from prunecert.bounds.limit.pruning_threshold import check_monotonicity

    return check_monotonicity()


def limit_jensen() -> CheckResult:
    from prunecert.bounds.limit.pruning_threshold import check_jensen

    return check_jensen()


def limit_endpoints() -> CheckResult:
    """Each term is 1 at R = 0 and lies in (0, 1]: 1 - term = R^2 lam/(2 eps + R^2 lam) has a manifest sign."""
    import sympy as sp

    from prunecert.bounds.limit.pruning_threshold import manifest_sign, term_expr

    t0 = time.perf_counter()
    T = term_expr()
    R = [s for s in T.free_symbols if s.name == "R"][0]
    at0 = sp.simplify(T.subs(R, 0)) == 1
    one_minus = sp.factor(sp.together(1 - T))
    ok = at0 and manifest_sign(one_minus) == 1 and manifest_sign(sp.factor(T)) == 1
    return _res(ok, "sympy+manifest-sign", t0, "G(0) = 1 and 0 <= G <= 1" if ok else f"1-term = {one_minus}")


def limit_instances() -> CheckResult:
    from prunecert.bounds.limit.pruning_threshold import check_unique_crossing_instances

    return check_unique_crossing_instances(8, seed=309)


# --------------------------------------------------------------------------- claims
CLAIMS = [
    Claim(
        id="statdim.polarity", title="delta(C) + delta(C°) = d",
        statement=r"For every closed convex cone $C\subseteq\mathbb R^d$: $\delta(C)+\delta(C^\circ)=d$.",
        source=ALMT + ", Prop. 3.1 (Moreau decomposition)", kind="lemma",
        corroborations=(Check("mc-circular-polarity", mc_polarity, "Monte Carlo on Circ_9(0.7)"),),
        sketch="Moreau: $g=\\Pi_C g+\\Pi_{C^\\circ}g$ with orthogonal parts; take $\\mathbb E\\|\\cdot\\|^2$.",
        seed="003", tags=("statdim",)),
    Claim(
        id="statdim.orthant", title="Statistical dimension of the orthant",
        statement=r"$\delta(\mathbb R^d_+)=d/2$ for every $d\ge1$; $v_k(\mathbb R^d_+)=\binom dk2^{-d}$ sum to 1 with $\sum_k k v_k=d/2$.",
        source="new", kind="lemma",
        checks=(Check("half-gaussian-moment", check_half_gaussian_second_moment),
                Check("orthant-volume-sums", check_orthant_volumes_symbolic)),
        corroborations=(Check("exact-d-1..80", check_orthant_exact_instances),
                        Check("monte-carlo", mc_orthant, "99% CI, d = 16")),
        proof=DOC + "#orthant-subspace-self-dual", seed="003", tags=("statdim",)),
    Claim(
        id="statdim.subspace", title="Statistical dimension of a subspace",
        statement=r"$\delta(L)=k$ for a $k$-dimensional subspace $L$.",
        source="new", kind="lemma",
        checks=(Check("gaussian-moment", check_half_gaussian_second_moment),),
        corroborations=(Check("monte-carlo", mc_subspace, "99% CI, k = 5, d = 12"),),
        proof=DOC + "#orthant-subspace-self-dual", seed="003", tags=("statdim",)),
    Claim(
        id="statdim.self_dual", title="Self-dual cones have delta = d/2",
        statement=r"If $C^\circ=-C$ then $\delta(C)=d/2$ (orthant, Lorentz cone $\mathrm{Circ}_d(\pi/4)$, PSD cone).",
        source="new", kind="corollary",
        checks=(Check("gaussian-moment", check_half_gaussian_second_moment),),
        corroborations=(Check("monte-carlo-psd", mc_psd, "PSD 4x4, d = 10"),),
        proof_uses=("statdim.polarity",), proof=DOC + "#orthant-subspace-self-dual", seed="003", tags=("statdim",)),
    Claim(
        id="statdim.circular_volumes", title="Intrinsic volumes of circular cones",
        statement=r"For $d\ge2$, $0<\alpha\le\pi/2$: $v_k(\mathrm{Circ}_d(\alpha))=\tfrac12\binom{(d-2)/2}{(k-1)/2}\sin^{k-1}\alpha\cos^{d-k-1}\alpha$ ($1\le k\le d-1$), $v_d=\tfrac12 I_{\sin^2\alpha}(\tfrac{d-1}2,\tfrac12)$, $v_0=\tfrac12 I_{\cos^2\alpha}(\tfrac{d-1}2,\tfrac12)$.",
        source=ALMT + ", Sec. 4 / Amelunxen thesis (interior volumes)", kind="lemma",
        corroborations=(Check("two-routes", check_circular_two_routes,
                              "intrinsic-volume sum vs rigorous integral on instances"),),
        seed="003", tags=("statdim",)),
    Claim(
        id="statdim.circular", title="Statistical dimension of circular cones (two certified routes)",
        statement=r"On the stated instances $(d,\alpha)$: $\sum_k k\,v_k(\mathrm{Circ}_d(\alpha))$ (with $\sum v_k=1$, even and odd sums $1/2$) equals the rigorous integral $d\,\frac{\int_0^\alpha\sin^{d-2}+\int_\alpha^{\alpha+\pi/2}\cos^2(\theta-\alpha)\sin^{d-2}\theta\,d\theta}{\int_0^\pi\sin^{d-2}}=\mathbb E\|\Pi_C g\|^2$ to $10^{-25}$.",
        source="new", kind="lemma",
        checks=(Check("two-routes", check_circular_two_routes),),
        corroborations=(Check("monte-carlo", mc_circular, "Circ_12(0.5)"),),
        sketch="A computation on instances: it tests the literature formula (statdim.circular_volumes) against the projection.",
        seed="003", tags=("statdim",)),
    Claim(
        id="statdim.psi_enclosure", title="psi(rho): unique optimal tau*, certified enclosures",
        statement=r"For $0<\rho<1$, $F_\rho(\tau)=\rho(1+\tau^2)+(1-\rho)J(\tau)$ is strictly convex on $[0,\infty)$ with a unique minimiser $\tau^*>0$ (root of $F_\rho'$); for $\rho\in\{1/20,1/10,1/5,1/2\}$ the package's enclosures of $\tau^*$ and $\psi(\rho)=F_\rho(\tau^*)$ are correct.",
        source="new", kind="lemma",
        checks=(Check("convexity", check_psi_convexity), Check("enclosures", check_psi_enclosures)),
        proof=DOC + "#l1-descent-cone", seed="003", tags=("statdim",)),
    Claim(
        id="statdim.l1_descent_bounds", title="ALMT bounds for the l1 descent cone",
        statement=r"For $x\in\mathbb R^d$ with $s\ge1$ nonzeros: $\psi(s/d)-2/\sqrt{sd}\le\delta(\mathcal D(\|\cdot\|_1,x))/d\le\psi(s/d)$.",
        source=ALMT + ", Prop. 4.5", kind="theorem",
        corroborations=(Check("monte-carlo", mc_l1, "d = 50, s = 5"),),
        uses=("statdim.psi_enclosure",), seed="003", tags=("statdim",)),
    Claim(
        id="statdim.gordon_am_bounds", title="Gordon's a_m: m/sqrt(m+1) <= a_m <= sqrt(m) for all m >= 1",
        statement=r"$a_m=\sqrt2\,\Gamma(\tfrac{m+1}2)/\Gamma(\tfrac m2)$ satisfies $a_m a_{m+1}=m$ and $\frac{m}{\sqrt{m+1}}\le a_m\le\sqrt m$ for every integer $m\ge1$.",
        source="new", kind="lemma",
        checks=(Check("G1-identity", gordon_identity), Check("G2-gamma-cauchy-schwarz", gordon_cs),
                Check("G3-upper", gordon_upper), Check("G4-lower", gordon_lower)),
        corroborations=(Check("arb-m-1..2000", gordon_range),),
        proof=DOC + "#gordon-am-bounds", seed="003", tags=("statdim", "gordon")),
    Claim(
        id="statdim.kinematic_formula", title="Approximate kinematic formula",
        statement=r"$\delta(C)+\delta(K)\le d-a_\eta\sqrt d\Rightarrow P(C\cap QK\ne\{0\})\le\eta$; $\ge d+a_\eta\sqrt d\Rightarrow\ge1-\eta$; $a_\eta=\sqrt{8\log(4/\eta)}$.",
        source=ALMT + ", Theorem I", kind="theorem", seed="003", tags=("statdim", "kinematic")),
    Claim(
        id="statdim.wendel", title="Orthant vs random subspace: exact probability (Wendel / Crofton)",
        statement=r"For a uniformly random subspace $L$ of codimension $m$: $P(\mathbb R^d_+\cap L\ne\{0\})=2^{-(d-1)}\sum_{k=m}^{d-1}\binom{d-1}k$.",
        source="literature: Wendel 1962; conic Crofton formula (ALMT Fact 2.1)", kind="lemma",
        corroborations=(Check("lp-monte-carlo", wendel_mc),), seed="003", tags=("kinematic",)),
    Claim(
        id="statdim.kinematic_orthant_exact", title="Kinematic formula against exact orthant probabilities",
        statement=r"For $d\in\{1,2,3,10,50,200,400,800,1200\}$, every $0\le m\le d$ and $\eta\in\{0.5,0.1,0.01,0.001\}$: the Wendel numbers $P_W(d,m)$ equal the Crofton half-sums $2(v_{m+1}+v_{m+3}+\dots)(\mathbb R^d_+)$ ($d\le60$) and satisfy $m\ge d/2+a_\eta\sqrt d\Rightarrow P_W\le\eta$, $m\le d/2-a_\eta\sqrt d\Rightarrow P_W\ge1-\eta$.",
        source="new", kind="lemma",
        checks=(Check("exact-instances", kinematic_orthant),),
        sketch="With statdim.wendel, $P_W$ is the hitting probability, so this tests statdim.kinematic_formula exactly.",
        seed="003", tags=("kinematic",)),
    Claim(
        id="statdim.l1_phase_transition", title="l1 recovery: phase transition at d psi(s/d) (d=100, s=10)",
        statement=r"For $d=100$, $s=10$, Gaussian $A\in\mathbb R^{m\times d}$: the probability that $\ell_1$ minimisation recovers an $s$-sparse $x_0$ is $<1/2$ at $m=\mathrm{round}(d\psi)-8$ and $>1/2$ at $\mathrm{round}(d\psi)+8$ (so its 1/2-crossing lies within $a_\eta\sqrt d$ of $d\psi(s/d)$ for every $\eta\le1/2$).",
        source="new", kind="lemma",
        checks=(Check("fast-lp-trials", l1_transition_fast), ),
        corroborations=(Check("full-experiment", l1_transition_full, "d=100, s in {5,10,20}", slow=True),),
        uses=("statdim.psi_enclosure",), seed="003", tags=("statdim", "phase-transition")),
    Claim(
        id="limit.paper_phase_transition", title="Seed 003: the pruning limit is a sharp phase transition",
        statement=r"The largest pruning ratio a trained network tolerates is a sharp phase transition given by the statistical dimension (squared Gaussian width) of a set built from the $\ell_1$-regularised loss; it is governed by weight magnitude and loss sharpness, and the theoretical threshold coincides well with experiments.",
        source=SEED, kind="theorem", seed="003", tags=("limit",),
        sketch="Measured on small MLPs in docs/fundamental-limit.md (predicted vs actual table); not a check."),
    Claim(
        id="limit.threshold_monotonicity", title="Kept fraction 1 - G is monotone in R, |lambda_i|, eps",
        statement=r"Each term $r_i^2/(R^2+r_i^2)=2\varepsilon/(2\varepsilon+R^2|\lambda_i|)$ is nonincreasing in $R\ge0$ and $|\lambda_i|$ and nondecreasing in $\varepsilon>0$; so $1-\hat G(R)$ is nondecreasing in $R$ and each $|\lambda_i|$, nonincreasing in $\varepsilon$.",
        source="new", kind="lemma",
        checks=(Check("derivative-signs", limit_monotonicity),),
        proof=DOC + "#pruning-threshold", seed="003", tags=("limit",)),
    Claim(
        id="limit.jensen_trace_bound", title="Jensen trace bound for G",
        statement=r"$\hat G(R)\ge\dfrac{2\varepsilon}{2\varepsilon+R^2\bar\lambda}$, $\bar\lambda=\sum_i\rho_i|\lambda_i|/\sum_i\rho_i$ ($=\mathrm{tr}H/n$ for PSD $H$, $\rho_i=1$); hence the predicted threshold is at least the trace version's.",
        source="new", kind="lemma",
        checks=(Check("tangent-line-identity", limit_jensen),),
        proof=DOC + "#pruning-threshold", seed="003", tags=("limit",)),
    Claim(
        id="limit.threshold_unique_crossing", title="The predicted threshold is a unique crossing",
        statement=r"For any nondecreasing $R:[0,1]\to[0,\infty)$, $h(p)=\hat G(R(p))-p$ is strictly decreasing with $h(0)\ge0$ when $R(0)=0$; $\{p: h(p)\ge0\}=[0,p^*]$; for magnitude pruning $p^*$ is computed exactly (step function).",
        source="new", kind="lemma",
        checks=(Check("endpoints", limit_endpoints),),
        corroborations=(Check("exact-instances", limit_instances),),
        proof_uses=("limit.threshold_monotonicity",), proof=DOC + "#pruning-threshold", seed="003", tags=("limit",)),
]
