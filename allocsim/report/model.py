"""Compute everything a report shows, before anything is drawn: a typed report model.

:func:`build` runs the comparison's money and robustness, and gathers the sections (each a chart
object, not yet drawn), the tables as text, the manifest and the notices. Rendering the model to
HTML, SVG and PNG (:mod:`allocsim.report.rendering`) is a separate, slower step, so tests of what a
report says read the model and never pay for images.
"""

from __future__ import annotations

from dataclasses import dataclass

from allocsim.charts.spec import unchecked
from allocsim.comparison import Comparison, with_money
from allocsim.datasets import load_boundaries
from allocsim.outputs import csv_text, sensitivity_frame
from allocsim.report.html import money_notice
from allocsim.report.inputs import CheckedInputs, ReportInputs, check_inputs
from allocsim.report.manifest import manifest
from allocsim.report.sections import ReportChart, comparison_sections, money_sections, robustness_section
from allocsim.report.tables import comparison_tables, money_tables
from allocsim.robustness import Sensitivity, sensitivity


@dataclass(frozen=True)
class ReportModel:
    inputs: ReportInputs
    comparison: Comparison  # with its money when the report has a budget
    robustness: Sensitivity | None
    sections: list[ReportChart]
    tables: dict[str, str]  # file name in tables/ -> text
    manifest: dict
    notice: dict | None  # the money notice at the top of the page
    boundaries: dict  # the LAD 2020 topology the maps draw on


def build(inputs: ReportInputs, checked: CheckedInputs | None = None) -> ReportModel:
    """The model of the report on ``inputs``; ``checked`` is what :func:`check_inputs` returned for
    them (checked now if not given)."""
    checked = check_inputs(inputs) if checked is None else checked
    with unchecked():  # the charts are validated once each, when rendered
        return _build(inputs, checked)


def _build(inputs: ReportInputs, checked: CheckedInputs) -> ReportModel:
    boundaries = load_boundaries()
    comparison = checked.comparison
    sections = comparison_sections(comparison, inputs, boundaries)
    tables = comparison_tables(comparison)
    if checked.money_settings is not None:
        comparison = with_money(comparison, inputs.data, checked.money_settings)
        sections += money_sections(comparison.money, inputs.data)
        tables |= money_tables(comparison.money)
    robustness = None
    if inputs.robustness_draws:
        robustness = sensitivity(comparison.alt.rule, inputs.data, inputs.robustness_draws, inputs.spread,
                                 inputs.seed, inputs.countries)
        sections.append(robustness_section(robustness, inputs))
        tables["robustness.csv"] = csv_text(sensitivity_frame(robustness))
    notice = money_notice(comparison.money) if comparison.money is not None else None
    return ReportModel(inputs, comparison, robustness, sections, tables, manifest(inputs, comparison.money),
                       notice, boundaries)
