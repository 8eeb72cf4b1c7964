"""Certificates: every certificate the prover writes re-checks; altered ones are rejected."""
import copy
from fractions import Fraction

import pytest

from prunecert.checks.inequality.certificate import digest
from prunecert.checks.inequality.prover import prove_text
from prunecert.checks.inequality.recheck import I, covers, recheck

CASES = [
    ("cos(t) <= 1 - t**2/2 + t**4/24", {"t": ("0", "1")}),
    ("t*log(t) + exp(-1) >= 0", {"t": ("1/100", "2")}),
    ("t*log(t) + exp(-1) >= 1e-9", {"t": ("1/100", "2")}),
    ("x**2 + y**2 >= 2*x*y", {"x": ("-1", "1"), "y": ("-1", "1")}),
    ("1 - t**2/2 + t**4/24 - cos(t) + 1/1000000 >= 0", {"t": ("0", "1")}),
    ("sin(x)*cos(y) <= 1", {"x": ("-2", "2"), "y": ("-2", "2")}),
    ("x*y*z + 6/10 >= x*y/2 - z/3", {"x": ("0", "1"), "y": ("0", "1"), "z": ("0", "1")}),
    ("Max(0, x - y) + 1/100 >= (x - y)/2", {"x": ("-1", "1"), "y": ("-1", "1")}),
    ("atan(x) <= x", {"x": ("1/10", "2")}),
    ("x**3 - 3*x*y**2 + 1/10 >= 0", {"x": ("0", "1"), "y": ("0", "1/2")}),
]


_CACHE = {}


def cert_of(i):
    if i not in _CACHE:
        text, box = CASES[i]
        out = prove_text(text, box, timeout=20)
        _CACHE[i] = out
    return _CACHE[i]


@pytest.mark.parametrize("i", range(len(CASES)))
def test_round_trip(i):
    out = cert_of(i)
    assert out.certificate is not None, (CASES[i], out.status, out.detail)
    res = recheck(copy.deepcopy(out.certificate))
    assert res.ok, res.detail
    if "atan" in CASES[i][0] and out.certificate["evidence"]["kind"] == "leaves":
        assert res.fallback_leaves > 0  # honest reporting of the arb fallback


def resign(c):
    c["digest"] = digest(c)
    return c


def test_digest_only_change_rejected():
    c = copy.deepcopy(cert_of(4).certificate)
    c["seconds"] = c["seconds"] + 1
    assert not recheck(c).ok
    c = copy.deepcopy(cert_of(4).certificate)
    c["digest"] = "0" * 64
    assert not recheck(c).ok


def test_changed_claim_rejected_even_with_new_digest():
    c = copy.deepcopy(cert_of(4).certificate)
    c["claim"] = "1 - t**2/2 + t**4/24 - cos(t) + 1/1000000 >= 1/1000"  # false at t = 0
    res = recheck(resign(c))
    assert not res.ok
    c = copy.deepcopy(cert_of(1).certificate)  # touching-point certificate
    c["claim"] = "t*log(t) + exp(-1) >= 1e-12"
    assert not recheck(resign(c)).ok


def test_changed_leaf_rejected():
    c = copy.deepcopy(cert_of(4).certificate)
    leaves = c["evidence"]["leaves"]
    leaves.pop()  # coverage broken
    assert "cover" in recheck(resign(c)).detail
    c = copy.deepcopy(cert_of(4).certificate)
    c["evidence"]["leaves"][0]["box"][0][1] = "1/1000"  # shrink a leaf: hole
    assert not recheck(resign(c)).ok
    c = copy.deepcopy(cert_of(6).certificate)
    c["evidence"]["leaves"] = [{"box": [["0", "1"], ["0", "1"], ["0", "1/2"]], "method": "plain",
                                "enclosure": [0, 0, 0, 0]}]
    assert not recheck(resign(c)).ok  # half the box is missing
    c = copy.deepcopy(cert_of(6).certificate)
    c["evidence"]["leaves"].append({"box": [["0", "2"], ["0", "1"], ["0", "1"]], "method": "plain",
                                    "enclosure": [0, 0, 0, 0]})
    assert "outside" in recheck(resign(c)).detail


def test_changed_witness_rejected():
    c = copy.deepcopy(cert_of(2).certificate)
    c["evidence"]["witness"]["t"] = "1"
    assert not recheck(resign(c)).ok
    c = copy.deepcopy(cert_of(2).certificate)
    c["evidence"]["witness"]["t"] = "5"  # outside the box
    assert not recheck(resign(c)).ok


def test_changed_touch_facts_rejected():
    c = copy.deepcopy(cert_of(1).certificate)
    tp = c["evidence"]["touch_points"][0]
    tp["point"] = ["1/3"]
    assert not recheck(resign(c)).ok
    c = copy.deepcopy(cert_of(0).certificate)
    c["evidence"]["touch_points"][0]["order"] = 7
    assert not recheck(resign(c)).ok


def test_changed_factorisation_rejected():
    c = copy.deepcopy(cert_of(3).certificate)
    c["evidence"]["factors"][0]["expr"] = "x + y"
    assert not recheck(resign(c)).ok
    c = copy.deepcopy(cert_of(3).certificate)
    c["evidence"]["factors"][0]["exponent"] = 1
    c["evidence"]["factors"][0]["reason"] = "even-power"
    assert not recheck(resign(c)).ok


def test_status_swap_rejected():
    c = copy.deepcopy(cert_of(2).certificate)
    c["status"] = "PROVED"
    assert not recheck(resign(c)).ok
    assert not recheck({"format": "something else"}).ok
    assert not recheck({}).ok


def test_covers_exact():
    F = Fraction
    box = ((F(0), F(1)), (F(0), F(1)))
    halves = [((F(0), F(1, 2)), (F(0), F(1))), ((F(1, 2), F(1)), (F(0), F(1)))]
    assert covers(box, halves)
    assert not covers(box, halves[:1])
    gap = [((F(0), F(1, 2)), (F(0), F(1))), ((F(1, 2) + F(1, 10**30), F(1)), (F(0), F(1)))]
    assert not covers(box, gap)
    quads = [((a, a + F(1, 2)), (b, b + F(1, 2))) for a in (F(0), F(1, 2)) for b in (F(0), F(1, 2))]
    assert covers(box, quads) and not covers(box, quads[1:])
    overlap = [((F(0), F(2, 3)), (F(0), F(1))), ((F(1, 3), F(1)), (F(0), F(1)))]
    assert covers(box, overlap)
