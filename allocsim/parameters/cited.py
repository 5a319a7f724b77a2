"""Values in parameter files, each with where it comes from: a source, or an assumption with its reason.

:class:`Value` holds one value; :class:`Ranged` a value known only within ``low <= central <= high``,
for the Monte Carlo. Both refuse a value with neither a source nor a labelled assumption.
"""

from __future__ import annotations

import math
from typing import Annotated, ClassVar, Generic, TypeVar

from pydantic import Field, field_validator, model_validator

from allocsim.models import FieldProblem, Number, Strict, WholeNumber
from allocsim.prices import check_year, to_price_base

T = TypeVar("T")
NonNegative = Annotated[Number, Field(ge=0, allow_inf_nan=False)]
GroupWeight = Annotated[Number, Field(ge=0, le=1e6, allow_inf_nan=False)]  # relative; capped so sums stay finite
Probability = Annotated[Number, Field(ge=0, le=1, allow_inf_nan=False)]
PositiveFinite = Annotated[Number, Field(gt=0, allow_inf_nan=False)]
Count = Annotated[WholeNumber, Field(ge=1, le=50)]
# The need multiplier (HLE / mean HLE) ^ -elasticity: at 10 an area 10% below the mean HLE already gets 2.9 times
# the mean return per pound, beyond any published estimate; far above it (1e6) the powers overflow to inf and
# the Monte Carlo totals come out NaN.
MAX_ELASTICITY = 10.0
# Years of lag or horizon, and money per head or per QALY: far beyond any appraisal (the Green Book's
# horizons are decades; the QALY value is £70,000), and low enough that the model's sums stay finite
# (1e300 overflowed to inf - inf = NaN totals).
MAX_YEARS = 1000.0
MAX_POUNDS = 1e9


class Cited(Strict):
    """Where a value comes from: a ``source``, or an ``assumption`` with its reason (or both)."""

    unit: str = ""
    source: str = ""
    assumption: str = ""
    summary: str = ""  # one line on what the value rests on, shown beside results that depend on it

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

    low: Number = Field(allow_inf_nan=False)
    central: Number = Field(allow_inf_nan=False)
    high: Number = Field(allow_inf_nan=False)
    allowed: ClassVar[str] = "a number"

    @classmethod
    def allows(cls, value: float) -> bool:
        """Whether ``value`` may be a ``low``, ``central`` or ``high``: here every number (the fields refuse
        infinity and NaN); each subclass narrows it, and its ``allowed`` says how in words."""
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
    """A ranged share: ``low``, ``central`` and ``high`` each from 0 to 1."""

    allowed: ClassVar[str] = "a share between 0 and 1"

    @classmethod
    def allows(cls, value: float) -> bool:
        """Whether ``value`` is a share: ``0 <= value <= 1``, both ends included."""
        return 0 <= value <= 1


class ElasticityRange(Ranged):
    """A ranged elasticity of the return per pound to HLE: ``low``, ``central`` and ``high`` each from 0 to
    :data:`MAX_ELASTICITY`."""

    allowed: ClassVar[str] = f"from 0 to {MAX_ELASTICITY:g} (the published high case is 3)"

    @classmethod
    def allows(cls, value: float) -> bool:
        """Whether ``value`` lies in ``0..MAX_ELASTICITY``, both ends included."""
        return 0 <= value <= MAX_ELASTICITY


class LagYears(Ranged):
    """A ranged number of years from 0 to :data:`MAX_YEARS`."""

    allowed: ClassVar[str] = f"from 0 to {MAX_YEARS:g} years"

    @classmethod
    def allows(cls, value: float) -> bool:
        """Whether ``value`` lies in ``0..MAX_YEARS``, both ends included."""
        return 0 <= value <= MAX_YEARS


class HorizonYears(Ranged):
    """A ranged number of years above 0 and at most :data:`MAX_YEARS`."""

    allowed: ClassVar[str] = f"greater than 0 and at most {MAX_YEARS:g} years"

    @classmethod
    def allows(cls, value: float) -> bool:
        """Whether ``value`` is greater than 0 and at most ``MAX_YEARS``."""
        return 0 < value <= MAX_YEARS


class RateRange(Ranged):
    """A ranged yearly rate (such as a discount rate): ``low``, ``central`` and ``high`` each from 0 up to,
    not including, 1."""

    allowed: ClassVar[str] = "a yearly rate from 0 up to (not including) 1"

    @classmethod
    def allows(cls, value: float) -> bool:
        """Whether ``value`` is a yearly rate: ``0 <= value < 1`` (0 included, 1 not)."""
        return 0 <= value < 1


class Priced(Strict):
    """A money value's price base: the financial year whose prices it is in (``2013-14``). Every
    pound is converted to allocsim's one price base (:mod:`allocsim.prices`) before use."""

    price_base: str

    @field_validator("price_base")
    @classmethod
    def _known_year(cls, value: str) -> str:
        try:
            return check_year(value, "price_base")
        except Exception as error:  # ParameterError: reworded by pydantic as a field problem
            raise ValueError(str(error).removeprefix("price_base: ")) from None


class PricedValue(Value[T], Priced, Generic[T]):
    """A money value with its provenance and price base."""


class PricedRange(Ranged, Priced):
    """A ranged money value (greater than 0, at most :data:`MAX_POUNDS`) with its price base."""

    allowed: ClassVar[str] = f"greater than 0 and at most {MAX_POUNDS:g} pounds"

    @classmethod
    def allows(cls, value: float) -> bool:
        """Whether ``value`` is greater than 0 and at most ``MAX_POUNDS``."""
        return 0 < value <= MAX_POUNDS


class Specifications(Cited, Priced):
    """A money value published as alternative model specifications, not as an interval: the
    Monte Carlo picks one specification per draw, each equally likely, and one-way sensitivity
    runs from the lowest to the highest. ``central`` is the source's preferred one."""

    values: tuple[Annotated[Number, Field(gt=0, allow_inf_nan=False)], ...] = Field(min_length=1)
    labels: tuple[str, ...] = ()
    central: Number = Field(gt=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _consistent(self) -> Specifications:
        if self.central not in self.values:
            listed = ", ".join(f"{v:g}" for v in self.values)
            raise FieldProblem("central", f"must be one of the specifications {listed}, got {self.central:g}")
        if self.labels and len(self.labels) != len(self.values):
            raise FieldProblem("labels", f"needs one label per value ({len(self.values)}), got {len(self.labels)}")
        return self

    @property
    def low(self) -> float:
        """The lowest specification, where one-way sensitivity starts (in ``price_base``)."""
        return min(self.values)

    @property
    def high(self) -> float:
        """The highest specification, where one-way sensitivity ends (in ``price_base``)."""
        return max(self.values)


def priced(value: PricedValue) -> float:
    """A money value in allocsim's price base (:data:`allocsim.prices.PRICE_BASE`)."""
    return to_price_base(value.value, value.price_base) if math.isfinite(value.value) else value.value
