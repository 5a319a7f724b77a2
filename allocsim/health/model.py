"""The health model: the modelled return of an allocation, per area and draw (see :mod:`allocsim.health`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from allocsim.datasets.load import HLE_RANGE
from allocsim.errors import DataError, ParameterError
from allocsim.health.breakdowns import area_categories, breakdown, named, unassigned_rows
from allocsim.health.draws import central_parameters, interval, one_way_parameters, ranged
from allocsim.health.kernels import discount_factor, health_acting_share, need_multiplier, undiscounted_qalys
from allocsim.health.model_types import Draws, HealthReturn
from allocsim.health.summary import summarise
from allocsim.parameters import HealthParameters
from allocsim.pence import expected_pence
from allocsim.prices import own_price_base
from allocsim.rollups import UNASSIGNED, RollUp, rollups

MEASURES = ("qalys", "healthy_months", "value_gbp", "bcr")


def model_health(allocation_gbp: np.ndarray, areas: pd.DataFrame, params: HealthParameters, source: str,
                 drawn: dict[str, np.ndarray], data_file: str | None = None,
                 expected_gbp: np.ndarray | None = None, places: Sequence[RollUp] | None = None) -> HealthReturn:
    """The modelled health return of ``allocation_gbp`` (draws x areas, or 1 x areas for a formula),
    in pounds of the price base.

    ``areas`` is indexed by code with ``population``, the HLE column ``params.hle_column`` and,
    when present, ``imd2019_rank`` and each roll-up's column; ``drawn`` comes from
    :func:`~allocsim.health.draws.draw_parameters`. ``data_file`` names the dataset in messages.
    ``expected_gbp`` is each area's mean allocation in pounds to the penny
    (:func:`~allocsim.pence.expected_pence`), worked out from ``allocation_gbp`` if not given; the
    central case and the one-way sensitivity are computed on it. ``places`` are the geography
    roll-ups to break the return down by (default: those declared for the health view).
    """
    hle = check_hle_column(areas, params.hle_column.value, source, data_file)
    if expected_gbp is None:
        expected_gbp = expected_pence(np.rint(np.asarray(allocation_gbp) * 100).astype(np.int64)) / 100
    population = areas["population"].to_numpy(dtype=float)
    draws = evaluate(allocation_gbp, population, hle, params, drawn, expected_gbp)
    flat = evaluate(allocation_gbp, population, hle, params, {**drawn, "need_elasticity": 0 * drawn["need_elasticity"]},
                    expected_gbp)
    central = evaluate(expected_gbp[np.newaxis], population, hle, params, central_parameters(params), expected_gbp)
    central_flat = evaluate(expected_gbp[np.newaxis], population, hle, params,
                            central_parameters(params, need_elasticity=0.0), expected_gbp).qalys.sum()
    varied, tornado = one_way_parameters(params)
    one_way = evaluate(expected_gbp[np.newaxis], population, hle, params, tornado, expected_gbp).qalys.sum(axis=1)
    places = rollups(areas, "health") if places is None else places
    categories = area_categories(areas, params.hle_column.value, places)
    missing = unassigned_rows(places)
    breakdowns = {name: breakdown(categories[name], draws, central, missing.get(name, UNASSIGNED))
                  for name in categories.columns}
    summary = summarise(params, source, draws, central, categories["hle_decile"], hle,
                        health_acting_share(params.theme_mix.value, drawn), one_way_rows(varied, one_way))
    return HealthReturn(_area_table(areas.index, draws, central), breakdowns, summary, draws.qalys, draws.raw,
                        drawn["qaly_value"], categories, central, float(central_flat), flat.qalys.sum(axis=1),
                        one_way_table(params, varied, one_way), one_way)


def evaluate(allocation_gbp: np.ndarray, population: np.ndarray, hle: np.ndarray, params: HealthParameters,
             drawn: dict[str, np.ndarray], expected_gbp: np.ndarray) -> Draws:
    """The model's arithmetic for each draw of the parameters (``drawn``, one value per draw)."""
    share = health_acting_share(params.theme_mix.value, drawn)
    raw = undiscounted_qalys(allocation_gbp, population, share, drawn["cost_per_qaly"],
                             need_multiplier(hle, population, drawn["need_elasticity"]),
                             params.curve.value, drawn["saturation_per_head"])
    factor = discount_factor(drawn["discount_rate"], drawn["lag_years"], drawn["horizon_years"])
    qalys = raw * factor[:, np.newaxis]
    return Draws(np.broadcast_to(allocation_gbp, raw.shape), raw, qalys, qalys * drawn["qaly_value"][:, np.newaxis],
                 population, expected_gbp)


def one_way_rows(varied: list[tuple[str, float, float]],
                 totals: np.ndarray) -> list[tuple[str, float, float, float, float]]:
    """``(parameter, low, high, QALYs at low, QALYs at high)`` from the one-way totals (central first)."""
    return [(name, low, high, float(totals[1 + 2 * i]), float(totals[2 + 2 * i]))
            for i, (name, low, high) in enumerate(varied)]


def one_way_table(params: HealthParameters, varied: list[tuple[str, float, float]], totals: np.ndarray) -> pd.DataFrame:
    """One row per parameter varied: its low and high values (in their own price base, which the
    ``price_base`` column names) and the total modelled QALYs at each, others central."""
    chosen = ranged(params)
    rows = [{"parameter": name, "low": low, "high": high, "price_base": own_price_base(chosen[name]) or "",
             "modelled_qalys_central": float(totals[0]), "modelled_qalys_at_low": qalys_low,
             "modelled_qalys_at_high": qalys_high, "swing": abs(qalys_high - qalys_low)}
            for name, low, high, qalys_low, qalys_high in one_way_rows(varied, totals)]
    return pd.DataFrame(rows).sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


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


def _area_table(codes: pd.Index, draws: Draws, central: Draws) -> pd.DataFrame:
    table = pd.DataFrame(index=codes)
    for measure, (values, at_centre) in _measures(draws, central).items():
        table[f"modelled_{measure}_central"] = at_centre[0]
        for column, quantiles in named(f"modelled_{measure}", interval(values)).items():
            table[column] = quantiles
    return table


def _measures(draws: Draws, central: Draws) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    def per_area(d: Draws) -> dict[str, np.ndarray]:
        with np.errstate(divide="ignore", invalid="ignore"):
            bcr = np.where(d.spent > 0, d.value / d.spent, np.nan)
        return {"qalys": d.qalys, "healthy_months": 12 * d.raw / d.population, "value_gbp": d.value, "bcr": bcr}

    drawn, at_centre = per_area(draws), per_area(central)
    return {m: (drawn[m], at_centre[m]) for m in MEASURES}
