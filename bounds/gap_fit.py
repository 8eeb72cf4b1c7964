"""The exponential gap, measured: best neuron-pruning error vs the weight-pruning construction.

For each width n and seed, one random Model B network (``checks.network.sample``: dist
"uniform" = every u_ij, v_i ~ U[-1, 1]; "gaussian" = every u_ij, v_i ~ N(0, 1); 6-decimal
exact weights; target w uniform on the sphere ("random") or e1) is pruned two ways:

* neuron pruning: the certified optimum [lo, hi] of min_S sup |g_S - f| from
  :func:`checks.neuron_subset.best_error` (exact search on points + cutting planes);
* weight pruning: the certified sup error [lo, hi] of the block subset-sum construction of
  :func:`bounds.weight_construction.construct` (MATH.md §1.2) — an *upper* bound on the best
  weight-pruning error.

Fits (statistics, EVIDENCE only): log(error) against log(n) and against n, each by OLS with a
t-interval and by a percentile bootstrap over seeds (:mod:`checks.stats`).  The neuron curve
uses the midpoint of [lo, hi] of the instances the solver decided (``lower_complete`` and
hi - lo <= 1% of hi); the others are reported but left out of the fit.  Instances whose error
is 0 are left out of the log fits (and counted).

The verdicts are computed from the fits, not typed in:
* neuron pruning "consistent with Omega(1/eps)" iff the upper end of the log-log slope CI is
  >= -1 (the data do not show decay faster than 1/n);
* weight pruning "exponential decay" iff the semilog slope CI lies below 0 and the semilog fit
  explains the data at least as well as the log-log fit (R^2).
"""
from __future__ import annotations

import math
import platform
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Sequence

import numpy as np

from checks.errors import BudgetExceeded, InputError
from checks.network import sample
from checks.neuron_subset import best_error
from checks.stats import bootstrap_slope, loglog_fit, semilog_fit

from .weight_construction import construct

__all__ = ["GapRow", "run_gap", "fit_gap", "verdicts", "net_seed", "FIELDS"]

FIELDS = ["d", "dist", "target", "n", "seed", "net_seed", "neuron_lo", "neuron_hi", "neuron_kept",
          "neuron_complete", "neuron_seconds", "weight_lo", "weight_hi", "weight_kept_weights",
          "weight_applicable", "weight_seconds"]


def net_seed(d: int, dist: str, n: int, seed: int) -> int:
    """The seed of the network of (d, dist, width n, seed index): distinct for every cell."""
    return 10**7 * d + 10**6 * (dist == "gaussian") + 1000 * n + seed


@dataclass
class GapRow:
    d: int
    dist: str
    target: str
    n: int
    seed: int
    net_seed: int
    neuron_lo: Fraction
    neuron_hi: Fraction
    neuron_kept: int
    neuron_complete: bool
    neuron_seconds: float
    weight_lo: Fraction | None
    weight_hi: Fraction | None
    weight_kept_weights: int
    weight_applicable: bool
    weight_seconds: float

    @property
    def neuron_decided(self) -> bool:
        return self.neuron_complete and self.neuron_hi - self.neuron_lo <= self.neuron_hi / 100

    def to_json(self) -> dict:
        out = {}
        for k in FIELDS:
            v = getattr(self, k)
            if isinstance(v, Fraction):
                v = float(v)
            elif isinstance(v, float):
                v = round(v, 4)
            out[k] = v
        return out


def run_gap(d: int, widths: Sequence[int], seeds: int, *, dists: Sequence[str] = ("gaussian",),
            target: str = "random", timeout: float = 60.0,
            on_step: Callable[[GapRow], None] | None = None) -> list[GapRow]:
    """Measure both pruning errors on the same networks; one row per (dist, width, seed)."""
    if d < 2:
        raise InputError("the gap experiment needs d >= 2")
    widths = [int(n) for n in widths]
    if not widths or min(widths) < 1:
        raise InputError("widths must be positive integers")
    if seeds < 1:
        raise InputError("seeds must be >= 1")
    if not (timeout > 0):
        raise InputError("timeout must be > 0")
    rows = []
    for dist in dists:
        for n in widths:
            for s in range(seeds):
                ns = net_seed(d, dist, n, s)
                net = sample(n, d, seed=ns, dist=dist, model="B", target=target)
                t0 = time.perf_counter()
                nr = best_error(net, timeout=timeout)
                t1 = time.perf_counter()
                try:
                    wr = construct(net, certify=True, tol=Fraction(1, 10**6), timeout=timeout)
                    wlo, whi = (wr.error.lo, wr.error.hi) if wr.error is not None else (None, None)
                    kept = sum(sum(r) for r in wr.weight_mask)
                    app = wr.applicable
                except BudgetExceeded:
                    wlo = whi = None
                    kept, app = 0, True
                t2 = time.perf_counter()
                row = GapRow(d, dist, target, n, s, ns, nr.lo, nr.hi, len(nr.subset), nr.lower_complete,
                             t1 - t0, wlo, whi, kept, app, t2 - t1)
                rows.append(row)
                if on_step is not None:
                    on_step(row)
    return rows


