"""Ranks and groups."""

from __future__ import annotations

import numpy as np

from allocsim.engine import categorise


def test_ranks_put_the_highest_score_first_and_break_ties_by_code():
    ranks = categorise.ranks(np.array([0.1, 0.5, 0.5, -1.0]), np.array(["d", "c", "b", "a"]))
    assert ranks.tolist() == [3, 2, 1, 4]


def test_thirds_of_368_split_like_the_luf_list():
    assert categorise.group_sizes(368, [0.334, 0.333, 0.333]).tolist() == [123, 123, 122]


def test_group_sizes_by_largest_remainder():
    assert categorise.group_sizes(10, [0.3, 0.35, 0.35]).tolist() == [3, 4, 3]
    assert categorise.group_sizes(7, [0.5, 0.5]).tolist() == [4, 3]


def test_groups_by_shares_follow_the_ranks():
    groups = categorise.groups_by_shares(np.array([1, 2, 3, 4, 5]), np.array([0.4, 0.6]))
    assert groups.tolist() == [1, 1, 2, 2, 2]


def test_groups_by_thresholds():
    groups = categorise.groups_by_thresholds(np.array([2.0, 0.5, 0.0, -3.0]), np.array([1.0, 0.0]))
    assert groups.tolist() == [1, 2, 2, 3]
