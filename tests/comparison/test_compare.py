"""Comparing two rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from toys import make_toy_data, make_toy_rule

from allocsim.comparison import compare
from allocsim.comparison.focus import focus_areas, focus_selection, focus_set, focus_target, minimum_focus_share
from allocsim.errors import AllocsimError, ParameterError
from allocsim.rules.load import load_rule


def test_focus_set_is_the_lowest_share():
    values = pd.Series([60.0, 55.0, 70.0, 58.0, 65.0], index=list("abcde"))
    assert list(focus_set(values, 0.4)) == ["b", "d"]


def test_focus_set_takes_every_area_tied_at_the_cut_off():
    """Which of two equal values gets in must not depend on the area code."""
    values = pd.Series([60.0, 55.0, 58.0, 58.0, 65.0], index=["e07", "e01", "e06", "e08", "e02"])
    assert list(focus_set(values, 0.4)) == ["e01", "e06", "e08"]  # 2 asked for, the tie at 58 kept
    assert list(focus_set(values, 0.6)) == ["e01", "e06", "e08"]  # exactly at the edge: nothing added


def test_summary_records_the_focus_cut_off_and_ties(toy_data):
    data = toy_data.copy()
    lowest = data["hle_male_2011_13"].nsmallest(4)
    data.loc[lowest.index, "hle_male_2011_13"] = 50.0  # four areas tied lowest, the share asks for 3
    rule = make_toy_rule()
    f = compare(rule, rule, data, focus_share=3 / len(data)).summary.to_json()["focus"]
    assert (f["target_areas"], f["cutoff_value"], f["tied_at_cutoff"], f["areas"]) == (3, 50.0, 4, 4)


@pytest.mark.parametrize("column", ["alt_rank", "base_group", "in_focus"])
def test_a_focus_named_like_a_column_of_the_comparison_is_refused(toy_data, column):
    """Copied in beside the table's own columns, it would overwrite one (or repeat its header)."""
    data = toy_data.assign(**{column: range(len(toy_data))})
    with pytest.raises(AllocsimError, match=rf"^--focus {column}: the dataset's column '{column}' has the name of a "
                                            "column the comparison table holds"):
        compare(make_toy_rule(), make_toy_rule(), data, focus=column)


@pytest.mark.parametrize("column", ["name", "country"])
def test_a_text_column_as_focus_is_refused_as_not_numeric(toy_data, column):
    with pytest.raises(AllocsimError, match=rf"^--focus: column '{column}' is not numeric$"):
        compare(make_toy_rule(), make_toy_rule(), toy_data, focus=column)


def test_a_focus_flag_column_named_like_a_column_of_the_comparison_is_refused(toy_data):
    data = toy_data.assign(alt_group="modelled")
    data.attrs["columns"] = {"hle_male_2011_13": {"flag_column": "alt_group"}}
    with pytest.raises(AllocsimError, match="the dataset's column 'alt_group' has the name"):
        compare(make_toy_rule(), make_toy_rule(), data)


def test_a_focus_share_that_selects_no_area_is_refused(toy_data):
    """12 areas: half an area is 0.5 / 12 = 0.0417, so 0.042 asks for one (rounded half up)."""
    with pytest.raises(AllocsimError, match=r"^--focus-share 0\.041: selects no area .* use at least 0\.042$"):
        compare(make_toy_rule(), make_toy_rule(), toy_data, focus_share=0.041)
    assert compare(make_toy_rule(), make_toy_rule(), toy_data, focus_share=0.042).summary.to_json()["focus"]["areas"] == 1


@pytest.mark.parametrize(("present", "share"), [(1, 0.5), (12, 0.042), (368, 0.0014), (500, 0.001)])
def test_minimum_focus_share_is_half_an_area_rounded_up(present, share):
    assert minimum_focus_share(present) == share
    assert focus_target(pd.Series(range(present), dtype=float), share) == 1


def test_focus_selection_counts_ties_only_at_the_cut_off():
    values = pd.Series([60.0, 55.0, 58.0, 58.0, 65.0], index=["e07", "e01", "e06", "e08", "e02"])
    assert focus_selection(values, 0.4).to_json() == {"share": 0.4, "target_areas": 2, "cutoff_value": 58.0,
                                            "tied_at_cutoff": 2, "areas": 3, "areas_without_value": 0,
                                            "end": "lowest"}
    assert focus_selection(values, 0.2).areas == focus_selection(values, 0.2).target_areas == 1


def test_the_focus_areas_may_be_the_highest_values():
    """--focus-end highest: for a column where more means more need (smoking prevalence, an IMD score)."""
    values = pd.Series([60.0, 55.0, 58.0, 58.0, 65.0, None], index=["e07", "e01", "e06", "e08", "e02", "s01"])
    assert list(focus_set(values, 0.4, "highest")) == ["e02", "e07"]  # the highest first, then inwards
    assert list(focus_set(values, 0.6, "highest")) == ["e02", "e07", "e06", "e08"]  # both tied at 58 are in
    chosen = focus_selection(values, 0.6, "highest")
    assert (chosen.target_areas, chosen.cutoff_value, chosen.tied_at_cutoff, chosen.areas) == (3, 58.0, 2, 4)
    assert chosen.describe("smoking") == ("the 4 areas with the highest smoking (60% of the areas with a value is 3; "
                                          "1 area has none; all 2 areas tied at the cut-off 58 are in)")
    assert list(focus_set(values, 0.4)) == ["e01", "e06", "e08"]  # and the lowest, as before
    assert focus_areas("hle_male_2011_13", 5, "highest") == "5 highest-HLE areas"
    assert focus_areas("smoking_prevalence", end="highest") == "areas with the highest smoking_prevalence"


