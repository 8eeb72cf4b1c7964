"""Exact decision with SMT solvers (z3 and cvc5, each answer confirmed by the other)."""
