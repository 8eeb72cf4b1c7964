"""prunecert.bounds.gap.weight_construction: masks, subset-sum instances, certified error, analytic bound."""
from fractions import Fraction

import numpy as np
import pytest

from prunecert.bounds.gap.weight_construction import blocks, construct, estimate_error
from prunecert.checks.errors import InputError
from prunecert.checks.instances.network import Network, prefix, sample
from prunecert.checks.instances.superror import sup_error


def dense(net, nm, wm, m=100_000, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, net.d))
    X /= np.linalg.norm(X, axis=1)[:, None]
    return float(np.abs(net.evaluate_float(X, nm, wm) - net.target_float(X)).max())


def test_blocks_partition():
    for n, d in ((10, 3), (7, 2), (40, 3)):
        bl = blocks(n, d)
        assert sorted(i for b in bl for i in b) == list(range(n))


@pytest.mark.parametrize("d, n", [(2, 60), (3, 90)])
def test_masks_structure_and_bounds(d, n):
    for seed in range(3):
        net = sample(n, d, seed=seed, model="B")
        r = construct(net, tol=Fraction(1, 10**5))
        assert r.applicable
        for j, b in enumerate(blocks(n, d)):
            for i in b:
                assert r.weight_mask[i] == ([1 if k == j else 0 for k in range(d)] if r.neuron_mask[i] else [0] * d)
                if r.neuron_mask[i]:
                    assert net.u[i][j] != 0
        # the instances' errors are exact; the analytic bound dominates the certified error
        for inst in r.instances:
            assert inst.error == abs(sum((net.v[i] * net.u[i][inst.coordinate] for i in inst.chosen), Fraction(0))
                                     - inst.target)
        assert r.error.lo <= r.analytic_hi
        assert dense(net, r.neuron_mask, r.weight_mask) <= float(r.error.hi) + 1e-12


def test_realised_inner_function_is_the_subset_sums():
    net = sample(30, 2, seed=4, model="B")
    r = construct(net, certify=False)
    pn = net.pruned(r.neuron_mask, r.weight_mask)
    for inst in r.instances:
        j = inst.coordinate
        x = [Fraction(0)] * 2
        x[j] = Fraction(1) if inst.side == "+" else Fraction(-1)
        # h(e_j) = a_j, h(-e_j) = -b_j
        assert pn.inner_exact(x) == (inst.total if inst.side == "+" else -inst.total)


def test_failed_instance_reported():
    # d = 2, block 0 = unit 0 with u_00 < 0 only: side "+" of coordinate 0 has no candidate
    net = Network.from_json({"model": "B", "w": ["0.6", "0.8"],
                             "u": [["-0.5", "0.1"], ["0.3", "0.9"]], "v": ["1", "1"]})
    r = construct(net)
    assert any("coordinate 0, side +" in f.failed for f in r.failed_instances)
    assert r.reaches_eps("0.01") is False and r.achievable("0.01") is False


def test_model_a():
    r = construct(sample(20, 3, seed=0, model="A"))
    assert not r.applicable and "Model A" in r.reason and r.reaches_eps("0.5") is None
    net = sample(60, 2, seed=1, model="A", target="e1")
    r = construct(net)
    assert r.applicable and r.error.lo <= r.analytic_hi
    assert dense(net, r.neuron_mask, r.weight_mask) <= float(r.error.hi) + 1e-12


# ------------------------------------------------------------------ nested design (scripts/weight_table.py)
def test_interleaved_blocks_are_stable_and_nested():
    for d in (2, 3):
        for n in range(1, 40):
            bl = blocks(n, d, "interleaved")
            assert sorted(i for b in bl for i in b) == list(range(n))
            for j, b in enumerate(bl):
                assert all(i % d == j for i in b)                 # unit i always in block i mod d
            wider = blocks(n + 7, d, "interleaved")
            for b, bw in zip(bl, wider):
                assert list(bw)[:len(b)] == list(b)              # a prefix of the wider block
    # the contiguous rule is not nested: unit 2 moves from block 1 (n = 4) to block 0 (n = 6)
    assert 2 in blocks(4, 2)[1] and 2 in blocks(6, 2)[0]
    with pytest.raises(InputError):
        blocks(4, 2, "random")


def test_prefix_networks_share_units():
    big = sample(30, 3, seed=5, model="B")
    for n in (1, 7, 30):
        p = prefix(big, n)
        assert p.n == n and p.model == big.model and p.w == big.w
        assert p.u == big.u[:n] and p.v == big.v[:n]
        assert prefix(p, 1) == prefix(big, 1)
    for bad in (0, 31, 2.5, True):
        with pytest.raises(InputError):
            prefix(big, bad)


@pytest.mark.parametrize("d", [2, 3])
def test_nested_construction_is_monotone(d):
    big = sample(d * 24, d, seed=11, model="B")
    cache = {}
    prev = None
    for m in range(1, 25):
        r = construct(prefix(big, d * m), certify=False, block_rule="interleaved", keep="first", max_candidates=6,
                      subset_cache=cache)
        s2 = sum(x * x for x in r.delta)
        if prev is not None:
            ps2, pr = prev
            assert s2 <= ps2                                  # exact optima over nested candidate sets
            for a, b in zip(pr.instances, r.instances):
                assert (a.coordinate, a.side) == (b.coordinate, b.side)
                assert b.units[:len(a.units)] == a.units         # candidates only get appended
                assert len(b.units) <= 6
        prev = (s2, r)
    # the cache returns the same optimum as a fresh solve
    r1 = construct(prefix(big, d * 10), certify=False, block_rule="interleaved", keep="first", subset_cache=cache)
    r2 = construct(prefix(big, d * 10), certify=False, block_rule="interleaved", keep="first")
    assert r1.neuron_mask == r2.neuron_mask and r1.weight_mask == r2.weight_mask and r1.delta == r2.delta


def test_construct_rejects_bad_options():
    net = sample(10, 2, seed=0, model="B")
    for kw in ({"block_rule": "x"}, {"keep": "smallest"}, {"max_candidates": 0}, {"max_candidates": 45}):
        with pytest.raises(InputError):
            construct(net, certify=False, **kw)


@pytest.mark.parametrize("d, ms", [(2, (4, 12, 25)), (3, (6, 15))])
def test_estimate_error_agrees_with_certified(d, ms):
    for seed in range(2):
        big = sample(d * 25, d, seed=seed, model="B")
        for m in ms:
            net = prefix(big, d * m)
            r = construct(net, certify=False, block_rule="interleaved", keep="first")
            f = Fraction(estimate_error(r, net.w))
            if d == 2:
                e = sup_error(net, neuron_mask=r.neuron_mask, weight_mask=r.weight_mask, tol=Fraction(1, 10**12))
                assert abs(f - e.hi) <= Fraction(1, 10**9) * (1 + e.hi)
            else:
                # the estimate is a value at points of the sphere (<= sup) and within 1% of the sup
                e = sup_error(net, neuron_mask=r.neuron_mask, weight_mask=r.weight_mask, tol=f / 10**4,
                              decide_at=f * Fraction(101, 100), timeout=30)
                assert e.hi <= f * Fraction(101, 100)
                assert f <= e.hi * (1 + Fraction(1, 10**9))
