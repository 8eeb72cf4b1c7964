"""Certificates of neuron-pruning optima (format ``prunecert-neuron-optimum/1``) and their re-check.

A certificate states  lo <= OPT <= hi  for the network it embeds, where
OPT = min_S sup_{x in B^d} |g_S(x) - relu(<w, x>)|.  It records: the network, the exact
rational points P, the scale K, the threshold L (integer units), the subset S, the claimed
[lo, hi], and a branch-and-bound tree (preorder, see :mod:`prunecert.checks.instances.neuron_tree`).

The re-check shares no code with the solver's search: it

1. re-reads the network; checks every point is exact and inside the closed unit ball;
2. recomputes the integer data A_ip = floor(v_i relu(<u_i, x_p>) 2^K), T_p = floor(relu(<w, x_p>) 2^K)
   with its own exact Fraction arithmetic;
3. rebuilds the LP rows from (A, T, L, model) and walks the tree: branches must be on free units,
   every leaf's bound is recomputed exactly (interval: from A, T; enumeration: every completion;
   lp: the weak-duality bound of its nonnegative integer dual, evaluated in Python integers and
   capped at L); the tree must be complete (a preorder of a full binary tree);
4. lower = min(L, leaf values);  requires lo <= max(0, lower - n - 1) / 2^K;
5. recomputes the certified sup error of S with prunecert's sup_error engine and requires it <= hi;
6. the digest (sha256 of the canonical body) must match.
"""
from __future__ import annotations

import hashlib
import json
import time
from fractions import Fraction

import numpy as np

from prunecert.checks.errors import InputError
from prunecert.checks.rigorous.numbers import exact_decimal

FORMAT = "prunecert-neuron-optimum/1"
__all__ = ["FORMAT", "make_certificate", "recheck", "digest"]


def _canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"))


def digest(cert: dict) -> str:
    body = {k: v for k, v in cert.items() if k != "digest"}
    return hashlib.sha256(_canonical(body).encode()).hexdigest()


def make_certificate(net, data, tr, subset, lo: Fraction, hi: Fraction) -> dict:
    cert = {
        "format": FORMAT,
        "statement": "lo <= min_S sup_{||x||<=1} |g_S(x) - relu(<w,x>)| <= hi",
        "network": net.to_json(),
        "points": [[exact_decimal(c) for c in p] for p in data.points],
        "K": int(data.K),
        "threshold": int(tr.L),
        "scale_bits": int(tr.scale_bits),
        "subset": [int(i) for i in subset],
        "lo": exact_decimal(Fraction(lo)),
        "hi": exact_decimal(Fraction(hi)),
        "lower_complete": bool(tr.complete),
        "method": "certified LP/interval/enumeration tree on exact points (duals from HiGHS, bounds exact)",
        "tree": tr.tree,
    }
    cert["digest"] = digest(cert)
    return cert


class _Reject(Exception):
    pass


def _frac(s, what):
    if not isinstance(s, (str, int)) or isinstance(s, bool):
        raise _Reject(f"{what}: expected an exact number string")
    try:
        return Fraction(s)
    except (ValueError, ZeroDivisionError):
        raise _Reject(f"{what}: not an exact number: {s!r}") from None


def _int_data(net, pts, K):
    n, d = net.n, net.d
    A = [[0] * len(pts) for _ in range(n)]
    T = [0] * len(pts)
    scale = 1 << K
    for p, x in enumerate(pts):
        for i in range(n):
            s = sum(a * b for a, b in zip(net.u[i], x))
            a = net.v[i] * s if s > 0 else Fraction(0)
            A[i][p] = (a.numerator * scale) // a.denominator
        t = sum(a * b for a, b in zip(net.w, x))
        t = t if t > 0 else Fraction(0)
        T[p] = (t.numerator * scale) // t.denominator
    return A, T


def _err(h, t, model):
    if model == "B":
        h = h if h > 0 else 0
    return abs(h - t)


def recheck(cert: dict, *, timeout: float = 600.0) -> dict:
    """Re-verify a certificate; returns {"ok": bool, "detail": str, ...}."""
    t0 = time.perf_counter()
    try:
        out = _recheck(cert, t0 + timeout)
        out.update(ok=True)
    except _Reject as exc:
        out = {"ok": False, "detail": str(exc)}
    out["seconds"] = round(time.perf_counter() - t0, 3)
    return out


