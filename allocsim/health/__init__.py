"""A modelled health return on money allocated to areas: QALYs, healthy months, value, benefit-cost.

The model, per area and draw (every parameter in ``rules/parameters/health-return.toml`` with
its source, or labelled an assumption, and a low / central / high range)::

    health-acting spend  s = allocation x sum over themes of (theme mix x share acting on health)
    QALYs (undiscounted) Q = s / cost per QALY x need multiplier              (curve "linear")
                         Q = pop x k x ln(1 + s / (pop x k)) / cost x need    (curve "diminishing")
    need multiplier        = (HLE / population-weighted mean HLE) ^ -elasticity, rescaled so its
                             population-weighted mean is 1 (it moves health between areas, adds none)
    QALYs (present value)  = Q x mean over years lag..lag+horizon of (1 + r) ^ -t
    value                  = QALYs (present value) x value of a QALY; BCR = value / allocation
    healthy months         = 12 x Q / population (a QALY counted as a year of healthy life; not
                             a change in healthy life expectancy)

Every pound is in one price base (:mod:`allocsim.prices`): money parameters state their own and
are converted with the GDP deflator. Beside the Monte Carlo median and 90% interval, the model
reports the central case (every parameter at its central value) and a one-way sensitivity (each
parameter from low to high, the others central), and keeps each draw's QALYs with no need
gradient, so that a difference between two rules can be split into what the allocation gives by
itself and what the assumed gradient adds.

A seeded Monte Carlo draws every ranged parameter from triangular(low, central, high), or one of a
parameter's published alternative specifications, one value per draw shared by all areas
(:mod:`~allocsim.health.draws`). The output is modelled, not
observed, and says so.
"""

from allocsim.health.breakdowns import area_categories, breakdown, extreme_deciles, months_gap
from allocsim.health.draws import SUFFIXES, central_parameters, draw_parameters, interval, summary_interval
from allocsim.health.kernels import discount_factor, health_acting_share, need_multiplier, undiscounted_qalys
from allocsim.health.model import check_hle_column, evaluate, model_health
from allocsim.health.model_types import Draws, HealthReturn
from allocsim.health.summary import HealthSummary, modelled_notice

__all__ = ["SUFFIXES", "Draws", "HealthReturn", "HealthSummary", "area_categories", "breakdown", "central_parameters",
           "check_hle_column", "discount_factor", "draw_parameters", "evaluate", "extreme_deciles",
           "health_acting_share", "interval", "model_health", "modelled_notice", "months_gap", "need_multiplier",
           "summary_interval", "undiscounted_qalys"]
