"""Group sizes and cutting a batch of ranks or scores into groups."""

from __future__ import annotations

import numpy as np

from allocsim.engine import cut


def test_thirds_of_368_split_like_the_luf_list():
    assert cut.group_sizes(368, [0.334, 0.333, 0.333]).tolist() == [123, 123, 122]


def test_group_sizes_by_largest_remainder():
    assert cut.group_sizes(10, [0.3, 0.35, 0.35]).tolist() == [3, 4, 3]
    assert cut.group_sizes(7, [0.5, 0.5]).tolist() == [4, 3]


def test_groups_by_shares_follow_the_ranks():
    groups = cut.groups_by_shares(np.array([1, 2, 3, 4, 5]), np.array([0.4, 0.6]))
    assert groups.tolist() == [1, 1, 2, 2, 2]


def test_groups_by_thresholds():
    groups = cut.groups_by_thresholds(np.array([2.0, 0.5, 0.0, -3.0]), np.array([1.0, 0.0]))
    assert groups.tolist() == [1, 2, 2, 3]


def test_a_floor_lifts_groups_but_never_lowers_them():
    floor = np.array([1, 3, 2, 3])
    shares = cut.Cut.of(4, [0.5, 0.5], None, None, floor)
    order = np.array([[3, 2, 1, 0]])  # area 3 first
    ranks = np.array([[4, 3, 2, 1]], dtype=np.float32)
    assert cut.groups(shares, order, ranks, None).tolist() == [[1, 2, 1, 1]]


def test_per_country_shares_cut_each_country_by_its_own_ranks():
    scope_of = np.array([0, 0, 1, 1])
    by_country = cut.Cut.of(4, [0.5, 0.5], None, scope_of, None)
    order = np.array([[0, 1, 2, 3]])  # pooled order: both of country 0 first
    ranks = np.array([[1, 2, 3, 4]], dtype=np.float32)
    assert cut.groups(by_country, order, ranks, None).tolist() == [[1, 2, 1, 2]]
