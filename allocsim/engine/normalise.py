"""Put indicators on a common scale, oriented so that higher always means more need.

Each method is a scikit-learn transformer, fitted per column on the areas in scope (all of
them, or one country at a time for the LUF's two-step ``per_country`` scope); NaN passes
through untouched.
"""

from __future__ import annotations

import warnings

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
        self.best_ = np.nanmin(np.asarray(X, dtype=float), axis=0)
        if np.any(self.best_ == 0):
            raise ValueError("distance_to_best is undefined when the best value is 0")
        return self

    def transform(self, X):
        return (np.asarray(X, dtype=float) - self.best_) / np.abs(self.best_)


class PercentileRank(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Percentile rank in [0, 1]: ``(average rank - 1) / (n - 1)`` among the fitted values.

    Tied values share the average of their ranks, so the result depends only on the order of
    the values, never on their spacing (unlike an interpolating quantile transform).
    """

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=float)
        self.sorted_ = [np.sort(column[~np.isnan(column)]) for column in X.T]
        return self

    def transform(self, X):
        X = np.asarray(X, dtype=float)
        out = np.full_like(X, np.nan)
        for j, reference in enumerate(self.sorted_):
            present = ~np.isnan(X[:, j])
            below = np.searchsorted(reference, X[present, j], side="left")
            at_or_below = np.searchsorted(reference, X[present, j], side="right")
            average_rank = (below + 1 + at_or_below) / 2
            out[present, j] = (average_rank - 1) / max(len(reference) - 1, 1)
        return out


def make_normaliser(method: str):
    if method == "zscore":
        return StandardScaler()
    if method == "minmax":
        return MinMaxScaler()
    if method == "rank":
        return PercentileRank()
    if method == "distance_to_best":
        return DistanceToBest()
    raise ValueError(f"unknown normalisation {method!r}")


def normalise(X: np.ndarray, method: str) -> np.ndarray:
    """Normalise each column of need-oriented ``X`` (areas x indicators); all-NaN columns stay NaN."""
    out = np.full_like(X, np.nan, dtype=float)
    present = ~np.all(np.isnan(X), axis=0)
    if present.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out[:, present] = make_normaliser(method).fit_transform(X[:, present])
    return out


def normalise_by_group(X: np.ndarray, groups: np.ndarray, method: str) -> np.ndarray:
    """Normalise within each group of rows (e.g. each country)."""
    out = np.empty_like(X, dtype=float)
    for group in np.unique(groups):
        rows = groups == group
        out[rows] = normalise(X[rows], method)
    return out


def winsorise(X: np.ndarray, low: float, high: float) -> np.ndarray:
    """Clip each column to its ``low``-th and ``high``-th percentiles (ignoring NaN)."""
    lo, hi = np.nanpercentile(X, [low, high], axis=0)
    return np.clip(X, lo, hi)


def orient(X: np.ndarray, higher_is_more_need: np.ndarray) -> np.ndarray:
    """Flip the sign of columns where a lower value means more need."""
    return np.where(higher_is_more_need, X, -X)
