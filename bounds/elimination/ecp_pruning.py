"""Weight-pruning methods for small fully-connected networks (prunecert.checks.learning.mlp parameters).

Engine only (floating point, experiments): it knows networks, not theorems.

Parameters are ``[(W, b), ...]`` with ``W`` of shape (fan_in, fan_out), z = h W + b.  Only weight
matrices are pruned (globally across layers); pruned weights stay 0.  Methods:

* ``magnitude``  — score |W|;
* ``random``     — uniformly random order (seeded);
* ``gradient``   — gradient magnitude |W * dL/dW| on the calibration data (first-order Taylor
  estimate of the loss change of removing W);
* ``ecp``        — elimination-compensation: for W[k, j] the first-order output model score
  W^2 (C - B^2/A) with a_n = ||d f(x_n)/d z_j||^2 (autograd, one backward pass per output),
  A = sum a_n, B = sum a_n x_k(n), C = sum a_n x_k(n)^2; after removing a set of weights the
  bias of each affected neuron j is shifted by sum_k W[k, j] x~_k(j), x~ = B/A (the joint shift is
  additive under this model);
* ``ecp-nocomp`` — the ECP score without applying the compensation (ablation).

:func:`prune_path` prunes to an increasing list of sparsities, recomputing scores at each level
(one *pruning step* per level) and reports the metric after each step, without fine-tuning.
"""
from __future__ import annotations

import time
from typing import Sequence

import autograd
import autograd.numpy as anp
import numpy as np

from prunecert.checks.learning import mlp
from prunecert.checks.errors import InputError

__all__ = ["METHODS", "output_jacobian_sq", "layer_inputs", "scores", "prune_step", "prune_path",
           "load_task", "TASKS", "SPARSITIES", "run_experiment", "summarise", "markdown_table", "plot",
           "first_order_scores"]

SPARSITIES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
CALIBRATION = 512

METHODS = ("ecp", "ecp-nocomp", "magnitude", "gradient", "random")
TASKS = {
    "diabetes": {"kind": "mse", "sizes": (10, 32, 32, 1), "epochs": 10, "lr": 5e-3, "batch": 32},
    "digits": {"kind": "xent", "sizes": (64, 32, 32, 10), "epochs": 40, "lr": 5e-3, "batch": 64},
    "synthetic-regression": {"kind": "mse", "sizes": (8, 32, 32, 1), "epochs": 60, "lr": 5e-3, "batch": 64},
}


def load_task(name: str, seed: int):
    """(Xtr, ytr, Xte, yte, spec).  ``diabetes``: scikit-learn's diabetes data (442 x 10),
    features and target standardised with training statistics, 30 % test split by ``seed``."""
    if name not in TASKS:
        raise InputError(f"unknown dataset {name!r}; one of {', '.join(TASKS)}")
    if name == "diabetes":
        from sklearn.datasets import load_diabetes
        from sklearn.model_selection import train_test_split

        X, y = load_diabetes(return_X_y=True)
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=seed)
        mu, sd = Xtr.mean(0), Xtr.std(0)
        ym, ys = ytr.mean(), ytr.std()
        return (Xtr - mu) / sd, (ytr - ym) / ys, (Xte - mu) / sd, (yte - ym) / ys, TASKS[name]
    Xtr, ytr, Xte, yte = mlp.load_dataset(name, seed=seed)
    return Xtr, ytr, Xte, yte, TASKS[name]


def layer_inputs(params, X) -> list[np.ndarray]:
    """The input h_{l-1} of every layer (ReLU hidden layers, linear output)."""
    h = np.asarray(X, float)
    outs = []
    for i, (W, b) in enumerate(params):
        outs.append(h)
        h = h @ W + b
        if i < len(params) - 1:
            h = np.maximum(h, 0.0)
    return outs


def _forward_shifted(params, X, deltas):
    h = X
    last = len(params) - 1
    for i, ((W, b), d) in enumerate(zip(params, deltas)):
        h = anp.dot(h, W) + b + d
        if i < last:
            h = anp.maximum(h, 0.0)
    return h


