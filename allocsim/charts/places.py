"""Money by place: the winners and losers between two rules, and the money actually awarded beside
the rules' simulations of the same total.

Each takes the result a Python user has: a :class:`~allocsim.comparison.MoneyComparison`
(``allocsim.compare(..., budget=...).money``), or for the money awarded a
:class:`~allocsim.comparison.Comparison` made with ``budget="actual"``.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from allocsim.charts.inputs import money_of
from allocsim.charts.money import NAME_WIDTH, SHORT_NAME
from allocsim.charts.theme import DATA_NOTE, GUIDE, INK, PAGE_WIDTH, rule_colours, title
from allocsim.comparison import Comparison, MoneyComparison

CHANGE_BAR = "#757575"  # a change of money is neither a group, a rule nor a change of group: grey
ACTUAL = "Actually awarded"
ROLLUP_TITLES = {"nation": "Nation", "region": "Region", "combined_authority": "Combined authority (2021)",
                 "health_geography": "ICB (England) or health board (Wales)"}


def winners_losers(money: MoneyComparison | Comparison,
                   rollups: Sequence[str] = ("nation", "region")) -> alt.VConcatChart:
    """The change of money from the base rule to the alternative in each place of each roll-up
    (``money.places``: nation, region, combined_authority, health_geography), with the areas gaining
    and losing and what they gain and lose in the tooltips. ``money``: a comparison made with a
    budget (``allocsim.compare(..., budget=...)``) or its ``money``."""
    money = money_of(money)
    s = money.summary
    panels = []
    for name in [r for r in rollups if r in money.places]:
        frame = money.places[name].assign(change_m=lambda f: f["allocation_change"] / 1e6)
        order = list(frame.sort_values("allocation_change", ascending=False, kind="stable")["place"])
        y = alt.Y("place:N", sort=order, title=None,
                  axis=alt.Axis(labelLimit=NAME_WIDTH, minExtent=NAME_WIDTH, labelExpr=SHORT_NAME))
        bars = alt.Chart(frame).mark_bar(color=CHANGE_BAR).encode(
            y=y, x=alt.X("change_m:Q", title=f"£m, {s.alt.label} minus {s.base.label} ({s.price_base})"),
            tooltip=[alt.Tooltip("place:N"), alt.Tooltip("change_m:Q", title="change (£m)", format="+,.1f"),
                     alt.Tooltip("change_per_head:Q", title="change per resident (£)", format="+,.2f"),
                     alt.Tooltip("areas_gaining:Q", title="areas gaining"),
                     alt.Tooltip("areas_losing:Q", title="areas losing"),
                     alt.Tooltip("gained_by_gaining_areas:Q", title="gained by gaining areas (£)", format=",.0f"),
                     alt.Tooltip("lost_by_losing_areas:Q", title="lost by losing areas (£)", format=",.0f")])
        zero = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color=GUIDE).encode(x="zero:Q")
        panels.append(alt.layer(bars, zero, width=PAGE_WIDTH - NAME_WIDTH - 30, height=alt.Step(22),
                                title=ROLLUP_TITLES.get(name, name)))
    if not panels:
        raise ValueError(f"the comparison has none of the roll-ups {', '.join(rollups)}")
    return alt.vconcat(*panels, spacing=20, title=title(
        f"Winners and losers: where the money moves from {s.base.label} to {s.alt.label}",
        f"Expected allocation by the {s.mechanism} mechanism, in {s.price_base}. Within each place some areas gain "
        f"and others lose; the tooltips give both.", DATA_NOTE))


def actual_frame(comparison: Comparison, views: Sequence[str]) -> pd.DataFrame:
    """The money actually awarded and each rule's simulation of the same total, per resident, in
    each category of ``views`` (long form: ``view``, ``category``, ``what``, ``per_head``)."""
    labels = {"actual_per_head": ACTUAL, "base_per_head": comparison.summary.base_label,
              "alt_per_head": comparison.summary.alt_label}
    rows = []
    for view in [v for v in views if v in comparison.actual]:
        table, heading = comparison.actual[view], comparison.actual.heading(view)
        for column, what in labels.items():
            rows += [{"view": heading, "category": str(c), "what": what, "per_head": v,
                      "areas": a} for c, v, a in zip(table["category"], table[column], table["areas"])]
    return pd.DataFrame(rows, columns=["view", "category", "what", "per_head", "areas"])


def actual_beside(comparison: Comparison,
                  views: Sequence[str] = ("luf_category", "hle_decile_upper_tier", "nation")) -> alt.VConcatChart:
    """The LUF money actually awarded in rounds 1 and 2 beside both rules' simulations of the same
    total, per resident, by published category, HLE decile and nation (``comparison`` made with
    ``budget="actual"``)."""
    if comparison.actual is None:
        raise ValueError("the comparison was not made with budget='actual': there is no money awarded beside it")
    frame = actual_frame(comparison, views)
    kinds = [ACTUAL, comparison.summary.base_label, comparison.summary.alt_label]
    colour = alt.Color("what:N", title=None, sort=kinds,
                       scale=alt.Scale(domain=kinds, range=[INK, *rule_colours(2)]))
    panels = []
    for view, rows in frame.groupby("view", sort=False):
        categories = list(pd.unique(rows["category"]))
        panels.append(alt.Chart(rows).mark_bar().encode(
            x=alt.X("category:N", sort=categories, title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("what:N", sort=kinds), y=alt.Y("per_head:Q", title="£ per resident"), color=colour,
            tooltip=[alt.Tooltip("category:N", title=view), alt.Tooltip("what:N", title=" "),
                     alt.Tooltip("per_head:Q", title="£ per resident", format=",.2f"), alt.Tooltip("areas:Q")],
        ).properties(width=PAGE_WIDTH - 120, height=200, title=view))
    price_base = comparison.money.summary.price_base
    independent = alt.Resolve(scale=alt.ScaleResolveMap(x="independent", xOffset="independent"))
    return alt.vconcat(*panels, spacing=22, resolve=independent, title=title(
        "The money actually awarded beside each rule's simulation of the same total",
        f"LUF rounds 1 and 2 to {comparison.actual.scope}, per resident (mid-2019 population), in "
        f"{price_base}; each rule shares the same total by the {comparison.money.summary.mechanism} mechanism.",
        DATA_NOTE))
