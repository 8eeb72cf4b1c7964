"""Seed 002: probabilistic bounds for random and magnitude pruning."""
