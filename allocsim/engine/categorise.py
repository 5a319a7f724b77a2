"""Turn scores into ranks (1 = most need) and priority groups (1 = highest priority)."""

from __future__ import annotations

import numpy as np


def ranks(scores: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Rank 1 for the highest score; equal scores are ordered by ``tiebreak`` (e.g. area code)."""
    order = np.lexsort((tiebreak, -scores))
    out = np.empty(len(scores), dtype=int)
    out[order] = np.arange(1, len(scores) + 1)
    return out


def group_sizes(n: int, shares: np.ndarray) -> np.ndarray:
    """Areas per group by the largest-remainder method; leftover areas go to earlier groups first.

    For 368 areas in thirds this gives 123, 123, 122, the LUF round 1 split.
    """
    exact = n * np.asarray(shares, dtype=float)
    sizes = np.floor(exact).astype(int)
    remainder = exact - sizes
    extra = n - sizes.sum()
    order = np.lexsort((np.arange(len(shares)), -np.round(remainder, 9)))
    sizes[order[:extra]] += 1
    return sizes


def groups_by_shares(ranks_: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Group of each area given its rank among ``len(ranks_)`` areas."""
    bounds = np.cumsum(group_sizes(len(ranks_), shares))
    return np.searchsorted(bounds, ranks_, side="left") + 1


def groups_by_thresholds(scores: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Group 1 for scores at or above the first (highest) cut-off, and so on down."""
    return np.sum(scores[:, np.newaxis] < np.asarray(thresholds)[np.newaxis, :], axis=1) + 1
