"""The actual money beside simulations of the same total: pounds per resident by each view."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from allocsim.money.simulation import Simulation
from allocsim.reality.actual import GB_AREAS, Actual, per_head, views


@dataclass(frozen=True, eq=False)  # eq=False: a Mapping's own equality, as a dict of the tables has
class Beside(Mapping[str, pd.DataFrame]):
    """The money actually awarded beside simulations of the same total: a table per view (``beside[view]``),
    each view's title, and whose awards they are, ``scope``: "GB areas", or the areas compared
    (``--countries``). Titles and scope are the result's own, not carried in the tables' ``attrs``, which
    an operation on a table may drop."""

    tables: Mapping[str, pd.DataFrame]
    titles: Mapping[str, str]  # view -> e.g. "LUF round 1 priority category (published)"
    scope: str = GB_AREAS

    def heading(self, view: str) -> str:
        """The view's title, capitalised, as a table or chart heading."""
        title = self.titles[view]
        return title[0].upper() + title[1:]

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
    tables, titles = {}, {}
    for name, view in views(data.loc[codes]).items():
        view = view.of(codes)
        frame = per_head(actual.table["total"].reindex(codes), population, view)
        frame = frame.rename(columns={"money": "actual", "per_head": "actual_per_head"})
        for label, simulation in simulations.items():
            money = simulation.allocation["allocation"].reindex(codes)
            simulated = per_head(money, population, view)
            frame[f"{label}_per_head"] = simulated["per_head"].to_numpy()
        tables[name], titles[name] = frame.drop(columns=["actual"]), view.title
    return Beside(tables, titles, actual.scope)
