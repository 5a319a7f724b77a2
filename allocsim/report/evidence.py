"""The report's evidence sections (issue 13): what the health figures rest on (the central case
beside the median, the difference split at the need gradient, the one-way sensitivity), who wins
and loses money by place, the fairness audits, and the money actually awarded beside the rules'.

Each section is a chart with the tables the page shows below it (:class:`PageTable`); every pound
names its price base and every health figure is labelled modelled.
"""

from __future__ import annotations

import pandas as pd

import allocsim.charts.evidence as evidence_charts
from allocsim.charts.fairness import audits_by_rule, fairness_chart
from allocsim.charts.places import actual_beside, winners_losers
from allocsim.comparison import Comparison, MoneyComparison
from allocsim.comparison.chain import Chain
from allocsim.report.sections import PageTable, ReportChart
from allocsim.text.money import FIGURES
from allocsim.text.tables import interval_text, pounds

PLACES = ("nation", "region")  # the roll-ups whose winners and losers the page shows


def money_evidence_sections(money: MoneyComparison) -> list[ReportChart]:
    """The central case beside the median (with the difference split at the need gradient), the
    one-way sensitivity of the alternative rule's total and of the difference, and the winners and
    losers by nation and region."""
    s = money.summary
    d = s.difference_alt_minus_base
    shown = [r for r in PLACES if r in money.places]  # the roll-ups the data declares
    places = [ReportChart("winners_losers", "Winners and losers by place",
                          f"MODELLED allocation, not money awarded: the change of expected allocation from "
                          f"{s.base.label} to {s.alt.label} in each {' and '.join(shown)}, in {s.price_base}. Every "
                          "roll-up is in the tables (winners_losers_by_*.csv).",
                          winners_losers(money, shown), tables=tuple(places_table(money, r) for r in shown))]
    return places[:1 if shown else 0] + [
        ReportChart("health_central_median", "Central case and Monte Carlo median",
                    f"MODELLED, not observed. The central case (every parameter at its central value) beside the "
                    f"Monte Carlo median and 90% interval. {d.explanation}",
                    evidence_charts.central_beside_median(money), tables=(totals_table(money),)),
        ReportChart("health_one_way", f"What the health return rests on: {s.alt.label}",
                    f"MODELLED, not observed. One-way sensitivity of the total modelled QALYs under {s.alt.label}: "
                    "each parameter from its low to its high value, the others central.",
                    evidence_charts.one_way_chart(money.alt)),
        ReportChart("health_one_way_difference", "What the difference between the rules rests on",
                    f"MODELLED, not observed. One-way sensitivity of the difference in modelled QALYs, {s.alt.label} "
                    f"minus {s.base.label}: with no need gradient the rules buy the same health wherever the money "
                    "goes, so only the need gradient's high value moves it far from zero.",
                    evidence_charts.one_way_chart(money)),
    ]


def totals_table(money: MoneyComparison) -> PageTable:
    """Each rule's modelled totals and the difference: central case beside median (90% interval)."""
    s = money.summary
    rows = []
    for name, label, fmt, scale in FIGURES:
        label = label.replace("value (£bn)", f"value (£bn, {s.price_base})")
        for r in (s.base, s.alt):
            rows.append([label, r.label, fmt.format(getattr(r.central, name) / scale),
                         interval_text(getattr(r.totals, name), fmt, scale)])
    d = s.difference_alt_minus_base
    parts = (("QALYs: difference", d.modelled_qalys), ("  with no need gradient", d.without_need_gradient),
             ("  from the need gradient", d.from_need_gradient))
    for what, estimate in parts:
        rows.append([what, f"{s.alt.label} minus {s.base.label}", f"{estimate.central:+,.1f}",
                     f"{estimate.median:+,.1f} ({estimate.p05:+,.1f} to {estimate.p95:+,.1f})"])
    return PageTable("Modelled totals: central case and Monte Carlo median", ["figure", "rule", "central case",
                                                                                "median (90% interval)"], rows,
                     f"MODELLED, not observed; parameters in {s.parameter_files['health']}; {s.draws:,} paired draws.")


