"""Fairness audits of a rule's groups, defined as their sources define them.

Two questions asked of every published or reconstructed list:

* **More prosperous areas in the top group** (the press's reading of the LUF list, 2021): areas
  in group 1 that lie in the less deprived half of England by IMD 2019 (rank of average score).
* **Deprived, unhealthy areas in the bottom group** (The Health Foundation, 2021): areas in the
  lowest-priority group that lie in the more deprived half of England by IMD 2019 and have a male
  healthy life expectancy below England's average.

Both are asked of English areas only (IMD 2019 is England's), on the HLE measure chosen
(published upper tier, or the modelled district estimate).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from allocsim.results import JsonResult

DEFAULT_HLE = "hle_male_2011_13"
IMD = "imd2019_rank"  # 1 = most deprived


@dataclass(frozen=True)
class Audit:
    """One fairness audit as its source defines it: a name, the question it asks, its definition and the
    source."""

    name: str
    question: str
    definition: str
    source: str


AUDITS = (
    Audit("prosperous_in_group1", "more prosperous areas in the top priority group",
          "areas in group 1 in the less deprived half of England by IMD 2019 (rank of average score above "
          "the median of the English areas compared)",
          "press reporting of the LUF round 1 list (2021)"),
    Audit("deprived_unhealthy_in_lowest_group", "deprived areas with poor health in the lowest priority group",
          "areas in the lowest-priority group in the more deprived half of England by IMD 2019 whose male "
          "healthy life expectancy is below England's average (the population-weighted mean of the English "
          "areas compared)",
          "The Health Foundation (2021), The government's levelling up agenda: an opportunity to improve "
          "health in England"),
)


@dataclass(frozen=True)
class AuditResult(JsonResult):
    """One fairness audit's answer: the audit's words, the HLE column it used (None for the IMD-only audit),
    the English areas assessed and, per rule label, the count and codes of the areas it finds (None when no
    area could be assessed)."""

    name: str
    question: str
    definition: str
    source: str
    hle_column: str | None
    areas_assessed: int  # English areas with IMD (and HLE) among those compared
    counts: dict[str, int | None]  # per rule label; None when no area could be assessed
    codes: dict[str, list[str] | None]


def check_hle_measure(data: pd.DataFrame, column: str) -> None:
    """Refuse an HLE measure for the audits that is not a numeric column of healthy life expectancy."""
    from allocsim.datasets.load import HLE_RANGE
    from allocsim.errors import ParameterError

    if column not in data.columns:
        raise ParameterError(f"--fairness-hle: '{column}' is not a column of the dataset")
    values = data[column]
    low, high = HLE_RANGE
    if (not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)
            or ((values < low) | (values > high)).any()):
        raise ParameterError(f"--fairness-hle: column '{column}' does not hold healthy life expectancy in years "
                             f"({low:g}-{high:g}); use a male HLE column such as {DEFAULT_HLE} or "
                             f"{DEFAULT_HLE}_district")


def audit(groups: dict[str, pd.Series], data: pd.DataFrame, hle_column: str = DEFAULT_HLE) -> list[AuditResult]:
    """Both audits of each labelled rule's groups (indexed by area code)."""
    codes = next(iter(groups.values())).index
    prosperous, assessed_imd = _less_deprived_half(data, codes)
    unhealthy, assessed_hle = _deprived_and_unhealthy(data, codes, hle_column)
    results = []
    for spec, mask, assessed, in_group in (
            (AUDITS[0], prosperous, assessed_imd, lambda g: g == 1),
            (AUDITS[1], unhealthy, assessed_hle, lambda g: g == g.max())):
        chosen = {label: sorted(codes[mask & in_group(g.reindex(codes)).to_numpy()]) if assessed else None
                  for label, g in groups.items()}
        results.append(AuditResult(spec.name, spec.question, spec.definition, spec.source,
                                   hle_column if spec is AUDITS[1] else None, assessed,
                                   {k: None if v is None else len(v) for k, v in chosen.items()}, chosen))
    return results


def _less_deprived_half(data: pd.DataFrame, codes: pd.Index) -> tuple[np.ndarray, int]:
    imd = _column(data, IMD, codes)
    present = imd.notna()
    return (present & (imd > imd[present].median())).to_numpy(), int(present.sum())


def _deprived_and_unhealthy(data: pd.DataFrame, codes: pd.Index, hle_column: str) -> tuple[np.ndarray, int]:
    imd, hle = _column(data, IMD, codes), _column(data, hle_column, codes)
    population = _column(data, "population_2019", codes)
    present = imd.notna() & hle.notna()
    if not present.any():
        return np.zeros(len(codes), dtype=bool), 0
    weights = population[present].fillna(0) if population.notna().any() else pd.Series(1.0, index=hle[present].index)
    average = np.average(hle[present], weights=weights) if weights.sum() > 0 else hle[present].mean()
    deprived = present & (imd <= imd[present].median())
    return (deprived & (hle < average)).to_numpy(), int(present.sum())


def _column(data: pd.DataFrame, column: str, codes: pd.Index) -> pd.Series:
    if column not in data.columns:
        return pd.Series(np.nan, index=codes)
    return pd.to_numeric(data[column], errors="coerce").reindex(codes).astype(float)