def output_jacobian_sq(params, X) -> list[np.ndarray]:
    """a[l][n, j] = sum_c (d f_c(x_n) / d z_{l,j})^2 for every layer l (autograd; one reverse
    pass per output c, since samples do not interact)."""
    X = np.asarray(X, float)
    n = X.shape[0]
    zeros = [np.zeros((n, W.shape[1])) for W, _ in params]
    n_out = params[-1][0].shape[1]
    acc = [np.zeros_like(z) for z in zeros]
    for c in range(n_out):
        g = autograd.grad(lambda ds, c=c: anp.sum(_forward_shifted(params, X, ds)[:, c]))(zeros)
        for l in range(len(acc)):
            acc[l] += np.asarray(g[l]) ** 2
    return acc


def first_order_scores(a: np.ndarray, X: np.ndarray, Wm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First-order output model for one layer, vectorised.

    a: (n, out) with a[n, j] = ||d f_n / d z_j||^2; X: (n, in) layer inputs; Wm: (in, out).
    Returns (scores, shifts), both (in, out): score W^2 (C - B^2/A) and shift W B/A of the weight
    W[k, j]; where A_j = 0 the score is W^2 C (= 0 then) and the shift 0."""
    a = np.asarray(a, float)
    X = np.asarray(X, float)
    Wm = np.asarray(Wm, float)
    if a.ndim != 2 or X.ndim != 2 or a.shape[0] != X.shape[0] or Wm.shape != (X.shape[1], a.shape[1]):
        raise InputError("inconsistent shapes for first_order_scores")
    Av = a.sum(axis=0)
    Bm = X.T @ a
    Cm = (X ** 2).T @ a
    safe = np.where(Av > 0, Av, 1.0)
    xt = np.where(Av > 0, Bm / safe, 0.0)
    return Wm ** 2 * np.maximum(Cm - Bm * xt, 0.0), Wm * xt


def scores(method: str, params, X, y, kind: str, rng: np.random.Generator):
    """Per-layer score arrays (shape of W) and, for ECP, per-layer shift arrays (the shift that
    removing W[k, j] contributes to b_j), else None."""
    if method == "magnitude":
        return [np.abs(W) for W, _ in params], None
    if method == "random":
        return [rng.random(W.shape) for W, _ in params], None
    if method == "gradient":
        g = autograd.grad(lambda p: mlp.loss(p, X, y, kind))(params)
        return [np.abs(W * np.asarray(gW)) for (W, _), (gW, _) in zip(params, g)], None
    if method in ("ecp", "ecp-nocomp"):
        a = output_jacobian_sq(params, X)
        hs = layer_inputs(params, X)
        out = [first_order_scores(al, hl, W) for al, hl, (W, _) in zip(a, hs, params)]
        return [o[0] for o in out], ([o[1] for o in out] if method == "ecp" else None)
    raise InputError(f"unknown pruning method {method!r}; one of {', '.join(METHODS)}")


def prune_step(method: str, params, masks, n_remove: int, X, y, kind: str, rng: np.random.Generator):
    """Remove the ``n_remove`` lowest-scored unpruned weights (globally); ECP also shifts the
    biases by the summed compensation of the removed weights of each neuron.  Returns new
    (params, masks)."""
    sc, shifts = scores(method, params, X, y, kind, rng)
    flat = np.concatenate([np.where(M > 0, s, np.inf).ravel() for s, M in zip(sc, masks)])
    alive = int(sum(int(M.sum()) for M in masks))
    n_remove = min(int(n_remove), alive)
    if n_remove <= 0:
        return params, masks
    # ties broken randomly (a stable argsort would favour early layers)
    order = np.lexsort((rng.random(flat.size), flat))[:n_remove]
    kill = np.zeros(flat.size, dtype=bool)
    kill[order] = True
    new_params, new_masks, pos = [], [], 0
    for l, ((W, b), M) in enumerate(zip(params, masks)):
        k = kill[pos:pos + W.size].reshape(W.shape)
        pos += W.size
        b2 = b.copy()
        if shifts is not None:
            b2 = b2 + np.where(k, shifts[l], 0.0).sum(axis=0)
        new_params.append((np.where(k, 0.0, W), b2))
        new_masks.append(np.where(k, 0.0, M))
    return new_params, new_masks


def _metric(params, X, y, kind: str) -> dict:
    out = {"loss": float(mlp.loss(params, X, y, kind))}
    if kind == "xent":
        out["accuracy"] = float(mlp.accuracy(params, X, y))
    return out


def prune_path(method: str, params, sparsities: Sequence[float], Xcal, ycal, Xte, yte, kind: str, *,
               seed: int) -> list[dict]:
    """Prune to each sparsity in increasing order (one step per level, scores recomputed on the
    calibration data), recording the test metric and the seconds per step."""
    sp_ = [float(s) for s in sparsities]
    if any(not 0 <= s < 1 for s in sp_) or sp_ != sorted(sp_):
        raise InputError("sparsities must be increasing values in [0, 1)")
    rng = np.random.default_rng(seed)
    total = int(sum(W.size for W, _ in params))
    masks = [np.ones_like(W) for W, _ in params]
    cur = [(np.array(W, float), np.array(b, float)) for W, b in params]
    rows = []
    for s in sp_:
        target_removed = int(round(s * total))
        removed = total - int(sum(int(M.sum()) for M in masks))
        t0 = time.perf_counter()
        cur, masks = prune_step(method, cur, masks, target_removed - removed, Xcal, ycal, kind, rng)
        secs = time.perf_counter() - t0
        row = {"method": method, "sparsity": s, "step_seconds": secs,
               "removed": total - int(sum(int(M.sum()) for M in masks)), "weights": total}
        row.update(_metric(cur, Xte, yte, kind))
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- experiment
def seed_rows(dataset: str, seed: int, sparsities: Sequence[float] = SPARSITIES,
              methods: Sequence[str] = METHODS) -> list[dict]:
    """One task of the experiment: train the network of (dataset, seed), prune it with every
    method along ``sparsities`` (no fine-tuning) and return the rows (test metric per point)."""
    for m in methods:
        if m not in METHODS:
            raise InputError(f"unknown pruning method {m!r}; one of {', '.join(METHODS)}")
    Xtr, ytr, Xte, yte, spec = load_task(dataset, seed)
    t0 = time.perf_counter()
    p = mlp.init_params(spec["sizes"], seed=seed)
    p = mlp.train(p, Xtr, ytr, kind=spec["kind"], epochs=spec["epochs"], lr=spec["lr"],
                  batch_size=spec["batch"], seed=seed)
    train_s = time.perf_counter() - t0
    cal = np.random.default_rng(seed).permutation(len(ytr))[:CALIBRATION]
    rows = []
    for m in methods:
        for r in prune_path(m, p, sparsities, Xtr[cal], ytr[cal], Xte, yte, spec["kind"], seed=seed):
            r.update({"dataset": dataset, "seed": seed, "train_seconds": train_s})
            rows.append(r)
    return rows


def experiment_config(datasets: Sequence[str], seeds: int, sparsities: Sequence[float] = SPARSITIES,
                      methods: Sequence[str] = METHODS) -> dict:
    import platform

    import autograd as _ag  # noqa: F401
    import sklearn

    return {"datasets": list(datasets), "seeds": seeds, "sparsities": list(sparsities), "methods": list(methods),
            "tasks": {d: {k: (list(v) if isinstance(v, tuple) else v) for k, v in TASKS[d].items()} for d in datasets},
            "calibration_samples": CALIBRATION, "fine_tuning": False,
            "versions": {"python": platform.python_version(), "numpy": np.__version__, "sklearn": sklearn.__version__}}


def run_experiment(datasets: Sequence[str] = ("diabetes", "digits"), seeds: int = 5,
                   sparsities: Sequence[float] = SPARSITIES, methods: Sequence[str] = METHODS,
                   on_progress=None) -> dict:
    """Train one network per (dataset, seed), prune it with every method along ``sparsities``
    (no fine-tuning) and record the test metric (:func:`seed_rows`, in this process).
    ``on_progress(description)`` is called after each (dataset, seed).  Returns {"rows": [...], "config": {...}}."""
    if seeds < 1:
        raise InputError("seeds must be positive")
    for m in methods:
        if m not in METHODS:
            raise InputError(f"unknown pruning method {m!r}; one of {', '.join(METHODS)}")
    rows = []
    for name in datasets:
        for seed in range(seeds):
            rows += seed_rows(name, seed, sparsities, methods)
            if on_progress is not None:
                on_progress(f"{name} seed {seed}")
    return {"rows": rows, "config": experiment_config(datasets, seeds, sparsities, methods)}


def _metric_name(rows) -> str:
    return "accuracy" if "accuracy" in rows[0] else "loss"


def summarise(rows: list[dict]) -> list[dict]:
    """Mean and standard deviation (over seeds) per (dataset, method, sparsity)."""
    out = []
    keys = sorted({(r["dataset"], r["method"], r["sparsity"]) for r in rows})
    for d, m, s in keys:
        sel = [r for r in rows if (r["dataset"], r["method"], r["sparsity"]) == (d, m, s)]
        metric = _metric_name(sel)
        v = np.array([r[metric] for r in sel])
        st = np.array([r["step_seconds"] for r in sel])
        out.append({"dataset": d, "method": m, "sparsity": s, "metric": metric, "n": len(v),
                    "mean": float(v.mean()), "std": float(v.std(ddof=1)) if len(v) > 1 else 0.0,
                    "min": float(v.min()), "max": float(v.max()), "step_seconds_mean": float(st.mean())})
    return out


def markdown_table(summary: list[dict], dataset: str) -> str:
    sel = [r for r in summary if r["dataset"] == dataset]
    if not sel:
        return ""
    methods = [m for m in METHODS if any(r["method"] == m for r in sel)]
    spars = sorted({r["sparsity"] for r in sel})
    metric = sel[0]["metric"]
    head = f"| sparsity | " + " | ".join(methods) + " |\n|---|" + "---|" * len(methods) + "\n"
    lines = []
    for s in spars:
        cells = []
        for m in methods:
            r = next(x for x in sel if x["method"] == m and x["sparsity"] == s)
            cells.append(f"{r['mean']:.3f} ± {r['std']:.3f}")
        lines.append(f"| {s:.2f} | " + " | ".join(cells) + " |")
    n = sel[0]["n"]
    return (f"Test {metric} (mean ± sample std over {n} seeds), no fine-tuning:\n\n" + head + "\n".join(lines) + "\n")


def plot(summary: list[dict], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    datasets = sorted({r["dataset"] for r in summary})
    fig, axes = plt.subplots(1, len(datasets), figsize=(5.5 * len(datasets), 4), squeeze=False)
    for ax, d in zip(axes[0], datasets):
        sel = [r for r in summary if r["dataset"] == d]
        for m in METHODS:
            pts = sorted((r["sparsity"], r["mean"], r["std"]) for r in sel if r["method"] == m)
            if not pts:
                continue
            s, mu, sd = map(np.array, zip(*pts))
            ax.plot(s, mu, marker="o", ms=3, label=m)
            ax.fill_between(s, mu - sd, mu + sd, alpha=0.15)
        metric = sel[0]["metric"]
        ax.set_title(f"{d} (test {metric}, mean ± std over {sel[0]['n']} seeds)")
        ax.set_xlabel("sparsity (fraction of weights removed)")
        ax.set_ylabel(metric)
        if metric == "loss":
            ax.set_yscale("log")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
