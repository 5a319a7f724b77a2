"""Expected allocations in whole pence that add up to the penny."""

from __future__ import annotations

import numpy as np


def expected_pence(pence: np.ndarray) -> np.ndarray:
    """Each area's mean over draws (rows of ``pence``) in whole pence, summing exactly to the mean
    amount allocated per draw rounded to the penny.

    Each mean is rounded down and the pennies still short go to the largest remainders (ties to
    the earlier row), so a table of expected allocations adds up to the penny. Counted in Python
    integers: a column of 20,000 draws of up to 10^15 pence would overflow 64 bits.
    """
    draws = pence.shape[0]
    high, low = np.divmod(pence.astype(np.int64), 2**32)  # each part's column sums fit in 64 bits
    totals = [int(h) * 2**32 + int(lo) for h, lo in zip(high.sum(axis=0), low.sum(axis=0))]
    target = (2 * sum(totals) + draws) // (2 * draws)  # the mean total, rounded half up
    rounded = np.array([t // draws for t in totals], dtype=np.int64)
    remainders = np.array([t % draws for t in totals], dtype=np.int64)
    short = target - int(rounded.sum())
    rounded[np.argsort(-remainders, kind="stable")[:short]] += 1
    return rounded
