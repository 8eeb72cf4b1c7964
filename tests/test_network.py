"""prunecert.checks.instances.network: JSON round trip, validation, exact pruning, float evaluation."""
import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prunecert.checks.errors import InputError, NetworkError
from prunecert.checks.instances.network import Network, exact_str, sample


def test_sample_shapes_and_norm():
    for dist in ("uniform", "gaussian"):
        for target in ("random", "e1"):
            net = sample(7, 3, seed=4, dist=dist, model="A", target=target)
            assert (net.n, net.d, net.model) == (7, 3, "A")
            assert sum(x * x for x in net.w) <= 1
            assert all(x.denominator in (1, 10**6) or 10**6 % x.denominator == 0 for row in net.u for x in row)
    assert sample(5, 2, seed=1) == sample(5, 2, seed=1)
    assert sample(5, 2, seed=1) != sample(5, 2, seed=2)
    u = np.array([[float(x) for x in r] for r in sample(2000, 1, seed=0).u])
    assert -1 <= u.min() < -0.95 and 0.95 < u.max() <= 1


def test_json_round_trip(tmp_path):
    net = sample(6, 2, seed=3, dist="gaussian")
    p = tmp_path / "n.json"
    net.save(p)
    assert Network.from_json(p) == net
    assert Network.from_json(json.loads(p.read_text())) == net
    obj = {"model": "B", "w": ["3/5", "0.8"], "u": [["1/3", "-2"]], "v": ["1e-3"]}
    n2 = Network.from_json(obj)
    assert n2.w == (Fraction(3, 5), Fraction(4, 5)) and n2.u[0][0] == Fraction(1, 3) and n2.v[0] == Fraction(1, 1000)
    assert Network.from_json(n2.to_json()) == n2


@given(st.fractions(min_value=-10, max_value=10, max_denominator=10**4))
def test_exact_str_round_trip(q):
    from prunecert.checks.rigorous.numbers import to_fraction
    assert to_fraction(exact_str(q)) == q


@pytest.mark.parametrize("obj, msg", [
    ({"model": "C", "w": ["1"], "u": [["1"]], "v": ["1"]}, "model"),
    ({"model": "B", "w": ["1", "0"], "u": [["1"]], "v": ["1"]}, "u[0]"),
    ({"model": "B", "w": ["1"], "u": [["1"], ["2"]], "v": ["1"]}, "rows"),
    ({"model": "B", "w": ["0.8", "0.7"], "u": [], "v": []}, "||w||"),
    ({"model": "B", "w": ["nan"], "u": [], "v": []}, "w[0]"),
    ({"model": "B", "w": ["abc"], "u": [], "v": []}, "w[0]"),
    ({"model": "B", "w": [[1]], "u": [], "v": []}, "w[0]"),
    ({"model": "B", "u": [], "v": []}, "lacks"),
    ([1, 2], "object"),
])
def test_validation(obj, msg):
    with pytest.raises(NetworkError, match=msg.replace("[", r"\[").replace("|", r"\|")):
        Network.from_json(obj)


def test_bad_files(tmp_path):
    with pytest.raises(NetworkError, match="not found"):
        Network.from_json(tmp_path / "missing.json")
    p = tmp_path / "bad.json"
    p.write_text("{not json")
    with pytest.raises(NetworkError, match="malformed"):
        Network.from_json(p)


def test_sample_bad_input():
    with pytest.raises(InputError):
        sample(0, 2, seed=1)
    with pytest.raises(InputError):
        sample(3, 2, seed=1, dist="cauchy")


def test_pruned_exact_and_float_agree():
    net = sample(9, 3, seed=2, model="B")
    rng = np.random.default_rng(0)
    nm = rng.integers(0, 2, size=9)
    wm = rng.integers(0, 2, size=(9, 3))
    pn = net.pruned(nm, wm)
    for i in range(9):
        assert pn.v[i] == (net.v[i] if nm[i] else 0)
        for j in range(3):
            assert pn.u[i][j] == (net.u[i][j] if wm[i][j] else 0)
    X = rng.uniform(-1, 1, size=(50, 3))
    f1 = net.evaluate_float(X, nm, wm)
    f2 = pn.evaluate_float(X)
    f3 = np.array([float(pn.evaluate_exact([Fraction(t) for t in x])) for x in X])
    assert np.allclose(f1, f2) and np.allclose(f2, f3, atol=1e-12)
    assert (f1 >= 0).all()  # Model B
    t = net.target_float(X)
    assert np.allclose(t, np.maximum(X @ np.array([float(x) for x in net.w]), 0))
    with pytest.raises(NetworkError):
        net.pruned(np.ones(8))
    with pytest.raises(NetworkError):
        net.pruned(None, np.full((9, 3), 2))


def test_model_a_linear_output_can_be_negative():
    net = Network.from_json({"model": "A", "w": ["1"], "u": [["1"]], "v": ["-1"]})
    assert net.evaluate_exact([1]) == -1
    assert Network.from_json({**net.to_json(), "model": "B"}).evaluate_exact([1]) == 0
