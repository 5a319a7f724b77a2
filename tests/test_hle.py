"""HLE columns known by their names; a standard error or another health measure is not one."""

from __future__ import annotations

import pytest

from allocsim.hle import hle_label, is_district_estimate, is_hle


@pytest.mark.parametrize("column, label, district", [
    ("hle_male_2011_13", "Male HLE 2011-13", False),
    ("hle_female_2018_20_district", "Female HLE 2018-20 (district, modelled)", True),
    ("hle_male_2018_20_r2022", "Male HLE 2018-20 (2022 release)", False),
])
def test_hle_columns(column, label, district):
    assert is_hle(column) and hle_label(column) == label and is_district_estimate(column) is district


@pytest.mark.parametrize("column", ["hle_male_2011_13_district_se", "health_index_life_expectancy_2019",
                                    "imd2019_rank", "hle_geography", "hle_male_2011_13x"])
def test_other_columns_are_not_hle(column):
    assert not is_hle(column) and hle_label(column) is None and not is_district_estimate(column)


def test_every_hle_column_of_the_embedded_dataset_is_known(dataset):
    described = dataset.attrs["columns"]
    hle = {c for c in dataset.columns if is_hle(c)}
    assert hle == {c for c in dataset.columns if c.startswith("hle_") and described[c].get("unit") == "years"
                   and not c.endswith("_se")}
    assert len(hle) == 12
