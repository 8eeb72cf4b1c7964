"""Measured experiments for seed 003: the l1 phase transition and the pruning-threshold prediction
against reality on small networks.  Floating point throughout except where stated (the
statistical dimension bounds and the predicted crossing are certified for the given inputs).

* :func:`phase_transition_experiment` — l1 recovery success vs m around d psi(s/d).
* :func:`threshold_experiment` — train a small MLP with l1 regularisation, take the exact dense
  Hessian spectrum, predict the pruning threshold p* (G(R(p)) = p, certified crossing for the
  float spectrum/weights/eps taken as exact inputs), and measure the actual threshold by global
  magnitude pruning.

Definitions (threshold experiment):
* eps = standard deviation (ddof 0) of the mean training loss over consecutive batches of
  ``eps_batch`` samples of the training set (the authors' ``cal_loss``), l1 term included (a
  constant per batch, so it does not change the std);
* spectrum: eigenvalues of the Hessian of the training loss w.r.t. all parameters (weights and
  biases), rho_i = 1; R(p) = ||w - T_p(w)||_2 over the weight matrices;
* actual threshold p_act = max{k/N : acc_test(T_k w) >= acc_test(w) - tol}, k = 0..N pruned
  weights (global magnitude order), tol = ``tol`` (default 0: "stays at the dense accuracy");
  also p_first = (first k with acc < acc_dense - tol) - 1, over N;
* gap = predicted - actual, in percentage points of the pruning ratio.
"""
from __future__ import annotations

import time
from fractions import Fraction

import numpy as np

from prunecert.checks.learning import mlp
from prunecert.checks.errors import InputError

from prunecert.bounds.limit.kinematic import a_eta
from prunecert.bounds.limit.pruning_threshold import crossing_magnitude
from prunecert.bounds.limit.statdim import l1_descent_bounds, psi

__all__ = ["phase_transition_experiment", "threshold_experiment", "DEMO_CASES"]


def phase_transition_experiment(d: int = 100, ss=(5, 10, 20), *, trials: int = 30, step: int = 2,
                                half_width: int = 16, seed: int = 0, eta: str = "0.5", mc_draws: int = 4000,
                                on_step=None) -> dict:
    from prunecert.bounds.limit import cone_projection as cp
    from prunecert.bounds.limit.l1_recovery import crossing, success_curve
    from prunecert.checks.statistics.montecarlo import statdim_mc

    t0 = time.perf_counter()
    a = float(a_eta(eta).mid())
    window = float(a * np.sqrt(d))
    rows = []
    for s in ss:
        lo, hi, enc = l1_descent_bounds(d, s)
        dpsi = float(d * (enc.psi_lo + enc.psi_hi) / 2)
        sg = np.zeros(d)
        sg[:s] = 1
        mc = statdim_mc(None, d, n=mc_draws, seed=seed + s, sq_dist=cp.l1_normal_dist2(sg))
        c = int(round(dpsi))
        ms = [m for m in range(c - half_width, c + half_width + 1, step) if 1 <= m <= d]
        pts = success_curve(d, s, ms, trials, seed, on_step=on_step)
        x = crossing([p.m for p in pts], [p.rate for p in pts])
        rows.append({
            "d": d, "s": s, "d_psi": dpsi, "delta_lower": float(lo), "delta_upper": float(hi),
            "delta_mc": mc.mean, "delta_mc_ci99": [mc.lo, mc.hi], "crossing": x,
            "crossing_minus_dpsi": None if x is None else x - dpsi,
            "window": window, "within_window": bool(x is not None and abs(x - dpsi) <= window),
            "points": [p.to_json() for p in pts],
        })
    return {"experiment": "l1-phase-transition", "d": d, "ss": list(ss), "trials": trials, "seed": seed,
            "eta": eta, "a_eta": a, "window": window, "rows": rows, "seconds": time.perf_counter() - t0,
            "method": "scipy.optimize.linprog(method='highs'); success iff ||x - x0||_2 <= 1e-5 max(1, ||x0||_2)"}


def _batch_loss_std(params, X, y, kind, l1, batch: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(X))
    vals = []
    for start in range(0, len(X), batch):
        idx = perm[start:start + batch]
        vals.append(float(mlp.loss(params, X[idx], y[idx], kind, l1)))
    return float(np.std(vals))


DEMO_CASES = (   # the bundled small case of `prunecert limit --demo`
    {"dataset": "digits", "hidden": (12,), "l1": 1e-4, "epochs": 40, "lr": 1e-2, "seed": 0},
    {"dataset": "synthetic", "hidden": (16,), "l1": 1e-3, "epochs": 60, "lr": 1e-2, "seed": 0},
    {"dataset": "synthetic", "hidden": (16,), "l1": 1e-3, "epochs": 60, "lr": 1e-2, "seed": 1},
)

