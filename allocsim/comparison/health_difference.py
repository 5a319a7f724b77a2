"""The difference in modelled health between two rules, and what it rests on.

With a linear curve and no need gradient every pound buys the same health wherever it goes, so
two rules spending the same budget buy the same health. A difference between rules therefore
has two parts, computed on the same paired draws: what the shift of money gives with no need
gradient (unspent money, the diminishing curve), and what the assumed gradient adds. When the
first part is zero, the difference is the gradient assumption and nothing else, and the result
says so rather than claiming that one rule "buys more in N% of draws".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from allocsim.health.draws import interval, rounded
from allocsim.money.simulation import Simulation
from allocsim.results import JsonResult

RESOLUTION = 1e-9  # differences smaller than this share of a rule's QALYs are rounding, not results
IMMATERIAL = 0.01  # a no-gradient part under 1% of the whole difference leaves it resting on the gradient


@dataclass(frozen=True)
class Estimate(JsonResult):
    """A modelled figure as the central case and the Monte Carlo median and 90% interval."""

    central: float | None
    median: float | None
    p05: float | None
    p95: float | None

    @classmethod
    def of(cls, central: float, draws: np.ndarray, resolution: float = 0.0) -> Estimate:
        """The estimate from a ``central`` value and per-draw values ``draws`` (their median, 5th and 95th
        percentiles), each rounded for reading (:func:`~allocsim.health.draws.rounded`, 5 digits); a figure no
        larger than ``resolution`` in size is 0, a non-finite one None."""
        values = [central, *interval(draws)]
        return cls(*(0.0 if abs(v) <= resolution else rounded(float(v), 5) for v in values))

    @property
    def is_zero(self) -> bool:
        """Whether the central case, the median and both percentiles are all exactly 0."""
        return self.central == self.median == self.p05 == self.p95 == 0.0


@dataclass(frozen=True)
class HealthDifference(JsonResult):
    """Alternative minus base, on paired draws (keys documented in README)."""

    modelled_qalys: Estimate
    without_need_gradient: Estimate  # the same draws with need_elasticity 0
    from_need_gradient: Estimate  # the rest: what the assumed gradient adds
    modelled_value_gbp: Estimate
    modelled_healthy_months_gap: Estimate
    probability_alt_buys_more_health: float | None  # None where the difference rests on the gradient alone
    rests_on_need_gradient: bool
    explanation: str


def health_difference(base: Simulation, alt: Simulation, gaps: tuple[float, np.ndarray]) -> HealthDifference:
    """The paired difference ``alt`` minus ``base``; ``gaps`` the central and per-draw difference in the
    healthy-months gap between the top and bottom HLE deciles."""
    b, a = base.health, alt.health
    resolution = RESOLUTION * max(float(abs(b.central.qalys.sum())), 1.0)
    total = a.qalys.sum(axis=1) - b.qalys.sum(axis=1)
    flat = a.flat_qalys - b.flat_qalys
    central = float(a.one_way_qalys[0] - b.one_way_qalys[0])
    central_flat = float(a.central_flat_qalys - b.central_flat_qalys)
    qalys = Estimate.of(central, total, resolution)
    without = Estimate.of(central_flat, flat, resolution)
    rests = not qalys.is_zero and _immaterial(without, qalys)
    return HealthDifference(
        modelled_qalys=qalys, without_need_gradient=without,
        from_need_gradient=Estimate.of(central - central_flat, total - flat, resolution),
        modelled_value_gbp=Estimate.of(central * float(b.value_per_qaly.mean()), total * b.value_per_qaly,
                                       resolution * 1e5),
        modelled_healthy_months_gap=Estimate.of(gaps[0], gaps[1], 1e-12),
        probability_alt_buys_more_health=(None if rests or qalys.is_zero
                                          else round(float((total > resolution).mean()), 4)),
        rests_on_need_gradient=rests,
        explanation=explain(qalys, without, base.summary.health.need_elasticity),
    )


def _immaterial(part: Estimate, whole: Estimate) -> bool:
    """Whether ``part`` is under :data:`IMMATERIAL` of ``whole`` at the central case, the median and
    both ends of the interval."""
    scale = max(abs(v) for v in (whole.central, whole.median, whole.p05, whole.p95) if v is not None)
    return all(v is not None and abs(v) <= IMMATERIAL * scale
               for v in (part.central, part.median, part.p05, part.p95))


def signed(value: float) -> str:
    """A signed QALY figure: whole numbers, or two significant figures below 1."""
    return f"{value:+,.0f}" if abs(value) >= 1 or value == 0 else f"{value:+.2g}"


def explain(qalys: Estimate, without: Estimate, elasticity: dict) -> str:
    """What the difference rests on, in words."""
    if qalys.is_zero:
        return ("No difference: both rules buy the same modelled health from the same budget, with or without "
                "a need gradient.")
    # the values in force (a --param may have moved them), then what the parameter file says of its own
    gradient = (f"a need gradient (need_elasticity drawn from {elasticity['low']:g} to {elasticity['high']:g}, "
                f"central {elasticity['central']:g}; {elasticity['basis']})")
    if without.is_zero:
        return (f"With no need gradient the difference is 0 QALYs: in this linear model the same budget buys the "
                f"same health wherever it goes. The {signed(qalys.median)} QALYs (Monte Carlo median; central case "
                f"{signed(qalys.central)}) come from assuming {gradient}.")
    if _immaterial(without, qalys):
        return (f"With no need gradient the difference is {signed(without.central)} QALYs (central case), from "
                f"unspent money alone. The {signed(qalys.median)} QALYs (Monte Carlo median) come from assuming "
                f"{gradient}.")
    return (f"With no need gradient the difference is {signed(without.central)} QALYs (central case; median "
            f"{signed(without.median)}), from where the money goes by itself (unspent money or the diminishing "
            f"curve); assuming {gradient} adds the rest of the {signed(qalys.median)} (median).")


def verdict(base: str, alt: str, difference: HealthDifference) -> str:
    """Which rule buys more modelled health, judged by the 90% interval of the paired difference,
    and only where the difference does not rest on the need gradient alone."""
    q = difference.modelled_qalys
    if q.is_zero:
        return f"no difference: '{alt}' and '{base}' buy the same modelled health"
    if difference.rests_on_need_gradient:
        leader, without = alt if (q.median or 0) > 0 else base, difference.without_need_gradient
        rest = ("the two are the same" if without.is_zero else
                f"the difference is {signed(without.central)} QALYs (central case), immaterial beside it")
        return f"'{leader}' buys more modelled health only under the assumed need gradient; with none, {rest}"
    if q.p05 is not None and q.p05 > 0:
        return f"'{alt}' buys more modelled health than '{base}' (90% interval of the difference above 0)"
    if q.p95 is not None and q.p95 < 0:
        return f"'{base}' buys more modelled health than '{alt}' (90% interval of the difference below 0)"
    return "neither clearly: the 90% interval of the difference in modelled QALYs includes 0"


def one_way_difference(base: Simulation, alt: Simulation) -> list[dict]:
    """The one-way sensitivity of the difference: each parameter at its low and its high value,
    the others central; rows in the order of the base rule's one-way table."""
    totals = alt.health.one_way_qalys - base.health.one_way_qalys
    rows = []
    for i, row in enumerate(base.summary.health.one_way):
        rows.append({"parameter": row.parameter, "low": row.low, "high": row.high, "price_base": row.price_base,
                     "difference_central": rounded(float(totals[0]), 5),
                     "difference_at_low": rounded(float(totals[1 + 2 * i]), 5),
                     "difference_at_high": rounded(float(totals[2 + 2 * i]), 5)})
    return rows
