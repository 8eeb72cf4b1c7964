"""Small fully-connected networks on autograd: init, forward, loss, training, exact Hessians.

This is an *engine* (floating point, for experiments only — never for proofs).  It knows
networks and datasets, not theorems.  Everything random takes an explicit ``seed``.

Parameters are a list of layers ``[(W1, b1), (W2, b2), ...]`` with ``W`` of shape
``(fan_in, fan_out)``; the last layer is linear, hidden layers use ``activation``.

Conventions
-----------
* ``loss(kind="xent")``: mean softmax cross-entropy, ``y`` integer labels ``0..K-1``.
* ``loss(kind="mse")``: mean over samples of the squared error summed over outputs
  (``y`` of shape ``(n,)`` for one output or ``(n, K)``).
* ``l1``: adds ``l1 * sum |W|`` over the **weight matrices** (biases are not penalised and
  are not pruned by :func:`magnitude_masks`).  ``|.|`` has zero second derivative almost
  everywhere, so :func:`hessian` is the Hessian of the data loss at any point where no
  weight is exactly 0.
* :func:`hessian` is the dense Hessian with respect to :func:`flatten` order (all
  parameters, weights and biases), computed by autograd (reverse-over-reverse), symmetrised.
  Meant for small networks (a few thousand parameters at most).
"""
from __future__ import annotations

from typing import Callable, Sequence

import autograd
import autograd.numpy as anp
import numpy as np
from autograd.misc.flatten import flatten as _ag_flatten
from autograd.scipy.special import logsumexp

from prunecert.checks.errors import InputError

__all__ = [
    "init_params", "forward", "loss", "train", "flatten", "hessian", "accuracy",
    "load_dataset", "DATASETS", "n_params", "weight_mask_vector", "magnitude_masks",
    "apply_masks", "predict",
]

DATASETS = ("digits", "synthetic", "synthetic-classification", "synthetic-regression")


# --------------------------------------------------------------------------- parameters
def init_params(sizes: Sequence[int], *, seed: int, scale="he") -> list[tuple[np.ndarray, np.ndarray]]:
    """Random weights (Gaussian, std by ``scale``) and zero biases for layer ``sizes``.

    scale: "he" (std sqrt(2/fan_in)), "xavier" (std sqrt(1/fan_in)), or a positive number
    (the std itself)."""
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or any(s < 1 for s in sizes):
        raise InputError(f"sizes must list at least 2 positive layer widths, got {list(sizes)}")
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        if scale == "he":
            std = np.sqrt(2.0 / fan_in)
        elif scale == "xavier":
            std = np.sqrt(1.0 / fan_in)
        else:
            try:
                std = float(scale)
            except (TypeError, ValueError) as exc:
                raise InputError(f"unknown scale {scale!r}") from exc
            if not np.isfinite(std) or std <= 0:
                raise InputError(f"scale must be positive and finite, got {scale!r}")
        params.append((rng.normal(0.0, std, size=(fan_in, fan_out)), np.zeros(fan_out)))
    return params


def n_params(params) -> int:
    return int(sum(W.size + b.size for W, b in params))


# --------------------------------------------------------------------------- model
_ACTIVATIONS: dict[str, Callable] = {
    "relu": lambda z: anp.maximum(z, 0.0),
    "tanh": anp.tanh,
    "softplus": lambda z: anp.logaddexp(0.0, z),
    "identity": lambda z: z,
}


def forward(params, X, activation: str = "relu"):
    """Network output (logits for classification), shape ``(n, fan_out_last)``."""
    try:
        act = _ACTIVATIONS[activation]
    except KeyError as exc:
        raise InputError(f"unknown activation {activation!r}; one of {sorted(_ACTIVATIONS)}") from exc
    h = X
    last = len(params) - 1
    for i, (W, b) in enumerate(params):
        h = anp.dot(h, W) + b
        if i < last:
            h = act(h)
    return h


def _data_loss(out, y, kind: str):
    if kind == "xent":
        y = np.asarray(y)
        n = out.shape[0]
        lse = logsumexp(out, axis=1)
        picked = out[np.arange(n), y.astype(int)]
        return anp.mean(lse - picked)
    if kind == "mse":
        y = np.asarray(y, dtype=float)
        if y.ndim == 1:
            y = y[:, None]
        return anp.mean(anp.sum((out - y) ** 2, axis=1))
    raise InputError(f"unknown loss kind {kind!r}; use 'mse' or 'xent'")


