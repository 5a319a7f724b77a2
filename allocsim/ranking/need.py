"""The matrix a rule scores: areas x indicators, transformed, missing values handled, oriented
so that higher is more need, then normalised by the rule's method and scope."""

from __future__ import annotations

import numpy as np
import pandas as pd

from allocsim.engine import normalise as norm
from allocsim.errors import RuleError
from allocsim.ranking.areas import country_labels
from allocsim.rules.schema import Rule


def need_matrix(rule: Rule, areas: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """The need-oriented matrix (NaN marks a value left out: its weight is shared among the
    area's other indicators), each area's country label (the scope of ``per_country``) and the
    notes of every adjustment made."""
    columns = [i.column for i in rule.indicators]
    countries = country_labels(areas, rule)
    X, notes = _prepared_matrix(rule, areas[columns].to_numpy(dtype=float), countries,
                                areas.index.to_numpy(dtype=str))
    higher = np.array([i.direction == "higher_is_more_need" for i in rule.indicators])
    return norm.orient(X, higher), countries, tuple(notes)


def normalised(rule: Rule, X: np.ndarray, countries: np.ndarray, method: str | None = None) -> np.ndarray:
    """The need-oriented matrix normalised by ``method`` (default the rule's) and the rule's scope.

    Raises ValueError where the method is undefined (distance_to_best with a best value of 0).
    """
    method = method or rule.normalisation
    if rule.normalisation_scope == "per_country":
        return norm.normalise_by_group(X, countries, method)
    return norm.normalise(X, method)


def rule_normalised(rule: Rule, X: np.ndarray, countries: np.ndarray) -> np.ndarray:
    """:func:`normalised` by the rule's own method, refusing an undefined one as a rule error."""
    try:
        return normalised(rule, X, countries)
    except ValueError as error:  # distance_to_best with a best value of 0
        best = np.nanmin(X, axis=0)
        culprits = [i.column for i, b in zip(rule.indicators, best) if b == 0]
        named = f" (indicator '{culprits[0]}')" if culprits else ""
        raise RuleError(f"{rule.source}: normalisation: {error}{named}; choose another normalisation") from None


def _prepared_matrix(rule: Rule, X: np.ndarray, countries: np.ndarray,
                     codes: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Transforms, then the missing-value policy; indicators a whole country lacks are left out there. An area
    left with no value, or none for an indicator with weight, is refused."""
    notes: list[str] = []
    X = X.copy()
    for j, indicator in enumerate(rule.indicators):
        X[:, j] = _transform(X[:, j], indicator, rule, countries)
    for country in np.unique(countries):
        rows = countries == country
        absent = np.all(np.isnan(X[rows]), axis=0)
        if absent.any():
            lacking = [rule.indicators[j].column for j in np.flatnonzero(absent)]
            verb = "has" if len(lacking) == 1 else "have"
            notes.append(f"{country}: {', '.join(lacking)} {verb} no values there; the weight is shared among the "
                         f"rule's other indicators there (each nation ranked on the indicators it has)")
        partial = np.isnan(X[rows]) & ~absent
        if partial.any():
            X[rows] = _missing_policy(rule, X[rows], partial, absent, country, notes)
    _refuse_empty_areas(rule, X, codes)
    _refuse_unweighted_areas(rule, X, codes, countries)
    return X, notes


def _refuse_empty_areas(rule: Rule, X: np.ndarray, codes: np.ndarray) -> None:
    """An area with no value for any indicator has no score; ranking it last would be a guess."""
    empty = codes[np.all(np.isnan(X), axis=1)]
    if len(empty):
        raise RuleError(f"{rule.source}: area {_listed(empty)} has no value for any of the rule's indicators; "
                        f"add data for it or leave it out of the file (or use --countries)")


def _refuse_unweighted_areas(rule: Rule, X: np.ndarray, codes: np.ndarray, countries: np.ndarray) -> None:
    """An area whose only values are of indicators the rule gives no weight (a rule on transport alone, whose
    journey times Scotland and Wales lack) has no score either: it had been scored 0."""
    weights = rule.effective_weights()
    weighted = np.array([weights[i.column] > 0 for i in rule.indicators])
    unweighted = np.all(np.isnan(X[:, weighted]), axis=1)
    if not unweighted.any():
        return
    parts, wholes = [], 0
    for country in np.unique(countries[unweighted]):
        these = unweighted & (countries == country)
        whole = country != "all" and these.sum() == (countries == country).sum()
        wholes += whole
        parts.append(f"all {int(these.sum())} in {country}" if whole else
                     _listed(np.sort(codes[these])) + (f" in {country}" if country != "all" else ""))
    one = unweighted.sum() == 1
    raise RuleError(f"{rule.source}: {int(unweighted.sum())} area{' has' if one else 's have'} values only for "
                    f"indicators the rule gives no weight ({'; '.join(parts)}); give weight to an indicator "
                    f"{'it has' if one else 'they have'}, or leave {'it' if one else 'them'} out of the data"
                    f"{' (--countries for a whole nation)' if wholes else ''}")


def _listed(codes: np.ndarray) -> str:
    return ", ".join(codes[:3]) + (f" and {len(codes) - 3} more" if len(codes) > 3 else "")


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
