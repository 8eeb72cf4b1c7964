"""Seed 004 (Ballini et al., arXiv 2602.20467): elimination-compensation pruning — the closed
forms reconstructed for this project, derived and verified by sympy, their properties, and the paper's claims."""
from __future__ import annotations

import time

from prunecert.checks.levels import Level
from prunecert.checks.result import CheckResult
from prunecert.proofs.registry import Check, Claim

DOC = "docs/seed004-elimination-compensation.md"


def _from(r: dict, method: str, t0: float, what: str, level=Level.PROVED, fail=Level.UNKNOWN) -> CheckResult:
    ok = bool(r.get("ok"))
    return CheckResult(level if ok else fail, method, time.perf_counter() - t0,
                       what if ok else f"failed: {r}", data={k: (str(v) if not isinstance(v, (int, float, bool)) else v)
                                                             for k, v in r.items()})


def check_first_order() -> CheckResult:
    from prunecert.bounds.elimination.ecp import first_order

    t0 = time.perf_counter()
    return _from(first_order(), "sympy-solve+identity", t0,
                 "db* = W B/A, d2S/ddb2 = 2A > 0, s = W^2 (C - B^2/A), S(0) - s = W^2 B^2/A >= 0")


def check_first_order_sums() -> CheckResult:
    from prunecert.bounds.elimination.ecp import first_order_sums_identity

    t0 = time.perf_counter()
    return _from(first_order_sums_identity(4, 2), "sympy-identity", t0,
                 "model in sums, score = weighted variance, C = ||J_w||^2 (4 samples, 2 outputs, symbolic)")


def check_second_order() -> CheckResult:
    from prunecert.bounds.elimination.ecp import second_order

    t0 = time.perf_counter()
    r = second_order()
    return _from(r, "sympy-solve+identity", t0,
                 f"db* = {r['db_star']} (= the reconstructed formula), dL* at stationarity = {r['dL_star_stationary']}, "
                 f"dL(0) - dL* = {r['uncompensated_minus_compensated']} >= 0")


def check_linear() -> CheckResult:
    from prunecert.bounds.elimination.ecp import linear_last_layer

    t0 = time.perf_counter()
    return _from(linear_last_layer(), "sympy-solve+identity", t0,
                 "exact quadratic under the LS conditions; db* = W mean(x_k), dL* = W^2 Var(x_k)/2")


def check_linear_instances() -> CheckResult:
    from prunecert.bounds.elimination.ecp import linear_last_layer_exact_instances

    t0 = time.perf_counter()
    r = linear_last_layer_exact_instances(5, seed=4)
    return _from(r, "exact-least-squares", t0, f"{r.get('cases')} removals on exact rational LS fits",
                 level=Level.CHECKED, fail=Level.REFUTED)


def check_linear_bruteforce() -> CheckResult:
    from prunecert.bounds.elimination.ecp import linear_last_layer_bruteforce

    t0 = time.perf_counter()
    r = linear_last_layer_bruteforce(20, seed=4)
    ok = r["max_abs_db_error"] < 1e-5 and r["max_abs_dL_error"] < 1e-8
    return CheckResult(Level.CHECKED if ok else Level.UNKNOWN, "numpy-lstsq+scipy-minimize_scalar",
                       time.perf_counter() - t0,
                       f"20 random float instances: max |db - closed form| = {r['max_abs_db_error']:.2e}, "
                       f"max |dL - closed form| = {r['max_abs_dL_error']:.2e} (float tolerance)", data=r)


def check_joint_first() -> CheckResult:
    from prunecert.bounds.elimination.ecp import several_weights_first_order

    t0 = time.perf_counter()
    r = several_weights_first_order(3)
    return _from(r, "sympy-solve", t0, f"db* = {r['db_star']} = sum_k W_k x~_k; scores additive: {r['scores_additive']}")


def check_joint_linear() -> CheckResult:
    from prunecert.bounds.elimination.ecp import several_weights_linear

    t0 = time.perf_counter()
    return _from(several_weights_linear(2, 3), "sympy-solve", t0, "exact joint shift = sum_k W_k mean(x_k)")


def check_joint_second() -> CheckResult:
    from prunecert.bounds.elimination.ecp import several_weights_second_order

    t0 = time.perf_counter()
    r = several_weights_second_order(3)
    return _from(r, "sympy-solve", t0, f"joint - sum of singles = {r['joint_minus_sum_of_singles']} (|S| = 3)")


