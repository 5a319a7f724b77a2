"""Every column added in issue 12 is fully described; every health column says its direction."""

from __future__ import annotations

import json

import pytest

from allocsim.paths import dataset_path, metadata_path_for

FIRST_NEW = "health_index_2019"
HEALTH_PREFIXES = ("hle_", "health_index")
HEALTH_COLUMNS = {"inactive_long_term_sick_share", "smoking_prevalence", "adult_overweight_or_obese_prevalence",
                  "life_satisfaction", "cvd_mortality_u75_preventable", "imd2019_health_score"}
DIRECTIONS = {"higher is healthier", "higher is worse"}


@pytest.fixture(scope="module")
def columns():
    return json.loads(metadata_path_for(dataset_path()).read_text())["columns"]


def _new(columns) -> list[str]:
    names = list(columns)
    return names[names.index(FIRST_NEW):]


def test_new_columns_come_after_the_existing_ones(columns):
    assert len(_new(columns)) == 37
    assert list(columns)[:46][-1] == "cvd_mortality_u75_preventable"


def test_every_new_column_has_complete_metadata(columns):
    needed = {"description", "unit", "period", "geography", "source", "publisher", "licence",
              "derivation", "raw_file", "source_url"}
    for name in _new(columns):
        missing = needed - {k for k, v in columns[name].items() if v}
        assert not missing, f"{name} lacks {missing}"


def _is_health_value(name: str, entry: dict) -> bool:
    if entry["unit"] == "flag" or name.endswith("_se") or name.endswith("_geography_code"):
        return False
    return name.startswith(HEALTH_PREFIXES) or name in HEALTH_COLUMNS


def test_every_health_column_states_its_direction(columns):
    health = [n for n, e in columns.items() if _is_health_value(n, e)]
    assert len(health) == 29  # 8 HLE, 4 district HLE, 11 Health Index, 6 others
    for name in health:
        assert columns[name].get("direction") in DIRECTIONS, name
    assert columns["health_index_avoidable_mortality_2019"]["direction"] == "higher is worse"
    assert columns["hle_male_2011_13_district"]["direction"] == "higher is healthier"


def test_money_columns_state_their_price_base(columns):
    for name in ("luf_r1_award_gbp", "luf_r2_award_gbp"):
        assert columns[name]["price_base"].startswith("cash: nominal pounds")


def test_columns_with_values_not_their_own_point_to_their_flag(columns):
    pointers = {"health_index_2019": "health_index_geography", "hle_male_2018_20_district": "hle_district_geography",
                "luf_r2_award_gbp": "luf_r2_award_attribution"}
    for name, flag in pointers.items():
        assert f"see {flag}" in columns[name]["derivation"]
        assert columns[flag]["unit"] == "flag"


def test_flag_column_names_the_flag_of_every_column_with_values_not_its_own(columns, dataset):
    """Machine-readable: a reader can show the flag beside a value without parsing derivations."""
    flagged = {n: e["flag_column"] for n, e in columns.items() if "flag_column" in e}
    assert flagged["hle_male_2011_13"] == "hle_geography"
    assert flagged["hle_female_2018_20_district"] == "hle_district_geography"
    assert flagged["health_index_people_2019"] == "health_index_geography"
    assert flagged["luf_r2_award_gbp"] == "luf_r2_award_attribution" and flagged["icb_name"] == "icb_geography"
    for flag in flagged.values():
        assert columns[flag]["unit"] == "flag" and flag in dataset.columns
    for name, entry in columns.items():
        if name.endswith("_geography") and entry["unit"] == "flag" and name != "icb_geography":
            assert name in flagged.values(), f"no column points to {name}"
