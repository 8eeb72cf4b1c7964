"""Seed 002 (Qian & Klabjan, ICML 2021): random and magnitude pruning — building blocks, the
package's own theorems with explicit widths, and the paper's abstract claims (CLAIMED)."""
from __future__ import annotations

import time

import sympy as sp

from prunecert.checks.levels import Level
from prunecert.checks.result import CheckResult
from prunecert.proofs.registry import Check, Claim

DOC = "docs/seed002-random-magnitude-pruning.md"


def _res(ok: bool, method: str, t0: float, detail: str = "", level_ok=Level.PROVED, data=None,
         witness=None, fail=Level.REFUTED) -> CheckResult:
    return CheckResult(level_ok if ok else fail, method, time.perf_counter() - t0, detail,
                       witness=witness, data=data or {})


# --------------------------------------------------------------------------- checks
def check_relu_lipschitz() -> CheckResult:
    from prunecert.bounds.random_magnitude.perturbation import relu_bounded, relu_lipschitz

    t0 = time.perf_counter()
    ok1, f1 = relu_lipschitz()
    ok2, f2 = relu_bounded()
    return _res(ok1 and ok2, "sympy-cone-cases", t0,
                "|relu(a)-relu(b)| <= |a-b| and |relu(t)| <= |t| on every ordering cone" if ok1 and ok2
                else f"undecided cones: {f1 + f2}", fail=Level.UNKNOWN)


def check_one_layer_identity() -> CheckResult:
    from prunecert.bounds.random_magnitude.perturbation import one_layer_identity

    t0 = time.perf_counter()
    ok = all(one_layer_identity(m, n) for m, n in ((1, 1), (2, 3), (3, 2)))
    return _res(ok, "sympy-identity", t0, "W x - W~ x~ = (W - W~) x + W~ (x - x~), symbolic 1x1, 2x3, 3x2")


def check_lagrange() -> CheckResult:
    """||A x||^2 <= ||A||_F^2 ||x||^2 for every size: Cauchy-Schwarz per row for a symbolic row length n
    (the discriminant argument, each step a sympy fact with n a Symbol), then the sum over m rows
    (symbolic m): sum_i R_i X = X sum_i R_i.  (Lagrange's identity for lengths 1..5 is a spot check.)"""
    from prunecert.bounds.random_magnitude.perturbation import lagrange_identity
    from prunecert.proofs.claims.gap_upper import cauchy_schwarz_parts

    t0 = time.perf_counter()
    cs = cauchy_schwarz_parts()
    m = sp.Symbol("m", integer=True, positive=True)
    i = sp.Symbol("i", integer=True)
    R = sp.IndexedBase("R", nonnegative=True)
    X = sp.Symbol("X", nonnegative=True)
    row_sum = sp.simplify(sp.Sum(R[i] * X, (i, 1, m)) - X * sp.Sum(R[i], (i, 1, m))) == 0
    spot = all(lagrange_identity(n) for n in range(1, 6))
    ok = cs["ok"] and row_sum and spot
    if not ok:
        return CheckResult(Level.UNKNOWN, "sympy-symbolic-sum", time.perf_counter() - t0,
                           f"not confirmed: {cs['parts']}, row_sum={row_sum}, spot={spot}")
    return _res(True, "sympy-symbolic-sum", t0, "Cauchy-Schwarz for symbolic row length n, summed over "
                "symbolic m rows; Lagrange identity spot-checked for lengths 1..5")


def check_induction() -> CheckResult:
    from prunecert.bounds.random_magnitude.perturbation import geometric_identity, induction_identity

    t0 = time.perf_counter()
    ok = all(induction_identity(L) for L in range(1, 5)) and geometric_identity(None) \
        and all(geometric_identity(L) for L in range(1, 5))
    return _res(ok, "sympy-identity", t0,
                "recursion unrolls to the closed form (L = 1..4); geometric form for symbolic L")


