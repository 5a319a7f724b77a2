"""Maps of priority groups on the LAD 2020 boundaries (given as TopoJSON; no file is read here)."""

from __future__ import annotations

import altair as alt
import pandas as pd
from altair.utils.schemapi import SchemaBase

from allocsim.charts.theme import DATA_NOTE, group_scale, n_groups, rule_labels, title
from allocsim.comparison import Comparison

BOUNDARIES_FEATURE = "lad2020"
# Altair deep-copies every subchart, inline data included, when it composes or themes charts, and
# the boundaries are hundreds of thousands of values: charts are composed on this stand-in and
# :func:`attach_boundaries` puts the real topology in place at the end (the same spec, in a
# fraction of the time).
STAND_IN_KEY = "allocsim_boundaries_stand_in"


def boundaries_data(topology: dict) -> alt.InlineData:
    """LAD 2020 boundaries (TopoJSON with object ``lad2020``, properties ``code`` and ``name``, as
    :func:`allocsim.datasets.load_boundaries` gives them) as inline chart data."""
    return alt.InlineData(values=topology, format=alt.DataFormat(feature=BOUNDARIES_FEATURE, type="topojson"))


def stand_in() -> alt.InlineData:
    """Boundaries to compose a chart on; replaced by :func:`attach_boundaries`."""
    return boundaries_data({"type": "Topology", "objects": {}, "arcs": [], STAND_IN_KEY: True})


def attach_boundaries(chart: alt.TopLevelMixin, topology: dict) -> alt.TopLevelMixin:
    """``chart`` (composed on :func:`stand_in` boundaries) with ``topology`` in their place."""
    _replace_stand_ins(chart, topology)
    return chart


def _replace_stand_ins(node, topology: dict) -> None:
    """Each stand-in gets data of its own: Altair lifts data shared by identity to the top level."""
    if isinstance(node, list):
        for item in node:
            _replace_stand_ins(item, topology)
        return
    if not isinstance(node, SchemaBase):
        return
    for key, value in node._kwds.items():
        if isinstance(value, alt.InlineData) and isinstance(value.values, dict) and STAND_IN_KEY in value.values:
            node._kwds[key] = boundaries_data(topology)
        elif not isinstance(value, alt.InlineData):
            _replace_stand_ins(value, topology)


def group_map(table: pd.DataFrame, group_column: str, heading: str, groups: int, boundaries: dict) -> alt.Chart:
    """One choropleth of priority groups; ``table`` indexed by code with ``name`` and the group."""
    return attach_boundaries(_group_map(table, group_column, heading, groups), boundaries)


def _group_map(table: pd.DataFrame, group_column: str, heading: str, groups: int) -> alt.Chart:
    fields = ["name", group_column]
    return alt.Chart(stand_in()).mark_geoshape(stroke="white", strokeWidth=0.2).transform_lookup(
        lookup="properties.code", from_=alt.LookupData(table.reset_index()[["code", *fields]], "code", fields),
    ).encode(
        color=alt.Color(f"{group_column}:O", title="Priority group", scale=group_scale(groups)),
        tooltip=[alt.Tooltip("name:N", title="area"), alt.Tooltip("properties.code:N", title="code"),
                 alt.Tooltip(f"{group_column}:O", title="group")],
    ).project(type="mercator").properties(width=300, height=420, title=heading)


def group_maps(comparison: Comparison, boundaries: dict) -> alt.HConcatChart:
    """Side-by-side maps of the priority groups under each rule, on ``boundaries``
    (:func:`allocsim.datasets.load_boundaries`)."""
    base, alt_ = rule_labels(comparison)
    n = n_groups(comparison)
    maps = alt.hconcat(
        _group_map(comparison.table, "base_group", base, n),
        _group_map(comparison.table, "alt_group", alt_, n),
    ).properties(title=title("Priority groups on the map", "Boundaries: ONS, LAD 2020, simplified; "
                              "contains OS data © Crown copyright and database right.", DATA_NOTE))
    return attach_boundaries(maps, boundaries)
