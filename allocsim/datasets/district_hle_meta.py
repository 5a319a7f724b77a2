"""Metadata of the modelled district HLE columns: what is modelled, how, and how well."""

from __future__ import annotations

from allocsim.datasets.indicator import HIGHER_IS_HEALTHIER

SOURCES = ["hle_2026", "imd2019", "mye2019_density"]
GEOGRAPHY = ("lower-tier local authorities, LAD 2020 (GB): published for unitaries, metropolitan "
             "districts, London boroughs and Scottish and Welsh councils; modelled for English shire "
             "districts")
METHOD = (
    "Small-area estimate, modelled by allocsim, not observed. A shire district's value is "
    "its county's published value (or, where the county was later split or became a unitary, that of "
    "the successor whose value the district carries in hle_geography_code) plus a slope times the "
    "district's IMD 2019 health deprivation and disability score (imd2019_health_score; its data are "
    "mostly 2015-17, later than 2011-13) minus the population-weighted mean score of the "
    "county's districts; so the population-weighted mean (mid-year population of the period's middle "
    "year, ONS MYE 5) of a county's districts equals the county's published value (benchmarked, to "
    "rounding). The slope is fitted by least squares on the areas whose HLE is published for "
    "themselves, as each area's deviation from the population-weighted mean of a county-like group "
    "(its metropolitan county, London, or the other unitaries of its region). Unitaries, metropolitan "
    "districts, London boroughs and Scottish and Welsh councils keep their published value; the City "
    "of London and the Isles of Scilly keep their proxy (Hackney's and Cornwall's). Not ONS's own "
    "district estimate; see hle_district_geography."
)


def column_meta(validation: dict[str, dict]) -> dict[str, dict]:
    """Metadata of every value, standard error and flag column, validation figures included."""
    meta = {}
    for column, summary in validation.items():
        meta[column] = _value_meta(column, summary)
    for column, summary in validation.items():
        meta[f"{column}_se"] = _se_meta(column, summary)
    meta["hle_district_geography"] = _flag_meta()
    return meta


def _label(column: str) -> tuple[str, str, str]:
    _, sex, start, end, _ = column.split("_")
    return sex, start, f"{start} to 20{end}"


def _value_meta(column: str, summary: dict) -> dict:
    sex, start, period = _label(column)
    every, outside = summary["all"], summary["outside_london"]
    slope = summary["slopes_years_per_unit"][summary["covariates"][0]]
    return dict(
        description=f"{sex.title()} healthy life expectancy at birth, {start}-{period[-2:]}, for every "
        "district: modelled for English shire districts, published for every other area",
        unit="years", period=f"{period} (3-year pooled)", geography=GEOGRAPHY, source=SOURCES,
        derivation=f"{METHOD} Slope {slope:+.2f} years per point of IMD health score. Leave-one-out "
        f"error on {every['areas']} areas with published HLE: RMSE {every['rmse']:.2f}, MAE "
        f"{every['mae']:.2f} years, against {every['naive_rmse']:.2f} and {every['naive_mae']:.2f} for "
        f"the naive estimate (every area = its group's value); outside London {outside['rmse']:.2f} and "
        f"{outside['mae']:.2f} (naive {outside['naive_rmse']:.2f} and {outside['naive_mae']:.2f}).",
        range=[40, 90], direction=HIGHER_IS_HEALTHIER, flag_column="hle_district_geography",
    )


def _se_meta(column: str, summary: dict) -> dict:
    sex, start, period = _label(column)
    rmse = summary["all"]["rmse"]
    return dict(
        description=f"Standard error of {column}", unit="years", period=f"{period} (3-year pooled)",
        geography=GEOGRAPHY, source=SOURCES,
        derivation="Published values: half the width of ONS's 95% confidence interval divided by 1.96 "
        "(for a proxy, the proxy area's). Modelled values: the square root of the leave-one-out mean "
        f"squared error ({rmse:.2f} years RMSE) plus the county's own squared standard error. The "
        "leave-one-out error includes the sampling error of the published values it is checked "
        "against, so it is a conservative measure of the model's error; it is estimated on unitaries, "
        "which are larger than most shire districts.",
        range=[0, 50],
    )


def _flag_meta() -> dict:
    return dict(
        description="How the hle_*_district values were obtained: 'own' = published by ONS for this "
        "area; 'modelled' = small-area estimate for an English shire district (not published, not "
        "observed); 'proxy' = not published for this area, the area it shares NHS and public-health "
        "services with stands in (City of London: Hackney; Isles of Scilly: Cornwall)",
        unit="flag", source=SOURCES, period="as the columns it describes", geography=GEOGRAPHY,
        derivation="From hle_geography: 'own' and 'own_recoded' give 'own'; 'upper_tier' and "
        "'successor' give 'modelled'; 'proxy' stays 'proxy'.",
    )


def validation_summary(validation: dict[str, dict]) -> dict:
    """The metadata file's top-level record of the validation."""
    return {
        "method": METHOD,
        "validation": "Leave-one-out by group: every group of areas with published HLE is left out "
        "of the fit in turn and its members predicted and benchmarked as shire districts are; "
        "'naive' gives every member its group's value. RMSE and MAE in years.",
        "columns": validation,
    }
