"""How closely one rule reproduces another's groups (``allocsim rules check``)."""

from __future__ import annotations

import pandas as pd

from allocsim.comparison.compare_rules import check_same_areas
from allocsim.comparison.summary import agreement
from allocsim.ranking import RankResult


def check_agreement(result: RankResult, reference: RankResult, top: int = 15) -> dict:
    """How closely ``result`` reproduces ``reference``'s groups (``allocsim rules check``)."""
    check_same_areas(result, reference)
    ref = reference.table["group"]
    got = result.table["group"].reindex(ref.index)
    confusion = (pd.crosstab(ref, got).rename_axis(index=reference.rule.name, columns=result.rule.name))
    detail = pd.DataFrame({
        "name": result.table.get("name"), "country": result.table.get("country"),
        "reference_group": ref, "group": got, "rank": result.table["rank"],
    })
    detail["group_difference"] = detail["group"] - detail["reference_group"]
    worst = (detail[detail["group_difference"] != 0]
             .assign(size=lambda f: f["group_difference"].abs())
             .sort_values(["size", "rank"], ascending=[False, True]).drop(columns="size"))
    differ = detail["group_difference"] != 0
    return {"agreement": agreement(ref, got), "confusion": confusion, "disagreements": worst.head(top),
            "n_disagree": int(differ.sum()), "exact_share": float(1 - differ.mean())}  # unrounded, for the text
