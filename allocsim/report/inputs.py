"""What a report is made from, and checking it all before any slow work."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from allocsim.checks import check_whole
from allocsim.comparison import DEFAULT_FOCUS, Comparison, compare
from allocsim.comparison.fairness import DEFAULT_HLE
from allocsim.money.settings import Settings, money_settings
from allocsim.money.simulation import check_money_data
from allocsim.robustness import MAX_DRAWS as MAX_ROBUSTNESS_DRAWS
from allocsim.robustness import check_options
from allocsim.rules.schema import Rule


@dataclass
class ReportInputs:
    """What a report is made from, recorded in its manifest."""

    base: Rule
    alt: Rule
    data: pd.DataFrame
    data_path: Path
    rule_paths: dict[str, Path]  # "base" and "alt": the rule files
    overrides: tuple[str, ...] = ()
    countries: list[str] | None = None
    focus: str = DEFAULT_FOCUS
    focus_share: float = 0.3
    fairness_hle: str = DEFAULT_HLE
    labels: tuple[str, ...] | None = None  # how outputs name the two rules
    seed: int = 0
    command: str = ""
    budget: float | str | None = None
    money_options: dict = field(default_factory=dict)  # simulate()'s mechanism, draws, parameter files
    robustness_draws: int = 2000
    spread: float = 0.2


@dataclass(frozen=True)
class CheckedInputs:
    """What :func:`check_inputs` worked out on the way, for :func:`assemble_report` to use."""

    comparison: Comparison
    money_settings: Settings | None  # None without a budget


def check_inputs(inputs: ReportInputs) -> CheckedInputs:
    """Refuse a bad option value before any slow work (and before the output folder is looked at):
    the rules and areas compared, focus, robustness draws, spread, seed and every money option."""
    comparison = compare(inputs.base, inputs.alt, inputs.data, inputs.countries, inputs.focus, inputs.focus_share,
                         fairness_hle=inputs.fairness_hle, labels=inputs.labels)
    check_whole(inputs.robustness_draws, "--robustness-draws", 0, MAX_ROBUSTNESS_DRAWS)
    check_options(1, inputs.spread, inputs.seed)  # the spread and seed; the draws were checked just above
    settings = None
    if inputs.budget is not None:
        settings = money_settings(inputs.budget, seed=inputs.seed, **inputs.money_options)
        for result in (comparison.base, comparison.alt):
            check_money_data(result, inputs.data, settings)
    return CheckedInputs(comparison, settings)
