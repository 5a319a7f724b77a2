"""The money the Levelling Up Fund actually awarded, per LAD 2020 area, rounds 1 and 2.

DLUHC published each successful bid with its lead applicant and value; Open Innovations added
the districts each bid covers (``LADs``, LAD 2023 codes). A bid on one 2020 area is that area's.
A successor code (a district merged after 2020) maps back to the 2020 district whose name leads
the bid, or, for a bid led by a county (:data:`PLACED`), to the district where the raw data's
provenance places the project. A bid listing several districts (led by a county, a combined authority or another body
covering several) has no official split: it is shared among them by mid-2019 population and
flagged ``attributed``. Northern Ireland's bids are outside the GB table and reported apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from allocsim.datasets import geography, sources
from allocsim.datasets.added import AddedColumns
from allocsim.datasets.awards_meta import BY_LEAD, BY_PLACE, ROUNDS, column_meta, reconciliation, top_level
from allocsim.errors import DataError

OWN = "own"
ATTRIBUTED = "attributed"
NORTHERN_IRELAND = "N"
# Bids listed under a successor code whose lead names no single 2020 district, placed where the project lies.
# luf_outcomes/PROVENANCE.md: Open Innovations recoded "Sedgemoor and round 1's 'Somerset' bid (Bridgwater)"
# to E06000066; the bid is Somerset County Council's Bridgwater Northern Corridor, and Bridgwater is in
# Sedgemoor (E07000188). Shared by population it had put £7.9m in Mendip, South Somerset and Taunton.
PLACED = {("r1", "Bridgwater Northern Corridor (Transport Infrastructure Improvement)"): "E07000188"}


@dataclass(frozen=True)
class Bid:
    """One successful LUF bid: its lead applicant, value in whole pence (cash, as announced), the district
    codes listed (LAD 2023), the LAD 2020 areas it is placed on (none for Northern Ireland) and how it was
    placed."""

    lead: str
    pence: int
    codes: tuple[str, ...]  # as listed (LAD 2023)
    areas: tuple[str, ...]  # LAD 2020 areas it is attributed to; empty for Northern Ireland
    how: str  # 'own', BY_LEAD, BY_PLACE, 'shared by population' or 'Northern Ireland'


def read_bids(raw: Path, round_key: str) -> pd.DataFrame:
    """``lead, pence, codes, country, bid`` for every successful bid of a round, values unchanged
    (``country`` as DLUHC gives it in round 2; empty in round 1, which has none; ``bid`` its name)."""
    spec = ROUNDS[round_key]
    table = pd.read_csv(sources.raw_file(raw, spec["source"]), dtype=str)
    return pd.DataFrame({
        "lead": table[spec["lead"]].str.rstrip("*").str.strip(),
        "pence": [int(round(float(v) * 100)) for v in table["Bid Value"]],
        "codes": [tuple(c.strip() for c in v.split(";") if c.strip()) for v in table["LADs"]],
        "country": table["Country"] if "Country" in table else None,
        "bid": table["Bid Name"].str.strip(),
    })


def build_awards(table: pd.DataFrame, spine: pd.DataFrame, raw: Path) -> AddedColumns:
    """The award columns of rounds 1 and 2 (``luf_r1_award_gbp``, ``luf_r1_bids``,
    ``luf_r1_award_attribution``, the same for ``r2``), in cash pounds, with their metadata; refuses a round
    whose bids do not add up to the announced total."""
    predecessors = _predecessors(sources.read_mysociety(raw), set(table.index))
    population = table["population_2019"]
    values, report, bids_by_round = {}, [], {}
    for key in ROUNDS:
        listed = read_bids(raw, key)
        bids = [_attribute(row, population.index, predecessors, table["name"], PLACED.get((key, row.bid)))
                for row in listed.itertuples(index=False)]
        _check_total(key, bids)
        _check_countries(listed["country"], bids, table["country"])
        columns = _per_area(bids, population)
        values.update({f"luf_{key}_{name}": column for name, column in columns.items()})
        report.append(reconciliation(key, bids))
        bids_by_round[key] = bids
    return AddedColumns(pd.DataFrame(values), column_meta(bids_by_round), report, top_level(bids_by_round))


def _predecessors(register: pd.DataFrame, lad2020: set[str]) -> dict[str, list[str]]:
    """LAD 2020 areas absorbed into each later authority (mySociety's ``replaced-by``)."""
    links = geography.links_from_mysociety(register)
    links = links[(links["relation"] == "successor") & links["code"].isin(lad2020)]
    return {successor: sorted(group["code"]) for successor, group in links.groupby("linked_code")}


def _attribute(row, lad2020: pd.Index, predecessors: dict[str, list[str]], names: pd.Series,
               placed: str | None = None) -> Bid:
    if all(code.startswith(NORTHERN_IRELAND) for code in row.codes):
        return Bid(row.lead, row.pence, row.codes, (), "Northern Ireland")
    areas = []
    for code in row.codes:
        if code in lad2020:
            areas.append(code)
        elif code in predecessors:
            areas += predecessors[code]
        else:
            raise DataError(f"LUF bid '{row.lead}': district code {code} is neither a LAD 2020 area nor "
                            f"a successor of one")
    if len(row.codes) == 1 and row.codes[0] not in lad2020:
        if placed is not None:
            if placed not in areas:
                raise DataError(f"LUF bid '{row.bid}': placed in {placed}, which is not a district its code "
                                f"{row.codes[0]} replaced")
            return Bid(row.lead, row.pence, row.codes, (placed,), BY_PLACE)
        led = [a for a in areas if _leads(row.lead, names[a])]
        if len(led) == 1:
            return Bid(row.lead, row.pence, row.codes, tuple(led), BY_LEAD)
    areas = tuple(dict.fromkeys(areas))
    return Bid(row.lead, row.pence, row.codes, areas, OWN if len(areas) == 1 else "shared by population")


def _check_countries(listed: pd.Series, bids: list[Bid], country: pd.Series) -> None:
    """Where DLUHC names a bid's country, every area it is placed on must be in it."""
    for given, bid in zip(listed, bids):
        placed = {country[a] for a in bid.areas} or {"Northern Ireland"}
        if isinstance(given, str) and placed != {given}:
            raise DataError(f"LUF bid '{bid.lead}': DLUHC gives {given}, its districts are in {sorted(placed)}")


def _leads(lead: str, district: str) -> bool:
    """Whether the lead applicant is the district council ('Allerdale Borough Council')."""
    lead_words, district_words = _words(lead), _words(district)
    return lead_words[:len(district_words)] == district_words


def _words(name: str) -> list[str]:
    return name.casefold().replace("&", "and").replace(",", " ").split()


def _check_total(key: str, bids: list[Bid]) -> None:
    spec = ROUNDS[key]
    total = sum(b.pence for b in bids)
    if len(bids) != spec["bids"] or round(total / 10_000_000) != round(spec["total_gbp_m"] * 10):
        raise DataError(f"LUF {spec['title']}: {len(bids)} bids, £{total / 100:,.2f}; DLUHC announced "
                        f"{spec['bids']} bids, £{spec['total_gbp_m']:,.1f}m")


def _per_area(bids: list[Bid], population: pd.Series) -> dict[str, pd.Series]:
    pence = pd.Series(0, index=population.index, dtype="int64")
    count = pd.Series(0, index=population.index, dtype="int64")
    shared = pd.Series(False, index=population.index)
    for bid in bids:
        if not bid.areas:
            continue
        split = split_pence(bid.pence, population[list(bid.areas)])
        pence[split.index] += split
        count[split.index] += 1
        shared[split.index] |= len(bid.areas) > 1
    flag = pd.Series(np.where(shared, ATTRIBUTED, OWN), index=population.index).where(count > 0)
    return {"award_gbp": pence / 100, "bids": count, "award_attribution": flag}


def split_pence(pence: int, weights: pd.Series) -> pd.Series:
    """Whole pence shared in proportion to ``weights`` by largest remainders (ties by area code),
    so the shares add up to the bid exactly."""
    exact = pence * weights.astype(float) / float(weights.sum())
    shares = np.floor(exact).astype("int64")
    left = pence - int(shares.sum())
    order = sorted(weights.index, key=lambda code: (-(exact[code] - shares[code]), code))
    shares[order[:left]] += 1
    return shares
