"""Instance engines: exact two-layer ReLU networks, certified sup-norm errors, subset-sum and
neuron-subset solvers, counterexample search.  They know networks, not theorems."""
