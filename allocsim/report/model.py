"""Compute everything a report shows, before anything is drawn: a typed report model.

:func:`build` runs the comparison's money and robustness, and gathers the sections (each a chart
object, not yet drawn), the tables as text, the manifest and the notices. Rendering the model to
HTML, SVG and PNG (:mod:`allocsim.report.rendering`) is a separate, slower step, so tests of what a
report says read the model and never pay for images.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from allocsim.charts.spec import unchecked
from allocsim.comparison import Comparison, with_money
from allocsim.comparison.chain import Chain, with_chain_money
from allocsim.comparison.compare_rules import with_actual
from allocsim.datasets import load_boundaries
from allocsim.explain import Explanation
from allocsim.money.simulation import Simulation
from allocsim.outputs import comparison_files, csv_text, sensitivity_frame
from allocsim.report.chain import chain_sections, chain_tables
from allocsim.report.evidence import actual_section, fairness_section, money_evidence_sections
from allocsim.report.inputs import CheckedInputs, ReportInputs, check_inputs
from allocsim.report.manifest import manifest
from allocsim.report.movers import explain_movers, movers_section, movers_tables
from allocsim.report.notice import money_notice
from allocsim.report.sections import ReportChart, comparison_sections, money_sections, robustness_section
from allocsim.report.tables import comparison_tables, money_tables
from allocsim.robustness import Sensitivity, sensitivity


@dataclass(frozen=True)
class ReportModel:
    """Everything a report shows, computed and not yet drawn (:func:`build` makes it;
    :func:`allocsim.report.rendering.render` turns it into files)."""

    inputs: ReportInputs
    comparison: Comparison  # with its money when the report has a budget (of the first rule with the last)
    robustness: Sensitivity | None
    sections: list[ReportChart]
    tables: dict[str, str]  # file name in tables/ -> text
    manifest: dict
    notice: dict | None  # the money notice at the top of the page
    boundaries: dict  # the LAD 2020 topology the maps draw on
    chain: Chain | None = None  # a chain of three or more rules: every step, with its money
    movers: list[Explanation] = field(default_factory=list)  # the biggest movers, explained


def build(inputs: ReportInputs, checked: CheckedInputs | None = None,
          on_section: Callable[[ReportChart], None] | None = None) -> ReportModel:
    """The model of the report on ``inputs``; ``checked`` is what :func:`check_inputs` returned for
    them (checked now if not given). ``on_section`` is given each section as soon as it is made
    (a :class:`~allocsim.report.rendering.Drawer` starts drawing it while the rest is computed)."""
    checked = check_inputs(inputs) if checked is None else checked
    with unchecked():  # each chart's spec is validated whole, by the tests
        return _build(inputs, checked, on_section or (lambda section: None))


def _build(inputs: ReportInputs, checked: CheckedInputs, made: Callable[[ReportChart], None]) -> ReportModel:
    boundaries = load_boundaries()
    comparison, chain, settings = checked.comparison, checked.chain, checked.money_settings
    sections: list[ReportChart] = []

    def add(*new: ReportChart | None) -> None:
        for section in (s for s in new if s is not None):
            sections.append(section)
            made(section)

    tables = {}
    if chain is not None:
        chain = _chain_money(chain, checked, inputs)
        comparison = chain.total
        tables = chain_tables(chain)
        add(*chain_sections(chain))
    add(*comparison_sections(comparison, inputs, boundaries))
    movers = explain_movers(comparison, inputs.data)
    add(movers_section(movers, comparison) if movers else None, fairness_section(chain or comparison))
    if chain is None:
        tables = comparison_tables(comparison)  # summary.json without the money: money_summary.json has it
        if settings is not None:
            comparison = with_money(comparison, inputs.data, settings)
            if checked.actual is not None:
                comparison = with_actual(comparison, checked.actual, inputs.data)
            tables |= money_tables(comparison.money)
    if comparison.money is not None:
        add(*money_sections(comparison.money, inputs.data, chain_simulations(chain)),
            *money_evidence_sections(comparison.money))
    if comparison.actual is not None:
        add(actual_section(comparison))
        tables |= {n: t for n, t in comparison_files(comparison).items() if n.startswith("actual_beside_by_")}
    tables |= movers_tables(movers)
    robustness = None
    if inputs.robustness_draws:
        robustness = sensitivity(comparison.alt.rule, inputs.data, inputs.robustness_draws, inputs.spread,
                                 inputs.seed, inputs.countries)
        add(robustness_section(robustness, inputs))
        tables["robustness.csv"] = csv_text(sensitivity_frame(robustness))
    notice = money_notice(comparison.money, chain_simulations(chain)) if comparison.money is not None else None
    return ReportModel(inputs, comparison, robustness, in_page_order(sections), tables,
                       manifest(inputs, comparison.money, checked.actual), notice, boundaries, chain, movers)


PAGE_ORDER = ("chain_focus_steps", "chain_focus_groups", "chain_health", "hle_vs_deprivation", "focus_rank_change",
              "movers", "transitions", "fairness", "group_maps", "weights_explorer", "allocation_per_head",
              "winners_losers", "actual_beside", "health_by_decile", "health_central_median", "health_difference",
              "health_one_way", "health_one_way_difference", "robustness")


def in_page_order(sections: list[ReportChart]) -> list[ReportChart]:
    """``sections`` in the order of :data:`PAGE_ORDER` (any other after them, as given)."""
    rank = {name: i for i, name in enumerate(PAGE_ORDER)}
    return sorted(sections, key=lambda s: rank.get(s.name, len(PAGE_ORDER)))


def _chain_money(chain: Chain, checked: CheckedInputs, inputs: ReportInputs) -> Chain:
    """The chain with every rule's money (and the money awarded beside the whole chain's)."""
    if checked.money_settings is None:
        return chain
    return with_chain_money(chain, inputs.data, checked.money_settings, checked.actual)


def chain_simulations(chain: Chain | None) -> dict[str, Simulation] | None:
    """Every rule's simulation of a chain by its label (None for two rules)."""
    if chain is None or chain.simulations is None:
        return None
    return dict(zip(chain.labels, chain.simulations))

