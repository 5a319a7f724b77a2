"""What each column of the tool's output tables means, in words: the definitions a workbook's
README sheet lists, so that a sheet read on its own can be understood.

A column of the dataset is defined by its metadata (description, unit, publisher); the tool's own
columns by :data:`DEFINITIONS`, by :data:`PREFIXES` (``allocation:<rule>``) and by
:data:`INTERVALS` (``<stem>_central``, ``_median``, ``_p05``, ``_p95``).
"""

from __future__ import annotations

import pandas as pd

from allocsim.prices import price_base_label

POUNDS = "pounds, in the price base the table's price_base column names"

DEFINITIONS = {
    "code": "GSS code of the lower-tier council (LAD 2020)",
    "name": "the council's name",
    "country": "nation: England, Scotland or Wales",
    "rank": "position under the rule, 1 = highest priority (ties share the mean of their positions)",
    "group": "priority group under the rule, 1 = highest priority",
    "score": "the rule's need score (the weighted sum of normalised indicators; higher = more need)",
    "base_rank": "rank under the first (base) rule, 1 = highest priority",
    "alt_rank": "rank under the other (alternative) rule, 1 = highest priority",
    "rank_change": "base_rank minus alt_rank: positive = higher priority under the alternative rule",
    "base_group": "priority group under the base rule, 1 = highest priority",
    "alt_group": "priority group under the alternative rule, 1 = highest priority",
    "group_change": "base_group minus alt_group: positive = a higher priority group under the alternative rule",
    "in_focus": "True for the focus areas: the share of areas (--focus-share, default 30%) with the lowest values of "
                "--focus (default hle_male_2011_13), or the highest with --focus-end highest",
    "base_rule": "the step's first rule", "alt_rule": "the step's second rule",
    "kind": "reconstruction (a rule rebuilding a published list) or criteria (a change of criteria)",
    "focus_gain_priority": "focus areas in a higher priority group after the step",
    "focus_lose_priority": "focus areas in a lower priority group after the step",
    "focus_in_group1_base": "focus areas in group 1 under the step's first rule",
    "focus_in_group1_alt": "focus areas in group 1 under the step's second rule",
    "areas_changing_group": "areas whose priority group differs between the two rules",
    "kendall_tau": "Kendall's tau-b rank correlation between the two rules' ranks",
    "money_moved_between_areas": f"the sum of the gains of the areas that gain money ({POUNDS})",
    "population": "residents, mid-2019 (ONS mid-year estimates)",
    "allocation": f"expected money for the area under the simulated mechanism ({POUNDS})",
    "allocation_p05": f"5th percentile of the area's money over the draws ({POUNDS})",
    "allocation_p95": f"95th percentile of the area's money over the draws ({POUNDS})",
    "allocation_per_head": "expected money per resident, pounds (same price base)",
    "funded_probability": "modelled chance that the area receives money (competitive mechanism)",
    "base_allocation": f"expected money under the base rule ({POUNDS})",
    "alt_allocation": f"expected money under the alternative rule ({POUNDS})",
    "allocation_change": f"alt_allocation minus base_allocation ({POUNDS})",
    "change_per_head": f"allocation_change per resident ({POUNDS})",
    "areas": "number of areas in the row's place or category",
    "place": "the place (nation, region, combined authority or health geography) the row sums",
    "category": "the breakdown's category (an HLE decile 1 = lowest HLE, an IMD quintile, a nation, ...; "
                "the areas in none, such as those with no IMD 2019 value for IMD quintiles, in a row of their own)",
    "areas_gaining": "areas in the place that gain money under the alternative rule",
    "areas_losing": "areas in the place that lose money under the alternative rule",
    "gained_by_gaining_areas": f"money gained by the areas that gain ({POUNDS})",
    "lost_by_losing_areas": f"money lost by the areas that lose, negative ({POUNDS})",
    "actual_per_head": f"money actually awarded in LUF rounds 1 and 2 per resident, pounds, {price_base_label()}",
    "hle_decile": "decile of the health model's HLE column (summary.json's hle_column: the --focus column when it "
                  "is an HLE measure, else the parameter file's), 1 = lowest healthy life expectancy",
    "parameter": "the health-return parameter varied, others held at their central values",
    "low": "the parameter's low value (its evidence range)", "high": "the parameter's high value",
    "swing": "modelled_qalys_at_high minus modelled_qalys_at_low (QALYs, modelled)",
    "difference_central": "the modelled QALY difference (alternative minus base) with every parameter central",
    "difference_at_low": "the modelled QALY difference with this parameter at its low value",
    "difference_at_high": "the modelled QALY difference with this parameter at its high value",
    "modelled_qalys_at_low": "modelled QALYs with this parameter at its low value",
    "modelled_qalys_at_high": "modelled QALYs with this parameter at its high value",
    "price_base": "the price base of the table's amounts in pounds; in a one-way table, of the row's low and "
                  "high values (blank where they are not pounds)",
    "parameters": "the parameter files (and any --param) the money and modelled health rest on",
    "indicator": "the rule's indicator (a dataset column)", "domain": "the indicator's domain in the rule",
    "value": "the area's value of the indicator",
}

