"""The health model: the modelled return of an allocation, per area and draw (see :mod:`allocsim.health`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from allocsim.datasets.load import HLE_RANGE
from allocsim.errors import DataError, ParameterError
from allocsim.health.breakdowns import area_categories, breakdown, named
from allocsim.health.draws import interval
from allocsim.health.kernels import discount_factor, health_acting_share, need_multiplier, undiscounted_qalys
from allocsim.health.model_types import Draws, HealthReturn
from allocsim.health.summary import summarise
from allocsim.parameters import HealthParameters
from allocsim.pence import expected_pence
from allocsim.rollups import RollUp, rollups

MEASURES = ("qalys", "hle_months", "value_gbp", "bcr")


def model_health(allocation_gbp: np.ndarray, areas: pd.DataFrame, params: HealthParameters, source: str,
                 drawn: dict[str, np.ndarray], data_file: str | None = None,
                 expected_gbp: np.ndarray | None = None, places: Sequence[RollUp] | None = None) -> HealthReturn:
    """The modelled health return of ``allocation_gbp`` (draws x areas, or 1 x areas for a formula).

    ``areas`` is indexed by code with ``population``, the HLE column ``params.hle_column`` and,
    when present, ``imd2019_rank`` and each roll-up's column; ``drawn`` comes from
    :func:`draw_parameters`. ``data_file`` names the dataset in messages. ``expected_gbp`` is each
    area's mean allocation in pounds to the penny (:func:`~allocsim.pence.expected_pence`), worked
    out from ``allocation_gbp`` if not given. ``places`` are the geography roll-ups to break the
    return down by (default: those declared for the health view, :func:`allocsim.rollups.rollups`).
    """
    hle = check_hle_column(areas, params.hle_column.value, source, data_file)
    if expected_gbp is None:
        expected_gbp = expected_pence(np.rint(np.asarray(allocation_gbp) * 100).astype(np.int64)) / 100
    population = areas["population"].to_numpy(dtype=float)
    share = health_acting_share(params.theme_mix.value, drawn)
    raw = undiscounted_qalys(allocation_gbp, population, share, drawn["cost_per_qaly"],
                             need_multiplier(hle, population, drawn["need_elasticity"]),
                             params.curve.value, drawn["saturation_per_head"])
    factor = discount_factor(drawn["discount_rate"], drawn["lag_years"], drawn["horizon_years"])
    qalys = raw * factor[:, np.newaxis]
    draws = Draws(np.broadcast_to(allocation_gbp, raw.shape), raw, qalys,
                  qalys * drawn["qaly_value"][:, np.newaxis], population, expected_gbp)
    places = rollups(areas, "health") if places is None else places
    categories = area_categories(areas, params.hle_column.value, places)
    breakdowns = {name: breakdown(categories[name], draws) for name in categories.columns}
    summary = summarise(params, source, draws, categories["hle_decile"], hle, share)
    return HealthReturn(_area_table(areas.index, draws), breakdowns, summary, qalys, raw, drawn["qaly_value"],
                        categories)


def check_hle_column(areas: pd.DataFrame, column: str, source: str, data_file: str | None = None) -> np.ndarray:
    """The HLE values that set the need gradient, refused unless ``column`` holds healthy life
    expectancy for every area: numeric and within the range ``data validate`` allows for HLE.

    ``source`` names the health parameters in messages, ``data_file`` the dataset (if from a file).
    """
    low, high = HLE_RANGE
    where = f"{source}: hle_column.value: column '{column}'"
    # ``population`` in ``areas`` is the model's own input, never a dataset's HLE column.
    if column not in areas.columns or column == "population":
        raise ParameterError(f"{source}: hle_column.value: '{column}' is not a column of "
                             f"{data_file or 'the dataset'}")
    values = areas[column]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise ParameterError(f"{where} is not numeric; it must hold healthy life expectancy in years "
                             f"({low:g}-{high:g})")
    outside = values.index[(values < low) | (values > high)]
    if len(outside):
        raise ParameterError(f"{where} has {values[outside[0]]:g} for area {outside[0]}, outside {low:g}-{high:g} "
                             f"years; it must hold healthy life expectancy")
    missing = values.index[values.isna()]
    if len(missing):
        raise DataError(f"{data_file + ': ' if data_file else ''}column '{column}': no value for area "
                        f"{missing[0]}; the health model needs one for every area (choose another column "
                        f"with --param hle_column.value=COLUMN)")
    return values.to_numpy(dtype=float)


def _area_table(codes: pd.Index, draws: Draws) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(draws.spent > 0, draws.value / draws.spent, np.nan)
    measures = {"qalys": draws.qalys, "hle_months": 12 * draws.raw / draws.population, "value_gbp": draws.value,
                "bcr": bcr}
    table = pd.DataFrame(index=codes)
    for measure in MEASURES:
        for column, values in named(f"modelled_{measure}", interval(measures[measure])).items():
            table[column] = values
    return table
