"""Buffers the kernels reuse from chunk to chunk of a batch.

A fresh large array costs a page fault per 4 KiB on first touch, about as much again as the
arithmetic done in it, so a long run allocates its buffers once.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np


class Workspace:
    """The buffers for ``rows`` draws at a time on ``n`` areas: scores, index, ranks, group-1 flags,
    ``columns`` one-hot tally columns and rank positions; the buffers for cutting are made on first use."""

    def __init__(self, rows: int, n: int, columns: int = 1, cuts: int = 0) -> None:
        self.rows, self.n, self.cuts = rows, n, cuts
        self.scores = np.empty((rows, n))
        self.index = np.empty((rows, n), np.int64)
        self.ranks = np.empty((rows, n), np.float32)
        self.group1 = np.empty((rows, n), np.float32)
        self.hot = np.empty((rows, columns), np.float32)
        self.positions = np.tile(np.arange(1, n + 1, dtype=np.float32), rows)

    @cached_property
    def cut(self) -> np.ndarray:
        """Keys being partitioned (only made if some draws are cut rather than ranked)."""
        return np.empty((self.rows, self.n), np.int64)

    @cached_property
    def beyond(self) -> np.ndarray:
        """(cuts, rows, n) float32 flags, one layer per group edge (at least one): 1 where an area falls after
        that group's last rank (made on first use)."""
        return np.empty((max(1, self.cuts), self.rows, self.n), np.float32)

    @cached_property
    def cut32(self) -> np.ndarray:
        """32-bit cut keys being partitioned (:mod:`allocsim.engine.cut_keys`)."""
        return np.empty((self.rows, self.n), np.int32)

    @cached_property
    def keys32(self) -> np.ndarray:
        """32-bit cut keys as read off the matrix product."""
        return np.empty((self.rows, self.n), np.int32)

    @cached_property
    def divisors(self) -> np.ndarray:
        """Each area with gaps' weight total, per draw (the first columns used)."""
        return np.empty((self.rows, self.n))

    @cached_property
    def sums(self) -> np.ndarray:
        """(columns, n) float32: a tile's sums per tally column, before they join the tally."""
        return np.empty((self.hot.shape[1], self.n), np.float32)
