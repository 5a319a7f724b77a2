"""Share a budget among areas in pounds: by formula, or by a simulated competitive bidding fund.

Money is counted in whole pence, so every draw hands out exactly the budget, or reports the
part that could not be placed (caps reached, too few successful bids); nothing is lost to
rounding. The arithmetic lives in pure functions over arrays (:func:`formula_pence`,
:func:`draw_bids`, :func:`fund_in_order`); :func:`allocate` checks its inputs and refuses bad
ones. The parameters come from a data file (``rules/parameters/allocation.toml``) validated
into the frozen models below, where every value names its source or is labelled an assumption
with the reason (:class:`Cited`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, Literal, TypeVar

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from allocsim.errors import DataError, ParameterError
from allocsim.rules.schema import FieldProblem, Strict

MECHANISMS = ("formula", "competitive")
MAX_DRAWS = 20_000
CHUNK_DRAWS = 500  # competitive draws are simulated in chunks to bound memory

T = TypeVar("T")
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
GroupWeight = Annotated[float, Field(ge=0, le=1e6, allow_inf_nan=False)]  # relative; capped so sums stay finite
Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
PositiveFinite = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=1, le=50)]


# -- parameter models ------------------------------------------------------------------------

class Cited(Strict):
    """Where a value comes from: a ``source``, or an ``assumption`` with its reason (or both)."""

    unit: str = ""
    source: str = ""
    assumption: str = ""

    @model_validator(mode="after")
    def _cited(self) -> Cited:
        if not (self.source.strip() or self.assumption.strip()):
            raise FieldProblem("", "give the value's 'source', or label it an 'assumption' with the reason")
        return self


class Value(Cited, Generic[T]):
    """One value with its provenance."""

    value: T


class Formula(Strict):
    group_weights: Value[tuple[GroupWeight, ...]]
    cap_gbp: Value[Annotated[float, Field(gt=0)]]  # inf: no cap
    floor_gbp: Value[NonNegative]

    @model_validator(mode="after")
    def _consistent(self) -> Formula:
        if not self.group_weights.value or sum(self.group_weights.value) <= 0:
            raise FieldProblem("group_weights.value", "needs at least one weight above 0")
        if self.floor_gbp.value > self.cap_gbp.value:
            raise FieldProblem("floor_gbp.value", f"must not exceed cap_gbp ({self.cap_gbp.value:g}), "
                               f"got {self.floor_gbp.value:g}")
        return self


class Competitive(Strict):
    rounds: Value[Count]
    bid_slots_per_area: Value[Count]
    bid_probability: Value[tuple[Probability, ...]]
    success_probability: Value[tuple[Probability, ...]]
    bid_cap_gbp: Value[PositiveFinite]
    bid_size_mean_share_of_cap: Value[Annotated[float, Field(gt=0, lt=1)]]
    bid_size_concentration: Value[PositiveFinite]
    funding_order: Value[Literal["group_then_random", "random"]]

    @model_validator(mode="after")
    def _same_groups(self) -> Competitive:
        if len(self.bid_probability.value) != len(self.success_probability.value):
            groups, given = len(self.bid_probability.value), len(self.success_probability.value)
            raise FieldProblem("success_probability.value",
                               f"needs one value per group, as bid_probability has ({groups}), got {given}")
        return self


class AllocationParameters(Strict):
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    formula: Formula
    competitive: Competitive


# -- results ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Allocated:
    """Pence per area in each draw (``pence`` has one row per draw) and what was left unspent."""

    pence: np.ndarray  # (draws, areas) int64; a single row for the formula
    unspent_pence: np.ndarray  # (draws,) int64
    budget_pence: int


# -- checking wrapper ------------------------------------------------------------------------

def allocate(groups: pd.Series, population: pd.Series, budget_pence: int, mechanism: str,
             params: AllocationParameters, source: str, draws: int = 1,
             rng: np.random.Generator | None = None, population_source: str = "population") -> Allocated:
    """Share ``budget_pence`` among areas in priority ``groups`` (1 = highest) by ``mechanism``.

    ``groups`` and ``population`` are indexed by area code; ``source`` names the parameter file
    in messages, ``population_source`` the population (e.g. a data file and its column). Refuses
    a population that is missing or not above 0, groups the parameters do not cover, and a floor
    the budget cannot pay.
    """
    if groups.empty:
        raise ParameterError("there are no areas to allocate money to")
    check_population(population, population_source)
    groups, population = groups.to_numpy(dtype=int), population.to_numpy(dtype=float)
    if mechanism == "formula":
        pence = _formula(groups, population, budget_pence, params.formula, source)
    elif mechanism == "competitive":
        if rng is None:
            raise ParameterError("the competitive mechanism needs a random generator (pass a seed)")
        pence = _competitive(groups, budget_pence, params.competitive, source, draws, rng)
    else:
        raise ParameterError(f"--mechanism: must be one of {', '.join(MECHANISMS)}, got {mechanism!r}")
    return Allocated(pence, budget_pence - pence.sum(axis=1), budget_pence)


def check_population(population: pd.Series, source: str = "population") -> None:
    """Refuse an area whose population is missing, not a number or not above 0; ``source`` names
    the population in the message (e.g. ``areas.csv: column 'population_2019'``)."""
    bad = _first_bad_population(population)
    if bad:
        raise DataError(f"{source}: area {bad[0]} {bad[1]}; every area needs a population above 0 to share "
                        f"the budget per head")


def _first_bad_population(population: pd.Series) -> tuple[str, str] | None:
    """The first area whose population is missing, not a number or not above 0, and what it has."""
    values = pd.to_numeric(population, errors="coerce").astype(float)
    bad = values.index[~(np.isfinite(values) & (values > 0))]
    if not len(bad):
        return None
    code, given = bad[0], population[bad[0]]
    if pd.isna(given) or (isinstance(given, str) and not given.strip()):
        return code, "has no value"
    if pd.isna(values[code]):
        return code, f"has '{given}', which is not a number"
    return code, f"has {values[code]:g}"


def _check_groups(groups: np.ndarray, per_group: tuple, field: str, source: str) -> None:
    if groups.max() > len(per_group):
        raise ParameterError(f"{source}: {field}: gives {len(per_group)} groups but the rule has "
                             f"{int(groups.max())}; give one value per group, group 1 first")


def _formula(groups: np.ndarray, population: np.ndarray, budget_pence: int, formula: Formula,
             source: str) -> np.ndarray:
    _check_groups(groups, formula.group_weights.value, "formula.group_weights.value", source)
    n = len(groups)
    floor = np.full(n, round(formula.floor_gbp.value * 100), dtype=float)
    cap = np.full(n, formula.cap_gbp.value * 100 if np.isfinite(formula.cap_gbp.value) else np.inf)
    cap = np.floor(cap)  # whole pence
    if floor.sum() > budget_pence:
        raise ParameterError(
            f"{source}: formula.floor_gbp.value: a floor of £{formula.floor_gbp.value:,.2f} for each of "
            f"{n} areas needs £{floor.sum() / 100:,.2f}, more than the budget £{budget_pence / 100:,.2f}")
    need = np.asarray(formula.group_weights.value)[groups - 1] * population
    return formula_pence(need, budget_pence, floor, cap)[np.newaxis, :]


def _competitive(groups: np.ndarray, budget_pence: int, c: Competitive, source: str, draws: int,
                 rng: np.random.Generator) -> np.ndarray:
    _check_groups(groups, c.bid_probability.value, "competitive.bid_probability.value", source)
    p_bid = np.asarray(c.bid_probability.value)[groups - 1]
    p_success = np.asarray(c.success_probability.value)[groups - 1]
    group_rank = (groups - 1) if c.funding_order.value == "group_then_random" else np.zeros_like(groups)
    chunks = []
    for start in range(0, draws, CHUNK_DRAWS):
        bids = draw_bids(rng, min(CHUNK_DRAWS, draws - start), c.rounds.value, c.bid_slots_per_area.value,
                         len(groups), round(c.bid_cap_gbp.value * 100), c.bid_size_mean_share_of_cap.value,
                         c.bid_size_concentration.value)
        chunks.append(bidding_round_pence(bids, p_bid, p_success, group_rank, budget_pence))
    return np.concatenate(chunks)


# -- pure kernels ----------------------------------------------------------------------------

def formula_pence(need: np.ndarray, budget_pence: int, floor: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Whole pence per area: ``clip(lambda * need, floor, cap)`` with ``lambda`` set to spend the budget.

    Rounding is a divisor (Jefferson) method: each penny goes to the area whose weighted share
    reaches its next whole penny first, ties to the earlier row. So the pennies sum to the budget,
    and more budget never takes a penny from any area (no Alabama paradox, which largest
    remainders allow). Areas with no need get their floor. If the caps cannot absorb the budget,
    every area gets its cap and the caller reports the rest as unspent. ``floor`` and ``cap`` are
    whole pence (``cap`` may be ``inf``); the caller ensures the floors fit in the budget.
    """
    capacity = np.where(need > 0, cap, floor)
    if capacity.sum() <= budget_pence:
        return capacity.astype(np.int64)
    if floor.sum() >= budget_pence:
        return floor.astype(np.int64)

    def counted(lam: float) -> np.ndarray:
        return np.clip(np.floor(lam * need), floor, cap)

    highest = (budget_pence + 2) / need[need > 0].min()
    lam = _smallest_float(lambda x: counted(x).sum() >= budget_pence, highest)
    below, at = counted(np.nextafter(lam, 0.0)), counted(lam)
    jump = at - below
    still_short = budget_pence - below.sum()
    give = np.minimum(jump, np.maximum(still_short - (np.cumsum(jump) - jump), 0))
    return (below + give).astype(np.int64)


