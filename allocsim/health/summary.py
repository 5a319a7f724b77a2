"""The health model's summary, typed, with its JSON form: the central case beside the Monte
Carlo median and 90% interval, one-way sensitivity, prices, and what each figure means."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from allocsim.health.breakdowns import extreme_deciles, months, months_gap
from allocsim.health.draws import rounded, summary_interval
from allocsim.health.model_types import Draws
from allocsim.parameters import HealthParameters
from allocsim.prices import PRICE_BASE, factor, own_price_base, price_base_label
from allocsim.results import Interval, JsonResult

DEFINITIONS = {
    "modelled_qalys": "QALYs in present value, discounted at discount_rate from lag_years over horizon_years",
    "modelled_healthy_months": "undiscounted QALYs x 12 / population: months of healthy life gained per resident, "
                               "a QALY counted as a year of healthy life; not a change in healthy life expectancy",
    "modelled_value_gbp": "present-value QALYs x qaly_value, in the price base",
    "modelled_bcr": "modelled_value_gbp / allocation, both in the price base",
    "central": "every parameter at its central value, on the expected allocation",
    "intervals": "median and 5th-95th percentiles over the Monte Carlo draws",
}
GAP_MEANING = ("modelled healthy months per resident gained in the top HLE decile of areas minus the bottom "
               "decile (population-weighted); negative: the bottom gains more. It is not a change in the gap in "
               "healthy life expectancy at birth (Levelling Up mission 7): QALYs accrue to today's residents over "
               "the horizon, while HLE at birth is a period measure that no modelled QALY total gives")


@dataclass(frozen=True)
class HealthTotals(JsonResult):
    """The four headline figures, each as a Monte Carlo interval (or, in the central case, a number)."""

    modelled_qalys: Interval | float | None
    modelled_healthy_months_per_resident: Interval | float | None
    modelled_value_gbp: Interval | float | None
    modelled_bcr: Interval | float | None


@dataclass(frozen=True)
class MonthsGap(JsonResult):
    """The healthy-months gap (see :data:`GAP_MEANING`): the HLE column and how deciles are formed, the
    observed HLE gap in years between the top and bottom deciles, and the modelled difference in healthy
    months per resident (central, and median with 90% interval)."""

    hle_column: str
    deciles: str
    baseline_hle_gap_years: float | None  # the published HLE of the top decile minus the bottom (observed)
    central: float | None
    modelled_difference_months: Interval
    meaning: str = GAP_MEANING


@dataclass(frozen=True)
class CostPerQaly(JsonResult):
    """The study's alternative specifications, in their own prices and in the price base."""

    specifications: list[dict]
    central: float
    price_base: str
    factor_to_price_base: float
    central_in_price_base: float
    note: str = "alternative model specifications, not a confidence interval; each is equally likely in the draws"


@dataclass(frozen=True)
class OneWay(JsonResult):
    """One row of one-way sensitivity: a health parameter's low and high values (in ``price_base``, "2013-14
    prices", where it is money) and the total modelled QALYs with it at each, every other parameter central."""

    parameter: str
    low: float
    high: float
    price_base: str | None
    modelled_qalys_at_low: float | None
    modelled_qalys_at_high: float | None


@dataclass(frozen=True)
class HealthSummary(JsonResult):
    """The health model's ``summary`` (keys documented in README)."""

    modelled_notice: str
    parameters: str
    price_base: str
    hle_column: str
    curve: str
    draws: int
    health_acting_share: Interval
    central: HealthTotals
    totals: HealthTotals
    healthy_months_gap: MonthsGap
    cost_per_qaly: CostPerQaly
    need_elasticity: dict
    one_way: list[OneWay]
    definitions: dict


def modelled_notice(source: str) -> str:
    """The notice every health result carries: its figures are modelled from the published estimates and
    assumptions in ``source`` (the health parameters), not observed; money in the price base."""
    return (f"Modelled, not observed: health figures come from the published estimates and stated "
            f"assumptions in {source}, not from measured outcomes; money in {price_base_label()}.")


def summarise(params: HealthParameters, source: str, draws: Draws, central: Draws, decile: pd.Series, hle: np.ndarray,
              share: np.ndarray, one_way: list[tuple[str, float, float, float, float]]) -> HealthSummary:
    """The health model's typed summary: headline totals (central case, and median with 90% interval over the
    draws), the healthy-months gap between the top and bottom HLE deciles, cost per QALY, need elasticity and
    one-way sensitivity; every health figure modelled, money in the price base."""
    top, bottom = extreme_deciles(decile)
    weights = draws.population
    baseline_gap = np.average(hle[top], weights=weights[top]) - np.average(hle[bottom], weights=weights[bottom])
    column, elasticity = params.hle_column.value, params.need_elasticity
    return HealthSummary(
        modelled_notice=modelled_notice(source), parameters=source, price_base=price_base_label(), hle_column=column,
        curve=params.curve.value, draws=int(draws.qalys.shape[0]), health_acting_share=summary_interval(share),
        central=HealthTotals(*(rounded(float(v[0]), 5) for v in _totals(central))),
        totals=HealthTotals(*(summary_interval(v) for v in _totals(draws))),
        healthy_months_gap=MonthsGap(
            column, f"areas ranked by {column} (ties by code); 1 = lowest HLE", rounded(baseline_gap, 4),
            rounded(float(months_gap(central.raw, central.population, decile)[0]), 5),
            summary_interval(months_gap(draws.raw, draws.population, decile))),
        cost_per_qaly=_cost_per_qaly(params),
        need_elasticity={"low": elasticity.low, "central": elasticity.central, "high": elasticity.high,
                         "basis": elasticity.summary or "see the parameter file"},
        one_way=[OneWay(name, low, high, own_price_base(_parameter(params, name)),
                        rounded(at_low, 5), rounded(at_high, 5)) for name, low, high, at_low, at_high in one_way],
        definitions=dict(DEFINITIONS),
    )


def _totals(d: Draws) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    spent = d.spent.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(spent > 0, d.value.sum(axis=1) / spent, np.nan)
    return d.qalys.sum(axis=1), months(d.raw, d.population), d.value.sum(axis=1), bcr


def _cost_per_qaly(params: HealthParameters) -> CostPerQaly:
    c = params.cost_per_qaly
    labels = c.labels or ("",) * len(c.values)
    return CostPerQaly([{"value": v, "label": label} for v, label in zip(c.values, labels)], c.central,
                       price_base_label(c.price_base),
                       round(factor(c.price_base), 6), round(c.central * factor(c.price_base, PRICE_BASE), 2))


def _parameter(params: HealthParameters, name: str):
    head, _, theme = name.partition(".")
    return params.health_share[theme] if theme else getattr(params, head)
