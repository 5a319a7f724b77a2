"""The rules added with issue 12: health-index, crf-2021 and health-inclusive-district."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import allocsim
from allocsim.engine.cut import group_sizes
from allocsim.paths import dataset_path, metadata_path_for
from allocsim.rules import load_rule
from allocsim.rules.load import check_rule_against_data

NEW = ["health-index", "crf-2021", "health-inclusive-district"]


@pytest.mark.parametrize("name", NEW)
def test_new_rules_are_sourced_described_and_fit_the_data(dataset, name):
    rule = load_rule(name)
    check_rule_against_data(rule, dataset)
    assert len(rule.sources) >= 3 and len(rule.description.split()) > 100


def test_crf_has_exactly_100_priority_places(dataset):
    rule = load_rule("crf-2021")
    assert group_sizes(368, np.array(rule.categories.shares)).tolist() == [100, 268]
    groups = allocsim.rank(rule, dataset).table["group"]
    assert groups.value_counts().to_dict() == {1: 100, 2: 268}


def test_crf_uses_the_reported_weights_and_says_they_are_not_from_the_note():
    rule = load_rule("crf-2021")
    weights = {i.column: i.weight for i in rule.indicators}
    assert weights == {"gva_per_hour": 0.30, "gdhi_per_head": 0.20, "unemployment_rate": 0.20,
                       "nvq3_plus_share": 0.20, "population_density_2019": 0.10}
    assert "the methodology note is not in allocsim's files" in " ".join(rule.description.split())
    assert "not in allocsim's files" in rule.sources[0]


def test_health_index_rule_ranks_england_only(dataset):
    table = allocsim.rank("health-index", dataset).table
    assert set(table["country"]) == {"England"} and len(table) == 314
    assert table["group"].value_counts().sort_index().tolist() == [105, 105, 104]


def test_health_inclusive_district_differs_from_health_inclusive_only_in_the_hle_columns():
    county, district = load_rule("health-inclusive"), load_rule("health-inclusive-district")
    swap = {"hle_male_2018_20": "hle_male_2018_20_district", "hle_female_2018_20": "hle_female_2018_20_district"}
    expected = [(swap.get(i.column, i.column), i.direction, i.domain, i.weight) for i in county.indicators]
    assert [(i.column, i.direction, i.domain, i.weight) for i in district.indicators] == expected
    assert {k: v.weight for k, v in county.domains.items()} == {k: v.weight for k, v in district.domains.items()}
    assert (county.normalisation, county.missing, county.categories) == \
        (district.normalisation, district.missing, district.categories)


def test_health_inclusive_district_states_the_builds_figures(dataset):
    text = " ".join(load_rule("health-inclusive-district").description.split())
    modelled = int((dataset["hle_district_geography"] == "modelled").sum())
    assert f"England's {modelled} shire districts" in text
    validation = json.loads(metadata_path_for(dataset_path()).read_text())["district_hle_validation"]["columns"]
    stated = re.search(r"about ([\d.]+)-([\d.]+) years for 2018-20, against about ([\d.]+)-([\d.]+)", text)
    low, high, naive_low, naive_high = map(float, stated.groups())
    for sex in ("male", "female"):
        every = validation[f"hle_{sex}_2018_20_district"]["all"]
        assert low - 0.05 <= every["rmse"] <= high + 0.05
        assert naive_low - 0.05 <= every["naive_rmse"] <= naive_high + 0.05


def test_a_county_and_a_district_health_criterion_can_be_compared(dataset):
    comparison = allocsim.compare("health-inclusive", "health-inclusive-district", dataset,
                                  focus="hle_male_2011_13_district")
    assert comparison.summary.focus.areas == 110  # no ties once districts have their own values


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["compare", "luf-2021-published", "health-inclusive-district", "--focus", "hle_male_2011_13_district"],
         "Comparing 'luf-2021-published' (base) with 'health-inclusive-district' (alternative) on 368 areas."),
        (["compare", "luf-2021-published", "crf-2021"],
         "Comparing 'luf-2021-published' (base) with 'crf-2021' (alternative) on 368 areas."),
        (["compare", "luf-2021-published", "health-index", "--countries", "England"],
         "Comparing 'luf-2021-published' (base) with 'health-index' (alternative) on 314 areas."),
    ],
    ids=["health-inclusive-district", "crf-2021", "health-index"],
)
def test_the_new_rules_run_from_the_command_line(run, args, first_line):
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == first_line