def check_fixed_network_prover() -> CheckResult:
    """Guard: a fixed 2-2-2 ReLU network, l_inf bound; by positive homogeneity it suffices to prove
    it on the boundary of [-1,1]^2 (four edges, one variable each) with the interval prover."""
    from prunecert.bounds.random_magnitude.perturbation import fixed_network_instance
    from prunecert.checks.inequality.prover import prove

    t0 = time.perf_counter()
    d = fixed_network_instance()
    x1, x2 = d["vars"]
    levels = []
    for sub, var in (({x1: 1}, "x2"), ({x1: -1}, "x2"), ({x2: 1}, "x1"), ({x2: -1}, "x1")):
        o = prove(d["lhs"].subs(sub), "<=", d["rhs"].subs(sub), {var: ("-1", "1")}, timeout=10)
        levels.append(o.status)
        if o.status is Level.REFUTED:
            return CheckResult(Level.REFUTED, "arb-bnb", time.perf_counter() - t0,
                               f"edge {sub}: bound violated", witness={k: str(v) for k, v in (o.witness or {}).items()})
    ok = all(lv is Level.PROVED for lv in levels)
    return _res(ok, "arb-bnb (4 edges) + homogeneity", t0, f"bound {d['bound']} on a fixed 2-2-2 net",
                fail=Level.UNKNOWN)


def check_fixed_network_smt() -> CheckResult:
    """The same fixed network over the whole box [-1,1]^2 by prunecert.checks.decide.smt.prove_forall (z3 + cvc5)."""
    t0 = time.perf_counter()
    try:
        from prunecert.checks.decide.smt import prove_forall
    except ImportError:
        return CheckResult(Level.UNKNOWN, "smt", time.perf_counter() - t0, "prunecert.checks.decide.smt not available yet")
    from prunecert.bounds.random_magnitude.perturbation import fixed_network_instance

    d = fixed_network_instance()
    return prove_forall(d["lhs"], "<=", d["rhs"], {"x1": ("-1", "1"), "x2": ("-1", "1")}, timeout=10.0)


def check_linf_search() -> CheckResult:
    from prunecert.bounds.random_magnitude.perturbation import linf_search_exact

    t0 = time.perf_counter()
    r = linf_search_exact(300, seed=2002)
    if r["violations"]:
        return CheckResult(Level.REFUTED, "exact-random-search", time.perf_counter() - t0,
                           "perturbation bound violated", witness=r["violations"][0])
    return _res(True, "exact-random-search", t0,
                f"300 random rational networks (depth <= 3, width <= 3), l_inf: no violation; "
                f"max error/bound = {r['max_ratio']:.3f}", level_ok=Level.CHECKED, data={"seed": 2002})


def check_moments() -> CheckResult:
    from prunecert.bounds.random_magnitude.magnitude import moments, moments_verified

    t0 = time.perf_counter()
    ok = moments_verified()
    return _res(ok, "sympy-integrate", t0, str({k: str(v) for k, v in moments().items()}))


def check_hoeffding_grid() -> CheckResult:
    from prunecert.bounds.random_magnitude.magnitude import hoeffding_exact_check

    t0 = time.perf_counter()
    ps = ["0", "1/10", "1/5", "3/10", "2/5", "1/2", "3/5", "7/10", "4/5", "9/10", "1"]
    us = ["1/20", "1/10", "1/5", "3/10", "1/2"]
    r = hoeffding_exact_check(range(1, 41), ps, us)
    if not r["ok"]:
        lv = Level.REFUTED if r["counterexample"].get("verdict") == "FALSE" else Level.UNKNOWN
        return CheckResult(lv, "exact-binomial+arb", time.perf_counter() - t0, "grid point failed",
                           witness=r["counterexample"])
    return _res(True, "exact-binomial+arb", t0,
                f"{r['cases']} cases: m = 1..40, p in {{0, 0.1, ..., 1}}, u in {{0.05, 0.1, 0.2, 0.3, 0.5}}; "
                f"max tail/bound {r['worst_ratio']:.3f}", level_ok=Level.CHECKED)


def check_exp_inequality() -> CheckResult:
    from prunecert.bounds.random_magnitude.matching import one_minus_le_exp

    t0 = time.perf_counter()
    r = one_minus_le_exp()
    return _res(r["ok"], "sympy-convexity", t0, "exp(-a) - 1 + a: f(0)=0, f'(0)=0, f''=exp(-a)>0",
                fail=Level.UNKNOWN)


