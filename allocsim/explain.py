"""Explain one area under two rules: indicator by indicator, what each rule makes of it, and why
the area's group differs.

For an index rule each indicator's row gives the area's value, its normalised need (0 where the
area lacks it), the weight it carries for this area (the rule's effective weight, rescaled over
the indicators the area has) and its contribution to the score; the score is placed against the
score of the last area in each group. A published rule has no indicators: its group is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from allocsim.arguments import check_explain_arguments
from allocsim.comparison.labels import rule_labels
from allocsim.datasets.describe import find_area
from allocsim.errors import ParameterError, RuleError
from allocsim.ranking import RankResult, rank
from allocsim.results import JsonResult
from allocsim.rules.schema import Rule


@dataclass(frozen=True)
class RuleView(JsonResult):
    """One rule's view of the area."""

    label: str
    kind: str
    group: int
    rank: float
    score: float | None
    group_edges: list[dict]  # per group before the last with areas: its areas, the score and rank of its last area
    groups: int = 0  # the rule's number of groups (0: not known, as for a published list)


@dataclass(frozen=True)
class Explanation:
    """``indicators``: one row per indicator of either rule: ``indicator, domain, value`` and per rule
    ``normalised:<label>``, ``weight:<label>``, ``contribution:<label>``; ``domains`` the
    contributions summed by domain; ``reasons`` the explanation in words."""

    code: str
    name: str
    views: list[RuleView]
    indicators: pd.DataFrame
    domains: pd.DataFrame
    reasons: list[str]


def explain(area: str, base: Rule | str, alt: Rule | str, data: pd.DataFrame, countries=None) -> Explanation:
    """Why ``area`` (a code or name) has its group under ``base`` and under ``alt``.

    Arguments are checked as the other API functions check them
    (:func:`~allocsim.arguments.check_explain_arguments`)."""
    check_explain_arguments(area, base, alt, data, countries)
    code = find_area(data, area)
    ranked = rank(base, data, countries), rank(alt, data, countries)  # a country --countries names is checked here
    _check_in_countries(data, code, countries)
    return explain_ranked(code, *ranked, data)


def explain_ranked(code: str, base: RankResult, alt: RankResult, data: pd.DataFrame,
                   labels: Sequence[str] | None = None) -> Explanation:
    """:func:`explain` on rankings already made (a comparison's ``base`` and ``alt``): area ``code``
    under both; ``labels`` name the two rules (default: their names, or files when they share one)."""
    results = [base, alt]
    labels = list(labels) if labels else rule_labels([r.rule for r in results])
    views = [_view(label, result, code) for label, result in zip(labels, results)]
    indicators = _indicators(results, labels, code, data)
    domains = _domains(results, labels, code)
    return Explanation(code, str(data.at[code, "name"]) if "name" in data else code, views, indicators, domains,
                       reasons(views, domains, labels))


def _check_in_countries(data: pd.DataFrame, code: str, countries) -> None:
    """Refuse an area that ``countries`` (``--countries``; None or empty: every country) leaves out."""
    country = str(data.at[code, "country"]) if "country" in data else None
    if not countries or country is None or country in countries:
        return
    raise ParameterError(f"--countries {','.join(countries)}: area {data.at[code, 'name']} ({code}) is in "
                         f"{country}, which it leaves out")


def _view(label: str, result: RankResult, code: str) -> RuleView:
    if code not in result.table.index:
        raise_not_covered(result, code)
    row = result.table.loc[code]
    score = None if pd.isna(row["score"]) else float(row["score"])
    groups = result.rule.categories.n_groups if result.rule.categories is not None else 0
    return RuleView(label, result.rule.kind, int(row["group"]), float(row["rank"]), score, _edges(result), groups)


def raise_not_covered(result: RankResult, code: str) -> None:
    """Raise :class:`~allocsim.errors.RuleError`: area ``code`` is not among the areas ``result``'s rule
    covers (the message names the rule's file and countries)."""
    raise RuleError(f"{result.rule.source}: area {code} is not among the areas the rule covers "
                    f"({', '.join(result.rule.countries)})")


