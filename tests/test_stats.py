"""allocsim's rank correlations and kappa are SciPy's and scikit-learn's, bit for bit."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as scipy_stats
from sklearn.metrics import cohen_kappa_score

from allocsim.stats import _inversions, cohen_kappa, kendall_tau, spearman_rho

# Rankings as they come: whole ranks, shared average ranks (.5) and published categories (few values).
rankings = st.integers(2, 60).flatmap(lambda n: st.tuples(
    st.lists(st.one_of(st.integers(1, n), st.sampled_from([1.5, 2.5, 7.5])), min_size=n, max_size=n),
    st.lists(st.integers(1, n), min_size=n, max_size=n)))


def _same(ours: float, theirs: float) -> bool:
    return (np.isnan(ours) and np.isnan(theirs)) or ours == theirs


def _scipy(function, a, b) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant input: SciPy warns, allocsim is quiet
        return float(function(a, b).statistic)


@given(rankings)
def test_kendall_tau_and_spearman_rho_are_scipys(pair):
    a, b = (np.array(p, dtype=float) for p in pair)
    assert _same(kendall_tau(a, b), _scipy(scipy_stats.kendalltau, a, b))
    assert _same(spearman_rho(a, b), _scipy(scipy_stats.spearmanr, a, b))


@pytest.mark.parametrize("n", [2, 3, 368, 5000, 33_755])
def test_on_rankings_of_every_size_from_two_areas_to_lsoas(n):
    rng = np.random.default_rng(n)
    a = rng.permutation(n).astype(float) + 1
    b = np.where(rng.random(n) < 0.5, a, rng.integers(1, n + 1, n)).astype(float)  # related, with ties
    assert _same(kendall_tau(a, b), _scipy(scipy_stats.kendalltau, a, b))
    assert _same(spearman_rho(a, b), _scipy(scipy_stats.spearmanr, a, b))


def test_undefined_and_missing_give_nan():
    for a, b in [([1.0], [2.0]), ([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]), ([1.0, np.nan, 3.0], [1.0, 2.0, 3.0])]:
        assert np.isnan(kendall_tau(a, b)) and np.isnan(spearman_rho(a, b))


@given(st.lists(st.integers(0, 50), max_size=200))
def test_inversions_counts_pairs_out_of_order(values):
    values = np.array(values, dtype=np.intp)
    expected = sum(int(x > y) for i, x in enumerate(values) for y in values[i + 1:])
    assert _inversions(values) == expected


groups = st.integers(2, 80).flatmap(lambda n: st.tuples(st.lists(st.integers(1, 4), min_size=n, max_size=n),
                                                        st.lists(st.integers(1, 4), min_size=n, max_size=n)))


@given(groups)
def test_cohen_kappa_is_scikit_learns(pair):
    reference, other = (np.array(p) for p in pair)
    ours = cohen_kappa(reference, other)
    if len(set(pair[0])) == 1 and len(set(pair[1])) == 1:
        assert ours is None
    else:
        assert ours == float(cohen_kappa_score(reference, other))


def test_a_value_that_rounds_to_nothing_is_zero_not_minus_zero():
    from allocsim.stats import rounded

    assert str(rounded(-1e-7)) == "0.0" and str(rounded(-0.0)) == "0.0" and rounded(-0.00012) == -0.0001
