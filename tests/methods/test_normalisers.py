"""The min-max and z-score normalisers compute exactly what scikit-learn's ``MinMaxScaler`` and
``StandardScaler`` do, without importing scikit-learn."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from allocsim.methods.normalisers import NORMALISERS

values = st.one_of(st.floats(-1e12, 1e12, allow_nan=False), st.just(np.nan), st.sampled_from([0.0, -0.0, 1.0, 5e-324]))


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal bit for bit (NaN where the other has NaN, and the same sign of zero)."""
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


@given(arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 4)), elements=values))
def test_minmax_is_scikit_learns_minmaxscaler_bit_for_bit(X):
    X[:, np.all(np.isnan(X), axis=0)] = 1.0  # the engine never passes an all-NaN column
    assert _same(NORMALISERS["minmax"].make().fit_transform(X), MinMaxScaler().fit_transform(X))


@pytest.mark.parametrize("X", [np.array([[3.0, 1.0], [3.0, np.nan]]),  # a constant column: all 0
                               np.array([[1.0], [1.0 + 1e-16], [2.0]]),
                               np.array([[2.0], [2.0 + 4e-15]])])  # a range below 10 epsilons counts as none
def test_minmax_matches_on_constant_and_near_constant_columns(X):
    assert _same(NORMALISERS["minmax"].make().fit_transform(X), MinMaxScaler().fit_transform(X))


def test_minmax_refuses_infinity_as_scikit_learn_does():
    X = np.array([[1.0], [np.inf]])
    with pytest.raises(ValueError, match="contains infinity") as ours:
        NORMALISERS["minmax"].make().fit_transform(X)
    with pytest.raises(ValueError) as theirs:
        MinMaxScaler().fit_transform(X)
    assert str(ours.value) == str(theirs.value)


@given(arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 4)), elements=values))
def test_zscore_is_scikit_learns_standardscaler_bit_for_bit(X):
    X[:, np.all(np.isnan(X), axis=0)] = 1.0  # the engine never passes an all-NaN column
    assert _same(NORMALISERS["zscore"].make().fit_transform(X), StandardScaler().fit_transform(X))


@pytest.mark.parametrize("X", [np.array([[1.0, 5.0], [2.0, np.nan], [4.0, 7.0]]),
                               np.array([[3.0, 1.0], [3.0, np.nan]]),  # a constant column: all 0
                               np.array([[1.0], [1.0 + 1e-16], [2.0]]),
                               np.array([[2.0], [2.0 + 4e-15]]),  # a variance within rounding of none
                               np.array([[1e12], [1e12 + 1.0], [-3e-300]])])
def test_zscore_matches_on_constant_and_near_constant_columns(X):
    assert _same(NORMALISERS["zscore"].make().fit_transform(X), StandardScaler().fit_transform(X))


def test_zscore_refuses_infinity_as_scikit_learn_does():
    X = np.array([[1.0], [-np.inf]])
    with pytest.raises(ValueError, match="contains infinity") as ours:
        NORMALISERS["zscore"].make().fit_transform(X)
    with pytest.raises(ValueError) as theirs:
        StandardScaler().fit_transform(X)
    assert str(ours.value) == str(theirs.value)


def test_ranking_imports_no_scikit_learn():
    code = ("import sys, allocsim; from allocsim.engine.normalise import normalise; import numpy as np; "
            "[normalise(np.array([[1.0], [2.0], [4.0]]), m) for m in ('zscore', 'minmax', 'rank')]; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
