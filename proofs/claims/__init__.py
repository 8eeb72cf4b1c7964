"""Claim modules.  Each module defines ``CLAIMS: list[prunecert.proofs.registry.Claim]``; all
modules in this package are discovered by :func:`prunecert.proofs.registry.all_claims`."""
