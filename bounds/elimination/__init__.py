"""Seed 004: elimination-compensation pruning (formulas and the pruning method)."""