def _smallest_float(enough, highest: float) -> float:
    """The smallest float in [0, highest] for which the non-decreasing ``enough`` holds.

    Positive doubles sort like their bit patterns, so bisecting the patterns takes at most 64
    steps and lands exactly on the threshold.
    """
    low, high = 0, int(np.float64(highest).view(np.int64))
    while high - low > 1:
        middle = (low + high) // 2
        if enough(np.int64(middle).view(np.float64)):
            high = middle
        else:
            low = middle
    return float(np.int64(high).view(np.float64))


@dataclass(frozen=True)
class Bids:
    """The random draws of a bidding fund, each shaped (draws, rounds, slots, areas).

    They do not depend on the areas' groups, so two rules run with the same seed face the same
    bids, successes and order (paired draws).
    """

    submit_u: np.ndarray
    success_u: np.ndarray
    size_pence: np.ndarray
    order_u: np.ndarray


def draw_bids(rng: np.random.Generator, draws: int, rounds: int, slots: int, areas: int,
              cap_pence: int, mean_share: float, concentration: float) -> Bids:
    """Uniforms for bidding and success, bid sizes and a random funding order.

    A bid's size is ``cap x Beta(mean_share * k, (1 - mean_share) * k)`` with ``k`` the
    concentration, so bids average ``mean_share`` of the cap and never exceed it.
    """
    shape = (draws, rounds, slots, areas)
    share = rng.beta(mean_share * concentration, (1 - mean_share) * concentration, size=shape)
    return Bids(rng.random(shape), rng.random(shape), np.rint(share * cap_pence).astype(np.int64),
                rng.random(shape))


