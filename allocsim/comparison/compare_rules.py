"""Compare two rules on the same areas: who gains or loses priority, transitions, agreement and,
with a budget, the money and the modelled health return of each.

A :class:`Comparison` holds a tidy per-area table first, statistics second; charts and
reports read from it and never recompute it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from allocsim.arguments import check_compare_arguments
from allocsim.comparison.fairness import DEFAULT_HLE, check_hle_measure
from allocsim.comparison.focus import (
    DEFAULT_FOCUS,
    DEFAULT_FOCUS_END,
    DEFAULT_FOCUS_SHARE,
    check_focus,
    money_hle_column,
)
from allocsim.comparison.labels import rule_labels
from allocsim.comparison.money import MoneyComparison, money_comparison
from allocsim.comparison.summary import ComparisonSummary, summarise
from allocsim.comparison.table import comparison_table, transition_matrix
from allocsim.errors import AllocsimError
from allocsim.money.settings import Settings, money_settings
from allocsim.ranking import RankResult, rank
from allocsim.reality.actual import Actual, awards_in_scope
from allocsim.reality.scenario import Beside, beside
from allocsim.rules.resolve import ResolvedRule
from allocsim.rules.schema import Rule

ACTUAL = "actual"  # --budget actual: the rounds 1 and 2 total actually awarded, in the price base


@dataclass(frozen=True)
class Comparison:
    """Two rules compared on the same areas: both rankings, the per-area ``table`` (a positive change means
    more priority under ``alt``), the focus, the summary and, with a budget, the money; with
    ``--budget actual`` the awarded money beside both, by view."""

    base: RankResult
    alt: RankResult
    table: pd.DataFrame  # one row per area, see comparison_table
    focus: str
    focus_share: float
    summary: ComparisonSummary
    money: MoneyComparison | None = None  # with a budget: both rules' money and modelled health
    actual: Beside | None = None  # with --budget actual: the awarded money beside both, by view
    focus_end: str = DEFAULT_FOCUS_END  # the focus areas are the lowest values of the focus column, or the highest

    @property
    def transitions(self) -> pd.DataFrame:
        """Counts of areas by base group (rows) and alternative group (columns), every group either rule uses
        shown."""
        return transition_matrix(self.table)


def compare(base: Rule | ResolvedRule | str, alt: Rule | ResolvedRule | str, data: pd.DataFrame,
            countries: Iterable[str] | None = None, focus: str = DEFAULT_FOCUS,
            focus_share: float = DEFAULT_FOCUS_SHARE, budget: float | str | None = None,
            fairness_hle: str = DEFAULT_HLE, labels: Sequence[str] | None = None,
            focus_end: str = DEFAULT_FOCUS_END, **money_options: Any) -> Comparison:
    """Rank ``data`` under both rules and compare the results; with ``budget`` (pounds), share it
    under both (same seed, paired draws) and model the health return.

    ``budget="actual"`` takes the money actually awarded in rounds 1 and 2 to the areas compared (all GB
    areas, or those of ``countries``; 2020-21 prices) as the budget and shows it beside both rules'
    simulations (``comparison.actual``).
    ``money_options`` are :func:`allocsim.simulate`'s (``mechanism``, ``draws``, ``seed``,
    parameter files and ``param_overrides``, ``hle_column``). The summary records where each
    rule came from (``base_rule_source``, ``alt_rule_source``: the file and any ``--set``
    applied to it), so saved results of a variant do not look like the unmodified rule's.
    ``fairness_hle`` is the male HLE measure of the fairness audits (:mod:`allocsim.comparison.fairness`);
    ``labels`` name the two rules in outputs (by default their names, or their files when they share one);
    ``focus_end``: the focus areas are the ``focus_share`` of areas with the lowest ``focus`` values, or with
    the highest (``"highest"``, for a column where a higher value means more need).
    """
    check_compare_arguments(base, alt, data, countries, focus, focus_share, focus_end)
    ranked = rank(base, data, countries), rank(alt, data, countries)
    named = tuple(rule_labels([r.rule for r in ranked], labels))
    comparison = compare_results(*ranked, data, focus, focus_share, fairness_hle, named, focus_end)
    if budget is None:
        return comparison
    settings, actual = money_for(budget, data, ranked[0].table.index, focus, money_options)
    comparison = with_money(comparison, data, settings)
    return with_actual(comparison, actual, data) if actual else comparison


def money_for(budget, data: pd.DataFrame, areas: pd.Index, focus: str,
              money_options: dict) -> tuple[Settings, Actual | None]:
    """The money settings of a comparison of ``areas`` (the areas compared, after ``--countries``),
    and with ``--budget actual`` the money awarded to them, whose total is then the budget. The
    health model's HLE column follows the focus (:func:`~allocsim.comparison.focus.money_hle_column`)."""
    actual = awards_in_scope(data, areas) if is_actual(budget) else None
    settings = money_settings(actual.total_gbp if actual else budget, **money_hle_column(data, focus, money_options))
    return settings, actual


