"""Maps of priority groups on the LAD 2020 boundaries (given as TopoJSON; no file is read here).

Great Britain is drawn in a transverse Mercator projection centred on 2°W, the central meridian
of the British National Grid, so Scotland keeps its shape (a plain Mercator stretches it by a
quarter against the south coast); London's 33 boroughs get an inset at a larger scale.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
from altair.utils.schemapi import SchemaBase, debug_mode

from allocsim.charts.theme import (
    BOUNDARY_NOTE,
    DATA_NOTE,
    change_labels,
    change_scale,
    group_colour,
    n_groups,
    rule_labels,
    title,
)
from allocsim.comparison import Comparison
from allocsim.ranking import RankResult

BOUNDARIES_FEATURE = "lad2020"
# Altair deep-copies every subchart, inline data included, when it composes or themes charts, and
# the boundaries are hundreds of thousands of values: charts are composed on this stand-in and
# :func:`attach_boundaries` puts the real topology in place at the end (the same spec, in a
# fraction of the time).
STAND_IN_KEY = "allocsim_boundaries_stand_in"
# Transverse Mercator about 2°W (rotating the globe 2° east): the British National Grid's meridian.
PROJECTION = {"type": "transverseMercator", "rotate": [2, 0, 0]}
LONDON = "E09"  # the 33 London boroughs' codes begin so (the City of London included)
MAP_WIDTH, MAP_HEIGHT, LONDON_HEIGHT = 330, 570, 270


def boundaries_data(topology: dict) -> alt.InlineData:
    """LAD 2020 boundaries (TopoJSON with object ``lad2020``, properties ``code`` and ``name``, as
    :func:`allocsim.datasets.load_boundaries` gives them) as inline chart data.

    Not validated on the way in: Altair would walk every one of the topology's numbers (seconds);
    :func:`allocsim.charts.spec.chart_spec` validates the rest of a chart's spec and keeps the
    topology out of it."""
    with debug_mode(False):
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


def boundary_codes(topology: dict) -> set[str]:
    """The area codes ``topology`` has a shape for."""
    objects = topology.get("objects", {}).get(BOUNDARIES_FEATURE, {})
    return {g.get("properties", {}).get("code") for g in objects.get("geometries", [])}


def without_boundary(table: pd.DataFrame, topology: dict) -> list[str]:
    """The areas of ``table`` (indexed by code, with ``name``) that ``topology`` cannot draw, as
    "name (code)" in code order."""
    missing = table.loc[~table.index.isin(sorted(boundary_codes(topology))), "name"].sort_index()
    return [f"{name} ({code})" for code, name in missing.items()]


def not_drawn_note(table: pd.DataFrame, topology: dict) -> list[str]:
    """A subtitle line naming the areas of ``table`` that have no boundary (none when all have one)."""
    missing = without_boundary(table, topology)
    return [f"Not drawn (no LAD 2020 boundary): {', '.join(missing)}."] if missing else []


def group_map(result: RankResult | pd.DataFrame, boundaries: dict, heading: str | None = None,
              group_column: str = "group") -> alt.VConcatChart:
    """One choropleth of priority groups with its London inset, on ``boundaries``
    (:func:`allocsim.datasets.load_boundaries`). ``result`` is what ``allocsim.rank(rule, data)``
    returns (headed by its rule's name), or a table indexed by code with ``name`` and ``group_column``."""
    if isinstance(result, RankResult):
        heading = heading or result.rule.name
        result = result.table
    table = result[["name", group_column]]
    encoding = _group_encoding(group_column, int(table[group_column].max()))
    chart = _with_inset(table, encoding, heading or group_column).properties(title=title(
        heading or "Priority groups", BOUNDARY_NOTE, *not_drawn_note(table, boundaries), DATA_NOTE))
    return attach_boundaries(chart, boundaries)


def _group_encoding(group_column: str, groups: int) -> dict:
    return dict(color=group_colour(group_column, groups),
                tooltip=[alt.Tooltip("name:N", title="area"), alt.Tooltip("properties.code:N", title="code"),
                         alt.Tooltip(f"{group_column}:O", title="priority group")])


def _map(table: pd.DataFrame, encoding: dict, heading: str | alt.TitleParams, london: bool) -> alt.Chart:
    frame = table.reset_index()
    fields = [c for c in frame.columns if c != "code"]
    chart = alt.Chart(stand_in()).mark_geoshape(stroke="white", strokeWidth=0.6 if london else 0.2)
    if london:
        chart = chart.transform_filter(f"indexof(datum.properties.code, '{LONDON}') == 0")
    return chart.transform_lookup(
        lookup="properties.code", from_=alt.LookupData(frame, "code", fields),
    ).transform_filter("isValid(datum.name)").encode(**encoding).project(**PROJECTION).properties(
        width=MAP_WIDTH, height=LONDON_HEIGHT if london else MAP_HEIGHT, title=heading)


def _with_inset(table: pd.DataFrame, encoding: dict, heading: str) -> alt.VConcatChart:
    """The map of Great Britain, and below it London at a larger scale."""
    inset = alt.TitleParams("London", fontSize=12, fontWeight="normal")
    return alt.vconcat(_map(table, encoding, heading, london=False), _map(table, encoding, inset, london=True),
                       spacing=6)


def group_maps(comparison: Comparison, boundaries: dict) -> alt.HConcatChart:
    """Maps of the priority groups under each rule and of the areas whose group changes, each with a
    London inset, on ``boundaries`` (:func:`allocsim.datasets.load_boundaries`). Areas without a
    boundary are named in the subtitle."""
    base, alt_ = rule_labels(comparison)
    n = n_groups(comparison)
    table = comparison.table[["name", "base_group", "alt_group", "group_change"]].copy()
    table["change"] = change_labels(table["group_change"])
    change = dict(color=alt.Color("change:N", title=f"From {base} to {alt_}", scale=change_scale()),
                  tooltip=[alt.Tooltip("name:N", title="area"), alt.Tooltip("properties.code:N", title="code"),
                           alt.Tooltip("base_group:O", title=f"group under {base}"),
                           alt.Tooltip("alt_group:O", title=f"group under {alt_}"), alt.Tooltip("change:N")])
    maps = alt.hconcat(
        _with_inset(table, _group_encoding("base_group", n), base),
        _with_inset(table, _group_encoding("alt_group", n), alt_),
        _with_inset(table, change, "Areas whose group changes"),
        spacing=24,
    ).resolve_scale(color="independent").properties(title=title(
        "Priority groups on the map", BOUNDARY_NOTE, *not_drawn_note(table, boundaries), DATA_NOTE))
    return attach_boundaries(maps, boundaries)
