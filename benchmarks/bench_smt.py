"""Benchmark of exact decision: z3 vs cvc5 vs the interval prover, on PL and polynomial claims.

Run:  python benchmarks/bench_smt.py [--timeout SECONDS]

For each claim (forall x in box: lhs OP rhs) it times, in the same run:
  * z3 alone and cvc5 alone on the negation script (prunecert.checks.decide.smt.check_sat, killable process),
  * prunecert.checks.decide.smt.prove_forall (z3 then cvc5 confirmation; exact witness re-check when false),
  * the branch-and-bound interval prover prunecert.checks.inequality.prover.prove (if installed), as the baseline,
and prints answers, times and the ratio prover time / prove_forall time.  Claims touching
equality on a whole region (ReLU Lipschitz, subadditivity) are where exact decision shines.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sympy as sp  # noqa: E402

from prunecert.checks.decide.smt import build_forall_query, check_sat, prove_forall  # noqa: E402

a, b, x, y, z, lam = (sp.Symbol(s, real=True) for s in ("a", "b", "x", "y", "z", "lam"))
relu = lambda e: sp.Max(0, e)  # noqa: E731
R = sp.Rational
U = (-1, 1)

CASES = [
    # name, lhs, op, rhs, box, expected
    ("relu lipschitz", sp.Abs(relu(a) - relu(b)), "<=", sp.Abs(a - b), {"a": U, "b": U}, "PROVED"),
    ("relu subadditive", relu(a + b), "<=", relu(a) + relu(b), {"a": U, "b": U}, "PROVED"),
    ("relu convex", relu(lam * a + (1 - lam) * b), "<=", lam * relu(a) + (1 - lam) * relu(b),
     {"lam": (0, 1), "a": U, "b": U}, "PROVED"),
    ("max = (a+b+|a-b|)/2 (as >=)", sp.Max(a, b), ">=", (a + b + sp.Abs(a - b)) / 2, {"a": U, "b": U}, "PROVED"),
    ("x^2+y^2 >= 2xy", x ** 2 + y ** 2, ">=", 2 * x * y, {"x": U, "y": U}, "PROVED"),
    ("AM-GM 3 vars", x ** 3 + y ** 3 + z ** 3, ">=", 3 * x * y * z, {"x": (0, 1), "y": (0, 1), "z": (0, 1)}, "PROVED"),
    ("(x^2-1)^2 >= 0 expanded", x ** 4 - 2 * x ** 2 + 1, ">=", 0, {"x": (-2, 2)}, "PROVED"),
    ("xy+yz+zx >= -1", x * y + y * z + z * x, ">=", -1, {"x": U, "y": U, "z": U}, "PROVED"),
    ("x^3-x <= 0.385 (tight)", x ** 3 - x, "<=", R(385, 1000), {"x": (-1, 0)}, "PROVED"),
    ("x^3-x <= 0.3849 (false)", x ** 3 - x, "<=", R(3849, 10000), {"x": (-1, 0)}, "REFUTED"),
    ("|x-y| >= 1e-12 (false)", relu(x - y) + relu(y - x), ">=", R(1, 10 ** 12), {"x": U, "y": U}, "REFUTED"),
    ("x^2+y^2 >= 2xy+1e-12 (false)", x ** 2 + y ** 2, ">=", 2 * x * y + R(1, 10 ** 12), {"x": U, "y": U}, "REFUTED"),
]


def _prover(lhs, op, rhs, box, timeout):
    try:
        from prunecert.checks.inequality.prover import prove
    except ImportError:
        return None
    t0 = time.perf_counter()
    try:
        out = prove(lhs, op, rhs, {k: (str(lo), str(hi)) for k, (lo, hi) in box.items()}, timeout=timeout)
        return out.status.value, time.perf_counter() - t0, out.boxes
    except Exception as exc:  # noqa: BLE001 - report, do not crash the benchmark
        return f"error: {type(exc).__name__}", time.perf_counter() - t0, 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=10.0, help="per-engine time budget in seconds")
    args = ap.parse_args(argv)
    rows, ratios = [], []
    print(f"{'case':32} {'z3':>14} {'cvc5':>14} {'prove_forall':>20} {'interval prover':>26} {'ratio':>8}")
    for name, lhs, op, rhs, box, expected in CASES:
        script = build_forall_query(lhs, op, rhs, box)[0]
        z = check_sat(script, timeout=args.timeout, solver="z3")
        c = check_sat(script, timeout=args.timeout, solver="cvc5")
        pf = prove_forall(lhs, op, rhs, box, timeout=args.timeout)
        pr = _prover(lhs, op, rhs, box, args.timeout)
        ok = "" if pf.level.value == expected else "  <-- expected " + expected
        pr_txt = "n/a" if pr is None else f"{pr[0]} {pr[1]:7.3f}s {pr[2]:>6}b"
        ratio = ""
        if pr is not None and pf.seconds > 0:
            r = pr[1] / pf.seconds
            ratios.append(r)
            ratio = f"{r:7.1f}x"
        print(f"{name:32} {z.status:>7} {z.seconds:5.3f}s {c.status:>7} {c.seconds:5.3f}s "
              f"{pf.level.value:>9} {pf.seconds:7.3f}s {pr_txt:>26} {ratio:>8}{ok}")
        rows.append((name, z, c, pf, pr))
    zt = [r[1].seconds for r in rows]
    ct = [r[2].seconds for r in rows]
    pt = [r[3].seconds for r in rows]
    print(f"\nmedian seconds: z3 {statistics.median(zt):.3f}, cvc5 {statistics.median(ct):.3f}, "
          f"prove_forall {statistics.median(pt):.3f}", end="")
    prs = [r[4][1] for r in rows if r[4] is not None]
    if prs:
        print(f", interval prover {statistics.median(prs):.3f}; "
              f"median ratio prover/prove_forall {statistics.median(ratios):.1f}x")
        undecided = [r[0] for r in rows if r[4] is not None and r[4][0] not in ("PROVED", "REFUTED")]
        print(f"interval prover undecided on: {', '.join(undecided) or 'none'}")
    else:
        print("  (interval prover not installed)")
    wrong = [r[0] for r, case in zip(rows, CASES) if r[3].level.value != case[5]]
    print(f"prove_forall answers differing from the expected ones: {', '.join(wrong) or 'none'}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