CLAIMS = [
    Claim(id="seed004.first_order.shift", kind="lemma", source="new", seed="004",
          title="First-order output model: optimal bias shift",
          statement=r"\min_{\delta b}\sum_n\|g_n\|^2(\delta b-W_{jk}x_k(n))^2 \text{ is attained uniquely at } "
                    r"\delta b^*=W_{jk}\tilde x_k,\ \tilde x_k=\frac{\sum_n\|g_n\|^2x_k(n)}{\sum_n\|g_n\|^2}",
          hypotheses=("g_n = d f(x_n)/d b_j", "sum_n ||g_n||^2 > 0"),
          checks=(Check("derivation", check_first_order), Check("sums-identity", check_first_order_sums)),
          proof=f"{DOC}#first-order", tags=("ecp",)),
    Claim(id="seed004.first_order.score_bound", kind="lemma", source="new", seed="004",
          title="Compensated score at most the uncompensated score (first-order model)",
          statement=r"s=W_{jk}^2\sum_n\|g_n\|^2(x_k(n)-\tilde x_k)^2 = W_{jk}^2\|J_w\|^2 - W_{jk}^2\frac{(\sum_n\|g_n\|^2x_k(n))^2}{\sum_n\|g_n\|^2}\le W_{jk}^2\|J_w\|^2",
          checks=(Check("derivation", check_first_order), Check("sums-identity", check_first_order_sums)),
          uses=("seed004.first_order.shift",), proof=f"{DOC}#first-order", tags=("ecp",)),
    Claim(id="seed004.second_order.shift", kind="lemma", source="new", seed="004",
          title="Second-order loss model on (W_jk, b_j): optimal shift, sign as reconstructed",
          statement=r"\Delta L(\delta b)=-g_wW+g_b\delta b+\tfrac12(H_{ww}W^2-2H_{wb}W\delta b+H_{bb}\delta b^2),\ H_{bb}>0:\ "
                    r"\delta b^*=(H_{bw}W-g_b)/H_{bb};\ \text{at } g=0:\ \Delta L^*=\tfrac12W^2(H_{ww}-H_{bw}^2/H_{bb})",
          checks=(Check("derivation", check_second_order),), proof=f"{DOC}#second-order", tags=("ecp",)),
    Claim(id="seed004.second_order.no_increase", kind="lemma", source="new", seed="004",
          title="Compensation never increases the modelled loss (second-order model)",
          statement=r"\Delta L(0)-\Delta L(\delta b^*)=\frac{(g_b-H_{bw}W)^2}{2H_{bb}}\ge0",
          checks=(Check("derivation", check_second_order),), uses=("seed004.second_order.shift",),
          proof=f"{DOC}#second-order", tags=("ecp",)),
    Claim(id="seed004.first_order.no_increase", kind="lemma", source="new", seed="004",
          title="Compensation never increases the modelled output change (first-order model)",
          statement=r"S(\delta b^*)\le S(0)",
          checks=(Check("derivation", check_first_order),), uses=("seed004.first_order.score_bound",),
          proof=f"{DOC}#first-order", tags=("ecp",)),
    Claim(id="seed004.linear.exact", kind="lemma", source="new", seed="004",
          title="Linear last layer, squared loss, least-squares optimum: exact compensation",
          statement=r"L=\frac1{2N}\sum_n r_n^2,\ \sum r_n=0,\ \sum r_nx_k(n)=0:\ \delta b^*=W_{jk}\,\mathrm{mean}(x_k),\ "
                    r"\Delta L^*=\tfrac12W_{jk}^2\mathrm{Var}(x_k)\ \text{(population variance; without the } \tfrac12 \text{ in } L:\ W_{jk}^2\mathrm{Var}(x_k))",
          checks=(Check("derivation", check_linear),),
          corroborations=(Check("exact-instances", check_linear_instances),
                          Check("bruteforce-float", check_linear_bruteforce)),
          proof=f"{DOC}#linear", tags=("ecp",)),
    Claim(id="seed004.joint.first_order", kind="lemma", source="new", seed="004",
          title="Several weights of one neuron: the joint shift is additive (first-order model)",
          statement=r"\delta b^*_S=\sum_{k\in S}W_{jk}\tilde x_k \text{ (the compensated scores are not additive)}",
          checks=(Check("derivation", check_joint_first),), uses=("seed004.first_order.shift",),
          proof=f"{DOC}#several", tags=("ecp",)),
    Claim(id="seed004.joint.linear", kind="lemma", source="new", seed="004",
          title="Several weights, exact linear case: the joint shift is additive",
          statement=r"\delta b^*_S=\sum_{k\in S}W_{jk}\,\mathrm{mean}(x_k)",
          checks=(Check("derivation", check_joint_linear),), uses=("seed004.linear.exact",),
          proof=f"{DOC}#several", tags=("ecp",)),
    Claim(id="seed004.joint.second_order", kind="lemma", source="new", seed="004",
          title="Several weights, second-order model: additive only when g_b = 0",
          statement=r"\delta b^*_S=\frac{\sum_{k\in S}H_{bk}W_k-g_b}{H_{bb}}=\sum_{k\in S}\delta b^*_k+\frac{(|S|-1)g_b}{H_{bb}}",
          checks=(Check("derivation", check_joint_second),), uses=("seed004.second_order.shift",),
          proof=f"{DOC}#several", tags=("ecp",)),
    Claim(id="seed004.paper.optimal_perturbation", kind="theorem", seed="004",
          source="seed 004: Ballini et al., arXiv 2602.20467, abstract",
          title="Importance after an optimal perturbation of the adjacent bias, computable by autodiff; "
                "perturbations applicable independently after each removal",
          statement=r"\text{Each weight's importance is the output change after the optimal shift of its adjacent bias; "
                    r"the shifts can be applied right after each removal, independently of each other.}",
          sketch="Under the first-order output model the package proves the optimal shift and its additivity "
                 "(seed004.first_order.*, seed004.joint.first_order); under a second-order loss model the shifts "
                 "are additive only at a stationary point (seed004.joint.second_order). The paper's own model is "
                 "not available.",
          uses=("seed004.first_order.shift", "seed004.joint.first_order"), tags=("paper",)),
    Claim(id="seed004.paper.efficiency", kind="theorem", seed="004",
          source="seed 004: Ballini et al., arXiv 2602.20467, abstract",
          title="Elimination-compensation pruning is more efficient than popular pruning strategies",
          statement=r"\text{Benchmarks show an intrinsic efficiency of the method against popular pruning strategies.}",
          sketch="Measured, not proved: see the docs page's table (prunecert experiment ecp) for the ranking on "
                 "diabetes and digits without fine-tuning.",
          tags=("paper",)),
]
