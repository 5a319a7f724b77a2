"""The committed dataset: shape, counts, metadata and published spot values."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from allocsim.paths import dataset_path, metadata_path_for

REQUIRED = [
    "name", "country", "region", "upper_tier_code", "upper_tier_name",
    "combined_authority", "population_2019", "luf_r1_category",
    "hle_male_2011_13", "hle_female_2011_13", "hle_male_2018_20", "hle_female_2018_20",
    "hle_male_2022_24", "hle_female_2022_24", "hle_geography",
    "imd2019_rank", "imd2019_income_rank", "imd2019_employment_rank",
    "gva_per_hour", "unemployment_rate", "nvq3_plus_share",
    "journey_time_car", "journey_time_pt_walk", "journey_time_cycle",
]


def test_one_row_per_lad_2020_council(dataset):
    assert len(dataset) == 368
    assert dataset.index.is_unique
    assert dataset["country"].value_counts().to_dict() == {"England": 314, "Scotland": 32, "Wales": 22}


def test_required_columns_present(dataset):
    assert set(REQUIRED) <= set(dataset.columns)


def test_luf_categories_match_the_published_counts(dataset):
    # LUF round 1 list (March 2021): England 93/108/113, Scotland 13/12/7, Wales 17/3/2.
    counts = dataset.groupby(["country", "luf_r1_category"]).size().unstack().to_dict("index")
    assert counts == {
        "England": {1: 93, 2: 108, 3: 113},
        "Scotland": {1: 13, 2: 12, 3: 7},
        "Wales": {1: 17, 2: 3, 3: 2},
    }


def test_every_area_has_a_category_and_hle(dataset):
    hle = [c for c in dataset.columns if c.startswith("hle_") and c[-2:].isdigit()]
    assert dataset["luf_r1_category"].notna().all()
    assert dataset[hle].notna().all().all()


def test_hle_for_shire_districts_is_flagged_as_upper_tier(dataset):
    districts = dataset[dataset.index.str.startswith("E07")]
    assert set(districts["hle_geography"]) <= {"upper_tier", "successor"}
    burnley = dataset.loc["E07000117"]
    assert burnley["hle_geography"] == "upper_tier"
    assert burnley["hle_geography_code"] == "E10000017"  # Lancashire
    assert dataset.loc["E06000009", "hle_geography"] == "own"  # Blackpool


def test_gaps_are_left_empty_not_filled(dataset):
    outside_england = dataset[dataset["country"] != "England"]
    assert outside_england[["imd2019_rank", "journey_time_car"]].isna().all().all()
    assert pd.isna(dataset.loc["E06000060", "imd2019_rank"])  # Buckinghamshire, no 2019 summary


@pytest.mark.parametrize(
    ("code", "column", "value"),
    [
        # ONS MYE 2019 (PROVENANCE.md spot check): Burnley 88,920.
        ("E07000117", "population_2019", 88920),
        # IoD2019 File 10: Middlesbrough rank of average score 5, Hartlepool 10.
        ("E06000002", "imd2019_rank", 5),
        ("E06000001", "imd2019_rank", 10),
        # LUF round 1 list: Richmondshire 1, Barnsley 2, Salford 2.
        ("E07000166", "luf_r1_category", 1),
        ("E08000016", "luf_r1_category", 2),
        ("E08000006", "luf_r1_category", 2),
    ],
)
def test_published_spot_values(dataset, code, column, value):
    assert dataset.at[code, column] == value


def test_metadata_describes_every_column_fully(dataset):
    meta = json.loads(metadata_path_for(dataset_path()).read_text())
    assert list(meta["columns"]) == ["code", *dataset.columns]
    needed = {"description", "unit", "period", "geography", "source", "publisher", "licence", "derivation"}
    for column, entry in meta["columns"].items():
        missing = needed - {k for k, v in entry.items() if v}
        assert not missing, f"{column} lacks {missing}"


def test_metadata_reaches_the_loaded_frame(dataset):
    assert dataset.attrs["columns"]["hle_male_2011_13"]["unit"] == "years"


@pytest.fixture(scope="module")
def metadata():
    return json.loads(metadata_path_for(dataset_path()).read_text())["columns"]


def _indicators():
    from allocsim.datasets.catalogue import INDICATORS

    return INDICATORS


@pytest.mark.parametrize("indicator", _indicators(), ids=lambda i: i.name)
def test_derivation_says_flagged_exactly_where_a_flag_column_flags_values(dataset, metadata, indicator):
    """A derivation says its borrowed values are flagged, with "(flagged)" or by pointing to the
    flag column ("see hle_geography"), if and only if the data flags some value as not the area's
    own; "no flag column" only where there is none."""
    derivation = metadata[indicator.name]["derivation"]
    flags = dataset.get(indicator.flag_column)
    borrowed = flags is not None and (flags.dropna() != "own").any()
    says_flagged = "(flagged)" in derivation or f"see {indicator.flag_column}" in derivation
    assert says_flagged == borrowed, (f"{indicator.name}: the derivation {'says' if says_flagged else 'does not say'} "
                                      f"values are flagged; the data {'flags' if borrowed else 'flags no'} values")
    if "no flag column" in derivation:
        assert flags is None


@pytest.mark.parametrize("indicator", _indicators(), ids=lambda i: i.name)
def test_geography_says_england_only_exactly_when_the_data_is(dataset, metadata, indicator):
    outside_england = dataset.loc[dataset["country"] != "England", indicator.name].notna().any()
    assert ("(England only)" in metadata[indicator.name]["geography"]) == (not outside_england)


def test_journey_time_derivation_names_exactly_the_empty_english_areas(dataset, metadata):
    derivation = metadata["journey_time_car"]["derivation"]
    listed = derivation.split("mergers in 2019 (")[1].split(")")[0].split("; ")
    england = dataset[dataset["country"] == "England"]
    assert sorted(listed) == sorted(england.loc[england["journey_time_car"].isna(), "name"])
    assert "The five areas" in derivation and len(listed) == 5


def test_unemployment_derivation_counts_its_gaps(dataset, metadata):
    empty = dataset[dataset["unemployment_rate"].isna()]
    assert "26 areas, all in England" in metadata["unemployment_rate"]["derivation"]
    assert len(empty) == 26 and set(empty["country"]) == {"England"}
    assert {"City of London", "Isles of Scilly"} <= set(empty["name"])


def test_overweight_column_is_described_as_overweight_or_obese(dataset, metadata):
    entry = metadata["adult_overweight_or_obese_prevalence"]
    assert "overweight or obese" in entry["description"]
    assert 60 < dataset["adult_overweight_or_obese_prevalence"].mean() < 68  # not obesity alone (~25%)
