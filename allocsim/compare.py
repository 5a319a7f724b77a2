"""Compare two rules on the same areas: who gains or loses priority, transitions, agreement.

A :class:`Comparison` holds a tidy per-area table first, statistics second; charts and
reports read from it and never recompute it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.metrics import cohen_kappa_score

from allocsim.errors import AllocsimError
from allocsim.ranking import RankResult, rank
from allocsim.rules.schema import Rule

DEFAULT_FOCUS = "hle_male_2011_13"
DEFAULT_FOCUS_SHARE = 0.3
PROSPEROUS_HLE_FALLBACK = DEFAULT_FOCUS


@dataclass(frozen=True)
class Comparison:
    base: RankResult
    alt: RankResult
    table: pd.DataFrame  # one row per area, see compare_results
    focus: str
    focus_share: float
    summary: dict

    @property
    def transitions(self) -> pd.DataFrame:
        return transition_matrix(self.table)


def compare(base: Rule | str, alt: Rule | str, data: pd.DataFrame, countries=None,
            focus: str = DEFAULT_FOCUS, focus_share: float = DEFAULT_FOCUS_SHARE) -> Comparison:
    """Rank ``data`` under both rules and compare the results.

    The summary records where each rule came from (``base_rule_source``, ``alt_rule_source``:
    the file and any ``--set`` applied to it), so saved results of a variant do not look like
    the unmodified rule's.
    """
    return compare_results(rank(base, data, countries), rank(alt, data, countries), data, focus, focus_share)


def compare_results(base: RankResult, alt: RankResult, data: pd.DataFrame,
                    focus: str = DEFAULT_FOCUS, focus_share: float = DEFAULT_FOCUS_SHARE) -> Comparison:
    _check_same_areas(base, alt)
    check_focus(data, focus, focus_share)
    table = comparison_table(base, alt, data, focus, focus_share)
    summary = summarise(table, base, alt, data, focus, focus_share)
    return Comparison(base, alt, table, focus, focus_share, summary)


def _check_same_areas(base: RankResult, alt: RankResult) -> None:
    only_base = base.table.index.difference(alt.table.index)
    only_alt = alt.table.index.difference(base.table.index)
    if len(only_base) or len(only_alt):
        raise AllocsimError(
            f"rules '{base.rule.name}' and '{alt.rule.name}' cover different areas "
            f"({len(only_base)} only in the first, {len(only_alt)} only in the second); "
            f"use --countries to compare the countries both cover"
        )


def check_focus(data: pd.DataFrame, focus: str, focus_share: float) -> None:
    if focus not in data.columns:
        raise AllocsimError(f"--focus: '{focus}' is not a column of the dataset")
    if not pd.api.types.is_numeric_dtype(data[focus]):
        raise AllocsimError(f"--focus: column '{focus}' is not numeric")
    if not 0 < focus_share <= 1:
        raise AllocsimError(f"--focus-share: must be in (0, 1], got {focus_share:g}")


def focus_target(values: pd.Series, share: float) -> int:
    """How many areas ``share`` asks for: the share of areas with a value, rounded half up."""
    return _areas_asked(share, int(values.notna().sum()))


def _areas_asked(share: float, present: int) -> int:
    return int(np.floor(share * present + 0.5))


def minimum_focus_share(present: int) -> float:
    """The smallest share, rounded up to two significant figures, that asks for at least one of
    ``present`` areas (the count rounds half up, so the exact minimum is half an area)."""
    exact = 0.5 / present
    step = 10.0 ** (math.floor(math.log10(exact)) - 1)
    share = float(f"{math.ceil(exact / step) * step:.2g}")
    while _areas_asked(share, present) == 0:  # guards against binary rounding just below half an area
        share = float(f"{share + step:.2g}")
    return share


def focus_cutoff(values: pd.Series, share: float) -> float | None:
    """The highest value in the focus set (None when ``share`` asks for no area)."""
    n = focus_target(values, share)
    return float(np.sort(values.dropna().to_numpy(dtype=float))[n - 1]) if n else None


def focus_set(values: pd.Series, share: float) -> pd.Index:
    """The lowest ``share`` of areas by ``values``, plus every area tied at the cut-off value.

    Areas with the same value are treated alike, so the set can be larger than ``share``
    (HLE is published to one decimal and shire districts share their county's value); it is
    listed by value, then area code.
    """
    cutoff = focus_cutoff(values, share)
    present = values.dropna()
    chosen = present[present <= cutoff] if cutoff is not None else present.iloc[:0]
    order = np.lexsort((chosen.index.to_numpy(dtype=str), chosen.to_numpy(dtype=float)))
    return pd.Index(chosen.index[order])


def focus_selection(values: pd.Series, share: float) -> dict:
    """How :func:`focus_set` chose: the ``share`` asked for, the ``target_areas`` it is, the
    ``cutoff_value``, the areas ``tied_at_cutoff`` and the ``areas`` in the set, which exceed the
    target only when areas tied at the cut-off were added."""
    cutoff = focus_cutoff(values, share)
    return {
        "share": share,
        "target_areas": focus_target(values, share),
        "cutoff_value": cutoff,
        "tied_at_cutoff": int((values == cutoff).sum()) if cutoff is not None else 0,
        "areas": len(focus_set(values, share)),
    }


def check_focus_selects(values: pd.Series, focus: str, share: float) -> None:
    """Refuse a focus share too small to select any of the areas in ``values``."""
    present = int(values.notna().sum())
    if not present:
        raise AllocsimError(f"--focus {focus}: none of the {len(values)} areas has a value")
    if focus_target(values, share) == 0:
        raise AllocsimError(f"--focus-share {share:g}: selects no area (the lowest {share:g} of the "
                            f"{present} areas with {focus} rounds to none); use at least "
                            f"{minimum_focus_share(present):g}")


def comparison_table(base: RankResult, alt: RankResult, data: pd.DataFrame, focus: str,
                     focus_share: float) -> pd.DataFrame:
    """``code, name, country, base_rank, alt_rank, rank_change, base_group, alt_group,
    group_change, in_focus, <focus>``; a positive change means more priority under ``alt``."""
    b, a = base.table, alt.table.reindex(base.table.index)
    table = pd.DataFrame(index=b.index)
    table["name"], table["country"] = b.get("name"), b.get("country")
    table["base_rank"], table["alt_rank"] = b["rank"], a["rank"]
    table["rank_change"] = b["rank"] - a["rank"]
    table["base_group"], table["alt_group"] = b["group"], a["group"]
    table["group_change"] = b["group"] - a["group"]
    focus_values = data[focus].reindex(b.index)
    check_focus_selects(focus_values, focus, focus_share)
    table["in_focus"] = b.index.isin(focus_set(focus_values, focus_share))
    table[focus] = focus_values
    return table


def transition_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Counts of areas by base group (rows) and alternative group (columns)."""
    groups = sorted(set(table["base_group"]) | set(table["alt_group"]))
    return (pd.crosstab(table["base_group"], table["alt_group"])
            .reindex(index=groups, columns=groups, fill_value=0)
            .rename_axis(index="base_group", columns="alt_group"))


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
    tau = stats.kendalltau(table["base_rank"], table["alt_rank"])
    rho = stats.spearmanr(table["base_rank"], table["alt_rank"])
    return {"kendall_tau": _round(tau.statistic), "spearman_rho": _round(rho.statistic)}


def agreement(reference: pd.Series, other: pd.Series) -> dict:
    """Exact group agreement and Cohen's kappa between two group assignments."""
    same = float((reference == other).mean())
    if reference.nunique() == 1 and other.nunique() == 1:
        kappa = None  # chance agreement is certain (0 or 1): kappa is undefined
    else:
        kappa = _round(cohen_kappa_score(reference, other))
    return {"exact_share": round(same, 4), "cohen_kappa": kappa}


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
        profile["population_share"] = _round(population[in_group1].sum() / population.sum())
    profile[f"mean_{focus}"] = _round(data[focus].reindex(table.index)[in_group1].mean())
    return profile


def _round(value: float, digits: int = 4) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def check_agreement(result: RankResult, reference: RankResult, top: int = 15) -> dict:
    """How closely ``result`` reproduces ``reference``'s groups (``allocsim rules check``)."""
    _check_same_areas(result, reference)
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
    return {"agreement": agreement(ref, got), "confusion": confusion, "disagreements": worst.head(top),
            "n_disagree": int((detail["group_difference"] != 0).sum())}
