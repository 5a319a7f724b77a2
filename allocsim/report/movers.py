"""The biggest movers: the few focus areas (lowest HLE by default) whose group changes most between the two
rules, each explained indicator by indicator (:func:`allocsim.explain.explain_ranked`)."""

from __future__ import annotations

import pandas as pd

from allocsim.charts.explain import movers_chart
from allocsim.comparison import Comparison
from allocsim.explain import Explanation, explain_ranked
from allocsim.outputs import csv_text
from allocsim.report.sections import ReportChart

MOVERS = 3  # of those gaining priority, and as many of those losing it


def biggest_movers(comparison: Comparison, per_direction: int = MOVERS) -> list[str]:
    """The codes of the focus areas that gain priority most, then of those that lose it most (up to
    ``per_direction`` each): by the number of groups moved, then by the change of rank (rank 1 is the
    highest need), then by code."""
    table = comparison.table[comparison.table["in_focus"] & (comparison.table["group_change"] != 0)]
    frame = pd.DataFrame({"code": table.index, "groups": table["group_change"].abs().to_numpy(),
                          "ranks": table["rank_change"].abs().to_numpy(),
                          "gains": (table["group_change"] > 0).to_numpy()})
    ordered = frame.sort_values(["groups", "ranks", "code"], ascending=[False, False, True], kind="stable")
    return [*ordered[ordered["gains"]]["code"][:per_direction], *ordered[~ordered["gains"]]["code"][:per_direction]]


def explain_movers(comparison: Comparison, data: pd.DataFrame, per_direction: int = MOVERS) -> list[Explanation]:
    """Each of :func:`biggest_movers` explained under the comparison's two rules (none when neither
    rule is an index: a published list has no indicators to explain a move by)."""
    if comparison.base.rule.kind != "index" and comparison.alt.rule.kind != "index":
        return []
    labels = (comparison.summary.base_label, comparison.summary.alt_label)
    return [explain_ranked(code, comparison.base, comparison.alt, data, labels)
            for code in biggest_movers(comparison, per_direction)]


def indicator_rows(explanation: Explanation) -> dict:
    """An explanation's indicators as rows of text for the page: indicator, domain, the area's value,
    and under each index rule its normalised need, the weight it carries for the area and its
    contribution to the score."""
    frame = explanation.indicators
    labels = [v.label for v in explanation.views if f"contribution:{v.label}" in frame.columns]
    columns = ["indicator", "domain", "value", *(f"{kind} under {label}" for label in labels
                                                   for kind in ("need", "weight", "contribution"))]
    rows = []
    for _, row in frame.iterrows():
        cells = [row["indicator"], row["domain"] or "(none)", _number(row["value"], "{:,.2f}")]
        for label in labels:
            cells += [_number(row[f"normalised:{label}"], "{:.3f}"), _number(row[f"weight:{label}"], "{:.1%}"),
                      _number(row[f"contribution:{label}"], "{:+.4f}")]
        rows.append(cells)
    return {"columns": columns, "rows": rows}


def _number(value, form: str) -> str:
    return "" if value is None or pd.isna(value) else form.format(float(value))


def movers_section(explanations: list[Explanation], comparison: Comparison) -> ReportChart:
    """The biggest movers' chart, for the page to follow with each one's reasons and indicators."""
    gains = sum(e.views[1].group < e.views[0].group for e in explanations)
    return ReportChart(
        "movers", "Why the biggest movers move",
        f"The {gains} focus areas that gain priority most and the {len(explanations) - gains} that lose it most "
        f"(by groups moved, then by change of rank), each with its rank under both rules against where the groups "
        f"end and its score by domain; below, indicator by indicator: the area's value, its normalised need, the "
        f"weight the indicator carries for the area and its contribution to the score under each index rule.",
        movers_chart(explanations, len(comparison.table)))


def movers_blocks(explanations: list[Explanation]) -> list[dict]:
    """Each mover for the page: a heading, the reasons in words and the indicator table."""
    return [{"heading": f"{e.name} ({e.code})", "reasons": e.reasons, "table": indicator_rows(e)}
            for e in explanations]


def movers_tables(explanations: list[Explanation]) -> dict[str, str]:
    """``movers_indicators.csv`` and ``movers_domains.csv``: every mover's rows as ``allocsim explain
    --out`` writes them for one area, each with its code."""
    if not explanations:
        return {}
    return {"movers_indicators.csv": csv_text(pd.concat([e.indicators.assign(code=e.code) for e in explanations])),
            "movers_domains.csv": csv_text(pd.concat([e.domains.assign(code=e.code) for e in explanations]))}
