"""The fairness audits, by hand on a small table, and on the embedded data."""

from __future__ import annotations

import pandas as pd
import pytest

import allocsim
from allocsim.comparison.fairness import audit, check_hle_measure
from allocsim.errors import ParameterError


def toy() -> pd.DataFrame:
    """Six English areas: IMD ranks 1..6 (1 = most deprived); HLE; equal populations (average HLE 60)."""
    return pd.DataFrame({"imd2019_rank": [1, 2, 3, 4, 5, 6], "hle_male_2011_13": [55, 58, 65, 59, 62, 61],
                         "population_2019": [100] * 6}, index=pd.Index([f"E{i}" for i in range(6)], name="code"))


def test_both_audits_by_hand():
    groups = {"rule": pd.Series([3, 1, 3, 2, 1, 1], index=toy().index)}
    prosperous, unhealthy = audit(groups, toy())
    # less deprived half: ranks 4, 5, 6 (above the median 3.5); in group 1: E4 and E5
    assert prosperous.codes["rule"] == ["E4", "E5"] and prosperous.counts["rule"] == 2
    # more deprived half: ranks 1-3; below the average HLE 60: E0 (55) and E1 (58); in the lowest group: E0
    assert unhealthy.codes["rule"] == ["E0"] and unhealthy.hle_column == "hle_male_2011_13"
    assert "Health Foundation" in unhealthy.source and "press" in prosperous.source


def test_the_audits_need_imd_and_say_so():
    data = toy().drop(columns="imd2019_rank")
    results = audit({"rule": pd.Series([1] * 6, index=data.index)}, data)
    assert all(r.areas_assessed == 0 and r.counts["rule"] is None for r in results)


def test_the_hle_measure_is_checked(dataset):
    with pytest.raises(ParameterError, match="--fairness-hle: column 'region' does not hold healthy life"):
        check_hle_measure(dataset, "region")


def test_health_inclusive_takes_deprived_unhealthy_areas_out_of_the_lowest_group(dataset):
    summary = allocsim.compare("luf-2021-published", "health-inclusive", dataset).summary
    unhealthy = {a.name: a for a in summary.fairness}["deprived_unhealthy_in_lowest_group"]
    assert unhealthy.counts["alt"] < unhealthy.counts["base"]
    district = allocsim.compare("luf-2021-published", "health-inclusive", dataset,
                                fairness_hle="hle_male_2011_13_district").summary
    assert {a.name: a for a in district.fairness}["deprived_unhealthy_in_lowest_group"].hle_column.endswith("_district")
