"""Monte Carlo draws of the health parameters, and summarising per-draw values."""

from __future__ import annotations

import warnings

import numpy as np

from allocsim.parameters import HealthParameters, Ranged
from allocsim.parameters.cited import Specifications
from allocsim.prices import factor
from allocsim.results import Interval

QUANTILES = (0.5, 0.05, 0.95)
SUFFIXES = ("median", "p05", "p95")
RANGED = ("cost_per_qaly", "lag_years", "horizon_years", "need_elasticity", "saturation_per_head",
          "discount_rate", "qaly_value")


def ranged(params: HealthParameters) -> dict[str, Ranged | Specifications]:
    """Every parameter known only within a range (or as alternative specifications), by name, in
    the fixed order they are drawn: the health shares by theme, then :data:`RANGED`."""
    found: dict[str, Ranged | Specifications] = {f"health_share.{t}": params.health_share[t]
                                                 for t in sorted(params.health_share)}
    return found | {name: getattr(params, name) for name in RANGED}


def draw_parameters(params: HealthParameters, draws: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One value per draw for each ranged parameter, money in the price base (:mod:`allocsim.prices`):
    triangular(low, central, high), or one of the specifications, each equally likely.

    Drawn in a fixed order whatever the curve, so the same seed gives the same draws.
    """
    return {name: in_price_base(r, _draw(rng, r, draws)) for name, r in ranged(params).items()}


def central_parameters(params: HealthParameters, **at: float) -> dict[str, np.ndarray]:
    """Every ranged parameter at its central value (``at`` sets some to other values, in their own
    price base), as a single draw, money in the price base."""
    return {name: in_price_base(r, np.array([at.get(name, r.central)], dtype=float))
            for name, r in ranged(params).items()}


def one_way_parameters(params: HealthParameters) -> tuple[list[tuple[str, float, float]], dict[str, np.ndarray]]:
    """One-way sensitivity: the central case, then each parameter that varies at its low and then its
    high value with every other at its central value, as draws 0, 1, 2, ... Returns the parameters
    varied ``(name, low, high)`` (in their own price base) and the draws (money in the price base)."""
    varied = [(name, r.low, r.high) for name, r in ranged(params).items() if r.low != r.high]
    rows = [central_parameters(params)]
    for name, low, high in varied:
        rows += [central_parameters(params, **{name: low}), central_parameters(params, **{name: high})]
    return varied, {name: np.concatenate([row[name] for row in rows]) for name in rows[0]}


def in_price_base(parameter: Ranged | Specifications, values: np.ndarray) -> np.ndarray:
    """``values`` of a money parameter (one with a ``price_base``) in allocsim's price base."""
    base = getattr(parameter, "price_base", None)
    return values * factor(base) if base is not None else values


def _draw(rng: np.random.Generator, r: Ranged | Specifications, draws: int) -> np.ndarray:
    if isinstance(r, Specifications):
        return np.asarray(r.values, dtype=float)[rng.integers(len(r.values), size=draws)]
    if r.low == r.high:
        return np.full(draws, r.central)
    return rng.triangular(r.low, r.central, r.high, size=draws)


def interval(values: np.ndarray) -> np.ndarray:
    """Median, 5th and 95th percentiles over draws (axis 0), ignoring NaN (all NaN gives NaN)."""
    values = np.asarray(values)
    if values.ndim != 2:
        return _nan_interval(values)
    # np.nanquantile takes one column at a time; columns without NaN give the same in one call.
    missing = np.isnan(values)
    gaps, empty = missing.any(axis=0), missing.all(axis=0)
    out = np.full((len(QUANTILES), values.shape[1]), np.nan)
    out[:, ~gaps] = np.quantile(values[:, ~gaps], QUANTILES, axis=0)
    if (gaps & ~empty).any():
        out[:, gaps & ~empty] = _nan_interval(values[:, gaps & ~empty])
    return out


def _nan_interval(values: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(values, QUANTILES, axis=0)


def summary_interval(values: np.ndarray, digits: int = 5) -> Interval:
    """The median, 5th and 95th percentiles of per-draw values, rounded for reading."""
    return Interval(*(rounded(q, digits) for q in interval(values)))


def rounded(value: float, digits: int) -> float | None:
    """``value`` to ``digits`` significant figures when at least 1 in size, else to ``digits + 2`` decimal
    places (a value that rounds to zero is 0, never -0); None for a missing or non-finite value (JSON has no
    NaN)."""
    if value is None or not np.isfinite(value):
        return None
    return float(f"{value:.{digits}g}") if abs(value) >= 1 else round(float(value), digits + 2) + 0.0
