"""Two rules' money and health side by side, on paired draws.

Both rules run with the same seed, so their draws are paired (same bids, same health
parameters) and the difference between them carries only the rules' difference. Every pound is
in the price base (:mod:`allocsim.prices`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from allocsim.comparison.health_difference import HealthDifference, health_difference, one_way_difference, verdict
from allocsim.comparison.places import winners_and_losers
from allocsim.health import SUFFIXES, interval, months_gap
from allocsim.health.summary import HealthTotals
from allocsim.money.settings import Settings
from allocsim.money.simulation import Simulation, Spread, most_groups, notice, simulate_ranked
from allocsim.prices import price_base_label
from allocsim.ranking import RankResult
from allocsim.results import Interval, JsonResult
from allocsim.rollups import rollups

PAIRED = "both rules use the same seed: the same bids and the same health parameters in each draw"


@dataclass(frozen=True)
class MoneyComparison:
    """Two rules' money and health side by side; differences are alternative minus base."""

    base: Simulation
    alt: Simulation
    table: pd.DataFrame  # per area
    by_hle_decile: pd.DataFrame
    summary: MoneySummary
    places: dict[str, pd.DataFrame] = field(default_factory=dict)  # winners and losers, by roll-up name

    @property
    def moved_between_areas(self) -> float:
        """Pounds moved between areas: the sum of the gains of the areas that gain money."""
        return float(self.table["allocation_change"].clip(lower=0).sum())


def money_comparison(base: RankResult, alt: RankResult, data: pd.DataFrame, settings: Settings,
                     labels: tuple[str, str] | None = None) -> MoneyComparison:
    """Both rankings' money and modelled health under the same settings (money options checked
    by :func:`~allocsim.money.settings.money_settings`)."""
    most = most_groups((base, alt), data)
    return compare_simulations(simulate_ranked(base, data, settings, most), simulate_ranked(alt, data, settings, most),
                               settings, data, labels)


def compare_simulations(base: Simulation, alt: Simulation, settings: Settings, data: pd.DataFrame,
                        labels: tuple[str, str] | None = None) -> MoneyComparison:
    """Two simulations run with the same settings (so paired), side by side, with the winners and
    losers under each of ``data``'s money roll-ups; ``labels`` name the rules (default: their names)."""
    table = money_table(base, alt)
    places = {r.name: winners_and_losers(table, data, r) for r in rollups(data, "money")}
    labels = labels or (base.rule.name, alt.rule.name)
    deciles = decile_differences(base, alt)
    return MoneyComparison(base, alt, table, deciles, money_summary(base, alt, settings, places, labels, deciles),
                           places)


def money_table(base: Simulation, alt: Simulation) -> pd.DataFrame:
    """Per area: both groups and allocations, and the paired change in modelled QALYs."""
    b, a = base.allocation, alt.allocation
    table = b[["name", "country", "region"]].copy() if "region" in b else b[["name", "country"]].copy()
    table["hle_decile"] = base.health.categories["hle_decile"]
    table["base_group"], table["alt_group"] = b["group"], a["group"]
    table["base_allocation"], table["alt_allocation"] = b["allocation"], a["allocation"]
    table["allocation_change"] = a["allocation"] - b["allocation"]
    table["modelled_qalys_change_central"] = alt.health.central.qalys[0] - base.health.central.qalys[0]
    for suffix, values in zip(SUFFIXES, interval(alt.health.qalys - base.health.qalys)):
        table[f"modelled_qalys_change_{suffix}"] = values
    return table


def decile_differences(base: Simulation, alt: Simulation) -> pd.DataFrame:
    """Per HLE decile (1 = lowest HLE): allocation and paired modelled changes, alternative minus base,
    as the central case and the median and 90% interval."""
    decile = base.health.categories["hle_decile"]
    population = base.allocation["population"].to_numpy(dtype=float)
    rows = []
    for value in sorted(decile.unique()):
        members = (decile == value).to_numpy()
        row = {"category": int(value), "areas": int(members.sum()),
               "base_allocation": base.allocation["allocation"][members].sum(),
               "alt_allocation": alt.allocation["allocation"][members].sum()}
        row["allocation_change"] = row["alt_allocation"] - row["base_allocation"]
        for measure, scale in (("qalys", 1.0), ("healthy_months", 12 / population[members].sum())):
            drawn = _change(base, alt, measure, members) * scale
            row[f"modelled_{measure}_change_central"] = _change(base, alt, measure, members, central=True)[0] * scale
            row |= {f"modelled_{measure}_change_{s}": q for s, q in zip(SUFFIXES, interval(drawn))}
        rows.append(row)
    return pd.DataFrame(rows)


