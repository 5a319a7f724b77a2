"""The modelled return by category of area: HLE decile, IMD quintile, and each geography roll-up."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from allocsim.health.draws import SUFFIXES, interval
from allocsim.health.model_types import Draws
from allocsim.rollups import UNASSIGNED, RollUp

# how outputs say it: many shire districts share their county's HLE, so most decile edges fall within a tie
DECILE_TIES = "areas tied at a decile's edge split by area code, so that each decile has a tenth of the areas"


def area_categories(areas: pd.DataFrame, hle_column: str, places: Sequence[RollUp] = ()) -> pd.DataFrame:
    """HLE decile (1 = lowest HLE), IMD 2019 quintile (1 = most deprived; none outside England, nor for
    Buckinghamshire, created in 2020) and each roll-up's group (``places``; empty where an area is in none)
    of each area. Ties are broken by area code so every decile has its share of areas."""
    codes = areas.index.to_numpy(dtype=str)
    categories = pd.DataFrame(index=areas.index)
    categories["hle_decile"] = ntile(areas[hle_column].to_numpy(dtype=float), codes, 10)
    imd = areas["imd2019_rank"] if "imd2019_rank" in areas.columns else pd.Series(np.nan, index=areas.index)
    present = imd.notna().to_numpy()
    quintile = pd.Series(pd.NA, index=areas.index, dtype="Int64")
    quintile[present] = ntile(imd.to_numpy(dtype=float)[present], codes[present], 5)
    categories["imd_quintile"] = quintile
    for place in places:
        categories[place.name] = areas[place.column]
    return categories


def ntile(values: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    """Each area's ``n``-tile, 1 (lowest values) to ``n``: areas ordered by ``values``, ties by ``codes``, and
    cut into ``n`` groups of equal size (within one area)."""
    order = np.lexsort((codes, values))
    position = np.empty(len(values), dtype=int)
    position[order] = np.arange(len(values))
    return position * n // max(len(values), 1) + 1


NO_IMD = "No IMD 2019 value"  # the row of areas without an IMD quintile: outside England, and Buckinghamshire


def unassigned_rows(places: Sequence[RollUp]) -> dict[str, str]:
    """The name of the row of areas with no category, by breakdown: no IMD quintile, or in no group of a
    roll-up."""
    return {"imd_quintile": NO_IMD} | {place.name: place.unassigned for place in places}


def breakdown(category: pd.Series, draws: Draws, central: Draws, missing: str = UNASSIGNED) -> pd.DataFrame:
    """One row per category: areas, expected allocation, modelled QALYs and healthy months per
    resident, each as the central case and the median and 90% interval over the draws; areas with
    no category (no IMD quintile, no group of a roll-up) last, in a row named ``missing``, so that
    the rows add up to the whole."""
    values = sorted(category.dropna().unique())
    members = [category.eq(value).fillna(False).to_numpy(dtype=bool) for value in values]
    if category.isna().any():
        values.append(missing)
        members.append(category.isna().to_numpy(dtype=bool))
    rows = [{"category": value, "areas": int(m.sum()), "allocation": draws.expected[m].sum()}
            for value, m in zip(values, members)]
    for measure in ("qalys", "healthy_months"):
        # One interval call for every category (a column each) gives what one call each would.
        drawn = interval(np.column_stack([_measure(measure, draws, m) for m in members])) if members else []
        for row, m, quantiles in zip(rows, members, np.transpose(drawn)):
            row[f"modelled_{measure}_central"] = _measure(measure, central, m)[0]
            row |= named(f"modelled_{measure}", quantiles)
    columns = ["category", "areas", "allocation"] + [f"modelled_{m}_{s}" for m in ("qalys", "healthy_months")
                                                     for s in ("central", *SUFFIXES)]
    return pd.DataFrame(rows, columns=columns)


def _measure(measure: str, d: Draws, members: np.ndarray) -> np.ndarray:
    """Per draw: the QALYs, or the healthy months per resident, of the areas ``members``."""
    if measure == "qalys":
        return d.qalys[:, members].sum(axis=1)
    return months(d.raw[:, members], d.population[members])


def months(raw: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Healthy months per resident of a set of areas, per draw."""
    return 12 * raw.sum(axis=1) / population.sum()


def extreme_deciles(decile: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the areas in the top (highest HLE) and bottom decile present."""
    return (decile == decile.max()).to_numpy(), (decile == decile.min()).to_numpy()


def months_gap(raw: np.ndarray, population: np.ndarray, decile: pd.Series) -> np.ndarray:
    """Per draw: modelled healthy months gained per resident in the top HLE decile minus the bottom
    one. Not a change in healthy life expectancy (see :data:`allocsim.health.summary.GAP_MEANING`)."""
    top, bottom = extreme_deciles(decile)
    return months(raw[:, top], population[top]) - months(raw[:, bottom], population[bottom])


def named(prefix: str, quantiles: np.ndarray) -> dict:
    """The median, 5th and 95th percentiles in ``quantiles`` as a dict keyed ``<prefix>_median``,
    ``<prefix>_p05`` and ``<prefix>_p95``."""
    return {f"{prefix}_{suffix}": q for suffix, q in zip(SUFFIXES, quantiles)}
