"""Cut keys of 32 bits read straight off the matrix product: a faster route to a batch's groups
by pooled shares, with the exact 64-bit keys of :mod:`allocsim.engine.order` where it cannot tell.

Each method's scores ``s`` (in ``[low, high]``, in the kernel's scale, before
``aggregation.finish``) are mapped to ``x = 2**29 + STEPS * (high - s) / (high - low)``, so that
keys sort like need, highest first. The map is linear and every row of weights sums to 1, so it
is folded into the normalised matrix and the product gives ``x`` itself (areas with gaps are
divided by their weight total, as :func:`allocsim.engine.score.scores` does). The key is
``floor(x)``, an int32: ``np.partition`` of int32 is several times faster than of int64.

A draw must be cut again with the exact keys when, at any cut, the key of the group's last area
and the smallest key after it differ by less than 2: then the two sides of the cut could be in a
different order, or tied, under the exact keys. A difference of 2 or more means the scores differ
by more than ``(high - low) / STEPS`` less rounding of about ``2**-17`` steps (the products'
entries are below ``2**31``). The exact keys clear the ``b = code_bits(n)`` lowest bits of a
score's float64 bits for the area's position, so they break ties by code within
``2**(b - 51) * max|s|`` (``2**-42`` for the 368 areas, ``2**-35`` above 32,768); a method whose range is
below ``2**(b - 17) * max|s|`` (or zero), sixteen times that window in key steps, always takes the
exact keys. So every area lands on the same side of every cut as with the exact keys. The
normalisers all give ``low <= 0 <= high``, so their range is at least ``max|s|`` and the 32-bit
keys serve up to ``2**17`` areas. A geometric rule's kernel scale is ``log(1 + score)``, which
orders like the score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from allocsim.engine.cut import cut_edges
from allocsim.engine.order import code_bits
from allocsim.engine.score import Layout, method_rows
from allocsim.engine.workspace import Workspace

STEPS = 2.0**30  # 32-bit cut keys per method's range of scores
ORIGIN = 2.0**29  # the key of the highest score: keys stay within [2**29, 2**29 + 2**30 + 1) < 2**31
TINY = 2.0**-1000  # a weight total below this (subnormal or zero) keeps no relative precision


@dataclass(frozen=True)
class CutKeys:
    """The matrices that give a batch's 32-bit cut keys: per method ``ORIGIN + steps * (high - z)`` (0 where
    the area lacks the indicator), the methods too narrow for them, the areas with gaps and the bounds."""

    matrix: np.ndarray  # (methods, indicators, columns)
    exact_method: np.ndarray  # (methods,) draws of this method always take the exact keys
    gaps_from: int  # the first column of an area with gaps (they come last)
    pattern: np.ndarray  # (columns from gaps_from,) each such area's group of areas with the same gaps
    has: np.ndarray  # (indicators, groups): 1 where the group has the indicator
    bounds: np.ndarray  # each group's last rank

    @classmethod
    def of(cls, scaled: np.ndarray, layout: Layout, finish, bounds: np.ndarray) -> CutKeys:
        """From ``scaled`` (methods, indicators, columns) in ``layout``'s column order, the aggregation's
        ``finish`` (to size the exact keys' ties) and the pooled group ``bounds``."""
        available = np.ones(scaled.shape[1:], bool)
        for start, stop, has in layout.gaps:
            available[:, start:stop] = has[:, np.newaxis] > 0
        low = np.array([z[available].min() for z in scaled])
        high = np.array([z[available].max() for z in scaled])
        largest = np.maximum(np.abs(finish(low)), np.abs(finish(high)))
        window = 2.0 ** (code_bits(scaled.shape[2]) - 17)  # the exact keys' ties, 16 times over, in key steps
        usable = (high > low) & (high - low >= window * largest)
        steps = np.where(usable, STEPS / np.where(usable, high - low, 1), 0)[:, np.newaxis, np.newaxis]
        matrix = np.where(available, ORIGIN + steps * (high[:, np.newaxis, np.newaxis] - scaled), 0.0)
        gaps = layout.gaps
        has = np.array([h for _, _, h in gaps]).T if gaps else np.empty((scaled.shape[1], 0))
        pattern = np.repeat(np.arange(len(gaps)), [b - a for a, b, _ in gaps])
        return cls(matrix, ~usable, scaled.shape[2] - len(pattern), pattern, has, np.asarray(bounds))

    def cut(self, weights: np.ndarray, method: np.ndarray,
            work: Workspace) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Keys (draws, columns), each cut's edge key (draws, cuts) and the draws to cut again with the exact
        keys, for ``weights`` (``method`` sorted)."""
        c = len(weights)
        product, keys = work.scores[:c], work.keys32[:c]
        total = weights.sum(axis=1, keepdims=True)
        weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
        exact = self.exact_method[method] | (total[:, 0] <= 0)
        for m, start, stop in method_rows(method, len(self.matrix)):
            np.matmul(weights[start:stop], self.matrix[m], out=product[start:stop])
        if len(self.pattern):  # areas with gaps: divided by their weight total
            total = weights @ self.has
            exact |= total.min(axis=1) < TINY
            np.maximum(total, TINY, out=total)
            divisors = np.take(total, self.pattern, axis=1, out=work.divisors[:c, :len(self.pattern)], mode="clip")
            product[:, self.gaps_from:] /= divisors
        np.copyto(keys, product, casting="unsafe")  # truncation is floor: x > 0
        after = np.empty((c, len(self.bounds) - 1), np.int32)
        edges = cut_edges(keys, self.bounds, work.cut32[:c], after)
        # in 64 bits: an empty first group's edge is the int32 minimum, and the difference overflowed
        exact |= (np.subtract(after, edges, dtype=np.int64) < 2).any(axis=1)
        return keys, edges, np.flatnonzero(exact)
