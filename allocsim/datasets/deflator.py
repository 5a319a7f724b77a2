"""The GDP deflator by financial year, for putting money from different years into one price base.

Built from ONS series YBGB (quarterly, seasonally adjusted, 2022 = 100): a financial year is the
mean of its four quarters, April to March (2020-21 = 2020 Q2 to 2021 Q1), as HM Treasury's GDP
deflators for the Green Book are. Written to ``datasets/gdp_deflator.csv`` with a ``.meta.json``.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd

from allocsim.datasets import sources
from allocsim.errors import DataError
from allocsim.io import atomic_write_text

NAME = "gdp_deflator"
QUARTER = re.compile(r"^(\d{4}) Q([1-4])$")


def read_quarters(raw: Path) -> pd.Series:
    """The quarterly deflator, indexed by (year, quarter)."""
    path = sources.raw_file(raw, "gdp_deflator")
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    quarters = {}
    for row in rows:
        match = QUARTER.match(row[0]) if len(row) == 2 else None
        if match:
            quarters[(int(match.group(1)), int(match.group(2)))] = float(row[1])
    if not quarters:
        raise DataError(f"{path}: no quarterly rows ('2013 Q2','81.6') found")
    return pd.Series(quarters).sort_index()


def financial_years(quarters: pd.Series) -> pd.DataFrame:
    """``financial_year`` (``2020-21``), ``deflator_2022_100`` (mean of its four quarters) for every
    financial year whose four quarters are all published."""
    rows = []
    for year in range(quarters.index[0][0], quarters.index[-1][0] + 1):
        parts = [(year, 2), (year, 3), (year, 4), (year + 1, 1)]
        if all(p in quarters.index for p in parts):
            mean = sum(quarters[p] for p in parts) / 4
            rows.append({"financial_year": f"{year}-{str(year + 1)[2:]}", "deflator_2022_100": round(mean, 4)})
    return pd.DataFrame(rows)


def metadata() -> dict:
    """The deflator table's ``.meta.json``: its title, source and licence, how a financial year is derived
    from quarters, and how :mod:`allocsim.prices` uses it."""
    source = sources.SOURCES["gdp_deflator"]
    return {
        "dataset": NAME,
        "title": "UK GDP implied deflator by financial year (2022 = 100)",
        "source": source.publication, "publisher": source.publisher, "licence": source.licence,
        "source_url": source.url, "raw_file": source.raw_path,
        "derivation": "Each financial year (April to March) is the mean of its four seasonally adjusted "
                      "quarters, as HM Treasury's GDP deflators at market prices for the Green Book are; "
                      "rounded to 4 decimals.",
        "use": "allocsim.prices converts pounds of one financial year's prices into another's: "
               "amount x deflator(to) / deflator(from).",
    }


def write(table: pd.DataFrame, out: Path) -> Path:
    """Write the deflator table and its ``.meta.json`` into ``out`` (each atomically); returns the CSV's
    path."""
    path = out / f"{NAME}.csv"
    atomic_write_text(path, table.to_csv(index=False, lineterminator="\n"))
    atomic_write_text(out / f"{NAME}.meta.json", json.dumps(metadata(), indent=2, ensure_ascii=False) + "\n")
    return path
