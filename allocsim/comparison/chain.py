"""A chain of rules, compared step by step and as a whole.

``compare luf-2021-published luf-2021 health-inclusive`` separates the effects: the first step
measures the reconstruction's error (the index rebuilt from public data against the published
list), the second the effect of adding health to the same index. Each rule is ranked once, and
with a budget simulated once with the same settings, so every step's money and health draws are
paired and the steps' per-area changes add up exactly to the total's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from allocsim.comparison.compare_rules import Comparison, compare_results, money_for, with_actual
from allocsim.comparison.fairness import DEFAULT_HLE
from allocsim.comparison.focus import DEFAULT_FOCUS, DEFAULT_FOCUS_END, DEFAULT_FOCUS_SHARE, from_the_end
from allocsim.comparison.labels import rule_labels
from allocsim.comparison.money import compare_simulations
from allocsim.errors import ParameterError
from allocsim.money.settings import Settings
from allocsim.money.simulation import Simulation, most_groups, simulate_ranked
from allocsim.ranking import RankResult, rank
from allocsim.reality.actual import Actual
from allocsim.results import JsonResult
from allocsim.rules.load import load_rule
from allocsim.rules.schema import Rule

KINDS = {"reconstruction": "the reconstruction's error: the same criteria rebuilt from public data against the "
                           "published list",
         "criteria": "a change of criteria"}


@dataclass(frozen=True)
class Step(JsonResult):
    """One step of a chain: from one rule to the next (or, for the total, the first to the last)."""

    base_rule: str
    alt_rule: str
    kind: str  # "reconstruction" (ALT reconstructs BASE), "criteria" or "total"
    meaning: str


@dataclass(frozen=True)
class StepSummary(JsonResult):
    """One step of a chain in ``summary.json``: what the step measures, and its comparison's summary."""

    step: Step
    summary: object  # ComparisonSummary


@dataclass(frozen=True)
class ChainSummary(JsonResult):
    """``summary.json`` of a chain: each rule, each step's comparison and the total's."""

    rules: list[dict]  # name and source of each rule, in order
    steps: list[StepSummary]
    total: StepSummary


@dataclass(frozen=True)
class Chain:
    """``rules`` ranked once each; ``steps[i]`` compares rule i with rule i+1, ``total`` the first
    with the last; ``simulations`` each rule's money and health (with a budget)."""

    rules: list[RankResult]
    steps: list[Comparison]
    total: Comparison
    described: list[Step]  # what each step measures, then the total's
    simulations: list[Simulation] | None = None

    @property
    def summary(self) -> ChainSummary:
        """The chain's ``summary.json``: each rule's name and source, in order, each step's summary and the
        total's."""
        steps = [StepSummary(d, c.summary) for d, c in zip(self.described, self.steps)]
        total = StepSummary(self.described[-1], self.total.summary)
        return ChainSummary([{"name": r.rule.name, "source": r.rule.source} for r in self.rules], steps, total)

    @property
    def labels(self) -> list[str]:
        """How the chain's outputs name its rules, in order."""
        return [self.steps[0].summary.base_label, *(c.summary.alt_label for c in self.steps)]

    def moved_focus(self) -> pd.DataFrame:
        """The focus areas whose group differs between any two rules of the chain, from the focus end's value
        inwards (lowest first by default; then by code): their ``name``, focus value and group under each
        rule (a column per label)."""
        total = self.total
        focus = total.table[total.table["in_focus"]]
        groups = pd.DataFrame({label: r.table["group"].reindex(focus.index)
                               for label, r in zip(self.labels, self.rules)})
        moved = focus[["name", total.focus]].join(groups[groups.nunique(axis=1) > 1], how="inner")
        return moved.loc[from_the_end(moved.reset_index(), total.focus, total.focus_end)["code"]]


