"""The exponential gap, lower side (seeds 000/001): neuron pruning needs many hidden units.

Blueprint:  K1 -> K2 (chord form) -> Theorem A;  K2 (three-point) -> Theorem A (sharp);
kink-angle law -> Theorem A, slice reduction;  cap, kinks, density, kernel -> Lemma 1;
Lemma 1, Lemma 2, slice reduction -> Theorem B (exponent 1/(eps log(1/eps))) -> numeric corollary.
The paper's Omega(1/eps) for Model B neuron pruning is a separate CLAIMED claim.
Written proofs: docs/neuron-lower-bound.md.
"""
from __future__ import annotations

from prunecert.bounds.gap import chord, kink_angle, model_a, model_b, sector
from prunecert.proofs.registry import Check, Claim

DOC = "docs/neuron-lower-bound.md"
RECON = ("reconstructed",)

CLAIMS = [
    Claim(
        id="gap.lower.K1_chord",
        title="K1 chord lemma: best affine approximation of ReLU on [-a, b] has error ab/(2(a+b))",
        statement=r"For $a,b>0$: $\min_{\alpha,\beta}\max_{t\in[-a,b]}|\sigma(t)-\alpha t-\beta| = \frac{ab}{2(a+b)}$.",
        source="new", kind="lemma", sympy="Eq(minmax_relu_line_error(a, b), a*b/(2*(a + b)))",
        hypotheses=("a > 0", "b > 0"),
        checks=(Check("attained", chord.check_attained, "explicit line equioscillates: sympy identities"),
                Check("three-point lower bound", chord.check_lower_bound,
                      "convex combination of residuals at -a, 0, b cancels alpha, beta: sympy identity")),
        corroborations=(Check("rational spot checks", chord.check_spot_rational, "exact rationals"),),
        proof=f"{DOC}#k1-chord-lemma", tags=RECON,
        sketch="Equioscillation at -a, 0, b; weights (b, a+b, a)/(2(a+b)) cancel the line.",
    ),
    Claim(
        id="gap.lower.K2_sector",
        title="K2 sector lemma: linear on a cone around a kink ray => error >= (1/2) sin a sin b/(sin a + sin b) >= sin(min(a,b))/4",
        statement=(r"$P=\mathrm{span}(w,z)$, $0<a,b\le\pi/2$, $G$ linear on the cone over the arc $[-a,b]$ around the "
                   r"kink ray $z$ of $f_w$: $\sup_{\mathrm{cone}\cap B}|f_w-G|\ge\frac{\sin a\sin b}{2(\sin a+\sin b)}"
                   r"\ge\frac14\sin\min(a,b)$."),
        source="new", kind="lemma", sympy="sector_error(a, b) >= sin(a)*sin(b)/(2*(sin(a) + sin(b)))",
        hypotheses=("0 < a <= pi/2", "0 < b <= pi/2", "G linear on the cone"),
        checks=(Check("chord reduction", sector.check_chord_reduction, "segment [e(-a), e(b)] in cone and ball; K1"),
                Check("simplification", sector.check_simplification, "mM/(2(m+M)) >= m/4")),
        corroborations=(Check("arb spot checks", sector.check_spot_arb, "random angles and lines, ball arithmetic"),),
        proof_uses=("gap.lower.K1_chord",), proof=f"{DOC}#k2-sector-lemma", tags=RECON,
        sketch="Restrict to the chord segment: f_w is sigma(s), s in [-sin a, sin b], G affine; apply K1.",
    ),
    Claim(
        id="gap.lower.K2_three_point",
        title="K2 sharp form: error >= sin a sin b / (sin a + sin b + sin(a+b))",
        statement=(r"Under the hypotheses of K2: $\sup_{\mathrm{cone}\cap B}|f_w-G|\ge"
                   r"\frac{\sin a\sin b}{\sin a+\sin b+\sin(a+b)}$ (at $a=b=\alpha$: $\frac12\tan\frac\alpha2$), "
                   r"which is $\ge$ the chord form."),
        source="new", kind="lemma",
        sympy="sector_error(a, b) >= sin(a)*sin(b)/(sin(a) + sin(b) + sin(a + b))",
        hypotheses=("0 < a <= pi/2", "0 < b <= pi/2"),
        checks=(Check("three-point identity", sector.check_three_point, "weights (sin b, sin(a+b), sin a)"),
                Check("three-point >= chord", sector.check_three_point_vs_chord, "sin a + sin b >= sin(a+b)")),
        proof=f"{DOC}#k2-sector-lemma",
    ),
    Claim(
        id="gap.lower.kink_angle",
        title="Kink angle law: psi = atan(|<u,z>|/|<u,w>|) ~ Uniform[0, pi/2] for u ~ N(0, I_d), every d >= 2",
        statement=r"$u\sim N(0,I_d)$, $w\perp z$ unit: $P(\psi\le\alpha)=2\alpha/\pi$ for $\alpha\in[0,\pi/2]$.",
        source="new", kind="lemma", sympy="Eq(kink_angle_cdf(alpha), 2*alpha/pi)",
        hypotheses=("d >= 2", "w, z orthonormal"),
        checks=(Check("projection is N(0, I_2)", kink_angle.check_projection_covariance, "M M^T = I_2"),
                Check("CDF (Cartesian integral)", kink_angle.check_cdf_sympy, "sympy: F(t) = (2/pi) atan t")),
        corroborations=(Check("Monte Carlo", kink_angle.check_monte_carlo,
                              "d = 2, 3, 7; Clopper-Pearson, EVIDENCE only"),),
        proof=f"{DOC}#kink-angle-law", tags=RECON,
    ),
    Claim(
        id="gap.lower.theorem_A",
        title="Theorem A (Model A, any output weights): P(success) <= (2n/pi) arcsin(4 eps) <= 4 n eps",
        statement=(r"$d\ge2$, $\|w\|=1$, $u_i\sim N(0,I_d)$, $0<\varepsilon\le1/4$: "
                   r"$P(\exists c\in\mathbb R^n:\|\sum_i c_i\sigma(\langle u_i,\cdot\rangle)-f_w\|_\infty\le\varepsilon)"
                   r"\le\frac{2n}{\pi}\arcsin(4\varepsilon)\le4n\varepsilon$. Success probability $\ge p$ forces $n\ge p/(4\varepsilon)$."),
        source="new", kind="theorem", sympy="model_A_success_probability(n, epsilon) <= 2*n*asin(4*epsilon)/pi",
        hypotheses=("d >= 2", "||w|| = 1", "u_i i.i.d. N(0, I_d)", "0 < eps <= 1/4", "n >= 0 an integer"),
        predicates=model_a.THEOREM_A_HYPOTHESES,
        checks=(Check("threshold sin(asin 4eps)/4 = eps", model_a.check_threshold),
                Check("(2/pi) asin x <= x", model_a.check_arcsin_chord, "concavity, exact")),
        proof_uses=("gap.lower.K2_sector", "gap.lower.kink_angle"), proof=f"{DOC}#theorem-a", tags=RECON,
        prose_steps=("K2 at a = b = alpha': min(alpha', alpha') = alpha' (definitional)",
                     "no kink within arcsin(4 eps) => the network is linear on a cone of half-angle > arcsin(4 eps)",
                     "union bound over the n units"),
        sketch="No kink line within arcsin(4 eps) of the target's => network linear on that cone => K2 error > eps.",
    ),
    Claim(
        id="gap.lower.theorem_A_sharp",
        title="Theorem A, sharp form: P(success) <= (4n/pi) arctan(2 eps) <= (8/pi) n eps, every eps > 0",
        statement=(r"Same setting, every $\varepsilon>0$: $P(\exists c:\ldots\le\varepsilon)\le\frac{4n}{\pi}\arctan(2\varepsilon)"
                   r"\le\frac8\pi n\varepsilon$."),
        source="new", kind="corollary", sympy="model_A_success_probability(n, epsilon) <= 4*n*atan(2*epsilon)/pi",
        hypotheses=("d >= 2", "||w|| = 1", "u_i i.i.d. N(0, I_d)", "eps > 0", "n >= 0 an integer"),
        predicates=model_a.THEOREM_A_SHARP_HYPOTHESES,
        checks=(Check("three-point threshold", model_a.check_sharp_threshold),
                Check("atan x <= x", model_a.check_atan_linear)),
        corroborations=(Check("atan x <= x, prover", model_a.check_prover_atan, "second route: arb branch and bound"),),
        proof_uses=("gap.lower.K2_three_point", "gap.lower.kink_angle"), proof=f"{DOC}#theorem-a",
    ),
    # ------------------------------------------------------------------ Model B
    Claim(
        id="gap.lower.B_slice_reduction",
        title="Model B, d >= 2 reduces to d = 2 (slice span(w, z))",
        statement=(r"Restricted to $P=\mathrm{span}(w,z)$ a Model B network is the $d=2$ network with hidden weights "
                   r"$(\langle u_i,w\rangle,\langle u_i,z\rangle)$, i.i.d. $N(0,I_2)$, same $v_i$; "
                   r"$\sup_{B^d}\ge\sup_{B^d\cap P}$, so a $d=2$ failure bound holds in every $d\ge2$."),
        source="new", kind="lemma",
        checks=(Check("restriction to the slice", model_b.check_slice),),
        proof_uses=("gap.lower.kink_angle",), proof=f"{DOC}#b0-slice-reduction",
    ),
    Claim(
        id="gap.lower.B_cap",
        title="Model B cap: E(S) <= eps forces |h_S - cos| <= eps on [-arccos eps, arccos eps] (length < pi)",
        statement=r"$E(S)\le\varepsilon\Rightarrow|h_S(\theta)-\cos\theta|\le\varepsilon$ for $|\theta|\le\arccos\varepsilon$; $b-a=\pi-2\arcsin\varepsilon$.",
        source="new", kind="lemma",
        checks=(Check("cap identities", model_b.check_cap),
                Check("pointwise step (z3 + cvc5)", model_b.check_cap_pointwise,
                      "min(|h-c|, c) <= |sigma(h) - c|, piecewise linear, two SMT solvers")),
        proof=f"{DOC}#b1-cap", tags=RECON,
    ),
    Claim(
        id="gap.lower.B_kinks",
        title="Model B kinks: at most one cap kink per unit, density 1/pi; P(none) = 2 arcsin(eps)/pi <= 2 eps/3",
        statement=r"Each unit has $\le1$ kink in $(a,b)$, with sub-density $1/\pi$; $P(\text{none})=\frac2\pi\arcsin\varepsilon\le\frac23\varepsilon$ ($\varepsilon\le\frac12$).",
        source="new", kind="lemma", checks=(Check("kink probabilities", model_b.check_kinks),),
        corroborations=(Check("asin x <= pi x/3, prover", model_b.check_prover_asin, "second route: arb branch and bound"),),
        proof=f"{DOC}#b2-kinks", tags=RECON,
    ),
    Claim(
        id="gap.lower.B_density",
        title="Model B output weights: c = v ||u|| has density rho(x) = sqrt(pi/8) erfc(|x|/sqrt 2) <= sqrt(pi/8), independent of the angle",
        statement=r"$\rho(x)=\frac12\int_{|x|}^\infty e^{-r^2/2}dr=\sqrt{\pi/8}\,\mathrm{erfc}(|x|/\sqrt2)\le\rho(0)=\sqrt{\pi/8}$.",
        source="new", kind="lemma", sympy="sqrt(pi/8)*erfc(Abs(x)/sqrt(2)) <= sqrt(pi/8)",
        checks=(Check("density and maximum", model_b.check_density),),
        prose_steps=("change of variables v = c/r in the product density (definitional)",
                     "independence of c and the angle: the polar factorisation of N(0, I_2)"),
        proof=f"{DOC}#b3-density", tags=RECON,
    ),
    Claim(
        id="gap.lower.B_kernel",
        title="Model B kernel: D_delta kills A cos + B sin and maps a kink to a triangle (sin(delta - |m - kappa|))_+",
        statement=(r"$D_\delta q(m)=q(m-\delta)+q(m+\delta)-2\cos\delta\,q(m)$: $D_\delta[A\cos+B\sin]=0$, "
                   r"$D_\delta\sigma(\sin(\cdot-\kappa))(m)=(\sin(\delta-|m-\kappa|))_+$ if $|m-\kappa|+\delta<\pi$; "
                   r"window in the cap: $|\sum c_i\sin(\delta-|m-\kappa_i|)|\le2(1+\cos\delta)\varepsilon$."),
        source="new", kind="lemma", checks=(Check("kernel identities", model_b.check_kernel),),
        prose_steps=("sign conditions: sin >= 0 on [0, pi] and <= 0 on [-pi, 0], so in each case of x = m - kappa "
                     "(|x| + delta < pi) sigma(sin) is sin or 0 at the three points",
                     "cases -delta < x < 0 and x <= -delta: only the right point (or none) is past the kink; "
                     "the values sin(x + delta) = sin(delta - |x|) and 0 are definitional",
                     "window: the constraint |D h| <= 2(1 + cos delta) eps follows from |h - cos| <= eps at three points "
                     "(triangle inequality)"),
        proof=f"{DOC}#b4-kernel", tags=RECON,
    ),
    Claim(
        id="gap.lower.B_lemma1_small_ball",
        title="Model B Lemma 1 (triangular small-ball): P(E(S) <= eps | angles) <= prod_j min(1, C1 eps/delta_j), C1 = sqrt(8 pi)",
        statement=(r"On $\{$every unit of $S$ has a cap kink$\}$: $P(E(S)\le\varepsilon\mid\varphi)\le\prod_j\min(1,C_1\varepsilon/\delta_j)$, "
                   r"$C_1=8\rho_{\max}=\sqrt{8\pi}$; window length $4\varepsilon\cot(\delta/2)\le8\varepsilon/\delta$."),
        source="new", kind="lemma",
        checks=(Check("window length", model_b.check_window), Check("constant", model_b.check_lemma1_chain)),
        corroborations=(Check("window bound, prover", model_b.check_prover_window,
                              "second route: 2 sin d >= d (1 + cos d), arb branch and bound"),),
        proof_uses=("gap.lower.B_cap", "gap.lower.B_kernel", "gap.lower.B_density"),
        proof=f"{DOC}#b5-lemma-1-triangular-small-ball", tags=RECON,
        prose_steps=("the window of radius delta_j around kappa_j lies in the cap and holds only kappa_j and kinks "
                     "left of it (definition of delta_j)",
                     "conditioning on c_1..c_{j-1} in turn: c_j is independent of them and of the angles (B3), so "
                     "each factor is the mass of an interval of length <= 8 eps/delta_j under density <= rho_max"),
    ),
    Claim(
        id="gap.lower.B_lemma2_charging",
        title="Model B Lemma 2 (charging): prod_j w(delta_j) <= sum_{l*} prod_{l != l*} w(g_l)",
        statement=(r"For gaps $g_0..g_k\ge0$, $\delta_j=\min(g_j,g_0+\dots+g_{j-1})$ and nonincreasing $w:(0,\infty)\to[0,1]$: "
                   r"$\prod_{j=1}^k w(\delta_j)\le\sum_{l^*=0}^k\prod_{l\ne l^*}w(g_l)$."),
        source="new", kind="lemma",
        checks=(Check("w nonincreasing in [0, 1]", model_b.check_lemma2_w),),
        prose_steps=("the greedy charging j -> l(j) is injective with g_{l(j)} <= delta_j for every k (induction on j; "
                     "exhaustively checked on exact instances only as a corroboration)",
                     "one gap stays uncharged, so prod_j w(delta_j) <= prod_{l != l*} w(g_l) for that l*, <= the sum"),
        corroborations=(Check("exhaustive exact instances", model_b.check_lemma2_exhaustive,
                              "greedy charging verified; CHECKED corroboration"),),
        proof=f"{DOC}#b6-lemma-2-charging", tags=RECON,
    ),
    Claim(
        id="gap.lower.theorem_B",
        title="Model B neuron pruning needs n = Omega(1/(eps log 1/eps)) -- proved exponent 1/(eps log(1/eps)); the paper's 1/eps is CLAIMED",
        statement=(r"$d\ge2$, $\|w\|=1$, $u_i\sim N(0,I_d)$, $v_i\sim U[-1,1]$, $0<\varepsilon<1$, $C_1=\sqrt{8\pi}$, "
                   r"$W=\int_0^\pi\min(1,C_1\varepsilon/g)\,dg$ ($=C_1\varepsilon\log\frac{e\pi}{C_1\varepsilon}$ if $C_1\varepsilon\le\pi$), "
                   r"$q=nW/\pi<1$: $P(\exists S: E(S)\le\varepsilon)\le\frac{2n}{\pi}\arcsin\varepsilon+\frac{2q-q^2}{(1-q)^2}$."),
        source="new", kind="theorem", sympy="model_B_success_probability(n, epsilon) <= 2*n*asin(epsilon)/pi + (2*q - q**2)/(1 - q)**2",
        hypotheses=("d >= 2", "||w|| = 1", "u_i ~ N(0, I_d)", "v_i ~ U[-1, 1]", "0 < eps < 1", "q < 1",
                    "n >= 0 an integer", "0 < p_fail < 1"),
        predicates=model_b.THEOREM_B_HYPOTHESES,
        checks=(Check("W integral", model_b.check_W_integral), Check("series", model_b.check_series)),
        corroborations=(Check("Jacobian k <= 6", model_b.check_jacobian_small_k),),
        prose_steps=("for every k the map from sorted kinks to the charged gaps has Jacobian 1 (unit-triangular); "
                     "machine-checked only for k <= 6 (corroboration)",
                     "union over kept sets S with C(n, k) k! <= n^k and ordered kinks of density k!/pi^k"),
        proof_uses=("gap.lower.B_slice_reduction", "gap.lower.B_cap", "gap.lower.B_kinks",
                    "gap.lower.B_lemma1_small_ball", "gap.lower.B_lemma2_charging"),
        proof=f"{DOC}#theorem-b", tags=RECON + ("exponent 1/(eps log(1/eps))",),
        sketch="Union over S of prod of per-window small-ball probabilities; charge windows to gaps; integrate gaps.",
    ),
    Claim(
        id="gap.lower.theorem_B_numeric",
        title="Model B corollary: n <= 1/(20 eps log(1/eps)) => failure probability >= 0.64 (content only for eps <= 0.0111)",
        statement=(r"For $0<\varepsilon\le 1/10$ and $n\le 1/(20\varepsilon\log(1/\varepsilon))$: $q\le0.130$ (with $C_1=\pi\sqrt{2\pi}$) "
                   r"and $P(\text{no }S\text{ reaches }\varepsilon)\ge0.64$. It has content (admits $n\ge1$) exactly for "
                   r"$\varepsilon\le\varepsilon_c$, $0.01111<\varepsilon_c<0.01112$ the root of $\varepsilon\log(1/\varepsilon)=1/20$; "
                   r"on $(\varepsilon_c,1/10]$ only $n=0$ is admitted."),
        source="new", kind="corollary", sympy="model_B_failure_probability(n, epsilon) >= 16/25",
        checks=(Check("reparametrisation s = log(1/eps)", model_b.check_corollary_reparam),
                Check("ball inequalities", model_b.check_corollary_numbers),
                Check("range with content", model_b.check_corollary_content_range)),
        corroborations=(Check("spot values of eps", model_b.check_corollary_spot),),
        proof_uses=("gap.lower.theorem_B", "gap.lower.B_kinks"), proof=f"{DOC}#b7-numeric-corollary", tags=RECON,
    ),
    Claim(
        id="gap.lower.paper_neuron_omega_1_over_eps",
        title="Paper: neuron pruning needs width Omega(1/eps) (v1/v2: Omega(d/eps)) -- CLAIMED; proved here only 1/(eps log 1/eps)",
        statement=(r"Approximating $\sigma(\langle w,x\rangle)$ to $\varepsilon$ in $\|\cdot\|_\infty$ on $B^d$ by neuron pruning of a random "
                   r"two-layer ReLU network needs starting width $\Omega(1/\varepsilon)$."),
        source="seed 000/001: Ferré, Giroire, Mallmann-Trenn, Natale 2026 (arXiv 2603.02234), abstract",
        seed="001", kind="theorem",
    ),
]
