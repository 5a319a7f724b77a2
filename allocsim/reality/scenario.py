"""The actual money beside simulations of the same total: pounds per resident by each view."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from allocsim.money.simulation import Simulation
from allocsim.reality.actual import GB_AREAS, Actual, per_head, views


@dataclass(frozen=True)
class Beside(Mapping[str, pd.DataFrame]):
    """The money actually awarded beside simulations of the same total: a table per view (``beside[view]``;
    each table's ``attrs["title"]`` names its view) and whose awards they are, ``scope``: "GB areas", or the
    areas compared (``--countries``)."""

    tables: Mapping[str, pd.DataFrame]
    scope: str = GB_AREAS

    def __getitem__(self, view: str) -> pd.DataFrame:
        return self.tables[view]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)


def beside(actual: Actual, simulations: Mapping[str, Simulation], data: pd.DataFrame) -> Beside:
    """One table per view (published category, HLE deciles, nation, region, ...): ``category, areas,
    population``, then ``actual_per_head`` and one ``<label>_per_head`` per simulation (pounds per
    resident, price base), over the areas every simulation covers; with whose awards they are."""
    codes = next(iter(simulations.values())).allocation.index if simulations else actual.table.index
    population = data["population_2019"].reindex(codes)
    tables = {}
    for name, (title, category) in views(data.loc[codes]).items():
        frame = per_head(actual.table["total"].reindex(codes), population, category.reindex(codes))
        frame = frame.rename(columns={"money": "actual", "per_head": "actual_per_head"})
        for label, simulation in simulations.items():
            money = simulation.allocation["allocation"].reindex(codes)
            simulated = per_head(money, population, category.reindex(codes))
            frame[f"{label}_per_head"] = simulated["per_head"].to_numpy()
        frame.attrs["title"] = title
        tables[name] = frame.drop(columns=["actual"])
    return Beside(tables, actual.scope)
