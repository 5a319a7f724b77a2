"""NHS geographies of each area: its Integrated Care Board (England) or Local Health Board (Wales).

England's 42 ICBs (July 2022) are built from LSOAs, and 12 districts straddle two of them, so a
district is assigned to the ICB holding most of its LSOAs, with that share and a flag. Wales's
7 Local Health Boards contain whole councils. The raw data have no Scottish health boards.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allocsim.datasets import sources
from allocsim.datasets.added import AddedColumns
from allocsim.datasets.health_geography_meta import column_meta
from allocsim.errors import DataError

WHOLE, MAJORITY, TIE = "whole", "majority", "tie"


def build_health_geography(table: pd.DataFrame, spine: pd.DataFrame, raw: Path) -> AddedColumns:
    """The NHS geography columns: each English area's ICB (with its LSOA share and a flag), each Welsh area's
    Local Health Board, and ``icb_or_health_board``; refuses a health board lookup that does not cover exactly
    the Welsh councils."""
    england = table[table["country"] == "England"]
    lsoas = read_lsoa_icb(raw)
    lsoas["code"] = lsoa_districts(lsoas, england["name"])
    icb = icb_by_district(lsoas).reindex(table.index)
    boards = read_health_boards(raw).reindex(table.index)
    wales = table["country"] == "Wales"
    if boards.loc[wales, "health_board_code"].isna().any() or boards.loc[~wales].notna().any().any():
        raise DataError("Welsh health boards: the lookup does not cover exactly the 22 Welsh councils")
    values = pd.concat([icb, boards], axis=1)
    values["icb_or_health_board"] = values["icb_name"].fillna(values["health_board_name"])
    report = [_icb_line(values.loc[england.index].assign(name=england["name"]), len(lsoas)),
              f"ons_lhb_lookup: {wales.sum()} Welsh councils in {boards['health_board_code'].nunique()} "
              "Local Health Boards; no Scottish health boards in the raw data",
              _combined_authority_check(table, raw)]
    return AddedColumns(values, column_meta(), report)


def read_lsoa_icb(raw: Path) -> pd.DataFrame:
    """The ONS LSOA-to-ICB lookup (July 2022), as text: each LSOA 2011's name and code, its ICB's code and
    name, and its 2022 district code."""
    table = pd.read_csv(sources.raw_file(raw, "ons_icb_lookup"), dtype=str)
    return table[["lsoa11_name", "lsoa11_code", "icb22_code", "icb22_name", "ltla22_code"]].copy()


def lsoa_districts(lsoas: pd.DataFrame, names: pd.Series) -> pd.Series:
    """Each LSOA's LAD 2020 area: its 2022 district where that existed in 2020; otherwise (the
    seven Northamptonshire districts, merged in 2021) the district named in the LSOA 2011 name,
    which is '<district name> <number><letter>'."""
    code = lsoas["ltla22_code"].where(lsoas["ltla22_code"].isin(names.index))
    by_name = {name: c for c, name in names.items()}
    named = lsoas["lsoa11_name"].str.rsplit(" ", n=1).str[0].map(by_name)
    code = code.fillna(named)
    if code.isna().any():
        example = lsoas.loc[code.isna(), "lsoa11_name"].iloc[0]
        raise DataError(f"ICB lookup: LSOAs with no LAD 2020 area, e.g. {example}")
    missing = sorted(set(names.index) - set(code))
    if missing:
        raise DataError(f"ICB lookup: no LSOA in {', '.join(missing)}")
    return code


def icb_by_district(lsoas: pd.DataFrame) -> pd.DataFrame:
    """The ICB holding most of each district's LSOAs (a tie goes to the lower ICB code), the
    share of its LSOAs there (%), and whether it lies wholly in one ICB."""
    counts = lsoas.groupby(["code", "icb22_code", "icb22_name"]).size().rename("lsoas").reset_index()
    counts = counts.sort_values(["code", "lsoas", "icb22_code"], ascending=[True, False, True])
    counts["place"] = counts.groupby("code").cumcount()
    first = counts[counts["place"] == 0].set_index("code")
    runner_up = counts[counts["place"] == 1].set_index("code")["lsoas"].reindex(first.index)
    total = counts.groupby("code")["lsoas"].sum()
    flag = pd.Series(WHOLE, index=first.index).mask(runner_up.notna(), MAJORITY)
    flag = flag.mask(runner_up == first["lsoas"], TIE)
    return pd.DataFrame({
        "icb_code": first["icb22_code"], "icb_name": first["icb22_name"],
        "icb_lsoa_share": (100 * first["lsoas"] / total).round(1), "icb_geography": flag,
    })


def read_health_boards(raw: Path) -> pd.DataFrame:
    """The Welsh Local Health Board (2022) of each council, as ``health_board_code`` and ``health_board_name``
    indexed by LAD 2021 code."""
    table = pd.read_csv(sources.raw_file(raw, "ons_lhb_lookup"), dtype=str).set_index("ltla21_code")
    return table.rename(columns={"lhb22_code": "health_board_code", "lhb22_name": "health_board_name"})[
        ["health_board_code", "health_board_name"]]


def _icb_line(england: pd.DataFrame, lsoas: int) -> str:
    straddle = england[england["icb_geography"] != WHOLE]
    ties = england[england["icb_geography"] == TIE]
    shares = ", ".join(f"{n} {s:g}%" for n, s in zip(straddle["name"], straddle["icb_lsoa_share"]))
    return (f"ons_icb_lookup: {lsoas} LSOAs -> {len(england)} English areas in "
            f"{england['icb_code'].nunique()} ICBs; {len(straddle)} straddle two ICBs, assigned by "
            f"majority of LSOAs ({shares})"
            + "".join(f"; {n} tied, assigned to the lower ICB code, {c} {i}" for n, c, i in
                      zip(ties["name"], ties["icb_code"], ties["icb_name"])))


def _combined_authority_check(table: pd.DataFrame, raw: Path) -> str:
    lookup = pd.read_csv(sources.raw_file(raw, "ons_cauth_lookup"), dtype=str).set_index("ltla20_code")
    ons = lookup["cauth20_code"].reindex(table.index)
    differ = table.index[ons.fillna("") != table["combined_authority_code"].fillna("")]
    return (f"ons_cauth_lookup (December 2020): {ons.notna().sum()} areas in {ons.nunique()} combined "
            f"authorities; combined_authority (mySociety, 3 March 2021) differs for "
            f"{', '.join(differ) if len(differ) else 'none'}")