def loss(params, X, y, kind: str = "xent", l1: float = 0.0, activation: str = "relu"):
    """Mean data loss plus ``l1 * sum |W|`` (weights only).  Autograd-compatible."""
    val = _data_loss(forward(params, X, activation), y, kind)
    if l1:
        val = val + l1 * sum(anp.sum(anp.abs(W)) for W, _ in params)
    return val


def predict(params, X, activation: str = "relu") -> np.ndarray:
    """Predicted class labels (argmax of the logits)."""
    return np.argmax(np.asarray(forward(params, X, activation)), axis=1)


def accuracy(params, X, y, activation: str = "relu") -> float:
    """Fraction of samples whose argmax logit equals the integer label ``y``."""
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise InputError("accuracy needs integer class labels y of shape (n,)")
    return float(np.mean(predict(params, X, activation) == y))


# --------------------------------------------------------------------------- flattening
def flatten(params):
    """``(vector, unflatten)``: all parameters as one float vector (layer by layer, W
    row-major then b) and the inverse map back to the list-of-tuples structure."""
    vec, unflat = _ag_flatten([(W, b) for W, b in params])

    def unflatten(v):
        return [tuple(layer) for layer in unflat(v)]

    return np.asarray(vec, dtype=float), unflatten


def weight_mask_vector(params) -> np.ndarray:
    """Boolean vector (flatten order): True at weight-matrix entries, False at biases."""
    return flatten([(np.ones_like(W), np.zeros_like(b)) for W, b in params])[0].astype(bool)


# --------------------------------------------------------------------------- training
def train(params, X, y, *, kind: str = "xent", l1: float = 0.0, epochs: int = 100, lr: float = 1e-2,
          batch_size: int = 64, seed: int = 0, optimizer: str = "adam", activation: str = "relu",
          betas=(0.9, 0.999), eps: float = 1e-8, callback=None):
    """Mini-batch training; returns new params (the input is not modified).

    optimizer: "adam" (default) or "sgd".  ``callback(epoch, params)`` is called after each
    epoch if given."""
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    if n == 0 or len(np.asarray(y)) != n:
        raise InputError(f"X and y must have the same positive number of rows ({n} vs {len(np.asarray(y))})")
    if epochs < 0 or batch_size < 1 or not (lr > 0):
        raise InputError("need epochs >= 0, batch_size >= 1, lr > 0")
    if optimizer not in ("adam", "sgd"):
        raise InputError(f"unknown optimizer {optimizer!r}")
    y = np.asarray(y)
    v, unflatten = flatten(params)
    v = v.copy()

    def objective(vec, idx):
        return loss(unflatten(vec), X[idx], y[idx], kind, l1, activation)

    grad = autograd.grad(objective)
    rng = np.random.default_rng(seed)
    m1 = np.zeros_like(v)
    m2 = np.zeros_like(v)
    b1, b2 = betas
    t = 0
    for epoch in range(epochs):
        perm = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]
            g = grad(v, idx)
            if optimizer == "sgd":
                v = v - lr * g
                continue
            t += 1
            m1 = b1 * m1 + (1 - b1) * g
            m2 = b2 * m2 + (1 - b2) * g * g
            mhat = m1 / (1 - b1 ** t)
            vhat = m2 / (1 - b2 ** t)
            v = v - lr * mhat / (np.sqrt(vhat) + eps)
        if callback is not None:
            callback(epoch, unflatten(v))
    return unflatten(v)


# --------------------------------------------------------------------------- Hessian
def hessian(params, X, y, kind: str = "xent", l1: float = 0.0, activation: str = "relu") -> np.ndarray:
    """Dense Hessian of :func:`loss` w.r.t. the flattened parameters (autograd), symmetrised."""
    v, unflatten = flatten(params)
    if v.size > 5000:
        raise InputError(f"dense Hessian refused for {v.size} parameters (limit 5000)")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)

    def f(vec):
        return loss(unflatten(vec), X, y, kind, l1, activation)

    H = np.asarray(autograd.hessian(f)(v), dtype=float)
    return 0.5 * (H + H.T)


