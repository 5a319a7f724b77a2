"""How sure each area's rank is under uncertain weights."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from allocsim.charts.theme import DATA_NOTE, group_scale, title


def robustness_bands(table: pd.DataFrame, rule_name: str, draws: int) -> alt.LayerChart:
    """Each area's median rank and 5-95% rank interval under uncertain weights.

    ``table`` is ``Sensitivity.table``: ``name, group, median_rank, rank_p05, rank_p95`` by code.
    """
    frame = table.reset_index().sort_values(["median_rank", "code"])
    frame["position"] = np.arange(1, len(frame) + 1)
    n_groups = int(frame["group"].max())
    x = alt.X("position:Q", title="Areas, ordered by median rank", axis=alt.Axis(labels=False, ticks=False),
              scale=alt.Scale(domain=[0, len(frame) + 1], nice=False))
    colour = alt.Color("group:O", title=f"Group under {rule_name}", scale=group_scale(n_groups))
    tooltip = [alt.Tooltip("name:N", title="area"), alt.Tooltip("median_rank:Q", title="median rank"),
               alt.Tooltip("rank_p05:Q", title="5th pct rank"), alt.Tooltip("rank_p95:Q", title="95th pct rank"),
               alt.Tooltip("group:O")]
    bands = alt.Chart(frame).mark_rule(opacity=0.6).encode(
        x=x, y=alt.Y("rank_p05:Q", title="Rank (1 = most need)",
                     scale=alt.Scale(reverse=True, domain=[1, len(frame)], nice=False)),
        y2="rank_p95:Q", color=colour, tooltip=tooltip)
    points = alt.Chart(frame).mark_circle(size=12, color="black").encode(x=x, y="median_rank:Q", tooltip=tooltip)
    return (bands + points).properties(width=620, height=300, title=title(
        f"How sure is each area's rank under {rule_name}?",
        f"Median rank and 5-95% interval over {draws:,} draws of weights and normalisation methods.",
        DATA_NOTE))
