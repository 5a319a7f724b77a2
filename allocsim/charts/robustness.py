"""How sure each area's rank is under uncertain weights."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from allocsim.charts.theme import DATA_NOTE, GUIDE, INK, PAGE_WIDTH, group_colour, title
from allocsim.robustness import Sensitivity


def group_cutoffs(frame: pd.DataFrame) -> pd.DataFrame:
    """Where each group but the last ends, as ranks: ``after`` (the last rank of group ``group``),
    ``line`` (half a rank below it) and how many areas' 5-95% intervals cross it. From the counts of
    the rule's own groups, so the lines are exact for a rule cut by shares of the pooled ranking."""
    ends = frame["group"].value_counts().sort_index().cumsum().iloc[:-1]
    rows = []
    for group, after in ends.items():
        crossing = int(((frame["rank_p05"] <= after) & (frame["rank_p95"] > after)).sum())
        cross = "1 area's interval crosses it" if crossing == 1 else f"{crossing} areas' intervals cross it"
        rows.append({"group": int(group), "after": int(after), "line": after + 0.5, "crossing": crossing,
                     "label": f"end of group {group} (rank {after}): {cross}"})
    return pd.DataFrame(rows, columns=["group", "after", "line", "crossing", "label"])


def robustness_bands(table, rule_name: str | None = None, draws: int | None = None) -> alt.LayerChart:
    """Each area's median rank and 5-95% rank interval under uncertain weights, with lines where the
    rule's groups end.

    ``table`` is what ``allocsim.sensitivity(rule, data)`` returns (a
    :class:`~allocsim.robustness.Sensitivity`: its rule's name and its draws are read from it), or
    its ``table`` (``name, group, median_rank, rank_p05, rank_p95`` by code) with ``rule_name`` and
    ``draws`` given.
    """
    if isinstance(table, Sensitivity):
        rule_name = rule_name or (table.rule.name if table.rule is not None else "the rule")
        draws = draws or table.summary.draws
        table = table.table
    if rule_name is None or draws is None:
        raise ValueError("with a table, name the rule (rule_name) and the number of draws")
    frame = table.reset_index().sort_values(["median_rank", "code"])
    frame["position"] = np.arange(1, len(frame) + 1)
    n_groups = int(frame["group"].max())
    cutoffs = group_cutoffs(frame)
    x = alt.X("position:Q", title="Areas, ordered by median rank", axis=alt.Axis(labels=False, ticks=False),
              scale=alt.Scale(domain=[0, len(frame) + 1], nice=False))
    y_scale = alt.Scale(reverse=True, domain=[1, len(frame)], nice=False)
    colour = group_colour("group", n_groups, f"Group under {rule_name}")
    tooltip = [alt.Tooltip("name:N", title="area"), alt.Tooltip("median_rank:Q", title="median rank"),
               alt.Tooltip("rank_p05:Q", title="5th pct rank"), alt.Tooltip("rank_p95:Q", title="95th pct rank"),
               alt.Tooltip("group:O")]
    bands = alt.Chart(frame).mark_rule(opacity=0.8, strokeWidth=1.4).encode(
        x=x, y=alt.Y("rank_p05:Q", title="Rank (1 = most need)", scale=y_scale), y2="rank_p95:Q",
        color=colour, tooltip=tooltip)
    points = alt.Chart(frame).mark_circle(size=12, color=INK, opacity=1).encode(
        x=x, y="median_rank:Q", tooltip=tooltip)
    lines = alt.Chart(cutoffs).mark_rule(color=GUIDE, strokeDash=[5, 3], strokeWidth=1.2).encode(y="line:Q")
    labels = alt.Chart(cutoffs).mark_text(align="right", baseline="bottom", dy=-3, fontSize=11, color=INK).encode(
        y="line:Q", x=alt.value(PAGE_WIDTH - 90), text="label:N")
    return alt.layer(bands, points, lines, labels).properties(width=PAGE_WIDTH - 90, height=360, title=title(
        f"How sure is each area's rank under {rule_name}?",
        f"Median rank (dot) and 5-95% interval (bar, coloured by the area's group at the rule's own weights) over "
        f"{draws:,} draws",
        "of weights and normalisation methods. Dashed lines: where the rule's groups end; an interval that "
        "crosses one is an area whose group depends on the weights.", DATA_NOTE))
