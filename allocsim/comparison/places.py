"""Winners and losers by place, in pounds: for each geography roll-up (nation, region, combined
authority, ICB / health board), how much money each place gains or loses under the alternative
rule, and how many of its areas gain or lose (as PolicyEngine shows a reform's winners and losers)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from allocsim.rollups import RollUp

COLUMNS = ["place", "areas", "population", "base_allocation", "alt_allocation", "allocation_change",
           "change_per_head", "areas_gaining", "areas_losing", "gained_by_gaining_areas", "lost_by_losing_areas"]


def winners_and_losers(table: pd.DataFrame, data: pd.DataFrame, place: RollUp) -> pd.DataFrame:
    """One row per place of ``place`` (areas in none in its ``unassigned`` row, last, so the rows add up to
    the whole): the money under each rule (the per-area ``table`` of a money comparison: ``base_allocation``,
    ``alt_allocation``) and the change."""
    frame = table[["base_allocation", "alt_allocation", "allocation_change"]].copy()
    frame["population"] = data["population_2019"].reindex(frame.index).astype(float)
    frame["place"] = data[place.column].reindex(frame.index)
    change = frame["allocation_change"]
    frame["gaining"], frame["losing"] = change > 0.005, change < -0.005  # whole pence
    frame["gain"], frame["loss"] = change.where(frame["gaining"], 0.0), change.where(frame["losing"], 0.0)
    by_place = frame.groupby("place", sort=True, dropna=False)
    grouped = by_place[["population", "base_allocation", "alt_allocation", "allocation_change", "gaining", "losing",
                        "gain", "loss"]].sum()  # one pass over the columns, not one aggregation per column
    grouped = grouped.rename(columns={"gaining": "areas_gaining", "losing": "areas_losing",
                                      "gain": "gained_by_gaining_areas", "loss": "lost_by_losing_areas"})
    pounds = ["base_allocation", "alt_allocation", "allocation_change", "gained_by_gaining_areas",
              "lost_by_losing_areas"]
    grouped[pounds] = grouped[pounds].round(2) + 0.0  # to the penny: a nation's change of -1e-7 is 0, not -0.00
    grouped.insert(0, "areas", by_place.size())
    grouped["change_per_head"] = grouped["allocation_change"] / grouped["population"].replace(0, np.nan)
    grouped.index = place.name_unassigned(grouped.index)
    grouped = grouped.reset_index()
    for column in ("areas", "areas_gaining", "areas_losing"):
        grouped[column] = grouped[column].astype(int)
    return grouped[COLUMNS]
