"""Loading and validating a user's own dataset file."""

from __future__ import annotations

import pytest

import allocsim
from allocsim.datasets import display_path, load, validate_file
from allocsim.datasets.describe import has_own_metadata
from allocsim.errors import DataError
from allocsim.paths import dataset_path, metadata_path_for

GOOD = ("code,name,country,population_2019,hle_male_2011_13,unemployment_rate\n"
        "A1,Alpha,England,1000,60.5,4.2\nB2,Beta,Wales,2000,58.1,6.0\n")


def test_loads_a_valid_user_file(write_csv):
    frame = allocsim.load_dataset(write_csv(GOOD))
    assert list(frame.index) == ["A1", "B2"]
    assert frame["hle_male_2011_13"].dtype == float
    assert frame.attrs["columns"]["hle_male_2011_13"]["unit"] == "years"
    assert not has_own_metadata(frame)  # checked with the embedded metadata, not its own
    assert frame.attrs["metadata"] == str(metadata_path_for(dataset_path()))


def test_a_user_file_with_its_own_metadata_uses_it(write_csv):
    path = write_csv(GOOD)
    path.with_suffix(".meta.json").write_text('{"columns": {"hle_male_2011_13": {"unit": "years", "period": "p"}}}')
    frame = allocsim.load_dataset(path)
    assert has_own_metadata(frame) and frame.attrs["metadata"] == str(metadata_path_for(path))
    assert frame.attrs["columns"] == {"hle_male_2011_13": {"unit": "years", "period": "p"}}


def test_the_embedded_dataset_has_its_own_metadata(dataset):
    assert has_own_metadata(dataset)


def test_the_metadata_file_is_looked_for_once_per_load(write_csv, monkeypatch):
    calls = []
    real = load.metadata_file_for
    monkeypatch.setattr(load, "metadata_file_for", lambda path=None: calls.append(path) or real(path))
    allocsim.load_dataset(write_csv(GOOD))
    assert len(calls) == 1


def test_display_path_names_the_embedded_dataset_by_its_folder(tmp_path):
    assert display_path(dataset_path()) == "datasets/gb_local_authorities_2020.csv"
    assert display_path(str(dataset_path())) == "datasets/gb_local_authorities_2020.csv"
    assert display_path(tmp_path / "areas.csv") == str(tmp_path / "areas.csv")
    assert display_path("areas.csv") == "areas.csv"
    assert display_path(None) is None


def test_lists_every_problem_with_line_and_column(write_csv):
    text = ("code,name,country,population_2019,hle_male_2011_13,unemployment_rate,my_score\n"
            "A1,Alpha,England,0,95,4.2,1\nA1,Beta,England,2000,58.1,140,x\nC3,Gamma,England,3000,60,5,2\n"
            "D4,Delta,England,4000,61,5,3\nE5,Eps,England,5000,62,5,4\n")
    found = validate_file(write_csv(text))
    assert all(type(p.line) is int for p in found)  # a plain int, as the type says (JSON writes it)
    problems = [str(p) for p in found]
    assert problems == [
        "line 2, column 'hle_male_2011_13': 95 is outside 40-90 years (healthy life expectancy)",
        "line 2, column 'population_2019': 0 is outside a population's range (1 or more people)",
        "line 3, column 'code': duplicate code 'A1' (first on line 2)",
        "line 3, column 'my_score': 'x' is not a number",
        "line 3, column 'unemployment_rate': 140 is outside 0-100 %",
    ]


def test_refuses_an_invalid_file_naming_the_first_problem(write_csv):
    path = write_csv("code,name,country,gva_per_hour\nA1,Alpha,England,abc\nB2,Beta,England,def\n")
    with pytest.raises(DataError) as caught:
        allocsim.load_dataset(path)
    assert str(caught.value) == (
        f"{path}: line 2, column 'gva_per_hour': 'abc' is not a number "
        f"(and 1 more; run 'allocsim data validate {path}')"
    )


def test_missing_name_column(write_csv):
    problems = [str(p) for p in validate_file(write_csv("code,x\nA,1\n"))]
    assert problems == [
        "column 'name': required column is missing",
        "column 'country': required column is missing (each area's country: England, Scotland or Wales)",
    ]


def test_missing_country_column_is_a_problem_not_a_crash(write_csv):
    path = write_csv("code,name,hle_male_2018_20,hle_female_2018_20\nA1,Alpha,60,61\nA2,Beta,58,62\n")
    with pytest.raises(DataError) as caught:
        allocsim.load_dataset(path)
    assert str(caught.value) == (f"{path}: column 'country': required column is missing "
                                 "(each area's country: England, Scotland or Wales)")


