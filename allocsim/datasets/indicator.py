"""One published statistic to be placed on the LAD 2020 areas: what it is and where it comes from.

The build resolves each :class:`Indicator` onto the areas (:mod:`allocsim.datasets.geography`)
and writes its description into the metadata file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from allocsim.datasets import geography

HIGHER_IS_HEALTHIER = "higher is healthier"
HIGHER_IS_WORSE = "higher is worse"


@dataclass(frozen=True)
class Indicator:
    """One published statistic: its column name, description, unit, period, source key and geography, the
    reader that gives it by area code, and which geographic fallbacks (``accept``) it allows."""

    name: str
    description: str
    unit: str
    period: str
    source: str
    geography: str
    read: Callable[[Path], pd.Series]
    derivation: str = ""
    flag: str | None = None  # shared flag column; default ``<name>_geography``
    value_range: tuple[float, float] | None = None
    # Which non-own matches are acceptable (geography.FLAGS). Upper-tier values and proxies are
    # accepted only for statistics that are never published for districts (HLE).
    accept: frozenset[str] = frozenset({geography.OWN, geography.OWN_RECODED, geography.SUCCESSOR})
    # For health measures only: HIGHER_IS_HEALTHIER or HIGHER_IS_WORSE.
    direction: str | None = None

    @property
    def flag_column(self) -> str:
        """The column that flags how each area got its value: ``flag`` when shared, else
        ``<name>_geography``."""
        return self.flag or f"{self.name}_geography"
