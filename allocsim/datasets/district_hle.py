"""Modelled healthy life expectancy for England's shire districts, with standard errors.

ONS publishes HLE for upper tiers only, so a shire district carries its county's value. Following
DOMAIN.md ("Health data below upper tier"), a district's deviation from its county is predicted
from its deviation in a district covariate, with the slope fitted on areas whose HLE is published
for themselves (unitaries, metropolitan districts, London boroughs), and the predictions are
benchmarked so that the population-weighted mean of a county's districts equals the county's
published value. Every other area keeps its published value. The kernels are in
:mod:`allocsim.datasets.small_area`; the validation and its figures in
:mod:`allocsim.datasets.district_hle_validation`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from allocsim.datasets import geography, small_area, sources
from allocsim.datasets.added import AddedColumns
from allocsim.datasets.district_hle_meta import column_meta, validation_summary
from allocsim.datasets.district_hle_validation import CHOSEN, PERIODS, SEXES, validate
from allocsim.errors import DataError

FLAG_COLUMN = "hle_district_geography"
MODELLED = "modelled"
Z_95 = 1.959964  # ONS's published intervals are 95% intervals
BENCHMARK_TOLERANCE = 0.01  # years; values are rounded to 0.01


def value_column(sex: str, period: str) -> str:
    """The name of the modelled district HLE column for ``sex`` (``male``, ``female``) and ``period``
    (``2011_13``, ``2018_20``), e.g. ``hle_male_2011_13_district``; its standard error adds ``_se``."""
    return f"hle_{sex}_{period}_district"


def build_district_hle(table: pd.DataFrame, spine: pd.DataFrame, raw: Path) -> AddedColumns:
    """The modelled columns, their standard errors and flag, with the validation report."""
    areas = _areas(table, spine, raw)
    values, report, validation = {}, [], {}
    for period in PERIODS:
        for sex in SEXES:
            checked = validate(areas, sex, period, raw)
            rmse = checked["summary"]["all"]["rmse"]
            estimate, error = _estimate(areas, sex, period, checked["beta"], rmse, raw)
            values[value_column(sex, period)] = estimate
            values[value_column(sex, period) + "_se"] = error
            validation[value_column(sex, period)] = checked["summary"]
            report += checked["report"]
    frame = pd.DataFrame(values)[_ordered(values)]
    frame[FLAG_COLUMN] = areas["kind"].where(areas["kind"] != "other")
    report.insert(0, _counts_line(areas))
    meta = column_meta(validation)
    return AddedColumns(frame, meta, report, {"district_hle_validation": validation_summary(validation)})


def _ordered(values: dict) -> list[str]:
    return [c for c in values if not c.endswith("_se")] + [c for c in values if c.endswith("_se")]


def _areas(table: pd.DataFrame, spine: pd.DataFrame, raw: Path) -> pd.DataFrame:
    """Per area: whether its HLE is published for itself, modelled or a proxy; its benchmark
    group (the code whose published value it carries); weights; covariates."""
    mye5 = sources.read_mye5(raw)
    flags = table["hle_geography"]
    kind = pd.Series("other", index=table.index)
    kind[flags.isin([geography.OWN, geography.OWN_RECODED])] = geography.OWN
    kind[flags.isin([geography.UPPER_TIER, geography.SUCCESSOR])] = MODELLED
    kind[flags == geography.PROXY] = geography.PROXY
    areas = table[["country", "region", "hle_geography_code", *CHOSEN]].assign(kind=kind)
    areas["metropolitan_county_code"] = spine.set_index("code")["metropolitan_county_code"]
    for period, year in PERIODS.items():
        areas[f"weight_{period}"] = mye5[f"population_{year}"].reindex(table.index)
        areas[f"hle_male_{period}"] = table[f"hle_male_{period}"]
        areas[f"hle_female_{period}"] = table[f"hle_female_{period}"]
    if areas.filter(like="weight_").isna().any().any():
        raise DataError("MYE 5: a LAD 2020 area has no mid-year population")
    return areas


def _estimate(areas: pd.DataFrame, sex: str, period: str, beta: np.ndarray, loo_rmse: float, raw: Path):
    """Published values everywhere, shire districts replaced by their benchmarked prediction;
    standard errors from the published intervals and, for modelled values, the leave-one-out
    error added in quadrature to the county's own."""
    published = areas[f"hle_{sex}_{period}"]
    published_se = _published_se(areas["hle_geography_code"], sex, period, raw)
    modelled = areas[areas["kind"] == MODELLED]
    if modelled[list(CHOSEN)].isna().any().any():
        raise DataError(f"district HLE: covariate {CHOSEN} missing for a shire district")
    groups, weights = modelled["hle_geography_code"], modelled[f"weight_{period}"]
    x = small_area.deviations(modelled[list(CHOSEN)], groups, weights)
    predicted = small_area.predict(published[modelled.index], x, beta)
    benchmarked = small_area.benchmark(predicted, groups, weights, published[modelled.index])
    estimate = published.copy()
    estimate[modelled.index] = benchmarked.round(2)
    _check_benchmark(estimate[modelled.index], groups, weights, published[modelled.index], sex, period)
    error = published_se.copy()
    error[modelled.index] = np.sqrt(loo_rmse**2 + published_se[modelled.index] ** 2)
    return estimate, error.round(2)


def _check_benchmark(estimate, groups, weights, group_value, sex: str, period: str) -> None:
    gap = (small_area.group_means(estimate, groups, weights) - group_value).abs().max()
    if gap > BENCHMARK_TOLERANCE:
        raise DataError(f"district HLE {sex} {period}: a county's districts average {gap:.3f} years "
                        f"away from its published value")


def _published_se(codes: pd.Series, sex: str, period: str, raw: Path) -> pd.Series:
    """Half the published 95% interval over 1.96, for the code each area's HLE comes from."""
    table = pd.read_csv(sources.raw_file(raw, "hle_2026"), dtype={"areacd": str})
    start = int(period[:4])
    picked = table[(table["indicator"] == f"{sex.title()} healthy life expectancy")
                   & (table["period"] == f"{start}-01-01/P3Y")].set_index("areacd")
    se = (picked["uci_95"] - picked["lci_95"]) / (2 * Z_95)
    return pd.Series(se.reindex(codes.to_numpy()).to_numpy(), index=codes.index)


def _counts_line(areas: pd.DataFrame) -> str:
    modelled = areas[areas["kind"] == MODELLED]
    counts = areas["kind"].value_counts()
    return (f"hle_district [small-area estimate, covariate {', '.join(CHOSEN)}]: modelled "
            f"{counts.get(MODELLED, 0)} shire districts in {modelled['hle_geography_code'].nunique()} "
            f"counties or successor unitaries (benchmarked to each), published own "
            f"{counts.get(geography.OWN, 0)}, proxy {counts.get(geography.PROXY, 0)}")
