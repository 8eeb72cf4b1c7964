"""Seed 003: the fundamental limit of the pruning ratio (statistical dimension, kinematic
formula, Gordon's comparison, pruning threshold) and its experiments."""
