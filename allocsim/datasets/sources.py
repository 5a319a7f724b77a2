"""Readers for the raw public files in ``../shared/data/raw``.

Each reader returns a small tidy pandas object keyed by GSS code; none of them changes a value.
Publication details for every source live in :data:`SOURCES`, which the metadata file repeats.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from allocsim.errors import DataError

OGL = "Open Government Licence v3.0"


@dataclass(frozen=True)
class Source:
    """One raw public file: its key in :data:`SOURCES`, publication, publisher, licence, path under the raw
    data folder and web address."""

    key: str
    publication: str
    publisher: str
    licence: str
    raw_path: str  # relative to the raw data folder
    url: str = ""


SOURCES: dict[str, Source] = {
    s.key: s
    for s in [
        Source(
            "mye2019",
            "Population estimates for the UK, England and Wales, Scotland and Northern Ireland: "
            "mid-2019, using April 2020 local authority district codes (MYE2 - Persons)",
            "Office for National Statistics",
            OGL,
            "ons_mid_year_population_2019/ukmidyearestimates20192020ladcodes.xls",
            "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/"
            "populationestimates/datasets/populationestimatesforukenglandandwalesscotlandandnorthernireland",
        ),
        Source(
            "gdp_deflator",
            "GDP at market prices: implied deflator, seasonally adjusted (series YBGB, UKEA release "
            "of 30 June 2025; 2022 = 100)",
            "Office for National Statistics",
            OGL,
            "ons_gdp_deflator/ybgb_gdp_deflator.csv",
            "https://www.ons.gov.uk/economy/grossdomesticproductgdp/timeseries/ybgb/ukea",
        ),
        Source(
            "luf_r1",
            "Levelling Up Fund: list of local authorities by priority category (March 2021)",
            "HM Treasury, MHCLG and DfT",
            OGL,
            "luf_round1_priority_categories/luf_round1_priority_categories.csv",
            "https://www.gov.uk/government/publications/levelling-up-fund-prospectus",
        ),
        Source(
            "hle_2026",
            "Health state life expectancies, UK: between 2011 to 2013 and 2022 to 2024 "
            "(released 19 February 2026; Explore Local Statistics tidy copy)",
            "Office for National Statistics",
            OGL,
            "ons_healthy_life_expectancy/healthy-life-expectancy.csv",
            "https://www.ons.gov.uk/peoplepopulationandcommunity/healthandsocialcare/"
            "healthandlifeexpectancies/bulletins/healthstatelifeexpectanciesuk/previousreleases",
        ),
        Source(
            "subnational_2022",
            "Subnational indicators explorer, machine-readable download (update of 25 August 2022)",
            "Office for National Statistics (compiling ONS, DfT, OHID and other official statistics)",
            OGL,
            "ons_subnational_indicators_2022/machine_readable.csv",
            "https://www.ons.gov.uk/peoplepopulationandcommunity/wellbeing/articles/"
            "subnationalindicatorsexplorer/2022-01-06",
        ),
        Source(
            "els_gva",
            "Regional and subregional labour productivity, UK (release 19 June 2025; "
            "Explore Local Statistics tidy copy)",
            "Office for National Statistics",
            OGL,
            "ons_local_indicators/gross-value-added.csv",
            # the raw file's own metadata (gross-value-added.json, sourceURL)
            "https://www.ons.gov.uk/economy/economicoutputandproductivity/productivitymeasures/bulletins/"
            "regionalandsubregionallabourproductivityuk/previousreleases",
        ),
        Source(
            "els_unemployment",
            "LI01 Regional labour market: local indicators for counties, local and unitary "
            "authorities, model-based unemployment (Explore Local Statistics tidy copy)",
            "Office for National Statistics",
            OGL,
            "ons_local_indicators/modelled-unemployment.csv",
            # the raw file's own metadata (modelled-unemployment.json, sourceURL)
            "https://www.ons.gov.uk/employmentandlabourmarket/peopleinwork/employmentandemployeetypes/datasets/"
            "li01regionallabourmarketlocalindicatorsforcountieslocalandunitaryauthorities",
        ),
        Source(
            "els_travel",
            "Journey time statistics (JTS), travel time to employment centres "
            "(Explore Local Statistics tidy copy)",
            "Department for Transport",
            OGL,
            "ons_local_indicators/average-travel-time.csv",
            "https://www.gov.uk/government/statistical-data-sets/journey-time-statistics-data-tables-jts",
        ),
        Source(
            "els_inactivity",
            "Annual Population Survey: economic inactivity due to long-term sickness "
            "(Explore Local Statistics tidy copy)",
            "Office for National Statistics",
            OGL,
            "ons_local_indicators/economically-inactive-due-to-long-term-sickness.csv",
        ),
        Source(
            "imd2019",
            "English indices of deprivation 2019, File 10: local authority district summaries",
            "Ministry of Housing, Communities & Local Government",
            OGL,
            "iod2019_lad_summaries/File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx",
            "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019",
        ),
        Source(
            "ons_region_lookup",
            "Local Authority District to Region (April 2021) Lookup in England",
            "Office for National Statistics (Open Geography Portal)",
            OGL,
            "la_lookups/Local_Authority_District_to_Region_April_2021_Lookup_in_England.csv",
        ),
        Source(
            "ons_county_lookup",
            "Local Authority District to County (April 2021) Lookup in England",
            "Office for National Statistics (Open Geography Portal)",
            OGL,
            "la_lookups/Local_Authority_District_to_County_April_2021_Lookup_in_England.csv",
        ),
        Source(
            "mysociety",
            "UK local authority names and codes (data package v1.6.1)",
            "mySociety (from ONS and GOV.UK registers)",
            "CC BY 4.0 (underlying official codes: " + OGL + ")",
            "la_lookups/mysociety_uk_local_authorities.csv",
            "https://github.com/mysociety/uk_local_authority_names_and_codes",
        ),
        Source(
            "health_index",
            "Health Index scores, England, 2015 to 2021 (2021 edition): overall and domain scores "
            "for lower-tier local authorities",
            "Office for National Statistics",
            OGL,
            "ons_health_index_ltla/england_health_index.csv",
            "https://github.com/humaniverse/healthyr",
        ),
        Source(
            "health_index_indicators",
            "Health Index scores, England, 2015 to 2021 (2021 edition): indicator values for "
            "lower-tier local authorities",
            "Office for National Statistics",
            OGL,
            "ons_health_index_ltla/england_health_index_indicators.csv",
            "https://github.com/humaniverse/healthyr",
        ),
        Source(
            "luf_outcomes_r1",
            "Levelling Up Fund: first round successful bidders (October 2021); district codes "
            "added by Open Innovations",
            "Department for Levelling Up, Housing and Communities (district codes: Open Innovations)",
            OGL,
            "luf_outcomes/levelling-up-fund-round-1.csv",
            "https://github.com/open-innovations/true-north",
        ),
        Source(
            "luf_outcomes_r2",
            "Levelling Up Fund round 2: successful bids (January 2023); district codes added by "
            "Open Innovations",
            "Department for Levelling Up, Housing and Communities (district codes: Open Innovations)",
            OGL,
            "luf_outcomes/levelling-up-fund-round-2.csv",
            "https://github.com/open-innovations/true-north",
        ),
        Source(
            "ons_icb_lookup",
            "LSOA (2011) to Sub Integrated Care Board Location to Integrated Care Board to LAD "
            "(July 2022) Lookup in England",
            "Office for National Statistics (Open Geography Portal)",
            OGL,
            "la_health_geography/lookup_lsoa11_sicbl22_icb22_ltla22.csv",
            "https://github.com/humaniverse/geographr",
        ),
        Source(
            "ons_lhb_lookup",
            "Local Authority District (2021) to Local Health Board (2022) Lookup in Wales",
            "Office for National Statistics (Open Geography Portal)",
            OGL,
            "la_health_geography/lookup_ltla21_lhb22_wales.csv",
            "https://github.com/humaniverse/geographr",
        ),
        Source(
            "ons_cauth_lookup",
            "Local Authority District to Combined Authority (December 2020) Lookup in England",
            "Office for National Statistics (Open Geography Portal)",
            OGL,
            "la_health_geography/lookup_ltla20_cauth20.csv",
            "https://github.com/humaniverse/geographr",
        ),
        Source(
            "mye2019_density",
            "Population estimates for the UK, England and Wales, Scotland and Northern Ireland: "
            "mid-2019, using April 2020 local authority district codes (MYE 5: population density)",
            "Office for National Statistics",
            OGL,
            "ons_mid_year_population_2019/ukmidyearestimates20192020ladcodes.xls",
            "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/"
            "populationestimates/datasets/populationestimatesforukenglandandwalesscotlandandnorthernireland",
        ),
    ]
}

_LOWER_TIER_TYPES = {
    "Non-metropolitan District",
    "Unitary Authority",
    "Metropolitan District",
    "London Borough",
    "Council Area",
}


def raw_file(raw: Path, key: str) -> Path:
    """The raw file of source ``key``, refused with a :class:`DataError` when absent."""
    path = raw / SOURCES[key].raw_path
    if not path.is_file():
        raise DataError(f"raw source file not found: {path}")
    return path


def read_mye_spine(raw: Path) -> pd.DataFrame:
    """GB lower-tier councils on LAD 2020 codes, with region and county read off the row order.

    ``MYE2 - Persons`` lists each region, then its unitaries, each county followed by its
    districts, and each metropolitan county followed by its districts; Scotland and Wales follow
    their country rows. Walking the rows in order recovers that hierarchy exactly.
    """
    table = pd.read_excel(
        raw_file(raw, "mye2019"), sheet_name="MYE2 - Persons", header=4, usecols=[0, 1, 2, 3],
        engine="calamine",
    )
    rows, country, region, county, metropolitan = [], None, None, None, None
    for code, name, geography, population in table.itertuples(index=False):
        if not isinstance(code, str):
            continue
        if geography == "Country" and code[0] in "EWSN":
            country = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}[code[0]]
            region = None
        elif geography == "Region":
            region, county = code, None
        elif geography in {"County", "Metropolitan County"}:
            county = (code, name) if geography == "County" else None
            metropolitan = code if geography == "Metropolitan County" else None
        elif geography in {"Unitary Authority", "London Borough"}:
            county = None
        if geography in _LOWER_TIER_TYPES and country != "Northern Ireland":
            upper = county if geography == "Non-metropolitan District" else (code, name)
            rows.append(
                {
                    "code": code, "name": name, "country": country, "region_code": region,
                    "upper_tier_code": upper[0], "upper_tier_name": upper[1],
                    "population_2019": int(population), "lad_type": geography,
                    "metropolitan_county_code": metropolitan if geography == "Metropolitan District" else None,
                }
            )
    return pd.DataFrame(rows)


def read_region_names(raw: Path) -> dict[str, str]:
    """English region names by code, from the ONS LAD-to-region lookup (April 2021)."""
    table = pd.read_csv(raw_file(raw, "ons_region_lookup"), encoding="utf-8-sig", dtype=str)
    return dict(zip(table["RGN21CD"], table["RGN21NM"]))


def read_county_lookup(raw: Path) -> pd.DataFrame:
    """ONS LAD-to-county lookup (April 2021): ``LAD21CD, CTY21CD``, used as a cross-check."""
    return pd.read_csv(raw_file(raw, "ons_county_lookup"), encoding="utf-8-sig", dtype=str)


def read_luf_r1(raw: Path) -> pd.DataFrame:
    """The official round 1 list: ``Country, Name, Priority category`` for 368 places."""
    table = pd.read_csv(raw_file(raw, "luf_r1"))
    return table.rename(
        columns={"Country": "country", "Name": "luf_name", "Priority category": "category"}
    )


def read_mysociety(raw: Path) -> pd.DataFrame:
    """mySociety's register of UK local authority names and codes, every column as text."""
    return pd.read_csv(raw_file(raw, "mysociety"), dtype=str)


