"""Values in parameter files, each with where it comes from: a source, or an assumption with its reason.

:class:`Value` holds one value; :class:`Ranged` a value known only within ``low <= central <= high``,
for the Monte Carlo. Both refuse a value with neither a source nor a labelled assumption.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Generic, TypeVar

from pydantic import Field, model_validator

from allocsim.models import FieldProblem, Strict

T = TypeVar("T")
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
GroupWeight = Annotated[float, Field(ge=0, le=1e6, allow_inf_nan=False)]  # relative; capped so sums stay finite
Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
PositiveFinite = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=1, le=50)]


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


class Ranged(Cited):
    """A value known only within a range: ``low <= central <= high``, each allowed for its kind."""

    low: float = Field(allow_inf_nan=False)
    central: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)
    allowed: ClassVar[str] = "a number"

    @classmethod
    def allows(cls, value: float) -> bool:
        return True

    @model_validator(mode="after")
    def _ordered(self) -> Ranged:
        for name in ("low", "central", "high"):
            if not self.allows(getattr(self, name)):
                raise FieldProblem(name, f"must be {self.allowed}, got {getattr(self, name):g}")
        if not self.low <= self.central <= self.high:
            raise FieldProblem("central", f"must lie within low..high ({self.low:g}..{self.high:g}), "
                               f"got {self.central:g}")
        return self


class ShareRange(Ranged):
    allowed: ClassVar[str] = "a share between 0 and 1"

    @classmethod
    def allows(cls, value: float) -> bool:
        return 0 <= value <= 1


class PositiveRange(Ranged):
    allowed: ClassVar[str] = "greater than 0"

    @classmethod
    def allows(cls, value: float) -> bool:
        return value > 0


class NonNegativeRange(Ranged):
    allowed: ClassVar[str] = "0 or more"

    @classmethod
    def allows(cls, value: float) -> bool:
        return value >= 0


class RateRange(Ranged):
    allowed: ClassVar[str] = "a yearly rate from 0 up to (not including) 1"

    @classmethod
    def allows(cls, value: float) -> bool:
        return 0 <= value < 1
