"""The Levelling Up Fund money actually awarded in rounds 1 and 2, per area, in one price base.

The dataset holds each round's awards in cash (pounds as announced: round 1 in October 2021, round
2 in January 2023), with bids led by a county or combined authority split among its districts by
population (flagged as an attribution: DLUHC published no split). Here each round is converted to
2020-21 prices with the GDP deflator of its announcement's financial year, so the actual money can
stand beside simulations of the same total; the cash totals reconcile to the published ones.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from allocsim.countries import COUNTRIES
from allocsim.errors import DataError
from allocsim.prices import PRICE_BASE, factor, price_base_label
from allocsim.results import JsonResult
from allocsim.rollups import RollUp

ROUNDS = {"round_1": ("luf_r1_award_gbp", "2021-22"), "round_2": ("luf_r2_award_gbp", "2022-23")}
# October 2021 and January 2023, the announcements' financial years (April to March)


GB_AREAS = "GB areas"  # the scope of awards on a whole GB table


@dataclass(frozen=True)
class RoundTotal(JsonResult):
    """One LUF round's money on the GB areas: the financial year of its announcement, the areas with money,
    the cash total as announced, the total in the price base and the deflator factor from one to the other."""

    round: str
    financial_year: str  # of the announcement, whose prices the cash amounts are in
    areas_with_money: int
    cash_gbp: float  # as announced (GB areas; Northern Ireland is outside the table)
    in_price_base_gbp: float
    deflator_factor: float


@dataclass(frozen=True)
class Actual:
    """Per area (indexed by code): ``round_1``, ``round_2`` and ``total`` in the price base, and
    ``cash_total`` as announced; ``funded`` whether the area got any money in either round."""

    table: pd.DataFrame
    rounds: list[RoundTotal]
    price_base: str
    scope: str = GB_AREAS  # whose awards these are, in words: "GB areas", or the areas compared

    @property
    def total_gbp(self) -> float:
        """The money awarded in both rounds to these areas, in pounds in the price base."""
        return float(self.table["total"].sum())


def awards_in_scope(data: pd.DataFrame, codes: pd.Index) -> Actual:
    """The money awarded to the areas ``codes`` of ``data`` (those a comparison covers, e.g. after
    ``--countries``), whose total is then the budget; its ``scope`` says which areas they are."""
    awards = actual_awards(data.loc[codes])
    countries = list(dict.fromkeys(data.loc[codes, "country"].astype(str))) if "country" in data.columns else []
    if set(codes) == set(data.index) and set(countries) >= set(COUNTRIES):
        return awards  # every area of a GB table: "GB areas"
    where = f" in {' and '.join([', '.join(countries[:-1]), countries[-1]] if len(countries) > 2 else countries)}"
    return dataclasses.replace(awards, scope=f"the {len(codes)} areas compared{where if countries else ''}")


def actual_awards(data: pd.DataFrame) -> Actual:
    """The money awarded in rounds 1 and 2 to the areas of ``data``, in the price base."""
    missing = [column for column, _ in ROUNDS.values() if column not in data.columns]
    if missing:
        raise DataError(f"the dataset has no {', '.join(missing)} column: the awards are in the embedded dataset "
                        f"(datasets/gb_local_authorities_2020.csv)")
    table = pd.DataFrame(index=data.index)
    rounds, cash_total = [], 0.0
    for name, (column, year) in ROUNDS.items():
        cash = pd.to_numeric(data[column], errors="coerce").fillna(0.0)
        uprating = factor(year, PRICE_BASE)
        table[name] = cash * uprating
        cash_total = cash_total + cash
        rounds.append(RoundTotal(name, year, int((cash > 0).sum()), round(float(cash.sum()), 2),
                                 round(float(table[name].sum()), 2), round(uprating, 6)))
    table["total"] = table["round_1"] + table["round_2"]
    table["cash_total"] = cash_total
    table["funded"] = table["cash_total"] > 0
    return Actual(table, rounds, price_base_label())


def per_head(money: pd.Series, population: pd.Series, view: View) -> pd.DataFrame:
    """Money per resident by the ``view``'s category: the areas with none in its ``place``'s unassigned row,
    last (a roll-up), or left out (another view)."""
    frame = pd.DataFrame({"money": money, "population": population.astype(float), "category": view.category})
    grouped = frame.groupby("category", sort=True, dropna=view.place is None).agg(
        areas=("money", "size"), population=("population", "sum"), money=("money", "sum"))
    if view.place is not None:
        grouped.index = view.place.name_unassigned(grouped.index).rename("category")
    grouped["per_head"] = grouped["money"] / grouped["population"].replace(0, np.nan)
    return grouped.reset_index()


class View(NamedTuple):
    """A breakdown the actual money is shown by: its title, each area's category and, for a geography roll-up,
    the roll-up (whose unassigned row holds the areas in none)."""

    title: str
    category: pd.Series
    place: RollUp | None = None

    def of(self, codes: pd.Index) -> View:
        """The view over the areas ``codes``."""
        return self._replace(category=self.category.reindex(codes))


def views(data: pd.DataFrame) -> dict[str, View]:
    """The breakdowns the actual money is shown by: the published LUF category, HLE deciles on the upper-tier
    and the modelled district measure, and every money roll-up (nation, region, combined authority, ICB /
    health board)."""
    from allocsim.health.breakdowns import ntile
    from allocsim.rollups import rollups

    codes = data.index.to_numpy(dtype=str)
    found: dict[str, View] = {}
    if "luf_r1_category" in data.columns:
        found["luf_category"] = View("LUF round 1 priority category (published)", data["luf_r1_category"])
    for column, label in (("hle_male_2011_13", "upper tier"), ("hle_male_2011_13_district", "district, modelled")):
        if column in data.columns and data[column].notna().all():
            decile = ntile(data[column].to_numpy(dtype=float), codes, 10)
            found[f"hle_decile_{'district' if 'district' in column else 'upper_tier'}"] = View(
                f"male HLE 2011-13 decile, {label} (1 = lowest)", pd.Series(decile, index=data.index))
    for place in rollups(data, "money"):
        found[place.name] = View(place.title, data[place.column], place)
    return found
