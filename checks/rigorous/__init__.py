"""Rigorous arithmetic and expressions: exact numbers from user text, arb ball arithmetic,
and the safe expression parser/compiler."""
