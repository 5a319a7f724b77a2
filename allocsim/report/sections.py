"""The report's sections: a heading, a caption and a chart each, computed from the results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import pandas as pd

import allocsim.charts as charts
from allocsim.charts.comparison import deprivation_columns
from allocsim.charts.explorer import domain_weights, slider_name
from allocsim.charts.maps import without_boundary
from allocsim.charts.money import per_head_tables
from allocsim.comparison import Comparison, MoneyComparison
from allocsim.comparison.focus import focus_areas
from allocsim.money.simulation import Simulation
from allocsim.report.inputs import ReportInputs
from allocsim.robustness import Sensitivity
from allocsim.rules.dump import rule_toml
from allocsim.rules.schema import Rule


@dataclass(frozen=True)
class RuleExport:
    """A rule the page lets the reader save: ``template`` is its TOML with ``@@SLIDER@@`` where the
    page writes each slider's value (:data:`PLACEHOLDER`)."""

    template: str
    filename: str
    sliders: tuple[str, ...]


PLACEHOLDER = "@@{}@@"


@dataclass(frozen=True)
class PageTable:
    """A table the page shows below a chart: cells as text (escaped by the template)."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass(frozen=True)
class ReportChart:
    """One section of the report: a heading, a caption, a chart (not yet drawn), and what the page
    shows below the chart (the weights explorer's rule file, tables)."""

    name: str
    heading: str
    caption: str
    chart: alt.TopLevelMixin
    export: RuleExport | None = None  # the weights explorer's rule, as the sliders set it
    tables: tuple[PageTable, ...] = ()


def comparison_sections(comparison: Comparison, inputs: ReportInputs, boundaries: dict) -> list[ReportChart]:
    """The sections every report has: health against deprivation, the focus areas (lowest HLE by default), the moves
    between groups, the maps and (for an index rule cut by pooled shares) the weights explorer."""
    base, alt_ = comparison.base.rule.name, comparison.alt.rule.name
    sections = []
    if _deprivation(comparison, inputs.data):
        sections.append(ReportChart("hle_vs_deprivation", "Health and deprivation",
                                    "Each point is an English area, placed by deprivation and healthy life "
                                    "expectancy and coloured by its priority group under each rule.",
                                    charts.hle_vs_deprivation(comparison, inputs.data)))
    sections += [
        ReportChart("focus_rank_change", f"The {focus_areas(comparison.focus, end=comparison.focus_end)}",
                    f"Each of the {comparison.summary.focus.areas} areas with the {comparison.focus_end} "
                    f"{comparison.focus}, "
                    f"by name and by its group under {base}: the ranks it may hold under {base} (a published "
                    f"list gives no order within a category) and its rank under {alt_}; the biggest movers "
                    "are labelled, and the tables below list every focus area that changes group.",
                    charts.focus_rank_change(comparison)),
        ReportChart("transitions", "Moves between groups",
                    "Areas by their group under each rule.", charts.transition_heatmap(comparison)),
        ReportChart("group_maps", "Maps", maps_caption(comparison, boundaries),
                    charts.group_maps(comparison, boundaries)),
    ]
    if _explorable(comparison.alt.rule):
        sections.append(ReportChart(
            "weights_explorer", f"Try other weights for {alt_}",
            "Move a slider to change a domain's weight: the map and the counts recompute in the browser. "
            f"At the starting positions they match the rule exactly. Below the chart, {alt_} with the sliders' "
            "weights as a rule file: save it and run it with allocsim.",
            charts.weights_explorer(comparison.alt, boundaries, comparison=comparison),
            explorer_export(comparison.alt.rule, inputs.overrides)))
    return sections


def maps_caption(comparison: Comparison, boundaries: dict) -> str:
    """What the maps show, naming any area they cannot draw."""
    caption = ("Priority groups under each rule, and the areas whose group changes; London's boroughs "
               "at a larger scale below each map.")
    missing = without_boundary(comparison.table, boundaries)
    if missing:
        caption += f" Not drawn, having no LAD 2020 boundary ({len(missing)}): {', '.join(missing)}."
    return caption


def _deprivation(comparison: Comparison, data: pd.DataFrame) -> bool:
    """Whether ``data`` has what the health-and-deprivation chart plots (a table given with ``--data`` may not)."""
    imd, hle = deprivation_columns(comparison)
    return imd in data and hle in data and bool(data[imd].notna().any())


def _explorable(rule: Rule) -> bool:
    return (rule.kind == "index" and rule.categories.shares is not None
            and rule.categories.scope == "pooled" and not rule.no_downgrade_from)


def money_sections(money: MoneyComparison, data: pd.DataFrame,
                   simulations: Mapping[str, Simulation] | None = None) -> list[ReportChart]:
    """Where the money goes and the modelled health return; ``simulations`` (by label, in order) are
    every rule's of a chain, else the two rules of ``money``."""
    base, alt_ = money.base.rule.name, money.alt.rule.name
    labels = (base, alt_) if base != alt_ else (f"{base} (base)", f"{alt_} (alternative)")
    if simulations:
        labels = (next(iter(simulations)), list(simulations)[-1])
    simulations = simulations or {labels[0]: money.base, labels[1]: money.alt}
    allocations = {label: s.allocation for label, s in simulations.items()}
    health_file = money.summary.parameter_files["health"]
    return [
        ReportChart("allocation_per_head", "Where the money goes",
                    f"Expected allocation per resident under each rule ({money.summary.mechanism} mechanism).",
                    charts.allocation_per_head(*per_head_tables(allocations, data))),
        ReportChart("health_by_decile", "Modelled health return",
                    f"MODELLED, not observed. {money.summary.buys_more_health}.",
                    charts.health_by_decile({label: s.health.breakdowns["hle_decile"]
                                             for label, s in simulations.items()}, health_file,
                                            hle_column=money.base.health.summary.hle_column)),
        ReportChart("health_difference", "The difference between the rules",
                    f"MODELLED, not observed. {alt_} minus {base} on paired draws, by decile of "
                    f"{money.base.health.summary.hle_column} and over all areas: "
                    "where the interval leaves zero the rules differ, even where their own intervals overlap.",
                    charts.health_difference_by_decile(money.by_hle_decile, *labels, health_file,
                                                       money.summary.difference_alt_minus_base.modelled_qalys,
                                                       hle_column=money.base.health.summary.hle_column)),
    ]


def robustness_section(robustness: Sensitivity, inputs: ReportInputs) -> ReportChart:
    """How sure each area's rank is under the alternative rule with weights drawn around its own."""
    name = robustness.rule.name if robustness.rule else inputs.alt.name
    return ReportChart(
        "robustness", f"How robust are the groups under {name}?",
        f"Weights drawn around the rule's own ({robustness.summary.draws:,} "
        f"draws, spread {inputs.spread:g}) and normalisation methods varied: each area's median rank "
        "and 5-95% interval.",
        charts.robustness_bands(robustness.table, name, inputs.robustness_draws))


def explorer_export(rule: Rule, overrides: tuple[str, ...]) -> RuleExport:
    """``rule`` renamed ``<name>-explored``, its domain weights left for the page to fill in."""
    sliders = {domain: slider_name(domain) for domain in domain_weights(rule)}  # "index" when no domains
    changed = f" with --set {' --set '.join(overrides)}" if overrides else ""
    chosen = ", ".join(f"{d} {PLACEHOLDER.format(s)}" for d, s in sliders.items() if d in rule.domains)
    explored = rule.model_copy(update={
        "name": f"{rule.name}-explored",
        "title": f"{rule.title} (domain weights from the allocsim report's weights explorer)",
        "description": (f"Rule '{rule.name}'{changed}, with the domain weights set by the sliders of the "
                        "weights explorer in an allocsim report" + (f": {chosen}" if chosen else "")
                        + " (relative weights: each is divided by their sum). Everything else is as in that "
                        "rule, whose description follows.\n\n" + rule.description.strip() + "\n"),
    })
    template = rule_toml(explored, {f"domains.{d}.weight": PLACEHOLDER.format(s) for d, s in sliders.items()
                                    if d in rule.domains})
    return RuleExport(template, f"{explored.name}.toml", tuple(sliders.values()))
