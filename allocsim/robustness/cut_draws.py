"""Draws that are only cut into groups (rules cut by pooled shares): each area put on its side of
every group's last rank without ranking the draw, and tallied in the kernel's column order.

Draws go through in tiles of ``TILE``, whose buffers stay in cache. Their keys are the 32-bit cut
keys of :mod:`allocsim.engine.cut_keys`; a draw those cannot settle at a cut is cut again with
the engine's exact 64-bit keys (:func:`allocsim.engine.order.order_keys`), so every area lands in
the group the exact keys give it. After a tile in which most draws needed that (areas sharing
values, as shire districts share their county's), the run goes straight to the exact keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from allocsim.engine import cut as cutting
from allocsim.engine import order as ordering
from allocsim.engine.cut_keys import CutKeys
from allocsim.engine.workspace import Workspace
from allocsim.ranking.model import block_rows
from allocsim.ranking.model import scores as scored
from allocsim.robustness.model import Model
from allocsim.robustness.tally import ColumnTally

TILE = 1024  # cut draws processed together; 256 to a whole chunk measured within 10% of this


@dataclass
class CutDraws:
    """Cut draws of one run of chunks: their tally (column order), the 32-bit key matrices (None: the exact
    keys only) and the share of the last tile cut again exactly."""

    model: Model
    keys: CutKeys | None
    tally: ColumnTally
    exact_share: float = 0.0

    @classmethod
    def of(cls, model: Model, fast: bool = True) -> CutDraws:
        """Nothing cut yet; ``fast``: through the 32-bit cut keys (else always the exact keys)."""
        scoring = model.scoring
        keys = (CutKeys.of(scoring.scaled, scoring.layout, scoring.aggregation.finish, scoring.cut.bounds)
                if fast else None)
        return cls(model, keys, ColumnTally.zeros(model.n_areas, scoring.cut.n_groups, model.n_columns))

    def add(self, weights: np.ndarray, method: np.ndarray, hot: np.ndarray, work: Workspace) -> None:
        """Cut and tally ``weights`` (``method`` sorted), ``hot`` their one-hot tally columns."""
        c, into = len(weights), self.tally
        for start in range(0, c, TILE):
            tile = slice(start, start + TILE)
            beyond = self._beyond(weights[tile], method[tile], work)
            into.past_first += np.matmul(hot[tile].T, beyond[0], out=work.sums)  # float32 sums of whole numbers
            into.past_later += beyond[1:].sum(axis=1)
        into.bin_counts += hot.sum(axis=0).astype(np.int64)
        into.draws += c

    def _beyond(self, weights: np.ndarray, method: np.ndarray, work: Workspace) -> np.ndarray:
        """(cuts, draws, columns) float32: 1 where the area falls after group j + 1's last rank, so that its
        group is 1 + the sum over cuts; the floor applied."""
        keys, edges, exact = self._keys(weights, method, work)
        beyond = work.beyond[: len(edges.T), : len(keys)]
        floor = self.model.scoring.cut.floor
        if floor is None:
            for j, edge in enumerate(edges.T):
                np.greater(keys, edge[:, np.newaxis], out=beyond[j], casting="unsafe")
            if len(exact):
                beyond[:, exact] = self._exact_beyond(weights[exact], method[exact])
            return beyond
        groups = np.ones(keys.shape, dtype=np.int8)
        for edge in edges.T:  # keys sort like need, highest first
            groups += keys > edge[:, np.newaxis]
        if len(exact):
            groups[exact] = 1 + self._exact_beyond(weights[exact], method[exact]).sum(axis=0, dtype=np.int8)
        np.minimum(groups, floor[self.model.scoring.layout.code_position].astype(np.int8), out=groups)
        for j in range(len(beyond)):
            np.greater(groups, j + 1, out=beyond[j], casting="unsafe")
        return beyond

    def _keys(self, weights: np.ndarray, method: np.ndarray,
              work: Workspace) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A tile's keys, each cut's edge key and the draws to cut again exactly."""
        c = len(weights)
        if self.keys is None or self.exact_share > 0.5:
            keys = exact_keys(self.model, weights, method, work.scores[:c], work.index[:c])
            return keys, cutting.cut_edges(keys, self.model.scoring.cut.bounds, work.cut[:c]), np.empty(0, np.int64)
        keys, edges, exact = self.keys.cut(weights, method, work)
        self.exact_share = len(exact) / c
        return keys, edges, exact

    def _exact_beyond(self, weights: np.ndarray, method: np.ndarray) -> np.ndarray:
        """(cuts, draws, columns) float32 for a few draws, by the exact keys."""
        shape = (len(weights), self.model.n_areas)
        keys = exact_keys(self.model, weights, method, np.empty(shape), np.empty(shape, np.int64))
        edges = cutting.cut_edges(keys, self.model.scoring.cut.bounds, np.empty(shape, np.int64))
        return np.stack([keys > edge[:, np.newaxis] for edge in edges.T]).astype(np.float32)


def exact_keys(model: Model, weights: np.ndarray, method: np.ndarray, scores: np.ndarray,
               scratch: np.ndarray) -> np.ndarray:
    """The engine's 64-bit order keys of ``weights`` (``method`` sorted), in ``scores`` (float64 buffer)."""
    scoring = model.scoring
    _, key_rows = block_rows(scoring, method)
    return ordering.order_keys(scored(scoring, weights, method, scores), scoring.layout.code_position, key_rows,
                               scratch)
