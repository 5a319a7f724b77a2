"""Searching for the smallest domain weight that meets a target."""

from __future__ import annotations

import numpy as np
import pytest

from allocsim import rank
from allocsim.comparison import compare
from allocsim.comparison.focus import focus_set
from allocsim.errors import AllocsimError, ParameterError
from allocsim.rules.load import load_rule
from allocsim.text.robustness import search_text
from allocsim.weight_search import FRONTIER_COLUMNS, Target, parse_target, rule_at, search


@pytest.fixture(scope="module")
def found(dataset):
    return search("health-inclusive", dataset, "health", "focus_in_group1_share>=0.7")


@pytest.mark.parametrize(("text", "target"), [
    ("focus_in_group1_share>=0.8", Target("focus_in_group1_share", ">=", 0.8)),
    (" kendall_tau < 0.95 ", Target("kendall_tau", "<", 0.95)),
    ("focus_in_group1>60", Target("focus_in_group1", ">", 60.0)),
    ("focus_in_group1_share<=1e-1", Target("focus_in_group1_share", "<=", 0.1)),
])
def test_parse_target(text, target):
    assert parse_target(text) == target


@pytest.mark.parametrize(("text", "message"), [
    ("focus_in_group1_share", "--target: expected METRIC OP NUMBER, e.g. 'focus_in_group1_share>=0.8', "
                              "got 'focus_in_group1_share'"),
    (">=0.8", "--target: expected METRIC OP NUMBER"),
    ("coverage>=0.8", "--target: unknown metric 'coverage' (use focus_in_group1_share, focus_in_group1, "
                      "kendall_tau)"),
    ("kendall_tau=>0.8", "--target: unknown operator '=>' (use >=, >, <=, <)"),
    ("kendall_tau!=0.8", "--target: unknown operator '!='"),
    ("kendall_tau>=high", "--target: 'high' is not a number"),
    ("kendall_tau>=__import__('os')", "--target: '__import__('os')' is not a number"),
    ("kendall_tau>=nan", "--target: 'nan' is not a finite number"),
    ("focus_in_group1_share>=1.5", "--target focus_in_group1_share>=1.5: focus_in_group1_share lies from 0 to 1, "
                                   "so 1.5 is out of range"),
    ("focus_in_group1_share<=-0.1", "--target focus_in_group1_share<=-0.1: focus_in_group1_share lies from 0 to 1, "
                                    "so -0.1 is out of range"),
    ("focus_in_group1_share>1", "--target focus_in_group1_share>1: focus_in_group1_share lies from 0 to 1, "
                                "so it can never be > 1"),
    ("kendall_tau>=1.2", "--target kendall_tau>=1.2: kendall_tau lies from -1 to 1, so 1.2 is out of range"),
    ("kendall_tau<-1", "--target kendall_tau<-1: kendall_tau lies from -1 to 1, so it can never be < -1"),
    ("focus_in_group1>=-1", "--target focus_in_group1>=-1: focus_in_group1 is 0 or more, so -1 is out of range"),
])
def test_bad_targets(text, message):
    with pytest.raises(ParameterError) as error:
        parse_target(text)
    assert str(error.value).startswith(message)


def test_smallest_weight_meeting_the_target(found, dataset):
    assert found.rule_weight == pytest.approx(0.3)
    assert found.target.met(found.at_weight["focus_in_group1_share"])
    frontier = found.frontier
    assert list(frontier.columns) == FRONTIER_COLUMNS
    below = frontier[frontier["weight"] < found.weight]
    assert not below["meets_target"].any() and len(below) > 0
    # the engine agrees at the weight found, and a step below it misses
    variant = rank(rule_at(found.rule, "health", found.weight), dataset)
    just_below = rank(rule_at(found.rule, "health", found.weight - 0.0001), dataset)
    focus = focus_set(dataset["hle_male_2011_13"], 0.3)
    assert (variant.table.loc[focus, "group"] == 1).mean() >= 0.7
    assert (just_below.table.loc[focus, "group"] == 1).mean() < 0.7
    assert found.variant.domains["health"].weight == pytest.approx(found.weight)


def test_frontier_matches_the_engine_and_compare(found, dataset):
    """At the rule's own weight the frontier reproduces compare(); elsewhere allocsim.rank()."""
    row = found.frontier.set_index("weight").loc[0.3]
    own = compare("health-inclusive", "health-inclusive", dataset).summary.to_json()["focus"]
    assert row["focus_in_group1"] == own["in_group1_alt"] and row["kendall_tau"] == 1.0
    for share in (0.0, 0.55, 1.0):
        groups = rank(rule_at(found.rule, "health", share), dataset).table["group"]
        focus = focus_set(dataset["hle_male_2011_13"], 0.3)
        assert found.frontier.set_index("weight").loc[share, "focus_in_group1"] == (groups[focus] == 1).sum()


def test_a_focus_share_selecting_no_area_is_refused_for_that_reason(dataset):
    with pytest.raises(AllocsimError) as error:
        search("health-inclusive", dataset, "health", "focus_in_group1_share>=0.5", focus_share=0.001)
    assert str(error.value) == ("--focus-share 0.001: selects no area (the lowest 0.001 of the 368 areas with "
                                "hle_male_2011_13 rounds to none); use at least 0.0014")


