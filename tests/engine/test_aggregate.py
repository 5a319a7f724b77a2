"""Arithmetic and geometric aggregation, and per-area reweighting, by hand."""

from __future__ import annotations

import numpy as np

from allocsim.engine import aggregate


def test_arithmetic_is_a_weighted_sum_with_contributions():
    Z = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, -1.0]])
    W = np.tile([0.75, 0.25], (3, 1))
    scores, contributions = aggregate.arithmetic(Z, W)
    np.testing.assert_allclose(scores, [0.75, 0.25, 1.25])
    np.testing.assert_allclose(contributions.sum(axis=1), scores)


def test_geometric_is_a_weighted_geometric_mean_of_one_plus_z():
    Z = np.array([[1.0, 0.0], [3.0, 3.0]])
    W = np.tile([0.5, 0.5], (2, 1))
    scores, contributions = aggregate.geometric(Z, W)
    np.testing.assert_allclose(scores, [np.sqrt(2) - 1, 3.0])
    np.testing.assert_allclose(np.expm1(contributions.sum(axis=1)), scores)


def test_missing_indicator_weight_is_shared_in_proportion():
    available = np.array([[True, True, True], [True, False, True]])
    W = aggregate.weight_matrix(np.array([0.5, 0.25, 0.25]), available)
    np.testing.assert_allclose(W, [[0.5, 0.25, 0.25], [2 / 3, 0, 1 / 3]])
