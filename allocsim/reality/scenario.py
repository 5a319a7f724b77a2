"""The actual money beside simulations of the same total: pounds per resident by each view."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from allocsim.money.simulation import Simulation
from allocsim.reality.actual import GB_AREAS, Actual, per_head, views


def beside(actual: Actual, simulations: Mapping[str, Simulation], data: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One table per view (published category, HLE deciles, nation, region, ...): ``category, areas,
    population``, then ``actual_per_head`` and one ``<label>_per_head`` per simulation (pounds per
    resident, price base), over the areas every simulation covers."""
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
        frame.attrs["scope"] = actual.scope  # whose awards: "GB areas", or the areas compared
        tables[name] = frame.drop(columns=["actual"])
    return tables


def beside_scope(tables: Mapping[str, pd.DataFrame]) -> str:
    """Whose awards the tables of :func:`beside` hold: "GB areas", or the areas compared (``--countries``)."""
    return next(iter(tables.values())).attrs.get("scope", GB_AREAS) if tables else GB_AREAS
