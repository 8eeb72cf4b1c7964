import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from prunecert.checks.learning import mlp
from prunecert.bounds.elimination import ecp_pruning as ep
from prunecert.checks.errors import InputError


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = np.maximum(X @ rng.normal(size=4), 0) + 0.1 * rng.normal(size=60)
    p = mlp.init_params([4, 6, 5, 2], seed=1)
    p = [(W, b + 0.1 * rng.normal(size=b.shape)) for W, b in p]
    return p, X, np.stack([y, -y], axis=1)


def test_jacobian_matches_finite_differences(small):
    p, X, _ = small
    a = ep.output_jacobian_sq(p, X)
    l, j, h = 1, 2, 1e-6
    Wl, bl = p[l]
    bp = bl.copy(); bp[j] += h
    bm = bl.copy(); bm[j] -= h
    pp = list(p); pp[l] = (Wl, bp)
    pm = list(p); pm[l] = (Wl, bm)
    # per-sample derivative wrt b_j equals derivative wrt z_j (samples independent)
    fd = (np.asarray(mlp.forward(pp, X)) - np.asarray(mlp.forward(pm, X))) / (2 * h)
    assert np.allclose(a[l][:, j], (fd ** 2).sum(axis=1), rtol=1e-4, atol=1e-8)
    assert np.allclose(a[-1], 1.0)    # linear output layer: d f_c / d z_c = 1


def test_last_layer_compensation_is_optimal(small):
    """For the linear last layer the first-order model is exact: the ECP shift minimises the true
    summed squared output change over all bias shifts."""
    p, X, _ = small
    h = ep.layer_inputs(p, X)[-1]
    W, b = p[-1]
    a = np.ones((X.shape[0], W.shape[1]))
    sc, sh = ep.first_order_scores(a, h, W)
    k, j = 3, 0
    f0 = np.asarray(mlp.forward(p, X))

    def change(s):
        W2 = W.copy(); W2[k, j] = 0.0
        b2 = b.copy(); b2[j] += s
        return float(((np.asarray(mlp.forward(p[:-1] + [(W2, b2)], X)) - f0) ** 2).sum())

    best = minimize_scalar(change, bounds=(-50, 50), method="bounded", options={"xatol": 1e-12})
    assert abs(best.x - sh[k, j]) < 1e-6
    assert abs(change(sh[k, j]) - sc[k, j]) < 1e-8
    assert sc[k, j] <= change(0.0) + 1e-12


def test_prune_path_sparsity_and_zeros(small):
    p, X, Y = small
    for m in ep.METHODS:
        rows = ep.prune_path(m, p, [0.0, 0.5, 0.9], X, Y, X, Y, "mse", seed=0)
        total = rows[0]["weights"]
        assert [r["removed"] for r in rows] == [0, round(0.5 * total), round(0.9 * total)]
        assert all(np.isfinite(r["loss"]) for r in rows)


def test_ecp_changes_biases_only_for_ecp(small):
    p, X, Y = small
    rng = np.random.default_rng(0)
    masks = [np.ones_like(W) for W, _ in p]
    q, _ = ep.prune_step("ecp", p, masks, 10, X, Y, "mse", rng)
    assert any(not np.allclose(b, b2) for (_, b), (_, b2) in zip(p, q))
    q2, _ = ep.prune_step("ecp-nocomp", p, masks, 10, X, Y, "mse", np.random.default_rng(0))
    assert all(np.allclose(b, b2) for (_, b), (_, b2) in zip(p, q2))


def test_bad_inputs(small):
    p, X, Y = small
    with pytest.raises(InputError):
        ep.prune_path("obs", p, [0.5], X, Y, X, Y, "mse", seed=0)
    with pytest.raises(InputError):
        ep.prune_path("ecp", p, [0.5, 0.2], X, Y, X, Y, "mse", seed=0)
    with pytest.raises(InputError):
        ep.load_task("mnist", 0)
    with pytest.raises(InputError):
        ep.first_order_scores(np.ones((3, 2)), np.ones((4, 2)), np.ones((2, 2)))
