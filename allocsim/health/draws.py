"""Monte Carlo draws of the health parameters, and summarising per-draw values."""

from __future__ import annotations

import warnings

import numpy as np

from allocsim.parameters import HealthParameters, Ranged
from allocsim.results import Interval

QUANTILES = (0.5, 0.05, 0.95)
SUFFIXES = ("median", "p05", "p95")
RANGED = ("cost_per_qaly", "lag_years", "horizon_years", "need_elasticity", "saturation_per_head",
          "discount_rate", "qaly_value")


def draw_parameters(params: HealthParameters, draws: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One value per draw for each ranged parameter, from triangular(low, central, high).

    Drawn in a fixed order whatever the curve, so the same seed gives the same draws.
    """
    ranged = {f"health_share.{t}": params.health_share[t] for t in sorted(params.health_share)}
    ranged |= {name: getattr(params, name) for name in RANGED}
    return {name: _triangular(rng, r, draws) for name, r in ranged.items()}


def central_parameters(params: HealthParameters) -> dict[str, np.ndarray]:
    """Every ranged parameter at its central value, as a single draw."""
    names = [f"health_share.{t}" for t in sorted(params.health_share)] + list(RANGED)
    return {name: np.array([_ranged(params, name).central]) for name in names}


def _ranged(params: HealthParameters, name: str) -> Ranged:
    head, _, theme = name.partition(".")
    return params.health_share[theme] if theme else getattr(params, head)


def _triangular(rng: np.random.Generator, r: Ranged, draws: int) -> np.ndarray:
    if r.low == r.high:
        return np.full(draws, r.central)
    return rng.triangular(r.low, r.central, r.high, size=draws)


def interval(values: np.ndarray) -> np.ndarray:
    """Median, 5th and 95th percentiles over draws (axis 0), ignoring NaN (all NaN gives NaN)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(values, QUANTILES, axis=0)


def summary_interval(values: np.ndarray, digits: int = 5) -> Interval:
    """The median, 5th and 95th percentiles of per-draw values, rounded for reading."""
    return Interval(*(rounded(q, digits) for q in interval(values)))


def rounded(value: float, digits: int) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return float(f"{value:.{digits}g}") if abs(value) >= 1 else round(float(value), digits + 2)
