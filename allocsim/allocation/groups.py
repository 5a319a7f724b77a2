"""Checks of an allocation's inputs shared by every mechanism."""

from __future__ import annotations

import numpy as np
import pandas as pd

from allocsim.errors import DataError, ParameterError


def check_population(population: pd.Series, source: str = "population") -> None:
    """Refuse an area whose population is missing, not a number or not above 0; ``source`` names
    the population in the message (e.g. ``areas.csv: column 'population_2019'``)."""
    bad = _first_bad_population(population)
    if bad:
        raise DataError(f"{source}: area {bad[0]} {bad[1]}; every area needs a population above 0 to share "
                        f"the budget per head")


def _first_bad_population(population: pd.Series) -> tuple[str, str] | None:
    """The first area whose population is missing, not a number or not above 0, and what it has."""
    values = pd.to_numeric(population, errors="coerce").astype(float)
    bad = values.index[~(np.isfinite(values) & (values > 0))]
    if not len(bad):
        return None
    code, given = bad[0], population[bad[0]]
    if pd.isna(given) or (isinstance(given, str) and not given.strip()):
        return code, "has no value"
    if pd.isna(values[code]):
        return code, f"has '{given}', which is not a number"
    return code, f"has {values[code]:g}"


def check_groups(groups: np.ndarray, per_group: tuple, field: str, source: str) -> None:
    """Refuse ``per_group`` values (one per priority group, group 1 first) that are fewer than the highest
    group in ``groups``, raising :class:`~allocsim.errors.ParameterError` that names ``source`` and
    ``field``."""
    if groups.max() > len(per_group):
        raise ParameterError(f"{source}: {field}: gives {len(per_group)} groups but the rule puts areas in groups "
                             f"up to {int(groups.max())}; give one value per group, group 1 first")
