"""Chart specs made without walking the map boundaries are the specs Altair makes."""

from __future__ import annotations

import threading
import time

import altair as alt
import pandas as pd
import pytest

from allocsim.charts.maps import boundaries_data
from allocsim.charts.spec import chart_spec, dataset_name, unchecked
from allocsim.charts.theme import styled


def topology(shift: int = 0) -> dict:
    """A small TopoJSON topology with two squares (codes A and B)."""
    return {"type": "Topology", "arcs": [[[0 + shift, 0], [1, 0], [0, 1], [-1, 0], [0, -1]],
                                         [[2 + shift, 0], [1, 0], [0, 1], [-1, 0], [0, -1]]],
            "objects": {"lad2020": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0]], "properties": {"code": "A", "name": "a"}},
                {"type": "Polygon", "arcs": [[1]], "properties": {"code": "B", "name": "b"}}]}}}


def map_of(data: alt.InlineData, title: str) -> alt.Chart:
    return alt.Chart(data).mark_geoshape().encode(color="properties.code:N").properties(title=title)


def test_a_map_spec_is_altairs_own_byte_for_byte():
    one, two = topology(), topology(5)
    chart = alt.hconcat(map_of(boundaries_data(one), "first"), map_of(boundaries_data(one), "again"),
                        alt.vconcat(map_of(boundaries_data(two), "other")))
    assert chart_spec(chart) == styled(chart).to_dict()
    spec = chart_spec(chart)
    assert set(spec["datasets"]) == {dataset_name(one), dataset_name(two)}
    assert spec["datasets"][dataset_name(one)] == one


def test_the_chart_is_left_as_it_was():
    data = boundaries_data(topology())
    chart = map_of(data, "a")
    spec = chart_spec(chart)
    assert chart.data is data
    assert spec["datasets"][dataset_name(data.values)] is data.values  # put back, not copied


def test_a_chart_without_boundaries_is_unchanged():
    chart = alt.Chart(alt.InlineData(values=[{"x": 1}])).mark_point().encode(x="x:Q")
    assert chart_spec(chart) == styled(chart).to_dict()


def test_a_chart_composed_unchecked_is_still_validated_when_its_spec_is_made():
    with unchecked():
        chart = alt.Chart(alt.InlineData(values=[{"x": 1}])).mark_point(size="big")
    with pytest.raises(Exception, match="big"):
        chart_spec(chart)


def test_a_dataframe_shared_by_layers_is_converted_once_to_altairs_own_spec():
    frame = pd.DataFrame({"x": [1.0, 2.5, None], "name": ["a", "b", "c"],
                          "when": pd.to_datetime(["2020", "2021", "2022"])})
    base = alt.Chart(frame)
    chart = alt.layer(base.mark_point().encode(x="x:Q"), base.mark_text().encode(x="x:Q", text="name:N"),
                      alt.Chart(frame.iloc[:2]).mark_bar().encode(x="x:Q"))  # layers' data not all alike: not hoisted
    converted = []
    default = alt.data_transformers.get()
    alt.data_transformers.register("counted", lambda data, **kwargs: converted.append(data) or default(data, **kwargs))
    try:
        with alt.data_transformers.enable("counted"):
            spec = chart_spec(chart)
            ours = len(converted)
            assert spec == styled(chart).to_dict()
    finally:
        alt.data_transformers.register("counted", None)
    assert (ours, len(converted) - ours) == (2, 3)  # once per DataFrame; Altair's own: once per chart using one
    assert "allocsim_converted_once" not in alt.data_transformers.names()


def test_specs_made_in_two_threads_at_once_leave_altairs_transformer_as_it_was():
    """Altair's ``enable`` restores its whole registry on leaving: interleaved, two threads once left
    a stale transformer active for good (holding every DataFrame it had converted)."""
    default = alt.data_transformers.get()

    def slow(data, **kwargs):
        time.sleep(0.05)
        return default(data, **kwargs)

    frame = pd.DataFrame({"x": range(50)})
    alt.data_transformers.register("slow", slow)
    try:
        with alt.data_transformers.enable("slow"):
            threads = [threading.Thread(target=chart_spec, args=(alt.Chart(d).mark_point().encode(x="x:Q"),))
                       for d in (frame, frame.iloc[:10])]
            for thread in threads:
                thread.start()
                time.sleep(0.01)
            for thread in threads:
                thread.join()
            assert alt.data_transformers.active == "slow"
    finally:
        alt.data_transformers.register("slow", None)
    assert "allocsim_converted_once" not in alt.data_transformers.names()


def test_the_theme_is_set_only_while_the_spec_is_made():
    own = alt.Config(font="Courier")
    chart = alt.vconcat(alt.Chart(alt.InlineData(values=[{"x": 1}])).mark_point().encode(x="x:Q"))
    chart.config = own
    assert chart_spec(chart) == styled(chart).to_dict()
    assert chart.config is own
    bare = alt.Chart(alt.InlineData(values=[{"x": 1}])).mark_point().encode(x="x:Q")
    assert chart_spec(bare)["config"]["font"] == styled(bare).to_dict()["config"]["font"] != "Courier"
    assert bare.config is alt.Undefined
