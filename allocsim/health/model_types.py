"""What the health model works on and returns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class HealthReturn:
    """The modelled return: ``table`` per area, ``breakdowns`` by category, ``summary`` totals.

    ``qalys`` (present value) and ``undiscounted_qalys`` hold every draw (draws x areas, in the
    order of ``table``), and ``value_per_qaly`` each draw's value of a QALY, so that two rules
    run with the same seed can be compared draw by draw; ``categories`` gives each area's HLE
    decile, IMD quintile and region.
    """

    table: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    summary: dict
    qalys: np.ndarray
    undiscounted_qalys: np.ndarray
    value_per_qaly: np.ndarray
    categories: pd.DataFrame


@dataclass(frozen=True)
class Draws:
    """Per draw and area (draws x areas): pounds spent, QALYs before and after discounting, value."""

    spent: np.ndarray
    raw: np.ndarray
    qalys: np.ndarray
    value: np.ndarray
    population: np.ndarray  # per area
    expected: np.ndarray  # per area: the mean allocation in pounds to the penny, summing to the mean total
