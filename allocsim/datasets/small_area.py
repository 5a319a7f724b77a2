"""Small-area estimation kernels: a district's deviation from its group, predicted and benchmarked.

The model behind the modelled district HLE (DOMAIN.md, "Health data below upper tier"): an area's
value is its group's value plus ``beta`` times the area's covariate deviation from the group's
population-weighted mean covariate. ``beta`` is fitted by least squares without an intercept on
areas whose own value is observed; :func:`benchmark` then shifts each group's predictions so their
population-weighted mean equals the group's value. Pure functions over pandas objects, no I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def group_means(values: pd.DataFrame | pd.Series, groups: pd.Series, weights: pd.Series):
    """Each area's population-weighted mean of ``values`` over its group (same index as values)."""
    weighted = values.mul(weights, axis=0).groupby(groups).transform("sum")
    return weighted.div(weights.groupby(groups).transform("sum"), axis=0)


def deviations(covariates: pd.DataFrame, groups: pd.Series, weights: pd.Series) -> pd.DataFrame:
    """Covariates minus their group's population-weighted mean (zero weighted mean per group)."""
    return covariates - group_means(covariates, groups, weights)


def fit_slopes(covariate_deviations: pd.DataFrame, value_deviations: pd.Series) -> np.ndarray:
    """Least-squares slopes without intercept: deviations from a group mean average zero."""
    beta, *_ = np.linalg.lstsq(covariate_deviations.to_numpy(float), value_deviations.to_numpy(float),
                               rcond=None)
    return beta


def predict(group_value: pd.Series, covariate_deviations: pd.DataFrame, beta: np.ndarray) -> pd.Series:
    """Each area's predicted value: its group's value plus its covariate deviations times ``beta`` (before
    benchmarking)."""
    return group_value + covariate_deviations.to_numpy(float) @ beta


def benchmark(predicted: pd.Series, groups: pd.Series, weights: pd.Series, group_value: pd.Series) -> pd.Series:
    """Shift each group's predictions so that their population-weighted mean is the group's value."""
    return predicted + (group_value - group_means(predicted, groups, weights))


def leave_one_group_out(observed: pd.Series, covariates: pd.DataFrame, groups: pd.Series,
                        weights: pd.Series) -> pd.DataFrame:
    """Predict every observed area with slopes fitted on the other groups only.

    Each group's value is the population-weighted mean of its members' observed values, as a
    county's published value is of its districts. Returns ``predicted`` and ``naive`` (the group
    value for every member) beside ``observed``.
    """
    group_value = group_means(observed, groups, weights)
    x = deviations(covariates, groups, weights)
    y = observed - group_value
    predicted = pd.Series(np.nan, index=observed.index)
    for group in groups.unique():
        inside = groups == group
        beta = fit_slopes(x[~inside], y[~inside])
        raw = predict(group_value[inside], x[inside], beta)
        predicted[inside] = benchmark(raw, groups[inside], weights[inside], group_value[inside])
    return pd.DataFrame({"observed": observed, "predicted": predicted, "naive": group_value})


def errors(validation: pd.DataFrame) -> dict[str, float]:
    """RMSE and MAE, in the values' unit, of the model and of the naive group value."""
    model = validation["predicted"] - validation["observed"]
    naive = validation["naive"] - validation["observed"]
    return {
        "areas": int(len(validation)),
        "rmse": float(np.sqrt((model**2).mean())), "mae": float(model.abs().mean()),
        "naive_rmse": float(np.sqrt((naive**2).mean())), "naive_mae": float(naive.abs().mean()),
    }
