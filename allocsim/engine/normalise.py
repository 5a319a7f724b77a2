"""Put indicators on a common scale, oriented so that higher always means more need.

The methods are the registry in :mod:`allocsim.methods.normalisers`, fitted per column on the
areas in scope (all of them, or one country at a time for the LUF's two-step ``per_country``
scope); NaN passes through untouched.
"""

from __future__ import annotations

import warnings

import numpy as np

from allocsim.methods.normalisers import NORMALISERS


def normalise(X: np.ndarray, method: str) -> np.ndarray:
    """Normalise each column of need-oriented ``X`` (areas x indicators); all-NaN columns stay NaN."""
    out = np.full_like(X, np.nan, dtype=float)
    present = ~np.all(np.isnan(X), axis=0)
    if present.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out[:, present] = NORMALISERS[method].make().fit_transform(X[:, present])
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
