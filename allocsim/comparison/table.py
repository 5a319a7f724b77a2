"""The per-area table of a comparison and its group transitions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from allocsim.comparison.focus import DEFAULT_FOCUS_END, check_focus_selects, flag_column, focus_set
from allocsim.ranking import RankResult


def comparison_table(base: RankResult, alt: RankResult, data: pd.DataFrame, focus: str,
                     focus_share: float, focus_end: str = DEFAULT_FOCUS_END) -> pd.DataFrame:
    """``code, name, country, base_rank, alt_rank, rank_change, base_group, alt_group,
    group_change, in_focus, <focus>`` and the focus column's flag column when the metadata names one
    (how each value was obtained: upper tier, modelled, ...); a positive change means more priority
    under ``alt``."""
    b, a = base.table, alt.table.reindex(base.table.index)
    table = pd.DataFrame(index=b.index)
    table["name"], table["country"] = b.get("name"), b.get("country")
    table["base_rank"], table["alt_rank"] = b["rank"], a["rank"]
    table["rank_change"] = b["rank"] - a["rank"]
    table["base_group"], table["alt_group"] = b["group"], a["group"]
    table["group_change"] = b["group"] - a["group"]
    focus_values = data[focus].reindex(b.index)
    check_focus_selects(focus_values, focus, focus_share, focus_end)
    table["in_focus"] = b.index.isin(focus_set(focus_values, focus_share, focus_end))
    table[focus] = focus_values
    flag = flag_column(data, focus)
    if flag is not None:
        table[flag] = data[flag].reindex(b.index)
    return table


def transition_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Counts of areas by base group (rows) and alternative group (columns), every group of
    either rule in both (counted directly: ``pd.crosstab`` took a quarter of a comparison)."""
    groups = sorted(set(table["base_group"]) | set(table["alt_group"]))
    base, alt = (np.searchsorted(groups, table[column].to_numpy()) for column in ("base_group", "alt_group"))
    counts = np.zeros((len(groups), len(groups)), dtype=np.int64)
    np.add.at(counts, (base, alt), 1)
    return pd.DataFrame(counts, index=pd.Index(groups, name="base_group"), columns=pd.Index(groups, name="alt_group"))
