"""Charts of money and the modelled health return."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from allocsim.charts.theme import DATA_NOTE, MODELLED_NOTE, RULE_COLOURS, title


def allocation_per_head(tables: Mapping[str, pd.DataFrame],
                        titles: Mapping[str, str] | None = None) -> alt.VConcatChart:
    """Money per resident by geography roll-up (region, combined authority, ...), one bar per rule.

    ``tables`` maps each roll-up's column to :func:`allocsim.money.per_head.per_head_by`'s table (the
    column, ``rule``, ``allocation``, ``population`` and ``per_head``); ``titles`` names each panel
    (default: the column).
    """
    panels = []
    for column, frame in tables.items():
        labels = list(pd.unique(frame["rule"]))
        heading = (titles or {}).get(column, column)
        panels.append(alt.Chart(frame).mark_bar().encode(
            y=alt.Y(f"{column}:N", title=None, sort=alt.EncodingSortField("per_head", op="max", order="descending")),
            yOffset=alt.YOffset("rule:N", sort=labels),
            x=alt.X("per_head:Q", title="£ per resident (mid-2019 population)"),
            color=alt.Color("rule:N", title="Rule", sort=labels, scale=alt.Scale(domain=labels, range=RULE_COLOURS)),
            tooltip=[alt.Tooltip(f"{column}:N", title=heading), alt.Tooltip("rule:N"),
                     alt.Tooltip("per_head:Q", title="£ per head", format=",.0f"),
                     alt.Tooltip("allocation:Q", title="£ total", format=",.0f")],
        ).properties(width=420, title=heading))
    return alt.vconcat(*panels).properties(title=title(
        "Allocation per resident", "Expected allocation under each rule and mechanism; see allocation tables.",
        DATA_NOTE))


def health_by_decile(breakdowns: Mapping[str, pd.DataFrame], parameter_file: str,
                     measure: str = "modelled_qalys") -> alt.LayerChart:
    """Median modelled health return by HLE decile with its 90% interval, one bar per rule.

    ``breakdowns`` maps a rule label to its ``HealthReturn.breakdowns["hle_decile"]`` frame.
    """
    labels = list(breakdowns)
    frame = pd.concat([b.assign(rule=label) for label, b in breakdowns.items()])
    unit = "QALYs" if measure == "modelled_qalys" else "HLE months per resident"
    x = alt.X("category:O", title="HLE decile of areas (1 = lowest HLE)", axis=alt.Axis(labelAngle=0))
    offset = alt.XOffset("rule:N", sort=labels)
    colour = alt.Color("rule:N", title="Rule", sort=labels, scale=alt.Scale(domain=labels, range=RULE_COLOURS))
    bars = alt.Chart(frame).mark_bar().encode(
        x=x, xOffset=offset, color=colour,
        y=alt.Y(f"{measure}_median:Q", title=f"Modelled {unit} (median)"),
        tooltip=[alt.Tooltip("rule:N"), alt.Tooltip("category:O", title="decile"), alt.Tooltip("areas:Q"),
                 alt.Tooltip(f"{measure}_median:Q", title="median", format=",.1f"),
                 alt.Tooltip(f"{measure}_p05:Q", title="5th percentile", format=",.1f"),
                 alt.Tooltip(f"{measure}_p95:Q", title="95th percentile", format=",.1f")])
    whiskers = alt.Chart(frame).mark_rule(color="black").encode(
        x=x, xOffset=offset, y=f"{measure}_p05:Q", y2=f"{measure}_p95:Q")
    return (bars + whiskers).properties(width=520, height=280, title=title(
        f"Modelled health return by HLE decile ({unit}, median and 90% interval)",
        MODELLED_NOTE.format(params=parameter_file), DATA_NOTE))
