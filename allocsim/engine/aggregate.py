"""Combine normalised indicators into one score per area, with each indicator's contribution."""

from __future__ import annotations

import numpy as np


def weight_matrix(weights: np.ndarray, available: np.ndarray) -> np.ndarray:
    """Per-area weights: each area's available indicators share the weight, rescaled to sum 1.

    An area missing an indicator (the LUF's Scottish and Welsh places have no journey times)
    has that indicator's weight spread over the others in proportion to their weights.
    """
    W = np.where(available, weights[np.newaxis, :], 0.0)
    total = W.sum(axis=1, keepdims=True)
    return np.divide(W, total, out=np.zeros_like(W), where=total > 0)


def arithmetic(Z: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted sum. Returns (scores, contributions); contributions sum to the score."""
    contributions = W * np.nan_to_num(Z)
    return contributions.sum(axis=1), contributions


def geometric(Z: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted geometric mean of ``1 + z`` minus 1, for non-negative normalised ``Z``.

    Shifting by 1 keeps an area at the best value on one indicator from scoring 0 overall.
    Contributions are ``w * log(1 + z)``; they sum to ``log(1 + score)``.
    """
    contributions = W * np.log1p(np.nan_to_num(Z))
    return np.expm1(contributions.sum(axis=1)), contributions
