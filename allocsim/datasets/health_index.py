"""The ONS Health Index for England by district: overall and domain scores, and three indicators.

The Health Index (ONS, 2021 edition) scores every English lower-tier authority from 56 indicators
in three domains, England 2015 = 100, higher is healthier. It is published on LAD 2021 codes, so
Northamptonshire's seven 2020 districts take their 2021 successor unitary's value (flagged), and
ONS combines the City of London with Hackney and the Isles of Scilly with Cornwall (flagged proxy).
"""

from __future__ import annotations

from functools import lru_cache, partial
from pathlib import Path

import pandas as pd

from allocsim.datasets import geography, sources
from allocsim.datasets.indicator import HIGHER_IS_HEALTHIER, HIGHER_IS_WORSE, Indicator

FLAG = "health_index_geography"
GEOGRAPHY = "lower-tier local authorities on LAD 2021 codes (England only)"
ACCEPT = frozenset({geography.OWN, geography.OWN_RECODED, geography.SUCCESSOR, geography.PROXY})
BORROWED = ("Northamptonshire's seven districts take their 2021 successor unitary's value; the City of "
            "London and the Isles of Scilly, which ONS combines with Hackney and Cornwall, take "
            "theirs; see health_index_geography.")
SCORE_UNIT = "index score (England 2015 = 100)"
SCORE_RANGE = (0.0, 200.0)  # a generous bound: district scores lie within about 69-131

# Column stem, raw column of england_health_index.csv, and what the score covers.
SCORES = [
    ("health_index", "overall_score", "Health Index overall score (56 indicators in three domains)"),
    ("health_index_people", "healthy_people_domain_score",
     "Health Index 'Healthy People' domain score (health outcomes: mortality, physical and mental "
     "health conditions, difficulties in daily life, personal well-being)"),
    ("health_index_lives", "healthy_lives_domain_score",
     "Health Index 'Healthy Lives' domain score (behavioural and physiological risk factors, "
     "children and young people, protective measures)"),
    ("health_index_places", "healthy_places_domain_score",
     "Health Index 'Healthy Places' domain score (access to green space and services, crime, "
     "economic and working conditions, living conditions)"),
]
# 2019 is the last index year before the pandemic, 2021 the latest.
YEARS = {2019: "before the pandemic", 2021: "the latest index year"}


@lru_cache(maxsize=2)
def _table(path: Path) -> pd.DataFrame:
    # Each file serves several columns; read it once per build.
    return pd.read_csv(path, dtype={"ltla21_code": str})


def read_score(column: str, year: int, raw: Path) -> pd.Series:
    """One score column of ``england_health_index.csv`` for one year, by LAD 2021 code."""
    table = _table(sources.raw_file(raw, "health_index"))
    picked = table[table["year"] == year]
    return sources.unique_by_code(picked["ltla21_code"], picked[column], f"Health Index {column} {year}")


def read_indicator(indicator: str, year: int, raw: Path) -> pd.Series:
    """One of the 56 indicators of ``england_health_index_indicators.csv`` for one year."""
    table = _table(sources.raw_file(raw, "health_index_indicators"))
    picked = table[(table["indicator"] == indicator) & (table["year"] == year)]
    return sources.unique_by_code(picked["ltla21_code"], picked["value"], f"Health Index {indicator} {year}")


def _score(stem: str, column: str, what: str, year: int) -> Indicator:
    return Indicator(
        name=f"{stem}_{year}", description=f"{what}, {year} ({YEARS[year]})", unit=SCORE_UNIT,
        period=f"{year} (Health Index year: each indicator's latest data for that year)",
        source="health_index", geography=GEOGRAPHY, read=partial(read_score, column, year),
        derivation="Published score, unchanged. " + BORROWED, flag=FLAG, value_range=SCORE_RANGE,
        accept=ACCEPT, direction=HIGHER_IS_HEALTHIER,
    )


def _indicator(name: str, raw_name: str, description: str, unit: str, direction: str,
               value_range: tuple[float, float]) -> Indicator:
    return Indicator(
        name=name, description=description, unit=unit,
        period="2019 (Health Index year: the indicator's latest data for that year)",
        source="health_index_indicators", geography=GEOGRAPHY, read=partial(read_indicator, raw_name, 2019),
        derivation=f"The Health Index indicator '{raw_name}' for 2019, in its own unit before ONS's "
        "scaling to index points (as the raw copy holds it; not checked against the ONS workbook). "
        + BORROWED, flag=FLAG, value_range=value_range, accept=ACCEPT, direction=direction,
    )


HEALTH_INDEX_INDICATORS: list[Indicator] = [
    *[_score(stem, column, what, year) for year in YEARS for stem, column, what in SCORES],
    _indicator("health_index_life_expectancy_2019", "Life expectancy",
               "Life expectancy at birth, as used in the Health Index (the raw copy does not "
               "split it by sex)", "years", HIGHER_IS_HEALTHIER, (40.0, 100.0)),
    _indicator("health_index_avoidable_mortality_2019", "Avoidable mortality",
               "Avoidable mortality rate (deaths from causes considered avoidable), as used in the "
               "Health Index", "per 100,000", HIGHER_IS_WORSE, (0.0, 5000.0)),
    _indicator("health_index_all_cause_mortality_2019", "Mortality from all causes",
               "Mortality rate from all causes, as used in the Health Index", "per 100,000",
               HIGHER_IS_WORSE, (0.0, 5000.0)),
]
