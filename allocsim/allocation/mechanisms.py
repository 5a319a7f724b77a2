"""The allocation mechanisms, a registry of small objects.

Each carries the table of the allocation parameter file it reads (its parameter model), its
``allocate`` kernel, a description in words, the extra per-area columns it reports, and
whether it is random (one allocation per Monte Carlo draw). A new mechanism is a module with
those four functions, its table in ``rules/parameters/allocation.toml`` (and its model in
:mod:`allocsim.parameters.allocation`), and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

import allocsim.allocation.competitive as competitive
import allocsim.allocation.formula as formula
from allocsim.parameters.allocation import AllocationParameters, Competitive, Formula


@dataclass(frozen=True)
class Mechanism:
    """One allocation mechanism: its name (the parameter file's table), parameter model, ``allocate`` kernel
    (pence per draw and area), description, extra per-area columns and whether it is random."""

    name: str
    model: type[BaseModel]  # its parameter table's model
    allocate: Callable[..., np.ndarray]  # (groups, population, budget_pence, table, source, draws, rng) -> pence
    describe: Callable[[BaseModel], str]
    extra_columns: Callable[[np.ndarray], dict[str, np.ndarray]]
    columns: tuple[str, ...]  # the names extra_columns gives, in order
    random: bool

    def parameters(self, params: AllocationParameters) -> BaseModel:
        """This mechanism's table of the allocation parameters."""
        return getattr(params, self.name)


MECHANISMS: dict[str, Mechanism] = {m.name: m for m in (
    Mechanism("formula", Formula, formula.allocate, formula.describe, formula.extra_columns, (), random=False),
    Mechanism("competitive", Competitive, competitive.allocate, competitive.describe, competitive.extra_columns,
              ("allocation_p05", "allocation_p95", "funded_probability"), random=True),
)}
