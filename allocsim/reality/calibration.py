"""How well the competitive model reproduces the money actually awarded.

The model is run as the two rounds that were held (``competitive.rounds`` 2) on the areas' published
LUF categories with the rounds' total (2020-21 prices), and set against what happened: each group's
share of the money, and each area's chance of any money against whether it got any (round 1 or 2,
its own bid or a share of a county's or combined authority's), scored by the Brier score (against
the Brier score of predicting the overall rate for every area) and the area under the ROC curve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from allocsim.money.settings import money_settings
from allocsim.money.simulation import Simulation, simulate_ranked
from allocsim.ranking import rank
from allocsim.reality.actual import Actual, actual_awards
from allocsim.results import JsonResult
from allocsim.stats import rounded, spearman_rho

PUBLISHED = "luf-2021-published"
ROUNDS_HELD = "competitive.rounds.value=2"
BINS = 5


@dataclass(frozen=True)
class GroupShare(JsonResult):
    """One priority group in the calibration: its areas, its share of the modelled money against its share of
    the money actually awarded, and its areas' mean modelled chance of any money against the share funded."""

    group: int
    areas: int
    predicted_share_of_money: float
    actual_share_of_money: float
    predicted_funded_probability: float  # mean over the group's areas
    actually_funded_share: float


@dataclass(frozen=True)
class Calibration(JsonResult):
    """``summary.json`` of ``allocsim awards`` (keys documented in README)."""

    price_base: str
    budget: float  # the actual rounds 1 and 2 total in GB areas, in the price base
    draws: int
    seed: int
    parameters: str
    areas: int
    areas_actually_funded: int
    brier_score: float | None
    brier_score_of_the_base_rate: float | None
    brier_skill: float | None
    auc: float | None
    spearman_expected_vs_actual_money: float | None
    by_group: list[GroupShare]
    reliability: list[dict]
    meaning: str


def calibrate(data: pd.DataFrame, draws: int = 2000, seed: int = 0) -> tuple[Calibration, Simulation, Actual]:
    """The competitive model on the published categories against the money actually awarded."""
    actual = actual_awards(data)
    settings = money_settings(actual.total_gbp, mechanism="competitive", draws=draws, seed=seed,
                              param_overrides=[ROUNDS_HELD])
    simulation = simulate_ranked(rank(PUBLISHED, data), data, settings)
    codes = simulation.allocation.index
    predicted = simulation.allocation["funded_probability"].to_numpy(dtype=float)
    funded = actual.table["funded"].reindex(codes).to_numpy(dtype=bool)
    groups = simulation.allocation["group"].to_numpy(dtype=int)
    return Calibration(
        price_base=actual.price_base, budget=round(actual.total_gbp, 2), draws=draws, seed=seed,
        parameters=f"{settings.allocation_described} (the two rounds held, on their total)", areas=len(codes),
        areas_actually_funded=int(funded.sum()), **_scores(predicted, funded),
        spearman_expected_vs_actual_money=rounded(spearman_rho(simulation.allocation["allocation"],
                                                               actual.table["total"].reindex(codes))),
        by_group=_by_group(simulation, actual, groups, predicted, funded),
        reliability=_reliability(predicted, funded),
        meaning="predicted: the competitive model's share of money by published group and each area's chance of "
                "any money; actual: rounds 1 and 2 as awarded (an area funded if it got any money, its own or a "
                "population share of a shared bid)",
    ), simulation, actual


def _scores(p: np.ndarray, y: np.ndarray) -> dict:
    from sklearn.metrics import roc_auc_score

    brier = float(np.mean((p - y) ** 2))
    base = float(np.mean((y.mean() - y) ** 2))
    auc = roc_auc_score(y, p) if 0 < y.sum() < len(y) else None
    return {"brier_score": rounded(brier), "brier_score_of_the_base_rate": rounded(base),
            "brier_skill": rounded(1 - brier / base) if base > 0 else None, "auc": rounded(auc)}


def _by_group(simulation: Simulation, actual: Actual, groups: np.ndarray, predicted: np.ndarray,
              funded: np.ndarray) -> list[GroupShare]:
    expected = simulation.allocation["allocation"].to_numpy(dtype=float)
    awarded = actual.table["total"].reindex(simulation.allocation.index).to_numpy(dtype=float)
    rows = []
    for g in sorted(set(groups)):
        members = groups == g
        rows.append(GroupShare(int(g), int(members.sum()), round(float(expected[members].sum() / expected.sum()), 4),
                               round(float(awarded[members].sum() / awarded.sum()), 4),
                               round(float(predicted[members].mean()), 4), round(float(funded[members].mean()), 4)))
    return rows


def _reliability(p: np.ndarray, y: np.ndarray) -> list[dict]:
    """Areas in ``BINS`` equal-count bins of predicted probability (one per area where there are fewer): mean
    prediction against observed rate."""
    order = np.argsort(p, kind="stable")
    rows = []
    for members in np.array_split(order, min(BINS, len(order))):
        rows.append({"areas": int(len(members)), "mean_predicted": round(float(p[members].mean()), 4),
                     "observed_rate": round(float(y[members].mean()), 4)})
    return rows
