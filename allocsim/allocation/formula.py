"""The formula mechanism: the budget in proportion to group weight times population, each area
clipped to an optional floor and cap, in whole pence by a divisor method."""

from __future__ import annotations

import math

import numpy as np

from allocsim.allocation.groups import check_groups
from allocsim.errors import ParameterError
from allocsim.parameters.allocation import Formula
from allocsim.parameters.cited import priced
from allocsim.prices import price_base_label


def allocate(groups: np.ndarray, population: np.ndarray, budget_pence: int, formula: Formula, source: str,
             draws: int = 1, rng: np.random.Generator | None = None) -> np.ndarray:
    """(1, areas) pence: one allocation, the same in every draw."""
    check_groups(groups, formula.group_weights.value, "formula.group_weights.value", source)
    n = len(groups)
    floor_gbp, cap_gbp = priced(formula.floor_gbp), priced(formula.cap_gbp)
    floor = np.full(n, round(floor_gbp * 100), dtype=float)
    cap = np.full(n, cap_gbp * 100 if np.isfinite(cap_gbp) else np.inf)
    cap = np.floor(cap)  # whole pence
    if floor.sum() > budget_pence:
        raise ParameterError(
            f"{source}: formula.floor_gbp.value: a floor of £{floor_gbp:,.2f} ({price_base_label()}) for each of "
            f"{n} areas needs £{floor.sum() / 100:,.2f}, more than the budget £{budget_pence / 100:,.2f}")
    need = np.asarray(formula.group_weights.value)[groups - 1] * population
    try:
        return formula_pence(need, budget_pence, floor, cap)[np.newaxis, :]
    except ArithmeticError:
        raise ParameterError(
            f"{source}: formula.group_weights.value: weights {list(formula.group_weights.value)} are too far "
            f"apart to share the budget in floating point (the smallest weight above 0 times an area's "
            f"population is below 1e-300 of the largest); raise the smallest weights or set them to 0") from None


def describe(f: Formula) -> str:
    """The formula mechanism's settings in one line of words: group weights per head, the cap and floor an
    area (pounds in the price base, or "no cap" / "no floor")."""
    weights = ":".join(f"{w:g}" for w in f.group_weights.value)
    cap = f"cap £{priced(f.cap_gbp):,.0f} an area" if math.isfinite(f.cap_gbp.value) else "no cap"
    floor = f"floor £{priced(f.floor_gbp):,.0f} an area" if f.floor_gbp.value else "no floor"
    return f"formula: group weights {weights} per head, {cap}, {floor}; whole pence by a divisor method"


def extra_columns(pence: np.ndarray) -> dict[str, np.ndarray]:
    """No per-area columns beyond the allocation: every draw allocates the same."""
    return {}


def formula_pence(need: np.ndarray, budget_pence: int, floor: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Whole pence per area: ``clip(lambda * need, floor, cap)`` with ``lambda`` set to spend the budget.

    Rounding is a divisor (Jefferson) method: each penny goes to the area whose weighted share
    reaches its next whole penny first, ties to the earlier row. So the pennies sum to the budget,
    and more budget never takes a penny from any area (no Alabama paradox, which largest
    remainders allow). Areas with no need get their floor. If the caps cannot absorb the budget,
    every area gets its cap and the caller reports the rest as unspent. ``floor`` and ``cap`` are
    whole pence (``cap`` may be ``inf``); the caller ensures the floors fit in the budget.
    Only the ratios of ``need`` matter: it is scaled by a power of two (exact) so that tiny
    weights do not overflow ``lambda``. Raises :class:`ArithmeticError` where the ratios are too
    extreme for any finite ``lambda`` to spend the budget.
    """
    need = _scaled(need)
    capacity = np.where(need > 0, cap, floor)
    if capacity.sum() <= budget_pence:
        return capacity.astype(np.int64)
    if floor.sum() >= budget_pence:
        return floor.astype(np.int64)

    def counted(lam: float) -> np.ndarray:
        with np.errstate(over="ignore"):  # beyond the largest float is beyond any cap too
            return np.clip(np.floor(lam * need), floor, cap)

    def enough(lam: float) -> bool:
        with np.errstate(over="ignore"):  # a sum beyond the largest float is still enough
            return counted(lam).sum() >= budget_pence

    with np.errstate(over="ignore"):
        highest = min((budget_pence + 2) / need[need > 0].min(), np.finfo(float).max)
    if not enough(highest):
        raise ArithmeticError("no finite lambda spends the budget")
    lam = _smallest_float(enough, highest)
    below, at = counted(np.nextafter(lam, 0.0)), counted(lam)
    jump = at - below
    still_short = budget_pence - below.sum()
    give = np.minimum(jump, np.maximum(still_short - (np.cumsum(jump) - jump), 0))
    return (below + give).astype(np.int64)


def _scaled(need: np.ndarray) -> np.ndarray:
    """``need`` times the power of two that centres its smallest and largest positive values on 1
    (their binary exponents): exact in floating point, so ``lambda * need`` rounds the same as before,
    but ``lambda`` stays finite for tiny needs, even where caps push the money onto the smallest."""
    positive = need[need > 0]
    if not len(positive):
        return need
    exponents = np.frexp(np.array([positive.min(), positive.max()]))[1]
    return np.ldexp(need, -int(exponents.sum()) // 2)


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
