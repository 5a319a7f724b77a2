"""Why an area moves between two rules: where it ranks under each against the groups' ends, and
what each domain contributes to its score under each.

Takes the :class:`~allocsim.explain.Explanation` that ``allocsim.explain.explain(area, base, alt,
data)`` returns, so one area can be charted from Python::

    from allocsim import charts
    from allocsim.explain import explain
    charts.explanation_chart(explain("Barnsley", "luf-2021-published", "health-inclusive", data))
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from allocsim.charts.theme import DATA_NOTE, GUIDE, PAGE_WIDTH, UNCERTAINTY, rule_scale, title
from allocsim.explain import Explanation, RuleView

PANEL_HEIGHT = 24  # pixels per rule, and per domain and rule


def group_ends(view: RuleView) -> list[float]:
    """The last rank of each group but the last under one rule. A published list ties each group at
    its mean rank (``view.group_edges`` holds those means), so its groups' ends are rebuilt from them:
    a group that starts at rank ``first`` with mean ``m`` ends at ``2 m - first``."""
    if view.score is not None:
        return [e["rank"] for e in view.group_edges]
    ends: list[float] = []
    for edge in view.group_edges:
        first = (ends[-1] if ends else 0) + 1
        ends.append(2 * edge["rank"] - first if edge["areas"] else first - 1)  # an empty group ends where it starts
    return ends


def places_frame(explanation: Explanation) -> pd.DataFrame:
    """One row per rule: the area's rank and group, and the ranks its group runs over (``first``,
    ``last``; a published list gives no order within a group, so its area may hold any of them)."""
    rows = []
    for view in explanation.views:
        ends, published = group_ends(view), view.score is None
        first = (ends[view.group - 2] if view.group > 1 else 0) + 1
        last = ends[view.group - 1] if view.group <= len(ends) else (2 * view.rank - first if published else None)
        rows.append({"rule": view.label, "rank": view.rank, "group": view.group, "published": published,
                     "first": first, "last": last, "score": view.score})
    return pd.DataFrame(rows)


def edges_frame(explanation: Explanation) -> pd.DataFrame:
    """Where each group but the last ends under each rule, half a rank after its last area."""
    return pd.DataFrame([{"rule": v.label, "line": end + 0.5, "label": f"end of group {group}"}
                         for v in explanation.views for group, end in enumerate(group_ends(v), start=1)],
                        columns=["rule", "line", "label"])


def domains_frame(explanation: Explanation) -> pd.DataFrame:
    """The area's contribution to its score by domain under each index rule (long form)."""
    labels = [v.label for v in explanation.views if v.label in explanation.domains.columns]
    return explanation.domains.melt(id_vars="domain", value_vars=labels, var_name="rule",
                                    value_name="contribution").dropna(subset=["contribution"])


def explanation_chart(explanation: Explanation, areas: int | None = None) -> alt.HConcatChart:
    """One area under two rules: its rank under each against where the groups end (a published
    list's whole group as a bar), and its contribution to the score by domain under each index rule
    (the contributions add up to the score). ``areas``: how many areas are ranked (the rank axis)."""
    labels = [v.label for v in explanation.views]
    places, edges = places_frame(explanation), edges_frame(explanation)
    n = areas or int(max(places[["rank", "last"]].max().max(), edges["line"].max() if len(edges) else 0) + 1)
    scale = alt.Scale(domain=[0, n + 1], nice=False)
    x = alt.X("rank:Q", title="Rank (1 = most need)", scale=scale)
    y = alt.Y("rule:N", sort=labels, title=None)
    span = alt.Chart(places[places["published"]]).mark_bar(color=UNCERTAINTY, opacity=0.6, height=14).encode(
        x=alt.X("first:Q", scale=scale), x2="last:Q", y=y,
        tooltip=[alt.Tooltip("rule:N"), alt.Tooltip("group:O"), alt.Tooltip("first:Q", title="group's first rank"),
                 alt.Tooltip("last:Q", title="group's last rank")])
    dot = alt.Chart(places[~places["published"]]).mark_circle(size=90, opacity=1).encode(
        x=x, y=y, color=alt.Color("rule:N", sort=labels, scale=rule_scale(labels), title="Rule",
                                  legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("rule:N"), alt.Tooltip("rank:Q"), alt.Tooltip("group:O"),
                 alt.Tooltip("score:Q", format=".4f")])
    ends = alt.Chart(edges).mark_tick(color=GUIDE, thickness=2, size=20).encode(
        x=alt.X("line:Q", scale=scale), y=y, tooltip=[alt.Tooltip("rule:N"), alt.Tooltip("label:N")])
    place = alt.layer(span, ends, dot, width=(PAGE_WIDTH - 300) // 2, height=alt.Step(PANEL_HEIGHT),
                      title=alt.TitleParams("Rank under each rule; ticks: where groups end", fontSize=11,
                                            fontWeight="normal"))
    contributions = domains_frame(explanation)
    index_labels = list(pd.unique(contributions["rule"])) if len(contributions) else []
    bars = alt.Chart(contributions).mark_bar().encode(
        y=alt.Y("domain:N", title=None), yOffset=alt.YOffset("rule:N", sort=index_labels),
        x=alt.X("contribution:Q", title="Contribution to the score"),
        color=alt.Color("rule:N", sort=labels, scale=rule_scale(labels), title="Rule",
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("domain:N"), alt.Tooltip("rule:N"), alt.Tooltip("contribution:Q", format="+.4f")])
    domains = bars.properties(width=(PAGE_WIDTH - 300) // 2, height=alt.Step(PANEL_HEIGHT // 2 + 2),
                              title=alt.TitleParams("Contribution to the score by domain", fontSize=11,
                                                    fontWeight="normal"))
    before, after = explanation.views
    return alt.hconcat(place, domains, spacing=40, resolve=alt.Resolve(scale=alt.ScaleResolveMap(color="shared")),
                       title=alt.TitleParams(f"{explanation.name} ({explanation.code}): group {before.group} under "
                                             f"{before.label}, group {after.group} under {after.label}",
                                             fontSize=13, anchor="start"))


def movers_chart(explanations: Sequence[Explanation], areas: int | None = None) -> alt.VConcatChart:
    """:func:`explanation_chart` for each area of ``explanations`` (e.g. the report's biggest movers),
    one under another, on one rank axis of ``areas`` areas."""
    if not explanations:
        raise ValueError("no areas to chart")
    panels = [explanation_chart(e, areas) for e in explanations]
    return alt.vconcat(*panels, spacing=28, title=title(
        "Why the biggest movers move",
        "For each area: its rank under each rule against where the rule's groups end (a published list gives "
        "no order within a category: its bar is the whole category),",
        "and what each domain adds to its score under each index rule (the contributions add up to the score).",
        DATA_NOTE))