def _edges(result: RankResult) -> list[dict]:
    """Each group before the last one with areas: its number of ``areas`` and the rank and score of its last
    area (score None for a published rule). An empty group (a share too small to give it an area, or a
    threshold no area meets) ends where the group before it does: rank 0 and no score when it is the first."""
    table = result.table.sort_values("rank", kind="stable")
    edges, rank, score = [], 0.0, None
    for group in range(1, int(table["group"].max())):
        members = table[table["group"] == group]
        if len(members):
            last = members.iloc[-1]
            rank, score = float(last["rank"]), None if pd.isna(last["score"]) else float(last["score"])
        edges.append({"group": group, "areas": len(members), "rank": rank, "score": score})
    return edges


def _indicators(results: list[RankResult], labels: list[str], code: str, data: pd.DataFrame) -> pd.DataFrame:
    columns = list(dict.fromkeys(i.column for r in results if r.rule.kind == "index" for i in r.rule.indicators))
    frame = pd.DataFrame({"indicator": columns})
    domain = {i.column: i.domain or "" for r in results if r.rule.kind == "index" for i in r.rule.indicators}
    frame["domain"] = [domain[c] for c in columns]
    frame["value"] = [data.at[code, c] if c in data.columns else np.nan for c in columns]
    for label, result in zip(labels, results):
        if result.rule.kind != "index":
            continue
        normalised = result.normalised.loc[code] if result.normalised is not None else pd.Series(dtype=float)
        contributions = result.contributions().loc[code]
        available = normalised.notna()
        weights = result.weights.where(available.reindex(result.weights.index, fill_value=False), 0.0)
        weights = weights / weights.sum() if weights.sum() > 0 else weights
        frame[f"normalised:{label}"] = [normalised.get(c, np.nan) for c in columns]
        frame[f"weight:{label}"] = [weights.get(c, np.nan) for c in columns]
        frame[f"contribution:{label}"] = [contributions.get(c, np.nan) for c in columns]
    return frame


def _domains(results: list[RankResult], labels: list[str], code: str) -> pd.DataFrame:
    rows = {}
    for label, result in zip(labels, results):
        if result.rule.kind != "index":
            continue
        domain = {i.column: i.domain or "index" for i in result.rule.indicators}
        contributions = result.contributions().loc[code]
        for column, value in contributions.items():
            sums = rows.setdefault(domain[column], {})
            sums[label] = sums.get(label, 0.0) + float(value)
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("domain").reset_index()


def reasons(views: list[RuleView], domains: pd.DataFrame, labels: list[str]) -> list[str]:
    """The area's place under each rule, against the groups' edges, and what moved it."""
    lines = [_place(v) for v in views]
    before, after = views
    if before.group == after.group:
        lines.append(f"It stays in group {after.group}.")
        return lines
    direction = "rises" if after.group < before.group else "falls"
    lines.append(f"It {direction} from group {before.group} to group {after.group}.")
    if before.kind == "published" and after.kind == "index":
        lines.append(f"'{before.label}' reads its group from the published list, so the move is between the "
                     f"published list and this index, not between two sets of weights.")
    if not domains.empty and all(label in domains.columns for label in labels):
        change = (domains[labels[1]].fillna(0) - domains[labels[0]].fillna(0))
        order = change.abs().sort_values(ascending=False).index[:3]
        parts = [f"{domains.at[i, 'domain']} {change[i]:+.3f}" for i in order if abs(change[i]) > 1e-12]
        if parts:
            lines.append(f"Largest changes in contribution to the score, '{labels[1]}' minus '{labels[0]}': "
                         f"{', '.join(parts)}.")
    return lines


def _place(v: RuleView) -> str:
    if v.score is None:
        return f"Under '{v.label}' it is in group {v.group} (read from the published list; rank {v.rank:g} is its " \
               f"group's mean)."
    edge = next((e for e in v.group_edges if e["group"] == v.group), None)
    where = (f"group {v.group} runs to rank {edge['rank']:g}, score {edge['score']:.4f}" if edge
             else "the last group" + (" with areas" if v.group < v.groups else ""))
    edges, above, empty = {e["group"]: e for e in v.group_edges}, v.group - 1, []
    while above in edges and not edges[above]["areas"]:  # the empty groups just above, then the first with areas
        empty, above = [above, *empty], above - 1
    if empty:
        where += f"; group{'s' if len(empty) > 1 else ''} {' and '.join(map(str, empty))} " \
                 f"{'have' if len(empty) > 1 else 'has'} no areas"
    if above in edges:
        where += f"; group {above} ends at rank {edges[above]['rank']:g}, score {edges[above]['score']:.4f}"
    return f"Under '{v.label}' it scores {v.score:.4f}, rank {v.rank:g}, group {v.group} ({where})."
