"""The certified MILP-assisted neuron solver against brute force, and its certificate."""
import copy
from fractions import Fraction

import numpy as np
import pytest

from prunecert.checks.errors import InputError
from prunecert.checks.instances import neuron_enum
from prunecert.checks.instances.network import sample
from prunecert.checks.instances.neuron_certificate import digest, recheck
from prunecert.checks.instances.neuron_milp import optimum, width_point
from prunecert.checks.instances.neuron_tree import certified_tree
from prunecert.checks.instances.tree_parallel import search_tree
from prunecert.checks.instances.superror import sup_error


def _brute(net):
    best = None
    for m in range(1 << net.n):
        mask = [(m >> i) & 1 for i in range(net.n)]
        se = sup_error(net, neuron_mask=mask, tol=Fraction(1, 10**9))
        best = se.hi if best is None else min(best, se.hi)
    return best


def _random_instance(seed, n, P, model=None, exact=True):
    """Random integer data (A, T), the model (alternating with the seed unless given) and the
    exact optimum by plain enumeration (None with ``exact=False``: 2^n subsets cost time)."""
    rng = np.random.default_rng(seed)
    model = model or "AB"[seed % 2]
    A = rng.integers(-1000, 1000, size=(n, P))
    T = rng.integers(0, 1500, size=P)
    return A, T, model, neuron_enum.minmax_plain(A, T, model).value if exact else None


def _walked(tree, A, T, model, L):
    """The bound the certificate's independent walker re-derives from a tree."""
    import time

    from prunecert.checks.instances.neuron_certificate import _walk
    from prunecert.checks.instances.neuron_tree import SCALE_BITS, lp_rows

    n, P = A.shape
    return _walk(tree, [int(a) for a in A.flat], [int(t) for t in T], model, n, P, L,
                 *lp_rows(A, T, L, model), SCALE_BITS, time.perf_counter() + 60)


@pytest.mark.parametrize("seed,model,dist", [(1, "B", "gaussian"), (2, "A", "uniform"), (3, "B", "uniform")])
def test_optimum_brackets_brute_force(seed, model, dist):
    net = sample(6, 2, seed=seed, model=model, dist=dist)
    r = optimum(net, timeout=30)
    opt = _brute(net)
    assert r.lo <= opt + Fraction(1, 10**8) and opt <= r.hi
    assert r.lower_complete and r.hi - r.lo <= r.hi / 10**4


