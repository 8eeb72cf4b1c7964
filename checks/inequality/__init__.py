"""Certified real inequalities: the branch-and-bound prover, its exact touching steps, the
certificate format and the independent re-checker."""
