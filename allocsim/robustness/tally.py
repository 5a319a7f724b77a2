"""The sums a robustness run keeps over its draws; adding tallies in any order gives the same numbers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np


@dataclass
class Tally:
    """The sums a robustness run keeps over its draws: draws and draws ranked in full, each area's rank
    histogram and group counts, draws per factor bin, and per bin each area's sums of ranks and of group-1
    draws."""

    draws: int
    ranked: int  # draws ranked in full
    rank_hist: np.ndarray  # (areas, rank bins), over the ranked draws
    group_counts: np.ndarray  # (areas, groups)
    bin_counts: np.ndarray  # (columns,) draws per factor bin; column 0 = all
    ranked_bin_counts: np.ndarray  # (columns,) the same over the ranked draws
    rank_sums: np.ndarray  # (columns, areas) sum of ranks over the bin's ranked draws
    group1_sums: np.ndarray  # (columns, areas) draws in group 1

    @classmethod
    def zeros(cls, n_areas: int, rank_bins: int, n_groups: int, columns: int) -> Tally:
        """A tally of no draws with arrays shaped for ``n_areas`` areas, ``rank_bins`` rank bins, ``n_groups``
        groups and ``columns`` tally columns."""
        return cls(0, 0, np.zeros((n_areas, rank_bins), np.int64), np.zeros((n_areas, n_groups), np.int64),
                   np.zeros(columns, np.int64), np.zeros(columns, np.int64), np.zeros((columns, n_areas)),
                   np.zeros((columns, n_areas)))

    def __iadd__(self, other: Tally) -> Tally:
        self.draws += other.draws
        self.ranked += other.ranked
        for name in ("rank_hist", "group_counts", "bin_counts", "ranked_bin_counts", "rank_sums", "group1_sums"):
            getattr(self, name).__iadd__(getattr(other, name))
        return self


def add_tallies(tallies: Iterable[Tally], empty: Tally) -> Tally:
    """``empty`` (a zero tally of the right shape) plus every one of ``tallies``."""
    for tally in tallies:
        empty += tally
    return empty
