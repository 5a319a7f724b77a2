"""The weights explorer: a map whose groups recompute in the browser as the reader moves a slider."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from allocsim.charts.maps import attach_boundaries, stand_in
from allocsim.charts.theme import DATA_NOTE, group_scale, title
from allocsim.engine.cut import group_sizes
from allocsim.methods.aggregations import AGGREGATIONS
from allocsim.ranking import RankResult


def weights_explorer(result: RankResult, boundaries: dict, name: str = "explorer") -> alt.VConcatChart:
    """A map whose groups recompute in the browser as the reader moves one slider per domain.

    The browser repeats the engine's last steps - weight, aggregate, rank, cut - on the
    normalised values the engine computed, so at the rule's own weights it shows exactly the
    groups of ``allocsim rank``. Pooled shares only (the shipped index rules).
    """
    rule = result.rule
    if rule.kind != "index" or rule.categories.shares is None or rule.categories.scope != "pooled":
        raise ValueError("the weights explorer needs an index rule cut by pooled shares")
    frame, domains = _explorer_frame(result)
    params = [alt.param(name=f"w_{d}", value=round(w, 4),
                        bind=alt.binding_range(min=0, max=1, step=0.005, name=f"{d} weight "))
              for d, w in domains.items()]
    sizes = np.cumsum(group_sizes(len(frame), np.array(rule.categories.shares)))
    group_expr = " : ".join(f"datum.new_rank <= {b} ? {g}" for g, b in enumerate(sizes[:-1], start=1))
    group_expr += f" : {len(sizes)}"
    base = alt.Chart(frame).transform_calculate(
        score=_score_expression(result, domains),
    ).transform_window(
        new_rank="row_number()", sort=[alt.SortField("score", order="descending"), alt.SortField("code")],
    ).transform_calculate(new_group=group_expr).transform_calculate(
        label="datum.name + ' (' + datum.code + '): priority group ' + datum.new_group"
        " + ', rank ' + datum.new_rank",
    )
    geo = base.transform_lookup(
        lookup="code", from_=alt.LookupData(stand_in(), "properties.code"), as_="geo",
    ).mark_geoshape(stroke="white", strokeWidth=0.2).encode(
        shape="geo:G", description="label:N",
        color=alt.Color("new_group:O", title="Priority group", scale=group_scale(rule.categories.n_groups)),
        tooltip=[alt.Tooltip("name:N", title="area"), alt.Tooltip("code:N"),
                 alt.Tooltip("new_group:O", title="priority group"), alt.Tooltip("new_rank:Q", title="rank"),
                 alt.Tooltip("rule_group:O", title="group at the rule's weights")],
    ).project(type="mercator").properties(width=360, height=500, name=f"{name}_map")
    counts = base.mark_bar().encode(
        x=alt.X("count():Q", title="Areas"),
        y=alt.Y("country:N", title=None),
        color=alt.Color("new_group:O", title="Priority group", scale=group_scale(rule.categories.n_groups)),
        order=alt.Order("new_group:O"),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("new_group:O", title="group"),
                 alt.Tooltip("count():Q", title="areas")],
    ).properties(width=360, height=90, name=f"{name}_counts")
    explorer = alt.vconcat(geo, counts).add_params(*params).properties(title=title(
        f"Try other domain weights: {rule.name}",
        "Move the sliders: the index, ranks and groups recompute in your browser. Weights are "
        "relative (divided by their sum).", DATA_NOTE))
    return attach_boundaries(explorer, boundaries)


def _explorer_frame(result: RankResult) -> tuple[pd.DataFrame, dict[str, float]]:
    rule = result.rule
    domains = _domain_weights(rule)
    frame = result.table[["name", "country", "group"]].rename(columns={"group": "rule_group"}).copy()
    for i, column in enumerate(result.normalised.columns):
        values = result.normalised[column]
        frame[f"z{i}"] = values.fillna(0.0).round(10)
        frame[f"a{i}"] = values.notna().astype(int)
    return frame.reset_index(), domains


def _domain_weights(rule) -> dict[str, float]:
    if rule.domains:
        total = sum(d.weight for d in rule.domains.values())
        return {name: d.weight / total for name, d in rule.domains.items()}
    return {"index": 1.0}


def _score_expression(result: RankResult, domains: dict[str, float]) -> str:
    """Vega expression for the engine's score with the domain weights taken from the sliders: the
    rule's aggregation writes it (:meth:`~allocsim.methods.aggregations.Aggregation.vega_score`)."""
    rule = result.rule
    values, weights = [], []
    for i, indicator in enumerate(rule.indicators):
        domain = indicator.domain or "index"
        peers = [x.weight for x in rule.indicators if (x.domain or "index") == domain]
        weights.append(f"(w_{domain} * {indicator.weight / sum(peers):.10g} * datum.a{i})")
        values.append(f"datum.z{i}")
    return AGGREGATIONS[rule.aggregation].vega_score(values, weights)
