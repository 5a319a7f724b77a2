"""What goes into the embedded dataset: every indicator column, where it comes from, and why.

Each :class:`Indicator` names one raw series (source, indicator, period), its unit and the
geography it was published for; the build resolves it onto LAD 2020 areas
(:mod:`allocsim.datasets.geography`) and writes this description into the metadata file.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd

from allocsim.datasets import geography, sources
from allocsim.datasets.health_index import HEALTH_INDEX_INDICATORS
from allocsim.datasets.indicator import HIGHER_IS_HEALTHIER, HIGHER_IS_WORSE, Indicator

LAD2023 = "local authority districts on LAD 2023 codes (GB)"
LAD2021 = "local authority districts and unitaries on LAD 2021 codes (GB)"
LAD2021_ENGLAND = "local authority districts and unitaries on LAD 2021 codes (England only)"
NORTHAMPTONSHIRE_SUCCESSOR = "Northamptonshire districts take their successor unitary's value (flagged)."
NORTHAMPTONSHIRE_OWN = ("Northamptonshire's districts have their own values (the source still lists them "
                        "for this period); no value is borrowed and there is no flag column.")
HEALTH_ACCEPT = frozenset(geography.FLAGS)


def _hle(sex: str, start: int) -> Indicator:
    label = f"{start}-{str(start + 2)[2:]}"
    return Indicator(
        name=f"hle_{sex}_{start}_{str(start + 2)[2:]}",
        description=f"{sex.title()} healthy life expectancy at birth, {label} (2026 release)",
        unit="years",
        period=f"{start} to {start + 2} (3-year pooled)",
        source="hle_2026",
        geography="upper-tier local authorities on 2024 codes (England: counties, unitaries, metropolitan "
        "districts and London boroughs; Welsh and Scottish councils); no shire districts",
        read=partial(
            _read_els, "hle_2026", f"{sex.title()} healthy life expectancy", f"{start}-01-01/P3Y"
        ),
        derivation="A shire district takes its county's value; a district absorbed into a later "
        "unitary takes that unitary's value; the City of London and the Isles of Scilly, for "
        "which none is published, take Hackney's and Cornwall's; see hle_geography and "
        "hle_geography_code. The 2026 "
        "release re-estimated the whole series with an interim logistic-regression method.",
        flag="hle_geography",
        value_range=(40, 90),
        accept=HEALTH_ACCEPT,
        direction=HIGHER_IS_HEALTHIER,
    )


def _hle_r2022(sex: str) -> Indicator:
    return Indicator(
        name=f"hle_{sex}_2018_20_r2022",
        description=f"{sex.title()} healthy life expectancy at birth, 2018-20, as published in "
        "2022 (the vintage the Levelling Up White Paper used)",
        unit="years",
        period="2018 to 2020 (3-year pooled)",
        source="subnational_2022",
        geography="upper-tier local authorities on 2021 codes; no shire districts",
        read=partial(_read_subnational, f"{sex.title()} Healthy Life Expectancy (HLE)", "201820"),
        derivation="A shire district takes its county's value; the City of London and the Isles "
        "of Scilly take Hackney's and Cornwall's; see hle_r2022_geography.",
        flag="hle_r2022_geography",
        value_range=(40, 90),
        accept=HEALTH_ACCEPT,
        direction=HIGHER_IS_HEALTHIER,
    )


def _read_els(key: str, indicator: str, period: str, raw: Path) -> pd.Series:
    return sources.read_els(raw, key, indicator, period)


def _read_subnational(indicator: str, period: str, raw: Path) -> pd.Series:
    return sources.read_subnational(raw, indicator, period)


def _read_imd(sheet: str, column: str, raw: Path) -> pd.Series:
    return sources.read_imd(raw, sheet, column)


def _read_inactivity(year: int, raw: Path) -> pd.Series:
    return sources.read_els_inactivity(raw, year)


def _imd(name: str, sheet: str, column: str, description: str, unit: str,
         direction: str | None = None) -> Indicator:
    return Indicator(
        name=name,
        description=description,
        unit=unit,
        period="2019 (most indicators 2015-2017)",
        source="imd2019",
        geography="lower-tier local authority districts on LAD 2019 codes (England only)",
        read=partial(_read_imd, sheet, column),
        derivation="Published value, unchanged. Ranks run over the 317 LAD 2019 districts, "
        "1 = most deprived. Empty outside England and for Buckinghamshire, which became one "
        "unitary in 2020 and has no published LAD summary in IoD2019.",
        direction=direction,
    )


def _journey(name: str, mode: str, label: str) -> Indicator:
    return Indicator(
        name=name,
        description=f"Average minimum travel time to the nearest employment centre with 500 to "
        f"4,999 jobs, by {label}",
        unit="minutes",
        period="2017",
        source="els_travel",
        geography="lower-tier local authorities on LAD 2018 codes (England only)",
        read=partial(_read_els, "els_travel", mode, "2017-01-01/P1Y"),
        derivation="2017 is the latest journey time statistics year published before the LUF "
        "round 1 list (JTS 2019 appeared in November 2021). Buckinghamshire takes the former "
        "county's value (the same area). The five areas formed by mergers in 2019 (Dorset; "
        "Bournemouth, Christchurch and Poole; East Suffolk; West Suffolk; Somerset West and "
        "Taunton) have no value on these codes and stay empty. England only.",
    )


def _subnational(name: str, description: str, unit: str, period: str, indicator: str, raw_period: str,
                 note: str = "", value_range: tuple[float, float] | None = None,
                 northamptonshire: str = NORTHAMPTONSHIRE_SUCCESSOR, geography: str = LAD2021,
                 direction: str | None = None) -> Indicator:
    """An indicator from the ONS subnational indicators explorer (LAD 2021 codes).

    Northamptonshire's districts were abolished in April 2021: for periods after that the
    source lists only the two successor unitaries, for earlier ones the districts themselves.
    """
    return Indicator(
        name, description, unit, period, "subnational_2022", geography,
        partial(_read_subnational, indicator, raw_period),
        " ".join(filter(None, [note, northamptonshire])),
        value_range=value_range,
        direction=direction,
    )


INDICATORS: list[Indicator] = [
    *[_hle(sex, start) for start in (2011, 2018, 2022) for sex in ("male", "female")],
    *[_hle_r2022(sex) for sex in ("male", "female")],
    _imd(
        "imd2019_rank", "IMD", "IMD - Rank of average score",
        "Index of Multiple Deprivation 2019, rank of average score (1 = most deprived)", "rank",
    ),
    _imd(
        "imd2019_score", "IMD", "IMD - Average score",
        "Index of Multiple Deprivation 2019, population-weighted average score "
        "(higher = more deprived)", "score",
    ),
    _imd(
        "imd2019_income_rank", "Income", "Income - Rank of average score",
        "IMD 2019 income domain, rank of average score (1 = most deprived)", "rank",
    ),
    _imd(
        "imd2019_employment_rank", "Employment", "Employment - Rank of average score",
        "IMD 2019 employment domain, rank of average score (1 = most deprived)", "rank",
    ),
    Indicator(
        "gva_per_hour",
        "Gross value added per hour worked (productivity), current prices",
        "GBP", "2019", "els_gva", LAD2023,
        partial(_read_els, "els_gva", "Gross value added per hour worked", "2019-01-01/P1Y"),
        "2019, the last year before the pandemic distorted hours worked. Districts abolished "
        "after 2020 take their successor unitary's value (flagged).",
    ),
    Indicator(
        "unemployment_rate",
        "Model-based unemployment rate, aged 16+, % of the economically active",
        "%", "2019", "els_unemployment", LAD2023,
        partial(_read_els, "els_unemployment", "Modelled unemployment rate", "2019-01-01/P1Y"),
        "The 24 districts abolished after 2020 (in Cumbria, North Yorkshire, Northamptonshire and "
        "Somerset) are not listed on LAD 2023 codes and their successor unitaries have no 2019 "
        "value, so they stay empty, as do the City of London and the Isles of Scilly (listed "
        "without a value): 26 areas, all in England. No value is borrowed; there is no flag column.",
        value_range=(0, 100),
    ),
    _subnational(
        "nvq3_plus_share", "Share of people aged 16-64 qualified to NVQ level 3 or above", "%", "2021",
        "Proportion of the population aged 16 - 64 with level 3+ qualifications", "2021",
        note="2021 is the last year on the NVQ definition the LUF used (from 2022 the survey moved "
        "to RQF levels).", value_range=(0, 100),
    ),
    _journey("journey_time_car", "Drive to work", "car"),
    _journey("journey_time_pt_walk", "Public transport or walk to work", "public transport or walking"),
    _journey("journey_time_cycle", "Cycle to work", "cycle"),
    _subnational("median_weekly_pay", "Gross median weekly pay of full-time employees, by place of residence",
                 "GBP", "2021", "Median Weekly Pay", "2021"),
    _subnational("gdhi_per_head", "Gross disposable household income per head", "GBP", "2019",
                 "Gross Disposable Household Income (GDHI), per head", "2019"),
    _subnational("employment_rate", "Employment rate, aged 16-64", "%", "April 2021 to March 2022",
                 "Employment rate (16\u201364-year olds)", "2022", value_range=(0, 100)),
    Indicator(
        "inactive_long_term_sick_share",
        "Share of economically inactive people aged 16-64 who are inactive because of "
        "long-term sickness",
        "%", "2019", "els_inactivity", LAD2023,
        partial(_read_inactivity, 2019),
        "Annual Population Survey; district estimates have wide confidence intervals. "
        "Districts abolished after 2020 take their successor unitary's value (flagged), except "
        "the seven North Yorkshire districts, whose successor has no 2019 estimate. Empty also "
        "wherever the source lists an area without a 2019 estimate (27 more areas).",
        value_range=(0, 100),
        direction=HIGHER_IS_WORSE,
    ),
    _subnational("smoking_prevalence", "Smoking prevalence of adults aged 18+", "%", "2020",
                 "Smoking prevalence of adults", "2020", value_range=(0, 100), direction=HIGHER_IS_WORSE,
                 northamptonshire=NORTHAMPTONSHIRE_OWN + " Empty for the City of London and the Isles of "
                 "Scilly (not listed) and for Buckinghamshire (published only for its four former "
                 "districts, not for the 2020 unitary)."),
    _subnational("adult_overweight_or_obese_prevalence",
                 "Share of adults aged 18+ classified as overweight or obese (BMI 25 or over), not obese "
                 "alone (mean about 64% across English areas); the source labels the series 'Obesity "
                 "prevalence - adult', its metadata 'Adult (18+) overweight and obesity prevalence'",
                 "%", "2020/21", "Obesity prevalence - adult", "202021", note="England only.",
                 value_range=(0, 100), geography=LAD2021_ENGLAND, direction=HIGHER_IS_WORSE),
    _subnational("life_satisfaction", "Average life satisfaction rating, 0 (not at all) to 10 (completely)",
                 "score 0-10", "April 2020 to March 2021", "Average life satisfaction ratings", "202021",
                 value_range=(0, 10), direction=HIGHER_IS_HEALTHIER,
                 northamptonshire=NORTHAMPTONSHIRE_OWN + " Empty for Oadby and Wigston, Boston, Corby, the "
                 "City of London and the Isles of Scilly, which the source does not list."),
    _subnational(
        "cvd_mortality_u75_preventable",
        "Under-75 mortality rate from cardiovascular diseases considered preventable, directly age-standardised",
        "per 100,000", "2016 to 2018",
        "Under 75 mortality rate from cardiovascular diseases considered preventable (per 100,000 population)",
        "201618", note="England only.", geography=LAD2021_ENGLAND, direction=HIGHER_IS_WORSE,
        northamptonshire=NORTHAMPTONSHIRE_OWN + " Empty for the City of London and the Isles of Scilly "
        "(not listed).",
    ),
    *HEALTH_INDEX_INDICATORS,
    _imd(
        "imd2019_health_score", "Health", "Health Deprivation and Disability - Average score",
        "IMD 2019 health deprivation and disability domain, population-weighted average score "
        "(higher = more deprived; premature death, ill health and disability)", "score",
        direction=HIGHER_IS_WORSE,
    ),
]
