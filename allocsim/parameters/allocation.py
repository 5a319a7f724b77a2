"""The allocation parameters (``rules/parameters/allocation.toml``): one table per mechanism."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from allocsim.models import FieldProblem, Number, Strict
from allocsim.parameters.cited import Count, GroupWeight, NonNegative, PositiveFinite, PricedValue, Probability, Value


class Formula(Strict):
    """The formula mechanism's table: relative pounds per head by group (group 1 first, at least one above 0),
    and a cap and a floor per area in pounds, each with its price base (``inf``: no cap; floor not above
    cap)."""

    group_weights: Value[tuple[GroupWeight, ...]]
    cap_gbp: PricedValue[Annotated[Number, Field(gt=0)]]  # inf: no cap
    floor_gbp: PricedValue[NonNegative]

    @model_validator(mode="after")
    def _consistent(self) -> Formula:
        if not self.group_weights.value or sum(self.group_weights.value) <= 0:
            raise FieldProblem("group_weights.value", "needs at least one weight above 0")
        if self.floor_gbp.value > self.cap_gbp.value:
            raise FieldProblem("floor_gbp.value", f"must not exceed cap_gbp ({self.cap_gbp.value:g}), "
                               f"got {self.floor_gbp.value:g}")
        return self


class Competitive(Strict):
    """The competitive mechanism's table: rounds, bid slots an area, bid and success probabilities by group
    (as many of each), the bid cap in pounds with its price base, the bid size's mean share of the cap and
    concentration, and the funding order."""

    rounds: Value[Count]
    bid_slots_per_area: Value[Count]
    bid_probability: Value[tuple[Probability, ...]]
    success_probability: Value[tuple[Probability, ...]]
    bid_cap_gbp: PricedValue[PositiveFinite]
    bid_size_mean_share_of_cap: Value[Annotated[Number, Field(gt=0, lt=1)]]
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
    """An allocation parameter file (``rules/parameters/allocation.toml``): a title, a description, and one
    table per mechanism (``formula``, ``competitive``)."""

    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    formula: Formula
    competitive: Competitive
