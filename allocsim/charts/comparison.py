"""Charts of a comparison of two rules: health against deprivation, the focus areas' ranks, transitions."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from allocsim.charts.theme import CHANGE_COLOURS, DATA_NOTE, group_scale, n_groups, rule_labels, title
from allocsim.comparison import DEFAULT_FOCUS, Comparison


def hle_vs_deprivation(comparison: Comparison, data: pd.DataFrame, hle: str | None = None) -> alt.FacetChart:
    """HLE against IMD 2019 rank, coloured by priority group, one panel per rule (England)."""
    hle = hle or (comparison.focus if comparison.focus.startswith("hle_") else DEFAULT_FOCUS)
    base, alt_ = rule_labels(comparison)
    extra = data[["imd2019_rank", hle]].rename(columns={hle: "hle"})
    table = comparison.table.drop(columns=[c for c in extra.columns if c in comparison.table]).join(extra)
    table = table[table["imd2019_rank"].notna()].reset_index()
    long = pd.concat([
        table.assign(rule=base, group=table["base_group"]),
        table.assign(rule=alt_, group=table["alt_group"]),
    ])[["code", "name", "rule", "group", "imd2019_rank", "hle"]]
    chart = alt.Chart(long).mark_circle(size=42, opacity=0.85).encode(
        x=alt.X("imd2019_rank:Q", title="IMD 2019 rank of average score (1 = most deprived)",
                scale=alt.Scale(domain=[0, 320])),
        y=alt.Y("hle:Q", title=f"{_hle_label(hle)} (years)", scale=alt.Scale(zero=False)),
        color=alt.Color("group:O", title="Priority group", scale=group_scale(n_groups(comparison))),
        tooltip=[alt.Tooltip("name:N", title="area"), alt.Tooltip("code:N"), alt.Tooltip("rule:N"),
                 alt.Tooltip("group:O", title="group"), alt.Tooltip("imd2019_rank:Q", title="IMD rank"),
                 alt.Tooltip("hle:Q", title="HLE", format=".1f")],
    ).properties(width=330, height=260)
    return chart.facet(column=alt.Column("rule:N", title=None, sort=[base, alt_])).properties(
        title=title(f"Healthy life expectancy and deprivation by priority group (England, {len(table)} areas)",
                     "IMD 2019 is published for England only; shire districts carry their county's HLE.",
                     DATA_NOTE))


def _hle_label(column: str) -> str:
    parts = column.split("_")
    if len(parts) >= 4 and parts[0] == "hle":
        return f"{parts[1].title()} HLE {parts[2]}-{parts[3]}"
    return column


def focus_rank_change(comparison: Comparison) -> alt.Chart:
    """Slope chart of each focus (low-HLE) area's rank under the two rules."""
    base, alt_ = rule_labels(comparison)
    focus = comparison.table[comparison.table["in_focus"]].reset_index()
    focus["change"] = np.select([focus["group_change"] > 0, focus["group_change"] < 0],
                                ["gains priority", "loses priority"], "same group")
    long = pd.concat([focus.assign(rule=base, rank=focus["base_rank"], group=focus["base_group"]),
                      focus.assign(rule=alt_, rank=focus["alt_rank"], group=focus["alt_group"])])
    long = long[["code", "name", "rule", "rank", "group", "change", comparison.focus]]
    colour = alt.Color("change:N", title=None, scale=alt.Scale(domain=list(CHANGE_COLOURS),
                                                               range=list(CHANGE_COLOURS.values())))
    encode = dict(
        x=alt.X("rule:N", title=None, sort=[base, alt_], axis=alt.Axis(labelAngle=0)),
        y=alt.Y("rank:Q", title="Rank (1 = most need)",
                scale=alt.Scale(reverse=True, domain=[1, len(comparison.table)])),
        detail="code:N", color=colour,
        tooltip=[alt.Tooltip("name:N", title="area"), alt.Tooltip("rule:N"), alt.Tooltip("rank:Q", format=".1f"),
                 alt.Tooltip("group:O"), alt.Tooltip(f"{comparison.focus}:Q", format=".1f")],
    )
    lines = alt.Chart(long).mark_line(opacity=0.55, strokeWidth=1.3).encode(**encode)
    points = alt.Chart(long).mark_circle(size=30).encode(**encode)
    return (lines + points).properties(width=360, height=420, title=title(
        f"Rank of the {len(focus)} lowest-HLE areas under each rule",
        f"Focus: {comparison.summary.focus.selection.describe(comparison.focus)}. "
        "Published categories tie every area in a category at its mean rank.", DATA_NOTE))


def transition_heatmap(comparison: Comparison) -> alt.LayerChart:
    base, alt_ = rule_labels(comparison)
    matrix = comparison.transitions.stack().rename("areas").reset_index()
    x = alt.X("alt_group:O", title=f"Group under {alt_}", axis=alt.Axis(labelAngle=0))
    y = alt.Y("base_group:O", title=f"Group under {base}")
    heat = alt.Chart(matrix).mark_rect().encode(
        x=x, y=y, color=alt.Color("areas:Q", title="Areas", scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("base_group:O", title=base), alt.Tooltip("alt_group:O", title=alt_),
                 alt.Tooltip("areas:Q")])
    labels = alt.Chart(matrix).mark_text(fontSize=14).encode(
        x=x, y=y, text="areas:Q",
        color=alt.condition(alt.datum.areas > matrix["areas"].max() / 2, alt.value("white"), alt.value("black")))
    return (heat + labels).properties(width=260, height=260, title=title(
        "How areas move between priority groups", "Diagonal: same group under both rules.", DATA_NOTE))