def test_blank_and_unknown_countries_are_named_by_line(write_csv):
    text = "code,name,country\nA1,Alpha,England\nB2,Beta,\nC3,Gamma,France\nD4,Delta,england\nE5,Eps,Wales\n"
    assert [str(p) for p in validate_file(write_csv(text))] == [
        "line 3, column 'country': empty country; use England, Scotland or Wales",
        "line 4, column 'country': 'France' is not a country of the dataset; use England, Scotland or Wales",
        "line 5, column 'country': 'england' is not a country of the dataset; use England, Scotland or Wales",
    ]


def test_an_embedded_copy_with_one_blank_country_is_refused(dataset, tmp_path):
    # Before: the area silently dropped out of every ranking (367 areas ranked).
    data = dataset.reset_index()
    data.loc[5, "country"] = ""
    path = tmp_path / "areas.csv"
    data.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"line 7, column 'country': empty country"):
        allocsim.load_dataset(path)


def test_the_new_columns_are_optional_and_checked_when_present(write_csv):
    """A user's file may lack every column added in issue 12, or carry them, checked by their metadata."""
    assert validate_file(write_csv(GOOD)) == []
    text = ("code,name,country,hle_male_2011_13_district,hle_male_2011_13_district_se,hle_district_geography,"
            "luf_r1_award_gbp,luf_r1_bids,icb_name,icb_lsoa_share,population_density_2019,health_index_people_2019\n"
            "A1,Alpha,England,58.2,1.47,modelled,19900000.00,1,NHS Somewhere ICB,87.8,801.1,86.6\n"
            "B2,Beta,Wales,61.0,1.2,own,0,0,,,140.2,\n")
    path = write_csv(text)
    assert validate_file(path) == []
    frame = allocsim.load_dataset(path)
    assert str(frame["luf_r1_bids"].dtype) == "Int64"
    assert frame.at["A1", "hle_male_2011_13_district_se"] == 1.47  # a standard error, not an HLE


def test_the_new_columns_are_range_checked(write_csv):
    text = ("code,name,country,hle_male_2011_13_district,hle_male_2011_13_district_se,luf_r1_award_gbp,"
            "icb_lsoa_share,health_index_2019\n"
            "A1,Alpha,England,30,-1,-5,140,250\n")
    assert [str(p) for p in validate_file(write_csv(text))] == [
        "line 2, column 'health_index_2019': 250 is outside 0-200 index score (England 2015 = 100)",
        "line 2, column 'hle_male_2011_13_district': 30 is outside 40-90 years (healthy life expectancy)",
        "line 2, column 'hle_male_2011_13_district_se': -1 is outside 0-50 years",
        "line 2, column 'icb_lsoa_share': 140 is outside 0-100 %",
        "line 2, column 'luf_r1_award_gbp': -5 is outside 0-4.8e+09 GBP",
    ]


def test_a_file_with_carriage_return_line_endings_is_read(write_csv):
    """Lines ending in a lone carriage return (old Mac spreadsheets) are lines, as CRLF ones are."""
    frame = allocsim.load_dataset(write_csv(GOOD.replace("\n", "\r")))
    assert list(frame.index) == ["A1", "B2"] and frame.loc["B2", "name"] == "Beta"


def test_a_carriage_return_inside_an_unquoted_field_is_named_by_line(write_csv):
    path = write_csv(GOOD.replace("Beta", "Be\rta"))
    with pytest.raises(DataError) as caught:
        validate_file(path)
    assert str(caught.value) == (f"{path}: line 3: a carriage return (\\r) inside a field that is not quoted; "
                                 "remove it or quote the field")


def test_a_field_too_long_to_read_is_named_by_line(write_csv):
    path = write_csv(GOOD.replace("Alpha", "A" * 200_000))
    with pytest.raises(DataError) as caught:
        allocsim.load_dataset(path)
    assert str(caught.value) == f"{path}: line 2: a field is longer than 131,072 characters"


def test_an_empty_name_is_a_problem_named_by_line(write_csv):
    """Areas are found by name as well as code, and every output names them."""
    path = write_csv(GOOD.replace("Beta", " "))
    assert [str(p) for p in validate_file(path)] == ["line 3, column 'name': empty name"]


def test_density_takes_its_metadata_range_categories_are_whole_and_infinity_is_one_problem(write_csv, dataset):
    """An audit's cases: a density of 50,000 passed as a 'population'; category 1.5 passed validation and failed
    every rule; 'inf' was reported twice (not finite, and out of range)."""
    frame = dataset.reset_index().head(6).astype(object)
    frame.loc[0, "population_density_2019"] = 50000
    frame.loc[1, "luf_r1_category"] = 1.5
    frame.loc[2, "hle_male_2011_13"] = "inf"
    path = write_csv(frame.to_csv(index=False))
    problems = [str(p) for p in validate_file(path)]
    assert problems == [
        "line 2, column 'population_density_2019': 50000 is outside 0-30000 persons per km2",
        "line 3, column 'luf_r1_category': 1.5 is not a whole category (1, 2 or 3)",
        "line 4, column 'hle_male_2011_13': 'inf' is not a finite number",
    ]
