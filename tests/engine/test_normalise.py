"""Each normalisation on a hand-computed toy column (values 1, 2, 3, 4)."""

from __future__ import annotations

import numpy as np
import pytest

from allocsim.engine import normalise as norm

X = np.array([[1.0], [2.0], [3.0], [4.0]])
Z_1234 = np.array([-3, -1, 1, 3]) / np.sqrt(5)  # (x - 2.5) / sqrt(1.25)


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("zscore", Z_1234),
        ("minmax", [0, 1 / 3, 2 / 3, 1]),
        ("rank", [0, 1 / 3, 2 / 3, 1]),
        ("distance_to_best", [0, 1, 2, 3]),  # (x - 1) / 1
    ],
)
def test_higher_is_more_need(method, expected):
    np.testing.assert_allclose(norm.normalise(X, method)[:, 0], expected, atol=1e-12)


def test_lower_is_more_need_distance_to_best_is_shortfall_from_the_best():
    oriented = norm.orient(X, np.array([False]))
    # Best (highest raw) value is 4: a value of 1 is 75% short of it.
    np.testing.assert_allclose(norm.normalise(oriented, "distance_to_best")[:, 0], [0.75, 0.5, 0.25, 0])


def test_nan_passes_through_and_is_ignored_when_fitting():
    Z = norm.normalise(np.array([[1.0], [np.nan], [3.0]]), "minmax")
    assert Z[0, 0] == 0 and np.isnan(Z[1, 0]) and Z[2, 0] == 1


def test_per_group_normalisation_fits_each_group_separately():
    Z = norm.normalise_by_group(np.array([[1.0], [3.0], [10.0], [30.0]]), np.array(["a", "a", "b", "b"]), "minmax")
    np.testing.assert_allclose(Z[:, 0], [0, 1, 0, 1])


def test_rank_ties_share_a_percentile():
    Z = norm.normalise(np.array([[1.0], [2.0], [2.0], [3.0]]), "rank")
    assert Z[1, 0] == Z[2, 0] and Z[0, 0] == 0 and Z[3, 0] == 1


def test_winsorise_clips_to_percentiles():
    values = np.arange(101, dtype=float)[:, np.newaxis]
    clipped = norm.winsorise(values, 5, 95)
    assert clipped.min() == 5 and clipped.max() == 95


def test_distance_to_best_refuses_a_zero_best():
    with pytest.raises(ValueError, match="best value is 0"):
        norm.normalise(np.array([[0.0], [1.0]]), "distance_to_best")
