"""Bias-free two-layer ReLU networks with exact rational weights.

A network of width ``n`` on ``R^d`` is ``(model, w, u, v)``:

* ``u`` (n x d) hidden weights, ``v`` (n) output weights, ``w`` (d) the target direction
  (the function to approximate is ``relu(<w, x>)``, ``||w||_2 <= 1``);
* Model ``"A"`` (linear output):   ``g(x) = sum_i v_i relu(<u_i, x>)``;
* Model ``"B"`` (output ReLU):     ``g(x) = relu(sum_i v_i relu(<u_i, x>))``.

Pruning is a pair of masks: ``neuron_mask`` (n entries 0/1; 0 removes the unit, i.e. sets
``v_i = 0``) and ``weight_mask`` (n x d entries 0/1; 0 sets ``u_ij = 0``).  Pruning is exact.

JSON form: ``{"model": "B", "w": [...], "u": [[...], ...], "v": [...]}`` whose entries are
strings holding decimals (``"0.25"``, ``"1e-3"``) or fractions (``"3/7"``); the network is
exactly those numbers.  Numbers (ints) are accepted too; floats are read as their exact
binary value.

This module knows networks, not theorems.  Float evaluation is for search only.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from prunecert.checks.errors import InputError, NetworkError
from prunecert.checks.rigorous.numbers import exact_decimal, to_fraction

__all__ = ["Network", "sample", "prefix", "exact_str", "check_masks"]

MODELS = ("A", "B")


exact_str = exact_decimal  # exact text of a weight: terminating decimal, else "p/q"


def _read_vector(obj, what: str) -> tuple[Fraction, ...]:
    if not isinstance(obj, (list, tuple)):
        raise NetworkError(f"{what}: expected a list of numbers, got {type(obj).__name__}")
    out = []
    for j, x in enumerate(obj):
        if isinstance(x, (list, tuple, dict)) or x is None:
            raise NetworkError(f"{what}[{j}]: expected a number, got {type(x).__name__}")
        try:
            out.append(to_fraction(x, f"{what}[{j}]"))
        except InputError as exc:
            raise NetworkError(str(exc)) from None
    return tuple(out)


def check_masks(n: int, d: int, neuron_mask=None, weight_mask=None):
    """Validate masks; return (neuron_mask tuple of 0/1 of length n, weight_mask n x d)."""
    if neuron_mask is None:
        nm = (1,) * n
    else:
        nm = tuple(int(m) for m in np.asarray(neuron_mask).reshape(-1)) if len(neuron_mask) == n else None
        if nm is None:
            raise NetworkError(f"neuron_mask: expected {n} entries, got {len(neuron_mask)}")
        if any(m not in (0, 1) for m in nm):
            raise NetworkError("neuron_mask: entries must be 0 or 1")
    if weight_mask is None:
        wm = tuple((1,) * d for _ in range(n))
    else:
        arr = np.asarray(weight_mask)
        if n == 0 and arr.size == 0:
            arr = arr.reshape(0, d)                 # a network with no units: [] is the empty mask
        if arr.shape != (n, d):
            raise NetworkError(f"weight_mask: expected shape ({n}, {d}), got {arr.shape}")
        if not np.isin(arr, (0, 1)).all():
            raise NetworkError("weight_mask: entries must be 0 or 1")
        wm = tuple(tuple(int(m) for m in row) for row in arr)
    return nm, wm


@dataclass(frozen=True)
class Network:
    model: str
    w: tuple[Fraction, ...]
    u: tuple[tuple[Fraction, ...], ...]
    v: tuple[Fraction, ...]

    def __post_init__(self):
        if self.model not in MODELS:
            raise NetworkError(f"model must be 'A' or 'B', got {self.model!r}")
        d = len(self.w)
        if d < 1:
            raise NetworkError("w must have at least one entry (d >= 1)")
        if len(self.u) != len(self.v):
            raise NetworkError(f"u has {len(self.u)} rows but v has {len(self.v)} entries")
        for i, row in enumerate(self.u):
            if len(row) != d:
                raise NetworkError(f"u[{i}] has {len(row)} entries, expected d = {d} (the length of w)")
        if sum(x * x for x in self.w) > 1:
            raise NetworkError("||w||_2 > 1: the target direction must lie in the closed unit ball")

    # ------------------------------------------------------------------ shape
    @property
    def n(self) -> int:
        return len(self.v)

    @property
    def d(self) -> int:
        return len(self.w)

    # ------------------------------------------------------------------ JSON
    @classmethod
    def from_json(cls, obj_or_path: Any) -> "Network":
        """Read a network from a dict, a JSON string or a path; NetworkError on bad input."""
        obj = obj_or_path
        if isinstance(obj, (str, Path)) and not (isinstance(obj, str) and obj.lstrip().startswith("{")):
            p = Path(obj)
            if not p.is_file():
                raise NetworkError(f"network file not found: {p}")
            from prunecert.checks.rigorous.numbers import load_json
            try:
                obj = load_json(p.read_bytes(), str(p))
            except InputError as exc:
                raise NetworkError(str(exc)) from None
            except OSError as exc:
                raise NetworkError(f"{p}: cannot read ({exc.strerror or exc})") from None
        elif isinstance(obj, str):
            from prunecert.checks.rigorous.numbers import load_json
            try:
                obj = load_json(obj, "network JSON")
            except InputError as exc:
                raise NetworkError(str(exc)) from None
        if not isinstance(obj, dict):
            raise NetworkError("a network is a JSON object with keys model, w, u, v")
        missing = [k for k in ("model", "w", "u", "v") if k not in obj]
        if missing:
            raise NetworkError(f"network JSON lacks key(s): {', '.join(missing)}")
        model = obj["model"]
        if not isinstance(model, str) or model.upper() not in MODELS:
            raise NetworkError(f"model must be 'A' or 'B', got {model!r}")
        w = _read_vector(obj["w"], "w")
        if not isinstance(obj["u"], (list, tuple)):
            raise NetworkError("u: expected a list of rows")
        u = tuple(_read_vector(row, f"u[{i}]") for i, row in enumerate(obj["u"]))
        v = _read_vector(obj["v"], "v")
        return cls(model.upper(), w, u, v)

    def to_json(self) -> dict:
        return {
            "model": self.model,
            "w": [exact_str(x) for x in self.w],
            "u": [[exact_str(x) for x in row] for row in self.u],
            "v": [exact_str(x) for x in self.v],
        }

    def save(self, path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1) + "\n")

    # ------------------------------------------------------------------ pruning
    def pruned(self, neuron_mask=None, weight_mask=None) -> "Network":
        """The exactly pruned network: masked output weights / hidden weights become 0."""
        nm, wm = check_masks(self.n, self.d, neuron_mask, weight_mask)
        u = tuple(tuple(x if m else Fraction(0) for x, m in zip(row, mrow)) for row, mrow in zip(self.u, wm))
        v = tuple(x if m else Fraction(0) for x, m in zip(self.v, nm))
        return Network(self.model, self.w, u, v)

    # ------------------------------------------------------------------ exact evaluation
    def inner_exact(self, x: Sequence) -> Fraction:
        """sum_i v_i relu(<u_i, x>) at an exact point."""
        xs = [to_fraction(t) for t in x]
        if len(xs) != self.d:
            raise InputError(f"point has {len(xs)} coordinates, expected {self.d}")
        tot = Fraction(0)
        for row, vi in zip(self.u, self.v):
            if vi:
                s = sum(a * b for a, b in zip(row, xs))
                if s > 0:
                    tot += vi * s
        return tot

    def evaluate_exact(self, x: Sequence) -> Fraction:
        h = self.inner_exact(x)
        return max(h, Fraction(0)) if self.model == "B" else h

    def target_exact(self, x: Sequence) -> Fraction:
        t = sum(a * to_fraction(b) for a, b in zip(self.w, x))
        return max(t, Fraction(0))

    def error_exact(self, x: Sequence) -> Fraction:
        """|g(x) - relu(<w, x>)| exactly."""
        return abs(self.evaluate_exact(x) - self.target_exact(x))

    # ------------------------------------------------------------------ float evaluation (search only)
    def arrays(self, neuron_mask=None, weight_mask=None):
        """(U, v, w) as float arrays with the masks applied (search only, never proof)."""
        U = np.array([[float(x) for x in row] for row in self.u], dtype=float).reshape(self.n, self.d)
        v = np.array([float(x) for x in self.v], dtype=float)
        w = np.array([float(x) for x in self.w], dtype=float)
        if neuron_mask is not None or weight_mask is not None:
            nm, wm = check_masks(self.n, self.d, neuron_mask, weight_mask)
            v = v * np.asarray(nm, dtype=float)
            U = U * np.asarray(wm, dtype=float).reshape(self.n, self.d)
        return U, v, w

    def evaluate_float(self, X: np.ndarray, neuron_mask=None, weight_mask=None) -> np.ndarray:
        X = np.atleast_2d(np.asarray(X, dtype=float))
        if X.shape[1] != self.d:
            raise InputError(f"points have {X.shape[1]} coordinates, expected {self.d}")
        U, v, _ = self.arrays(neuron_mask, weight_mask)
        h = np.maximum(X @ U.T, 0.0) @ v
        return np.maximum(h, 0.0) if self.model == "B" else h

    def target_float(self, X: np.ndarray) -> np.ndarray:
        X = np.atleast_2d(np.asarray(X, dtype=float))
        _, _, w = self.arrays()
        return np.maximum(X @ w, 0.0)


def _round_decimal(x: float, digits: int) -> Fraction:
    return Fraction(int(round(x * 10**digits)), 10**digits)


def sample(n: int, d: int, *, seed: int, dist: str = "uniform", model: str = "B",
           target: str = "random", digits: int = 6) -> Network:
    """A random network with exact decimal weights.

    dist "uniform": every u_ij, v_i is Uniform[-1, 1] rounded to ``digits`` decimals (so it is
    uniform on the grid {k / 10^digits : |k| <= 10^digits} up to the rounding at the ends);
    dist "gaussian": standard normal draws rounded to ``digits`` decimals.
    target "random": w uniform on the unit sphere, rounded toward 0 to ``digits`` decimals and
    shrunk until ||w||_2 <= 1 holds exactly; "e1": w = (1, 0, ..., 0).
    """
    for name, val in (("n", n), ("d", d), ("seed", seed), ("digits", digits)):
        if not isinstance(val, (int, np.integer)) or isinstance(val, bool):
            raise InputError(f"{name} must be an integer, got {val!r}")
    if n < 1 or d < 1:
        raise InputError(f"need n >= 1 and d >= 1, got n = {n}, d = {d}")
    if not 1 <= digits <= 15:
        raise InputError("digits must be in [1, 15]")
    if dist not in ("uniform", "gaussian"):
        raise InputError(f"dist must be 'uniform' or 'gaussian', got {dist!r}")
    if model not in MODELS:
        raise InputError(f"model must be 'A' or 'B', got {model!r}")
    if target not in ("random", "e1"):
        raise InputError(f"target must be 'random' or 'e1', got {target!r}")
    rng = np.random.default_rng(seed)
    if dist == "uniform":
        U = rng.uniform(-1.0, 1.0, size=(n, d))
        V = rng.uniform(-1.0, 1.0, size=n)
    else:
        U = rng.standard_normal(size=(n, d))
        V = rng.standard_normal(size=n)
    if target == "e1":
        w = (Fraction(1),) + (Fraction(0),) * (d - 1)
    else:
        g = rng.standard_normal(size=d)
        g = g / np.linalg.norm(g)
        scale = 10**digits
        wi = [int(math.trunc(x * scale)) for x in g]
        while sum(k * k for k in wi) > scale * scale:
            wi = [k - (1 if k > 0 else -1 if k < 0 else 0) for k in wi]
        w = tuple(Fraction(k, scale) for k in wi)
    u = tuple(tuple(_round_decimal(x, digits) for x in row) for row in U)
    v = tuple(_round_decimal(x, digits) for x in V)
    return Network(model, w, u, v)


def prefix(net: Network, n: int) -> Network:
    """The network of the first ``n`` hidden units of ``net`` (same model and target).

    Nested sampling (common random numbers): draw one wide network per seed and use its prefixes, so
    the width-n network shares its units, output weights and target with every wider prefix."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise InputError(f"n must be an integer, got {n!r}")
    if not 1 <= n <= net.n:
        raise InputError(f"prefix width must be in [1, {net.n}], got {n}")
    return Network(net.model, net.w, net.u[:n], net.v[:n])
