"""prunecert.checks.instances.superror: certified enclosures against exact and dense evaluation."""
from fractions import Fraction

import numpy as np
import pytest

from prunecert.checks.errors import InputError
from prunecert.checks.instances.network import Network, sample
from prunecert.checks.instances.superror import sqrt_bounds, sup_error


def dense_max(net, d, m=100_000, seed=0, nm=None, wm=None):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, d))
    X /= np.linalg.norm(X, axis=1)[:, None]
    return float(np.abs(net.evaluate_float(X, nm, wm) - net.target_float(X)).max())


def test_sqrt_bounds():
    for q in (Fraction(2), Fraction(1, 3), Fraction(49, 4), Fraction(10**-12)):
        lo, hi = sqrt_bounds(q, Fraction(1, 10**9))
        assert lo * lo <= q <= hi * hi and hi - lo <= Fraction(1, 10**9)


def test_hand_example_2d():
    # g = relu(x1) (one unit u = e1, v = 1) vs target relu(<w,x>), w = e2: sup over circle of
    # |relu(cos t) - relu(sin t)| = 1 (at t = 0).
    net = Network.from_json({"model": "A", "w": ["0", "1"], "u": [["1", "0"]], "v": ["1"]})
    r = sup_error(net)
    assert r.lo == r.hi == 1 and r.exact
    # perfect approximation: error 0
    net = Network.from_json({"model": "B", "w": ["0.6", "0.8"], "u": [["0.6", "0.8"]], "v": ["1"]})
    r = sup_error(net)
    assert r.hi == 0
    # scaled: v = 1/2 -> error = 1/2 * relu(<w,x>) -> sup 1/2
    net = Network.from_json({"model": "B", "w": ["0.6", "0.8"], "u": [["0.6", "0.8"]], "v": ["1/2"]})
    r = sup_error(net)
    assert r.lo <= Fraction(1, 2) <= r.hi


def test_model_b_relu_split():
    # Model A: g = x1 (relu(x1) - relu(-x1)) vs relu(x1): error = relu(-x1) -> sup 1.
    # Model B: relu(x1) vs relu(x1): 0.
    obj = {"w": ["1", "0"], "u": [["1", "0"], ["-1", "0"]], "v": ["1", "-1"]}
    assert sup_error(Network.from_json({**obj, "model": "A"})).lo == 1
    assert sup_error(Network.from_json({**obj, "model": "B"})).hi == 0


@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("model", ["A", "B"])
def test_dense_never_above_hi(d, model):
    for seed in range(3):
        net = sample(10, d, seed=seed, model=model, dist="gaussian" if seed == 2 else "uniform")
        r = sup_error(net, tol=Fraction(1, 10**5))
        assert r.lo <= r.hi and r.hi - r.lo <= Fraction(1, 10**5)
        dm = dense_max(net, d, 20_000 if d < 3 else 100_000, seed)
        assert dm <= float(r.hi) + 1e-12
        assert dm >= float(r.lo) - 0.05  # dense sampling gets close to the max
        x = r.argmax
        assert sum(t * t for t in x) <= 1
        assert net.error_exact(x) >= r.lo


def test_pruned_masks_dense():
    net = sample(20, 3, seed=5, model="B")
    rng = np.random.default_rng(1)
    nm = rng.integers(0, 2, size=20)
    wm = rng.integers(0, 2, size=(20, 3))
    r = sup_error(net, neuron_mask=nm, weight_mask=wm, tol=Fraction(1, 10**4))
    assert dense_max(net, 3, 100_000, 3, nm, wm) <= float(r.hi) + 1e-12


@pytest.mark.parametrize("model", ["A", "B"])
def test_bnb_matches_exact_2d_embedding(model):
    """A 2-D network embedded in R^3 (third coordinates 0) has the same sup error; the
    d = 3 branch and bound must enclose the exact d = 2 value."""
    for seed in range(3):
        net2 = sample(8, 2, seed=seed, model=model)
        obj = net2.to_json()
        obj["w"] = obj["w"] + ["0"]
        obj["u"] = [row + ["0"] for row in obj["u"]]
        net3 = Network.from_json(obj)
        r2 = sup_error(net2, tol=Fraction(1, 10**8))
        r3 = sup_error(net3, tol=Fraction(1, 10**5))
        assert r3.lo <= r2.hi and r2.lo <= r3.hi


def test_bad_tol():
    with pytest.raises(InputError):
        sup_error(sample(3, 2, seed=0), tol=0)


