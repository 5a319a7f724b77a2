"""Two rules' money and health side by side, on paired draws.

Both rules run with the same seed, so their draws are paired (same bids, same health
parameters) and the difference between them carries only the rules' difference.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from allocsim.health import SUFFIXES, hle_gap_change_months, interval, summary_interval
from allocsim.health.summary import HealthTotals
from allocsim.money.settings import Settings
from allocsim.money.simulation import Simulation, Spread, notice, simulate_ranked
from allocsim.ranking import RankResult
from allocsim.results import Interval, JsonResult


@dataclass(frozen=True)
class MoneyComparison:
    """Two rules' money and health side by side; differences are alternative minus base."""

    base: Simulation
    alt: Simulation
    table: pd.DataFrame  # per area
    by_hle_decile: pd.DataFrame
    summary: MoneySummary


def money_comparison(base: RankResult, alt: RankResult, data: pd.DataFrame, settings: Settings) -> MoneyComparison:
    """Both rankings' money and modelled health under the same settings (money options checked
    by :func:`~allocsim.money.settings.money_settings`)."""
    base_sim = simulate_ranked(base, data, settings)
    alt_sim = simulate_ranked(alt, data, settings)
    return MoneyComparison(base_sim, alt_sim, money_table(base_sim, alt_sim), decile_differences(base_sim, alt_sim),
                           money_summary(base_sim, alt_sim, settings))


def money_table(base: Simulation, alt: Simulation) -> pd.DataFrame:
    """Per area: both groups and allocations, and the paired change in modelled QALYs."""
    b, a = base.allocation, alt.allocation
    table = b[["name", "country", "region"]].copy()
    table["hle_decile"] = base.health.categories["hle_decile"]
    table["base_group"], table["alt_group"] = b["group"], a["group"]
    table["base_allocation"], table["alt_allocation"] = b["allocation"], a["allocation"]
    table["allocation_change"] = a["allocation"] - b["allocation"]
    change = interval(alt.health.qalys - base.health.qalys)
    for suffix, values in zip(SUFFIXES, change):
        table[f"modelled_qalys_change_{suffix}"] = values
    return table


def decile_differences(base: Simulation, alt: Simulation) -> pd.DataFrame:
    """Per HLE decile (1 = lowest HLE): allocation and paired modelled changes, alternative minus base."""
    decile = base.health.categories["hle_decile"]
    population = base.allocation["population"].to_numpy(dtype=float)
    rows = []
    for value in sorted(decile.unique()):
        members = (decile == value).to_numpy()
        qalys = (alt.health.qalys - base.health.qalys)[:, members].sum(axis=1)
        months = 12 * (alt.health.undiscounted_qalys - base.health.undiscounted_qalys)[:, members].sum(axis=1)
        row = {"category": int(value), "areas": int(members.sum()),
               "base_allocation": base.allocation["allocation"][members].sum(),
               "alt_allocation": alt.allocation["allocation"][members].sum()}
        row["allocation_change"] = row["alt_allocation"] - row["base_allocation"]
        row |= {f"modelled_qalys_change_{s}": q for s, q in zip(SUFFIXES, interval(qalys))}
        row |= {f"modelled_hle_months_change_{s}": q
                for s, q in zip(SUFFIXES, interval(months / population[members].sum()))}
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class RuleMoney(JsonResult):
    """One rule's side of a money comparison."""

    rule: str
    allocated: float
    unspent: float
    allocation_draws: int
    draws_with_unspent: int
    unspent_per_draw: Spread
    totals: HealthTotals
    modelled_hle_gap_change_months: Interval

    @classmethod
    def of(cls, sim: Simulation) -> RuleMoney:
        s = sim.summary
        return cls(sim.rule.name, s.allocated, s.unspent, s.allocation_draws, s.draws_with_unspent,
                   s.unspent_per_draw, s.totals, s.hle_gap.modelled_change_months)


@dataclass(frozen=True)
class MoneyDifference(JsonResult):
    modelled_qalys: Interval
    modelled_value_gbp: Interval
    modelled_hle_gap_change_months: Interval
    probability_alt_buys_more_health: float


@dataclass(frozen=True)
class MoneySummary(JsonResult):
    """``money`` in a comparison's ``summary.json`` (keys documented in README)."""

    modelled_notice: str
    budget: float
    mechanism: str
    mechanism_description: str
    seed: int
    draws: int
    paired: str
    parameter_files: dict[str, str]
    parameter_overrides: list[str]
    base: RuleMoney
    alt: RuleMoney
    difference_alt_minus_base: MoneyDifference
    buys_more_health: str
    by_hle_decile: list[dict]


PAIRED = "both rules use the same seed: the same bids and the same health parameters in each draw"


def money_summary(base: Simulation, alt: Simulation, settings: Settings) -> MoneySummary:
    qalys = alt.health.qalys.sum(axis=1) - base.health.qalys.sum(axis=1)
    value = qalys * base.health.value_per_qaly
    decile = base.health.categories["hle_decile"]
    population = base.allocation["population"].to_numpy(dtype=float)
    gap = (hle_gap_change_months(alt.health.undiscounted_qalys, population, decile)
           - hle_gap_change_months(base.health.undiscounted_qalys, population, decile))
    difference = summary_interval(qalys)
    return MoneySummary(
        modelled_notice=notice(settings), budget=settings.budget_pence / 100, mechanism=settings.mechanism,
        mechanism_description=settings.describe_mechanism(), seed=settings.seed, draws=settings.draws,
        paired=PAIRED, parameter_files=settings.files, parameter_overrides=list(settings.overrides),
        base=RuleMoney.of(base), alt=RuleMoney.of(alt),
        difference_alt_minus_base=MoneyDifference(difference, summary_interval(value), summary_interval(gap),
                                                  round(float((qalys > 0).mean()), 4)),
        buys_more_health=verdict(base.rule.name, alt.rule.name, difference),
        by_hle_decile=decile_differences(base, alt).round(4).to_dict("records"),
    )


def verdict(base: str, alt: str, difference: Interval) -> str:
    """Which rule buys more modelled health, judged by the 90% interval of the paired difference."""
    if difference.p05 is not None and difference.p05 > 0:
        return f"'{alt}' buys more modelled health than '{base}' (90% interval of the difference above 0)"
    if difference.p95 is not None and difference.p95 < 0:
        return f"'{base}' buys more modelled health than '{alt}' (90% interval of the difference below 0)"
    return "neither clearly: the 90% interval of the difference in modelled QALYs includes 0"
