"""What a comparison of two rules says in numbers: focus gains and losses, transitions, rank
correlation, group-1 overlap and agreement, and who group 1 holds."""

from __future__ import annotations

import pandas as pd

from allocsim.comparison.focus import DEFAULT_FOCUS, focus_selection
from allocsim.comparison.table import transition_matrix
from allocsim.ranking import RankResult
from allocsim.rules.schema import Rule
from allocsim.stats import cohen_kappa, kendall_tau, rounded, spearman_rho

PROSPEROUS_HLE_FALLBACK = DEFAULT_FOCUS


def summarise(table: pd.DataFrame, base: RankResult, alt: RankResult, data: pd.DataFrame,
              focus: str, focus_share: float) -> dict:
    focus_rows = table[table["in_focus"]]
    g1_base = set(table.index[table["base_group"] == 1])
    g1_alt = set(table.index[table["alt_group"] == 1])
    return {
        "base_rule": base.rule.name,
        "base_rule_source": base.rule.source,  # the file, and any --set applied to it
        "alt_rule": alt.rule.name,
        "alt_rule_source": alt.rule.source,
        "alt_effective_weights": effective_weights(alt.rule),
        "areas": len(table),
        "focus": {
            "column": focus,
            **focus_selection(table[focus], focus_share),
            "gain_priority": int((focus_rows["group_change"] > 0).sum()),
            "lose_priority": int((focus_rows["group_change"] < 0).sum()),
            "keep_priority": int((focus_rows["group_change"] == 0).sum()),
            "in_group1_base": int((focus_rows["base_group"] == 1).sum()),
            "in_group1_alt": int((focus_rows["alt_group"] == 1).sum()),
        },
        "all_areas": {
            "gain_priority": int((table["group_change"] > 0).sum()),
            "lose_priority": int((table["group_change"] < 0).sum()),
            "keep_priority": int((table["group_change"] == 0).sum()),
        },
        "transitions": transition_matrix(table).to_dict("index"),
        "rank_correlation": _rank_correlation(table),
        "group1_overlap": {
            "base": len(g1_base),
            "alt": len(g1_alt),
            "both": len(g1_base & g1_alt),
            "jaccard": round(len(g1_base & g1_alt) / len(g1_base | g1_alt), 4) if g1_base | g1_alt else None,
        },
        "agreement": agreement(table["base_group"], table["alt_group"]),
        "prosperous_in_group1": prosperous_in_group1(table, data, focus),
        "group1_profile": {
            "base": group1_profile(table, data, "base_group", focus),
            "alt": group1_profile(table, data, "alt_group", focus),
        },
    }


def effective_weights(rule: Rule) -> dict[str, float] | None:
    """Each indicator's share of the index, rounded for reading (None for a published rule)."""
    if rule.kind != "index":
        return None
    return {column: round(weight, 6) for column, weight in rule.effective_weights().items()}


def _rank_correlation(table: pd.DataFrame) -> dict:
    tau = kendall_tau(table["base_rank"], table["alt_rank"])
    rho = spearman_rho(table["base_rank"], table["alt_rank"])
    return {"kendall_tau": rounded(tau), "spearman_rho": rounded(rho)}


def agreement(reference: pd.Series, other: pd.Series) -> dict:
    """Exact group agreement and Cohen's kappa between two group assignments."""
    same = float((reference == other).mean())
    return {"exact_share": round(same, 4), "cohen_kappa": rounded(cohen_kappa(reference, other))}


def prosperous_in_group1(table: pd.DataFrame, data: pd.DataFrame, focus: str) -> dict:
    """Group-1 areas in the less deprived half by IMD 2019 and with above-median HLE.

    Medians are over the compared areas that have IMD (England only), counted in
    ``areas_with_imd``; HLE is the focus column when it is an HLE measure, otherwise male HLE
    2011-13. With no such area the lists are None: undefined, not empty.
    """
    if "imd2019_rank" not in data.columns:
        return {"note": "no imd2019_rank column in the dataset"}
    hle = focus if focus.startswith("hle_") else PROSPEROUS_HLE_FALLBACK
    if hle not in data.columns:
        return {"note": f"no {hle} column in the dataset"}
    imd = data["imd2019_rank"].reindex(table.index)
    health = data[hle].reindex(table.index)
    with_imd = imd.notna() & health.notna()
    if not with_imd.any():  # Scotland and Wales have no IMD 2019: the question cannot be asked
        return {"hle_column": hle, "areas_with_imd": 0, "base": None, "alt": None}
    prosperous = with_imd & (imd > imd[with_imd].median()) & (health > health[with_imd].median())
    return {
        "hle_column": hle,
        "areas_with_imd": int(with_imd.sum()),
        "base": sorted(table.index[prosperous & (table["base_group"] == 1)]),
        "alt": sorted(table.index[prosperous & (table["alt_group"] == 1)]),
    }


def group1_profile(table: pd.DataFrame, data: pd.DataFrame, column: str, focus: str) -> dict:
    """Who group 1 holds: areas, population share and mean of the focus indicator."""
    in_group1 = table[column] == 1
    profile = {"areas": int(in_group1.sum())}
    if "population_2019" in data.columns:
        population = data["population_2019"].reindex(table.index).astype(float)
        profile["population_share"] = rounded(population[in_group1].sum() / population.sum())
    profile[f"mean_{focus}"] = rounded(data[focus].reindex(table.index)[in_group1].mean())
    return profile