def check_matching_instances() -> CheckResult:
    from prunecert.bounds.random_magnitude.matching import matching_check_instances

    t0 = time.perf_counter()
    cases = [(N, w, e, K, t) for N in (1, 7, 60) for w in ("1/2", "-1", "3/10") for e in ("1/10", "3/10")
             for K in ("2", "3") for t in ("0", "1/20", "1/10")]
    r = matching_check_instances(cases)
    return _res(r["ok"], "exact-fractions+arb", t0, f"{r.get('cases')} cases", level_ok=Level.CHECKED,
                witness=r.get("counterexample"))


def check_window_bound() -> CheckResult:
    from prunecert.bounds.random_magnitude.matching import window_lower_bound_proof

    t0 = time.perf_counter()
    r = window_lower_bound_proof()
    return _res(r["ok"], "sympy-cone-cases", t0, f"slack pieces {r['pieces']}", fail=Level.UNKNOWN)


def check_conv_decomposition() -> CheckResult:
    from prunecert.bounds.random_magnitude.random_pruning import conv_decomposition_identity

    t0 = time.perf_counter()
    return _res(conv_decomposition_identity(), "sympy-identity", t0,
                "T(k) = sum_s k_s S_s with partial-permutation shifts (1-D n=6 r=3 pad=1; 2-D 4x4, 2x2)")


def check_conv_psd() -> CheckResult:
    from prunecert.bounds.random_magnitude.random_pruning import conv_norm_instances

    t0 = time.perf_counter()
    r = conv_norm_instances(6, seed=2)
    return _res(r["ok"], "sympy-exact-psd", t0, f"{r.get('cases')} random rational kernels",
                level_ok=Level.CHECKED, witness=r.get("counterexample"))


def _grid_check(method: str) -> CheckResult:
    """Instance check (a corroboration of the theorems): the package's certified N on the 3 x 3
    (eps, delta) grid for target 4-8-8-2.  ``width_grid`` certifies, per grid point, that
    P((1 + eta_lo)^L - 1) <= eps and M exp(-q N) <= delta (it raises otherwise), so the numbers are
    decided on these 9 instances: CHECKED.  The theorem's general statement rests on its lemmas."""
    from prunecert.bounds.random_magnitude.random_pruning import width_grid

    t0 = time.perf_counter()
    rows = width_grid(method=method)
    table = {f"eps={r['eps']},delta={r['delta']}": r["N"] for r in rows}
    return _res(True, "arb-certified", t0,
                "instances: certified N per target weight on the 3 x 3 grid (dims 4-8-8-2, K=2, " +
                ("p=1/2" if method == "random" else "t=eta/2") + "): " + str(table), data={"grid": rows},
                level_ok=Level.CHECKED)


def check_union_bound() -> CheckResult:
    from prunecert.bounds.random_magnitude.random_pruning import union_bound_step

    t0 = time.perf_counter()
    r = union_bound_step()
    bad = [k for k, v in r["parts"].items() if not v]
    return _res(r["ok"], "sympy-identity+monotone", t0,
                "M exp(-q N0) = delta at N0 = log(M/delta)/q, d/dN M exp(-qN) < 0; rates p eta/K and "
                "(2 - tau) eta/(2K); width formulas = log(M/delta)/q" if r["ok"] else f"sympy did not confirm {bad}",
                fail=Level.UNKNOWN)


def check_grid_random() -> CheckResult:
    return _grid_check("random")


def check_grid_magnitude() -> CheckResult:
    return _grid_check("magnitude")


def _mc(method: str, grid_eps, grid_delta, trials: int) -> CheckResult:
    from prunecert.bounds.random_magnitude.random_pruning import required_width, simulate

    t0 = time.perf_counter()
    out = []
    for e in grid_eps:
        for d in grid_delta:
            r = simulate(required_width(e, d, method=method), trials, seed=7)
            out.append(r)
            if not r["ok"]:
                return CheckResult(Level.UNKNOWN, "monte-carlo+clopper-pearson", time.perf_counter() - t0,
                                   f"CP lower bound {r['cp95'][0]:.4f} < {r['required']} at eps={e}, delta={d}",
                                   data={"runs": out})
    lows = ", ".join(f"({r['eps']},{r['delta']}): {r['cp95'][0]:.4f}" for r in out)
    return CheckResult(Level.EVIDENCE, "monte-carlo+clopper-pearson", time.perf_counter() - t0,
                       f"{trials} trials per grid point, 95% CP lower bounds >= 1 - delta: {lows}",
                       data={"runs": out})


