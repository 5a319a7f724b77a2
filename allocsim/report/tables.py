"""The report's tables: CSV and JSON text by file name."""

from __future__ import annotations

from allocsim.comparison import Comparison, MoneyComparison
from allocsim.outputs import (
    comparison_frame,
    csv_text,
    money_comparison_files,
    rank_frame,
    simulation_files,
    to_json,
)


def comparison_tables(comparison: Comparison) -> dict[str, str]:
    """A two-rule report's comparison files: per area, transitions, each rule's ranking, the summary."""
    return {
        "comparison.csv": csv_text(comparison_frame(comparison)),
        "transitions.csv": csv_text(comparison.transitions.reset_index()),
        "base_rank.csv": csv_text(rank_frame(comparison.base)),
        "alt_rank.csv": csv_text(rank_frame(comparison.alt)),
        "summary.json": to_json(comparison.summary),
    }


def money_tables(money: MoneyComparison) -> dict[str, str]:
    """A two-rule report's money files: the comparison's, each rule's (``base_*``, ``alt_*``) and the
    money summary."""
    tables = dict(money_comparison_files(money))
    for role, simulation in (("base", money.base), ("alt", money.alt)):
        for name, text in simulation_files(simulation).items():
            if name != "summary.json":
                tables[f"{role}_{name}"] = text
    tables["money_summary.json"] = to_json(money.summary)
    return tables
