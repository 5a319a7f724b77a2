"""What the health model works on and returns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Draws:
    """Per draw and area (draws x areas): pounds spent, QALYs before and after discounting, value
    (all money in the price base)."""

    spent: np.ndarray
    raw: np.ndarray
    qalys: np.ndarray
    value: np.ndarray
    population: np.ndarray  # per area
    expected: np.ndarray  # per area: the mean allocation in pounds to the penny, summing to the mean total


@dataclass(frozen=True)
class HealthReturn:
    """The modelled return: ``table`` per area, ``breakdowns`` by category, ``summary`` totals,
    ``one_way`` the one-way sensitivity table.

    Every draw is kept so that two rules run with the same seed can be compared draw by draw:
    ``qalys`` (present value) and ``undiscounted_qalys`` (draws x areas, in the order of
    ``table``), ``value_per_qaly`` per draw, and ``flat_qalys`` the total present-value QALYs of
    each draw with no need gradient (need_elasticity 0, every other draw the same). ``central``
    is the central case (every parameter at its central value, on the expected allocation), and
    ``one_way_qalys`` the total QALYs of the central case then each parameter at its low and its
    high value in turn (the rows of ``one_way``). ``categories`` gives each area's HLE decile,
    IMD quintile and roll-up groups.
    """

    table: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    summary: object  # HealthSummary
    qalys: np.ndarray
    undiscounted_qalys: np.ndarray
    value_per_qaly: np.ndarray
    categories: pd.DataFrame
    central: Draws
    central_flat_qalys: float  # the central case with no need gradient
    flat_qalys: np.ndarray
    one_way: pd.DataFrame
    one_way_qalys: np.ndarray
