"""Comparing two rules."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from toys import make_toy_data, make_toy_rule

from allocsim.compare import compare, focus_set
from allocsim.errors import AllocsimError


def test_focus_set_is_the_lowest_share():
    values = pd.Series([60.0, 55.0, 70.0, 58.0, 65.0], index=list("abcde"))
    assert list(focus_set(values, 0.4)) == ["b", "d"]


def test_comparison_table_and_summary(toy_data):
    base = make_toy_rule()
    alt = make_toy_rule(name="alt", indicators=[{"column": "hle_male_2011_13", "direction": "lower_is_more_need"}])
    comparison = compare(base, alt, toy_data, focus_share=0.25)
    table = comparison.table
    assert (table["rank_change"] == table["base_rank"] - table["alt_rank"]).all()
    assert (table["group_change"] == table["base_group"] - table["alt_group"]).all()
    f = comparison.summary["focus"]
    assert f["areas"] == 3 == f["gain_priority"] + f["lose_priority"] + f["keep_priority"]
    # Under an HLE-only rule the three lowest-HLE areas are the three most in need.
    assert f["in_group1_alt"] == 3
    assert comparison.transitions.to_numpy().sum() == len(toy_data)


def test_rules_covering_different_areas_are_refused(toy_data):
    with pytest.raises(AllocsimError, match="cover different areas"):
        compare(make_toy_rule(), make_toy_rule(countries=["England"]), toy_data)


def test_unknown_focus_column(toy_data):
    with pytest.raises(AllocsimError, match="--focus: 'nope' is not a column"):
        compare(make_toy_rule(), make_toy_rule(), toy_data, focus="nope")


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 10_000), method=st.sampled_from(["zscore", "minmax", "rank"]))
def test_a_rule_compared_with_itself_shows_no_change(seed, method):
    data = make_toy_data(n=15, seed=seed)
    rule = make_toy_rule(normalisation=method)
    s = compare(rule, rule, data).summary
    assert s["all_areas"]["gain_priority"] == s["all_areas"]["lose_priority"] == 0
    assert s["rank_correlation"]["kendall_tau"] == 1.0
    assert s["agreement"]["exact_share"] == 1.0
    assert s["group1_overlap"]["jaccard"] == 1.0


def test_kappa_is_undefined_when_both_rules_put_every_area_in_one_group():
    from allocsim.compare import agreement

    one, other = pd.Series([1, 1, 1]), pd.Series([2, 2, 2])
    assert agreement(one, other) == {"exact_share": 0.0, "cohen_kappa": None}
    assert agreement(one, one)["exact_share"] == 1.0
