"""The min-max MILP in HiGHS (float, uncertified: only the subset it returns is ever used), and
its solve in a separate process that is killed if it outlives its time limit.

HiGHS does not check its time limit everywhere: a width-128 round was seen stuck for minutes
past its limit inside the presolve of a RINS sub-MIP (``HPresolve::strengthenInequalities``).
A Python thread cannot stop native code, so long rounds run in a child interpreter
(``python -m prunecert.checks.instances.highs_mip``: the problem goes in on stdin, the answer comes out
on stdout, both pickled) that the parent kills ``GRACE`` seconds after the limit; the round then
counts as "no subset".  Only the *subset* HiGHS returns is ever used (the certified bounds never
trust it), so losing a round costs time, never soundness.  Short rounds stay in-process: the
start-up of a child (about half a second) would dominate them.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time

import numpy as np

from prunecert.checks.instances.neuron_tree import quiet_highs

__all__ = ["highs_minmax", "minmax_guarded", "minmax_portfolio", "HighsRound", "IN_PROCESS_BELOW",
           "GRACE"]

IN_PROCESS_BELOW = 5.0   # seconds: rounds with a shorter limit run in this process
GRACE = 3.0              # seconds past the limit before the child is killed
STARTUP = 2.0            # seconds allowed for the child interpreter to start and read its input
POLL = 0.05              # seconds between looks at the runs of a portfolio round


def highs_minmax(A, T, model: str, L: int | None, *, timeout: float = 30.0, incumbent=None,
                 sub_mips: bool = True, seed: int = 0):
    """Float MILP on integer data (uncertified).  Returns (subset, value, dual_bound, status)
    in integer units as floats; subset None if HiGHS found nothing.  ``seed``: HiGHS's
    random_seed (its search, hence its subset under a time limit, depends on it)."""
    import highspy

    A = np.asarray(A)
    T = np.asarray(T)
    n, P = A.shape
    h = quiet_highs()
    h.setOptionValue("time_limit", max(0.1, float(timeout)))
    h.setOptionValue("mip_rel_gap", 1e-7)
    if not sub_mips:
        # the RINS/RENS sub-MIP heuristics: where HiGHS was seen stuck past its time limit
        h.setOptionValue("mip_heuristic_run_rins", False)
        h.setOptionValue("mip_heuristic_run_rens", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", int(seed))
    inf = highspy.kHighsInf
    sc = float(max(1, int(np.abs(T).max()), int(np.abs(A).max()) if A.size else 1))
    Af = np.array(A, dtype=float) / sc
    Tf = np.array(T, dtype=float) / sc
    h.addVars(n + 1, np.zeros(n + 1), np.append(np.ones(n), inf))
    h.changeColCost(n, 1.0)
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                            np.array([highspy.HighsVarType.kInteger] * n))
    idx = np.arange(n + 1, dtype=np.int32)
    negsum = np.minimum(Af, 0).sum(axis=0)
    for p in range(P):
        h.addRow(-inf, Tf[p], n + 1, idx, np.append(Af[:, p], -1.0))
        if model == "A" or L is None or T[p] >= L:
            h.addRow(Tf[p], inf, n + 1, idx, np.append(Af[:, p], 1.0))
        elif T[p] > 0:
            # output ReLU case split: z = 1 means e >= T_p (the lower side holds for any h),
            # z = 0 means h_p >= T_p - e
            h.addVar(0, 1)
            z = h.getNumCol() - 1
            h.changeColIntegrality(z, highspy.HighsVarType.kInteger)
            big = Tf[p] - negsum[p]
            h.addRow(Tf[p], inf, n + 2, np.append(idx, z), np.append(np.append(Af[:, p], 1.0), big))
            h.addRow(0, inf, 2, np.array([n, z], dtype=np.int32), np.array([1.0, -Tf[p]]))
    if incumbent is not None:
        sol = np.zeros(h.getNumCol())
        for i in incumbent:
            sol[i] = 1.0
        H = Af[list(incumbent)].sum(axis=0) if incumbent else np.zeros(P)
        sol[n] = float(np.abs((np.maximum(H, 0) if model == "B" else H) - Tf).max())
        try:
            h.setSolution(_sol(highspy, sol))
        except Exception:   # pragma: no cover - older highspy
            pass
    h.run()
    info = h.getInfo()
    status = str(h.getModelStatus())
    if info.primal_solution_status < 1:
        return None, None, None, status
    x = h.getSolution().col_value
    S = tuple(i for i in range(n) if x[i] > 0.5)
    return S, info.objective_function_value * sc, info.mip_dual_bound * sc, status


def _sol(highspy, values):
    s = highspy.HighsSolution()
    s.col_value = list(values)
    s.value_valid = True
    return s


def minmax_guarded(A, T, model, L, *, timeout: float, incumbent=None, sub_mips: bool = True):
    """Same answer as :func:`highs_minmax`, but never more than ``timeout + GRACE + STARTUP``
    seconds of wall-clock time."""
    if timeout < IN_PROCESS_BELOW:
        return highs_minmax(A, T, model, L, timeout=timeout, incumbent=incumbent, sub_mips=sub_mips)
    return HighsRound(A, T, model, L, timeout=timeout, incumbent=incumbent, sub_mips=sub_mips).result()


def minmax_portfolio(A, T, model, L, *, timeout: float, incumbent=None, sub_mips: bool = True,
                     seeds: int = 1) -> list:
    """The same MILP solved by ``seeds`` HiGHS runs at once, each in its own child process with
    its own ``random_seed`` (0, 1, ...): under a time limit the subset HiGHS returns depends on
    its search, and on the hard width-128 networks it varies from run to run.  Returns every
    run's answer, as :func:`minmax_guarded` (seed 0 first); the caller certifies each subset.
    As soon as one run proves its subset optimal on the points, the others are stopped (their
    answer: subset None, status "stopped: ...").  Rounds short enough to stay in this process
    run once (seed 0)."""
    if seeds < 1:
        raise ValueError("seeds must be >= 1")
    if seeds == 1 or timeout < IN_PROCESS_BELOW:
        return [minmax_guarded(A, T, model, L, timeout=timeout, incumbent=incumbent, sub_mips=sub_mips)]
    runs = [HighsRound(A, T, model, L, timeout=timeout, incumbent=incumbent, sub_mips=sub_mips, seed=k)
            for k in range(seeds)]
    answers: list = [None] * seeds
    while any(a is None for a in answers):
        for k, run in enumerate(runs):
            if answers[k] is None and (run.proc.poll() is not None or time.perf_counter() > run.limit):
                answers[k] = run.result()
        if any(a is not None and "Optimal" in str(a[3]) for a in answers):
            break
        time.sleep(POLL)
    return [a if a is not None else run.result(wait=False) for a, run in zip(answers, runs)]


class HighsRound:
    """A HiGHS round in a child process, started at once; this process may do other work
    meanwhile and collect the answer with :meth:`result`.  The child is killed ``GRACE``
    seconds after its limit (or at once with ``result(wait=False)``)."""

    def __init__(self, A, T, model, L, *, timeout: float, incumbent=None, sub_mips: bool = True,
                 seed: int = 0):
        payload = pickle.dumps({"A": A, "T": T, "model": model, "L": L, "timeout": float(timeout),
                                "sub_mips": bool(sub_mips), "seed": int(seed),
                                "incumbent": None if incumbent is None else tuple(incumbent)})
        self.limit = time.perf_counter() + float(timeout) + GRACE + STARTUP
        # the child sees the same import path as this process (a source checkout works too)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self.proc = subprocess.Popen([sys.executable, "-m", "prunecert.checks.instances.highs_mip"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=env)
        try:
            self.proc.stdin.write(payload)     # the child reads its whole input first
            self.proc.stdin.close()
        except OSError:
            pass                               # it died at once: result() says so
        self.proc.stdin = None

    def result(self, wait: bool = True):
        """(subset, value, dual bound, status) as :func:`highs_minmax`; subset None if there
        is no answer (child killed or failed; with ``wait=False``, not finished yet)."""
        if not wait and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()
            return None, None, None, "stopped: its answer was no longer needed"
        try:
            out, _ = self.proc.communicate(timeout=max(0.0, self.limit - time.perf_counter()))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            return None, None, None, "killed: HiGHS did not stop at its time limit"
        if self.proc.returncode != 0 or not out:
            return None, None, None, f"HiGHS child failed (exit {self.proc.returncode})"
        try:
            return pickle.loads(out)
        except Exception:   # pragma: no cover - a truncated answer
            return None, None, None, "HiGHS child answer unreadable"


def _child() -> None:
    # the answer goes to the original stdout; everything else (HiGHS's banner) to /dev/null
    answer = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    job = pickle.loads(sys.stdin.buffer.read())
    res = highs_minmax(job["A"], job["T"], job["model"], job["L"], timeout=job["timeout"],
                       incumbent=job["incumbent"], sub_mips=job["sub_mips"], seed=job.get("seed", 0))
    answer.write(pickle.dumps(res))
    answer.flush()


if __name__ == "__main__":
    _child()
