"""The sums a robustness run keeps over its draws; adding tallies in any order gives the same numbers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np


@dataclass
class Tally:
    """The sums a robustness run keeps over its draws: draws and draws ranked in full, each area's rank
    histogram and group counts, draws per factor bin, per bin each area's sums of ranks and of group-1
    draws, and the draws that left some area with no indicator with weight."""

    draws: int
    ranked: int  # draws ranked in full
    rank_hist: np.ndarray  # (areas, rank bins), over the ranked draws
    group_counts: np.ndarray  # (areas, groups)
    bin_counts: np.ndarray  # (columns,) draws per factor bin; column 0 = all
    ranked_bin_counts: np.ndarray  # (columns,) the same over the ranked draws
    rank_sums: np.ndarray  # (columns, areas) sum of ranks over the bin's ranked draws
    group1_sums: np.ndarray  # (columns, areas) draws in group 1
    unscored: int = 0  # draws in which some area had no indicator with weight (a weight drawn as exactly 0)

    @classmethod
    def zeros(cls, n_areas: int, rank_bins: int, n_groups: int, columns: int) -> Tally:
        """A tally of no draws with arrays shaped for ``n_areas`` areas, ``rank_bins`` rank bins, ``n_groups``
        groups and ``columns`` tally columns."""
        return cls(0, 0, np.zeros((n_areas, rank_bins), np.int64), np.zeros((n_areas, n_groups), np.int64),
                   np.zeros(columns, np.int64), np.zeros(columns, np.int64), np.zeros((columns, n_areas)),
                   np.zeros((columns, n_areas)))

    def __iadd__(self, other: Tally | PackedTally) -> Tally:
        self.draws += other.draws
        self.ranked += other.ranked
        self.unscored += other.unscored
        arrays = other.arrays if isinstance(other, PackedTally) else {name: getattr(other, name) for name in ARRAYS}
        for name, array in arrays.items():
            getattr(self, name).__iadd__(array)
        return self


ARRAYS = ("rank_hist", "group_counts", "bin_counts", "ranked_bin_counts", "rank_sums", "group1_sums")


@dataclass(frozen=True, eq=False)  # eq=False: arrays have no single truth value to compare by
class PackedTally:
    """A tally as it moves between processes (Dask workers and the client): its arrays of zeros left out,
    whole numbers below 2**31 (every count and most sums) as int32, the rest as they are. It is added into a
    full tally as it is (``tally += packed``), never unpacked: at LSOA scale unpacking a tally into new
    int64 and float64 arrays took 0.04-0.05 s, about as long as moving it."""

    draws: int
    ranked: int
    arrays: dict[str, np.ndarray]  # name (one of ARRAYS) -> values; absent: all zeros
    unscored: int = 0

    @classmethod
    def of(cls, tally: Tally) -> PackedTally:
        """``tally``, packed."""
        arrays = {}
        for name in ARRAYS:
            array = getattr(tally, name)
            if not array.any():
                continue
            if -2**31 <= array.min() and array.max() < 2**31 and (
                    array.dtype.kind == "i" or (array == np.rint(array)).all()):
                array = array.astype(np.int32)
            arrays[name] = array
        return cls(tally.draws, tally.ranked, arrays, tally.unscored)


@dataclass
class ColumnTally:
    """Cut draws' tallies in the kernel's column order, put in code order (:meth:`add_to`) once per run of
    chunks rather than once per chunk: at LSOA scale that scatter of every per-area sum cost more than the
    cut itself."""

    past_first: np.ndarray  # (tally columns, areas) draws past the first cut: not in group 1
    past_later: np.ndarray  # (cuts - 1, areas) draws past each later cut
    bin_counts: np.ndarray  # (tally columns,)
    draws: int = 0

    @classmethod
    def zeros(cls, n_areas: int, n_groups: int, columns: int) -> ColumnTally:
        """No draws yet, for ``n_areas`` areas cut into ``n_groups`` groups and ``columns`` tally columns."""
        return cls(np.zeros((columns, n_areas)), np.zeros((max(0, n_groups - 2), n_areas)), np.zeros(columns, np.int64))

    def add_to(self, tally: Tally, code_position: np.ndarray) -> None:
        """Add these draws to ``tally`` (code order); ``code_position`` gives the area in each column."""
        n = len(code_position)
        groups = tally.group_counts.shape[1]
        past = np.vstack([np.full(n, self.draws), self.past_first[:1], self.past_later, np.zeros(n)])[: groups + 1]
        tally.group_counts[code_position] -= np.rint(np.diff(past, axis=0)).astype(np.int64).T
        tally.group1_sums[:, code_position] += self.bin_counts[:, np.newaxis] - self.past_first
        tally.bin_counts += self.bin_counts
        tally.draws += self.draws


def add_tallies(tallies: Iterable[Tally | PackedTally], empty: Tally) -> Tally:
    """``empty`` (a zero tally of the right shape) plus every one of ``tallies``."""
    for tally in tallies:
        empty += tally
    return empty