def check_mc_random() -> CheckResult:
    from prunecert.bounds.random_magnitude.random_pruning import GRID_DELTA, GRID_EPS

    return _mc("random", GRID_EPS, GRID_DELTA, 500)


def check_mc_magnitude() -> CheckResult:
    from prunecert.bounds.random_magnitude.random_pruning import GRID_DELTA, GRID_EPS

    return _mc("magnitude", GRID_EPS, GRID_DELTA, 500)


def check_mc_random_slow() -> CheckResult:
    from prunecert.bounds.random_magnitude.random_pruning import GRID_DELTA, GRID_EPS

    return _mc("random", GRID_EPS, GRID_DELTA, 5000)


# --------------------------------------------------------------------------- claims
_PERT = r"\|F(x)-\tilde F(x)\| \le \sum_{i=1}^L \Big(\prod_{j>i}\|\tilde W_j\|\Big)\|W_i-\tilde W_i\|\Big(\prod_{j<i}\|W_j\|\Big)\|x\|"

CLAIMS = [
    Claim(
        id="seed002.relu_lipschitz", kind="lemma", source="new", seed="002",
        title="ReLU is 1-Lipschitz and |relu(t)| <= |t|",
        statement=r"|\max(a,0)-\max(b,0)| \le |a-b| \text{ and } |\max(t,0)| \le |t| \text{ for all real } a,b,t",
        checks=(Check("cone-cases", check_relu_lipschitz, "exact proof on every ordering cone of (a, b, 0)"),),
        proof=f"{DOC}#perturbation", tags=("perturbation",)),
    Claim(
        id="seed002.perturbation.one_layer", kind="lemma", source="new", seed="002",
        title="One-layer perturbation step",
        statement=r"For 1-Lipschitz coordinatewise \sigma and a monotone norm: "
                  r"\|\sigma(Wx)-\sigma(\tilde W\tilde x)\| \le \|W-\tilde W\|\|x\| + \|\tilde W\|\|x-\tilde x\|",
        checks=(Check("one-layer-identity", check_one_layer_identity),),
        proof_uses=("seed002.relu_lipschitz",), proof=f"{DOC}#perturbation", tags=("perturbation",)),
    Claim(
        id="seed002.frobenius", kind="lemma", source="new", seed="002",
        title="Spectral norm at most Frobenius norm (also for block matrices of block norms)",
        statement=r"\|Ax\|_2 \le \|A\|_F\|x\|_2; \; \|[T_{oc}]\|_2 \le \|(\|T_{oc}\|_2)_{oc}\|_F",
        checks=(Check("cauchy-schwarz-every-size", check_lagrange),),
        prose_steps=("block form: ||sum_c T_oc x_c|| <= sum_c ||T_oc|| ||x_c|| (triangle inequality of the norm)",),
        proof=f"{DOC}#frobenius", tags=("perturbation",)),
    Claim(
        id="seed002.perturbation", kind="theorem", source="new", seed="002",
        title="Layer-wise perturbation bound (1-Lipschitz activations, sigma(0) = 0)",
        statement=_PERT + r" \text{ for all } x, \text{ any } \ell_p \text{ norm and its operator norm}",
        checks=(Check("induction-identity", check_induction),),
        corroborations=(Check("fixed-net-prover", check_fixed_network_prover, "fixed 2-2-2 net, l_inf, interval prover",
                              slow=True),
                        Check("fixed-net-smt", check_fixed_network_smt, "same net via prunecert.checks.decide.smt (z3+cvc5)"),
                        Check("exact-search", check_linf_search, "300 random exact networks")),
        proof_uses=("seed002.perturbation.one_layer", "seed002.relu_lipschitz"),
        proof=f"{DOC}#perturbation", tags=("perturbation",)),
    Claim(
        id="seed002.magnitude.moments", kind="lemma", source="new", seed="002",
        title="Magnitude-pruning moments of Uniform[-K, K] weights",
        statement=r"w\sim U[-K,K],\ 0\le t\le K:\ P(|w|\le t)=t/K,\ E[w^2 1\{|w|\le t\}]=t^3/(3K)",
        checks=(Check("sympy-integrals", check_moments),), proof=f"{DOC}#magnitude", tags=("magnitude",)),
    Claim(
        id="seed002.magnitude.hoeffding", kind="lemma",
        source="literature: Hoeffding, J. Amer. Statist. Assoc. 58 (1963), Thm. 1-2", seed="002",
        title="Hoeffding bound on the pruned fraction (checked exactly on a grid)",
        statement=r"frac=\frac1m\#\{i:|w_i|\le t\}:\ P(|frac-t/K|\ge u)\le 2e^{-2mu^2};"
                  r" \text{decided exactly for } m\le 40 \text{ on a grid of } (p,u)",
        checks=(Check("exact-binomial-grid", check_hoeffding_grid),),
        uses=("seed002.magnitude.moments",), tags=("magnitude",)),
    Claim(
        id="seed002.matching", kind="lemma", source="new", seed="002",
        title="Nearest-sample matching probability",
        statement=r"c_1..c_N \text{ i.i.d. with density} \ge p_0 \text{ on } [w-\eta,w+\eta]:\ "
                  r"P(\min_a|c_a-w|>\eta)\le(1-2\eta p_0)^N\le e^{-2\eta p_0 N}",
        checks=(Check("1-a<=exp(-a)", check_exp_inequality),),
        corroborations=(Check("exact-instances", check_matching_instances),),
        proof=f"{DOC}#matching", tags=("matching",)),
    Claim(
        id="seed002.matching.window", kind="lemma", source="new", seed="002",
        title="Window mass after magnitude pruning",
        statement=r"\eta\le|w|,\ |w|+\eta\le K,\ 0\le t\le\eta,\ c\sim U[-K,K]:\ "
                  r"P(|c-w|\le\eta,\ |c|>t)\ge(2\eta-t)/(2K)",
        checks=(Check("cone-cases", check_window_bound),), proof=f"{DOC}#matching", tags=("matching",)),
    Claim(
        id="seed002.conv.operator_norm", kind="lemma", source="new", seed="002",
        title="Convolution operator norm at most the kernel's l1 norm (Young)",
        statement=r"\|T(k)\|_{2\to2}\le\|k\|_1 \text{ (stride 1, zero padding, 1-D/2-D)}; "
                  r"\text{multi-channel: } \|[T(k_{oc})]\|_2\le\|(\|k_{oc}\|_1)\|_F",
        checks=(Check("shift-decomposition", check_conv_decomposition),),
        corroborations=(Check("exact-psd-instances", check_conv_psd),),
        proof_uses=("seed002.frobenius",), proof=f"{DOC}#conv", tags=("conv",)),
    Claim(
        id="seed002.union_bound", kind="lemma", source="new", seed="002",
        title="Width step: N >= log(M/delta)/q makes the union bound over M bundles at most delta",
        statement=r"q,M,\delta>0:\ N\ge\frac{\log(M/\delta)}{q}\Rightarrow M e^{-qN}\le\delta;\ "
                  r"q=\frac{p\eta}{K}\text{ (random)},\ q=\frac{(2-\tau)\eta}{2K}\text{ (magnitude) give the "
                  r"theorems' widths}",
        checks=(Check("sympy-width-step", check_union_bound,
                      "value at N0, monotone in N, per-candidate rates, width formulas (symbolic)"),),
        proof=f"{DOC}#union-bound", tags=("theorem",)),
    Claim(
        id="seed002.theorem.random", kind="theorem", source="new", seed="002",
        title="Random pruning of an N-candidate network contains an eps-close subnetwork (explicit N)",
        statement=r"N\ge \frac{K\log(M/\delta)}{p\,\eta},\ \eta=(1+\varepsilon/P)^{1/L}-1 \Rightarrow "
                  r"P(\exists \text{ subnetwork of the randomly pruned } G_N:\ \sup_{\|x\|_2\le1}\|F-\tilde F\|_2\le\varepsilon)\ge1-\delta",
        hypotheses=("target weights in [-1,1]", "candidates i.i.d. Uniform[-K,K], K>=2", "keep probability p",
                    "FC: P = prod sqrt(d_i d_{i-1}), M = sum d_i d_{i-1}; conv: c_i = r_i sqrt(C_in C_out), M_i = r_i C_in C_out",
                    "0 < eps <= P, 0 < delta < 1"),
        corroborations=(Check("certified-grid-instances", check_grid_random,
                              "instance check: certified N on the 3 x 3 (eps, delta) grid"),
                        Check("monte-carlo-grid-5000", check_mc_random_slow, "5000 trials per grid point", slow=True)),
        proof_uses=("seed002.perturbation", "seed002.matching", "seed002.matching.window", "seed002.frobenius",
                    "seed002.conv.operator_norm", "seed002.union_bound"),
        proof=f"{DOC}#theorems", tags=("theorem",)),
    Claim(
        id="seed002.theorem.magnitude", kind="theorem", source="new", seed="002",
        title="Magnitude pruning (threshold t = tau*eta) of an N-candidate network contains an eps-close subnetwork",
        statement=r"N\ge \frac{2K\log(M/\delta)}{(2-\tau)\eta} \Rightarrow "
                  r"P(\exists \text{ subnetwork of the magnitude-pruned } G_N:\ \sup_{\|x\|_2\le1}\|F-\tilde F\|_2\le\varepsilon)\ge1-\delta",
        hypotheses=("as seed002.theorem.random, with every candidate |c| <= t = tau*eta removed, 0 <= tau <= 1",),
        corroborations=(Check("certified-grid-instances", check_grid_magnitude,
                              "instance check: certified N on the 3 x 3 (eps, delta) grid"),),
        proof_uses=("seed002.perturbation", "seed002.matching", "seed002.matching.window", "seed002.frobenius",
                    "seed002.conv.operator_norm", "seed002.union_bound"),
        proof=f"{DOC}#theorems", tags=("theorem",)),
    Claim(
        id="seed002.theorem.magnitude.sparsity", kind="corollary", source="new", seed="002",
        title="Sparsity of the magnitude-pruned network",
        statement=r"P(|\text{removed fraction}-t/K|\ge u)\le 2e^{-2NMu^2};\ "
                  r"E[\text{removed squared mass}]=NMt^3/(3K)",
        uses=("seed002.theorem.magnitude",),
        proof_uses=("seed002.magnitude.moments", "seed002.magnitude.hoeffding"),
        checks=(Check("sympy-integrals", check_moments),),
        proof=f"{DOC}#theorems", tags=("theorem",)),
    Claim(
        id="seed002.mc.acceptance", kind="lemma", source="new", seed="002",
        title="Monte Carlo at the proved widths: CP lower bounds above 1 - delta on the grid",
        statement=r"\text{for every } (\varepsilon,\delta)\in\{0.1,0.05,0.01\}^2: "
                  r"\text{95\% Clopper-Pearson lower bound of the success rate} \ge 1-\delta",
        checks=(Check("mc-random", check_mc_random), Check("mc-magnitude", check_mc_magnitude)),
        uses=("seed002.theorem.random", "seed002.theorem.magnitude"), tags=("monte-carlo",)),
    Claim(
        id="seed002.paper.fcn", kind="theorem", seed="002",
        source="seed 002: Qian & Klabjan, ICML 2021 (arXiv 2105.10065), abstract",
        title="Random and magnitude pruning of FCNs: pruned networks within any bound of a random target exist",
        statement=r"\text{Given a target FCN with independently sampled weights, random and magnitude-based pruning of a "
                  r"larger network yield, with high probability, a pruned network within any specified bound of the target.}",
        sketch="Covered by the package only in its own setting (seed002.theorem.random/magnitude): N candidates "
               "per target weight, target weights in [-1,1], Frobenius-based norms. Not covered: the paper's "
               "actual architecture of the larger network, its width constants and its distributions.",
        uses=("seed002.theorem.random", "seed002.theorem.magnitude"), tags=("paper",)),
    Claim(
        id="seed002.paper.cnn", kind="theorem", seed="002",
        source="seed 002: Qian & Klabjan, ICML 2021 (arXiv 2105.10065), abstract",
        title="Random pruning of CNNs: pruned networks within any bound of a random target exist",
        statement=r"\text{The same conclusion for convolutional networks.}",
        sketch="The package's theorem covers conv layers as structured matrices (kernel entries matched one by "
               "one, operator norms by Young's inequality); the paper's CNN construction is not reproduced.",
        uses=("seed002.theorem.random", "seed002.conv.operator_norm"), tags=("paper",)),
]
