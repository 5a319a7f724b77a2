"""The health-return parameters (``rules/parameters/health-return.toml``)."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, model_validator

from allocsim.models import FieldProblem, Strict
from allocsim.parameters.cited import (
    ElasticityRange,
    HorizonYears,
    LagYears,
    PricedRange,
    Probability,
    RateRange,
    ShareRange,
    Specifications,
    Value,
)


class HealthParameters(Strict):
    """A health-return parameter file (``rules/parameters/health-return.toml``): its sources, the HLE column
    that sets the need gradient, the curve, the theme mix (shares summing to 1) with each theme's health
    share, cost per QALY, lag, horizon, need elasticity, saturation, discount rate and QALY value."""

    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    hle_column: Value[str]
    curve: Value[Literal["linear", "diminishing"]]
    theme_mix: Value[dict[str, Probability]]
    health_share: dict[str, ShareRange]
    cost_per_qaly: Specifications
    lag_years: LagYears
    horizon_years: HorizonYears
    need_elasticity: ElasticityRange
    saturation_per_head: PricedRange
    discount_rate: RateRange
    qaly_value: PricedRange

    @model_validator(mode="after")
    def _themes(self) -> HealthParameters:
        mix = self.theme_mix.value
        if not mix or not math.isclose(sum(mix.values()), 1.0, abs_tol=1e-6):
            raise FieldProblem("theme_mix.value", f"shares must sum to 1, got {sum(mix.values()):g}")
        if set(mix) != set(self.health_share):
            raise FieldProblem("health_share", f"needs exactly the themes of theme_mix ({', '.join(mix)}), "
                               f"got {', '.join(self.health_share) or 'none'}")
        return self
