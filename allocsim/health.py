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
    healthy months         = 12 x Q / population (a QALY counted as a year of healthy life)

A seeded Monte Carlo draws every ranged parameter from triangular(low, central, high), one value
per draw shared by all areas. The output is modelled, not observed, and says so.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from allocsim.datasets.load import HLE_RANGE
from allocsim.errors import DataError, ParameterError
from allocsim.parameters import HealthParameters, Ranged
from allocsim.pence import expected_pence
from allocsim.rollups import RollUp, rollups

QUANTILES = (0.5, 0.05, 0.95)
SUFFIXES = ("median", "p05", "p95")
MEASURES = ("qalys", "hle_months", "value_gbp", "bcr")
RANGED = ("cost_per_qaly", "lag_years", "horizon_years", "need_elasticity", "saturation_per_head",
          "discount_rate", "qaly_value")


# -- the result ------------------------------------------------------------------------------

@dataclass(frozen=True)
class HealthReturn:
    """The modelled return: ``table`` per area, ``breakdowns`` by category, ``summary`` totals.

    ``qalys`` (present value) and ``undiscounted_qalys`` hold every draw (draws x areas, in the
    order of ``table``), and ``value_per_qaly`` each draw's value of a QALY, so that two rules
    run with the same seed can be compared draw by draw; ``categories`` gives each area's HLE
    decile, IMD quintile and region.
    """

    table: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    summary: dict
    qalys: np.ndarray
    undiscounted_qalys: np.ndarray
    value_per_qaly: np.ndarray
    categories: pd.DataFrame


# -- parameter draws -------------------------------------------------------------------------

