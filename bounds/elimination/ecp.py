"""Elimination-compensation (seed 004; closed forms reconstructed for this project): optimal bias compensation, derived by sympy.

A layer computes z = W x + b; removing the weight W_jk (Delta w = -W_jk) and shifting the bias
b_j by db changes z_j(n) by db - W_jk x_k(n) on sample n.  Write W = W_jk.

1. First-order output model.  With g_n = d f(x_n) / d b_j (output Jacobian column) and
   a_n = ||g_n||^2 >= 0, A = sum a_n > 0, B = sum a_n x_k(n), C = sum a_n x_k(n)^2, the modelled
   output change is S(db) = sum_n a_n (db - W x_k(n))^2 = A db^2 - 2 W B db + W^2 C.
   Minimiser db* = W B/A = W x~_k (x~_k the a-weighted mean), score
   s = S(db*) = W^2 (C - B^2/A) = W^2 sum a_n (x_k(n) - x~_k)^2, uncompensated S(0) = W^2 C =
   W^2 ||J_w||^2 (J_w = d f / d W_jk stacked over samples, ||J_w||^2 = C), and
   S(0) - s = W^2 B^2 / A >= 0.
2. Second-order loss model on the pair (W_jk, b_j): with gradient (g_w, g_b) and Hessian
   [[H_ww, H_wb], [H_wb, H_bb]], H_bb > 0:
   dL(db) = -g_w W + g_b db + (H_ww W^2 - 2 H_wb W db + H_bb db^2)/2.
   db* = (H_wb W - g_b)/H_bb, dL* = -g_w W + H_ww W^2/2 - (g_b - H_wb W)^2/(2 H_bb)
   (at a stationary point: W^2 (H_ww - H_wb^2/H_bb)/2), dL(0) - dL* = (g_b - H_wb W)^2/(2 H_bb).
3. Linear last layer, loss (1/(2N)) sum_n r_n^2 (r_n residual of output j), at the least-squares
   optimum (sum r_n = 0, sum r_n x_k(n) = 0): exactly dL(db) = (W^2 m2 - 2 W m1 db + db^2)/2 with
   m1 = mean x_k, m2 = mean x_k^2; db* = W m1, dL* = W^2 Var(x_k)/2 (population variance).
   With the loss (1/N) sum r_n^2 (no 1/2) every dL doubles: dL* = W^2 Var(x_k).
4. Several weights S of one neuron: first-order: db* = sum_{k in S} W_jk x~_k (additive); the
   exact linear case likewise db* = sum W_jk mean(x_k); second-order: db*_joint =
   (sum_k H_{b,k} W_k - g_b)/H_bb = sum_k db*_k + (|S| - 1) g_b / H_bb — additive iff g_b = 0
   (or |S| = 1).  The *scores* are not additive (cross terms W_k W_l (C_kl - B_k B_l / A)).

Every item is derived (solve the stationarity equation) and verified (second-order condition,
identities) by the functions below; each returns a dict with "ok" and the derived expressions.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np
import sympy as sp

from prunecert.checks.errors import InputError

__all__ = ["first_order", "first_order_sums_identity", "second_order", "linear_last_layer",
           "linear_last_layer_exact_instances", "linear_last_layer_bruteforce", "several_weights_first_order",
           "several_weights_second_order", "several_weights_linear", "first_order_scores",
           "second_order_counterexample_additivity"]

W, db = sp.symbols("W db", real=True)
A = sp.Symbol("A", positive=True)
B, C = sp.symbols("B C", real=True)


@lru_cache(maxsize=None)
def first_order() -> dict:
    S = A * db ** 2 - 2 * W * B * db + W ** 2 * C
    sols = sp.solve(sp.Eq(sp.diff(S, db), 0), db)
    if len(sols) != 1:
        return {"ok": False, "detail": f"stationarity has {len(sols)} solutions"}
    dbs = sp.simplify(sols[0])
    second = sp.diff(S, db, 2)
    score = sp.simplify(S.subs(db, dbs))
    gain = sp.simplify(S.subs(db, 0) - score)
    ok = (sp.simplify(dbs - W * B / A) == 0 and second.is_positive is True
          and sp.simplify(score - W ** 2 * (C - B ** 2 / A)) == 0
          and sp.simplify(gain - W ** 2 * B ** 2 / A) == 0 and gain.is_nonnegative is True)
    return {"ok": bool(ok), "db_star": str(dbs), "second_derivative": str(second), "score": str(score),
            "uncompensated_minus_score": str(gain)}


@lru_cache(maxsize=None)
def first_order_sums_identity(n_samples: int = 4, out_dim: int = 2) -> dict:
    """For explicit symbolic samples: S(db) written with g_n, x_k(n) equals A db^2 - 2WB db + W^2C,
    the score equals W^2 sum a_n (x_n - x~)^2 with x~ = B/A, and C = ||J_w||^2 with
    J_w = (g_n x_k(n))_n (exact expansion)."""
    x = sp.symbols(f"x0:{n_samples}", real=True)
    g = [[sp.Symbol(f"g{n}_{o}", real=True) for o in range(out_dim)] for n in range(n_samples)]
    a = [sum(v ** 2 for v in gn) for gn in g]
    direct = sum(sum((gn[o] * (db - W * x[n])) ** 2 for o in range(out_dim)) for n, gn in enumerate(g))
    Av, Bv, Cv = sum(a), sum(a[n] * x[n] for n in range(n_samples)), sum(a[n] * x[n] ** 2 for n in range(n_samples))
    ok1 = sp.expand(direct - (Av * db ** 2 - 2 * W * Bv * db + W ** 2 * Cv)) == 0
    xt = Bv / Av
    score_direct = W ** 2 * sum(a[n] * (x[n] - xt) ** 2 for n in range(n_samples))
    ok2 = sp.simplify(score_direct - W ** 2 * (Cv - Bv ** 2 / Av)) == 0
    Jw2 = sum((g[n][o] * x[n]) ** 2 for n in range(n_samples) for o in range(out_dim))
    ok3 = sp.expand(Jw2 - Cv) == 0
    return {"ok": bool(ok1 and ok2 and ok3), "model_in_sums": ok1, "score_as_weighted_variance": ok2,
            "C_is_Jw_squared": ok3}


gw, gb, Hww, Hwb = sp.symbols("g_w g_b H_ww H_wb", real=True)
Hbb = sp.Symbol("H_bb", positive=True)


@lru_cache(maxsize=None)
def second_order() -> dict:
    dL = -gw * W + gb * db + (Hww * W ** 2 - 2 * Hwb * W * db + Hbb * db ** 2) / 2
    sols = sp.solve(sp.Eq(sp.diff(dL, db), 0), db)
    dbs = sp.simplify(sols[0])
    math_md = (Hwb * W - gb) / Hbb          # the reconstructed formula (H_bw = H_wb)
    star = sp.simplify(dL.subs(db, dbs))
    stationary = sp.simplify(star.subs({gw: 0, gb: 0}))
    gain = sp.factor(sp.simplify(dL.subs(db, 0) - star))
    ok = (len(sols) == 1 and sp.simplify(dbs - math_md) == 0 and sp.diff(dL, db, 2).is_positive is True
          and sp.simplify(stationary - W ** 2 * (Hww - Hwb ** 2 / Hbb) / 2) == 0
          and sp.simplify(gain - (gb - Hwb * W) ** 2 / (2 * Hbb)) == 0 and gain.is_nonnegative is True)
    # a sign-flipped variant (+g_b) is NOT stationary: record it to show the check can fail
    wrong = sp.simplify(sp.diff(dL, db).subs(db, (Hwb * W + gb) / Hbb))
    return {"ok": bool(ok), "db_star": str(dbs), "matches_reconstructed": sp.simplify(dbs - math_md) == 0,
            "dL_star": str(star), "dL_star_stationary": str(stationary),
            "uncompensated_minus_compensated": str(gain), "sign_flipped_residual": str(wrong)}


def linear_last_layer() -> dict:
    """Exact expansion with the least-squares conditions sum r = 0, sum r x = 0 (N = 4 symbolic
    samples), then minimisation in db."""
    n = 4
    x = sp.symbols(f"x0:{n}", real=True)
    r = list(sp.symbols(f"r0:{n}", real=True))
    # impose the LS conditions by solving for r0, r1
    cond = sp.solve([sum(r), sum(ri * xi for ri, xi in zip(r, x))], [r[0], r[1]], dict=True)[0]
    base = sum(ri ** 2 for ri in r) / (2 * n)
    new = sum((ri - W * xi + db) ** 2 for ri, xi in zip(r, x)) / (2 * n)
    dL = sp.simplify((new - base).subs(cond))
    m1 = sum(x) / n
    m2 = sum(xi ** 2 for xi in x) / n
    model = (W ** 2 * m2 - 2 * W * m1 * db + db ** 2) / 2
    exact_model = sp.simplify(dL - model) == 0
    dbs = sp.solve(sp.Eq(sp.diff(model, db), 0), db)[0]
    star = sp.simplify(model.subs(db, dbs))
    var = m2 - m1 ** 2
    ok = exact_model and sp.simplify(dbs - W * m1) == 0 and sp.simplify(star - W ** 2 * var / 2) == 0
    return {"ok": bool(ok), "exact_quadratic": exact_model, "db_star": str(sp.simplify(dbs)),
            "dL_star": "W**2*Var(x_k)/2"}


def _ls_fit_exact(X: sp.Matrix, y: sp.Matrix):
    Xa = X.row_join(sp.ones(X.rows, 1))
    theta = (Xa.T * Xa).LUsolve(Xa.T * y)
    return theta


def linear_last_layer_exact_instances(count: int = 5, seed: int = 0) -> dict:
    """Random small rational data: exact least-squares fit (sympy rationals), remove each weight,
    minimise the exact loss (1/(2N)) sum r^2 over db (a quadratic: exact vertex) and compare with
    db* = W mean(x_k), dL* = W^2 Var(x_k)/2.  Exact equality required."""
    rng = np.random.default_rng(seed)
    cases = 0
    for _ in range(count):
        N, d = int(rng.integers(4, 8)), int(rng.integers(1, 4))
        X = sp.Matrix(N, d, lambda i, j: sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 5))))
        y = sp.Matrix(N, 1, lambda i, j: sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 5))))
        Xa = X.row_join(sp.ones(N, 1))
        if (Xa.T * Xa).det() == 0:
            continue
        theta = _ls_fit_exact(X, y)
        w, b0 = theta[:d, 0], theta[d, 0]

        def loss(wv, bv):
            res = X * wv + sp.ones(N, 1) * bv - y
            return sum(v ** 2 for v in res) / (2 * N)

        L0 = loss(w, b0)
        for k in range(d):
            w2 = w.copy()
            Wk = w2[k]
            w2[k] = 0
            s = sp.Symbol("s")
            q = sp.expand(loss(w2, b0 + s))
            s_star = sp.solve(sp.diff(q, s), s)[0]
            col = [X[i, k] for i in range(N)]
            m1 = sum(col) / N
            var = sum(v ** 2 for v in col) / N - m1 ** 2
            if s_star != Wk * m1 or q.subs(s, s_star) - L0 != Wk ** 2 * var / 2:
                return {"ok": False, "counterexample": {"X": str(X.tolist()), "y": str(y.T.tolist()), "k": k}}
            cases += 1
    return {"ok": True, "cases": cases}


def linear_last_layer_bruteforce(count: int = 20, seed: int = 0, noise: float = 0.5) -> dict:
    """Float cross-check: numpy least squares, then scipy's bounded scalar minimisation of the true
    loss after removal; returns the largest deviations from the closed forms (evidence only)."""
    from scipy.optimize import minimize_scalar

    rng = np.random.default_rng(seed)
    worst_db = worst_dl = 0.0
    for _ in range(count):
        N, d = int(rng.integers(10, 40)), int(rng.integers(1, 6))
        X = rng.normal(size=(N, d)) + rng.normal(size=d)
        y = X @ rng.normal(size=d) + noise * rng.normal(size=N)
        Xa = np.hstack([X, np.ones((N, 1))])
        theta = np.linalg.lstsq(Xa, y, rcond=None)[0]
        w, b0 = theta[:d], theta[d]
        L0 = np.mean((X @ w + b0 - y) ** 2) / 2
        for k in range(d):
            w2 = w.copy()
            w2[k] = 0.0
            f = lambda s: np.mean((X @ w2 + b0 + s - y) ** 2) / 2  # noqa: E731
            res = minimize_scalar(f, bounds=(-100, 100), method="bounded", options={"xatol": 1e-12})
            dbs = w[k] * X[:, k].mean()
            dls = w[k] ** 2 * X[:, k].var() / 2
            worst_db = max(worst_db, abs(res.x - dbs))
            worst_dl = max(worst_dl, abs((res.fun - L0) - dls))
    return {"max_abs_db_error": worst_db, "max_abs_dL_error": worst_dl}


def several_weights_first_order(k: int = 3) -> dict:
    Ws = sp.symbols(f"W0:{k}", real=True)
    Bs = sp.symbols(f"B0:{k}", real=True)
    Cs = sp.Matrix(k, k, lambda i, j: sp.Symbol(f"C{min(i, j)}_{max(i, j)}", real=True))
    Wv = sp.Matrix(Ws)
    Bv = sp.Matrix(Bs)
    S = A * db ** 2 - 2 * db * (Wv.T * Bv)[0] + (Wv.T * Cs * Wv)[0]
    dbs = sp.solve(sp.Eq(sp.diff(S, db), 0), db)[0]
    singles = [Ws[i] * Bs[i] / A for i in range(k)]
    additive = sp.simplify(dbs - sum(singles)) == 0
    joint_score = sp.simplify(S.subs(db, dbs))
    sum_scores = sum(Ws[i] ** 2 * (Cs[i, i] - Bs[i] ** 2 / A) for i in range(k))
    scores_additive = sp.simplify(joint_score - sum_scores) == 0
    return {"ok": bool(additive and sp.diff(S, db, 2).is_positive is True), "db_star": str(dbs),
            "shift_additive": additive, "scores_additive": scores_additive}


def several_weights_linear(k: int = 2, n: int = 3) -> dict:
    """Exact linear last layer, LS optimum: removing k weights, the exact optimal shift is
    sum_i W_i mean(x_i) (symbolic data, N = n samples)."""
    Ws = sp.symbols(f"W0:{k}", real=True)
    x = [sp.symbols(f"x{i}_0:{n}", real=True) for i in range(k)]
    r = list(sp.symbols(f"r0:{n}", real=True))
    conds = [sum(r)] + [sum(r[m] * x[i][m] for m in range(n)) for i in range(k)]
    sol = sp.solve(conds, r[:k + 1], dict=True)[0]
    new = sum((r[m] - sum(Ws[i] * x[i][m] for i in range(k)) + db) ** 2 for m in range(n)) / (2 * n)
    new = sp.expand(new.subs(sol))
    dbs = sp.solve(sp.Eq(sp.diff(new, db), 0), db)[0]
    target = sum(Ws[i] * sum(x[i]) / n for i in range(k))
    ok = sp.simplify(dbs - target) == 0
    return {"ok": bool(ok), "db_star": str(sp.simplify(dbs))}


def several_weights_second_order(k: int = 3) -> dict:
    """Joint second-order model on (W_S, b): db*_joint = (sum H_bk W_k - g_b)/H_bb, compared with
    the sum of the single-weight shifts (H_bk W_k - g_b)/H_bb."""
    Ws = sp.symbols(f"W0:{k}", real=True)
    gws = sp.symbols(f"gw0:{k}", real=True)
    Hb = sp.symbols(f"Hb0:{k}", real=True)
    Hw = sp.Matrix(k, k, lambda i, j: sp.Symbol(f"Hw{min(i, j)}_{max(i, j)}", real=True))
    dw = sp.Matrix([-v for v in Ws])
    dL = ((sp.Matrix(gws).T * dw)[0] + gb * db
          + ((dw.T * Hw * dw)[0] + 2 * db * (sp.Matrix(Hb).T * dw)[0] + Hbb * db ** 2) / 2)
    joint = sp.simplify(sp.solve(sp.Eq(sp.diff(dL, db), 0), db)[0])
    singles = sum((Hb[i] * Ws[i] - gb) / Hbb for i in range(k))
    diff = sp.simplify(joint - singles)
    expected = (k - 1) * gb / Hbb
    ok = sp.simplify(diff - expected) == 0
    return {"ok": bool(ok), "db_star_joint": str(joint), "joint_minus_sum_of_singles": str(diff),
            "additive_iff": "g_b = 0 (or |S| = 1)"}


def second_order_counterexample_additivity() -> dict:
    """A concrete instance (k = 2, g_b = 1, H_bb = 1, everything else 0) where the second-order
    joint shift differs from the sum of the single shifts: joint = -1, sum of singles = -2."""
    Hb = [0, 0]
    gbv, Hbbv = Fraction(1), Fraction(1)
    Wv = [Fraction(1), Fraction(1)]
    joint = (sum(h * w_ for h, w_ in zip(Hb, Wv)) - gbv) / Hbbv
    singles = sum((h * w_ - gbv) / Hbbv for h, w_ in zip(Hb, Wv))
    return {"joint": str(joint), "sum_of_singles": str(singles), "differs": joint != singles}


from prunecert.bounds.elimination.ecp_pruning import first_order_scores  # noqa: E402  (the engine's vectorised form)