def bidding_round_pence(bids: Bids, p_bid: np.ndarray, p_success: np.ndarray, group_rank: np.ndarray,
                        budget_pence: int) -> np.ndarray:
    """Pence per area per draw: successful bids funded round by round, then by ``group_rank``
    (0 first) and the random order, until the budget is spent (the last bid part-funded)."""
    draws, rounds, slots, areas = bids.size_pence.shape
    won = (bids.submit_u < p_bid) & (bids.success_u < p_success)
    amounts = np.where(won, bids.size_pence, 0).reshape(draws, -1)
    round_index = np.arange(rounds)[np.newaxis, :, np.newaxis, np.newaxis]
    keys = (round_index * (group_rank.max() + 1) + group_rank + bids.order_u).reshape(draws, -1)
    funded = fund_in_order(amounts, keys, budget_pence)
    return funded.reshape(draws, rounds, slots, areas).sum(axis=(1, 2))


def fund_in_order(amounts: np.ndarray, keys: np.ndarray, budget_pence: int) -> np.ndarray:
    """Fund each row's ``amounts`` in ascending ``keys`` until ``budget_pence`` is spent.

    The bid that crosses the budget gets what is left, so each row funds exactly
    ``min(budget, sum of amounts)``.
    """
    order = np.argsort(keys, axis=1, kind="stable")
    ordered = np.take_along_axis(amounts, order, axis=1)
    before = np.cumsum(ordered, axis=1) - ordered
    paid = np.clip(budget_pence - before, 0, ordered)
    funded = np.empty_like(amounts)
    np.put_along_axis(funded, order, paid, axis=1)
    return funded


def expected_pence(pence: np.ndarray) -> np.ndarray:
    """Each area's mean over draws (rows of ``pence``) in whole pence, summing exactly to the mean
    amount allocated per draw rounded to the penny.

    Each mean is rounded down and the pennies still short go to the largest remainders (ties to
    the earlier row), so a table of expected allocations adds up to the penny. Counted in Python
    integers: a column of 20,000 draws of up to 10^15 pence would overflow 64 bits.
    """
    draws = pence.shape[0]
    high, low = np.divmod(pence.astype(np.int64), 2**32)  # each part's column sums fit in 64 bits
    totals = [int(h) * 2**32 + int(lo) for h, lo in zip(high.sum(axis=0), low.sum(axis=0))]
    target = (2 * sum(totals) + draws) // (2 * draws)  # the mean total, rounded half up
    rounded = np.array([t // draws for t in totals], dtype=np.int64)
    remainders = np.array([t % draws for t in totals], dtype=np.int64)
    short = target - int(rounded.sum())
    rounded[np.argsort(-remainders, kind="stable")[:short]] += 1
    return rounded
