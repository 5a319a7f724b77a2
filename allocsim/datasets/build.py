"""Rebuild the embedded dataset from the raw public files.

    python -m allocsim.datasets.build [--raw ../shared/data/raw] [--out datasets]

Reads only ``--raw``, writes ``gb_local_authorities_2020.csv`` and its ``.meta.json`` into
``--out`` (both replaced only when complete), and prints a reconciliation: how many areas each
source matched, how (own value, upper tier, successor) and what it left unmatched.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pandas as pd

from allocsim.datasets import deflator, geography, sources
from allocsim.datasets.awards import build_awards
from allocsim.datasets.boundaries import boundaries_json, build_boundaries
from allocsim.datasets.catalogue import INDICATORS, Indicator
from allocsim.datasets.density import build_density
from allocsim.datasets.district_hle import build_district_hle
from allocsim.datasets.health_geography import build_health_geography
from allocsim.datasets.metadata import dataset_metadata, indicator_meta
from allocsim.errors import AllocsimError, DataError
from allocsim.io import atomic_write_text
from allocsim.paths import BOUNDARIES_NAME, DATASET_NAME, datasets_dir
from allocsim.version import __version__

LUF_DATE = "2021-03-03"  # publication of the LUF prospectus and the round 1 list
# Steps that add columns beyond the plain indicators, in column order; each takes the table so
# far, the MYE spine and the raw folder, and returns an AddedColumns.
STEPS = [build_district_hle, build_awards, build_health_geography, build_density]

IDENTITY_COLUMNS: dict[str, dict] = {
    "code": dict(
        description="GSS code of the lower-tier council (LAD 2020)", unit="code", source="mye2019",
        derivation="The 368 GB lower-tier councils of April 2020, the LUF round 1 geography.",
    ),
    "name": dict(description="Council area name (ONS spelling)", unit="text", source="mye2019"),
    "country": dict(description="England, Scotland or Wales", unit="text", source="mye2019"),
    "region": dict(
        description="English region; the nation for Scotland and Wales", unit="text",
        source="ons_region_lookup",
        derivation="Region code from the row order of MYE2, name from the ONS lookup.",
    ),
    "upper_tier_code": dict(
        description="GSS code of the upper tier: the county for a shire district, otherwise "
        "the area itself (April 2020)", unit="code", source="mye2019",
        derivation="Read off the MYE2 row order (each county is followed by its districts); "
        "cross-checked against the ONS LAD-to-county lookup (April 2021).",
    ),
    "upper_tier_name": dict(description="Name of the upper tier", unit="text", source="mye2019"),
    "combined_authority_code": dict(
        description="GSS code of the combined authority the area belonged to on 3 March 2021",
        unit="code", source="mysociety", period="3 March 2021",
        derivation="mySociety membership, keeping only combined authorities established by "
        "3 March 2021 (the LUF prospectus). Empty where the area was in none; the Greater "
        "London Authority is not a combined authority.",
    ),
    "combined_authority": dict(
        description="Name of that combined authority", unit="text", source="mysociety",
        period="3 March 2021",
    ),
    "population_2019": dict(
        description="Usual resident population, all ages, mid-2019", unit="persons",
        source="mye2019", period="30 June 2019",
    ),
    "luf_r1_category": dict(
        description="Levelling Up Fund round 1 priority category (1 = highest need)",
        unit="category 1-3", source="luf_r1", period="March 2021",
        derivation="Matched by name within country to the LAD 2020 areas; spellings that "
        "differ are resolved by datasets/luf_name_aliases.csv.",
    ),
}


def default_raw_dir() -> Path:
    """The raw public files the build reads when given no folder: ``../shared/data/raw`` from the repository's
    root, in the folder that holds the repository."""
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"


def build(raw: Path, repo_datasets: Path) -> tuple[pd.DataFrame, dict, list[str]]:
    """The tidy table, its metadata and the reconciliation lines."""
    report: list[str] = []
    spine = sources.read_mye_spine(raw)
    report.append(f"mye2019: {len(spine)} GB lower-tier councils on LAD 2020 codes "
                  f"({_counts(spine['country'])})")
    table = _identity(spine, raw, repo_datasets, report)
    links = pd.concat(
        [geography.links_from_mysociety(sources.read_mysociety(raw)),
         geography.read_links(repo_datasets / "geography_links.csv")[["code", "linked_code", "relation"]]],
        ignore_index=True,
    )
    counties = spine.set_index("code")["upper_tier_code"].where(
        spine.set_index("code")["lad_type"] == "Non-metropolitan District"
    )
    chains = {code: geography.candidate_codes(code, _or_none(county), links)
              for code, county in counties.items()}
    columns = dict(IDENTITY_COLUMNS)
    for indicator in INDICATORS:
        columns.update(_add_indicator(table, indicator, chains, raw, report))
    top_level = _add_steps(table, spine, raw, columns, report)
    return table, dataset_metadata(table, columns, top_level), report


def _add_steps(table: pd.DataFrame, spine: pd.DataFrame, raw: Path, columns: dict, report: list[str]) -> dict:
    """Run each of STEPS on the table so far, adding its columns, metadata and report lines;
    returns the entries they give for the metadata file's top level."""
    top_level: dict = {}
    for step in STEPS:
        added = step(table, spine, raw)
        for column in added.values.columns:
            table[column] = added.values[column]
        columns.update(added.meta)
        report += added.report
        top_level.update(added.top_level)
    return top_level


