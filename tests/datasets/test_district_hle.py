"""The modelled district HLE in the committed dataset: benchmarked, flagged, with errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from allocsim.paths import dataset_path, metadata_path_for

COLUMNS = [f"hle_{sex}_{period}_district" for period in ("2011_13", "2018_20") for sex in ("male", "female")]


@pytest.fixture(scope="module")
def metadata():
    return json.loads(metadata_path_for(dataset_path()).read_text())


@pytest.fixture(scope="module")
def mye5(raw_dir):
    from allocsim.datasets.sources import read_mye5

    return read_mye5(raw_dir)


@pytest.mark.parametrize("column", COLUMNS)
def test_a_countys_districts_average_to_its_published_value(dataset, mye5, column):
    """Benchmarking: population-weighted (mid-year of the period's middle year) to 0.01 years."""
    year = 2012 if "2011_13" in column else 2019
    published = column.removesuffix("_district")
    modelled = dataset[dataset["hle_district_geography"] == "modelled"]
    weights = mye5.loc[modelled.index, f"population_{year}"]
    for code, group in modelled.groupby("hle_geography_code"):
        mean = np.average(group[column], weights=weights[group.index])
        assert mean == pytest.approx(group[published].iloc[0], abs=0.01), code


@pytest.mark.parametrize("column", COLUMNS)
def test_every_area_but_shire_districts_keeps_its_published_value(dataset, column):
    published = column.removesuffix("_district")
    kept = dataset[dataset["hle_district_geography"] != "modelled"]
    assert (kept[column] == kept[published]).all()
    assert dataset[column].notna().all()


def test_modelled_exactly_where_hle_is_borrowed_from_the_upper_tier_or_a_successor(dataset):
    modelled = dataset["hle_district_geography"] == "modelled"
    assert (modelled == dataset["hle_geography"].isin(["upper_tier", "successor"])).all()
    assert set(dataset.index[modelled].str[:3]) == {"E07"}
    assert dataset.loc[["E09000001", "E06000053"], "hle_district_geography"].tolist() == ["proxy", "proxy"]
    assert (dataset.loc[dataset["country"] != "England", "hle_district_geography"] == "own").all()


def test_districts_of_one_county_no_longer_tie(dataset):
    lancashire = dataset[dataset["upper_tier_code"] == "E10000017"]
    assert lancashire["hle_male_2011_13"].nunique() == 1
    assert lancashire["hle_male_2011_13_district"].nunique() == len(lancashire)
    # Burnley, the most health-deprived Lancashire district, is modelled below its county.
    assert dataset.at["E07000117", "hle_male_2011_13_district"] < dataset.at["E07000117", "hle_male_2011_13"] - 2


@pytest.mark.parametrize("column", COLUMNS)
def test_standard_errors_are_positive_and_larger_where_modelled(dataset, column):
    se = dataset[f"{column}_se"]
    assert (se > 0).all() and (se < 10).all()
    modelled = dataset["hle_district_geography"] == "modelled"
    assert se[modelled].min() > 0.5
    assert se[modelled].median() > se[~modelled].median()


@pytest.mark.parametrize("column", COLUMNS)
def test_the_model_beats_the_naive_estimate_in_leave_one_out(metadata, column):
    summary = metadata["district_hle_validation"]["columns"][column]
    for scope in ("all", "outside_london"):
        assert summary[scope]["rmse"] < summary[scope]["naive_rmse"]
        assert summary[scope]["mae"] < summary[scope]["naive_mae"]
    assert summary["all"]["areas"] == 123 and summary["outside_london"]["areas"] == 91
    rmse = summary["all"]["rmse"]
    assert f"RMSE {rmse:.2f}" in metadata["columns"][column]["derivation"]


def test_readme_states_the_leave_one_out_errors_of_the_build(metadata, repo):
    readme = (repo / "README.md").read_text(encoding="utf-8")
    for column, summary in metadata["district_hle_validation"]["columns"].items():
        every = summary["all"]
        row = f"| `{column}` | {every['rmse']:.2f} | {every['mae']:.2f} | {every['naive_rmse']:.2f} | {every['naive_mae']:.2f} |"
        assert row in readme, row