def is_actual(budget) -> bool:
    """Whether ``budget`` asks for the money actually awarded (``--budget actual``)."""
    return isinstance(budget, str) and budget.strip().lower() == ACTUAL


def with_actual(comparison: Comparison, actual: Actual, data: pd.DataFrame) -> Comparison:
    """The comparison with the awarded money beside both rules' simulations of the same total."""
    labels = {"base": comparison.money.base, "alt": comparison.money.alt}
    cash = sum(r.cash_gbp for r in actual.rounds)
    basis = (f"the money actually awarded in LUF rounds 1 and 2 to {actual.scope} (£{cash:,.2f} in cash, "
             f"£{actual.total_gbp:,.2f} in {actual.price_base})")
    summary = dataclasses.replace(comparison.money.summary, budget_basis=basis)
    money = dataclasses.replace(comparison.money, summary=summary)
    return dataclasses.replace(comparison, actual=beside(actual, labels, data), money=money,
                               summary=dataclasses.replace(comparison.summary, money=summary))


def compare_results(base: RankResult, alt: RankResult, data: pd.DataFrame, focus: str = DEFAULT_FOCUS,
                    focus_share: float = DEFAULT_FOCUS_SHARE, fairness_hle: str = DEFAULT_HLE,
                    labels: tuple[str, str] | None = None, focus_end: str = DEFAULT_FOCUS_END) -> Comparison:
    """Compare two rankings of the same areas: the per-area table and the summary, without money; ``labels``
    name the rules in outputs (default: their names, told apart by file where they share one)."""
    check_same_areas(base, alt)
    check_focus(data, focus, focus_share, focus_end)
    check_hle_measure(data, fairness_hle)
    table = comparison_table(base, alt, data, focus, focus_share, focus_end)
    labels = labels or tuple(rule_labels([base.rule, alt.rule]))
    summary = summarise(table, base, alt, data, focus, focus_share, fairness_hle, labels, focus_end)
    return Comparison(base, alt, table, focus, focus_share, summary, focus_end=focus_end)


def with_money(comparison: Comparison, data: pd.DataFrame, settings: Settings) -> Comparison:
    """The comparison with both rules' money and modelled health (checked ``settings``), the
    differences added to its summary under ``money``."""
    labels = (comparison.summary.base_label, comparison.summary.alt_label)
    money = money_comparison(comparison.base, comparison.alt, data, settings, labels)
    return dataclasses.replace(comparison, summary=dataclasses.replace(comparison.summary, money=money.summary),
                               money=money)


def check_same_areas(base: RankResult, alt: RankResult) -> None:
    """Refuse (:class:`~allocsim.errors.AllocsimError`) two rankings that do not cover the same areas, saying
    how many are only in each and to use ``--countries``."""
    only_base = base.table.index.difference(alt.table.index)
    only_alt = alt.table.index.difference(base.table.index)
    if len(only_base) or len(only_alt):
        raise AllocsimError(
            f"rules '{base.rule.name}' and '{alt.rule.name}' cover different areas "
            f"({len(only_base)} only in the first, {len(only_alt)} only in the second); "
            f"use --countries to compare the countries both cover"
        )

