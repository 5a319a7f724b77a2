"""Cut a batch of ordered scores into priority groups (1 = highest priority).

A :class:`Cut` holds a rule's categories: shares of areas from the top or score thresholds,
pooled or per country, and the groups of a ``no_downgrade_from`` rule as a floor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from allocsim.engine.order import by_area


@dataclass(frozen=True)
class Cut:
    """A rule's categories ready to cut ranks or scores into groups: ``n_groups``, shares of areas from the
    top or score thresholds, per-country scopes (None: pooled), the ``no_downgrade_from`` floor and, for
    pooled shares, each group's last rank."""

    n_groups: int
    shares: np.ndarray | None
    thresholds: np.ndarray | None
    scope_of: np.ndarray | None  # scope number of each area (code order) when cut per country
    floor: np.ndarray | None  # the no_downgrade_from groups (n_groups where an area has none)
    bounds: np.ndarray | None  # pooled shares: the last rank of each group

    @property
    def by_rank(self) -> bool:
        """Groups follow from the pooled rank alone (shares, pooled)."""
        return self.bounds is not None

    @property
    def by_rank_alone(self) -> bool:
        """Groups are each area's rank bracket: pooled shares without a ``no_downgrade_from`` floor."""
        return self.by_rank and self.floor is None

    @classmethod
    def of(cls, n_areas: int, shares, thresholds, scope_of: np.ndarray | None,
           floor: np.ndarray | None) -> Cut:
        """The cut of ``n_areas`` areas by ``shares`` (group sizes by largest remainder) or by ``thresholds``
        (one fewer than the groups); ``scope_of`` each area's country scope when cut per country, ``floor``
        the ``no_downgrade_from`` groups (each may be None)."""
        shares = None if shares is None else np.array(shares)
        n_groups = len(shares) if shares is not None else len(thresholds) + 1
        bounds = np.cumsum(group_sizes(n_areas, shares)) if shares is not None and scope_of is None else None
        return cls(n_groups, shares, None if thresholds is None else np.array(thresholds), scope_of, floor, bounds)


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


def groups_by_shares(ranks: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Group of each area given its rank among ``len(ranks)`` areas (along axis 0)."""
    bounds = np.cumsum(group_sizes(len(ranks), shares))
    return np.searchsorted(bounds, ranks, side="left") + 1


def groups_by_thresholds(scores: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Group 1 for scores at or above the first (highest) cut-off, and so on down."""
    return np.sum(scores[:, np.newaxis] < np.asarray(thresholds)[np.newaxis, :], axis=1) + 1


def groups(cut: Cut, order: np.ndarray, ranks: np.ndarray, by_score: np.ndarray | None) -> np.ndarray:
    """(draws, areas) groups in code order: by threshold (``by_score``, already cut from the
    scores) or by shares of the pooled or per-country ranks; then the floor."""
    cut_groups = by_score if by_score is not None else share_groups(cut, order, ranks)
    if cut.floor is not None:
        np.minimum(cut_groups, cut.floor, out=cut_groups)
    return cut_groups


def share_groups(cut: Cut, order: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """(draws, areas) groups in code order by the cut's shares: of the pooled ``ranks``, or, when cut per
    country, of each area's rank within its own scope (found from ``order``). The floor is not applied
    here."""
    if cut.scope_of is None:
        return groups_by_shares(ranks.T, cut.shares).T
    local = by_area(order, local_positions(cut.scope_of[order]).reshape(-1))
    out = np.empty(ranks.shape, dtype=np.int64)
    for scope in range(cut.scope_of.max() + 1):
        columns = np.flatnonzero(cut.scope_of == scope)
        out[:, columns] = groups_by_shares(local[:, columns].T, cut.shares).T
    return out


def local_positions(scope_at: np.ndarray) -> np.ndarray:
    """Rank within its own scope of the area at each position of the pooled order."""
    local = np.zeros(scope_at.shape, dtype=np.float32)
    for scope in np.unique(scope_at):
        here = scope_at == scope
        local += np.where(here, np.cumsum(here, axis=1), 0)
    return local


def cut_edges(keys: np.ndarray, bounds: np.ndarray, scratch: np.ndarray,
              after: np.ndarray | None = None) -> np.ndarray:
    """(draws, groups - 1): per row, the key of the last area of each group but the last;
    ``after`` (draws, groups - 1), if given, receives the smallest key beyond each cut (the
    dtype's largest where nothing lies beyond).

    One partition per cut, each on what lies beyond the previous cut: numpy partitions at
    several positions at once far more slowly than this. An empty group (a share too small to
    give it an area) cuts where the group before it does, or below every key when it is the first.
    """
    scratch[:] = keys
    n = keys.shape[1]
    edges = np.empty((len(keys), len(bounds) - 1), dtype=keys.dtype)
    start = 0
    for j, bound in enumerate(bounds[:-1]):
        if bound > start:
            tail = scratch[:, start:]
            tail.partition(bound - 1 - start, axis=1)
            edges[:, j] = tail[:, bound - 1 - start]
        else:  # an empty group: nothing lies between this cut and the one before
            edges[:, j] = edges[:, j - 1] if j else np.iinfo(keys.dtype).min
        if after is not None:  # what lies beyond the partition point is never below it
            if bound < n:
                np.min(scratch[:, bound:], axis=1, out=after[:, j])
            else:
                after[:, j] = np.iinfo(keys.dtype).max
        start = bound
    return edges