def _change(base: Simulation, alt: Simulation, measure: str, members: np.ndarray, central: bool = False) -> np.ndarray:
    """Per draw (or the central case): the change in present-value QALYs, or in undiscounted QALYs
    (for healthy months), of the areas ``members``."""
    def pick(sim: Simulation) -> np.ndarray:
        h = sim.health
        if central:
            return (h.central.qalys if measure == "qalys" else h.central.raw)[:, members].sum(axis=1)
        return (h.qalys if measure == "qalys" else h.undiscounted_qalys)[:, members].sum(axis=1)

    return pick(alt) - pick(base)


@dataclass(frozen=True)
class RuleMoney(JsonResult):
    """One rule's side of a money comparison."""

    rule: str
    label: str
    allocated: float
    unspent: float
    allocation_draws: int
    draws_with_unspent: int
    unspent_per_draw: Spread
    central: HealthTotals
    totals: HealthTotals
    healthy_months_gap: Interval

    @classmethod
    def of(cls, sim: Simulation, label: str) -> RuleMoney:
        """One rule's side, read from ``sim``'s summary, with ``label`` naming the rule in outputs."""
        s = sim.summary
        return cls(sim.rule.name, label, s.allocated, s.unspent, s.allocation_draws, s.draws_with_unspent,
                   s.unspent_per_draw, s.central, s.totals, s.healthy_months_gap.modelled_difference_months)


@dataclass(frozen=True)
class MoneySummary(JsonResult):
    """``money`` in a comparison's ``summary.json`` (keys documented in README)."""

    modelled_notice: str
    price_base: str
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
    difference_alt_minus_base: HealthDifference
    buys_more_health: str
    one_way_difference: list[dict]
    by_hle_decile: list[dict]
    by_nation: list[dict]  # winners and losers by nation (every roll-up's table is a CSV)
    budget_basis: str = "as given (2020-21 prices)"


def _decimals(deciles: pd.DataFrame) -> dict[str, int]:
    """Decimals kept in the summary: pounds to the penny, QALYs to 4 places, and healthy months per resident (as
    small as 0.00003) to 8, so that each keeps its significant figures."""
    return {c: 2 if c.endswith("allocation") or c == "allocation_change" else 8 if "healthy_months" in c else 4
            for c in deciles.columns if c not in ("category", "areas")}


def money_summary(base: Simulation, alt: Simulation, settings: Settings, places: dict[str, pd.DataFrame],
                  labels: tuple[str, str], deciles: pd.DataFrame) -> MoneySummary:
    """The ``money`` section of a comparison's summary: the settings, each rule's money and modelled health,
    the paired difference alt minus base (and whether it rests on the need gradient), one-way differences, by
    HLE decile (``deciles``: :func:`decile_differences` of the two simulations) and by nation; pounds in the
    price base."""
    decile = base.health.categories["hle_decile"]
    population = base.allocation["population"].to_numpy(dtype=float)

    def gap(sim: Simulation, central: bool = False) -> np.ndarray:
        raw = sim.health.central.raw if central else sim.health.undiscounted_qalys
        return months_gap(raw, population, decile)

    gaps = (float((gap(alt, True) - gap(base, True))[0]), gap(alt) - gap(base))
    difference = health_difference(base, alt, gaps)
    return MoneySummary(
        modelled_notice=notice(settings), price_base=price_base_label(), budget=settings.budget_pence / 100,
        mechanism=settings.mechanism, mechanism_description=settings.describe_mechanism(), seed=settings.seed,
        draws=settings.draws, paired=PAIRED, parameter_files=settings.files,
        parameter_overrides=list(settings.overrides), base=RuleMoney.of(base, labels[0]),
        alt=RuleMoney.of(alt, labels[1]), difference_alt_minus_base=difference,
        buys_more_health=verdict(labels[0], labels[1], difference),
        one_way_difference=one_way_difference(base, alt),
        by_hle_decile=deciles.round(_decimals(deciles)).to_dict("records"),
        by_nation=places["nation"].round(2).to_dict("records") if "nation" in places else [],
    )
