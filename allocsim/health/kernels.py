"""Pure kernels of the health model over arrays of draws x areas."""

from __future__ import annotations

import numpy as np


def health_acting_share(mix: dict[str, float], drawn: dict[str, np.ndarray]) -> np.ndarray:
    """The share of each pound that acts on health: the theme mix times each theme's share."""
    return sum(share * drawn[f"health_share.{theme}"] for theme, share in mix.items())


def need_multiplier(hle: np.ndarray, population: np.ndarray, elasticity: np.ndarray) -> np.ndarray:
    """(HLE / mean HLE) ^ -elasticity per draw and area, with population-weighted mean 1."""
    weights = population / population.sum()
    relative = hle / np.dot(weights, hle)
    raw = relative[np.newaxis, :] ** -elasticity[:, np.newaxis]
    return raw / (raw @ weights)[:, np.newaxis]


def undiscounted_qalys(allocation_gbp: np.ndarray, population: np.ndarray, share: np.ndarray,
                       cost_per_qaly: np.ndarray, multiplier: np.ndarray, curve: str,
                       saturation_per_head: np.ndarray) -> np.ndarray:
    """QALYs per draw and area before discounting (``allocation_gbp`` is draws x areas or 1 x areas)."""
    acting = allocation_gbp * share[:, np.newaxis]
    if curve == "diminishing":
        k = saturation_per_head[:, np.newaxis] * population[np.newaxis, :]
        acting = k * np.log1p(acting / k)
    return acting / cost_per_qaly[:, np.newaxis] * multiplier


def discount_factor(rate: np.ndarray, lag_years: np.ndarray, horizon_years: np.ndarray) -> np.ndarray:
    """Mean of (1 + rate) ^ -t over t from lag to lag + horizon (effects spread evenly)."""
    delta = np.log1p(rate)
    safe = np.where(delta > 0, delta, 1.0)
    spread = (np.exp(-safe * lag_years) - np.exp(-safe * (lag_years + horizon_years))) / (safe * horizon_years)
    return np.where(delta > 0, spread, 1.0)
