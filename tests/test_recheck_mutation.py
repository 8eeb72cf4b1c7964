"""The re-checker trusts nothing in a certificate (issue 10, deliverable 3).

Honest certificates of every kind (interval leaves, touching point in 1-D and 2-D,
factorisation, witness, exact decision) are mutated field by field -- relation, bounds, box,
factors, constants, exponents, leaves, status, level, witness -- the digest is re-signed, and:

* nothing crashes (recheck returns a verdict, never raises);
* every mutation that makes the certified statement false is rejected.  "False" is decided by
  an oracle independent of the package: the mutated claim is evaluated with mpmath at 40 digits
  on a grid of the mutated box (and at the recorded witness for REFUTED certificates); a point
  where it is violated or undefined makes the PROVED statement false.
"""
from __future__ import annotations

import copy
import itertools
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from prunecert.checks.inequality.certificate import digest
from prunecert.checks.inequality.prover import prove_text
from prunecert.checks.inequality.recheck import recheck
from prunecert.checks.levels import Level

RELS = [">=", ">", "<=", "<"]


def _resign(c):
    c["digest"] = digest(c)
    return c


# ----------------------------------------------------------------------------- oracle

def _mp_value(expr, env):
    """mpmath value of a sympy tree as typed (unevaluated), or None where undefined."""
    mpmath.mp.dps = 40
    try:
        f = sp.lambdify(list(env), expr, modules="mpmath")
        v = f(*[mpmath.mpf(Fraction(x).numerator) / Fraction(x).denominator for x in env.values()])
    except (ZeroDivisionError, ValueError, TypeError, OverflowError):
        return None
    if isinstance(v, mpmath.mpc):
        if abs(v.imag) > mpmath.mpf(10) ** -30:
            return None
        v = v.real
    if not mpmath.isfinite(v):
        return None
    return v


def _holds(l, op, r):
    return {">=": l >= r, ">": l > r, "<=": l <= r, "<": l < r}[op]


def _claim_parts(claim, names):
    from prunecert.checks.rigorous.expr import parse_relation
    return parse_relation(claim, names, raw=True)


def _violated_somewhere(claim_text, names, box, points_per_side=9):
    """True if the (mutated) claim is violated or undefined at a grid point of box."""
    lhs, op, rhs = _claim_parts(claim_text, names)
    axes = []
    for lo, hi in box:
        lo, hi = Fraction(lo), Fraction(hi)
        axes.append(sorted({lo + (hi - lo) * k / (points_per_side - 1) for k in range(points_per_side)}))
    for pt in itertools.product(*axes):
        env = dict(zip(names, pt))
        syms = {n: sp.Symbol(n, real=True) for n in names}
        l = _mp_value(lhs, {syms[n]: v for n, v in env.items()})
        r = _mp_value(rhs, {syms[n]: v for n, v in env.items()})
        if l is None or r is None or not _holds(l, op, r):
            return True
    return False


def _holds_at(claim_text, names, point):
    lhs, op, rhs = _claim_parts(claim_text, names)
    syms = {n: sp.Symbol(n, real=True) for n in names}
    env = {syms[n]: point[n] for n in names}
    l, r = _mp_value(lhs, env), _mp_value(rhs, env)
    return l is not None and r is not None and _holds(l, op, r)


def _statement_false(c) -> bool:
    """Oracle: is the statement this (mutated) inequality certificate asserts false?"""
    try:
        names = list(c["variables"])
        box = [tuple(Fraction(v) for v in c["box"][n]) for n in names]
        if any(lo > hi for lo, hi in box):
            return True
        if c["status"] == "PROVED":
            return _violated_somewhere(c["claim"], names, box)
        if c["status"] == "REFUTED":
            w = c["evidence"]["witness"]
            pt = {n: Fraction(w[n]) for n in names}
            if any(not (lo <= pt[n] <= hi) for n, (lo, hi) in zip(names, box)):
                return True
            return _holds_at(c["claim"], names, pt)
        return True  # any other status asserts nothing checkable
    except Exception:  # noqa: BLE001 - unreadable mutation: nothing true is asserted
        return True


