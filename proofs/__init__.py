"""Proof blueprints: the claim registry, status propagation, blueprint rendering.

Python API::

    from prunecert.proofs import all_claims, evaluate
    statuses = evaluate(["gap.upper.width"])
"""
from prunecert.proofs.registry import Check, Claim, ClaimStatus, all_claims, evaluate  # noqa: F401