def draw_parameters(params: HealthParameters, draws: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One value per draw for each ranged parameter, from triangular(low, central, high).

    Drawn in a fixed order whatever the curve, so the same seed gives the same draws.
    """
    ranged = {f"health_share.{t}": params.health_share[t] for t in sorted(params.health_share)}
    ranged |= {name: getattr(params, name) for name in RANGED}
    return {name: _triangular(rng, r, draws) for name, r in ranged.items()}


def central_parameters(params: HealthParameters) -> dict[str, np.ndarray]:
    """Every ranged parameter at its central value, as a single draw."""
    names = [f"health_share.{t}" for t in sorted(params.health_share)] + list(RANGED)
    return {name: np.array([_ranged(params, name).central]) for name in names}


def _ranged(params: HealthParameters, name: str) -> Ranged:
    head, _, theme = name.partition(".")
    return params.health_share[theme] if theme else getattr(params, head)


def _triangular(rng: np.random.Generator, r: Ranged, draws: int) -> np.ndarray:
    if r.low == r.high:
        return np.full(draws, r.central)
    return rng.triangular(r.low, r.central, r.high, size=draws)


# -- pure kernels ----------------------------------------------------------------------------

def health_acting_share(mix: dict[str, float], drawn: dict[str, np.ndarray]) -> np.ndarray:
    """The share of each pound that acts on health: the theme mix times each theme's share."""
    return sum(share * drawn[f"health_share.{theme}"] for theme, share in mix.items())


def need_multiplier(hle: np.ndarray, population: np.ndarray, elasticity: np.ndarray) -> np.ndarray:
    """(HLE / mean HLE) ^ -elasticity per draw and area, with population-weighted mean 1."""
    weights = population / population.sum()
    relative = hle / np.dot(weights, hle)
    raw = relative[np.newaxis, :] ** -elasticity[:, np.newaxis]
    return raw / (raw @ weights)[:, np.newaxis]


def undiscounted_qalys(allocation_gbp: np.ndarray, population: np.ndarray, share: np.ndarray,
                       cost_per_qaly: np.ndarray, multiplier: np.ndarray, curve: str,
                       saturation_per_head: np.ndarray) -> np.ndarray:
    """QALYs per draw and area before discounting (``allocation_gbp`` is draws x areas or 1 x areas)."""
    acting = allocation_gbp * share[:, np.newaxis]
    if curve == "diminishing":
        k = saturation_per_head[:, np.newaxis] * population[np.newaxis, :]
        acting = k * np.log1p(acting / k)
    return acting / cost_per_qaly[:, np.newaxis] * multiplier


def discount_factor(rate: np.ndarray, lag_years: np.ndarray, horizon_years: np.ndarray) -> np.ndarray:
    """Mean of (1 + rate) ^ -t over t from lag to lag + horizon (effects spread evenly)."""
    delta = np.log1p(rate)
    safe = np.where(delta > 0, delta, 1.0)
    spread = (np.exp(-safe * lag_years) - np.exp(-safe * (lag_years + horizon_years))) / (safe * horizon_years)
    return np.where(delta > 0, spread, 1.0)


def interval(values: np.ndarray) -> np.ndarray:
    """Median, 5th and 95th percentiles over draws (axis 0), ignoring NaN (all NaN gives NaN)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(values, QUANTILES, axis=0)


# -- the model -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Draws:
    """Per draw and area (draws x areas): pounds spent, QALYs before and after discounting, value."""

    spent: np.ndarray
    raw: np.ndarray
    qalys: np.ndarray
    value: np.ndarray
    population: np.ndarray  # per area
    expected: np.ndarray  # per area: the mean allocation in pounds to the penny, summing to the mean total


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
    summary = _summary(params, source, draws, categories["hle_decile"], hle, share)
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


def area_categories(areas: pd.DataFrame, hle_column: str, places: Sequence[RollUp] = ()) -> pd.DataFrame:
    """HLE decile (1 = lowest HLE), IMD 2019 quintile (1 = most deprived; none outside England)
    and each roll-up's group (``places``) of each area. Ties are broken by area code so every
    decile has its share of areas."""
    codes = areas.index.to_numpy(dtype=str)
    categories = pd.DataFrame(index=areas.index)
    categories["hle_decile"] = _ntile(areas[hle_column].to_numpy(dtype=float), codes, 10)
    imd = areas["imd2019_rank"] if "imd2019_rank" in areas.columns else pd.Series(np.nan, index=areas.index)
    present = imd.notna().to_numpy()
    quintile = pd.Series(pd.NA, index=areas.index, dtype="Int64")
    quintile[present] = _ntile(imd.to_numpy(dtype=float)[present], codes[present], 5)
    categories["imd_quintile"] = quintile
    for place in places:
        categories[place.name] = areas[place.column]
    return categories


def _ntile(values: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    order = np.lexsort((codes, values))
    position = np.empty(len(values), dtype=int)
    position[order] = np.arange(len(values))
    return position * n // max(len(values), 1) + 1


def breakdown(category: pd.Series, draws: Draws) -> pd.DataFrame:
    """One row per category: areas, expected allocation, QALYs and healthy months per resident."""
    rows = []
    for value in sorted(category.dropna().unique()):
        members = category.eq(value).fillna(False).to_numpy(dtype=bool)
        row = {"category": value, "areas": int(members.sum()),
               "allocation": draws.expected[members].sum()}
        row |= _named("modelled_qalys", interval(draws.qalys[:, members].sum(axis=1)))
        row |= _named("modelled_hle_months", interval(_months(draws.raw[:, members], draws.population[members])))
        rows.append(row)
    columns = ["category", "areas", "allocation"] + [f"modelled_{m}_{s}" for m in ("qalys", "hle_months")
                                                     for s in SUFFIXES]
    return pd.DataFrame(rows, columns=columns)


def _months(raw: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Healthy months per resident of a set of areas, per draw."""
    return 12 * raw.sum(axis=1) / population.sum()


def extreme_deciles(decile: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the areas in the top (highest HLE) and bottom decile present."""
    return (decile == decile.max()).to_numpy(), (decile == decile.min()).to_numpy()


def hle_gap_change_months(raw: np.ndarray, population: np.ndarray, decile: pd.Series) -> np.ndarray:
    """Per draw: healthy months gained per resident in the top HLE decile minus the bottom one
    (negative: the gap that Levelling Up mission 7 aims to narrow narrows)."""
    top, bottom = extreme_deciles(decile)
    return _months(raw[:, top], population[top]) - _months(raw[:, bottom], population[bottom])


def _named(prefix: str, quantiles: np.ndarray) -> dict:
    return {f"{prefix}_{suffix}": q for suffix, q in zip(SUFFIXES, quantiles)}


def _area_table(codes: pd.Index, draws: Draws) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(draws.spent > 0, draws.value / draws.spent, np.nan)
    measures = {"qalys": draws.qalys, "hle_months": 12 * draws.raw / draws.population, "value_gbp": draws.value,
                "bcr": bcr}
    table = pd.DataFrame(index=codes)
    for measure in MEASURES:
        for column, values in _named(f"modelled_{measure}", interval(measures[measure])).items():
            table[column] = values
    return table


def summary_interval(values: np.ndarray, digits: int = 5) -> dict:
    """``{median, p05, p95}`` of per-draw values, rounded for reading."""
    return {s: _round(q, digits) for s, q in zip(SUFFIXES, interval(values))}


def _round(value: float, digits: int) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return float(f"{value:.{digits}g}") if abs(value) >= 1 else round(float(value), digits + 2)


def modelled_notice(source: str) -> str:
    return (f"Modelled, not observed: health figures come from the published estimates and stated "
            f"assumptions in {source}, not from measured outcomes.")


def _summary(params: HealthParameters, source: str, draws: Draws, decile: pd.Series, hle: np.ndarray,
             share: np.ndarray) -> dict:
    top, bottom = extreme_deciles(decile)
    weights = draws.population
    baseline_gap = np.average(hle[top], weights=weights[top]) - np.average(hle[bottom], weights=weights[bottom])
    total_spent = draws.spent.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(total_spent > 0, draws.value.sum(axis=1) / total_spent, np.nan)
    return {
        "modelled_notice": modelled_notice(source),
        "parameters": source,
        "hle_column": params.hle_column.value,
        "curve": params.curve.value,
        "draws": int(draws.qalys.shape[0]),
        "health_acting_share": summary_interval(share),
        "totals": {
            "modelled_qalys": summary_interval(draws.qalys.sum(axis=1)),
            "modelled_hle_months_per_resident": summary_interval(_months(draws.raw, draws.population)),
            "modelled_value_gbp": summary_interval(draws.value.sum(axis=1)),
            "modelled_bcr": summary_interval(bcr),
        },
        "hle_gap": {
            "hle_column": params.hle_column.value,
            "deciles": f"areas ranked by {params.hle_column.value} (ties by code); 1 = lowest HLE",
            "baseline_gap_years": _round(baseline_gap, 4),
            "modelled_change_months": summary_interval(hle_gap_change_months(draws.raw, draws.population, decile)),
            "meaning": "healthy months gained per resident in the top HLE decile minus the bottom "
                       "decile (population-weighted); negative means the gap narrows (Levelling Up mission 7)",
        },
        "definitions": {
            "modelled_qalys": "QALYs in present value, discounted at discount_rate from lag_years "
                              "over horizon_years",
            "modelled_hle_months": "undiscounted QALYs x 12 / population: months of healthy life "
                                   "gained per resident, a QALY counted as a year of healthy life",
            "modelled_value_gbp": "present-value QALYs x qaly_value",
            "modelled_bcr": "modelled_value_gbp / allocation",
            "intervals": "median and 5th-95th percentiles over the draws",
        },
    }