def read_els(raw: Path, key: str, indicator: str, period: str) -> pd.Series:
    """One indicator and period from an Explore Local Statistics long file, by area code."""
    table = pd.read_csv(raw_file(raw, key), dtype={"areacd": str})
    picked = table[(table["indicator"] == indicator) & (table["period"] == period)]
    return unique_by_code(picked["areacd"], picked["observation"], f"{key} {indicator} {period}")


def read_els_inactivity(raw: Path, year: int) -> pd.Series:
    """The older-format ELS file on inactivity due to long-term sickness, one year."""
    table = pd.read_csv(raw_file(raw, "els_inactivity"), dtype={"AREACD": str})
    picked = table[table["Period"] == year]
    return unique_by_code(picked["AREACD"], picked["Observation"], f"inactivity {year}")


def read_subnational(raw: Path, indicator: str, period: str) -> pd.Series:
    """One indicator from the ONS subnational indicators explorer (Windows-1252, 2-line note)."""
    table = pd.read_csv(
        raw_file(raw, "subnational_2022"), encoding="cp1252", skiprows=2,
        dtype={"AREACD": str, "Period": str},
    )
    picked = table[(table["Indicator"] == indicator) & (table["Period"] == period)]
    if picked.empty:
        raise DataError(f"subnational indicators: no rows for {indicator!r} in period {period!r}")
    return unique_by_code(picked["AREACD"], picked["Value"], indicator)


