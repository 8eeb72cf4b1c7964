"""bounds.weight_construction: masks, subset-sum instances, certified error, analytic bound."""
from fractions import Fraction

import numpy as np
import pytest

from bounds.weight_construction import blocks, construct
from checks.network import Network, sample


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
    assert r.achievable("0.01") is False


def test_model_a():
    r = construct(sample(20, 3, seed=0, model="A"))
    assert not r.applicable and "Model A" in r.reason and r.achievable("0.5") is False
    net = sample(60, 2, seed=1, model="A", target="e1")
    r = construct(net)
    assert r.applicable and r.error.lo <= r.analytic_hi
    assert dense(net, r.neuron_mask, r.weight_mask) <= float(r.error.hi) + 1e-12