# --------------------------------------------------------------------------- pruning helpers
def magnitude_masks(params, ratio: float):
    """Global magnitude pruning of the weight matrices: masks (1 keep, 0 prune) removing the
    ``floor(ratio * #weights)`` smallest-|w| weights (ties broken by flatten order).
    Biases are never pruned."""
    if not (0.0 <= ratio <= 1.0):
        raise InputError(f"pruning ratio must lie in [0, 1], got {ratio!r}")
    mags = np.concatenate([np.abs(W).ravel() for W, _ in params])
    k = int(np.floor(ratio * mags.size))
    keep = np.ones(mags.size)
    if k > 0:
        order = np.argsort(mags, kind="stable")
        keep[order[:k]] = 0.0
    masks, pos = [], 0
    for W, _ in params:
        masks.append(keep[pos:pos + W.size].reshape(W.shape))
        pos += W.size
    return masks


def apply_masks(params, masks):
    return [(W * M, b) for (W, b), M in zip(params, masks)]


# --------------------------------------------------------------------------- datasets
def _split(X, y, seed, test_fraction, stratify):
    from sklearn.model_selection import train_test_split

    return train_test_split(X, y, test_size=test_fraction, random_state=seed,
                            stratify=y if stratify else None)


def load_dataset(name: str, seed: int = 0, *, n_samples: int | None = None, test_fraction: float = 0.3,
                 n_features: int = 8, n_classes: int = 3, noise: float = 0.1):
    """``(Xtr, ytr, Xte, yte)``.

    * ``"digits"``: scikit-learn's 8x8 digits (1,797 images, 10 classes), pixels / 16 and
      centred by the training mean; stratified split with ``seed``.  ``n_samples`` subsamples.
    * ``"synthetic"`` / ``"synthetic-classification"``: ``n_features``-dim standard Gaussian
      inputs, labels = argmax of a random one-hidden-layer ReLU teacher (``n_classes``
      classes) — integer labels.
    * ``"synthetic-regression"``: same inputs, target = scalar teacher output + Gaussian
      noise of std ``noise``; float targets of shape (n,).
    """
    if not (0.0 < test_fraction < 1.0):
        raise InputError(f"test_fraction must lie in (0, 1), got {test_fraction}")
    rng = np.random.default_rng(seed)
    if name == "digits":
        from sklearn.datasets import load_digits

        X, y = load_digits(return_X_y=True)
        X = X.astype(float) / 16.0
        y = y.astype(np.int64)
        if n_samples is not None:
            idx = rng.choice(len(y), size=min(int(n_samples), len(y)), replace=False)
            X, y = X[idx], y[idx]
        Xtr, Xte, ytr, yte = _split(X, y, seed, test_fraction, True)
        mu = Xtr.mean(axis=0)
        return Xtr - mu, ytr, Xte - mu, yte
    if name in ("synthetic", "synthetic-classification", "synthetic-regression"):
        n = 1000 if n_samples is None else int(n_samples)
        if n < 4 or n_features < 1 or n_classes < 2:
            raise InputError("synthetic data needs n_samples >= 4, n_features >= 1, n_classes >= 2")
        X = rng.normal(size=(n, n_features))
        hidden = 16
        T1 = rng.normal(size=(n_features, hidden)) / np.sqrt(n_features)
        c1 = rng.normal(size=hidden) * 0.1
        H = np.maximum(X @ T1 + c1, 0.0)
        if name == "synthetic-regression":
            t2 = rng.normal(size=hidden) / np.sqrt(hidden)
            y = H @ t2 + noise * rng.normal(size=n)
            Xtr, Xte, ytr, yte = _split(X, y, seed, test_fraction, False)
            return Xtr, ytr, Xte, yte
        T2 = rng.normal(size=(hidden, n_classes)) / np.sqrt(hidden)
        logits = H @ T2
        y = np.argmax(logits, axis=1).astype(np.int64)
        strat = np.bincount(y, minlength=n_classes).min() >= 2
        Xtr, Xte, ytr, yte = _split(X, y, seed, test_fraction, strat)
        return Xtr, ytr, Xte, yte
    raise InputError(f"unknown dataset {name!r}; one of {', '.join(DATASETS)}")
