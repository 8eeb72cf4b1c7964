"""Counterexample search over small random networks (a generic engine: networks, not theorems).

The engine draws networks from named *families* (hypotheses about where a counterexample could
hide), solves each exactly with :func:`prunecert.checks.instances.neuron_subset.best_error`, and hands
(network, solver result) to caller-supplied *properties*.  A property returns ``None`` (holds
on this instance) or a dict describing a violation; every violation becomes a
:class:`Finding` holding the whole instance (exact JSON), never discarded.

Families (all Model B unless ``model`` says otherwise; exact 6-decimal weights):

* ``uniform`` / ``gaussian``: :func:`prunecert.checks.instances.network.sample` (u and v both from that law);
* ``gauss_u_unif_v``: u ~ N(0, I), v ~ U[-1, 1] (the setting of Theorem B);
* ``w_near_hidden``: w is a hidden direction u_k/||u_k|| slightly perturbed (adversarial: a unit
  almost parallel to the target);
* ``w_axis``: w = e1 (aligned with a coordinate axis);
* ``w_antipodal_pair``: two units made nearly antipodal (pairs use sigma(t) - sigma(-t) = t: how neuron pruning can succeed with about 1/eps units).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Sequence

import numpy as np

from prunecert.checks.errors import InputError
from prunecert.checks.instances.network import Network, sample
from prunecert.checks.instances.neuron_subset import NeuronResult, best_error

__all__ = ["FAMILIES", "Finding", "SearchReport", "make_instance", "search"]

FAMILIES = ("uniform", "gaussian", "gauss_u_unif_v", "w_near_hidden", "w_axis", "w_antipodal_pair")


def _dec(x: float, digits: int = 6) -> Fraction:
    return Fraction(int(round(float(x) * 10**digits)), 10**digits)


def _unit_w(y: np.ndarray, digits: int = 6) -> tuple[Fraction, ...]:
    """A rational w with ||w|| <= 1 close to the direction y (rounded toward 0, then shrunk)."""
    y = y / np.linalg.norm(y)
    s = 10**digits
    k = [int(np.trunc(c * s)) for c in y]
    while sum(t * t for t in k) > s * s:
        k = [t - (1 if t > 0 else -1 if t < 0 else 0) for t in k]
    return tuple(Fraction(t, s) for t in k)


def make_instance(family: str, n: int, d: int, seed: int, model: str = "B") -> Network:
    """One network of a family (deterministic in ``seed``)."""
    if family not in FAMILIES:
        raise InputError(f"unknown family {family!r}; known: {', '.join(FAMILIES)}")
    if n < 1 or d < 2:
        raise InputError("need n >= 1 and d >= 2")
    if family in ("uniform", "gaussian"):
        return sample(n, d, seed=seed, dist=family, model=model, target="random")
    rng = np.random.default_rng(seed)
    U = rng.standard_normal((n, d))
    V = rng.uniform(-1, 1, n)
    w = rng.standard_normal(d)
    if family == "w_near_hidden":
        k = int(rng.integers(n))
        w = U[k] / np.linalg.norm(U[k]) + 0.05 * rng.standard_normal(d)
    elif family == "w_axis":
        w = np.eye(d)[0]
    elif family == "w_antipodal_pair" and n >= 2:
        U[1] = -U[0] * rng.uniform(0.8, 1.25) + 0.02 * rng.standard_normal(d)
        V[1] = -V[0] + 0.02 * rng.standard_normal()
    u = tuple(tuple(_dec(x) for x in row) for row in U)
    v = tuple(_dec(x) for x in V)
    return Network(model, _unit_w(w), u, v)


@dataclass
class Finding:
    family: str
    seed: int
    property: str
    network: dict
    solver: dict
    detail: dict

    def to_json(self) -> dict:
        return {"family": self.family, "seed": self.seed, "property": self.property,
                "network": self.network, "solver": self.solver, "detail": self.detail}


@dataclass
class SearchReport:
    instances: int = 0
    checks: int = 0
    findings: list[Finding] = field(default_factory=list)
    per_family: dict = field(default_factory=dict)
    undecided: int = 0
    seconds: float = 0.0
    complete: bool = True
    config: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"instances": self.instances, "property_checks": self.checks, "undecided": self.undecided,
                "findings": [f.to_json() for f in self.findings], "per_family": self.per_family,
                "seconds": round(self.seconds, 3), "complete": self.complete, "config": self.config}


Property = Callable[[Network, NeuronResult], "dict | None"]


def search(properties: dict[str, Property], *, families: Sequence[str] = FAMILIES,
           widths: Sequence[int] = (4, 6, 8, 10, 12, 14), dims: Sequence[int] = (2, 3),
           per_cell: int = 1, seed: int = 0, budget: float = 30.0, solver_timeout: float = 10.0,
           model: str = "B", solver: str = "exact") -> SearchReport:
    """Run every property on exactly solved instances of every (family, width, dim) cell,
    ``per_cell`` instances each, until the time budget ends (then ``complete`` is False).

    solver "exact": :func:`prunecert.checks.instances.neuron_subset.best_error` (widths <= 14);
    "milp": :func:`prunecert.checks.instances.neuron_milp.optimum` (HiGHS incumbents, certified
    lower bound; widths up to 128 -- the larger widths where the exact search does not reach)."""
    if not properties:
        raise InputError("no properties to check")
    if solver not in ("exact", "milp"):
        raise InputError(f"solver must be 'exact' or 'milp', got {solver!r}")
    cap = 14 if solver == "exact" else 128
    if max(widths) > cap or min(widths) < 1:
        raise InputError(f"widths must be in [1, {cap}] for the {solver} solver")
    if solver == "milp":
        from prunecert.checks.instances.neuron_milp import optimum

        def solve(net, timeout):
            return optimum(net, timeout=timeout, certificate=False)
    else:
        solve = best_error
    t0 = time.perf_counter()
    rep = SearchReport(config={"families": list(families), "widths": list(widths), "dims": list(dims),
                               "per_cell": per_cell, "seed": seed, "model": model,
                               "properties": sorted(properties), "solver": solver})
    for rep_i in range(per_cell):
        for fam in families:
            for d in dims:
                for n in widths:
                    if time.perf_counter() - t0 > budget:
                        rep.complete = False
                        rep.seconds = time.perf_counter() - t0
                        return rep
                    s = seed * 10**6 + rep_i * 10**4 + 100 * n + 10 * d + FAMILIES.index(fam)
                    net = make_instance(fam, n, d, s, model)
                    res = solve(net, timeout=solver_timeout)
                    rep.instances += 1
                    rep.per_family[fam] = rep.per_family.get(fam, 0) + 1
                    if not res.lower_complete:
                        rep.undecided += 1
                    for name, prop in properties.items():
                        rep.checks += 1
                        bad = prop(net, res)
                        if bad is not None:
                            rep.findings.append(Finding(fam, s, name, net.to_json(), res.to_json(), bad))
    rep.seconds = time.perf_counter() - t0
    return rep