TABLE_CASES = tuple(  # the docs table (scripts/limit_table.py): 3 seeds per task
    {**base, "seed": s}
    for base in ({"dataset": "digits", "hidden": (16,), "l1": 1e-4, "epochs": 40, "lr": 1e-2},
                 {"dataset": "synthetic", "hidden": (16,), "l1": 1e-3, "epochs": 60, "lr": 1e-2})
    for s in (0, 1, 2)
)


def threshold_experiment(dataset: str = "digits", *, hidden=(16,), l1: float = 1e-4, epochs: int = 40,
                         lr: float = 1e-2, batch_size: int = 64, seed: int = 0, tol: float = 0.0,
                         eps_batch: int = 128, n_samples: int | None = None, max_params: int = 2500,
                         on_stage=None) -> dict:
    """One network: train, spectrum, predicted and actual thresholds (see module docstring)."""
    t0 = time.perf_counter()
    stage = on_stage or (lambda name: None)
    if tol < 0:
        raise InputError(f"tolerance must be >= 0, got {tol}")
    kw = {"n_samples": n_samples} if n_samples else {}
    Xtr, ytr, Xte, yte = mlp.load_dataset(dataset, seed=seed, **kw)
    n_classes = int(max(ytr.max(), yte.max()) + 1)
    sizes = [Xtr.shape[1], *hidden, n_classes]
    params = mlp.init_params(sizes, seed=seed)
    P = mlp.n_params(params)
    if P > max_params:
        raise InputError(f"{P} parameters exceed the dense-Hessian budget ({max_params})")
    stage("train")
    params = mlp.train(params, Xtr, ytr, kind="xent", l1=l1, epochs=epochs, lr=lr, batch_size=batch_size, seed=seed)
    acc_dense = mlp.accuracy(params, Xte, yte)
    stage("hessian")
    H = mlp.hessian(params, Xtr, ytr, "xent", l1)
    lams = np.linalg.eigvalsh(H)
    eps = _batch_loss_std(params, Xtr, ytr, "xent", l1, eps_batch, seed)
    if not eps > 0:
        raise InputError("loss std across batches is 0; cannot form r_i^2 = 2 eps/|lambda_i|")
    W = np.concatenate([Wm.ravel() for Wm, _ in params])
    N = W.size
    stage("predict")
    cr = crossing_magnitude([Fraction(float(x)) for x in lams], Fraction(eps), [Fraction(float(x)) for x in W])
    lbar = float(np.mean(np.abs(lams)))
    cr_trace = crossing_magnitude([Fraction(lbar)], Fraction(eps), [Fraction(float(x)) for x in W])
    stage("prune")
    order = np.argsort(np.abs(W), kind="stable")
    accs = np.empty(N + 1)
    shapes = [Wm.shape for Wm, _ in params]
    for k in range(N + 1):
        keep = np.ones(N)
        keep[order[:k]] = 0.0
        masked, pos = [], 0
        for (Wm, b), shp in zip(params, shapes):
            size = int(np.prod(shp))
            masked.append((Wm * keep[pos:pos + size].reshape(shp), b))
            pos += size
        accs[k] = mlp.accuracy(masked, Xte, yte)
    ok = accs >= acc_dense - tol - 1e-12
    k_act = int(np.max(np.nonzero(ok)[0]))
    bad = np.nonzero(~ok)[0]
    k_first = int(bad[0] - 1) if bad.size else N
    pred = cr.p_mid
    act = k_act / N
    return {
        "dataset": dataset, "sizes": sizes, "params": P, "weights": N, "seed": seed, "l1": l1, "epochs": epochs,
        "lr": lr, "tol": tol, "acc_dense": acc_dense, "eps": eps, "eps_batch": eps_batch,
        "lambda_min": float(lams.min()), "lambda_max": float(lams.max()), "trace_abs_mean": lbar,
        "negative_eigenvalues": int(np.sum(lams < 0)),
        "predicted": pred, "predicted_enclosure": [str(cr.p_lo), str(cr.p_hi)], "predicted_k": cr.k,
        "predicted_trace_version": cr_trace.p_mid,
        "actual": act, "actual_first_drop": k_first / N,
        "actual_tol_1pct": int(np.max(np.nonzero(accs >= acc_dense - 0.01 - 1e-12)[0])) / N,
        "gap_points": 100 * (pred - act),
        "accuracy_curve": {"k": list(range(0, N + 1, max(1, N // 50))),
                           "acc": [float(accs[k]) for k in range(0, N + 1, max(1, N // 50))]},
        "seconds": time.perf_counter() - t0,
    }