# ----------------------------------------------------------------------------- mutations

def _paths(obj, prefix=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))
    yield prefix, obj


def _set(obj, path, value):
    for k in path[:-1]:
        obj = obj[k]
    obj[path[-1]] = value


def _variants(path, v):
    key = path[-1] if path else None
    if isinstance(v, bool):
        return [not v]
    if isinstance(v, int):
        return [v + 1, v - 1, -v, 0, 10 ** 6]
    if isinstance(v, str):
        if v in RELS:
            return [r for r in RELS if r != v]
        if v in ("PROVED", "REFUTED", "UNKNOWN"):
            return [s for s in ("PROVED", "REFUTED", "UNKNOWN") if s != v]
        if v in ("lo", "hi", "in"):
            return [s for s in ("lo", "hi", "in") if s != v]
        try:
            q = Fraction(v)
            return [str(q + 1), str(q - Fraction(1, 7)), str(-q), str(q * 2), "1e99999999", "Infinity"]
        except (ValueError, ZeroDivisionError):
            pass
        if key in ("claim", "expr", "lhs", "rhs"):
            return [v + " - 1/1000", v.replace(">=", "<").replace("<=", ">"), f"sqrt({v})" if key == "expr" else v + "*0",
                    v.replace("x", "(x-3)")]
        return []
    if isinstance(v, list):
        return [v[1:], v + v[:1], []] if v else [["0"]]
    if isinstance(v, dict):
        return [{}]
    return []


SKIP_KEYS = {"digest", "seconds", "versions", "method", "seed", "boxes", "enclosure", "format", "timeout",
             "answers", "smtlib2"}


def _mutants(cert, limit):
    out = []
    for path, v in _paths(cert):
        if not path or any(isinstance(k, str) and k in SKIP_KEYS for k in path):
            continue
        for nv in _variants(path, v):
            c = copy.deepcopy(cert)
            _set(c, path, nv)
            out.append(("/".join(map(str, path)), nv, c))
    # the relation changed consistently in the claim text and the op field
    if "claim" in cert and "op" in cert:
        for r in RELS:
            if r != cert["op"]:
                c = copy.deepcopy(cert)
                c["claim"] = cert["claim"].replace(f" {cert['op']} ", f" {r} ", 1)
                c["op"] = r
                out.insert(0, ("claim+op", r, c))
    # keep the mutations of every field kind; thin out the repetitive ones (many leaves)
    seen, kept = {}, []
    for p, nv, c in out:
        kind = tuple(k if isinstance(k, str) else "#" for k in p.split("/"))
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] <= 3:
            kept.append((p, nv, c))
    return kept[:limit]


HONEST = {
    "leaves": ("exp(x) - 1 - x + 1/20 >= 0", {"x": ("-1", "1")}, {"use_exact_steps": False}),
    "touch-1d": ("cos(t) <= 1 - t**2/2 + t**4/24", {"t": ("0", "1")}, {}),
    "touch-2d": ("exp(x) + exp(y) >= 2 + x + y", {"x": ("-1", "1"), "y": ("-1", "1")}, {}),
    "factor": ("x**2*(y**2 + 1) >= 0", {"x": ("-1", "1"), "y": ("-1", "1")}, {}),
    "witness": ("exp(x) - 1 - x - 1/10**15 >= 0", {"x": ("-1", "1")}, {}),
}


@pytest.fixture(scope="module")
def honest():
    out = {}
    for name, (claim, box, kw) in HONEST.items():
        r = prove_text(claim, box, timeout=20, use_smt=False, **kw)
        assert r.status in (Level.PROVED, Level.REFUTED) and r.certificate is not None, name
        assert recheck(r.certificate, timeout=60).ok, name
        out[name] = r.certificate
    return out


@pytest.mark.parametrize("kind", list(HONEST))
def test_every_falsifying_mutation_is_rejected(honest, kind):
    cert = honest[kind]
    muts = _mutants(cert, limit=45)
    assert len(muts) >= 12
    accepted_false = []
    for path, nv, c in muts:
        _resign(c)
        res = recheck(c, timeout=30)          # never raises
        assert res.verdict in ("OK", "REJECTED", "UNKNOWN")
        if res.ok and _statement_false(c):
            accepted_false.append((path, nv))
    assert not accepted_false, f"{kind}: forged certificates accepted: {accepted_false}"


