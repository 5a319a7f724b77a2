"""Apply a rule to a dataset: score, rank, group and each indicator's contribution per area.

:func:`rank` checks its inputs and refuses bad ones; the arithmetic lives in
:mod:`allocsim.engine`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from allocsim.engine import aggregate, categorise
from allocsim.engine import normalise as norm
from allocsim.errors import DataError, RuleError
from allocsim.rules.load import check_rule_against_data, load_reference, load_rule
from allocsim.rules.schema import COUNTRIES, Rule


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

    @property
    def n_groups(self) -> int:
        return int(self.table["group"].max())

    def contributions(self) -> pd.DataFrame:
        columns = [c for c in self.table.columns if c.startswith("contrib:")]
        return self.table[columns].rename(columns=lambda c: c.removeprefix("contrib:"))


def select_areas(data: pd.DataFrame, rule: Rule, countries: Iterable[str] | None = None) -> pd.DataFrame:
    """The areas a rule covers: its countries, narrowed further by ``countries`` if given."""
    wanted = set(rule.countries)
    if countries:
        unknown = sorted(set(countries) - set(COUNTRIES))
        if unknown:
            raise RuleError(f"--countries: unknown country '{unknown[0]}' (use {', '.join(COUNTRIES)})")
        if not wanted & set(countries):
            raise RuleError(f"--countries {', '.join(countries)}: {rule.source} covers only "
                            f"{', '.join(rule.countries)}")
        wanted &= set(countries)
    if "country" not in data.columns:
        if set(rule.countries) != set(COUNTRIES) or countries:
            raise RuleError("the dataset has no 'country' column, so areas cannot be selected by country")
        return data
    unknown = ~data["country"].isin(COUNTRIES)
    if unknown.any():
        code, value = data.index[unknown][0], data["country"][unknown].iloc[0]
        raise DataError(f"column 'country': area {code} has {_country_described(value)}; "
                        f"every area needs one of {', '.join(COUNTRIES)}")
    chosen = data[data["country"].isin(wanted)]
    if chosen.empty:
        found = ", ".join(repr(c) for c in sorted(data["country"].dropna().astype(str).unique())[:5])
        raise RuleError(f"{rule.source}: the dataset has no areas in {', '.join(sorted(wanted))} "
                        f"(its 'country' column holds {found or 'no values'})")
    return chosen


def _country_described(value) -> str:
    """A country value that is not one of COUNTRIES, worded as the dataset loader words it."""
    if pd.isna(value):
        return "no value"
    return "an empty country" if isinstance(value, str) and not value.strip() else repr(value)


def rank(rule: Rule | str, data: pd.DataFrame, countries: Iterable[str] | None = None,
         _seen: tuple[str, ...] = ()) -> RankResult:
    """Apply ``rule`` (a Rule or a shipped rule's name) to ``data``."""
    rule = load_rule(rule) if isinstance(rule, str) else rule
    check_rule_against_data(rule, data)
    areas = select_areas(data, rule, countries)
    if rule.kind == "published":
        result = _published(rule, areas)
    else:
        result = _index(rule, areas)
    if rule.no_downgrade_from:
        result = _no_downgrade(result, data, countries, _seen + (rule.name,))
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


GEOMETRIC_NOTE = ("aggregation geometric: each contrib:<column> is weight x log(1 + normalised value); "
                  "they sum to log(1 + score), not to the score")


def _index(rule: Rule, areas: pd.DataFrame) -> RankResult:
    columns = [i.column for i in rule.indicators]
    X, countries, notes = need_matrix(rule, areas)
    available = ~np.isnan(X)
    Z = _normalised(rule, X, countries)
    weights = np.array([rule.effective_weights()[c] for c in columns])
    W = aggregate.weight_matrix(weights, available)
    combine = aggregate.geometric if rule.aggregation == "geometric" else aggregate.arithmetic
    scores, contributions = combine(Z, W)
    table = _frame(areas)
    table["score"] = scores
    table["rank"] = categorise.ranks(scores, areas.index.to_numpy(dtype=str))
    table["group"] = _groups(rule, table, countries)
    for j, column in enumerate(columns):
        table[f"contrib:{column}"] = contributions[:, j]
    if rule.aggregation == "geometric":
        notes += (GEOMETRIC_NOTE,)
    normalised = pd.DataFrame(np.where(available, Z, np.nan), index=table.index, columns=columns)
    return RankResult(rule, table, pd.Series(weights, index=columns, name="weight"), tuple(notes), normalised)


def need_matrix(rule: Rule, areas: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """The matrix :func:`rank` normalises: areas x indicators, oriented so higher is more need.

    Transforms and the missing-value policy are applied exactly as in :func:`rank`; NaN marks
    a value left out (its weight is shared among the area's other indicators). Returns the
    matrix, each area's country label (the scope of ``per_country``) and the notes. For
    analyses that score the same areas many ways, such as :mod:`allocsim.sensitivity`.
    """
    columns = [i.column for i in rule.indicators]
    countries = _country_labels(areas, rule)
    X, notes = _prepared_matrix(rule, areas[columns].to_numpy(dtype=float), countries,
                                areas.index.to_numpy(dtype=str))
    higher = np.array([i.direction == "higher_is_more_need" for i in rule.indicators])
    return norm.orient(X, higher), countries, tuple(notes)


def _normalised(rule: Rule, X: np.ndarray, countries: np.ndarray) -> np.ndarray:
    """The need-oriented matrix normalised by the rule's method and scope."""
    try:
        if rule.normalisation_scope == "per_country":
            return norm.normalise_by_group(X, countries, rule.normalisation)
        return norm.normalise(X, rule.normalisation)
    except ValueError as error:  # distance_to_best with a best value of 0
        best = np.nanmin(X, axis=0)
        culprits = [i.column for i, b in zip(rule.indicators, best) if b == 0]
        named = f" (indicator '{culprits[0]}')" if culprits else ""
        raise RuleError(f"{rule.source}: normalisation: {error}{named}; choose another normalisation") from None


def _country_labels(areas: pd.DataFrame, rule: Rule) -> np.ndarray:
    if "country" in areas.columns:
        return areas["country"].to_numpy(dtype=str)
    if rule.normalisation_scope == "per_country" or (rule.categories and rule.categories.scope == "per_country"):
        raise RuleError(f"rule '{rule.name}' works per country but the dataset has no 'country' column")
    return np.full(len(areas), "all")


def _prepared_matrix(rule: Rule, X: np.ndarray, countries: np.ndarray,
                     codes: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Transforms, then the missing-value policy; indicators a whole country lacks are left out there."""
    notes: list[str] = []
    X = X.copy()
    for j, indicator in enumerate(rule.indicators):
        X[:, j] = _transform(X[:, j], indicator, rule, countries)
    for country in np.unique(countries):
        rows = countries == country
        absent = np.all(np.isnan(X[rows]), axis=0)
        for j in np.flatnonzero(absent):
            notes.append(f"{rule.indicators[j].column}: no values in {country}; its weight is "
                         f"shared among the other indicators there")
        partial = np.isnan(X[rows]) & ~absent
        if partial.any():
            X[rows] = _missing_policy(rule, X[rows], partial, absent, country, notes)
    _refuse_empty_areas(rule, X, codes)
    return X, notes


def _refuse_empty_areas(rule: Rule, X: np.ndarray, codes: np.ndarray) -> None:
    """An area with no value for any indicator has no score; ranking it last would be a guess."""
    empty = codes[np.all(np.isnan(X), axis=1)]
    if len(empty):
        listed = ", ".join(empty[:3]) + (f" and {len(empty) - 3} more" if len(empty) > 3 else "")
        raise RuleError(f"{rule.source}: area {listed} has no value for any of the rule's indicators; "
                        f"add data for it or leave it out of the file (or use --countries)")


def _missing_policy(rule: Rule, X: np.ndarray, partial: np.ndarray, absent: np.ndarray,
                    country: str, notes: list[str]) -> np.ndarray:
    counts = partial.sum(axis=0)
    listing = ", ".join(f"{rule.indicators[j].column} ({counts[j]})" for j in np.flatnonzero(counts))
    if rule.missing == "error":
        raise RuleError(f"{rule.source}: missing values in {country}: {listing}; "
                        f"set missing = \"impute_median\" or \"reweight\" to proceed")
    if rule.missing == "impute_median":
        medians = np.nanmedian(np.where(absent, 0.0, X), axis=0)
        X = np.where(partial, medians, X)
        notes.append(f"{country}: missing values replaced by the country median: {listing}")
    else:
        notes.append(f"{country}: missing values left out, their weight shared among the area's "
                     f"other indicators: {listing}")
    return X


def _transform(values: np.ndarray, indicator, rule: Rule, countries: np.ndarray) -> np.ndarray:
    if indicator.transform == "log":
        if np.any(values[~np.isnan(values)] <= 0):
            raise RuleError(f"{rule.source}: indicator '{indicator.column}' has values <= 0, "
                            f"so transform = \"log\" is undefined")
        return np.log(values)
    if indicator.transform == "winsorise":
        low, high = indicator.winsorise_percentiles
        scopes = countries if rule.normalisation_scope == "per_country" else np.zeros(len(values))
        out = values.copy()
        for scope in np.unique(scopes):
            rows = (scopes == scope) & ~np.isnan(values)
            if rows.any():
                out[rows] = norm.winsorise(values[rows, np.newaxis], low, high)[:, 0]
        return out
    return values


def _groups(rule: Rule, table: pd.DataFrame, countries: np.ndarray) -> np.ndarray:
    cut = rule.categories
    scopes = countries if cut.scope == "per_country" else np.zeros(len(table))
    scores = table["score"].to_numpy()
    groups = np.empty(len(table), dtype=int)
    for scope in np.unique(scopes):
        rows = scopes == scope
        if cut.shares is not None:
            local_ranks = categorise.ranks(scores[rows], table.index.to_numpy(dtype=str)[rows])
            groups[rows] = categorise.groups_by_shares(local_ranks, np.array(cut.shares))
        else:
            groups[rows] = categorise.groups_by_thresholds(scores[rows], np.array(cut.thresholds))
    return groups


def _no_downgrade(result: RankResult, data: pd.DataFrame, countries, seen: tuple[str, ...]) -> RankResult:
    base_name = result.rule.no_downgrade_from
    if base_name in seen:
        raise RuleError(f"{result.rule.source}: no_downgrade_from forms a loop: "
                        f"{' -> '.join(seen + (base_name,))}")
    base = rank(load_reference(result.rule), data, countries, seen)
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
