"""Small floating-point networks for experiments (training, Hessians, convolution matrices)."""
