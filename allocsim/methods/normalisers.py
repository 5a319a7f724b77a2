"""Normalisers: put need-oriented indicators on a common scale (higher always means more need).

Each is a scikit-learn transformer fitted per column on the areas in scope, with a flag saying
whether its output is never negative (geometric aggregation needs that, and the ranking kernel
orders non-negative scores by their bits directly). Look one up with :data:`NORMALISERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.preprocessing import MinMaxScaler, StandardScaler


class DistanceToBest(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Relative distance from the best-placed area: ``(x - best) / |best|``.

    On need-oriented values the best area is the one with least need (the column minimum), so
    the result is 0 for the best and grows with need; e.g. GVA per hour of 30 against a best
    of 40 gives 0.25, a quarter short of the best. Undefined when the best value is 0.
    """

    def fit(self, X, y=None):
        """Record each column's best value (its minimum, ignoring NaN); raises ValueError where that is 0."""
        self.best_ = np.nanmin(np.asarray(X, dtype=float), axis=0)
        if np.any(self.best_ == 0):
            raise ValueError("distance_to_best is undefined when the best value is 0")
        return self

    def transform(self, X):
        """``(x - best) / |best|`` for each column of ``X``, with the best values from :meth:`fit`; NaN stays
        NaN."""
        return (np.asarray(X, dtype=float) - self.best_) / np.abs(self.best_)


class PercentileRank(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Percentile rank in [0, 1]: ``(average rank - 1) / (n - 1)`` among the fitted values.

    Tied values share the average of their ranks, so the result depends only on the order of
    the values, never on their spacing (unlike an interpolating quantile transform).
    """

    def fit(self, X, y=None):
        """Record each column's values, sorted, NaN left out."""
        X = np.asarray(X, dtype=float)
        self.sorted_ = [np.sort(column[~np.isnan(column)]) for column in X.T]
        return self

    def transform(self, X):
        """Each value's rank among its column's fitted values (ties share their average rank), scaled as
        ``(rank - 1) / (n - 1)``; NaN stays NaN."""
        X = np.asarray(X, dtype=float)
        out = np.full_like(X, np.nan)
        for j, reference in enumerate(self.sorted_):
            present = ~np.isnan(X[:, j])
            below = np.searchsorted(reference, X[present, j], side="left")
            at_or_below = np.searchsorted(reference, X[present, j], side="right")
            average_rank = (below + 1 + at_or_below) / 2
            out[present, j] = (average_rank - 1) / max(len(reference) - 1, 1)
        return out


@dataclass(frozen=True)
class Normaliser:
    """One normalisation method: its name, a factory for a fresh scikit-learn transformer, whether its output
    is never negative, and a description in words."""

    name: str
    make: Callable[[], TransformerMixin]  # a fresh, unfitted transformer
    nonnegative: bool  # its output is never below 0
    description: str


NORMALISERS: dict[str, Normaliser] = {n.name: n for n in (
    Normaliser("zscore", StandardScaler, False, "z-score: (x - mean) / sd"),
    Normaliser("minmax", MinMaxScaler, True, "min-max: (x - min) / (max - min), in [0, 1]"),
    Normaliser("rank", PercentileRank, True, "percentile rank in [0, 1], ties averaged"),
    Normaliser("distance_to_best", DistanceToBest, True, "(x - best) / |best|, 0 for the best area"),
)}
