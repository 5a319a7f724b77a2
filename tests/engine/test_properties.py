"""Invariances of the normalisations, checked with hypothesis."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from allocsim.engine import normalise as norm

PROPERTY = settings(max_examples=200, deadline=None)
columns = arrays(np.float64, st.tuples(st.integers(3, 40), st.just(1)),
                 elements=st.floats(1, 1000, allow_nan=False)).filter(lambda x: np.ptp(x) > 1e-6)


@PROPERTY
@given(X=columns, scale=st.floats(0.01, 100), shift=st.floats(-500, 500),
       method=st.sampled_from(["zscore", "minmax", "rank"]))
def test_positive_affine_change_of_units_changes_nothing(X, scale, shift, method):
    """Measuring in other units (pounds vs pence, a shifted origin) gives the same normalised values."""
    converted = X * scale + shift
    assume(len(np.unique(converted)) == len(np.unique(X)))  # rounding may merge values a hair apart
    np.testing.assert_allclose(norm.normalise(X, method), norm.normalise(converted, method), atol=1e-7)


@PROPERTY
@given(X=columns, scale=st.floats(0.01, 100))
def test_distance_to_best_is_invariant_to_scale(X, scale):
    np.testing.assert_allclose(norm.normalise(X, "distance_to_best"), norm.normalise(X * scale, "distance_to_best"),
                               rtol=1e-9, atol=1e-12)


@PROPERTY
@given(X=columns)
def test_rank_is_invariant_to_any_increasing_transform(X):
    transformed = np.log(X) ** 3 + np.sqrt(X)
    # In floating point the transform can merge two values a hair apart; then the order differs.
    assume(len(np.unique(transformed)) == len(np.unique(X)))
    np.testing.assert_allclose(norm.normalise(X, "rank"), norm.normalise(transformed, "rank"), atol=1e-9)


@PROPERTY
@given(X=columns, method=st.sampled_from(["zscore", "minmax", "rank", "distance_to_best"]))
def test_normalisation_preserves_order(X, method):
    Z = norm.normalise(X, method)[:, 0]
    order = np.argsort(X[:, 0], kind="stable")
    assert np.all(np.diff(Z[order]) >= -1e-9)
