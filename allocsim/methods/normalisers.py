"""Normalisers: put need-oriented indicators on a common scale (higher always means more need).

Each is a transformer with scikit-learn's ``fit`` / ``transform`` / ``fit_transform``, fitted per
column on the areas in scope, with a flag saying whether its output is never negative (geometric
aggregation needs that, and the ranking kernel orders non-negative scores by their bits directly).
Look one up with :data:`NORMALISERS`.

Each is a small numpy class here, so that ranking does not import scikit-learn (and SciPy with
it), which takes longer than the rest of a ranking. ``ZScore`` and ``MinMax`` do scikit-learn's
``StandardScaler`` and ``MinMaxScaler`` arithmetic step for step (tests/methods checks they agree
bit for bit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np


class Transformer(Protocol):
    """What a normaliser makes: scikit-learn's transformer interface, as far as allocsim uses it."""

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        """Fit on ``X`` (areas x indicators) and return ``X`` transformed."""


class _FitTransform:
    def fit_transform(self, X, y=None):
        """:meth:`fit` on ``X``, then :meth:`transform` of ``X``."""
        return self.fit(X, y).transform(X)


class MinMax(_FitTransform):
    """``(x - min) / (max - min)`` per column, as scikit-learn's ``MinMaxScaler()`` computes it:
    ``x * scale + offset`` with ``scale = 1 / range`` (1 where the range is below 10 machine
    epsilons) and ``offset = 0 - min * scale``. Infinite values are refused, as there."""

    def fit(self, X, y=None):
        """Record each column's scale and offset from its minimum and maximum, ignoring NaN."""
        X = _finite_or_nan(X)
        data_min, data_max = np.nanmin(X, axis=0), np.nanmax(X, axis=0)
        data_range = data_max - data_min
        data_range[data_range < 10 * np.finfo(data_range.dtype).eps] = 1.0
        self.scale_ = np.float64(1.0) / data_range
        self.min_ = np.float64(0.0) - data_min * self.scale_
        return self

    def transform(self, X):
        """``x * scale + offset`` for each column of ``X``; NaN stays NaN."""
        X = _finite_or_nan(X).copy()
        X *= self.scale_
        X += self.min_
        return X


def _finite_or_nan(X) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if np.isinf(X).any():
        raise ValueError("Input X contains infinity or a value too large for dtype('float64').")
    return X


class ZScore(_FitTransform):
    """``(x - mean) / sd`` per column (population sd), as scikit-learn's ``StandardScaler()`` computes
    it: the mean and variance by its corrected two-pass sums ignoring NaN, and a scale of 1 for a
    column whose variance is within rounding of none. Infinite values are refused, as there."""

    def fit(self, X, y=None):
        """Record each column's mean and scale, ignoring NaN."""
        X = _finite_or_nan(X)
        missing = np.isnan(X)
        total = np.nansum if missing.any() else np.sum
        count = np.zeros(X.shape[1]) + (X.shape[0] - total(missing.astype(X.dtype), axis=0))
        sums = total(X, axis=0)
        self.mean_ = (np.zeros(X.shape[1]) + sums) / count
        centred = X - sums / count
        correction = total(centred, axis=0)
        centred **= 2
        var = (total(centred, axis=0) - correction**2 / count) / count
        eps = np.finfo(np.float64).eps
        constant = var <= count * eps * var + (count * self.mean_ * eps) ** 2
        self.scale_ = np.sqrt(var)
        self.scale_[constant] = 1.0
        return self

    def transform(self, X):
        """``(x - mean) / scale`` for each column of ``X``; NaN stays NaN."""
        X = _finite_or_nan(X).copy()
        X -= self.mean_
        X /= self.scale_
        return X


class DistanceToBest(_FitTransform):
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


class PercentileRank(_FitTransform):
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
    """One normalisation method: its name, a factory for a fresh transformer, whether its output
    is never negative, and a description in words."""

    name: str
    make: Callable[[], Transformer]  # a fresh, unfitted transformer
    nonnegative: bool  # its output is never below 0
    description: str


NORMALISERS: dict[str, Normaliser] = {n.name: n for n in (
    Normaliser("zscore", ZScore, False, "z-score: (x - mean) / sd"),
    Normaliser("minmax", MinMax, True, "min-max: (x - min) / (max - min), in [0, 1]"),
    Normaliser("rank", PercentileRank, True, "percentile rank in [0, 1], ties averaged"),
    Normaliser("distance_to_best", DistanceToBest, True, "(x - best) / |best|, 0 for the best area"),
)}
