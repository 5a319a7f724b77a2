"""Loading and validating a user's own dataset file."""

from __future__ import annotations

import pytest

import allocsim
from allocsim.datasets import validate_file
from allocsim.errors import DataError

GOOD = "code,name,population_2019,hle_male_2011_13,unemployment_rate\nA1,Alpha,1000,60.5,4.2\nB2,Beta,2000,58.1,6.0\n"


def test_loads_a_valid_user_file(write_csv):
    frame = allocsim.load_dataset(write_csv(GOOD))
    assert list(frame.index) == ["A1", "B2"]
    assert frame["hle_male_2011_13"].dtype == float
    assert frame.attrs["columns"]["hle_male_2011_13"]["unit"] == "years"


def test_lists_every_problem_with_line_and_column(write_csv):
    text = ("code,name,population_2019,hle_male_2011_13,unemployment_rate,my_score\n"
            "A1,Alpha,0,95,4.2,1\nA1,Beta,2000,58.1,140,x\nC3,Gamma,3000,60,5,2\n"
            "D4,Delta,4000,61,5,3\nE5,Eps,5000,62,5,4\n")
    problems = [str(p) for p in validate_file(write_csv(text))]
    assert problems == [
        "line 2, column 'hle_male_2011_13': 95 is outside 40-90 years (healthy life expectancy)",
        "line 2, column 'population_2019': 0 is outside the positive numbers (population)",
        "line 3, column 'code': duplicate code 'A1' (first on line 2)",
        "line 3, column 'my_score': 'x' is not a number",
        "line 3, column 'unemployment_rate': 140 is outside 0-100 %",
    ]


def test_refuses_an_invalid_file_naming_the_first_problem(write_csv):
    path = write_csv("code,name,gva_per_hour\nA1,Alpha,abc\nB2,Beta,def\n")
    with pytest.raises(DataError) as caught:
        allocsim.load_dataset(path)
    assert str(caught.value) == (
        f"{path}: line 2, column 'gva_per_hour': 'abc' is not a number "
        f"(and 1 more; run 'allocsim data validate {path}')"
    )


def test_missing_name_column(write_csv):
    problems = [str(p) for p in validate_file(write_csv("code,x\nA,1\n"))]
    assert problems == ["column 'name': required column is missing"]
