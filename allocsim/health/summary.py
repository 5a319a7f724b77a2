"""The health model's summary: totals, the HLE gap, definitions; typed, with its JSON form."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from allocsim.health.breakdowns import extreme_deciles, hle_gap_change_months, months
from allocsim.health.draws import rounded, summary_interval
from allocsim.health.model_types import Draws
from allocsim.parameters import HealthParameters
from allocsim.results import Interval, JsonResult

DEFINITIONS = {
    "modelled_qalys": "QALYs in present value, discounted at discount_rate from lag_years over horizon_years",
    "modelled_hle_months": "undiscounted QALYs x 12 / population: months of healthy life gained per resident, "
                           "a QALY counted as a year of healthy life",
    "modelled_value_gbp": "present-value QALYs x qaly_value",
    "modelled_bcr": "modelled_value_gbp / allocation",
    "intervals": "median and 5th-95th percentiles over the draws",
}
GAP_MEANING = ("healthy months gained per resident in the top HLE decile minus the bottom decile "
               "(population-weighted); negative means the gap narrows (Levelling Up mission 7)")


@dataclass(frozen=True)
class HealthTotals(JsonResult):
    modelled_qalys: Interval
    modelled_hle_months_per_resident: Interval
    modelled_value_gbp: Interval
    modelled_bcr: Interval


@dataclass(frozen=True)
class HleGap(JsonResult):
    hle_column: str
    deciles: str
    baseline_gap_years: float | None
    modelled_change_months: Interval
    meaning: str = GAP_MEANING


@dataclass(frozen=True)
class HealthSummary(JsonResult):
    modelled_notice: str
    parameters: str
    hle_column: str
    curve: str
    draws: int
    health_acting_share: Interval
    totals: HealthTotals
    hle_gap: HleGap
    definitions: dict


def modelled_notice(source: str) -> str:
    return (f"Modelled, not observed: health figures come from the published estimates and stated "
            f"assumptions in {source}, not from measured outcomes.")


def summarise(params: HealthParameters, source: str, draws: Draws, decile: pd.Series, hle: np.ndarray,
              share: np.ndarray) -> HealthSummary:
    top, bottom = extreme_deciles(decile)
    weights = draws.population
    baseline_gap = np.average(hle[top], weights=weights[top]) - np.average(hle[bottom], weights=weights[bottom])
    total_spent = draws.spent.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(total_spent > 0, draws.value.sum(axis=1) / total_spent, np.nan)
    column = params.hle_column.value
    return HealthSummary(
        modelled_notice=modelled_notice(source), parameters=source, hle_column=column, curve=params.curve.value,
        draws=int(draws.qalys.shape[0]), health_acting_share=summary_interval(share),
        totals=HealthTotals(
            modelled_qalys=summary_interval(draws.qalys.sum(axis=1)),
            modelled_hle_months_per_resident=summary_interval(months(draws.raw, draws.population)),
            modelled_value_gbp=summary_interval(draws.value.sum(axis=1)),
            modelled_bcr=summary_interval(bcr),
        ),
        hle_gap=HleGap(
            hle_column=column, deciles=f"areas ranked by {column} (ties by code); 1 = lowest HLE",
            baseline_gap_years=rounded(baseline_gap, 4),
            modelled_change_months=summary_interval(hle_gap_change_months(draws.raw, draws.population, decile)),
        ),
        definitions=dict(DEFINITIONS),
    )
