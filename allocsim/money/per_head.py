"""Money per resident by geography roll-up (region, combined authority, ...)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from allocsim.rollups import RollUp


def per_head_by(allocations: Mapping[str, pd.DataFrame], data: pd.DataFrame, place: RollUp) -> pd.DataFrame:
    """Allocation per resident by the roll-up ``place`` (e.g. region; its groups read from ``data``) under each
    labelled allocation table, in a column named as the roll-up's.

    Areas in no group (not in a combined authority, say) form the roll-up's ``unassigned`` row, last.
    """
    column = place.column
    rows = []
    for label, table in allocations.items():
        joined = table[["allocation", "population"]].join(data[[column]])
        sums = joined.groupby(column, dropna=False)[["allocation", "population"]].sum()
        sums.index = place.name_unassigned(sums.index).rename(column)
        rows.append(sums.assign(rule=label).reset_index())
    frame = pd.concat(rows, ignore_index=True)
    frame["per_head"] = frame["allocation"] / frame["population"]
    return frame