def test_a_comparison_takes_its_focus_areas_from_the_end_asked_for(dataset):
    highest = compare("luf-2021-published", "health-inclusive", dataset, focus="smoking_prevalence",
                      focus_end="highest")
    values = dataset["smoking_prevalence"]
    chosen = highest.table.index[highest.table["in_focus"]]
    assert values[chosen].min() >= values.drop(chosen).max()  # every focus area smokes at least as much as any other
    assert highest.summary.to_json()["focus"]["end"] == "highest" and highest.focus_end == "highest"
    lowest = compare("luf-2021-published", "health-inclusive", dataset, focus="smoking_prevalence")
    assert not set(chosen) & set(lowest.table.index[lowest.table["in_focus"]])
    with pytest.raises(AllocsimError, match="--focus-end: must be lowest or highest, got 'top'"):
        compare("luf-2021-published", "health-inclusive", dataset, focus_end="top")


def test_the_focus_share_is_said_to_be_of_the_areas_with_a_value():
    """--focus imd2019_score said "30% of areas" of a share of the 313 English areas, 55 having no value."""
    values = pd.Series([3.0, 1.0, None, 2.0, None], index=["e1", "e2", "s1", "e3", "w1"])
    chosen = focus_selection(values, 0.34)  # of the three with a value: one
    assert (chosen.areas, chosen.areas_without_value) == (1, 2)
    assert chosen.describe("imd") == "the 1 area with the lowest imd (34% of the areas with a value; 2 areas have none)"
    assert focus_selection(values.dropna(), 0.34).describe("imd") == "the 1 area with the lowest imd (34% of areas)"


def test_rule_sources_and_alt_effective_weights_are_recorded(dataset):
    alt = load_rule("health-inclusive", ["domains.health.weight=0.4"])
    s = compare("luf-2021", alt, dataset).summary.to_json()
    assert s["base_rule_source"] == "rules/luf-2021.toml"
    assert s["alt_rule_source"] == "rules/health-inclusive.toml with --set domains.health.weight=0.4"
    assert s["alt_effective_weights"]["hle_male_2018_20"] == 0.127273  # 0.35 of the health domain, 0.4 / 1.1 of the index
    assert "alt_overrides" not in s


def test_fairness_audits_are_undefined_without_imd_and_count_the_areas_with_it(toy_data):
    rule = make_toy_rule()
    no_imd = toy_data.assign(imd2019_rank=float("nan"))
    audits = compare(rule, rule, no_imd).summary.to_json()["fairness"]
    assert [(a["areas_assessed"], a["counts"]) for a in audits] == [(0, {"base": None, "alt": None})] * 2
    some = toy_data.assign(imd2019_rank=[float(i) if i % 2 else float("nan") for i in range(len(toy_data))])
    assert compare(rule, rule, some).summary.to_json()["fairness"][0]["areas_assessed"] == len(toy_data) // 2


def test_comparison_table_and_summary(toy_data):
    base = make_toy_rule()
    alt = make_toy_rule(name="alt", indicators=[{"column": "hle_male_2011_13", "direction": "lower_is_more_need"}])
    comparison = compare(base, alt, toy_data, focus_share=0.25)
    table = comparison.table
    assert (table["rank_change"] == table["base_rank"] - table["alt_rank"]).all()
    assert (table["group_change"] == table["base_group"] - table["alt_group"]).all()
    f = comparison.summary.to_json()["focus"]
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
    s = compare(rule, rule, data).summary.to_json()
    assert s["all_areas"]["gain_priority"] == s["all_areas"]["lose_priority"] == 0
    assert s["rank_correlation"]["kendall_tau"] == 1.0
    assert s["agreement"]["exact_share"] == 1.0
    assert s["group1_overlap"]["jaccard"] == 1.0


def test_kappa_is_undefined_when_both_rules_put_every_area_in_one_group():
    from allocsim.comparison.summary import agreement

    one, other = pd.Series([1, 1, 1]), pd.Series([2, 2, 2])
    assert agreement(one, other).to_json() == {"exact_share": 0.0, "cohen_kappa": None}
    assert agreement(one, one).exact_share == 1.0


# -- the terminal and API bugs of the report-and-terminal issue -------------------------------------


