"""Where the focus areas (lowest HLE by default) stand under each rule, named, one panel per base group.

A published rule gives no order within a category, so ranks there are ties at the category's mean
rank: a line from that mean would fan out from one point per category and say nothing. Here an
area's place under a rule is the span of ranks it may hold (one rank for an index rule; its whole
category for a published list), and a move is counted from the nearer end of that span.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from allocsim.charts.theme import (
    DATA_NOTE,
    GUIDE,
    INK,
    PAGE_WIDTH,
    change_labels,
    change_scale,
    rule_labels,
    title,
)
from allocsim.comparison import Comparison
from allocsim.comparison.focus import focus_areas

ROW_STEP = 11  # pixels per area
LABEL_WIDTH = 210  # the area names beside each panel
MOVERS = 5  # the areas that move furthest up, and down, are labelled


def rank_span(ranks: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The lowest and highest rank each area may hold: areas tied at a mean rank share the ranks
    ``mean - (ties - 1) / 2`` to ``mean + (ties - 1) / 2``."""
    ties = ranks.map(ranks.value_counts())
    half = (ties - 1) / 2
    return ranks - half, ranks + half


def focus_frame(comparison: Comparison) -> pd.DataFrame:
    """The focus areas with their rank spans under both rules, the move between them, and a label
    for the :data:`MOVERS` that move furthest up and the :data:`MOVERS` that move furthest down."""
    table = comparison.table
    frame = table[["name", "base_rank", "alt_rank", "base_group", "alt_group", "group_change", "in_focus",
                   comparison.focus]].copy()
    frame["base_low"], frame["base_high"] = rank_span(table["base_rank"])
    frame["alt_low"], frame["alt_high"] = rank_span(table["alt_rank"])
    frame = frame[frame["in_focus"]].reset_index()
    up = (frame["base_low"] - frame["alt_high"]).clip(lower=0)  # places above the whole base span
    down = (frame["alt_low"] - frame["base_high"]).clip(lower=0)
    frame["places_moved"] = up - down  # positive: up (more need)
    # the nearer end of the base span, where the line of a move starts
    frame["move_from"] = np.where(up > 0, frame["base_low"], np.where(down > 0, frame["base_high"],
                                                                      frame["alt_rank"]))
    frame["change"] = change_labels(frame["group_change"])
    tied = (frame["base_high"] > frame["base_low"]) | (frame["alt_high"] > frame["alt_low"])
    frame["move_label"] = [_move_label(m, t) for m, t in zip(frame["places_moved"], tied)]
    moved = frame["places_moved"].sort_values(kind="stable")
    movers = [*moved[moved > 0].index[::-1][:MOVERS], *moved[moved < 0].index[:MOVERS]]
    frame["label"] = ""
    frame.loc[movers, "label"] = frame.loc[movers, "move_label"]
    return frame.sort_values(["base_group", "alt_rank", "code"])


def _move_label(places: float, tied: bool) -> str:
    if places == 0:
        return "within its span" if tied else "no move"
    at_least = "at least " if tied else ""
    return f"{at_least}{abs(places):.0f} places {'up' if places > 0 else 'down'}"


def focus_rank_change(comparison: Comparison) -> alt.VConcatChart:
    """The focus areas by name, one panel per group under the base rule: the span of ranks each may
    hold under the base rule (a grey bar, or a tick for a single rank), its rank under the
    alternative (a dot coloured by the change of group), the alternative's group cut-offs, and the
    biggest movers labelled."""
    base, alt_ = rule_labels(comparison)
    frame = focus_frame(comparison)
    n_areas = len(comparison.table)
    cuts = comparison.table["alt_group"].value_counts().sort_index().cumsum().to_numpy()[:-1] + 0.5
    panels = []
    for number, (group, rows) in enumerate(frame.groupby("base_group", sort=True)):
        axis = alt.Axis(orient="top", title=f"Rank (1 = most need; {n_areas} areas)" if number == 0 else None)
        heading = f"In group {group} under {base} ({len(rows)} focus areas)"
        panels.append(_panel(rows, _rank_axis(n_areas, axis), cuts, heading, alt_))
    chosen = comparison.summary.focus.selection.describe(comparison.focus)
    return alt.vconcat(*panels, spacing=14, resolve=alt.Resolve(scale=alt.ScaleResolveMap(y="independent")),
                       title=title(
        f"Where the {focus_areas(comparison.focus, len(frame), comparison.focus_end)} stand under each rule",
        f"Focus: {chosen}.",
        f"Grey bar: the ranks an area may hold under {base} (a published category gives no order within it;",
        f"a tick where the rule gives one rank). Dot: its rank under {alt_}; dashed lines: {alt_}'s group cut-offs.",
        "Moves are counted from the nearer end of the bar; the biggest are labelled.", DATA_NOTE))


def _rank_axis(n_areas: int, axis: alt.Axis | None):
    scale = alt.Scale(domain=[0, n_areas + 1], nice=False)
    return lambda field: alt.X(f"{field}:Q", scale=scale, axis=axis)


def _panel(rows: pd.DataFrame, x, cuts: np.ndarray, heading: str, alt_name: str) -> alt.LayerChart:
    y = alt.Y("name:N", title=None, sort=list(rows["name"]), axis=alt.Axis(labelFontSize=10, ticks=False))
    tooltip = [alt.Tooltip("name:N", title="area"), alt.Tooltip("code:N"),
               alt.Tooltip("base_group:O", title="group before"), alt.Tooltip("alt_group:O", title="group after"),
               alt.Tooltip("alt_rank:Q", title=f"rank under {alt_name}", format=".0f"),
               alt.Tooltip("move_label:N", title="move")]
    change = alt.Color("change:N", title=f"Group under {alt_name}, against the base rule", scale=change_scale())
    chart = alt.Chart(rows)
    span = chart.mark_bar(color="#E6E6E6", height=ROW_STEP - 3).encode(x=x("base_low"), x2="base_high:Q", y=y)
    tick = chart.transform_filter("datum.base_high == datum.base_low").mark_tick(
        color=GUIDE, thickness=2, size=ROW_STEP - 2).encode(x=x("base_rank"), y=y)
    move = chart.mark_rule(strokeWidth=1.5).encode(x=x("move_from"), x2="alt_rank:Q", y=y, color=change)
    dot = chart.mark_circle(size=42, opacity=1, stroke=INK, strokeWidth=0.5).encode(
        x=x("alt_rank"), y=y, tooltip=tooltip, color=change)
    labelled = chart.transform_filter("datum.label != ''")
    text = dict(align="left", dx=7, fontSize=10, fontWeight="bold")
    halo = labelled.mark_text(stroke="white", strokeWidth=4, strokeJoin="round", **text).encode(
        x=x("alt_rank"), y=y, text="label:N")
    label = labelled.mark_text(color=INK, **text).encode(x=x("alt_rank"), y=y, text="label:N")
    lines = alt.Chart(pd.DataFrame({"cut": cuts})).mark_rule(color=GUIDE, strokeDash=[4, 3]).encode(x=x("cut"))
    return alt.layer(span, tick, lines, move, dot, halo, label, width=PAGE_WIDTH - LABEL_WIDTH,
                     height=alt.Step(ROW_STEP), title=alt.TitleParams(heading, fontSize=12))
