"""Compare two rules on the same areas: who gains or loses priority, transitions, agreement and,
with a budget, the money and the modelled health return of each.

A :class:`Comparison` holds a tidy per-area table first, statistics second; charts and
reports read from it and never recompute it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from allocsim.arguments import check_compare_arguments
from allocsim.comparison.focus import DEFAULT_FOCUS, DEFAULT_FOCUS_SHARE, check_focus
from allocsim.comparison.money import MoneyComparison, money_comparison
from allocsim.comparison.summary import ComparisonSummary, summarise
from allocsim.comparison.table import comparison_table, transition_matrix
from allocsim.errors import AllocsimError
from allocsim.money.settings import Settings, money_settings
from allocsim.ranking import RankResult, rank
from allocsim.rules.resolve import ResolvedRule
from allocsim.rules.schema import Rule


@dataclass(frozen=True)
class Comparison:
    base: RankResult
    alt: RankResult
    table: pd.DataFrame  # one row per area, see comparison_table
    focus: str
    focus_share: float
    summary: ComparisonSummary
    money: MoneyComparison | None = None  # with a budget: both rules' money and modelled health

    @property
    def transitions(self) -> pd.DataFrame:
        return transition_matrix(self.table)


def compare(base: Rule | ResolvedRule | str, alt: Rule | ResolvedRule | str, data: pd.DataFrame,
            countries: Iterable[str] | None = None, focus: str = DEFAULT_FOCUS,
            focus_share: float = DEFAULT_FOCUS_SHARE, budget: float | str | None = None,
            **money_options: Any) -> Comparison:
    """Rank ``data`` under both rules and compare the results; with ``budget`` (pounds), share it
    under both (same seed, paired draws) and model the health return.

    ``money_options`` are :func:`allocsim.simulate`'s (``mechanism``, ``draws``, ``seed``,
    parameter files and ``param_overrides``, ``hle_column``). The summary records where each
    rule came from (``base_rule_source``, ``alt_rule_source``: the file and any ``--set``
    applied to it), so saved results of a variant do not look like the unmodified rule's.
    """
    check_compare_arguments(base, alt, data, countries, focus, focus_share)
    comparison = compare_results(rank(base, data, countries), rank(alt, data, countries), data, focus, focus_share)
    if budget is None:
        return comparison
    return with_money(comparison, data, money_settings(budget, **money_options))


def compare_results(base: RankResult, alt: RankResult, data: pd.DataFrame,
                    focus: str = DEFAULT_FOCUS, focus_share: float = DEFAULT_FOCUS_SHARE) -> Comparison:
    check_same_areas(base, alt)
    check_focus(data, focus, focus_share)
    table = comparison_table(base, alt, data, focus, focus_share)
    summary = summarise(table, base, alt, data, focus, focus_share)
    return Comparison(base, alt, table, focus, focus_share, summary)


def with_money(comparison: Comparison, data: pd.DataFrame, settings: Settings) -> Comparison:
    """The comparison with both rules' money and modelled health (checked ``settings``), the
    differences added to its summary under ``money``."""
    money = money_comparison(comparison.base, comparison.alt, data, settings)
    return dataclasses.replace(comparison, summary=dataclasses.replace(comparison.summary, money=money.summary),
                               money=money)


def check_same_areas(base: RankResult, alt: RankResult) -> None:
    only_base = base.table.index.difference(alt.table.index)
    only_alt = alt.table.index.difference(base.table.index)
    if len(only_base) or len(only_alt):
        raise AllocsimError(
            f"rules '{base.rule.name}' and '{alt.rule.name}' cover different areas "
            f"({len(only_base)} only in the first, {len(only_alt)} only in the second); "
            f"use --countries to compare the countries both cover"
        )

