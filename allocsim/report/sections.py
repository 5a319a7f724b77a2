"""The report's sections: a heading, a caption and a chart each, computed from the results."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

import allocsim.charts as charts
from allocsim.comparison import Comparison, MoneyComparison
from allocsim.money.per_head import per_head_by
from allocsim.ranking import rank
from allocsim.report.inputs import ReportInputs
from allocsim.robustness import Sensitivity
from allocsim.rollups import rollups
from allocsim.rules.schema import Rule


@dataclass(frozen=True)
class ReportChart:
    name: str
    heading: str
    caption: str
    chart: alt.TopLevelMixin


def comparison_sections(comparison: Comparison, inputs: ReportInputs, boundaries: dict) -> list[ReportChart]:
    base, alt_ = comparison.base.rule.name, comparison.alt.rule.name
    sections = [
        ReportChart("hle_vs_deprivation", "Health and deprivation",
                    "Each point is an English area, placed by deprivation and healthy life expectancy and "
                    "coloured by its priority group under each rule.",
                    charts.hle_vs_deprivation(comparison, inputs.data)),
        ReportChart("focus_rank_change", "The lowest-HLE areas",
                    f"How the rank of each of the {comparison.summary.focus.areas} areas with the lowest "
                    f"{comparison.focus} changes from {base} to {alt_}.",
                    charts.focus_rank_change(comparison)),
        ReportChart("transitions", "Moves between groups",
                    "Areas by their group under each rule.", charts.transition_heatmap(comparison)),
        ReportChart("group_maps", "Maps", "Priority groups under each rule.",
                    charts.group_maps(comparison, boundaries)),
    ]
    if _explorable(comparison.alt.rule):
        sections.append(ReportChart(
            "weights_explorer", f"Try other weights for {alt_}",
            "Move a slider to change a domain's weight: the map and the counts recompute in the browser. "
            "At the starting positions they match the rule exactly.",
            charts.weights_explorer(rank(comparison.alt.rule, inputs.data, inputs.countries), boundaries)))
    return sections


def _explorable(rule: Rule) -> bool:
    return (rule.kind == "index" and rule.categories.shares is not None
            and rule.categories.scope == "pooled" and not rule.no_downgrade_from)


def money_sections(money: MoneyComparison, data: pd.DataFrame) -> list[ReportChart]:
    base, alt_ = money.base.rule.name, money.alt.rule.name
    labels = (base, alt_) if base != alt_ else (f"{base} (base)", f"{alt_} (alternative)")
    allocations = {labels[0]: money.base.allocation, labels[1]: money.alt.allocation}
    health_file = money.summary.parameter_files["health"]
    places = rollups(data, "money")
    return [
        ReportChart("allocation_per_head", "Where the money goes",
                    f"Expected allocation per resident under each rule ({money.summary.mechanism} mechanism).",
                    charts.allocation_per_head({r.column: per_head_by(allocations, data, r.column) for r in places},
                                               {r.column: r.title for r in places})),
        ReportChart("health_by_decile", "Modelled health return",
                    f"MODELLED, not observed. {money.summary.buys_more_health}.",
                    charts.health_by_decile({labels[0]: money.base.health.breakdowns["hle_decile"],
                                             labels[1]: money.alt.health.breakdowns["hle_decile"]}, health_file)),
    ]


def robustness_section(robustness: Sensitivity, inputs: ReportInputs) -> ReportChart:
    name = robustness.rule.name if robustness.rule else inputs.alt.name
    return ReportChart(
        "robustness", f"How robust are the groups under {name}?",
        f"Weights drawn around the rule's own ({robustness.summary.draws:,} "
        f"draws, spread {inputs.spread:g}) and normalisation methods varied: each area's median rank "
        "and 5-95% interval.",
        charts.robustness_bands(robustness.table, name, inputs.robustness_draws))
