"""Geography roll-ups: read from the dataset's declarations; areas in no group are a row of their own."""

from __future__ import annotations

import pandas as pd

from allocsim.rollups import UNASSIGNED, rollups


def test_embedded_declarations_name_the_row_of_areas_in_none(dataset):
    declared = {r.name: r for r in rollups(dataset)}
    groups = declared["combined_authority"].groups(dataset)
    assert groups.notna().all() and groups.index.equals(dataset.index)
    assert (groups == "Not in a combined authority").sum() == dataset["combined_authority"].isna().sum() == 315
    icb = declared["health_geography"].groups(dataset)
    assert set(dataset.loc[icb == "No ICB or health board in the data (Scotland)", "country"]) == {"Scotland"}
    assert declared["region"].groups(dataset).equals(dataset["region"].astype(object))  # no area in none: as it is


def test_a_declaration_of_your_own_without_a_name_for_the_row_gets_none():
    frame = pd.DataFrame({"district": ["A", None, "B", None]}, index=["x1", "x2", "x3", "x4"])
    frame.attrs["rollups"] = [{"name": "district", "column": "district"}]
    (district,) = rollups(frame)
    assert district.unassigned == UNASSIGNED == "(none)"
    assert district.groups(frame).tolist() == ["A", "(none)", "B", "(none)"]
    assert rollups(frame, "money") == [district]  # views default to both


def test_only_the_roll_ups_whose_column_the_frame_has(dataset):
    assert [r.name for r in rollups(dataset[["name", "country"]])] == ["nation"]
    assert [r.name for r in rollups(dataset, "health")] == ["region", "nation", "health_geography"]
