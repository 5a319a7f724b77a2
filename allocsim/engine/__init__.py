"""Pure kernels over numpy arrays: normalise, score, order, cut.

Every kernel takes a *batch* of weight vectors: ranking a rule is a batch of one
(:func:`allocsim.rank`), robustness and weight search are batches of thousands, and all of them
run the same functions. Nothing here reads files or checks user input; the callers
(:mod:`allocsim.ranking`) do that.
"""
