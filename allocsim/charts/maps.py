"""Maps of priority groups on the LAD 2020 boundaries (given as TopoJSON; no file is read here)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from allocsim.charts.theme import DATA_NOTE, group_scale, n_groups, rule_labels, title
from allocsim.comparison import Comparison

BOUNDARIES_FEATURE = "lad2020"


def boundaries_data(topology: dict) -> alt.InlineData:
    """LAD 2020 boundaries (TopoJSON with object ``lad2020``, properties ``code`` and ``name``, as
    :func:`allocsim.datasets.load_boundaries` gives them) as inline chart data."""
    return alt.InlineData(values=topology, format=alt.DataFormat(feature=BOUNDARIES_FEATURE, type="topojson"))


def group_map(table: pd.DataFrame, group_column: str, heading: str, groups: int, boundaries: dict) -> alt.Chart:
    """One choropleth of priority groups; ``table`` indexed by code with ``name`` and the group."""
    fields = ["name", group_column]
    return alt.Chart(boundaries_data(boundaries)).mark_geoshape(stroke="white", strokeWidth=0.2).transform_lookup(
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
    return alt.hconcat(
        group_map(comparison.table, "base_group", base, n, boundaries),
        group_map(comparison.table, "alt_group", alt_, n, boundaries),
    ).properties(title=title("Priority groups on the map", "Boundaries: ONS, LAD 2020, simplified; "
                              "contains OS data © Crown copyright and database right.", DATA_NOTE))
