"""Pure kernels over numpy arrays: normalise, weight, aggregate, categorise.

Nothing here reads files or checks user input; :mod:`allocsim.ranking` does that and calls in.
"""
