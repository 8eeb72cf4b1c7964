"""The mathematics: symbolic (sympy) statements, explicit constants and constructions of
each bound.  Imports ``checks`` engines; never imports ``proofs``."""