@pytest.mark.parametrize("seed,model", [(4, "B"), (5, "A"), (6, "B")])
def test_tree_agrees_with_plain_enumeration(seed, model):
    rng = np.random.default_rng(seed)
    A = rng.integers(-1000, 1000, size=(11, 9))
    T = rng.integers(0, 1500, size=9)
    exact = neuron_enum.minmax_plain(A, T, model).value
    for L in (exact // 2, exact, exact + 1, exact + 500):
        tr = certified_tree(A, T, model, L, enum_free=3, timeout=30)
        assert tr.complete
        assert tr.lower == min(L, exact)
        assert tr.leaves["lp"] + tr.leaves["interval"] >= 1


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("prop,rcf,rule,confl", [(True, True, "fracsize", True), (False, True, "pseudocost", True),
                                                 (True, False, "pseudocost", False),
                                                 (False, False, "fracsize", True),
                                                 (True, True, "strong", True), (True, True, "strong", False),
                                                 (False, False, "strong", True)])
def test_tree_options_agree_and_their_trees_recheck(seed, prop, rcf, rule, confl):
    """Interval propagation and reduced-cost fixing record each fixing as a branch whose pruned
    side is a leaf; the independent walker of the certificate re-derives the same bound."""
    import time

    from prunecert.checks.instances.neuron_certificate import _walk
    from prunecert.checks.instances.neuron_tree import SCALE_BITS, lp_rows

    rng = np.random.default_rng(100 + seed)
    model = "AB"[seed % 2]
    A = rng.integers(-1000, 1000, size=(14, 12))
    T = rng.integers(0, 1500, size=12)
    exact = neuron_enum.minmax_plain(A, T, model).value
    used = {"fixed": 0, "propagated": 0, "strong": 0, "conflict": 0}
    for L in (exact * 3 // 4, exact, exact + 1):
        tr = certified_tree(A, T, model, L, enum_free=3, timeout=30, propagation=prop,
                            reduced_cost_fixing=rcf, branching=rule, conflicts=confl)
        assert tr.complete and tr.lower == min(L, exact)
        rows, rhs = lp_rows(A, T, L, model)
        walked = _walk(tr.tree, [int(a) for a in A.flat], [int(t) for t in T], model, 14, 12, L,
                       rows, rhs, SCALE_BITS, time.perf_counter() + 60)
        assert walked == tr.lower
        for k in used:
            used[k] += tr.leaves.get(k, 0)
    assert (used["fixed"] > 0) == rcf and (used["propagated"] > 0) == prop
    assert (used["strong"] > 0) == (rule == "strong")
    assert confl or used["conflict"] == 0


@pytest.mark.parametrize("seed", range(4))
def test_conflicts_close_nodes_and_the_tree_still_rechecks(seed):
    """Learned conflicts (an lp leaf's dual, generalised to the fixings it needs) close or shrink
    other nodes; every such leaf is re-derived by the certificate walker, and the bound is the
    exact enumeration value with and without them."""
    A, T, model, exact = _random_instance(300 + seed, 17, 14, "AB"[seed % 2])
    L = exact
    on = certified_tree(A, T, model, L, enum_free=2, timeout=60, branching="fracsize",
                        propagation=False, reduced_cost_fixing=False)
    off = certified_tree(A, T, model, L, enum_free=2, timeout=60, branching="fracsize",
                         propagation=False, reduced_cost_fixing=False, conflicts=False)
    assert on.complete and off.complete and on.lower == off.lower == exact
    assert on.leaves["conflict"] > 0 and off.leaves["conflict"] == 0
    assert _walked(on.tree, A, T, model, L) == exact


def test_a_generalised_conflict_is_still_proved_by_its_dual_and_only_drops_free_losses():
    """generalise() frees fixings while their exact loss fits in the slack: the dual proves the
    smaller box again (exact integers), and a box it cannot prove is left as it was."""
    from prunecert.checks.instances.neuron_tree import SCALE_BITS, _LP, exact_arrays, lp_rows
    from prunecert.checks.instances.safe_lp import add_box_terms, reduced_costs_fast, round_dual
    from prunecert.checks.instances.tree_conflicts import generalise

    rng = np.random.default_rng(5)
    n, P = 16, 12
    A, T = exact_arrays(rng.integers(-1000, 1000, size=(n, P)), rng.integers(0, 1500, size=P))
    L = neuron_enum.minmax_plain(A, T, "B").value
    rows, rhs = lp_rows(A, T, L, "B")
    Gobj = np.array(rows, dtype=object).reshape(len(rhs), n + 1)
    lp = _LP(rows, rhs, n)
    cobj = [0] * n + [1]
    found = 0
    for trial in range(200):
        fix = {int(j): int(rng.integers(2)) for j in rng.choice(n, size=int(rng.integers(2, 9)), replace=False)}
        _, y, _, _ = lp.solve(fix)
        yq = round_dual(y, SCALE_BITS)
        total, r = reduced_costs_fast(Gobj, rhs, cobj, yq, SCALE_BITS)

        def bound(box):
            return add_box_terms(total, r, [box.get(j, 0) for j in range(n)] + [0],
                                 [box.get(j, 1) for j in range(n)] + [L])

        B = bound(fix)
        keep = generalise(fix, r, B, L, SCALE_BITS)
        assert set(keep.items()) <= set(fix.items())
        if B is not None and B > (L - 1) << SCALE_BITS:
            assert bound(keep) > (L - 1) << SCALE_BITS
            found += len(keep) < len(fix)
        else:
            assert keep == fix
    assert found > 0


def test_conflicts_learned_by_one_search_close_the_same_boxes_in_another():
    """What one process learns (drain) is used by another on the same data (extend): a node
    meeting a passed-on conflict is closed by that conflict's own dual, checked exactly there."""
    import time

    from prunecert.checks.instances.neuron_tree import SCALE_BITS, Search
    from prunecert.checks.instances.tree_conflicts import ConflictPool

    A, T, model, _ = _random_instance(21, 20, 14, "B", exact=False)
    L = neuron_enum.local_search(A, T, model)[0]        # a subset's value: no brute force needed
    s = Search(A, T, model, L, enum_free=2, branching="strong")
    s.pool.keep_log()
    heap = [s.root_item("root")]
    s.run(heap, time.perf_counter() + 4, reserve=False)
    items = s.pool.drain()
    assert items and s.pool.drain() == []
    other = ConflictPool(s.n, s.L, SCALE_BITS)
    other.extend(items)
    duals = [proof[0] for _, proof in items]
    for lits, proof in items[:25]:
        kind, res = other.scan(lits)       # (scan re-evaluates the dual exactly on the box)
        assert kind == "leaf" and any(res is y for y in duals)
    assert ConflictPool(s.n, s.L, SCALE_BITS).scan(items[0][0]) == ("fix", [])


def test_partial_tree_is_still_a_lower_bound():
    rng = np.random.default_rng(7)
    A = rng.integers(-1000, 1000, size=(14, 9))
    T = rng.integers(0, 1500, size=9)
    exact = neuron_enum.minmax_plain(A, T, "B").value
    tr = certified_tree(A, T, "B", exact + 1, enum_free=2, max_nodes=5, timeout=30)
    assert not tr.complete and tr.lower <= exact


@pytest.fixture(scope="module")
def cert20():
    net = sample(20, 2, seed=11, dist="gaussian")
    r = optimum(net, timeout=60)
    assert r.lower_complete and r.hi - r.lo <= r.hi / 10**4
    return r.cert


def _resign(c):
    c["digest"] = digest(c)
    return c


def test_certificate_rechecks(cert20):
    out = recheck(cert20)
    assert out["ok"], out


def test_tampered_certificates_are_rejected(cert20):
    c = copy.deepcopy(cert20)
    c["lo"] = str(Fraction(c["hi"]) * 2)          # digest not updated
    assert not recheck(c)["ok"]
    c = _resign(copy.deepcopy(cert20))
    c["lo"] = c["hi"]                              # lo raised above what the tree proves
    c = _resign(c)
    assert not recheck(c)["ok"]
    c = copy.deepcopy(cert20)
    c["hi"] = str(Fraction(c["lo"]) / 2)           # hi below the subset's sup error
    assert not recheck(_resign(c))["ok"]
    c = copy.deepcopy(cert20)
    c["points"][0] = ["1", "1"]                    # a point outside the ball
    assert not recheck(_resign(c))["ok"]
    c = copy.deepcopy(cert20)
    c["tree"] = c["tree"][:-1]                     # a missing leaf
    assert not recheck(_resign(c))["ok"]
    c = copy.deepcopy(cert20)
    c["threshold"] = c["threshold"] * 2            # the tree does not prove a higher threshold
    c["lo"] = str(Fraction(c["hi"]) * Fraction(3, 2))
    c["hi"] = c["lo"]
    assert not recheck(_resign(c))["ok"]


def test_width_point_is_json_ready():
    net = sample(12, 2, seed=3, dist="uniform")
    out = width_point(net, 8, timeout=20)
    assert out["width"] == 8 and out["n"] == 8
    assert Fraction(out["best_error"]["lo"]) <= Fraction(out["best_error"]["hi"])


def test_huge_weights_stay_exact():
    from prunecert.checks.instances.network import Network

    base = sample(5, 2, seed=8, dist="gaussian")
    big = Network(base.model, base.w, tuple(tuple(c * 10**17 for c in row) for row in base.u),
                  tuple(c / 10**17 for c in base.v))      # the same functions g_S
    r0 = optimum(base, timeout=20)
    r1 = optimum(big, timeout=20)
    assert r1.lower_complete and r1.lo <= r0.hi and r0.lo <= r1.hi
    assert recheck(r1.cert)["ok"]


def test_extra_cutting_points_are_exact_sphere_points_where_the_subset_is_bad():
    from prunecert.checks.instances.neuron_milp import CUTS_PER_ROUND, _float_grid, _more_cuts

    for d in (2, 3):
        net = sample(12, d, seed=3, dist="gaussian")
        S = (0, 2, 5)
        grid = _float_grid(d)
        pts = _more_cuts(net, S, 0.0, grid)
        assert 1 <= len(pts) <= CUTS_PER_ROUND
        mask = [1 if i in S else 0 for i in range(net.n)]
        worst = max(abs(net.evaluate_float(grid, neuron_mask=mask) - net.target_float(grid)))
        for x in pts:
            assert all(isinstance(c, Fraction) for c in x) and sum(c * c for c in x) == 1
        # nothing is proposed above the largest error on the grid
        assert _more_cuts(net, S, float(worst) + 1e-9, grid) == []


def test_kink_directions_are_the_zeros_of_each_unit_and_of_the_target():
    from prunecert.checks.instances.neuron_milp import kink_directions

    net = sample(7, 2, seed=5, dist="gaussian")
    dirs = np.array(kink_directions(net))
    U, _, w = net.arrays()
    assert dirs.shape == (2 * 8, 2)
    for k, u in enumerate(list(U) + [w]):
        for x in dirs[2 * k:2 * k + 2]:
            assert abs(np.dot(u, x)) <= 1e-12 * np.linalg.norm(u) * np.linalg.norm(x)
    assert kink_directions(sample(4, 3, seed=1)) == []


@pytest.mark.parametrize("model", ["A", "B"])
def test_eps_far_below_the_optimum_is_refuted_on_the_starting_points(model):
    """'OPT > eps' is proved by the tree on the starting point set, before any HiGHS round; the
    certificate of that tree re-checks."""
    net = sample(24, 2, seed=21, dist="gaussian", model=model)
    eps = Fraction(1, 10**4)
    r = optimum(net, timeout=30, eps=eps)
    assert r.achievable is False and r.lo > eps and r.lower_complete
    assert r.rounds == 0 and r.tree.get("goal") == "eps"
    assert r.lo <= r.hi
    assert recheck(r.cert)["ok"]


def test_highs_round_in_a_child_process_gives_the_same_answer_and_is_killed_when_late(monkeypatch):
    from prunecert.checks.instances import highs_mip as highs_process
    from prunecert.checks.instances.neuron_milp import highs_minmax

    rng = np.random.default_rng(3)
    A = rng.integers(-1000, 1000, size=(12, 15))
    T = rng.integers(0, 1500, size=15)
    here = highs_minmax(A, T, "B", None, timeout=10)
    there = highs_process.minmax_guarded(A, T, "B", None, timeout=highs_process.IN_PROCESS_BELOW)
    assert there[0] == here[0] and there[1] == here[1]
    # a child that outlives its limit is killed and the round counts as 'no subset'
    monkeypatch.setattr(highs_process, "GRACE", -highs_process.IN_PROCESS_BELOW - 1.9)
    S, val, dual, status = highs_process.minmax_guarded(A, T, "B", None, timeout=highs_process.IN_PROCESS_BELOW)
    assert S is None and status.startswith("killed")


def test_a_portfolio_round_runs_each_seed_in_its_own_process():
    from prunecert.checks.instances import highs_mip as highs_process

    rng = np.random.default_rng(5)
    A = rng.integers(-1000, 1000, size=(12, 15))
    T = rng.integers(0, 1500, size=15)
    here = highs_process.highs_minmax(A, T, "B", None, timeout=10)
    both = highs_process.minmax_portfolio(A, T, "B", None, timeout=highs_process.IN_PROCESS_BELOW,
                                          seeds=2)
    assert len(both) == 2
    # a small problem: a run that answers proves the same optimum; once one has, the other is
    # stopped (or has answered too)
    assert any("Optimal" in a[3] for a in both)
    for S, val, dual, status in both:
        assert ("Optimal" in status and val == pytest.approx(here[1], rel=1e-6)) or \
            (S is None and status.startswith("stopped"))
    # short rounds stay in this process and run once
    assert len(highs_process.minmax_portfolio(A, T, "B", None, timeout=1.0, seeds=2)) == 1
    with pytest.raises(ValueError):
        highs_process.minmax_portfolio(A, T, "B", None, timeout=1.0, seeds=0)


def test_a_portfolio_round_stops_the_other_runs_once_one_proves_optimality(monkeypatch):
    """Run 0 proves optimality at once, run 1 would go on for a minute: run 1 is stopped, and
    the round ends in a few seconds."""
    import time

    from prunecert.checks.instances import highs_mip as highs_process

    class Fake:
        def __init__(self, *a, seed=0, **k):
            self.seed, self.t0, self.stopped = seed, time.perf_counter(), False
            self.limit = self.t0 + 60.0
            outer = self

            class Proc:
                def poll(self):
                    late = outer.seed == 1 and time.perf_counter() - outer.t0 < 60.0
                    return None if late else 0
            self.proc = Proc()

        def result(self, wait=True):
            if not wait and self.proc.poll() is None:
                return None, None, None, "stopped: its answer was no longer needed"
            return (0, 1), 5.0, 5.0, "HighsModelStatus.kOptimal"

    monkeypatch.setattr(highs_process, "HighsRound", Fake)
    t0 = time.perf_counter()
    got = highs_process.minmax_portfolio(None, None, "B", None, timeout=30.0, seeds=2)
    assert time.perf_counter() - t0 < 5.0
    assert got[0][0] == (0, 1) and "Optimal" in got[0][3]
    assert got[1][0] is None and got[1][3].startswith("stopped")


def test_the_round_goes_on_with_the_best_certified_subset_of_its_runs(monkeypatch):
    """Two runs of a round (faked): a poor subset first, a good one second, and a run that
    found nothing.  Every subset is certified, hi is the good one's, the cutting point comes
    from it, and the answer is exact."""
    from prunecert.checks.instances import neuron_milp
    from prunecert.checks.instances.neuron_subset import best_error

    net = sample(14, 2, seed=4, dist="gaussian")
    exact = best_error(net, timeout=30)
    good = tuple(exact.subset)
    worst = tuple(range(net.n))
    calls = []

    def portfolio(A, T, model, L, **k):
        calls.append(k["seeds"])
        return [(worst, 1e9, 0.0, "HighsModelStatus.kTimeLimit"), (None, None, None, "killed: late"),
                (good, 2e9, 0.0, "HighsModelStatus.kTimeLimit")]

    monkeypatch.setattr(neuron_milp, "minmax_portfolio", portfolio)
    r = optimum(net, timeout=30, beside=False, highs_seeds=3, max_rounds=2)
    assert calls and set(calls) == {3}
    assert r.highs["runs"] == 3 and r.highs["value"] == pytest.approx(2e9 / 2 ** r.tree["K"])
    assert sorted(r.subset) == sorted(good)
    assert exact.lower_complete and r.lower_complete
    assert r.lo <= exact.hi <= r.hi and r.hi - r.lo <= r.hi / 10**4
    assert recheck(r.cert)["ok"]
    for bad in (0, 17, True, 1.5):
        with pytest.raises(InputError):
            optimum(net, timeout=5, highs_seeds=bad)


def test_an_unfinished_highs_round_goes_on_beside_the_tree(monkeypatch):
    """The last HiGHS round stopped at its limit (faked here, with a poor subset): HiGHS goes
    on in a child process while the tree runs, and its answer is read and certified.  The
    result is still exact and its certificate re-checks."""
    import time

    from prunecert.checks.instances import neuron_milp
    from prunecert.checks.instances.neuron_subset import best_error

    net = sample(14, 2, seed=4, dist="gaussian")
    exact = best_error(net, timeout=30)
    worst = tuple(range(net.n))
    monkeypatch.setattr(neuron_milp.neuron_enum, "local_search",
                        lambda *a, **k: (0, list(worst)))
    monkeypatch.setattr(neuron_milp, "minmax_portfolio",
                        lambda *a, **k: [(worst, 0.0, 0.0, "HighsModelStatus.kTimeLimit")])
    monkeypatch.setattr(neuron_milp, "BESIDE_MIN_SECONDS", 0.0)
    real_tree = neuron_milp.search_tree

    def slow_tree(*a, **k):
        time.sleep(3.0)                    # the child's answer is there when the tree ends
        return real_tree(*a, **k)

    monkeypatch.setattr(neuron_milp, "search_tree", slow_tree)
    r = optimum(net, timeout=30, beside=True)
    side = r.highs["beside_tree"]
    assert "Optimal" in side["status"]
    assert exact.lower_complete and r.lower_complete
    assert side["value"] == pytest.approx(float(exact.hi), rel=1e-3)
    assert r.lo <= exact.hi <= r.hi and r.hi - r.lo <= r.hi / 10**4
    assert recheck(r.cert)["ok"]
    # not asked for: no round beside the tree
    assert "beside_tree" not in optimum(net, timeout=30, beside=False).highs


def test_a_better_subset_from_beside_the_tree_lowers_the_trees_pruning_threshold(monkeypatch):
    """The tree starts with the threshold of a poor subset; HiGHS beside it finds the optimum,
    which joins the running tree as an incumbent (``news``) and lowers its pruning threshold;
    the answer is exact with a certificate that re-checks."""
    import time

    from prunecert.checks.instances import neuron_milp
    from prunecert.checks.instances.neuron_subset import best_error

    net = sample(14, 2, seed=4, dist="gaussian")
    exact = best_error(net, timeout=30)
    worst = tuple(range(net.n))
    monkeypatch.setattr(neuron_milp.neuron_enum, "local_search", lambda *a, **k: (0, list(worst)))
    monkeypatch.setattr(neuron_milp, "minmax_portfolio",
                        lambda *a, **k: [(worst, 0.0, 0.0, "HighsModelStatus.kTimeLimit")])
    monkeypatch.setattr(neuron_milp, "BESIDE_MIN_SECONDS", 0.0)
    real_tree = neuron_milp.search_tree
    seen = {}

    def tree(A, T, model, L, **k):
        # wait for the run beside, as a long tree would, then hand its news to the real tree
        t0 = time.perf_counter()
        got = None
        while got is None and time.perf_counter() - t0 < 20:
            got = k["news"]()
            time.sleep(0.05)
        seen.update(L=L, start=k["incumbent"], news=got)
        answers = iter([got])
        return real_tree(A, T, model, L, **dict(k, news=lambda: next(answers, None)))

    monkeypatch.setattr(neuron_milp, "search_tree", tree)
    r = optimum(net, timeout=30, beside=True)
    assert seen["news"] is not None and seen["news"][0] < seen["start"][0]
    assert "Optimal" in r.highs["beside_tree"]["status"]
    assert r.tree["cut_units"] < r.tree["threshold_units"] == seen["L"]
    assert exact.lower_complete and r.lower_complete
    assert r.lo <= exact.hi <= r.hi and r.hi - r.lo <= r.hi / 10**4
    assert recheck(r.cert)["ok"]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("gap,rounding,rule", [(Fraction(0), True, "strong"), (Fraction(1, 10), False, "fracsize"),
                                               (Fraction(1, 50), True, "fracsize")])
def test_incumbents_prune_a_tree_whose_threshold_is_far_above_the_optimum(seed, gap, rounding, rule):
    """Threshold twice the optimum: without incumbents every node holding a subset below it stays
    open to the enumeration leaves; with them (enumeration leaves, rounded LP solutions) the
    pruning threshold drops to the best subset met, less the gap.  The bound is then within
    the gap of the exact optimum, never above it, and the certificate walker re-derives at least
    the bound reported from the same tree (its leaves may be below the threshold)."""
    A, T, model, exact = _random_instance(700 + seed, 16, 14)
    L = 2 * exact + 1
    tr = certified_tree(A, T, model, L, enum_free=2, timeout=60, branching=rule,
                        incumbent_gap=gap, rounding=rounding)
    plain = certified_tree(A, T, model, L, enum_free=2, timeout=60, branching=rule)
    assert tr.complete and plain.complete and plain.lower == exact
    # the best subset met is within the gap of the optimum (the optimum itself with gap 0)
    assert exact <= tr.best[0] and (gap or tr.best[0] == exact)
    if gap:
        assert tr.cut == tr.lower == tr.best[0] - tr.best[0] * gap.numerator // gap.denominator
    else:
        assert tr.cut == tr.lower == exact
    assert exact * (1 - gap) <= tr.lower <= exact
    assert tr.nodes <= plain.nodes
    assert tr.lower <= _walked(tr.tree, A, T, model, L) <= exact


@pytest.mark.parametrize("bad", ["low", "high"])
def test_a_wrong_incumbent_value_cannot_raise_the_bound(bad):
    """The value of an incumbent given from outside only enters the bound through a minimum: a
    value below the truth lowers the bound (sound), one above it prunes nothing wrongly."""
    A, T, model, exact = _random_instance(41, 14, 12, "B")
    S = tuple(range(7))
    value = exact // 3 if bad == "low" else 10 * exact
    tr = certified_tree(A, T, model, 2 * exact, enum_free=2, timeout=60, incumbent=(value, S),
                        incumbent_gap=0, rounding=True)
    assert tr.complete and tr.lower <= exact
    assert tr.lower == (value if bad == "low" else exact)
    assert tr.lower <= _walked(tr.tree, A, T, model, 2 * exact)


def test_incumbents_found_by_one_worker_prune_in_the_others(monkeypatch):
    """Two processes, threshold far above the optimum: the best subset goes to every worker with
    its next round; the assembled tree is complete, its bound the exact optimum, and it
    re-checks."""
    from prunecert.checks.instances import tree_parallel

    monkeypatch.setattr(tree_parallel, "ROUND_SECONDS", 0.05)
    monkeypatch.setattr(tree_parallel, "PER_WORKER", 2)
    A, T, model, exact = _random_instance(901, 18, 14, "B")
    L = 2 * exact + 1
    tr = search_tree(A, T, model, L, enum_free=2, timeout=60, branching="strong", workers=2,
                     incumbent_gap=0, rounding=True)
    assert tr.complete and tr.lower == exact == tr.best[0] == tr.cut
    assert not any(e[0] == "P" for e in tr.tree)
    assert exact <= _walked(tr.tree, A, T, model, L)


@pytest.mark.parametrize("seed,model", [(1, "B"), (2, "A")])
def test_eps_a_hair_either_side_of_the_optimum(seed, model):
    """Just below the brute-force optimum 'OPT > eps' may be proved but never 'OPT <= eps'; just
    above it, never 'OPT > eps' (the early tree on the starting points included)."""
    net = sample(6, 2, seed=seed, model=model, dist="gaussian")
    opt = _brute(net)
    below = optimum(net, timeout=30, eps=opt * (1 - Fraction(1, 10**6)))
    assert below.achievable is not True
    assert below.lo <= opt + Fraction(1, 10**8)
    above = optimum(net, timeout=30, eps=opt * (1 + Fraction(1, 10**6)))
    assert above.achievable is not False
    assert above.lo <= opt + Fraction(1, 10**8)


@pytest.mark.parametrize("seed", range(3))
def test_the_tree_on_two_processes_gives_the_exact_value_and_a_tree_that_rechecks(seed, monkeypatch):
    """Open nodes dealt to worker processes in short rounds: the assembled tree (placeholders
    replaced by the workers' subtrees) is re-derived by the certificate walker, and the bound is
    the exact enumeration value, as with one process."""
    from prunecert.checks.instances import tree_parallel

    monkeypatch.setattr(tree_parallel, "ROUND_SECONDS", 0.05)   # many rounds, many deals
    monkeypatch.setattr(tree_parallel, "PER_WORKER", 2)
    A, T, model, exact = _random_instance(500 + seed, 18, 14, "AB"[seed % 2])
    said = []
    tr = search_tree(A, T, model, exact, enum_free=2, timeout=60, branching="strong", workers=2,
                        progress=said.append)
    assert tr.complete and tr.lower == exact
    # a worker given nothing in one round (fewer open nodes than workers) stays for the next
    rounds = [m for m in said if m.endswith("processes)")]
    assert all(m.endswith("(2 processes)") for m in rounds)
    assert not any(e[0] == "P" for e in tr.tree)
    assert _walked(tr.tree, A, T, model, exact) == exact
    # cut short: the nodes still open become leaves with their parent's dual, and the bound the
    # walker re-derives is the (smaller) one reported
    short = search_tree(A, T, model, exact + 1, enum_free=2, timeout=0.6, branching="fracsize",
                        workers=2, propagation=False, reduced_cost_fixing=False, conflicts=False)
    assert short.lower <= exact
    assert _walked(short.tree, A, T, model, exact + 1) == short.lower


def test_a_worker_out_of_nodes_ends_the_round_for_the_others(monkeypatch):
    """Rounds far longer than the whole search: without the early end, the first deal would be
    the only round (each worker finishing its share); with it, the first worker to run dry ends
    the round and the open nodes are dealt again.  The tree is still exact and re-derived."""
    from prunecert.checks.instances import tree_parallel

    monkeypatch.setattr(tree_parallel, "ROUND_SECONDS", 100.0)
    monkeypatch.setattr(tree_parallel, "PER_WORKER", 2)
    rounds = []
    for seed in (3, 4, 9, 10):
        # small trees (well under a second): without the early end each one is a single round
        # (measured: 1, 1, 1, 1 rounds; with it 3, 4, 5, 5)
        A, T, model, exact = _random_instance(seed, 16, 16 if seed == 9 else 14, "B")
        said = []
        tr = search_tree(A, T, model, exact, enum_free=2, timeout=300, branching="fracsize", workers=2,
                         progress=said.append)
        assert tr.complete and tr.lower == exact
        assert _walked(tr.tree, A, T, model, exact) == exact
        rounds.append(len([m for m in said if m.endswith("processes)")]))
    assert max(rounds) >= 2, rounds


def _failing_worker(conn, *args):
    conn.send(("ready",))
    conn.recv()
    conn.send(("error", "RuntimeError('failed for the test')"))


def _dying_worker(conn, *args):
    import os

    conn.send(("ready",))
    conn.recv()
    os._exit(1)


def _silent_worker(conn, *args):
    pass                       # exits at once: never ready


@pytest.mark.parametrize("dying", [_failing_worker, _dying_worker, _silent_worker])
def test_a_lost_worker_leaves_its_nodes_to_the_main_process(monkeypatch, dying):
    """Workers that fail, die mid-run or never start: the nodes they held are still open, so
    the main process bounds them -- and, with time left and no worker, searches them itself.
    Never a proof of what nobody searched: the walker re-derives the bound reported."""
    from prunecert.checks.instances import tree_parallel

    monkeypatch.setattr(tree_parallel, "_worker", dying)
    monkeypatch.setattr(tree_parallel, "PER_WORKER", 1)     # deal after the first node
    A, T, model, exact = _random_instance(7, 18, 14, "B")
    tr = search_tree(A, T, model, exact, enum_free=2, timeout=20, branching="fracsize", workers=2,
                        propagation=False, reduced_cost_fixing=False, conflicts=False)
    assert tr.complete and tr.lower == exact
    assert _walked(tr.tree, A, T, model, exact) == exact
    # with no time left for the main process to go on, the bound is a partial one
    monkeypatch.setattr(tree_parallel, "START_SHARE", 0.999)
    short = search_tree(A, T, model, exact + 1, enum_free=2, timeout=0.8, branching="fracsize",
                        workers=2, propagation=False, reduced_cost_fixing=False, conflicts=False)
    assert short.lower <= exact
    assert _walked(short.tree, A, T, model, exact + 1) == short.lower


def test_workers_must_be_a_small_positive_integer():
    from prunecert.checks.errors import InputError

    A = np.array([[1, 2], [3, 4]])
    T = np.array([1, 1])
    for bad in (0, -1, 65, 1.5, True):
        with pytest.raises(ValueError):
            search_tree(A, T, "B", 1, workers=bad)
    net = sample(4, 2, seed=1)
    for bad in (0, 2.0, True):
        with pytest.raises(InputError):
            optimum(net, timeout=5, workers=bad)


def test_lazy_row_lp_matches_the_full_lp_and_its_dual_covers_every_row():
    """The node LP with lazy rows (rows join when violated, leave when unused) solves the same
    relaxation as the LP holding every row: equal values on many boxes (rows are dropped and
    re-added on the way), a dual for every row, zero on the rows HiGHS does not hold, and the
    exact bound from that dual never exceeds the LP value."""
    from prunecert.checks.instances import neuron_tree as nt
    from prunecert.checks.instances.safe_lp import round_dual

    rng = np.random.default_rng(11)
    n, P = 24, 40
    A, T = nt.exact_arrays(rng.integers(-1000, 1000, size=(n, P)), rng.integers(0, 1500, size=P))
    L = 1500
    rows, rhs = nt.lp_rows(A, T, L, "B")
    Gobj = np.array(rows, dtype=object).reshape(len(rhs), n + 1)
    full, lazy = nt._LP(rows, rhs, n, lazy=False), nt._LP(rows, rhs, n, lazy=True)
    held = set()
    for trial in range(300):
        fix = {int(j): int(rng.integers(2)) for j in rng.choice(n, size=int(rng.integers(0, 12)), replace=False)}
        v_full = full.solve(fix)[2]
        _, y, v_lazy, _ = lazy.solve(fix)
        assert len(y) == len(rhs)
        assert v_lazy == pytest.approx(v_full, rel=1e-7, abs=1e-6 * L)
        assert not np.any(y[~lazy.held])
        held.add(int(lazy.held.sum()))
        _, _, B = nt.box_proof(Gobj, rhs, n, L, fix, round_dual(y, nt.SCALE_BITS))
        if B is not None:
            assert B >> nt.SCALE_BITS <= v_full + 1e-6 * L + 1
    assert min(held) < len(rhs)          # rows did leave
