"""Regenerate the width table of docs/weight-pruning-table.md:  python scripts/weight_table.py

Nested design (common random numbers).  For every d in {2, 3} and seed s in 0..49 one wide Model-B
network is drawn, ``prunecert.checks.instances.network.sample(d * M_MAX[d], d, seed=s, model="B")`` (Uniform[-1, 1]
weights with 6 decimals, target w uniform on the unit sphere), and the networks of width n = d*m are
its prefixes (units 0..n-1, ``prunecert.checks.instances.network.prefix``).  The block construction runs with the
interleaved block rule (unit i -> block i mod d, so every block of a prefix is a prefix of the wider
block) and keeps the *first* 40 candidates of a subset-sum instance (nested candidate sets).  Every
subset sum is the exact optimum over its candidate set, so the per-coordinate errors delta_j, and with
them the analytic bound ||delta||_2, never increase with m.

Per seed and eps the script reports n_s(eps) = d * m_s, where m_s is the smallest m such that the
construction's error is certified <= eps at m and at every larger m up to M_MAX:

* for m >= m_A (the first m with sum_j delta_j^2 <= eps^2, decided exactly in rationals) the proved
  bound sup error <= ||delta||_2 (claim gap.upper.construction) certifies every width at once, because
  sum delta_j^2 is non-increasing in m (checked exactly on every scanned m);
* below m_A the script walks down m = m_A - 1, m_A - 2, ...: a float pre-check
  (``prunecert.bounds.gap.weight_construction.estimate_error``) stops the walk when it shows error > eps; otherwise
  ``prunecert.checks.instances.superror.sup_error`` (exact in d = 2, interval branch and bound deciding "<= eps" in d = 3)
  must certify hi <= eps, else the walk stops.  A float-only success never counts;
* the configuration at the reported n_s is certified by ``sup_error`` as well (if that times out, the
  analytic bound -- when it applies -- is the certificate; the JSON says which).

Failures below m_s are judged by the float estimate (or a missing certificate), so m_s can only err
upwards.  "Non-monotone" counts the (seed, eps) pairs with a float success at some m < m_s - i.e.
where the success set is not an up-set of the grid.

The table entry is the 90% quantile over the 50 seeds: the 45th smallest n_s, i.e. the smallest width
at which >= 45 of 50 seeds succeed (there and at every larger width of the grid).  A distribution-free
95% interval for the population 0.9-quantile comes from order statistics, and the slope of the
quantile against ln(1/eps) is fitted by OLS (prunecert.checks.statistics.stats.fit_line, t-interval) and by a bootstrap
over seeds (the eps columns share seeds, so the t-interval is only indicative).

Two target sets: "unit" (w uniform on the unit sphere, the requested rows) and "half" (the same w
halved, so |w_j| <= 1/2; same u, v).  eps: the requested {0.1, 0.05, 0.02, 0.01, 0.005} and extra
{0.001, 0.0005, 0.0001}.

Options: --seeds K (default 50, for quick checks), --out-md / --out-json (default: the docs files).
One sweep task per (d, target, seed) (:func:`scan_seed`), run by prunecert's sweep layer: a Dask
LocalCluster by default (--workers N processes, 0 = in this process), or an existing cluster
(--scheduler ADDRESS); every finished seed is kept in --store (default out/weight_table.sqlite), so an
interrupted run resumes.  Progress on stderr; markdown table on stdout.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prunecert.bounds.gap.weight_construction import construct, estimate_error  # noqa: E402
from prunecert.bounds.gap.weight_pruning import required_width  # noqa: E402
from prunecert.checks.errors import BudgetExceeded  # noqa: E402
from prunecert.checks.instances.network import Network, prefix, sample  # noqa: E402
from prunecert.checks.statistics.stats import fit_line  # noqa: E402
from prunecert.checks.instances.superror import sup_error  # noqa: E402

EPS_MAIN = ["0.1", "0.05", "0.02", "0.01", "0.005"]
EPS_EXTRA = ["0.001", "0.0005", "0.0001"]
EPS_ALL = EPS_MAIN + EPS_EXTRA
DIMS = (2, 3)
TARGETS = ("unit", "half")
M_MAX = {2: 80, 3: 80}          # units per block of the wide network (width d * M_MAX)
MAX_CANDIDATES = 40
SEEDS = 50
QUANTILE = 0.9
CERT_TIMEOUT = 10.0             # per sup_error call; with CERT_BOXES it bounds time and memory (~1 GB at 5M boxes)
CERT_BOXES = 400_000
DELTA = Fraction(1, 10)         # proved width: success probability >= 1 - DELTA


def wide_network(d: int, seed: int, target: str) -> Network:
    big = sample(d * M_MAX[d], d, seed=seed, model="B")
    if target == "half":
        big = Network(big.model, tuple(x / 2 for x in big.w), big.u, big.v)
    return big


def certify(net: Network, res, eps: Fraction) -> tuple[bool, str]:
    """(hi <= eps certified by prunecert.checks.instances.superror, method or failure note)."""
    try:
        e = sup_error(net, neuron_mask=res.neuron_mask, weight_mask=res.weight_mask, tol=eps / 1000,
                      timeout=CERT_TIMEOUT, max_boxes=CERT_BOXES, decide_at=eps)
    except BudgetExceeded as exc:
        return False, f"budget: {exc}"
    return e.hi <= eps, e.method


def reach_width(big: Network) -> int | None:
    """Smallest m (units per block) from which on every subset-sum instance can reach its target:
    the candidates (first MAX_CANDIDATES of the block prefix with the side's sign of u_ij) whose product
    v_i u_ij has the sign of w_j sum to >= |w_j| in absolute value (exact).  None: not within M_MAX.
    This is monotone in m (nested candidates) and independent of eps."""
    d = big.d
    for m in range(1, big.n // d + 1):
        ok = True
        for j in range(d):
            t = big.w[j]
            if t == 0:
                continue
            for side in (1, -1):
                cand = [i for i in range(j, d * m, d) if big.u[i][j] * side > 0][:MAX_CANDIDATES]
                reach = sum((abs(big.v[i] * big.u[i][j]) for i in cand if (big.v[i] * big.u[i][j] > 0) == (t > 0)),
                            Fraction(0))
                if reach < abs(t):
                    ok = False
                    break
            if not ok:
                break
        if ok:
            return m
    return None


def scan_seed(d: int, seed: int, target: str) -> dict:
    """Per-seed minimal widths n_s(eps) for every eps (see the module docstring)."""
    t0 = time.perf_counter()
    big = wide_network(d, seed, target)
    cache: dict = {}
    eps_q = [Fraction(e) for e in EPS_ALL]
    eps_min = min(eps_q)
    rows: dict[int, tuple] = {}
    m = 0
    for m in range(1, M_MAX[d] + 1):
        net = prefix(big, d * m)
        r = construct(net, certify=False, block_rule="interleaved", keep="first",
                      max_candidates=MAX_CANDIDATES, subset_cache=cache)
        s2 = sum((x * x for x in r.delta), Fraction(0))
        rows[m] = (s2, estimate_error(r, net.w), r, net)
        if s2 <= eps_min * eps_min:
            break
    m_stop = m
    ms = sorted(rows)
    # first m at which the cap of MAX_CANDIDATES candidates discarded a candidate of some instance
    m_cap = next((k for k in ms if any(len(i.units) >= MAX_CANDIDATES and
                                       sum(1 for u in rows[k][3].u[i.coordinate::d]
                                           if (u[i.coordinate] > 0 if i.side == "+" else u[i.coordinate] < 0))
                                       > MAX_CANDIDATES for i in rows[k][2].instances)), None)
    monotone_s2 = all(rows[a][0] >= rows[b][0] for a, b in zip(ms, ms[1:]))
    if not monotone_s2:  # pragma: no cover - would contradict nesting + exact optima
        raise AssertionError(f"sum delta^2 increased with m (d={d}, seed={seed}, {target})")
    n_cert = 0
    n_budget = 0
    out = {}
    for e_str, eps in zip(EPS_ALL, eps_q):
        m_a = next((k for k in ms if rows[k][0] <= eps * eps), None)
        top = m_a if m_a is not None else m_stop + 1
        m_s = m_a
        how = "analytic" if m_a is not None else None
        k = top - 1
        while k >= 1:
            s2, f, r, net = rows[k]
            if f > float(eps) * (1 + 1e-9):
                break
            ok, meth = certify(net, r, eps)
            n_cert += 1
            n_budget += meth.startswith("budget")
            if not ok:
                break
            m_s, how = k, meth
            k -= 1
        if m_s is not None and how == "analytic":
            ok, meth = certify(rows[m_s][3], rows[m_s][2], eps)
            n_cert += 1
            n_budget += meth.startswith("budget")
            how = meth if ok else "analytic (sup_error: " + meth + ")"
        m_float = next((k for k in ms if rows[k][1] <= float(eps) * (1 + 1e-9)), None)
        out[e_str] = {"n_s": None if m_s is None else d * m_s, "n_analytic": None if m_a is None else d * m_a,
                      "n_float_first": None if m_float is None else d * m_float,
                      "nonmonotone": m_s is not None and m_float is not None and m_float < m_s,
                      "certified_by": how}
    m_r = reach_width(big)
    return {"d": d, "seed": seed, "target": target, "w": [str(x) for x in big.w], "m_stop": m_stop,
            "n_cap": None if m_cap is None else d * m_cap, "n_reach": None if m_r is None else d * m_r,
            "certifications": n_cert, "certification_timeouts": n_budget, "seconds": round(time.perf_counter() - t0, 3), "eps": out}


def quantile_index(k: int, q: float) -> int:
    """0-based index of the order statistic that is the smallest value with >= q*k samples <= it."""
    return math.ceil(q * k - 1e-12) - 1


def order_stat_ci(k: int, q: float, conf: float = 0.95) -> tuple[int, int]:
    """1-based (r, s) with P(X_(r) <= xi_q <= X_(s)) >= conf (distribution-free; X_(k+1) = +inf)."""
    from scipy.stats import binom

    best = None
    for r in range(1, k + 1):
        for s in range(r + 1, k + 2):
            cover = binom.cdf(s - 1, k, q) - binom.cdf(r - 1, k, q)
            if cover >= conf and (best is None or s - r < best[1] - best[0]):
                best = (r, s)
    return best


def fmt_n(x) -> str:
    return "∞" if x is None or x == math.inf else str(int(x))


def analyse(results: list[dict], seeds: int) -> dict:
    qi = quantile_index(seeds, QUANTILE)
    r_ci, s_ci = order_stat_ci(seeds, QUANTILE)
    rng = np.random.default_rng(0)
    out = {}
    for d in DIMS:
        for tg in TARGETS:
            rs = sorted((r for r in results if r["d"] == d and r["target"] == tg), key=lambda r: r["seed"])
            N = np.array([[math.inf if r["eps"][e]["n_s"] is None else r["eps"][e]["n_s"] for e in EPS_ALL]
                          for r in rs], dtype=float)                      # seeds x eps
            S = np.sort(N, axis=0)
            rows = []
            for j, e in enumerate(EPS_ALL):
                col = S[:, j]
                rows.append({"eps": e, "q90": col[qi], "ci": (col[r_ci - 1], col[s_ci - 1] if s_ci <= seeds else math.inf),
                             "median": float(np.median(N[:, j])), "succ_at_q90": int((N[:, j] <= col[qi]).sum()),
                             "nonmonotone": sum(r["eps"][e]["nonmonotone"] for r in rs),
                             "cap": sum(r["n_cap"] is not None and r["n_cap"] <= col[qi] for r in rs),
                             "beyond": int(np.isinf(N[:, j]).sum()),
                             "proved": required_width(Fraction(e), DELTA, d)})
            fits = {}
            for name, cols in (("requested", EPS_MAIN), ("all", EPS_ALL)):
                idx = [EPS_ALL.index(e) for e in cols]
                x = np.array([math.log(1 / float(EPS_ALL[j])) for j in idx])
                y = np.array([rows[j]["q90"] for j in idx])
                if not np.all(np.isfinite(y)):
                    fits[name] = None
                    continue
                lf = fit_line(x, y)
                boots = []
                for _ in range(2000):
                    B = np.sort(N[rng.integers(0, seeds, size=seeds)][:, idx], axis=0)[qi]
                    if np.all(np.isfinite(B)):
                        boots.append(np.polyfit(x, B, 1)[0])
                blo, bhi = (np.quantile(boots, [0.025, 0.975]) if boots else (math.nan, math.nan))
                med = np.array([rows[j]["median"] for j in idx])
                lm = fit_line(x, med) if np.all(np.isfinite(med)) else None
                pb = fit_line(x, np.array([rows[j]["proved"] for j in idx], dtype=float))
                fits[name] = {"slope": lf.slope, "intercept": lf.intercept, "t_lo": lf.slope_lo, "t_hi": lf.slope_hi,
                              "boot_lo": float(blo), "boot_hi": float(bhi), "boot_reps": len(boots),
                              "median_slope": None if lm is None else lm.slope,
                              "median_t": None if lm is None else (lm.slope_lo, lm.slope_hi),
                              "proved_slope": pb.slope}
            reach = np.sort([math.inf if r["n_reach"] is None else r["n_reach"] for r in rs])
            out[(d, tg)] = {"rows": rows, "fits": fits, "reach_q90": reach[qi], "reach_median": float(np.median(reach))}
    return out


def render(an: dict, seeds: int, runtime: float, workers: int, n_cert: int, n_budget: int, results: list) -> str:
    need = quantile_index(seeds, QUANTILE) + 1
    r_ci, s_ci = order_stat_ci(seeds, QUANTILE)
    L = ["# Weight pruning: measured and proved widths", "",
         "Generated by `python scripts/weight_table.py` (do not edit by hand; per-seed data in "
         "`docs/data/weight_table.json`). See [the construction and the proofs](weight-pruning.md#measured-widths) "
         "for the definitions and the discussion.", "",
         "**Measured width** (column *q90*): the smallest width n at which the construction's error is "
         f"certified ≤ eps on ≥ {need} of {seeds} seeds, at n and at every larger width of the grid. It is "
         f"the {need}th smallest of the per-seed widths n_s(eps). Per seed, one wide Model-B network is drawn "
         "(Uniform[-1,1] weights with 6 decimals), and widths n = d·m are its prefixes. Unit i goes to block "
         "i mod d. The construction takes exact optimal subset sums over the first ≤ 40 candidates, so the "
         "networks and the analytic bound are nested. n_s(eps) is the smallest grid width from which on "
         "every width is certified ≤ eps (by `prunecert.checks.instances.superror.sup_error`, or by the proved bound "
         "‖δ‖₂ ≤ eps, which is monotone in n). "
         f"*95% CI* is the distribution-free interval [X({r_ci}), X({s_ci})] of the order statistics for "
         "the population 0.9-quantile (∞: beyond the grid). "
         "*Proved* is `required_width(eps, 0.1, d)`, which gives success probability ≥ 0.9 by the RSS lemma. "
         "*Non-mono* counts the seeds whose float estimate succeeds at some width below n_s "
         "(the success set is not an up-set). *Cap* counts the seeds in which the 40-candidate cap discarded a "
         "candidate at some width ≤ q90 (0: the cap cannot have changed the entry).",
         ""]
    for tg, title in (("unit", "Target w uniform on the unit sphere (requested rows: eps 0.1 … 0.005; extra rows marked)"),
                      ("half", "Target w/2 (|w_j| ≤ 1/2; same networks): shows the resolution term")):
        L += [f"## {title}", "",
              "| d | eps | ln(1/eps) | q90 width | 95% CI | median n_s | seeds ok at q90 | non-mono | cap | proved width | proved / q90 |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
        for d in DIMS:
            for row in an[(d, tg)]["rows"]:
                e = row["eps"]
                star = "" if e in EPS_MAIN else " (extra)"
                q = row["q90"]
                ratio = f"{row['proved'] / q:.0f}" if math.isfinite(q) else "—"
                L.append(f"| {d} | {e}{star} | {math.log(1 / float(e)):.3f} | {fmt_n(q)} | "
                         f"[{fmt_n(row['ci'][0])}, {fmt_n(row['ci'][1])}] | {row['median']:g} | "
                         f"{row['succ_at_q90']}/{seeds} | {row['nonmonotone']} | {row['cap']} | {row['proved']} | {ratio} |")
        L.append("")
        L.append("Reach width (eps-free: the smallest width from which every instance's same-sign products sum to "
                 "≥ |w_j|), q90 / median over seeds: " + ", ".join(
                     f"d = {d}: {fmt_n(an[(d, tg)]['reach_q90'])} / {an[(d, tg)]['reach_median']:g}" for d in DIMS) + ".")
        L.append("")
        L.append("Slope of the q90 width against ln(1/eps) (OLS, 95% t-interval; bootstrap over seeds, 95% percentile):")
        L.append("")
        for d in DIMS:
            for name, label in (("requested", "requested eps 0.1 … 0.005"), ("all", "all eps 0.1 … 0.0001")):
                f = an[(d, tg)]["fits"][name]
                if f is None:
                    L.append(f"- d = {d}, {label}: no fit (a quantile is beyond the grid).")
                    continue
                med = "" if f["median_slope"] is None else (
                    f"; median n_s slope {f['median_slope']:.1f} [{f['median_t'][0]:.1f}, {f['median_t'][1]:.1f}]")
                L.append(f"- d = {d}, {label}: q90 ≈ {f['slope']:.1f}·ln(1/eps) + {f['intercept']:.1f}, slope "
                         f"t-CI [{f['t_lo']:.1f}, {f['t_hi']:.1f}], bootstrap CI [{f['boot_lo']:.1f}, {f['boot_hi']:.1f}]"
                         f"{med}; proved width slope {f['proved_slope']:.0f}.")
        L.append("")
    L += [f"Grid: m = 1 … {M_MAX[2]} units per block (n ≤ {2 * M_MAX[2]} for d = 2, ≤ {3 * M_MAX[3]} for d = 3). "
          f"Calls of `sup_error`: {n_cert} ({n_budget} ran out of budget and counted as failures). "
          f"Compute time: {sum(r['seconds'] for r in results):.0f} s summed over the seeds' tasks; "
          f"last run: {runtime:.0f} s wall with {workers} worker process(es) on {os.cpu_count()} cores "
          f"(shared machine).", ""]
    return "\n".join(L)


def main(argv=None) -> None:
    from prunecert.checks.sweep import Sweep
    from prunecert.cli import _sweep

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=SEEDS)
    ap.add_argument("--out-md", default=str(ROOT / "docs" / "weight-pruning-table.md"))
    ap.add_argument("--out-json", default=str(ROOT / "docs" / "data" / "weight_table.json"))
    _sweep.add_arguments(ap, store_default="out/weight_table.sqlite")
    args = ap.parse_args(argv)
    if args.seeds < 5:
        ap.error("need --seeds >= 5")
    if args.store is None:
        (ROOT / "out").mkdir(exist_ok=True)
        args.store = str(ROOT / "out" / "weight_table.sqlite")

    t0 = time.perf_counter()
    # the slowest tasks (d = 3) first, so the workers finish together
    params = [{"d": d, "seed": s, "target": tg} for d in sorted(DIMS, reverse=True) for tg in TARGETS
              for s in range(args.seeds)]
    with _sweep.open_store(args, None) as store:
        sweep = _sweep.run(Sweep("weight-table", scan_seed), params, args, store, "weight table")
    results = sweep.results
    runtime = time.perf_counter() - t0
    an = analyse(results, args.seeds)
    n_cert = sum(r["certifications"] for r in results)
    n_budget = sum(r["certification_timeouts"] for r in results)
    md = render(an, args.seeds, runtime, sweep.workers, n_cert, n_budget, results)
    Path(args.out_md).write_text(md)
    import flint
    import scipy

    record = {"command": "python scripts/weight_table.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "seeds": list(range(args.seeds)), "dims": list(DIMS), "eps_requested": EPS_MAIN, "eps_extra": EPS_EXTRA,
              "targets": {"unit": "prunecert.checks.instances.network.sample(d*M_MAX, d, seed, model='B') target",
                          "half": "the same network with w halved"},
              "m_max": M_MAX, "max_candidates": MAX_CANDIDATES,
              "certification_budget": {"timeout_s": CERT_TIMEOUT, "max_boxes": CERT_BOXES}, "quantile": QUANTILE, "delta_proved": str(DELTA),
              "method": "nested prefixes, interleaved blocks, keep first candidates, exact subset sums; "
                        "certified by prunecert.checks.instances.superror.sup_error (decide mode) or the analytic bound",
              "versions": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
                           "python-flint": flint.__version__},
              "runtime_seconds": round(runtime, 1), "workers": sweep.workers, "where": sweep.where,
              "tasks_from_store": sweep.from_store,
              "results": sorted(results, key=lambda r: (r["d"], r["target"], r["seed"]))}
    Path(args.out_json).parent.mkdir(parents=True, exist_ok=True)
    res = record.pop("results")
    head = json.dumps(record, indent=1)[:-2]
    body = ",\n".join("  " + json.dumps(r, separators=(",", ":")) for r in res)
    Path(args.out_json).write_text(head + ',\n "results": [\n' + body + "\n ]\n}\n")
    print(md)


if __name__ == "__main__":
    main()
