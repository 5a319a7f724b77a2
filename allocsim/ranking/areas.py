"""Which areas a rule covers, and the country each belongs to."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from allocsim.countries import COUNTRIES
from allocsim.errors import DataError, RuleError
from allocsim.rules.schema import Rule


def select_areas(data: pd.DataFrame, rule: Rule, countries: Iterable[str] | None = None) -> pd.DataFrame:
    """The areas a rule covers: its countries, narrowed further by ``countries`` if given."""
    wanted = set(rule.countries)
    if countries:
        unknown = sorted(set(countries) - set(COUNTRIES))
        if unknown:
            raise RuleError(f"--countries: unknown country '{unknown[0]}' (use {', '.join(COUNTRIES)})")
        if not wanted & set(countries):
            raise RuleError(f"--countries {', '.join(countries)}: {rule.source} covers only "
                            f"{', '.join(rule.countries)}")
        wanted &= set(countries)
    if "country" not in data.columns:
        if set(rule.countries) != set(COUNTRIES) or countries:
            raise RuleError("the dataset has no 'country' column, so areas cannot be selected by country")
        return data
    unknown = ~data["country"].isin(COUNTRIES)
    if unknown.any():
        code, value = data.index[unknown][0], data["country"][unknown].iloc[0]
        raise DataError(f"column 'country': area {code} has {_country_described(value)}; "
                        f"every area needs one of {', '.join(COUNTRIES)}")
    chosen = data[data["country"].isin(wanted)]
    if chosen.empty:
        found = ", ".join(repr(c) for c in sorted(data["country"].dropna().astype(str).unique())[:5])
        raise RuleError(f"{rule.source}: the dataset has no areas in {', '.join(sorted(wanted))} "
                        f"(its 'country' column holds {found or 'no values'})")
    return chosen


def _country_described(value) -> str:
    """A country value that is not one of COUNTRIES, worded as the dataset loader words it."""
    if pd.isna(value):
        return "no value"
    return "an empty country" if isinstance(value, str) and not value.strip() else repr(value)


def country_labels(areas: pd.DataFrame, rule: Rule) -> np.ndarray:
    """Each area's country: the scope of ``per_country`` normalisation and categories."""
    if "country" in areas.columns:
        return areas["country"].to_numpy(dtype=str)
    if rule.normalisation_scope == "per_country" or (rule.categories and rule.categories.scope == "per_country"):
        raise RuleError(f"rule '{rule.name}' works per country but the dataset has no 'country' column")
    return np.full(len(areas), "all")


def in_code_order(areas: pd.DataFrame) -> np.ndarray:
    """Positions that put ``areas`` in code order (the engine's order; ties go by code)."""
    return np.argsort(areas.index.to_numpy(dtype=str), kind="stable")