def test_two_rules_with_the_same_name_are_labelled_by_their_files(dataset, tmp_path):
    """Once printed "'health-inclusive' buys more modelled health than 'health-inclusive'"."""
    from allocsim.comparison.labels import clash_warning, rule_labels

    copy = tmp_path / "health-inclusive.toml"
    copy.write_text(load_rule("health-inclusive").path.read_text().replace("weight = 0.30", "weight = 0.5"))
    ours, theirs = load_rule("health-inclusive"), load_rule(copy)
    comparison = compare(ours, theirs, dataset, budget=1e9, draws=20)
    s = comparison.summary
    assert (s.base_label, s.alt_label) == ("rules/health-inclusive.toml", str(copy))
    assert str(copy) in comparison.money.summary.buys_more_health
    assert clash_warning([ours, theirs], rule_labels([ours, theirs])).startswith(
        "warning: 2 rules are named 'health-inclusive'")
    named = compare(ours, theirs, dataset, labels=["original", "health at 50%"]).summary
    assert (named.base_label, named.alt_label) == ("original", "health at 50%")


@pytest.mark.parametrize("label", ["", "  ", "two\nlines", "a\rb"])
def test_a_label_must_be_one_line_of_text(label):
    """An empty --label or one with a line break was accepted and broke the tables' headers."""
    from allocsim.comparison.labels import rule_labels

    with pytest.raises(ParameterError, match="--label: a label must be one line of text"):
        rule_labels([load_rule("hle-only"), load_rule("health-inclusive")], ["base", label])


def test_the_focus_reaches_the_money_tables(dataset):
    """--focus hle_female_2018_20 --budget once left the money tables by male HLE 2011-13 deciles."""
    comparison = compare("luf-2021-published", "health-inclusive", dataset, focus="hle_female_2018_20",
                         budget=1e9, draws=20)
    assert comparison.money.base.health.summary.hle_column == "hle_female_2018_20"
    explicit = compare("luf-2021-published", "health-inclusive", dataset, focus="hle_female_2018_20",
                       budget=1e9, draws=20, hle_column="hle_male_2018_20")
    assert explicit.money.base.health.summary.hle_column == "hle_male_2018_20"


def test_compare_says_when_a_nation_is_ranked_without_an_indicator(dataset):
    from allocsim.text.comparison import comparison_text

    text = comparison_text(compare("luf-2021-published", "health-inclusive", dataset))
    assert ("note (health-inclusive): Scotland: journey_time_car, journey_time_pt_walk, journey_time_cycle, "
            "imd2019_score have no values there") in text


def test_group_weights_for_rules_of_different_sizes_cover_the_larger(dataset):
    """--param group weights once had to match each rule's groups exactly, so luf-2021 (3 groups) against
    crf-2021 (2) took none at all; now as many as the larger rule has serve both (the smaller uses the first)."""
    weights = ["formula.group_weights.value=[4, 2, 1]"]
    comparison = compare("luf-2021", "crf-2021", dataset, budget=1e9, draws=20, param_overrides=weights)
    for simulation, ratios in ((comparison.money.base, [4, 2, 1]), (comparison.money.alt, [4, 2])):
        allocation = simulation.allocation
        per_head = (allocation["allocation"] / allocation["population"]).groupby(allocation["group"]).mean()
        np.testing.assert_allclose(per_head / per_head.iloc[-1], np.array(ratios) / ratios[-1], rtol=1e-4)
    for listed in ("[4, 2]", "[4, 2, 1, 1]"):
        with pytest.raises(ParameterError, match=r"rules/luf-2021.toml has 3 groups; give 3 values"):
            compare("luf-2021", "crf-2021", dataset, budget=1e9, draws=20,
                    param_overrides=[f"formula.group_weights.value={listed}"])


def test_a_label_that_is_not_text_is_refused_naming_it():
    """From Python, labels=[1, 2] ended in AttributeError: 'int' object has no attribute 'strip'."""
    from allocsim.comparison.labels import rule_labels

    with pytest.raises(ParameterError, match=r"--label: must be text, got 1 \(int\)"):
        rule_labels([load_rule("hle-only"), load_rule("health-inclusive")], [1, 2])


def test_the_columns_a_focus_may_not_take_are_those_the_table_makes(dataset):
    """check_focus refuses a focus named like a column of the comparison table: its list must follow the table."""
    from allocsim.comparison.focus import TABLE_COLUMNS

    table = compare("luf-2021-published", "health-inclusive", dataset).table
    assert (table.index.name, *table.columns[:len(TABLE_COLUMNS) - 1]) == TABLE_COLUMNS
    assert table.columns[len(TABLE_COLUMNS) - 1] == "hle_male_2011_13"  # the focus, copied in after them


@pytest.mark.parametrize("column, heading", [
    ("hle_male_2011_13", "110 lowest-HLE areas"), ("hle_female_2018_20_district", "110 lowest-HLE areas"),
    ("hle_male_2018_20_r2022", "110 lowest-HLE areas"),
    ("hle_male_2011_13_district_se", "110 areas with the lowest hle_male_2011_13_district_se"),  # its error, not HLE
    ("imd2019_rank", "110 areas with the lowest imd2019_rank"),
    ("health_index_life_expectancy_2019", "110 areas with the lowest health_index_life_expectancy_2019"),
])
def test_focus_headings_say_hle_only_for_an_hle_column(column, heading):
    assert focus_areas(column, 110) == heading
    assert focus_areas(column) == heading.removeprefix("110 ")