def _recheck(cert, deadline) -> dict:
    from prunecert.checks.instances.network import Network
    from prunecert.checks.instances.superror import sup_error

    if not isinstance(cert, dict) or cert.get("format") != FORMAT:
        raise _Reject("not a neuron-optimum certificate")
    if cert.get("digest") != digest(cert):
        raise _Reject("digest mismatch: the certificate was altered")
    try:
        net = Network.from_json(cert["network"])
    except (InputError, KeyError, TypeError) as exc:
        raise _Reject(f"network: {exc}") from None
    n, d, model = net.n, net.d, net.model
    K, L, sb = cert.get("K"), cert.get("threshold"), cert.get("scale_bits")
    for name, val in (("K", K), ("threshold", L), ("scale_bits", sb)):
        if not isinstance(val, int) or isinstance(val, bool) or val < 0 or val > 10**30:
            raise _Reject(f"{name} must be a nonnegative integer")
    if K > 200 or sb > 200:
        raise _Reject("K / scale_bits out of range")
    pts = []
    for k, p in enumerate(cert.get("points") or []):
        if not isinstance(p, list) or len(p) != d:
            raise _Reject(f"point {k}: expected {d} coordinates")
        x = tuple(_frac(c, f"point {k}") for c in p)
        if sum(c * c for c in x) > 1:
            raise _Reject(f"point {k} is outside the unit ball")
        pts.append(x)
    if not pts:
        raise _Reject("no points")
    subset = cert.get("subset")
    if not isinstance(subset, list) or any(not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < n
                                           for i in subset) or len(set(subset)) != len(subset):
        raise _Reject("subset must list distinct unit indices")
    lo, hi = _frac(cert.get("lo"), "lo"), _frac(cert.get("hi"), "hi")
    if lo > hi:
        raise _Reject("lo > hi")
    A, T = _int_data(net, pts, K)
    P = len(pts)
    # LP rows, rebuilt here (same definition as the solver documents)
    rows, rhs = [], []
    for p in range(P):
        col = [A[i][p] for i in range(n)]
        rows.append([-a for a in col] + [1])
        rhs.append(-T[p])
        if model == "A" or T[p] >= L:
            rows.append(col + [1])
            rhs.append(T[p])
    lower = _walk(cert.get("tree"), A, T, model, n, P, L, rows, rhs, sb, deadline)
    margin = n + 1
    proved_lo = Fraction(max(0, lower - margin), 1 << K)
    if lo > proved_lo:
        raise _Reject(f"claimed lo {cert.get('lo')} exceeds the re-proved lower bound {proved_lo}")
    left = max(1.0, deadline - time.perf_counter())
    mask = [1 if i in set(subset) else 0 for i in range(n)]
    se = sup_error(net, neuron_mask=mask, tol=max(Fraction(1, 10**9), hi / 10**6), timeout=left)
    if se.hi > hi:
        if se.lo > hi:
            raise _Reject(f"the subset's certified sup error is above the claimed hi {cert.get('hi')}")
        raise _Reject("could not confirm the subset's sup error <= hi")
    return {"detail": f"lo <= OPT <= hi re-proved: lower {lower} / threshold {L} units, "
                      f"{P} points, sup error of the subset <= hi ({se.method})",
            "lower_units": lower, "proved_lo": exact_decimal(proved_lo)}