def _identity(spine: pd.DataFrame, raw: Path, repo_datasets: Path, report: list[str]) -> pd.DataFrame:
    table = spine.set_index("code", drop=False)
    regions = sources.read_region_names(raw)
    table["region"] = [regions[r] if c == "England" else c
                       for r, c in zip(table["region_code"], table["country"])]
    _check_counties(table, sources.read_county_lookup(raw), report)
    register = sources.read_mysociety(raw)
    ca_code, ca_name = _combined_authorities(table.index, register)
    table["combined_authority_code"], table["combined_authority"] = ca_code, ca_name
    report.append(f"mysociety: {ca_code.notna().sum()} areas in {ca_code.nunique()} combined "
                  f"authorities existing on {LUF_DATE}")
    table["luf_r1_category"] = _luf_categories(table, raw, repo_datasets, report)
    keep = ["code", "name", "country", "region", "upper_tier_code", "upper_tier_name",
            "combined_authority_code", "combined_authority", "population_2019", "luf_r1_category"]
    return table[keep].copy()


def _check_counties(table: pd.DataFrame, lookup: pd.DataFrame, report: list[str]) -> None:
    official = dict(zip(lookup["LAD21CD"], lookup["CTY21CD"]))
    districts = table[table["upper_tier_code"] != table["code"]]
    compared = districts[districts["code"].isin(official)]
    differ = compared[compared["upper_tier_code"] != compared["code"].map(official)]
    if not differ.empty:
        raise DataError(f"county from MYE2 row order disagrees with the ONS lookup for "
                        f"{', '.join(differ['code'])}")
    report.append(f"ons_county_lookup: county agrees for {len(compared)} of {len(districts)} "
                  f"districts; {len(districts) - len(compared)} not in the 2021 lookup "
                  f"(Northamptonshire, abolished 2021)")


