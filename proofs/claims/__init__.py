"""Claim modules.  Each module defines ``CLAIMS: list[proofs.registry.Claim]``; all
modules in this package are discovered by :func:`proofs.registry.all_claims`."""
