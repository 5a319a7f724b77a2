"""Fixed nation envelopes: the budget split between nations first, then shared within each.

``--envelopes England=4e9,Scotland=5.07e8,Wales=2.93e8`` separates the shift of money between
nations from the shift within them. The fund's own split is the example: £4bn of the £4.8bn for
England (LUF prospectus, 2021); how the other £0.8bn divides among Scotland, Wales and Northern
Ireland is not in allocsim's sources, and Northern Ireland is outside its table, so the example
gives Scotland and Wales the £0.8bn in proportion to their mid-2019 populations (an assumption).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from allocsim.checks import digits
from allocsim.countries import COUNTRIES
from allocsim.errors import ParameterError
from allocsim.money.amounts import pounds

EXAMPLE = "England=4e9,Scotland=5.07e8,Wales=2.93e8"


def parse_envelopes(given: str | Mapping[str, float] | None, budget_pence: int) -> dict[str, int] | None:
    """Envelopes in whole pence by nation, refused unless every nation is known, every amount is 0 or
    more, and they add up to the budget (to the penny)."""
    if given is None:
        return None
    pairs = _pairs(given)
    envelopes: dict[str, int] = {}
    for nation, amount in pairs:
        if nation not in COUNTRIES:
            raise ParameterError(f"--envelopes: unknown nation '{nation}' (use {', '.join(COUNTRIES)})")
        if nation in envelopes:
            raise ParameterError(f"--envelopes: {nation} is given twice")
        if not math.isfinite(amount) or amount < 0:
            raise ParameterError(f"--envelopes: {nation}'s envelope must be 0 or more pounds, got {amount:g}")
        envelopes[nation] = round(amount * 100)
    total = sum(envelopes.values())
    if total != budget_pence:
        raise ParameterError(f"--envelopes: they add up to £{total / 100:,.2f}, not the budget "
                             f"£{budget_pence / 100:,.2f}; make them sum to the budget (e.g. --budget 4.8e9 "
                             f"--envelopes {EXAMPLE})")
    return envelopes


def _pairs(given: str | Mapping[str, float]) -> list[tuple[str, float]]:
    if isinstance(given, Mapping):
        return [(str(k), _amount(str(k), v)) for k, v in given.items()]
    pairs = []
    for part in (p.strip() for p in str(given).split(",") if p.strip()):
        nation, sep, amount = part.partition("=")
        if not sep:
            raise ParameterError(f"--envelopes: expected NATION=POUNDS[,NATION=POUNDS...], e.g. {EXAMPLE}; "
                                 f"got '{part}'")
        pairs.append((nation.strip().title(), _amount(nation.strip(), amount)))
    if not pairs:
        raise ParameterError(f"--envelopes: give at least one NATION=POUNDS, e.g. {EXAMPLE}")
    return pairs


def _amount(nation: str, amount) -> float:
    try:
        return pounds(amount)
    except OverflowError:
        raise ParameterError(f"--envelopes: {nation}'s envelope, a whole number of {digits(amount)} "
                             f"digits, is too large to be an amount in pounds") from None
    except (TypeError, ValueError):
        raise ParameterError(f"--envelopes: {nation}'s envelope '{amount}' is not an amount in pounds "
                             f"(as in 4e9 or 4000000000)") from None


def nations_of(areas: pd.DataFrame, envelopes: dict[str, int]) -> dict[str, np.ndarray]:
    """The areas (a mask) of each nation with an envelope, refusing an area whose nation has none and
    an envelope for a nation with no area among those allocated."""
    if "country" not in areas.columns:
        raise ParameterError("--envelopes: the dataset has no 'country' column to split the budget by")
    countries = areas["country"].to_numpy(dtype=str)
    without = sorted(set(countries) - set(envelopes))
    if without:
        raise ParameterError(f"--envelopes: no envelope for {', '.join(without)}, which has areas to allocate to")
    empty = sorted(n for n in envelopes if not (countries == n).any() and envelopes[n] > 0)
    if empty:
        raise ParameterError(f"--envelopes: {', '.join(empty)} has an envelope but no areas among those allocated "
                             f"(see --countries)")
    return {nation: countries == nation for nation in envelopes}
