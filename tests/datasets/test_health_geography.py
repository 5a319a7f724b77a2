"""ICBs, Welsh health boards, density and the roll-up declarations."""

from __future__ import annotations

import json

import pytest

from allocsim.datasets.rollups import ROLLUPS
from allocsim.paths import dataset_path, metadata_path_for


def test_twelve_districts_straddle_two_icbs_and_are_flagged(dataset):
    england = dataset[dataset["country"] == "England"]
    assert england["icb_code"].notna().all() and england["icb_code"].nunique() == 42
    straddling = england[england["icb_geography"] != "whole"]
    assert len(straddling) == 12
    assert (straddling["icb_lsoa_share"] < 100).all()
    assert (england.loc[england["icb_geography"] == "whole", "icb_lsoa_share"] == 100).all()


def test_a_straddling_district_goes_to_the_icb_holding_most_of_its_lsoas(dataset):
    # Copeland: 43 of its 49 LSOAs in North East and North Cumbria, 6 in Lancashire and South Cumbria.
    copeland = dataset.loc["E07000029"]
    assert copeland["icb_name"] == "NHS North East and North Cumbria Integrated Care Board"
    assert copeland["icb_lsoa_share"] == pytest.approx(100 * 43 / 49, abs=0.05)
    assert copeland["icb_geography"] == "majority"


def test_east_suffolk_is_the_one_tie(dataset):
    ties = dataset[dataset["icb_geography"] == "tie"]
    assert list(ties.index) == ["E07000244"] and ties["icb_lsoa_share"].item() == 50.0


def test_northamptonshire_districts_found_by_lsoa_name(dataset):
    northamptonshire = dataset.loc[[f"E0700015{i}" for i in range(7)]]
    assert (northamptonshire["icb_name"] == "NHS Northamptonshire Integrated Care Board").all()
    assert (northamptonshire["icb_geography"] == "whole").all()


def test_health_geography_roll_up_column(dataset):
    wales, scotland = dataset["country"] == "Wales", dataset["country"] == "Scotland"
    assert dataset.loc[wales, "health_board_name"].nunique() == 7
    assert (dataset.loc[wales, "icb_or_health_board"] == dataset.loc[wales, "health_board_name"]).all()
    assert dataset.loc[scotland, "icb_or_health_board"].isna().all()
    england = dataset["country"] == "England"
    assert (dataset.loc[england, "icb_or_health_board"] == dataset.loc[england, "icb_name"]).all()


def test_population_density_from_mye5_area(dataset):
    # MYE 5: Burnley 111 km2; MYE2: 88,920 residents.
    assert dataset.at["E07000117", "area_km2"] == 111
    assert dataset.at["E07000117", "population_density_2019"] == round(88_920 / 111, 1)
    assert (dataset["population_density_2019"] > 0).all()


def test_rollups_keep_the_first_two_and_add_nation_and_health_geography():
    meta = json.loads(metadata_path_for(dataset_path()).read_text())
    assert [r["name"] for r in meta["rollups"]] == ["region", "combined_authority", "nation", "health_geography"]
    assert meta["rollups"] == ROLLUPS
    assert ROLLUPS[0]["views"] == ["money", "health"] and ROLLUPS[1]["views"] == ["money"]
    for rollup in ROLLUPS[2:]:
        assert rollup["views"] == ["money", "health"]
        assert set(rollup) == {"name", "column", "title", "description", "views",
                               *(["unassigned"] if rollup["name"] == "health_geography" else [])}
    assert "Scottish" in ROLLUPS[3]["description"] and "not split" in ROLLUPS[3]["description"]
