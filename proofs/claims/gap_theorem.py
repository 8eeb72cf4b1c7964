"""The exponential gap as one theorem in one model (u ~ N(0, I_d), v ~ U[-1, 1], output ReLU).

gap.theorem composes the weight side (gap.upper.width_gaussian), the neuron side
(gap.lower.theorem_B) and the certified crossover (gap.crossover); it is PROVED only if each is.
Written argument: docs/weight-pruning.md#the-gap-theorem.
"""
from __future__ import annotations

import time
from fractions import Fraction

import sympy as sp

from prunecert.bounds.gap import crossover as cx
from prunecert.bounds.gap.calculator import GAP_THEOREM_HYPOTHESES
from prunecert.checks.levels import Level
from prunecert.checks.result import CheckResult
from prunecert.proofs.registry import Check, Claim

DOC = "docs/weight-pruning.md"

def crossover_parts() -> dict:
    """The general steps of the crossover argument, sympy (symbols kappa, L, C1, c0, alpha, B > 0):
    (a) with n = kappa e^L / L and eps = e^{-L}: q = n C1 eps (L + c0)/pi = (kappa C1/pi)(1 + c0/L),
        where W = C1 eps log(e pi/(C1 eps)) = C1 eps (L + c0), c0 = 1 + ln(pi/C1);
    (b) dq/dL = -(kappa C1/pi) c0 / L^2 (q decreasing in L when c0 > 0);
    (c) the kink term 2 n eps / 3 = 2 kappa/(3L), decreasing in L;
    (d) h(L) = L - ln L - ln(alpha + 1 + B L) + ln kappa: h' = 1 - 1/L - B/(alpha + 1 + B L) and
        1/L - B/(c + B L) = c/(L (c + B L)) >= 0 for c = alpha + 1 > 0, so h' >= 1 - 2/L >= 0 on L >= 2;
    (e) h >= 0  <=>  alpha + 1 + B L <= kappa e^L / L (exp is increasing);
    (f) K envelope: ln(mu sqrt(d)/eps) = L + ln(mu sqrt(d)) at eps = e^{-L}."""
    k, L, C1, c0, al, B, d = sp.symbols("kappa L C1 c0 alpha B d", positive=True)
    parts = {}
    eps = sp.exp(-L)
    n = k * sp.exp(L) / L
    W = C1 * eps * sp.log(sp.E * sp.pi / (C1 * eps))
    q = n * W / sp.pi
    c0_def = 1 + sp.log(sp.pi / C1)
    parts["q_closed_form"] = sp.simplify(sp.expand_log(q - k * C1 / sp.pi * (1 + c0_def / L), force=True)) == 0
    qs = k * C1 / sp.pi * (1 + c0 / L)
    parts["q_decreasing"] = sp.simplify(sp.diff(qs, L) + k * C1 / sp.pi * c0 / L ** 2) == 0
    parts["kink_term"] = sp.simplify(2 * n * eps / 3 - 2 * k / (3 * L)) == 0
    c = sp.Symbol("c", positive=True)
    h = L - sp.log(L) - sp.log(c + B * L) + sp.log(k)
    parts["h_derivative"] = sp.simplify(sp.diff(h, L) - (1 - 1 / L - B / (c + B * L))) == 0
    gap_ = 1 / L - B / (c + B * L)
    parts["B_term_le_1_over_L"] = sp.simplify(gap_ - c / (L * (c + B * L))) == 0 and bool((c / (L * (c + B * L))).is_positive)
    parts["h_equivalence"] = sp.simplify(sp.expand_log(sp.exp(h) - k * sp.exp(L) / (L * (c + B * L)), force=True)) == 0
    mu = sp.Symbol("mu", positive=True)
    parts["K_envelope_log"] = sp.simplify(sp.expand_log(sp.log(mu * sp.sqrt(d) / eps) - (L + sp.log(mu * sp.sqrt(d))),
                                                        force=True)) == 0
    return {"ok": all(parts.values()), "parts": parts}


def check_crossover_argument() -> CheckResult:
    t0 = time.perf_counter()
    r = crossover_parts()
    bad = [k for k, v in r["parts"].items() if not v]
    lv = Level.PROVED if r["ok"] else Level.UNKNOWN
    return CheckResult(lv, "sympy-identity+monotone", time.perf_counter() - t0,
                       "q(L), q decreasing, kink term, h' >= 1 - 2/L, h >= 0 <=> U + 1 <= N" if r["ok"]
                       else f"sympy did not confirm {bad}", data={"parts": r["parts"]})


def check_crossover_instances() -> CheckResult:
    """Certified crossover at d = 2, 3, 5, 10 (delta = p_fail = 1/2), each condition in ball arithmetic;
    and the exact widths agree: at eps just below eps*(2) the calculator's Gaussian weight width is below the
    certified neuron width."""
    t0 = time.perf_counter()
    from prunecert.bounds.gap import model_b, weight_pruning

    rows = []
    for d in (2, 3, 5, 10):
        r = cx.crossover(d, "1/2")
        rows.append({"d": d, "eps_star": r["eps_star"], "L_star": r["L_star"], "kappa": r["kappa"]})
    e = Fraction(rows[0]["eps_star"])
    nw = weight_pruning.required_width(e, Fraction(1, 2), 2, "gaussian")
    nn = model_b.neuron_width_lower_bound(e, Fraction(1, 2), d=2)["width"]
    if not nw < nn:
        return CheckResult(Level.REFUTED, "arb", time.perf_counter() - t0,
                           f"at eps* (d = 2) weight width {nw} >= neuron width {nn}", data={"rows": rows})
    return CheckResult(Level.CHECKED, "arb", time.perf_counter() - t0,
                       f"eps*(d) = {', '.join(r['eps_star'] for r in rows)} for d = 2, 3, 5, 10; at eps*(2): "
                       f"n_w = {nw} < n_n = {nn}", data={"rows": rows, "n_w": nw, "n_n": nn})


