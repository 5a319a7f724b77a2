"""The Health Index columns: published values by district, Northamptonshire and the proxies."""

from __future__ import annotations

import pytest

NORTH_NORTHAMPTONSHIRE = ["E07000150", "E07000152", "E07000153", "E07000156"]  # Corby, East Northants, Kettering, Wellingborough
WEST_NORTHAMPTONSHIRE = ["E07000151", "E07000154", "E07000155"]  # Daventry, Northampton, South Northants


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        # england_health_index.csv, E06000061 (North Northamptonshire), 2019 and 2021.
        (NORTH_NORTHAMPTONSHIRE, {"health_index_2019": 99.8, "health_index_people_2019": 95.8,
                                  "health_index_lives_2019": 101.3, "health_index_places_2019": 102.5,
                                  "health_index_2021": 99.2, "health_index_people_2021": 91.8,
                                  "health_index_avoidable_mortality_2019": 235.1,
                                  "health_index_life_expectancy_2019": 80.925}),
        # E06000062 (West Northamptonshire).
        (WEST_NORTHAMPTONSHIRE, {"health_index_2019": 102.0, "health_index_people_2019": 102.6,
                                 "health_index_2021": 100.0, "health_index_places_2021": 102.2,
                                 "health_index_avoidable_mortality_2019": 225.8}),
    ],
    ids=["north", "west"],
)
def test_northamptonshire_districts_take_their_successor_values_flagged(dataset, codes, expected):
    for code in codes:
        for column, value in expected.items():
            assert dataset.at[code, column] == value, (code, column)
        assert dataset.at[code, "health_index_geography"] == "successor"


def test_burnley_matches_the_provenance_spot_check(dataset):
    # PROVENANCE.md: Burnley overall 86.2 (2019), 85.4 (2021); life expectancy 78.4 years,
    # all-cause mortality 1,144 and avoidable mortality 336.2 per 100,000 (2019).
    burnley = dataset.loc["E07000117"]
    assert (burnley["health_index_2019"], burnley["health_index_2021"]) == (86.2, 85.4)
    assert round(burnley["health_index_life_expectancy_2019"], 1) == 78.4
    assert burnley["health_index_all_cause_mortality_2019"] == 1144.0
    assert burnley["health_index_avoidable_mortality_2019"] == 336.2
    assert burnley["health_index_geography"] == "own"


def test_city_of_london_and_scilly_are_proxies(dataset):
    assert dataset.at["E09000001", "health_index_2019"] == dataset.at["E09000012", "health_index_2019"]
    assert dataset.at["E06000053", "health_index_2021"] == dataset.at["E06000052", "health_index_2021"]
    assert dataset.loc[["E09000001", "E06000053"], "health_index_geography"].tolist() == ["proxy", "proxy"]


def test_every_english_area_has_a_health_index_and_no_other_does(dataset):
    england = dataset["country"] == "England"
    assert dataset.loc[england, "health_index_2019"].notna().all()
    assert dataset.loc[~england, "health_index_2019"].isna().all()
