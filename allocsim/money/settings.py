"""The money options of a run, checked and loaded once, before anything is computed."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from allocsim.allocation import MAX_DRAWS, MECHANISMS
from allocsim.allocation import mechanism as find_mechanism
from allocsim.arguments import check_money_arguments
from allocsim.checks import check_whole, digits
from allocsim.errors import ParameterError
from allocsim.money.amounts import pounds as pounds_of
from allocsim.money.envelopes import parse_envelopes
from allocsim.parameters import AllocationParameters, HealthParameters, load_parameters

MAX_BUDGET_GBP = 1e13  # pence stay exact in floating point well beyond this
DEFAULT_MECHANISM, DEFAULT_DRAWS = "formula", 1000
DEFAULT_SEED = 0  # of the money's draws, and of a report's robustness draws


@dataclass(frozen=True)
class Settings:
    """Validated money options shared by every rule in a run."""

    budget_pence: int
    mechanism: str
    draws: int
    seed: int
    allocation: AllocationParameters
    allocation_source: str  # the file, or "given in Python"
    health: HealthParameters
    health_source: str
    overrides: tuple[str, ...]
    allocation_described: str = ""  # how messages name the parameters: the file and any --param
    health_described: str = ""
    envelopes: dict[str, int] | None = None  # whole pence by nation, summing to the budget

    @property
    def files(self) -> dict[str, str]:
        """The allocation and health parameter files (or ``given in Python``), keyed ``allocation`` and
        ``health``."""
        return {"allocation": self.allocation_source, "health": self.health_source}

    def describe_mechanism(self) -> str:
        """The chosen mechanism's settings in one line of words, from its table of the allocation
        parameters."""
        chosen = MECHANISMS[self.mechanism]
        return chosen.describe(chosen.parameters(self.allocation))


def money_settings(budget: float | str, mechanism: str = DEFAULT_MECHANISM, draws: int = DEFAULT_DRAWS,
                   seed: int = DEFAULT_SEED,
                   allocation_params=None, health_params=None, param_overrides: Iterable[str] = (),
                   hle_column: str | None = None, envelopes: str | Mapping[str, float] | None = None) -> Settings:
    """Check every money option and load both parameter files, before anything is computed."""
    check_money_arguments(budget, allocation_params, health_params, param_overrides, hle_column)
    pence = budget_pence(budget)
    split = parse_envelopes(envelopes, pence)
    find_mechanism(mechanism)
    check_whole(draws, "--draws", 1, MAX_DRAWS)
    check_whole(seed, "--seed", 0)
    if hle_column and hle_column == _file_hle_column(health_params, param_overrides):
        hle_column = None  # the file already says so: no override to record
    overrides = tuple(param_overrides) + ((f'hle_column.value="{hle_column}"',) if hle_column else ())
    for_allocation = [o for o in overrides if o.partition("=")[0].split(".")[0].strip() in MECHANISMS]
    for_health = [o for o in overrides if o not in for_allocation]
    allocation, allocation_source, allocation_described = load_parameters(
        AllocationParameters, allocation_params, "allocation", for_allocation)
    health, health_source, health_described = load_parameters(
        HealthParameters, health_params, "health", for_health)
    return Settings(pence, mechanism, int(draws), int(seed), allocation, allocation_source, health,
                    health_source, overrides, allocation_described, health_described, split)


def _file_hle_column(health_params, param_overrides: Iterable[str]) -> str | None:
    """The HLE column the health parameters name, before any ``hle_column`` option."""
    if any(o.split("=")[0].strip().startswith("hle_column") for o in param_overrides):
        return None
    return load_parameters(HealthParameters, health_params, "health")[0].hle_column.value


def budget_pence(budget: float | str) -> int:
    """A budget in pounds (a number, or text such as ``4.8e9`` or ``4,800,000,000``) in whole pence."""
    try:
        pounds = pounds_of(budget)
    except OverflowError:  # a whole number beyond any float
        raise ParameterError(f"--budget: must be at most {MAX_BUDGET_GBP:g} pounds, got a whole number of "
                             f"{digits(budget)} digits") from None
    except (TypeError, ValueError):
        commas = "; commas go only between groups of three digits, as in 4,800,000,000" if "," in str(budget) else ""
        raise ParameterError(f"--budget: must be an amount in pounds such as 4.8e9, got {budget!r}{commas}") from None
    shown = budget if isinstance(budget, str) else f"{pounds:g}"
    if not math.isfinite(pounds):
        raise ParameterError(f"--budget: must be a finite amount in pounds, got {shown}")
    if pounds <= 0:
        raise ParameterError(f"--budget: must be more than 0 pounds, got {shown}")
    if pounds > MAX_BUDGET_GBP:
        raise ParameterError(f"--budget: must be at most {MAX_BUDGET_GBP:g} pounds, got {shown}")
    pence = round(pounds * 100)
    if pence < 1:
        raise ParameterError(f"--budget: must be at least 0.01 pounds (one penny), got {shown}")
    return pence


def require_budget(budget: Any, **money_options: Any) -> None:
    """Money options (named as :func:`allocsim.simulate` takes them) mean nothing without a budget:
    refuse them rather than ignore them."""
    given = [name for name, value in money_options.items() if value not in (None, ())]
    if budget is None and given:
        option = "param" if given[0] == "param_overrides" else given[0].replace("_", "-")
        raise ParameterError(f"--{option} needs --budget (the money to allocate)")