def read_imd(raw: Path, sheet: str, column: str) -> pd.Series:
    """One column of an IoD2019 File 10 sheet, by LAD 2019 code (column names are stripped)."""
    table = pd.read_excel(raw_file(raw, "imd2019"), sheet_name=sheet, engine="calamine")
    table.columns = [c.strip() for c in table.columns]
    return unique_by_code(table["Local Authority District code (2019)"], table[column], sheet)


def unique_by_code(codes: pd.Series, values: pd.Series, what: str) -> pd.Series:
    """``values`` as numbers (NaN where not a number) indexed by ``codes``, one per code; a code repeated with
    the same value is kept once, with different values refused, naming ``what``."""
    series = pd.Series(pd.to_numeric(values, errors="coerce").to_numpy(), index=codes.to_numpy())
    duplicated = series.index[series.index.duplicated()]
    for code in duplicated.unique():
        if series.loc[code].nunique(dropna=False) > 1:
            raise DataError(f"{what}: area {code} has conflicting values")
    return series[~series.index.duplicated()]


def read_mye5(raw: Path) -> pd.DataFrame:
    """Sheet ``MYE 5`` (density): ``area_km2``, ONS's ``ons_density_2019`` and mid-year populations
    ``population_<year>`` (2001-2019) by LAD 2020 code. ONS gives the area in whole square
    kilometres and the density, computed from the unrounded area, in whole persons per km2."""
    table = pd.read_excel(raw_file(raw, "mye2019_density"), sheet_name="MYE 5", header=4, engine="calamine")
    table = table[table["Code"].apply(lambda c: isinstance(c, str))].set_index("Code")
    renamed = {"Area (sq km)": "area_km2", "2019 people per sq. km": "ons_density_2019"}
    renamed.update({c: f"population_{c[-4:]}" for c in table.columns if c.startswith("Estimated Population mid-")})
    if len(renamed) < 3 or not {"Area (sq km)", "2019 people per sq. km"} <= set(table.columns):
        raise DataError("MYE 5: expected 'Area (sq km)', '2019 people per sq. km' and 'Estimated "
                        "Population mid-YYYY' columns")
    return table.rename(columns=renamed)[list(renamed.values())]
