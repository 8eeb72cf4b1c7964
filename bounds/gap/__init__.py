"""Seeds 000/001, the exponential gap: neuron-pruning lower bounds (chord, sector, kink angle,
Models A and B), weight-pruning constructions and widths, counting bound, the gap calculator."""