def _combined_authorities(codes: pd.Index, register: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    cas = register[(register["local-authority-type"] == "COMB")
                   & (register["start-date"] <= LUF_DATE)]
    ca_gss = dict(zip(cas["local-authority-code"], cas["gss-code"]))
    ca_name = dict(zip(cas["local-authority-code"], cas["official-name"]))
    member = dict(zip(register["gss-code"], register["combined-authority"]))
    short = pd.Series([member.get(code) for code in codes], index=codes)
    short = short.where(short.isin(list(ca_gss)))
    return short.map(ca_gss), short.map(ca_name)


def normalise_name(name: str) -> str:
    """``name`` for matching LUF place names with ONS names: casefolded, ``&`` as ``and``, commas and repeated
    spaces removed."""
    return " ".join(name.casefold().replace("&", "and").replace(",", " ").split())


def _luf_categories(table: pd.DataFrame, raw: Path, repo_datasets: Path, report: list[str]) -> pd.Series:
    luf = sources.read_luf_r1(raw)
    aliases = pd.read_csv(repo_datasets / "luf_name_aliases.csv", dtype=str)
    alias = {normalise_name(a): normalise_name(o) for a, o in zip(aliases["luf_name"], aliases["ons_name"])}
    key = {(c, normalise_name(n)): code for code, c, n in zip(table["code"], table["country"], table["name"])}
    category, unmatched = {}, []
    for row in luf.itertuples(index=False):
        name = normalise_name(row.luf_name)
        code = key.get((row.country, alias.get(name, name)))
        if code is None or code in category:
            unmatched.append(row.luf_name)
            continue
        category[code] = int(row.category)
    if unmatched or len(category) != len(table):
        missing = sorted(set(table["code"]) - set(category))
        raise DataError(f"LUF list: unmatched names {unmatched}; areas without a category {missing}; "
                        f"add spellings to luf_name_aliases.csv")
    report.append(f"luf_r1: {len(category)} of {len(luf)} names matched "
                  f"({len(aliases)} through the alias table); categories {_counts(pd.Series(category))}")
    return pd.Series(category).reindex(table.index).astype("Int64")


def _add_indicator(table: pd.DataFrame, indicator: Indicator, chains: dict, raw: Path,
                   report: list[str]) -> dict[str, dict]:
    series = indicator.read(raw)
    resolved = geography.resolve(series, chains, indicator.accept)
    table[indicator.name] = resolved["value"]
    flags = resolved["flag"]
    how = flags.value_counts().to_dict()
    unused = _unused_lower_tier_codes(series, resolved["used_code"])
    report.append(f"{indicator.name} [{indicator.source} {indicator.period}]: "
                  + ", ".join(f"{k} {how.get(k, 0)}" for k in geography.FLAGS if how.get(k))
                  + f", missing {resolved['value'].isna().sum()}"
                  + (f"; {len(unused)} GB district codes in the source unused" if unused else ""))
    _check_flag_claim(indicator, flagged=bool(set(how) - {geography.OWN}))
    meta = {indicator.name: indicator_meta(indicator)}
    if set(how) - {geography.OWN}:
        meta[indicator.name]["flag_column"] = indicator.flag_column
        meta.update(_add_flag(table, indicator, resolved))
    return meta


def _check_flag_claim(indicator: Indicator, flagged: bool) -> None:
    """Refuse a derivation text that the data contradicts about flagged (borrowed) values."""
    if "(flagged)" in indicator.derivation and not flagged:
        raise DataError(f"{indicator.name}: the derivation says values are flagged, but every value "
                        f"is the area's own; correct its text in catalogue.py")
    if "no flag column" in indicator.derivation and flagged:
        raise DataError(f"{indicator.name}: the derivation says there is no flag column, but some "
                        f"values are borrowed; correct its text in catalogue.py")


def _add_flag(table: pd.DataFrame, indicator: Indicator, resolved: pd.DataFrame) -> dict[str, dict]:
    column = indicator.flag_column
    if column in table and not table[column].fillna("").equals(resolved["flag"].fillna("")):
        raise DataError(f"{indicator.name}: geography differs from others sharing {column}")
    table[column] = resolved["flag"]
    meta = {column: dict(
        description="How the value(s) flagged here were matched to the area: "
        + "; ".join(f"'{k}' = {v}" for k, v in geography.FLAGS.items()),
        unit="flag", source=indicator.source, period="as the columns it describes",
        derivation="Empty where the value is missing.",
    )}
    if column == "hle_geography":
        table["hle_geography_code"] = resolved["used_code"]
        meta["hle_geography_code"] = dict(
            description="GSS code of the area whose HLE values (2026 release) are used",
            unit="code", source=indicator.source, period="as the HLE columns",
        )
    return meta


def _unused_lower_tier_codes(series: pd.Series, used: pd.Series) -> list[str]:
    prefixes = ("E06", "E07", "E08", "E09", "S12", "W06")
    used_codes = set(used.dropna())
    return sorted(c for c in series.index if c.startswith(prefixes) and c not in used_codes)


def write(table: pd.DataFrame, metadata: dict, boundaries: dict, out: Path) -> tuple[Path, Path]:
    """Write the areas CSV, its ``.meta.json`` and the boundaries file into ``out`` (each atomically); returns
    the CSV's and the metadata file's paths."""
    csv_path = out / f"{DATASET_NAME}.csv"
    meta_path = out / f"{DATASET_NAME}.meta.json"
    atomic_write_text(csv_path, table.to_csv(index=False, lineterminator="\n"))
    atomic_write_text(meta_path, json.dumps(metadata, indent=2, ensure_ascii=False) + "\n")
    atomic_write_text(out / BOUNDARIES_NAME, boundaries_json(boundaries))
    return csv_path, meta_path


def _counts(values: pd.Series) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(values.value_counts().items()))


def _or_none(value):
    return value if isinstance(value, str) else None


@click.command()
@click.option("--raw", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of raw public files (default: ../shared/data/raw beside the repo).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the CSV and metadata (default: the repo's datasets/).")
@click.version_option(__version__)
def main(raw: Path | None, out: Path | None) -> None:
    """Rebuild the embedded dataset and print a reconciliation."""
    raw = raw or default_raw_dir()
    repo_datasets = Path(__file__).resolve().parents[2] / "datasets"
    try:
        if not raw.is_dir():
            raise DataError(f"raw data folder not found: {raw}")
        table, metadata, report = build(raw, repo_datasets)
        boundaries = build_boundaries(raw, set(table["code"]))
        paths = write(table, metadata, boundaries, out or datasets_dir())
        prices = deflator.financial_years(deflator.read_quarters(raw))
        deflator.write(prices, out or datasets_dir())
        report.append(f"gdp_deflator: {len(prices)} financial years, {prices['financial_year'].iloc[0]} to "
                      f"{prices['financial_year'].iloc[-1]}")
    except AllocsimError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    click.echo("\n".join(report))
    click.echo(f"wrote {paths[0]} ({len(table)} rows, {len(table.columns)} columns) and {paths[1].name}")


if __name__ == "__main__":
    main()
