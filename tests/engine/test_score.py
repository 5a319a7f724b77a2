"""Batched scores: a weighted mean over the indicators each area has, by hand."""

from __future__ import annotations

import numpy as np

from allocsim.engine import score
from allocsim.methods.aggregations import AGGREGATIONS


def batch_scores(Z, available, weights, aggregation="arithmetic"):
    Z, available, weights = np.array(Z, float), np.array(available, bool), np.atleast_2d(np.array(weights, float))
    layout = score.Layout.of(available)
    chosen = AGGREGATIONS[aggregation]
    scaled = score.scaled(Z, available, layout, chosen)[np.newaxis]
    out = np.empty((len(weights), len(Z)))
    values = score.scores(weights, scaled, [(0, 0, len(weights))], layout, chosen, out)
    by_code = np.empty_like(values)
    by_code[:, layout.code_position] = values
    return by_code


def test_arithmetic_is_a_weighted_mean():
    got = batch_scores([[1.0, 0.0], [0.0, 1.0], [2.0, -1.0]], np.ones((3, 2)), [0.75, 0.25])
    np.testing.assert_allclose(got, [[0.75, 0.25, 1.25]])


def test_geometric_is_a_weighted_geometric_mean_of_one_plus_z():
    got = batch_scores([[1.0, 0.0], [3.0, 3.0]], np.ones((2, 2)), [0.5, 0.5], "geometric")
    np.testing.assert_allclose(got, [[np.sqrt(2) - 1, 3.0]])


def test_a_missing_indicator_s_weight_is_shared_in_proportion():
    got = batch_scores([[1.0, 1.0, 0.0], [1.0, np.nan, 0.0]], [[1, 1, 1], [1, 0, 1]], [0.5, 0.25, 0.25])
    np.testing.assert_allclose(got, [[0.75, 2 / 3]])


def test_weights_are_relative_and_each_row_is_its_own_draw():
    got = batch_scores([[1.0, 0.0], [0.0, 1.0]], np.ones((2, 2)), [[2.0, 2.0], [1.0, 0.0]])
    np.testing.assert_allclose(got, [[0.5, 0.5], [1.0, 0.0]])


def test_contributions_sum_to_the_score_before_finishing():
    Z, available = np.array([[1.0, 3.0], [2.0, np.nan]]), np.array([[True, True], [True, False]])
    parts = score.contributions(Z, available, np.array([0.5, 0.5]), AGGREGATIONS["geometric"])
    np.testing.assert_allclose(np.expm1(parts.sum(axis=1)), batch_scores(Z, available, [0.5, 0.5], "geometric")[0])
