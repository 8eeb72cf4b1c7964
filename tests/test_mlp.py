"""prunecert.checks.learning.mlp: small autograd networks (floating point engine for experiments)."""
import numpy as np
import pytest

from prunecert.checks.learning import mlp
from prunecert.checks.errors import InputError


def small():
    return mlp.init_params([3, 4, 2], seed=1)


def test_init_shapes_and_seed():
    p = mlp.init_params([5, 7, 3], seed=0)
    assert [W.shape for W, _ in p] == [(5, 7), (7, 3)]
    assert [b.shape for _, b in p] == [(7,), (3,)]
    q = mlp.init_params([5, 7, 3], seed=0)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(p, q))
    r = mlp.init_params([5, 7, 3], seed=1)
    assert not np.array_equal(p[0][0], r[0][0])
    assert mlp.n_params(p) == 5 * 7 + 7 + 7 * 3 + 3
    with pytest.raises(InputError):
        mlp.init_params([5], seed=0)
    with pytest.raises(InputError):
        mlp.init_params([5, 3], seed=0, scale=-1)


def test_forward_matches_manual():
    p = small()
    X = np.random.default_rng(0).normal(size=(6, 3))
    (W1, b1), (W2, b2) = p
    manual = np.maximum(X @ W1 + b1, 0) @ W2 + b2
    assert np.allclose(mlp.forward(p, X), manual)
    with pytest.raises(InputError):
        mlp.forward(p, X, activation="nope")


def test_flatten_roundtrip_and_weight_mask():
    p = small()
    v, unflat = mlp.flatten(p)
    assert v.shape == (mlp.n_params(p),)
    q = unflat(v)
    assert all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]) for a, b in zip(p, q))
    wm = mlp.weight_mask_vector(p)
    assert wm.sum() == 3 * 4 + 4 * 2 and wm.size == v.size


def test_loss_values():
    p = [(np.zeros((2, 3)), np.zeros(3))]
    X = np.ones((4, 2))
    y = np.array([0, 1, 2, 0])
    assert mlp.loss(p, X, y, "xent") == pytest.approx(np.log(3))
    p2 = [(np.array([[1.0, -2.0], [0.5, 0.0]]), np.zeros(2))]
    assert mlp.loss(p2, X, y[:4] % 2, "xent", l1=0.1) == pytest.approx(
        mlp.loss(p2, X, y[:4] % 2, "xent") + 0.1 * 3.5)
    pr = [(np.array([[1.0], [1.0]]), np.zeros(1))]
    assert mlp.loss(pr, X, np.zeros(4), "mse") == pytest.approx(4.0)
    with pytest.raises(InputError):
        mlp.loss(pr, X, np.zeros(4), "hinge")


def test_hessian_against_finite_differences():
    p = mlp.init_params([3, 4, 2], seed=2)
    rng = np.random.default_rng(3)
    X = rng.normal(size=(20, 3))
    y = rng.integers(0, 2, size=20)
    H = mlp.hessian(p, X, y, "xent")
    v, unflat = mlp.flatten(p)
    assert H.shape == (v.size, v.size)
    assert np.allclose(H, H.T)
    import autograd

    g = autograd.grad(lambda w: mlp.loss(unflat(w), X, y, "xent"))
    h = 1e-5
    fd = np.empty_like(H)
    for i in range(v.size):
        e = np.zeros_like(v)
        e[i] = h
        fd[:, i] = (g(v + e) - g(v - e)) / (2 * h)
    assert np.max(np.abs(fd - H)) < 1e-5 * max(1.0, np.max(np.abs(H)))
    # the l1 term has zero curvature away from 0
    assert np.allclose(mlp.hessian(p, X, y, "xent", l1=0.3), H)


def test_hessian_of_linear_mse_is_exact():
    # one linear layer, mse: H = (2/n) X^T X per output block (plus bias terms)
    rng = np.random.default_rng(4)
    X = rng.normal(size=(10, 3))
    y = rng.normal(size=10)
    p = [(rng.normal(size=(3, 1)), np.zeros(1))]
    H = mlp.hessian(p, X, y, "mse")
    Xa = np.hstack([X, np.ones((10, 1))])
    assert np.allclose(H, 2 * Xa.T @ Xa / 10)


def test_train_digits_learns():
    Xtr, ytr, Xte, yte = mlp.load_dataset("digits", seed=0)
    assert Xtr.shape[1] == 64 and len(Xtr) + len(Xte) == 1797
    p = mlp.init_params([64, 12, 10], seed=0)
    before = mlp.loss(p, Xtr, ytr, "xent")
    p = mlp.train(p, Xtr, ytr, kind="xent", l1=1e-4, epochs=15, lr=1e-2, batch_size=64, seed=0)
    assert mlp.loss(p, Xtr, ytr, "xent") < before
    assert mlp.accuracy(p, Xte, yte) > 0.85


def test_train_synthetic_and_reproducible():
    Xtr, ytr, Xte, yte = mlp.load_dataset("synthetic", seed=1, n_samples=400)
    assert set(np.unique(ytr)) <= {0, 1, 2}
    p0 = mlp.init_params([8, 8, 3], seed=1)
    a = mlp.train(p0, Xtr, ytr, kind="xent", epochs=5, lr=1e-2, batch_size=32, seed=5)
    b = mlp.train(p0, Xtr, ytr, kind="xent", epochs=5, lr=1e-2, batch_size=32, seed=5)
    assert np.array_equal(mlp.flatten(a)[0], mlp.flatten(b)[0])
    assert not np.array_equal(mlp.flatten(a)[0], mlp.flatten(p0)[0])
    Xr, yr, _, _ = mlp.load_dataset("synthetic-regression", seed=1, n_samples=200)
    assert yr.dtype.kind == "f" and yr.ndim == 1
    pr = mlp.init_params([8, 8, 1], seed=0)
    before = mlp.loss(pr, Xr, yr, "mse")
    pr = mlp.train(pr, Xr, yr, kind="mse", epochs=30, lr=1e-2, batch_size=32, seed=0)
    assert mlp.loss(pr, Xr, yr, "mse") < before


def test_magnitude_masks():
    p = [(np.array([[3.0, -1.0], [0.5, 2.0]]), np.array([0.0, 0.0])), (np.array([[-0.1], [4.0]]), np.zeros(1))]
    m = mlp.magnitude_masks(p, 0.5)  # 6 weights, prune 3 smallest: -0.1, 0.5, -1
    assert m[0].tolist() == [[1, 0], [0, 1]] and m[1].tolist() == [[0], [1]]
    q = mlp.apply_masks(p, m)
    assert np.count_nonzero(np.concatenate([W.ravel() for W, _ in q])) == 3
    assert all(M.all() for M in mlp.magnitude_masks(p, 0.0))
    with pytest.raises(InputError):
        mlp.magnitude_masks(p, 1.5)


def test_bad_dataset_and_labels():
    with pytest.raises(InputError):
        mlp.load_dataset("mnist-huge", seed=0)
    p = small()
    with pytest.raises(InputError):
        mlp.accuracy(p, np.ones((2, 3)), np.array([0.5, 1.0]))
    with pytest.raises(InputError):
        mlp.train(p, np.ones((2, 3)), np.array([0, 1, 1]), kind="xent", epochs=1, lr=0.1, batch_size=2, seed=0)