def _walk(tree, A, T, model, n, P, L, rows, rhs, sb, deadline) -> int:
    if not isinstance(tree, list) or not tree:
        raise _Reject("tree must be a nonempty list")
    An = np.array(A, dtype=object).reshape(n, P)
    Tn = np.array(T, dtype=object)
    Gobj = np.array(rows, dtype=object).reshape(len(rows), n + 1)
    fix: dict[int, int] = {}
    # stack of (unit, state): state 0 = in the 0-subtree, 1 = in the 1-subtree
    path: list[list[int]] = []
    lower = L
    pos = 0
    done = False
    while not done:
        if pos >= len(tree):
            raise _Reject("tree ends before every branch is closed")
        if time.perf_counter() > deadline:
            raise _Reject("re-check ran out of time")
        node = tree[pos]
        pos += 1
        if not isinstance(node, list) or not node or node[0] not in ("B", "I", "E", "L"):
            raise _Reject(f"tree entry {pos - 1}: malformed")
        if node[0] == "B":
            if len(node) != 2 or not isinstance(node[1], int) or isinstance(node[1], bool):
                raise _Reject(f"tree entry {pos - 1}: branch needs a unit index")
            j = node[1]
            if not 0 <= j < n or j in fix:
                raise _Reject(f"tree entry {pos - 1}: branch on unit {j}, not a free unit")
            fix[j] = 0
            path.append([j, 0])
            continue
        v = _leaf(node, An, Tn, model, n, P, L, Gobj, rhs, sb, fix, pos - 1)
        lower = min(lower, v)
        # climb: close finished 1-subtrees, switch the deepest open 0-subtree to its 1-subtree
        while path and path[-1][1] == 1:
            j, _ = path.pop()
            del fix[j]
        if not path:
            done = True
        else:
            path[-1][1] = 1
            fix[path[-1][0]] = 1
    if pos != len(tree):
        raise _Reject("tree has entries after the root is closed")
    return int(lower)


def _interval(An, Tn, model, fix, n, P):
    Hl = np.zeros(P, dtype=object)
    Hh = np.zeros(P, dtype=object)
    for j in range(n):
        b = fix.get(j)
        if b is None:
            Hl = Hl + np.minimum(An[j], 0)
            Hh = Hh + np.maximum(An[j], 0)
        elif b:
            Hl = Hl + An[j]
            Hh = Hh + An[j]
    best = 0
    for p in range(P):
        lo, hi, t = int(Hl[p]), int(Hh[p]), int(Tn[p])
        if model == "B":
            lo, hi = max(lo, 0), max(hi, 0)
        best = max(best, t - hi, lo - t)
    return best


def _leaf(node, An, Tn, model, n, P, L, Gobj, rhs, sb, fix, where) -> int:
    kind = node[0]
    if kind == "I":
        return _interval(An, Tn, model, fix, n, P)
    if kind == "E":
        free = [j for j in range(n) if j not in fix]
        if len(free) > 16:
            raise _Reject(f"tree entry {where}: enumeration leaf with {len(free)} free units (max 16)")
        base = np.zeros(P, dtype=object)
        for j, b in fix.items():
            if b:
                base = base + An[j]
        best = None
        for mask in range(1 << len(free)):
            H = base.copy()
            for k, j in enumerate(free):
                if mask >> k & 1:
                    H = H + An[j]
            e = max(_err(int(H[p]), int(Tn[p]), model) for p in range(P))
            best = e if best is None else min(best, e)
        return int(best)
    # lp leaf: nonnegative integer dual; bound evaluated exactly; value min(L, ceil(bound)),
    # and never below the (always valid) interval bound
    if len(node) != 2 or not isinstance(node[1], dict):
        raise _Reject(f"tree entry {where}: lp leaf needs a dual")
    tot = 0
    r = [0] * n + [1 << sb]
    for key, q in node[1].items():
        try:
            row = int(key)
        except ValueError:
            raise _Reject(f"tree entry {where}: bad dual row {key!r}") from None
        if not isinstance(q, int) or isinstance(q, bool) or q < 0 or not 0 <= row < len(rhs):
            raise _Reject(f"tree entry {where}: dual entries must be nonnegative integers on rows")
        Grow = Gobj[row]
        for j in range(n + 1):
            a = int(Grow[j])
            if a:
                r[j] -= a * q
        tot += q * int(rhs[row])
    for j in range(n):
        b = fix.get(j)
        if b is not None:
            tot += r[j] * b
        elif r[j] < 0:
            tot += r[j]               # s_j in [0, 1]
    if r[n] < 0:
        tot += r[n] * L               # e in [0, L] (only subsets with E < L matter)
    lp = -((-tot) >> sb)
    return max(min(L, lp), _interval(An, Tn, model, fix, n, P))
