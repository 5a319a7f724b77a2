"""Aggregations: combine weighted, normalised indicators into one score per area.

An aggregation is a pair of element-wise steps around a weighted mean: ``transform`` each
normalised value, take the weighted mean over the indicators an area has, then ``finish``.
The same definition gives the browser's expression (:meth:`Aggregation.vega_score`), so the
weights explorer scores exactly as the engine does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Aggregation:
    """One way of combining an area's weighted, normalised indicators into a score: ``transform`` each value,
    take the weighted mean, ``finish``; the same steps as Vega expressions, and whether values must be
    non-negative."""

    name: str
    transform: Callable[[np.ndarray], np.ndarray]  # applied to each normalised value
    finish: Callable[..., np.ndarray]  # applied to the weighted mean (takes ``out=``)
    vega_transform: str  # the transform in Vega's expression language, with {} for the value
    vega_finish: str  # the finish, with {} for the weighted mean
    needs_nonnegative: bool  # normalised values must not be negative
    note: str = ""  # how the contributions read, shown with every ranking that uses it

    def vega_score(self, values: list[str], weights: list[str]) -> str:
        """The score as a Vega expression: ``values[j]`` an indicator's normalised value and
        ``weights[j]`` its weight (0 where the area lacks it), weights rescaled to sum to 1."""
        terms = " + ".join(f"{w} * {self.vega_transform.format(v)}" for v, w in zip(values, weights))
        mean = f"(({terms}) / max(1e-12, {' + '.join(weights)}))"
        return self.vega_finish.format(mean)


def _identity(values: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    return values


AGGREGATIONS: dict[str, Aggregation] = {a.name: a for a in (
    Aggregation("arithmetic", _identity, _identity, "{}", "{}", needs_nonnegative=False),
    Aggregation(
        "geometric", np.log1p, np.expm1, "log(1 + {})", "exp({}) - 1", needs_nonnegative=True,
        # Shifting by 1 keeps an area at the best value on one indicator from scoring 0 overall.
        note="aggregation geometric: each contrib:<column> is weight x log(1 + normalised value); "
             "they sum to log(1 + score), not to the score"),
)}
