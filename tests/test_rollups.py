"""Geography roll-ups: read from the dataset's declarations; areas in no group are a row of their own, last."""

from __future__ import annotations

import numpy as np
import pandas as pd
from toys import rollup

import allocsim
from allocsim.money.per_head import per_head_by
from allocsim.rollups import UNASSIGNED, rollups


def test_embedded_declarations_name_the_row_of_areas_in_none(dataset):
    declared = {r.name: r for r in rollups(dataset)}
    assert declared["combined_authority"].unassigned == "Not in a combined authority"
    assert declared["health_geography"].unassigned == "No ICB or health board in the data (Scotland)"
    keys = pd.Index(["b", np.nan, "a"])
    assert declared["combined_authority"].name_unassigned(keys).tolist() == ["b", "Not in a combined authority", "a"]


def test_a_declaration_of_your_own_without_a_name_for_the_row_gets_none():
    frame = pd.DataFrame({"district": ["A", None, "B", None]}, index=["x1", "x2", "x3", "x4"])
    frame.attrs["rollups"] = [{"name": "district", "column": "district"}]
    (district,) = rollups(frame)
    assert district.unassigned == UNASSIGNED == "(none)"
    assert rollups(frame, "money") == [district]  # views default to both


def test_only_the_roll_ups_whose_column_the_frame_has(dataset):
    assert [r.name for r in rollups(dataset[["name", "country"]])] == ["nation"]
    assert [r.name for r in rollups(dataset, "health")] == ["region", "nation", "health_geography"]


def test_a_numeric_roll_up_with_gaps_adds_up_with_its_row_of_none_last(dataset):
    """A user's roll-up column of numbers with gaps: mixing 1.0 with "(none)" had made sorting the groups fail."""
    data = dataset.copy()
    data["zone"] = np.where(np.arange(len(data)) % 3 == 0, np.nan, np.arange(len(data)) % 4 + 1.0)
    data.attrs["rollups"] = [{"name": "zone", "column": "zone", "views": ["money", "health"]}]
    simulation = allocsim.simulate("health-inclusive", data, budget=4.8e9, draws=20)
    by_zone = simulation.health.breakdowns["zone"]
    assert by_zone["category"].tolist() == [1.0, 2.0, 3.0, 4.0, "(none)"]
    assert by_zone["areas"].sum() == len(data) and by_zone["allocation"].sum() == simulation.allocation["allocation"].sum()
    comparison = allocsim.compare("luf-2021-published", "health-inclusive", data, budget=4.8e9, draws=20)
    places = comparison.money.places["zone"]
    assert places["place"].tolist() == [1.0, 2.0, 3.0, 4.0, "(none)"] and places["areas"].sum() == len(data)
    per_head = per_head_by({"a": simulation.allocation}, data, rollup(data, "zone"))
    assert per_head["zone"].tolist()[-1] == "(none)" and per_head["population"].sum() == data["population_2019"].sum()


def test_the_row_of_areas_in_none_comes_last(dataset):
    comparison = allocsim.compare("luf-2021-published", "health-inclusive", dataset, budget=4.8e9, draws=20)
    assert comparison.money.places["combined_authority"]["place"].iloc[-1] == "Not in a combined authority"
    icb = comparison.money.base.health.breakdowns["health_geography"]
    assert icb["category"].iloc[-1] == "No ICB or health board in the data (Scotland)" and icb["areas"].iloc[-1] == 32
