"""prunecert engines: rigorous arithmetic, provers, exact decision, instances, search.

Nothing in this package knows about pruning theorems (``bounds/``) or the claim
registry (``proofs/``); only ``prunecert.cli`` may import everything.
"""