def test_the_focus_line_states_the_share_and_names_ties_only_when_they_added_areas(found, dataset):
    """30% of 368 is 110, and 9 more areas tied at 62.1 are in; 0.4% is one area, with no tie."""
    assert found.focus_selection == compare("health-inclusive", "health-inclusive", dataset).summary.focus.selection
    assert search_text(found).splitlines()[1] == (
        "Focus: the 119 areas with the lowest hle_male_2011_13 (30% of areas is 110; all 12 areas tied at the "
        "cut-off 62.1 are in).")
    small = search("health-inclusive", dataset, "health", "focus_in_group1_share>=0.5", focus_share=0.004)
    assert search_text(small).splitlines()[1] == "Focus: the 1 area with the lowest hle_male_2011_13 (0.4% of areas)."


def test_other_domains_keep_their_relative_weights():
    rule = rule_at(load_rule("health-inclusive"), "health", 0.5)
    shares = {name: d.weight for name, d in rule.domains.items()}
    assert shares["health"] == pytest.approx(0.5)
    assert shares["economy"] / shares["transport"] == pytest.approx(2)
    assert sum(shares.values()) == pytest.approx(1)
    weights = rule.effective_weights()
    assert weights["hle_male_2018_20"] == pytest.approx(0.5 * 0.35)


@pytest.mark.parametrize("target", ["focus_in_group1_share>=0.8", "kendall_tau<-0.5"])
def test_unreachable_target_is_a_result_with_the_closest_weight(target, dataset):
    """Not met is an answer, not an error: the whole frontier, and the smallest weight coming closest."""
    result = search("health-inclusive", dataset, "health", target)
    frontier, metric = result.frontier, result.target.metric
    assert not result.met and not frontier["meets_target"].any()
    assert list(frontier.columns) == FRONTIER_COLUMNS and len(frontier) == 201
    best = frontier[metric].max() if ">" in target else frontier[metric].min()
    assert result.at_weight[metric] == best
    assert result.weight == frontier.loc[frontier[metric] == best, "weight"].min()
    assert result.variant.domains["health"].weight == pytest.approx(result.weight)


def test_a_count_target_above_the_focus_areas_is_refused(dataset):
    with pytest.raises(ParameterError) as error:
        search("health-inclusive", dataset, "health", "focus_in_group1>=500")
    areas = len(focus_set(dataset["hle_male_2011_13"], 0.3))
    assert str(error.value) == (f"--target focus_in_group1>=500: focus_in_group1 lies from 0 to {areas} "
                                f"(the number of focus areas), so 500 is out of range")


@pytest.mark.parametrize(("rule", "vary", "message"), [
    ("health-inclusive", "wealth", "--vary: unknown domain 'wealth' (rule 'health-inclusive' has economy, "
                                   "transport, regeneration, health)"),
    ("hle-only", "health", "--vary: rule 'hle-only' has no domains to vary"),
    ("luf-2021-published", "health", "--vary: rule 'luf-2021-published' has no domains to vary"),
])
def test_bad_domains(rule, vary, message, dataset):
    with pytest.raises(ParameterError) as error:
        search(rule, dataset, vary, "kendall_tau>=0.9")
    assert str(error.value) == message


def test_weight_zero_when_the_target_already_holds(dataset):
    result = search("luf-2021", dataset, "transport", "kendall_tau>=0.5")
    assert result.weight == 0.0 and np.isclose(result.rule_weight, 0.25)


def test_the_focus_areas_may_be_the_highest_values(dataset):
    """--focus-end highest reaches the areas the search counts, not only the words that describe them."""
    found = search("health-inclusive", dataset, "health", "focus_in_group1_share>=0.5", focus="smoking_prevalence",
                   focus_end="highest")
    focus = focus_set(dataset["smoking_prevalence"], 0.3, "highest")
    groups = rank(found.variant, dataset).table["group"]
    assert found.at_weight.focus_in_group1 == int((groups[focus] == 1).sum())
    assert found.focus_selection.end == "highest" and found.focus_selection.areas == len(focus)
    lowest = search("health-inclusive", dataset, "health", "focus_in_group1_share>=0.5", focus="smoking_prevalence")
    assert lowest.focus_selection.end == "lowest" and lowest.frontier["focus_in_group1"].tolist() != \
        found.frontier["focus_in_group1"].tolist()


def test_a_weight_leaving_areas_without_a_weighted_indicator_is_not_tried(dataset):
    """Transport at weight 1 leaves Scotland, Wales and five English areas with no indicator with weight: the
    kernel would have scored them 0 (and the frontier's last row had shown it); the engine refuses that rule."""
    result = search("health-inclusive", dataset, "transport", "focus_in_group1_share>=0.9")
    assert result.left_out == (1.0,)
    assert result.frontier["weight"].max() == 0.995 and len(result.frontier) == 200
    assert ("Not tried: weight 1 on 'transport', at which some areas would have no indicator with weight, and no "
            "score.") in search_text(result)
    assert search("health-inclusive", dataset, "health", "kendall_tau>=0.5").left_out == ()


def test_with_weight_0_left_out_the_search_still_refines_from_0(dataset):
    """luf-2021 with no economy leaves Scotland and Wales nothing: the first share tried is 0.005, and a target met
    there is refined from 0 (it had been returned unrefined)."""
    result = search("luf-2021", dataset, "economy", "kendall_tau<=0.9")
    assert result.left_out == (0.0,) and result.frontier["weight"].min() == 0.0001
    assert result.weight == 0.0001 and result.met
