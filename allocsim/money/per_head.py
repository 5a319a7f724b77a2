"""Money per resident by geography roll-up (region, combined authority, ...)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def per_head_by(allocations: Mapping[str, pd.DataFrame], data: pd.DataFrame, column: str) -> pd.DataFrame:
    """Allocation per resident by ``column`` (e.g. region) under each labelled allocation table.

    Areas with no value in ``column`` (not in a combined authority, say) are left out.
    """
    rows = []
    for label, table in allocations.items():
        joined = table[["allocation", "population"]].join(data[[column]])
        sums = joined.dropna(subset=[column]).groupby(column)[["allocation", "population"]].sum()
        rows.append(sums.assign(rule=label).reset_index())
    frame = pd.concat(rows, ignore_index=True)
    frame["per_head"] = frame["allocation"] / frame["population"]
    return frame
