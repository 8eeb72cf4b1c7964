"""Statistics for experiments (fits, confidence bounds, Monte Carlo): evidence, never proof."""