# ----------------------------------------------------------------------------- scale-free (issue 16)
def _scaled(net, unit_scale, glob=Fraction(1)):
    """Per-unit rescaling (u_i * c, v_i / c: the same function) and a global factor on (v, w)."""
    return Network(net.model, tuple(glob * c for c in net.w),
                   tuple(tuple(c * unit_scale for c in row) for row in net.u),
                   tuple(glob * vi / unit_scale for vi in net.v))


@pytest.mark.parametrize("exp", [73, 120, 300])
def test_d2_huge_sup_tightens(exp):
    """sup ~1e73 and beyond: the d = 2 enclosure meets the absolute tolerance (no AssertionError)."""
    net = Network("B", (Fraction(3, 5), Fraction(4, 5)), ((Fraction(10**(exp + 5)), Fraction(3 * 10**(exp + 4))),),
                  (Fraction(1, 10**5),))
    r = sup_error(net, tol=Fraction(1, 10**6))
    assert r.lo <= r.hi and r.hi - r.lo <= Fraction(1, 10**6)
    assert r.sup_squared is not None and r.lo**2 <= r.sup_squared <= r.hi**2


@pytest.mark.parametrize("k", [-250, -17, 17, 200, 400])
def test_d3_unit_rescaling_invariant(k):
    """d >= 3 accepts weights of any magnitude: per-unit rescaling leaves the function, hence the
    certified enclosure, unchanged (the engine normalises exactly)."""
    from prunecert.checks.instances.network import sample
    net = sample(5, 3, seed=2)
    base = sup_error(net, tol=Fraction(1, 10**5))
    big = sup_error(_scaled(net, Fraction(10)**k), tol=Fraction(1, 10**5))
    assert big.lo <= base.hi and base.lo <= big.hi
    assert abs(big.hi - base.hi) <= Fraction(1, 10**5)


def test_d3_global_scaling_exact():
    """(v, w) -> 2^-k (v, w) scales the certified enclosure by exactly 2^-k."""
    from prunecert.checks.instances.network import sample
    net = sample(4, 3, seed=7)
    base = sup_error(net, tol=Fraction(1, 10**5))
    f = Fraction(1, 2**500)
    small = sup_error(_scaled(net, Fraction(1), f), tol=Fraction(1, 10**5) * f)
    assert small.hi == base.hi * f
    assert small.lo <= small.hi


def test_d3_cancelling_huge_units_merge():
    """Two parallel units of size 1e200 that cancel exactly: merged exactly, no float blow-up."""
    w = (Fraction(3, 5), Fraction(4, 5), Fraction(0))
    big = Fraction(10**200)
    u = ((big, big / 3, Fraction(1)), (big * 2, big * 2 / 3, Fraction(2)), (Fraction(3, 5), Fraction(4, 5), Fraction(0)))
    v = (Fraction(2), Fraction(-1), Fraction(1))
    r = sup_error(Network("A", w, u, v), tol=Fraction(1, 10**6))
    assert r.hi <= Fraction(1, 10**6) and r.lo == 0


def test_d3_negligible_weights_allowance():
    """Weights below 2^-300 of the scale are dropped with an allowance: still certified, tiny width."""
    w = (Fraction(3, 5), Fraction(4, 5), Fraction(0))
    u = ((Fraction(3, 5), Fraction(4, 5), Fraction(1, 10**400)), (Fraction(1), Fraction(0), Fraction(0)))
    v = (Fraction(1, 2), Fraction(1, 10**500))
    r = sup_error(Network("B", w, u, v), tol=Fraction(1, 10**6))
    assert r.lo <= Fraction(1, 2) <= r.hi and r.hi - r.lo <= Fraction(1, 10**6)


@pytest.mark.parametrize("c", [Fraction(1), Fraction(1, 2), Fraction(-2), Fraction(3)])
def test_d3_model_b_parallel_unit_exact(c):
    """Model B, units all parallel to w: g = max(c, 0) relu(<w,x>), sup = |max(c,0) - 1| ||w|| exactly
    (error 0 is certified too, which a box search cannot do at the kink)."""
    w = (Fraction(3, 5), Fraction(0), Fraction(4, 5))
    u = ((Fraction(6, 5), Fraction(0), Fraction(8, 5)), (Fraction(3, 5), Fraction(0), Fraction(4, 5)))
    v = (c / 4, c / 2)                                 # 2 (c/4) + c/2 = c
    r = sup_error(Network("B", w, u, v), tol=Fraction(1, 10**8))
    want = abs(max(c, Fraction(0)) - 1)
    assert r.lo <= want <= r.hi and r.hi - r.lo <= Fraction(1, 10**8)