CLAIMS = [
    Claim(
        id="gap.crossover",
        title="Certified crossover eps*(d): for every eps <= eps*, the Gaussian-model weight width is below a width "
              "where neuron pruning fails",
        statement=(r"$d\ge2$, $0<\delta,p<1$, $\kappa>0$, $L^*\ge2$, admissible RSS parameters $(\mu,\theta,\lambda)$ with "
                   r"$e^{-L^*}\le\mu\sqrt d$, $U(L)=\alpha+BL$ the envelope of the closed-form "
                   r"Gaussian-model weight width, $C_1=\sqrt{8\pi}$, $c_0=1+\ln(\pi/C_1)$, $q^*=\frac{\kappa C_1}{\pi}(1+\frac{c_0}{L^*})$. "
                   r"If $c_0>0$, $\alpha+1>0$, $q^*<1$, $F(q^*)+\frac{2\kappa}{3L^*}\le1-p$ and "
                   r"$L^*-\ln L^*-\ln(\alpha+1+BL^*)+\ln\kappa\ge0$, then for every $\varepsilon\le e^{-L^*}$: "
                   r"$n_w(\varepsilon)<\kappa/(\varepsilon\ln(1/\varepsilon))$ and every neuron-pruning width "
                   r"$n\le\kappa/(\varepsilon\ln(1/\varepsilon))$ fails with probability $\ge p$."),
        source="new", kind="lemma",
        hypotheses=("d >= 2", "0 < delta < 1", "0 < p_fail < 1"),
        predicates=cx.CROSSOVER_HYPOTHESES,
        checks=(Check("crossover_argument", check_crossover_argument, "sympy: the general steps"),),
        corroborations=(Check("crossover_instances", check_crossover_instances,
                              "certified eps*(d) at d = 2, 3, 5, 10 and the exact widths there"),),
        proof_uses=("gap.lower.theorem_B", "gap.lower.B_kinks", "gap.upper.width_gaussian"),
        proof=f"{DOC}#crossover", seed="001", tags=("gap",),
        prose_steps=("K envelope: K - 1 < ln(mu sqrt(d)/eps)/ln(1 + theta) by minimality of K (definition of K)",
                     "each ceiling of a certified upper end adds at most 2 (the +4 in alpha)",
                     "monotonicity of Theorem B's bound in n (both terms increase with n)"),
    ),
    Claim(
        id="gap.theorem",
        title="The exponential gap, one theorem in one model: weight pruning at width O(d log(d/eps)) vs neuron "
              "pruning failing at width Omega(1/(eps log(1/eps)))",
        statement=(r"Model: $u_i\sim N(0,I_d)$, $v_i\sim U[-1,1]$ i.i.d., $g(x)=\sigma(\sum_i m_iv_i\sigma(\langle M_i\odot u_i,x\rangle))$, "
                   r"target $\sigma(\langle w,x\rangle)$, $\|w\|=1$, error $\sup_{B^d}$. For $d\ge2$, $0<\varepsilon<1$, "
                   r"$0<\delta,p<1$: (i) weight pruning reaches $\varepsilon$ at the certified width "
                   r"$n_w(\varepsilon,d,\delta)=O(d\log(d/\varepsilon)+d\log(d/\delta))$ with probability $\ge1-\delta$ "
                   r"(gap.upper.width_gaussian); (ii) every width $n\le n_n(\varepsilon,p)$, the largest $n$ with Theorem B's "
                   r"bound $\le1-p$ ($n_n=\Omega(1/(\varepsilon\log(1/\varepsilon)))$), fails for neuron pruning with "
                   r"probability $\ge p$ (gap.lower.theorem_B); (iii) for $\varepsilon\le\varepsilon^*(d,\delta,p)$, "
                   r"certified by gap.crossover, $n_w<n_n$."),
        source="new (after seed 000/001, Ferre et al. 2026, abstract)", kind="theorem",
        hypotheses=("d >= 2", "0 < eps < 1", "0 < delta < 1", "0 < p_fail < 1", "||w|| = 1",
                    "u_i ~ N(0, I_d)", "v_i ~ U[-1, 1]"),
        predicates=GAP_THEOREM_HYPOTHESES,
        proof_uses=("gap.upper.width_gaussian", "gap.lower.theorem_B", "gap.crossover"),
        proof=f"{DOC}#the-gap-theorem", seed="001", tags=("gap",),
        sketch="Both halves are statements about the same random network; (iii) is gap.crossover.",
        prose_steps=("same model: the hypotheses of gap.upper.width_gaussian and gap.lower.theorem_B name the same "
                     "law of (u_i, v_i) and the same output-ReLU architecture",),
    ),
]
