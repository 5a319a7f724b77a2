"""A rule prepared for scoring in batches (robustness, weight search): its areas in code order
under each usable normalisation, with any no-downgrade floor, beside the engine's own ranking."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from allocsim.errors import ParameterError, RuleError
from allocsim.methods.normalisers import NORMALISERS
from allocsim.ranking.apply import RankResult, rank
from allocsim.ranking.areas import in_code_order, select_areas
from allocsim.ranking.model import ScoringModel, scoring_model
from allocsim.ranking.need import need_matrix, normalised
from allocsim.rules.resolve import ResolvedRule


@dataclass(frozen=True)
class Batch:
    """A rule ready for scoring in batches: its scoring ``model``, its ``baseline`` ranking (the engine at the
    rule's own weights) and the normalisations ``left_out``, each with the reason."""

    model: ScoringModel
    baseline: RankResult  # the rule ranked by the engine at its own weights
    left_out: dict[str, str]  # normalisations asked for that the rule cannot use, and why


def prepare(resolved: ResolvedRule, data: pd.DataFrame, countries: Iterable[str] | None = None,
            methods: Sequence[str] | None = None) -> Batch:
    """``resolved`` made ready for batches under ``methods`` (default: every registered one)."""
    rule = resolved.rule
    if rule.kind != "index":
        raise RuleError(f"rule '{rule.name}' reads its groups from column '{rule.column}'; "
                        f"sensitivity needs an index rule built from indicators")
    baseline = rank(resolved, data, countries)
    areas = select_areas(data, rule, countries)
    areas = areas.iloc[in_code_order(areas)]
    X, labels, _ = need_matrix(rule, areas)
    by_method, left_out = _normalisations(resolved, X, labels, methods)
    model = scoring_model(resolved, areas.index.to_numpy(dtype=str), ~np.isnan(X), by_method, labels,
                          _floor(resolved, data, countries, areas.index))
    return Batch(model, baseline, left_out)


def requested(methods: Sequence[str] | None) -> tuple[str, ...]:
    """The methods asked for (all registered ones by default), each once; unknown ones refused."""
    known = tuple(NORMALISERS)
    asked = known if methods is None else tuple(methods)
    unknown = [m for m in asked if m not in known]
    if unknown or not asked:
        problem = f"unknown method '{unknown[0]}'" if unknown else "give at least one method"
        raise ParameterError(f"--normalisations: {problem} (use {', '.join(known)})")
    return tuple(dict.fromkeys(asked))


def _normalisations(resolved: ResolvedRule, X: np.ndarray, labels: np.ndarray,
                    asked: Sequence[str] | None) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Each usable method's normalised matrix (the rule's own always), and why others are left out: an
    aggregation that needs non-negative values, a method that fails on the data, or score thresholds, which are
    cut-offs on the rule's own normalisation's scale and mean nothing on another's."""
    rule = resolved.rule
    usable, left_out = {}, {}
    by_threshold = rule.categories is not None and rule.categories.thresholds is not None
    for method in dict.fromkeys(requested(asked) + (rule.normalisation,)):
        if by_threshold and method != rule.normalisation:
            left_out[method] = f"the rule's score thresholds are cut-offs on {rule.normalisation} scores, not on these"
            continue
        if resolved.aggregation.needs_nonnegative and not NORMALISERS[method].nonnegative:
            left_out[method] = f"{rule.aggregation} aggregation needs non-negative values"
            continue
        try:
            usable[method] = normalised(rule, X, labels, method)
        except ValueError as error:
            left_out[method] = str(error)
    if not any(m in usable for m in requested(asked)):
        reasons = "; ".join(f"{m}: {why}" for m, why in left_out.items())
        raise ParameterError(f"--normalisations: rule '{rule.name}' can use none of "
                             f"{', '.join(requested(asked))} ({reasons})")
    return usable, {m: r for m, r in left_out.items() if m in requested(asked)}


def _floor(resolved: ResolvedRule, data: pd.DataFrame, countries, codes: pd.Index) -> np.ndarray | None:
    """The no_downgrade_from groups of the areas (the lowest group where an area has none)."""
    if resolved.reference is None:
        return None
    n_groups = resolved.rule.categories.n_groups
    base = rank(resolved.reference, data, countries).table["group"].reindex(codes)
    return base.fillna(n_groups).clip(upper=n_groups).to_numpy(dtype=np.int64)