def compare_chain(rules: Sequence[Rule | str], data: pd.DataFrame, countries: Iterable[str] | None = None,
                  focus: str = DEFAULT_FOCUS, focus_share: float = DEFAULT_FOCUS_SHARE,
                  budget: float | str | None = None, fairness_hle: str = DEFAULT_HLE,
                  labels: Sequence[str] | None = None, focus_end: str = DEFAULT_FOCUS_END,
                  **money_options: Any) -> Chain:
    """Compare each rule with the next, and the first with the last; ``budget``, ``focus_end`` and
    ``money_options`` as :func:`allocsim.compare`'s."""
    loaded = [load_rule(r) if isinstance(r, str) else r for r in rules]
    check_chain(loaded)
    ranked = [rank(rule, data, countries) for rule in loaded]
    settings, actual = (None, None) if budget is None else money_for(budget, data, ranked[0].table.index, focus,
                                                                      money_options)
    pairs = list(zip(range(len(ranked) - 1), range(1, len(ranked))))
    pairs += [(0, len(ranked) - 1)] if len(ranked) > 2 else []
    named = rule_labels(loaded, labels)
    compared = [compare_results(ranked[i], ranked[j], data, focus, focus_share, fairness_hle, (named[i], named[j]),
                                focus_end) for i, j in pairs]
    described = [describe_step(loaded[i], loaded[j], total=(k == len(pairs) - 1 and len(loaded) > 2),
                               labels=(named[i], named[j])) for k, (i, j) in enumerate(pairs)]
    steps = compared[:-1] if len(ranked) > 2 else compared
    chain = Chain(ranked, steps, compared[-1], described)
    return chain if settings is None else with_chain_money(chain, data, settings, actual)


def with_chain_money(chain: Chain, data: pd.DataFrame, settings: Settings, actual: Actual | None = None) -> Chain:
    """``chain`` with every rule's money and modelled health under ``settings`` (checked money
    options): each rule simulated once, so every step's draws are paired with the others'. With
    ``actual`` (``--budget actual``), the money awarded beside the whole chain's first and last rule."""
    most = most_groups(chain.rules, data)
    simulations = [simulate_ranked(r, data, settings, most) for r in chain.rules]
    steps = [_with_money(c, simulations[i], simulations[i + 1], settings, data) for i, c in enumerate(chain.steps)]
    total = steps[-1] if len(chain.rules) == 2 else _with_money(chain.total, simulations[0], simulations[-1],
                                                                  settings, data)
    total = total if actual is None else with_actual(total, actual, data)
    return dataclasses.replace(chain, steps=steps, total=total, simulations=simulations)


def _with_money(comparison: Comparison, base: Simulation, alt: Simulation, settings: Settings,
                data: pd.DataFrame) -> Comparison:
    money = compare_simulations(base, alt, settings, data,
                                (comparison.summary.base_label, comparison.summary.alt_label))
    return dataclasses.replace(comparison, summary=dataclasses.replace(comparison.summary, money=money.summary),
                               money=money)


def check_chain(rules: Sequence[Rule]) -> None:
    """At least two rules, none given twice (the same file with the same content and overrides)."""
    if len(rules) < 2:
        raise ParameterError("compare: give at least two rules (BASE ALT, or a chain BASE NEXT ... LAST)")
    seen: dict[tuple, int] = {}
    for position, rule in enumerate(rules, start=1):
        key = (str(rule.path.resolve()) if rule.path else None, rule.model_dump_json())
        if key in seen:
            raise ParameterError(f"compare: rule '{rule.name}' ({rule.source}) is given twice in the chain "
                                 f"(positions {seen[key]} and {position}); a step from a rule to itself "
                                 f"measures nothing")
        seen[key] = position


def describe_step(base: Rule, alt: Rule, total: bool = False, labels: tuple[str, str] | None = None) -> Step:
    """What comparing ``base`` with ``alt`` (``labels``: how outputs name them) measures."""
    base_label, alt_label = labels or (base.name, alt.name)
    if total:
        return Step(base_label, alt_label, "total", "every step together: the reconstruction's error and the "
                                                  "criteria's effect, as far as the chain has both")
    kind = "reconstruction" if alt.reconstructs == base.name and base.kind == "published" else "criteria"
    return Step(base_label, alt_label, kind, KINDS[kind])
