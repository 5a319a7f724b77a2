"""The competitive mechanism: a Monte Carlo of bidding rounds calibrated to the published LUF
outcomes; successful bids funded round by round, group 1 first, until the budget is spent."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from allocsim.allocation.groups import check_groups
from allocsim.errors import ParameterError
from allocsim.parameters.allocation import Competitive
from allocsim.parameters.cited import priced

CHUNK_DRAWS = 500  # draws simulated together, to bound memory


def allocate(groups: np.ndarray, population: np.ndarray, budget_pence: int, c: Competitive, source: str,
             draws: int = 1, rng: np.random.Generator | None = None) -> np.ndarray:
    """(draws, areas) pence: one simulated fund per draw."""
    if rng is None:
        raise ParameterError("the competitive mechanism needs a random generator (pass a seed)")
    check_groups(groups, c.bid_probability.value, "competitive.bid_probability.value", source)
    p_bid = np.asarray(c.bid_probability.value)[groups - 1]
    p_success = np.asarray(c.success_probability.value)[groups - 1]
    group_rank = (groups - 1) if c.funding_order.value == "group_then_random" else np.zeros_like(groups)
    chunks = []
    for start in range(0, draws, CHUNK_DRAWS):
        bids = draw_bids(rng, min(CHUNK_DRAWS, draws - start), c.rounds.value, c.bid_slots_per_area.value,
                         len(groups), round(priced(c.bid_cap_gbp) * 100), c.bid_size_mean_share_of_cap.value,
                         c.bid_size_concentration.value)
        chunks.append(bidding_round_pence(bids, p_bid, p_success, group_rank, budget_pence))
    return np.concatenate(chunks)


def describe(c: Competitive) -> str:
    """The competitive mechanism's settings in one line of words: rounds, bid slots an area, the bid cap
    (pounds in the price base), success probability by group and the funding order."""
    success = " / ".join(f"{p:g}" for p in c.success_probability.value)
    return (f"competitive: {c.rounds.value} rounds, {c.bid_slots_per_area.value} bid slots an area, bids up "
            f"to £{priced(c.bid_cap_gbp):,.0f}, success {success} by group; successful bids funded round "
            f"by round ({c.funding_order.value.replace('_', ' ')}), the last part-funded")


def extra_columns(pence: np.ndarray) -> dict[str, np.ndarray]:
    """Per area: the 5th and 95th percentiles of its allocation in pounds, and its chance of any money."""
    low, high = np.quantile(pence / 100, [0.05, 0.95], axis=0)
    return {"allocation_p05": low, "allocation_p95": high, "funded_probability": (pence > 0).mean(axis=0)}


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
