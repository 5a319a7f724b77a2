"""What a report is made from, and checking it all before any slow work."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from allocsim.checks import check_whole
from allocsim.comparison import DEFAULT_FOCUS, Comparison, compare
from allocsim.comparison.chain import Chain, compare_chain
from allocsim.comparison.compare_rules import money_for
from allocsim.comparison.fairness import DEFAULT_HLE
from allocsim.comparison.focus import DEFAULT_FOCUS_END
from allocsim.money.settings import DEFAULT_SEED, Settings
from allocsim.money.simulation import check_money_data, most_groups
from allocsim.reality.actual import Actual
from allocsim.robustness import MAX_DRAWS as MAX_ROBUSTNESS_DRAWS
from allocsim.robustness import check_options
from allocsim.rules.schema import Rule


@dataclass
class ReportInputs:
    """What a report is made from, recorded in its manifest. ``base`` and ``alt`` are the first and
    last rules; a chain of rules (``allocsim report A B C``) has the others in ``middle``."""

    base: Rule
    alt: Rule
    data: pd.DataFrame
    data_path: Path
    rule_paths: dict[str, Path]  # "base" and "alt": the rule files
    overrides: tuple[str, ...] = ()
    countries: list[str] | None = None
    focus: str = DEFAULT_FOCUS
    focus_share: float = 0.3
    focus_end: str = DEFAULT_FOCUS_END
    fairness_hle: str = DEFAULT_HLE
    labels: tuple[str, ...] | None = None  # how outputs name the rules, one per rule in order
    seed: int = DEFAULT_SEED
    command: str = ""
    budget: float | str | None = None  # pounds, or "actual": the money awarded in LUF rounds 1 and 2
    money_options: dict = field(default_factory=dict)  # simulate()'s mechanism, draws, parameter files
    robustness_draws: int = 2000
    spread: float = 0.2
    middle: tuple[Rule, ...] = ()  # a chain's rules between base and alt, in order
    middle_paths: tuple[Path, ...] = ()

    @property
    def rules(self) -> list[Rule]:
        """Every rule in order: base, the chain's middle rules, alt."""
        return [self.base, *self.middle, self.alt]

    @property
    def paths(self) -> list[Path]:
        """Each rule's file, in the order of :attr:`rules`."""
        return [self.rule_paths["base"], *self.middle_paths, self.rule_paths["alt"]]


@dataclass(frozen=True)
class CheckedInputs:
    """What :func:`check_inputs` worked out on the way, for :func:`assemble_report` to use."""

    comparison: Comparison  # of the first rule with the last
    money_settings: Settings | None  # None without a budget
    chain: Chain | None = None  # with three or more rules: every step, without money yet
    actual: Actual | None = None  # with --budget actual: the money awarded, whose total is the budget


def check_inputs(inputs: ReportInputs) -> CheckedInputs:
    """Refuse a bad option value before any slow work (and before the output folder is looked at):
    the rules and areas compared, focus, robustness draws, spread, seed and every money option."""
    chain = None
    options = dict(fairness_hle=inputs.fairness_hle, labels=inputs.labels, focus_end=inputs.focus_end)
    if inputs.middle:
        chain = compare_chain(inputs.rules, inputs.data, inputs.countries, inputs.focus, inputs.focus_share, **options)
        comparison = chain.total
    else:
        comparison = compare(inputs.base, inputs.alt, inputs.data, inputs.countries, inputs.focus,
                             inputs.focus_share, **options)
    check_whole(inputs.robustness_draws, "--robustness-draws", 0, MAX_ROBUSTNESS_DRAWS)
    check_options(1, inputs.spread, inputs.seed)  # the spread and seed; the draws were checked just above
    settings, actual = None, None
    if inputs.budget is not None:
        ranked = chain.rules if chain else (comparison.base, comparison.alt)
        settings, actual = money_for(inputs.budget, inputs.data, ranked[0].table.index,  # the areas compared
                                     inputs.focus, {"seed": inputs.seed, **inputs.money_options})
        most = most_groups(ranked, inputs.data)
        for result in ranked:
            check_money_data(result, inputs.data, settings, most)
    return CheckedInputs(comparison, settings, chain, actual)
