"""Conflict learning for the certified neuron tree: a proved lp leaf, generalised to the few
fixings its proof really uses, closes or shrinks other nodes of the tree.

The bound behind an lp leaf with rounded dual y is (scaled by 2^k, exact integers)

    B(box) = y.g + sum_j min(r_j l_j, r_j u_j),      r = c - G^T y,

and it proves the box when ceil(B / 2^k) >= L.  Freeing a unit j that the box fixes to b
(the box grows to s_j in [0, 1]) lowers B by exactly ``max(r_j, 0)`` if b = 1 and
``max(-r_j, 0)`` if b = 0.  So the fixings whose total loss fits in the slack of the proof can
be dropped: what is left, F', is a *conflict* -- every node whose fixings include F' lies in a
sub-box of F''s box, where the same y proves the bound again (B only grows on a sub-box).  A
node that meets all of F' is an lp leaf with y; a node that meets all of F' but one literal
(j, b), with j free, gets s_j fixed to 1 - b, the pruned child being an lp leaf with y.

Nothing here is trusted: each use is re-evaluated exactly on the box it closes (and the
certificate re-checker evaluates every leaf again), so a conflict can only save work.
"""
from __future__ import annotations

import numpy as np

from prunecert.checks.instances.safe_lp import add_box_terms

__all__ = ["ConflictPool", "generalise", "CAP", "MAX_SIZE"]

CAP = 4000        # conflicts kept (the oldest is overwritten)
MAX_SIZE = 40     # longer conflicts are not kept (they rarely match another node)


def generalise(fix: dict, r, B: int, L: int, scale_bits: int) -> dict:
    """The smallest-loss-first reduction of ``fix`` whose box the same dual still proves:
    returns F' (a sub-dict of fix) with B - (loss of the freed units) > (L - 1) 2^k."""
    if B is None:
        return dict(fix)
    slack = B - ((L - 1) << scale_bits) - 1
    if slack < 0:
        return dict(fix)
    losses = []
    for j, b in fix.items():
        rj = int(r[j])
        losses.append((max(rj, 0) if b else max(-rj, 0), j))
    losses.sort()
    keep = dict(fix)
    for loss, j in losses:
        if loss > slack:
            break
        slack -= loss
        del keep[j]
    return keep


class ConflictPool:
    """At most ``cap`` conflicts (oldest overwritten), each with the dual that proves it."""

    def __init__(self, n: int, L: int, scale_bits: int):
        self.n, self.L, self.k = n, L, scale_bits
        # the bound a proof must reach: L, or lower once the search's incumbents prune (the
        # box of e stays [0, L], the same as in the tree's rows and in the re-checker)
        self.cut = L
        self.cap = cap = CAP
        self.max_size = MAX_SIZE
        self.M1 = np.zeros((cap, n), dtype=np.float32)   # literal s_j = 1
        self.M0 = np.zeros((cap, n), dtype=np.float32)   # literal s_j = 0
        self.size = np.full(cap, np.inf, dtype=np.float32)
        self.proof: list = [None] * cap                  # (yq, total, r)
        self.count = 0                                   # conflicts ever added
        self.log: list | None = None                     # learned here since drain(), if kept

    def add(self, fix: dict, yq: dict, total: int, r, B: int) -> None:
        lits = generalise(fix, r, B, self.cut, self.k)
        if not lits or len(lits) > self.max_size:
            return
        if self.log is not None:
            self.log.append((lits, (yq, total, r)))
        self._put(lits, (yq, total, r))

    def keep_log(self) -> None:
        """From now on, record the conflicts learned here, for :meth:`drain`."""
        if self.log is None:
            self.log = []

    def drain(self) -> list:
        """The conflicts learned here since the last call, as ``(literals, proof)`` pairs to
        hand to another pool's :meth:`extend`."""
        out, self.log = (self.log or []), ([] if self.log is not None else None)
        return out

    def extend(self, items) -> None:
        """Conflicts learned by another search on the same data (same rows, same L).  They are
        used like this pool's own: every use is re-evaluated exactly on the box it closes
        (against this pool's ``cut``)."""
        for lits, proof in items:
            if lits and len(lits) <= self.max_size:
                self._put(lits, proof)

    def _put(self, lits: dict, proof) -> None:
        slot = self.count % self.cap
        self.M1[slot] = 0
        self.M0[slot] = 0
        for j, b in lits.items():
            (self.M1 if b else self.M0)[slot, j] = 1
        self.size[slot] = len(lits)
        self.proof[slot] = proof
        self.count += 1

    def _proves(self, slot: int, fix: dict) -> bool:
        """Exact re-evaluation of conflict ``slot``'s dual on the box of ``fix``."""
        _, total, r = self.proof[slot]
        n = self.n
        lower = [fix.get(j, 0) for j in range(n)] + [0]
        upper = [fix.get(j, 1) for j in range(n)] + [self.L]
        B = add_box_terms(total, r, lower, upper)
        return B is not None and B > ((self.cut - 1) << self.k)

    def scan(self, fix: dict):
        """('leaf', yq) if a conflict covers the node; else ('fix', [(j, keep, yq), ...]) -- units
        a conflict fixes (its pruned side proved exactly); every use is checked exactly."""
        m = min(self.count, self.cap)
        if m == 0:
            return "fix", []
        f1 = np.zeros(self.n, dtype=np.float32)
        f0 = np.zeros(self.n, dtype=np.float32)
        for j, b in fix.items():
            (f1 if b else f0)[j] = 1
        M1, M0 = self.M1[:m], self.M0[:m]
        short = self.size[:m] - (M1 @ f1 + M0 @ f0)       # literals of the conflict not met
        for slot in np.flatnonzero(short == 0):
            if self._proves(int(slot), fix):
                return "leaf", self.proof[int(slot)][0]
        near = np.flatnonzero(short == 1)
        if near.size:
            near = near[(M1[near] @ f0 + M0[near] @ f1) == 0]   # and none contradicted
        out = []
        taken = set()
        if near.size:
            free = (f0 + f1) == 0
            miss = np.argmax((M1[near] + M0[near]) * free, axis=1)   # the one unmet literal
            for slot, j in zip(near.tolist(), miss.tolist()):
                if j in taken:
                    continue
                b = 1 if self.M1[slot, j] > 0 else 0
                pruned = dict(fix)
                pruned[j] = b
                if self._proves(slot, pruned):
                    out.append((j, 1 - b, self.proof[slot][0]))
                    taken.add(j)
        return "fix", out
