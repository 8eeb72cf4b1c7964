"""Benchmark: the prunecert prover against a naive mpmath.iv bisection baseline, same run.

    python benchmarks/bench_prover.py [--cap SECONDS]

Baseline: plain interval evaluation of lhs - rhs with mpmath.iv (outward-rounded), bisection of
the widest side, depth-first; PROVED when every box is certainly of the right sign, REFUTED when
a box is certainly of the wrong sign; capped per case (reported as ">cap").  The prover is
``prunecert.checks.inequality.prover.prove_text`` with a 5 s budget.  Prints per-case time, boxes, status and the
speed ratio, then the medians (a capped baseline time counts as the cap: a lower bound).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sympy as sp  # noqa: E402
from mpmath import iv  # noqa: E402

from prunecert.checks.rigorous.expr import parse_relation  # noqa: E402
from prunecert.checks.inequality.prover import prove_text  # noqa: E402

SUITE = [
    # (name, claim, box, expected, kind)
    ("cos-taylor4", "cos(t) <= 1 - t**2/2 + t**4/24", {"t": ("0", "1")}, "PROVED", "touching"),
    ("tlogt", "t*log(t) + exp(-1) >= 0", {"t": ("1/100", "2")}, "PROVED", "touching (irrational point)"),
    ("amgm-2", "x**2 + y**2 >= 2*x*y", {"x": ("-1", "1"), "y": ("-1", "1")}, "PROVED", "touching (curve)"),
    ("log1p", "log(1 + x) >= x - x**2/2", {"x": ("0", "1")}, "PROVED", "touching"),
    ("coscoscos", "cos(x)*cos(y)*cos(z) <= 1", {"x": ("-1", "1"), "y": ("-1", "1"), "z": ("-1", "1")}, "PROVED", "touching (3-D)"),
    ("cos-margin", "1 - t**2/2 + t**4/24 - cos(t) + 1/1000000 >= 0", {"t": ("0", "1")}, "PROVED", "tight 1e-6"),
    ("cos-away", "1 - t**2/2 + t**4/24 - cos(t) >= 0", {"t": ("1/10", "1")}, "PROVED", "tight (min 1.4e-9)"),
    ("tlogt-margin", "t*log(t) + exp(-1) + 1e-9 >= 0", {"t": ("1/100", "2")}, "PROVED", "tight 1e-9"),
    ("cauchy-2d", "sqrt(x**2 + y**2 + 1) + 1e-4 >= (x + y + 1)/sqrt(3)", {"x": ("-2", "2"), "y": ("-2", "2")}, "PROVED", "tight 1e-4"),
    ("gauss-2d", "exp(-x**2 - y**2) <= 1/(1 + x**2 + y**2) + 1e-3", {"x": ("-1", "1"), "y": ("-1", "1")}, "PROVED", "tight 1e-3"),
    ("quad-3d", "x**2 + y**2 + z**2 + 1/1000 >= x*y + y*z + z*x", {"x": ("-1", "1"), "y": ("-1", "1"), "z": ("-1", "1")}, "PROVED", "tight 1e-3"),
    ("poly-3d", "x*y*z + 6/10 >= x*y/2 - z/3", {"x": ("0", "1"), "y": ("0", "1"), "z": ("0", "1")}, "PROVED", "easy"),
    ("tlogt-false", "t*log(t) + exp(-1) >= 1e-9", {"t": ("1/100", "2")}, "REFUTED", "false by 1e-9"),
    ("cosh-false", "exp(x) + exp(-x) >= 2 + x**2 + 1e-12", {"x": ("-1", "1")}, "REFUTED", "false by 1e-12"),
]


# ----------------------------------------------------------------------------- baseline

def iv_eval(e, env):
    if e.is_Symbol:
        return env[e.name]
    if e.is_Integer:
        return iv.mpf(int(e))
    if e.is_Rational:
        return iv.mpf(int(e.p)) / iv.mpf(int(e.q))
    if e is sp.pi:
        return iv.pi
    if e is sp.E:
        return iv.e
    if e.is_Add:
        acc = iv_eval(e.args[0], env)
        for a in e.args[1:]:
            acc = acc + iv_eval(a, env)
        return acc
    if e.is_Mul:
        acc = iv_eval(e.args[0], env)
        for a in e.args[1:]:
            acc = acc * iv_eval(a, env)
        return acc
    if e.is_Pow:
        b = iv_eval(e.base, env)
        if e.exp.is_Integer:
            return b ** int(e.exp)
        if e.exp == sp.S.Half:
            return iv.sqrt(b)
        if e.exp == -sp.S.Half:
            return 1 / iv.sqrt(b)
        return iv.exp(iv_eval(e.exp, env) * iv.log(b))
    fn = {sp.exp: iv.exp, sp.log: iv.log, sp.sin: iv.sin, sp.cos: iv.cos, sp.tan: iv.tan}.get(e.func)
    if fn is None:
        raise ValueError(f"baseline: no mpmath.iv function for {e.func}")
    return fn(iv_eval(e.args[0], env))


def baseline(claim, box, cap):
    names = list(box)
    lhs, op, rhs = parse_relation(claim, names)
    g = (lhs - rhs) if op in (">=", ">") else (rhs - lhs)
    strict = op in (">", "<")
    t0 = time.perf_counter()
    iv.prec = 53
    stack = [tuple((Fraction(lo), Fraction(hi)) for lo, hi in box.values())]
    boxes = 0
    while stack:
        if time.perf_counter() - t0 > cap:
            return "CAP", time.perf_counter() - t0, boxes
        B = stack.pop()
        boxes += 1
        env = {n: iv.mpf([iv.mpf(lo.numerator) / lo.denominator, iv.mpf(hi.numerator) / hi.denominator]).hull
               if False else iv.mpf([(iv.mpf(lo.numerator) / lo.denominator).a, (iv.mpf(hi.numerator) / hi.denominator).b])
               for n, (lo, hi) in zip(names, B)}
        try:
            y = iv_eval(g, env)
            ok = (y.a > 0) if strict else (y.a >= 0)
            bad = (y.b <= 0) if strict else (y.b < 0)
        except (ValueError, ZeroDivisionError):
            ok = bad = False
        if ok:
            continue
        if bad:
            return "REFUTED", time.perf_counter() - t0, boxes
        i = max(range(len(B)), key=lambda k: B[k][1] - B[k][0])
        lo, hi = B[i]
        m = (lo + hi) / 2
        for part in ((m, hi), (lo, m)):
            stack.append(tuple(part if k == i else B[k] for k in range(len(B))))
    return "PROVED", time.perf_counter() - t0, boxes


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cap", type=float, default=10.0, help="baseline time cap per case (s)")
    args = ap.parse_args(argv)
    prove_text("x >= 0", {"x": ("0", "1")})  # warm up imports (scipy, sympy caches)
    rows = []
    hdr = f"{'case':14s} {'kind':26s} {'prover':>8s} {'time s':>8s} {'boxes':>7s} | {'baseline':>8s} {'time s':>8s} {'boxes':>8s} | {'ratio':>7s}"
    print(hdr)
    print("-" * len(hdr))
    for name, claim, box, want, kind in SUITE:
        out = prove_text(claim, box, timeout=5.0)
        bs, bt, bb = baseline(claim, box, args.cap)
        btxt = f">{args.cap:g}" if bs == "CAP" else f"{bt:.3f}"
        ratio = bt / out.seconds if out.seconds > 0 else float("inf")
        rtxt = (">" if bs == "CAP" else "") + f"{ratio:.0f}x"
        flag = "" if out.status.value == want else "  <-- expected " + want
        print(f"{name:14s} {kind:26s} {out.status.value:>8s} {out.seconds:8.3f} {out.boxes:7d} | "
              f"{('>cap' if bs == 'CAP' else bs):>8s} {btxt:>8s} {bb:8d} | {rtxt:>7s}{flag}")
        rows.append((name, out.status.value, want, out.seconds, bs, bt))
    pm = statistics.median(r[3] for r in rows)
    bm = statistics.median(r[5] for r in rows)
    decided = sum(r[1] == r[2] for r in rows)
    print("-" * len(hdr))
    print(f"prover: {decided}/{len(rows)} decided as expected, max {max(r[3] for r in rows):.3f} s, median {pm:.3f} s")
    print(f"baseline (mpmath.iv bisection, cap {args.cap:g} s): {sum(r[4] != 'CAP' for r in rows)}/{len(rows)} finished, "
          f"median >= {bm:.3f} s")
    print(f"median ratio baseline/prover >= {bm / pm:.1f}x")
    return 0 if decided == len(rows) and max(r[3] for r in rows) <= 5.0 else 1


if __name__ == "__main__":
    sys.exit(main())
