"""Apply a rule to a dataset: score, rank, group and each indicator's contribution per area.

:func:`rank` checks its inputs and refuses bad ones; the arithmetic is the engine's, run on a
batch of one weight vector (the rule's own).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from os import PathLike

import numpy as np
import pandas as pd

from allocsim.arguments import check_rank_arguments
from allocsim.engine import score as scoring
from allocsim.errors import RuleError
from allocsim.ranking.areas import in_code_order, select_areas
from allocsim.ranking.model import outcomes, scoring_model
from allocsim.ranking.need import need_matrix, rule_normalised
from allocsim.rules.load import check_rule_against_data, load_rule
from allocsim.rules.resolve import ResolvedRule, resolve
from allocsim.rules.schema import Rule


@dataclass(frozen=True)
class RankResult:
    """One rule applied to one dataset.

    ``table`` is indexed by area code with ``name``, ``country``, ``score``, ``rank``
    (1 = most need), ``group`` (1 = highest priority) and one ``contrib:<column>`` per
    indicator. ``weights`` are the effective indicator weights before any per-area
    reweighting; ``normalised`` holds each indicator's normalised, need-oriented value (NaN
    where the area lacks it); ``notes`` record every adjustment the run made.
    """

    rule: Rule
    table: pd.DataFrame
    weights: pd.Series
    notes: tuple[str, ...] = field(default=())
    normalised: pd.DataFrame | None = None

    def ordered(self) -> pd.DataFrame:
        """Every area, ``code`` a column, highest need first (ties by code, as the engine orders them)."""
        return self.table.reset_index().sort_values(["rank", "code"], kind="stable", ignore_index=True)

    @property
    def n_groups(self) -> int:
        """The number of priority groups: the highest group any area is in."""
        return int(self.table["group"].max())

    def contributions(self) -> pd.DataFrame:
        """Each indicator's contribution to each area's score (the ``contrib:<column>`` columns, named by
        column), indexed by area code; under geometric aggregation they add up to log(1 + score), not the
        score."""
        columns = [c for c in self.table.columns if c.startswith("contrib:")]
        return self.table[columns].rename(columns=lambda c: c.removeprefix("contrib:"))


def rank(rule: Rule | ResolvedRule | str, data: pd.DataFrame, countries: Iterable[str] | None = None) -> RankResult:
    """Apply ``rule`` (a rule, a resolved rule, or a shipped rule's name or a file) to ``data``."""
    check_rank_arguments(rule, data, countries)
    resolved = resolve(load_rule(rule) if isinstance(rule, (str, PathLike)) else rule)
    check_rule_against_data(resolved.rule, data)
    areas = select_areas(data, resolved.rule, countries)
    result = _published(resolved.rule, areas) if resolved.rule.kind == "published" else _index(resolved, areas)
    if resolved.reference is not None:
        result = _no_downgrade(result, rank(resolved.reference, data, countries))
    return result


def _published(rule: Rule, areas: pd.DataFrame) -> RankResult:
    groups = areas[rule.column]
    bad = groups[groups.isna() | (groups < 1) | (groups != np.round(groups))]
    if not bad.empty:
        raise RuleError(f"{rule.source}: column '{rule.column}' has no whole-number group "
                        f"1, 2, ... for area {bad.index[0]}")
    table = _frame(areas)
    table["score"] = np.nan
    # Areas within an official group are tied: they share the group's mean rank.
    table["rank"] = groups.astype(float).rank(method="average").to_numpy()
    table["group"] = groups.astype(int).to_numpy()
    return RankResult(rule, table, pd.Series(dtype=float),
                      (f"groups read from column '{rule.column}'; ranks tie within a group",))


def _index(resolved: ResolvedRule, areas: pd.DataFrame) -> RankResult:
    rule = resolved.rule
    columns = [i.column for i in rule.indicators]
    X, countries, notes = need_matrix(rule, areas)
    available = ~np.isnan(X)
    Z = rule_normalised(rule, X, countries)
    weights = np.array([rule.effective_weights()[c] for c in columns])
    coded = in_code_order(areas)  # the engine holds areas in code order
    model = scoring_model(resolved, areas.index.to_numpy(dtype=str)[coded], available[coded],
                          {rule.normalisation: Z[coded]}, countries[coded])
    scores = np.empty((1, len(areas)))
    ranks, groups = outcomes(model, weights[np.newaxis], np.zeros(1, np.int64), scores)
    back = np.empty_like(coded)
    back[coded] = np.arange(len(coded))  # code order -> the areas' own order
    table = _frame(areas)
    table["score"] = scores[0, back]
    table["rank"] = ranks[0, back]
    table["group"] = groups[0, back]
    contributions = scoring.contributions(Z, available, weights, resolved.aggregation)
    # one block, not a column at a time: a rule of a thousand indicators would fragment the frame
    table = pd.concat([table, pd.DataFrame(contributions, index=table.index,
                                           columns=[f"contrib:{column}" for column in columns])], axis=1)
    if resolved.aggregation.note:
        notes += (resolved.aggregation.note,)
    notes += _empty_threshold_groups(rule, table)
    normalised = pd.DataFrame(np.where(available, Z, np.nan), index=table.index, columns=columns)
    return RankResult(rule, table, pd.Series(weights, index=columns, name="weight"), tuple(notes), normalised)


def _empty_threshold_groups(rule, table: pd.DataFrame) -> tuple[str, ...]:
    """A note where score thresholds leave groups without an area (a threshold no score reaches, say): the
    rule is valid, but its groups may not be what its author meant."""
    thresholds = rule.categories.thresholds
    if thresholds is None or table.empty:
        return ()
    empty = [g for g in range(1, len(thresholds) + 2) if not (table["group"] == g).any()]
    if not empty:
        return ()
    return (f"group{'s' if len(empty) > 1 else ''} {', '.join(map(str, empty))} "
            f"{'have' if len(empty) > 1 else 'has'} no area: the scores run from {table['score'].min():.4g} to "
            f"{table['score'].max():.4g}, and the thresholds are {', '.join(f'{t:g}' for t in thresholds)}",)


def _no_downgrade(result: RankResult, base: RankResult) -> RankResult:
    base_name = result.rule.no_downgrade_from
    base_group = base.table["group"].reindex(result.table.index)
    table = result.table.copy()
    kept = base_group.notna() & (base_group < table["group"])
    table.loc[kept, "group"] = base_group[kept].astype(int)
    note = (f"no_downgrade_from '{base_name}': {int(kept.sum())} areas kept their higher "
            f"'{base_name}' group")
    return RankResult(result.rule, table, result.weights, result.notes + (note,), result.normalised)


def _frame(areas: pd.DataFrame) -> pd.DataFrame:
    keep = [c for c in ("name", "country") if c in areas.columns]
    table = areas[keep].copy()
    table.index.name = "code"
    return table
