"""Summaries of a loaded dataset for people: what each column is, and one area's profile."""

from __future__ import annotations

import difflib

import pandas as pd

from allocsim.errors import DataError

COUNTRIES = ("England", "Scotland", "Wales")


def describe_columns(data: pd.DataFrame) -> pd.DataFrame:
    """One row per column: unit, period, publisher and how many areas have a value, by country."""
    meta = data.attrs.get("columns", {})
    rows = []
    for column in data.columns:
        entry = meta.get(column, {})
        row = {
            "column": column,
            "unit": entry.get("unit", "?"),
            "period": entry.get("period", "?"),
            "publisher": entry.get("publisher", "(not in metadata)").split(" (")[0],
        }
        by_country = data.groupby("country")[column].count() if "country" in data else pd.Series()
        for country in COUNTRIES:
            row[country] = int(by_country.get(country, 0))
        row["all"] = int(data[column].notna().sum())
        rows.append(row)
    return pd.DataFrame(rows)


def find_area(data: pd.DataFrame, query: str) -> str:
    """The code of the area named or coded ``query`` (case-insensitive); suggests near misses."""
    wanted = query.strip().casefold()
    by_key = {str(code).casefold(): code for code in data.index}
    by_key.update({str(name).casefold(): code for code, name in data["name"].items()})
    if wanted in by_key:
        return by_key[wanted]
    close = difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=0.6)
    names = [f"{data.at[by_key[c], 'name']} ({by_key[c]})" for c in close]
    hint = f"; did you mean {', '.join(names)}?" if names else "; run 'allocsim data describe' to see the dataset"
    raise DataError(f"unknown area '{query}'{hint}")


def area_profile(data: pd.DataFrame, code: str) -> pd.DataFrame:
    """Every column's value for one area, with its unit and period."""
    meta = data.attrs.get("columns", {})
    row = data.loc[code]
    return pd.DataFrame(
        {
            "column": data.columns,
            "value": ["" if pd.isna(v) else v for v in row],
            "unit": [meta.get(c, {}).get("unit", "") for c in data.columns],
            "period": [meta.get(c, {}).get("period", "") for c in data.columns],
        }
    )