PREFIXES = {
    "group:": "priority group under rule {}",
    "allocation:": "expected money under rule {} (" + POUNDS + ")",
    "per_head:": "simulated money per resident under rule {}, pounds, " + price_base_label(),
    "normalised:": "the area's normalised need on the indicator under rule {} (0 = least need)",
    "weight:": "the indicator's share of the score for this area under rule {}",
    "contribution:": "weight x normalised need under rule {} (the contributions add up to the score)",
}

STEMS = {
    "modelled_qalys": "modelled quality-adjusted life years gained (modelled, not observed)",
    "modelled_qalys_change": "modelled QALYs, alternative rule minus base rule (modelled)",
    "modelled_qalys_change_from_need_gradient": "the part of the QALY difference that comes from the need "
                                                "gradient alone (modelled)",
    "modelled_healthy_months": "modelled healthy months per resident: 12 x the QALYs before discounting, over "
                               "the population (modelled)",
    "modelled_healthy_months_change": "modelled healthy months per resident (before discounting), alternative "
                                      "minus base (modelled)",
    "modelled_value_gbp": f"the modelled QALYs valued at the QALY value ({POUNDS}; modelled)",
    "modelled_bcr": "modelled benefit-cost ratio: modelled_value_gbp over the money (modelled)",
}
INTERVALS = {"central": "{}, every parameter at its central value",
             "median": "{}, median over the Monte Carlo draws",
             "p05": "{}, 5th percentile over the draws", "p95": "{}, 95th percentile over the draws"}
SIDES = {"base": "{}, under the base rule", "alt": "{}, under the alternative rule"}
AUDITS = {"prosperous_in_group1": "fairness audit (press): group 1 areas in England's less deprived half",
          "deprived_unhealthy_in_lowest_group": "fairness audit (Health Foundation): lowest-group areas in the "
                                                "more deprived half with below-average male HLE"}


def define(column: str, data: pd.DataFrame | None = None) -> str:
    """``column`` in words, or "" when the tool has no definition for it."""
    if column in DEFINITIONS:
        return DEFINITIONS[column]
    for prefix, words in PREFIXES.items():
        if column.startswith(prefix):
            return words.format(f"'{column[len(prefix):]}'")
    stem, _, suffix = column.rpartition("_")
    if stem in STEMS and suffix in INTERVALS:
        return INTERVALS[suffix].format(STEMS[stem])
    if stem in AUDITS and suffix in SIDES:
        return SIDES[suffix].format(AUDITS[stem])
    return _from_metadata(column, data)


def _from_metadata(column: str, data: pd.DataFrame | None) -> str:
    meta = (data.attrs.get("columns") or {}).get(column) if data is not None else None
    if not meta:
        return ""
    words = meta.get("description", "")
    if meta.get("unit") and meta["unit"] not in ("text", "code"):
        words += f" ({meta['unit']})"
    if meta.get("publisher"):
        words += f"; source: {meta['publisher']}"
    return words