def _fit_pair(ns, vals, table, widths, conf, seed):
    out = {"points": int(len(vals))}
    if len(vals) >= 3 and len(set(ns)) >= 2:
        out["loglog"] = loglog_fit(ns, vals, conf).to_json()
        out["semilog"] = semilog_fit(ns, vals, conf).to_json()
        out["loglog_bootstrap"] = bootstrap_slope(widths, table, logx=True, conf=conf, reps=1000, seed=seed)
        out["semilog_bootstrap"] = bootstrap_slope(widths, table, logx=False, conf=conf, reps=1000, seed=seed)
    return out


def fit_gap(rows: Sequence[GapRow], conf: float = 0.95, seed: int = 0) -> dict:
    """Fits per distribution for both curves (see the module docstring)."""
    fits = {}
    for dist in sorted({r.dist for r in rows}):
        rs = [r for r in rows if r.dist == dist]
        widths = sorted({r.n for r in rs})
        seeds = sorted({r.seed for r in rs})
        wi = {n: k for k, n in enumerate(widths)}
        si = {s: k for k, s in enumerate(seeds)}
        Nt = np.full((len(seeds), len(widths)), np.nan)
        Wt = np.full((len(seeds), len(widths)), np.nan)
        nx, ny, wx, wy = [], [], [], []
        excluded_neuron = excluded_weight = zero = 0
        for r in rs:
            if r.neuron_decided and r.neuron_hi > 0:
                mid = float((r.neuron_lo + r.neuron_hi) / 2)
                nx.append(r.n), ny.append(mid)
                Nt[si[r.seed], wi[r.n]] = mid
            else:
                excluded_neuron += 1
            if r.weight_hi is not None and r.weight_hi > 0:
                val = float((r.weight_lo + r.weight_hi) / 2)
                wx.append(r.n), wy.append(val)
                Wt[si[r.seed], wi[r.n]] = val
            else:
                excluded_weight += 1
                zero += r.weight_hi == 0
        fits[dist] = {
            "neuron": {**_fit_pair(nx, ny, Nt, widths, conf, seed), "excluded_undecided": excluded_neuron},
            "weight": {**_fit_pair(wx, wy, Wt, widths, conf, seed), "excluded": excluded_weight,
                       "zero_error": int(zero)},
        }
        fits[dist]["verdict"] = verdicts(fits[dist])
    return fits


def verdicts(f: dict) -> dict:
    """Plain-language verdicts computed from the fits of one distribution."""
    out = {}
    nf = f["neuron"]
    if "loglog" in nf:
        hi = max(nf["loglog"]["slope_hi"], nf["loglog_bootstrap"]["slope_hi"])
        out["neuron_consistent_with_omega_1_over_eps"] = bool(hi >= -1)
        out["neuron_slope"] = nf["loglog"]["slope"]
    wf = f["weight"]
    if "semilog" in wf:
        neg = wf["semilog"]["slope_hi"] < 0 and wf["semilog_bootstrap"]["slope_hi"] < 0
        better = wf["semilog"]["r2"] >= wf["loglog"]["r2"]
        out["weight_exponential_decay"] = bool(neg and better)
        out["weight_semilog_slope"] = wf["semilog"]["slope"]
        out["weight_semilog_r2"] = wf["semilog"]["r2"]
        out["weight_loglog_r2"] = wf["loglog"]["r2"]
    return out


def provenance() -> dict:
    import importlib.metadata as md

    vers = {}
    for pkg in ("prunecert", "numpy", "scipy", "python-flint"):
        try:
            vers[pkg] = md.version(pkg)
        except md.PackageNotFoundError:  # pragma: no cover
            vers[pkg] = "unknown"
    return {"python": platform.python_version(), "versions": vers}


def summary_table(rows: Sequence[GapRow]) -> list[dict]:
    """Per (dist, n): median and quartiles of both errors over seeds."""
    out = []
    for dist in sorted({r.dist for r in rows}):
        for n in sorted({r.n for r in rows if r.dist == dist}):
            rs = [r for r in rows if r.dist == dist and r.n == n]
            nv = [float((r.neuron_lo + r.neuron_hi) / 2) for r in rs if r.neuron_decided]
            wv = [float(r.weight_hi) for r in rs if r.weight_hi is not None]
            q = lambda v, p: float(np.quantile(v, p)) if v else math.nan  # noqa: E731
            out.append({"dist": dist, "n": n, "seeds": len(rs), "neuron_decided": len(nv),
                        "neuron_median": q(nv, 0.5), "neuron_q1": q(nv, 0.25), "neuron_q3": q(nv, 0.75),
                        "weight_median": q(wv, 0.5), "weight_q1": q(wv, 0.25), "weight_q3": q(wv, 0.75),
                        "neuron_seconds_max": max(r.neuron_seconds for r in rs)})
    return out
