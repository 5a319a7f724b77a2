"""Charts of a comparison of two rules: health against deprivation, transitions between groups."""

from __future__ import annotations

import altair as alt
import pandas as pd

from allocsim.charts.theme import (
    DATA_NOTE,
    INK,
    PAGE_WIDTH,
    change_labels,
    change_scale,
    group_colour,
    n_groups,
    rule_labels,
    title,
)
from allocsim.comparison import DEFAULT_FOCUS, Comparison
from allocsim.comparison.fairness import IMD
from allocsim.hle import hle_label, is_district_estimate, is_hle


def deprivation_columns(comparison: Comparison) -> tuple[str, str]:
    """What :func:`hle_vs_deprivation` plots by default: the IMD 2019 rank and the comparison's HLE focus
    (else the default HLE measure)."""
    return IMD, comparison.focus if is_hle(comparison.focus) else DEFAULT_FOCUS


def hle_vs_deprivation(comparison: Comparison, data: pd.DataFrame, hle: str | None = None) -> alt.FacetChart:
    """HLE against IMD 2019 rank, coloured by priority group, one panel per rule (England)."""
    hle = hle or deprivation_columns(comparison)[1]
    base, alt_ = rule_labels(comparison)
    extra = data[[IMD, hle]].rename(columns={hle: "hle"})
    table = comparison.table.drop(columns=[c for c in extra.columns if c in comparison.table]).join(extra)
    table = table[table[IMD].notna()].reset_index()
    long = pd.concat([
        table.assign(rule=base, group=table["base_group"]),
        table.assign(rule=alt_, group=table["alt_group"]),
    ])[["code", "name", "rule", "group", "imd2019_rank", "hle"]]
    chart = alt.Chart(long).mark_circle(size=46, opacity=0.9, stroke=INK, strokeWidth=0.3).encode(
        x=alt.X("imd2019_rank:Q", title="IMD 2019 rank of average score (1 = most deprived)",
                scale=alt.Scale(domain=[0, 320])),
        y=alt.Y("hle:Q", title=f"{hle_label(hle) or hle} (years)", scale=alt.Scale(zero=False)),
        color=group_colour("group", n_groups(comparison)),
        tooltip=[alt.Tooltip("name:N", title="area"), alt.Tooltip("code:N"), alt.Tooltip("rule:N"),
                 alt.Tooltip("group:O", title="group"), alt.Tooltip("imd2019_rank:Q", title="IMD rank"),
                 alt.Tooltip("hle:Q", title="HLE", format=".1f")],
    ).properties(width=(PAGE_WIDTH - 120) // 2, height=320)
    return chart.facet(column=alt.Column("rule:N", title=None, sort=[base, alt_])).properties(
        title=title(f"Healthy life expectancy and deprivation by priority group (England, {len(table)} areas)",
                     "IMD 2019 is published for England only; " + (
                         "shire districts' HLE is modelled (district estimate)." if is_district_estimate(hle)
                         else "shire districts carry their county's HLE."),
                     DATA_NOTE))


def transition_heatmap(comparison: Comparison) -> alt.LayerChart:
    """Areas by their group under each rule: a cell per pair of groups, coloured by the change
    (gains priority above the diagonal, loses below), darker for more areas."""
    base, alt_ = rule_labels(comparison)
    matrix = comparison.transitions.stack().rename("areas").reset_index()
    matrix["change"] = change_labels(matrix["base_group"] - matrix["alt_group"])
    matrix["share"] = matrix["areas"] / matrix["areas"].sum()
    x = alt.X("alt_group:O", title=f"Group under {alt_}", axis=alt.Axis(labelAngle=0, orient="top"))
    y = alt.Y("base_group:O", title=f"Group under {base}")
    heat = alt.Chart(matrix).mark_rect(stroke="white", strokeWidth=2).encode(
        x=x, y=y, color=alt.Color("change:N", title=None, scale=change_scale()),
        opacity=alt.Opacity("areas:Q", legend=None, scale=alt.Scale(domain=[0, matrix["areas"].max()],
                                                                   range=[0.15, 1])),
        tooltip=[alt.Tooltip("base_group:O", title=f"group under {base}"),
                 alt.Tooltip("alt_group:O", title=f"group under {alt_}"), alt.Tooltip("areas:Q"),
                 alt.Tooltip("share:Q", title="share of areas", format=".1%")])
    labels = alt.Chart(matrix).mark_text(fontSize=16, color=INK).encode(x=x, y=y, text="areas:Q")
    return (heat + labels).properties(width=PAGE_WIDTH - 90, height=300, title=title(
        "How areas move between priority groups",
        f"Rows: group under {base}; columns: group under {alt_}. Diagonal: same group under both rules; "
        "the more areas, the stronger the colour.", DATA_NOTE))
