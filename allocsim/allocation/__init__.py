"""Share a budget among areas in pounds, by one of the registered mechanisms
(:mod:`~allocsim.allocation.mechanisms`): by formula, or by a simulated competitive bidding fund.

Money is counted in whole pence, so every draw hands out exactly the budget, or reports the
part that could not be placed (caps reached, too few successful bids); nothing is lost to
rounding. The arithmetic lives in pure functions over arrays in each mechanism's module;
:func:`allocate` checks its inputs and refuses bad ones. The parameters come from a data file
(``rules/parameters/allocation.toml``, :mod:`allocsim.parameters`), where every value names its
source or is labelled an assumption with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from allocsim.allocation.groups import check_population
from allocsim.allocation.mechanisms import MECHANISMS, Mechanism
from allocsim.errors import ParameterError
from allocsim.parameters.allocation import AllocationParameters
from allocsim.pence import expected_pence

MAX_DRAWS = 20_000


@dataclass(frozen=True)
class Allocated:
    """Pence per area in each draw (``pence`` has one row per draw) and what was left unspent."""

    pence: np.ndarray  # (draws, areas) int64; a single row for a mechanism that is not random
    unspent_pence: np.ndarray  # (draws,) int64
    budget_pence: int


def mechanism(name: str) -> Mechanism:
    """The registered mechanism called ``name``, or an error naming the option and the choices."""
    if name not in MECHANISMS:
        raise ParameterError(f"--mechanism: must be one of {', '.join(MECHANISMS)}, got {name!r}")
    return MECHANISMS[name]


def allocate(groups: pd.Series, population: pd.Series, budget_pence: int, mechanism_name: str,
             params: AllocationParameters, source: str, draws: int = 1,
             rng: np.random.Generator | None = None, population_source: str = "population") -> Allocated:
    """Share ``budget_pence`` among areas in priority ``groups`` (1 = highest) by a mechanism.

    ``groups`` and ``population`` are indexed by area code; ``source`` names the parameter file
    in messages, ``population_source`` the population (e.g. a data file and its column). Refuses
    a population that is missing or not above 0, groups the parameters do not cover, and a floor
    the budget cannot pay.
    """
    if groups.empty:
        raise ParameterError("there are no areas to allocate money to")
    chosen = mechanism(mechanism_name)
    check_population(population, population_source)
    groups, population = groups.to_numpy(dtype=int), population.to_numpy(dtype=float)
    pence = chosen.allocate(groups, population, budget_pence, chosen.parameters(params), source, draws, rng)
    return Allocated(pence, budget_pence - pence.sum(axis=1), budget_pence)


__all__ = ["MAX_DRAWS", "MECHANISMS", "Allocated", "Mechanism", "allocate", "check_population", "expected_pence",
           "mechanism"]