def test_specific_forgeries_from_the_issue(honest):
    # strictness: the touching point proves cos(t) <= ..., never < (false at t = 0)
    c = copy.deepcopy(honest["touch-1d"])
    c["claim"] = "cos(t) < 1 - t**2/2 + t**4/24"
    c["op"] = "<"
    r = recheck(_resign(c))
    assert not r.ok and "non-strict" in r.detail
    c = copy.deepcopy(honest["touch-2d"])
    c["claim"] = "exp(x) + exp(y) > 2 + x + y"
    c["op"] = ">"
    assert not recheck(_resign(c)).ok
    # "even power" of a base that is not real on the box
    for claim, base, box in [("x - 2 >= 0", "sqrt(x - 2)", {"x": ["0", "1"]}),
                             ("log(x)**2 >= 0", "log(x)", {"x": ["-1", "1"]})]:
        c = copy.deepcopy(honest["factor"])
        c.update(claim=claim, lhs=claim.split(" >= ")[0], rhs="0", op=">=", variables=["x"], box=box)
        c["evidence"] = {"kind": "factor", "constant": "1",
                         "factors": [{"expr": base, "exponent": 2, "sign": 1, "reason": "even-power"}]}
        r = recheck(_resign(c))
        assert not r.ok, claim
    # two variables, 0 >= x + 1 written as -(sqrt(-x-1))**2
    c = copy.deepcopy(honest["factor"])
    c.update(claim="0 >= x + 1 + 0*y", lhs="0", rhs="x + 1 + 0*y", op=">=")
    c["evidence"] = {"kind": "factor", "constant": "1",
                     "factors": [{"expr": "sqrt(-x - 1)", "exponent": 2, "sign": 1, "reason": "even-power"}]}
    assert not recheck(_resign(c)).ok
    # a huge exponent must be refused quickly, not expanded
    c = copy.deepcopy(honest["factor"])
    c["evidence"]["factors"][0]["exponent"] = 10 ** 6
    r = recheck(_resign(c))
    assert not r.ok and r.seconds < 10
    # non-finite / absurd precision values
    for prec in (float("inf"), 1e400, "53", -1, 10 ** 9):
        c = copy.deepcopy(honest["leaves"])
        c["prec"] = prec
        r = recheck(_resign(c))
        assert not r.ok and "precision" in r.detail


SMT_STATEMENT = ("x**2 + e**2 >= 2*x*e", {"x": ("-1", "1"), "e": ("-1", "1")})


def test_smt_certificate_mutations():
    from prunecert.checks.decide import smt

    from prunecert.checks.rigorous.expr import parse_relation

    L, op, R = parse_relation(SMT_STATEMENT[0], list(SMT_STATEMENT[1]))
    r = smt.prove_forall(L, op, R, SMT_STATEMENT[1], timeout=20)
    assert r.level is Level.PROVED
    cert = r.certificate
    ok = smt.recheck_certificate(cert, timeout=20)
    assert ok.ok, ok.detail                     # a variable named e is fine
    muts = []
    for key, val in [("level", "REFUTED"), ("level", "UNKNOWN"), ("witness", {"x": "1", "e": "0"}),
                     ("box", {"x": ["-1", "Infinity"], "e": ["-1", "1"]}),
                     ("box", {"x": ["-1", "1e99999999"], "e": ["-1", "1"]}),
                     ("box", {"x": ["-2", "1"], "e": ["-1", "1"]})]:
        c = copy.deepcopy(cert)
        c[key] = val
        muts.append(c)
    c = copy.deepcopy(cert)
    c["statement"]["op"] = ">"
    muts.append(c)
    c = copy.deepcopy(cert)
    c["statement"]["rhs"] = "2*x*e + 1/1000"
    muts.append(c)
    for c in muts:
        res = smt.recheck_certificate(c, timeout=20)     # never raises
        assert not res.ok, (c.get("level"), c.get("box"), c["statement"])
