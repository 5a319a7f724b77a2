"""The weights explorer: a map whose groups recompute in the browser as the reader moves a slider.

Beside the map, live counts: areas in another group than at the rule's own weights and, given the
comparison the report made, the focus areas that gain or lose priority against its base rule and
the focus areas' coverage of group 1. With every slider at zero there is no index: the map turns
grey and the counts panel says so, instead of ranking by area code.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from allocsim.charts.maps import LONDON, PROJECTION, attach_boundaries, stand_in
from allocsim.charts.theme import DATA_NOTE, INK, group_colour, title
from allocsim.comparison import Comparison
from allocsim.engine.cut import group_sizes
from allocsim.methods.aggregations import AGGREGATIONS
from allocsim.ranking import RankResult

NO_INDEX = "#EEEEEE"  # the map's fill while every weight is zero
MAP_WIDTH, SIDE_WIDTH = 420, 520
ZERO_MESSAGE = "All weights are zero: there is no index to rank by. Move a slider above zero."


def weights_explorer(result: RankResult, boundaries: dict, name: str = "explorer",
                     comparison: Comparison | None = None) -> alt.HConcatChart:
    """A map whose groups recompute in the browser as the reader moves one slider per domain, with
    live counts beside it.

    The browser repeats the engine's last steps - weight, aggregate, rank, cut - on the
    normalised values the engine computed, so at the rule's own weights it shows exactly the
    groups of ``allocsim rank``. Pooled shares only (the shipped index rules). ``comparison``
    (whose alternative rule is ``result``'s) adds the focus areas' counts.
    """
    rule = result.rule
    if rule.kind != "index" or rule.categories.shares is None or rule.categories.scope != "pooled":
        raise ValueError("the weights explorer needs an index rule cut by pooled shares")
    frame, domains = explorer_frame(result, comparison)
    params = [alt.param(name=slider_name(d), value=w,
                        bind=alt.binding_range(min=0, max=1, step=0.005, name=f"{d} weight "))
              for d, w in domains.items()]
    n_groups = rule.categories.n_groups
    base = ranked(alt.Chart(frame), result, domains, np.array(rule.categories.shares))
    no_index = f"{weights_total(domains)} <= 0"
    colour = alt.condition(no_index, alt.value(NO_INDEX), group_colour("new_group", n_groups))
    gb = _map(base, colour, MAP_WIDTH, 640, f"{name}_map", london=False)
    london = _map(base, colour, SIDE_WIDTH, 260, f"{name}_london", london=True)
    counts = counts_panel(base, comparison, domains, name)
    bars = base.mark_bar().encode(
        x=alt.X("count():Q", title="Areas"), y=alt.Y("country:N", title=None),
        color=colour, order=alt.Order("new_group:O"),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("new_group:O", title="group"),
                 alt.Tooltip("count():Q", title="areas")],
    ).properties(width=SIDE_WIDTH, height=80, name=f"{name}_counts")
    explorer = alt.hconcat(gb, alt.vconcat(counts, bars, london, spacing=16), spacing=30).add_params(
        *params).properties(title=title(
            f"Try other domain weights: {rule.name}",
            "Move the sliders: the index, ranks and groups recompute in your browser. Weights are relative "
            "(divided by their sum).", DATA_NOTE))
    return attach_boundaries(explorer, boundaries)


def slider_name(domain: str) -> str:
    """The name of the slider (and Vega signal) that holds ``domain``'s weight."""
    return f"w_{domain}"


def weights_total(domains: dict[str, float]) -> str:
    """The Vega expression adding up every slider's weight (zero means there is no index)."""
    return "(" + " + ".join(slider_name(d) for d in domains) + ")"


def ranked(chart: alt.Chart, result: RankResult, domains: dict[str, float], shares: np.ndarray) -> alt.Chart:
    """``chart`` with the score, rank (ties by code, as the engine) and group at the sliders' weights,
    and the flags the counts add up."""
    sizes = np.cumsum(group_sizes(len(result.table), shares))
    group_expr = " : ".join(f"datum.new_rank <= {b} ? {g}" for g, b in enumerate(sizes[:-1], start=1))
    group_expr += f" : {len(sizes)}"
    return chart.transform_calculate(
        score=score_expression(result, domains),
    ).transform_window(
        new_rank="row_number()", sort=[alt.SortField("score", order="descending"), alt.SortField("code")],
    ).transform_calculate(new_group=group_expr).transform_calculate(
        label="datum.name + ' (' + datum.code + '): priority group ' + datum.new_group + ', rank ' + datum.new_rank",
        moved="datum.new_group != datum.rule_group ? 1 : 0",
        focus_gains="datum.in_focus && datum.new_group < datum.base_group ? 1 : 0",
        focus_loses="datum.in_focus && datum.new_group > datum.base_group ? 1 : 0",
        focus_in_group1="datum.in_focus && datum.new_group == 1 ? 1 : 0",
    )


def _map(base: alt.Chart, colour, width: int, height: int, name: str, london: bool) -> alt.Chart:
    chart = base
    if london:
        chart = chart.transform_filter(f"indexof(datum.code, '{LONDON}') == 0")
    chart = chart.transform_lookup(
        lookup="code", from_=alt.LookupData(stand_in(), "properties.code"), as_="geo",
    ).mark_geoshape(stroke="white", strokeWidth=0.6 if london else 0.2).encode(
        shape="geo:G", description="label:N", color=colour,
        tooltip=[alt.Tooltip("name:N", title="area"), alt.Tooltip("code:N"),
                 alt.Tooltip("new_group:O", title="priority group"), alt.Tooltip("new_rank:Q", title="rank"),
                 alt.Tooltip("rule_group:O", title="group at the rule's weights")],
    ).project(**PROJECTION).properties(width=width, height=height, name=name)
    if london:
        chart = chart.properties(title=alt.TitleParams("London", fontSize=12, fontWeight="normal"))
    return chart


def counts_panel(base: alt.Chart, comparison: Comparison | None, domains: dict[str, float],
                 name: str) -> alt.Chart:
    """Lines of text counting, at the sliders' weights: areas in another group than at the rule's
    own, and (with ``comparison``) focus areas gaining and losing priority against its base rule and
    the focus areas in group 1; one line refusing to count while every weight is zero."""
    lines = [("moved", "'Areas in another group than at the rule\\'s own weights: ' + datum.moved")]
    if comparison is not None:
        versus = _quoted(comparison.base.rule.name)
        lines += [
            ("focus_gains", f"'Focus areas that gain priority against ' + {versus} + ': ' + datum.focus_gains"),
            ("focus_loses", f"'Focus areas that lose priority against ' + {versus} + ': ' + datum.focus_loses"),
            ("focus_in_group1", "'Focus areas in group 1: ' + datum.focus_in_group1 + ' of ' + datum.focus"
                                " + ' (' + format(datum.focus_in_group1 / datum.focus, '.1%') + ')'"),
        ]
    no_index = f"{weights_total(domains)} <= 0"
    text = "[" + ", ".join(f"{no_index} ? '' : {expr}" for _, expr in lines) + "]"
    return base.transform_aggregate(
        moved="sum(moved)", focus_gains="sum(focus_gains)", focus_loses="sum(focus_loses)",
        focus_in_group1="sum(focus_in_group1)", focus="sum(in_focus)",
    ).transform_calculate(
        lines=f"{no_index} ? [{_quoted(ZERO_MESSAGE)}] : {text}",
    ).transform_flatten(["lines"], as_=["line"]).transform_window(
        position="row_number()",
    ).mark_text(align="left", baseline="middle", fontSize=13, color=INK,
                fontWeight=alt.expr(f"{no_index} ? 'bold' : 'normal'")).encode(
        y=alt.Y("position:O", axis=None), x=alt.value(0), text="line:N",
    ).properties(width=SIDE_WIDTH, height=alt.Step(22), name=f"{name}_live_counts",
                 title=alt.TitleParams("At these weights", fontSize=12))


def _quoted(text: str) -> str:
    """``text`` as a Vega expression string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def explorer_frame(result: RankResult, comparison: Comparison | None = None) -> tuple[pd.DataFrame, dict[str, float]]:
    """One row per area: code, name, country, the rule's own group, each indicator's normalised
    value ``z<i>`` (full precision: the browser must score from the engine's very numbers) and
    whether the area has it ``a<i>``; with ``comparison``, ``in_focus`` and ``base_group``."""
    rule = result.rule
    domains = domain_weights(rule)
    frame = result.table[["name", "country", "group"]].rename(columns={"group": "rule_group"}).copy()
    if comparison is not None:
        table = comparison.table.reindex(frame.index)
        frame["in_focus"] = table["in_focus"].astype(int)
        frame["base_group"] = table["base_group"].astype(int)
    else:
        frame["in_focus"], frame["base_group"] = 0, frame["rule_group"]
    for i, column in enumerate(result.normalised.columns):
        values = result.normalised[column]
        frame[f"z{i}"] = values.fillna(0.0)
        frame[f"a{i}"] = values.notna().astype(int)
    return frame.reset_index(), domains


def domain_weights(rule) -> dict[str, float]:
    """Each domain's share of the index (one "index" domain for a rule without domains), computed
    as the engine computes it, so the sliders start at the engine's very weights."""
    if rule.domains:
        total = sum(d.weight for d in rule.domains.values())
        return {name: d.weight / total for name, d in rule.domains.items()}
    return {"index": 1.0}


def score_expression(result: RankResult, domains: dict[str, float]) -> str:
    """Vega expression for the engine's score with the domain weights taken from the sliders: the
    rule's aggregation writes it (:meth:`~allocsim.methods.aggregations.Aggregation.vega_score`).
    Each indicator's share of its domain is written in full (``repr``), as the engine has it."""
    rule = result.rule
    values, weights = [], []
    for i, indicator in enumerate(rule.indicators):
        domain = indicator.domain or "index"
        peers = sum(x.weight for x in rule.indicators if (x.domain or "index") == domain)
        weights.append(f"({slider_name(domain)} * {float(indicator.weight / peers)!r} * datum.a{i})")
        values.append(f"datum.z{i}")
    return AGGREGATIONS[rule.aggregation].vega_score(values, weights)