def places_table(money: MoneyComparison, rollup: str) -> PageTable:
    """Winners and losers in each place of ``rollup``: both rules' money, the change, and the areas
    gaining and losing with what they gain and lose."""
    s = money.summary
    frame = money.places[rollup]
    columns = ["place", "areas", f"{s.base.label}", f"{s.alt.label}", "change", "change per resident (£)",
               "areas gaining (£)", "areas losing (£)"]
    rows = [[r.place, f"{r.areas}", pounds(r.base_allocation), pounds(r.alt_allocation),
             f"{'+' if r.allocation_change >= 0 else '-'}{pounds(abs(r.allocation_change))}",
             f"{r.change_per_head:+,.2f}", f"{r.areas_gaining} ({pounds(r.gained_by_gaining_areas)})",
             f"{r.areas_losing} ({pounds(abs(r.lost_by_losing_areas))})"] for r in frame.itertuples()]
    return PageTable(f"By {rollup.replace('_', ' ')}", columns, rows,
                     f"Expected allocations in {s.price_base}; per resident by mid-2019 population.")


def fairness_section(result: Comparison | Chain) -> ReportChart | None:
    """The fairness audits under each rule (every rule of a chain), with each audit's definition and
    source and the areas it finds; None when no area could be assessed (no English area compared)."""
    audits = audits_by_rule(result)
    if not any(a.areas_assessed for a, _ in audits):
        return None
    return ReportChart("fairness", "Fairness audits",
                       "Two questions asked of every published or reconstructed list, each defined as its source "
                       "defines it (English areas with IMD 2019); the areas each finds under each rule are listed "
                       "below.", fairness_chart(result), tables=(fairness_table(result),))


def fairness_table(result: Comparison | Chain) -> PageTable:
    """Each audit's definition, source and HLE measure, and the areas it finds under each rule."""
    comparison = result.total if isinstance(result, Chain) else result
    names = comparison.table["name"]
    rows = []
    for audit, counts in audits_by_rule(result):
        found = _codes_by_rule(result, audit.name)
        for label, count in counts.items():
            listed = ", ".join(f"{names.get(c, c)}" for c in found.get(label) or [])
            rows.append([audit.question, label, "" if count is None else str(count), listed])
    notes = [f"{a.question[0].upper() + a.question[1:]}: {a.definition}; source: {a.source}"
             + (f"; HLE measure {a.hle_column}" if a.hle_column else "") + "." for a, _ in audits_by_rule(result)]
    return PageTable("The areas each audit finds", ["audit", "rule", "areas", "which"], rows, " ".join(notes))


def _codes_by_rule(result: Comparison | Chain, audit: str) -> dict[str, list[str] | None]:
    """The codes an audit finds under each rule, by label."""
    comparisons = result.steps if isinstance(result, Chain) else [result]
    found = {}
    for c in comparisons:
        a = next(x for x in c.summary.fairness if x.name == audit)
        found.setdefault(c.summary.base_label, a.codes["base"])
        found[c.summary.alt_label] = a.codes["alt"]
    return found


ACTUAL_VIEWS = ("luf_category", "hle_decile_upper_tier", "hle_decile_district", "nation", "region")


def actual_section(comparison: Comparison) -> ReportChart:
    """With ``--budget actual``: the money awarded in LUF rounds 1 and 2 beside each rule's simulation
    of the same total, per resident, with a table per view."""
    s = comparison.money.summary
    return ReportChart("actual_beside", "The money actually awarded, beside the rules",
                       f"The budget is {s.budget_basis}. Each rule shares that total by the {s.mechanism} mechanism; "
                       "the simulated money is MODELLED, the awarded money is what DLUHC announced (bids led by a "
                       "county or combined authority shared among its districts by population).",
                       actual_beside(comparison), tables=tuple(actual_table(comparison, v) for v in ACTUAL_VIEWS
                                                               if v in comparison.actual))


def actual_table(comparison: Comparison, view: str) -> PageTable:
    """The money awarded and each rule's simulation, per resident, in each category of ``view``."""
    frame: pd.DataFrame = comparison.actual[view]
    base, alt_ = comparison.summary.base_label, comparison.summary.alt_label
    price_base = comparison.money.summary.price_base
    rows = [[str(r.category), f"{r.areas}", f"{r.population:,.0f}", f"{r.actual_per_head:,.2f}",
             f"{r.base_per_head:,.2f}", f"{r.alt_per_head:,.2f}"] for r in frame.itertuples()]
    return PageTable(comparison.actual.heading(view), ["category", "areas", "population", "awarded, £ per resident",
                                                      f"{base}, £ per resident", f"{alt_}, £ per resident"], rows,
                     f"£ per resident in {price_base}.")
