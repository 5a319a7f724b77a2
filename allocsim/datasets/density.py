"""Land area and population density of each area, from ONS's mid-2019 population workbook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allocsim.datasets import sources
from allocsim.datasets.added import AddedColumns
from allocsim.errors import DataError


def build_density(table: pd.DataFrame, spine: pd.DataFrame, raw: Path) -> AddedColumns:
    """The ``area_km2`` and ``population_density_2019`` (persons per km2, one decimal) columns from MYE 5,
    with their metadata; refuses an area with no land area or a population that differs from MYE2's."""
    mye5 = sources.read_mye5(raw).reindex(table.index)
    if mye5["area_km2"].isna().any() or (mye5["area_km2"] <= 0).any():
        raise DataError("MYE 5: an area has no land area")
    if not mye5["population_2019"].astype("int64").equals(table["population_2019"].astype("int64")):
        raise DataError("MYE 5 and MYE2 disagree on a mid-2019 population")
    values = pd.DataFrame({
        "area_km2": mye5["area_km2"],
        "population_density_2019": (table["population_2019"] / mye5["area_km2"]).round(1),
    })
    note = rounding_note(table, mye5, values["population_density_2019"])
    report = [f"mye2019_density: land area for {values['area_km2'].notna().sum()} areas "
              f"({values['area_km2'].min():g} to {values['area_km2'].max():,.0f} km2); MYE 5 populations "
              f"equal MYE2's; {note}"]
    return AddedColumns(values, _meta(note), report)


def rounding_note(table: pd.DataFrame, mye5: pd.DataFrame, density: pd.Series) -> str:
    """Where the published whole-km2 area moves the density furthest from ONS's own figure."""
    gap = (density / mye5["ons_density_2019"] - 1).abs()
    worst = gap.idxmax()
    return (f"MYE 5 gives areas in whole km2, so the smallest areas' densities are approximate: the "
            f"largest gap from ONS's own (whole-number) density, from the unrounded area, is "
            f"{table.at[worst, 'name']}'s, {density[worst]:,.1f} against {mye5.at[worst, 'ons_density_2019']:,.0f} "
            f"({100 * gap[worst]:.1f}%); the median gap is {100 * gap.median():.2f}%")


def _meta(note: str) -> dict[str, dict]:
    common = dict(source="mye2019_density", period="30 June 2019")
    return {
        "area_km2": dict(description="Land area (ONS, excluding water), as ONS publishes it in MYE 5",
                         unit="km2", **(common | {"period": "31 December 2019 (Standard Area Measurements)"}),
                         range=[0, 30000], derivation="As published, in whole km2 (MYE notes and definitions, "
                         "10: the Standard Area Measurements reflect the position as at 31 December 2019)."),
        "population_density_2019": dict(
            description="Usual residents per square kilometre of land, mid-2019", unit="persons per km2",
            **common, range=[0, 30000],
            derivation=f"population_2019 divided by area_km2, to one decimal. {note}."),
    }
