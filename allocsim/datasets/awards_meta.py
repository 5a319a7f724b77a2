"""What the LUF award columns mean, the rounds' announced totals, and the build's reconciliation."""

from __future__ import annotations

# Announced totals (DLUHC; luf_outcomes/PROVENANCE.md and DOMAIN.md): the raw files must add up
# to these to the nearest £0.1m.
ROUNDS = {
    "r1": dict(source="luf_outcomes_r1", lead="Local Authority Name / Area", title="round 1",
               announced="October 2021", year="2021", bids=105, total_gbp_m=1693.3),
    "r2": dict(source="luf_outcomes_r2", lead="Legal name of lead applicant organisation", title="round 2",
               announced="January 2023", year="2023", bids=111, total_gbp_m=2088.2),
}
# how a bid listed under a successor code (a district merged after 2020) was placed on its 2020 district
BY_LEAD = "successor by lead name"
BY_PLACE = "successor by the project's place"  # a county's bid (awards.PLACED)
FUND_GBP = 4.8e9  # the fund's UK headline (DOMAIN.md): no area can have been awarded more
GEOGRAPHY = "successful bids (DLUHC lead applicants; districts listed by Open Innovations on LAD 2023 codes), GB"
ROUND_2_NOTE = (" Excludes the 19 further round 2 projects funded at the Spring Budget 2023, which have "
                "no machine-readable list.")


def _price_base(spec: dict) -> str:
    return f"cash: nominal pounds as announced in {spec['announced']}, not deflated"


def column_meta(rounds: dict[str, list]) -> dict[str, dict]:
    """The metadata entry of each award column, for each round key in ``rounds`` (``r1``, ``r2``) with that
    round's bids: description, unit, price base (cash, not deflated), range and derivation."""
    meta = {}
    for key, bids in rounds.items():
        spec = ROUNDS[key]
        common = dict(period=f"{spec['title']}, announced {spec['announced']}", geography=GEOGRAPHY,
                      source=[spec["source"], "mye2019", "mysociety"])
        meta[f"luf_{key}_award_gbp"] = dict(
            description=f"Levelling Up Fund {spec['title']}: money awarded to successful bids in this area",
            unit="GBP", price_base=_price_base(spec), **common, range=[0, FUND_GBP],
            flag_column=f"luf_{key}_award_attribution",
            derivation=_derivation(key, bids),
        )
        meta[f"luf_{key}_bids"] = dict(
            description=f"Levelling Up Fund {spec['title']}: successful bids wholly or partly attributed "
            "to this area (a shared bid counts once in each area it is shared among)",
            unit="count", **common, range=[0, spec["bids"]],
            derivation=f"0 where no successful bid covers the area. See luf_{key}_award_gbp.",
        )
        meta[f"luf_{key}_award_attribution"] = dict(
            description=f"How luf_{key}_award_gbp was placed: 'own' = every bid counted lies in this area "
            "alone; 'attributed' = all or part of the amount is a population share of a bid listed for "
            "several districts (DLUHC published no split; an assumption, not an observation)",
            unit="flag", **common, derivation="Empty where the area had no successful bid.",
        )
    return meta


def _derivation(key: str, bids: list) -> str:
    spec = ROUNDS[key]
    gb = [b for b in bids if b.areas]
    shared = [b for b in gb if len(b.areas) > 1]
    ni = [b for b in bids if not b.areas]
    return (
        f"Sum of the values of the {spec['title']} bids in the area ({spec['bids']} bids, "
        f"{_gbp(sum(b.pence for b in bids))} in all with Northern Ireland). A bid on one LAD 2020 area "
        "counts there; a successor code (a district merged after 2020) maps back to the 2020 district "
        f"named as lead applicant{_placed(gb)}. The "
        f"{len(shared)} bids ({_gbp(sum(b.pence for b in shared))}) listing several districts (led by a "
        "county, a combined authority or another body; Open Innovations chose the districts, usually "
        "all the lead's member districts, sometimes only those where the project lies) are shared "
        "among those districts by mid-2019 population, to the penny "
        f"(flagged, see luf_{key}_award_attribution). Northern Ireland's {len(ni)} bids "
        f"({_gbp(sum(b.pence for b in ni))}) are outside this GB table. 0 where the area had no "
        "successful bid." + (ROUND_2_NOTE if key == "r2" else "")
    )


def _placed(bids: list) -> str:
    """The bids led by a county under a successor code, placed where the project lies (awards.PLACED)."""
    placed = [f"{b.lead} -> {b.areas[0]}" for b in bids if b.how == BY_PLACE]
    return (f", or, for a bid a county led, the district where the raw data's provenance places the project "
            f"({'; '.join(placed)})") if placed else ""


def _gbp(pence: int) -> str:
    return f"£{pence / 100:,.2f}"


def reconciliation(key: str, bids: list) -> str:
    """The build's line for round ``key``: its bids and total (reconciled with DLUHC's announced figures), the
    GB areas covered, the bids shared by population, successor codes mapped back and Northern Ireland's
    bids."""
    spec = ROUNDS[key]
    gb = [b for b in bids if b.areas]
    shared = [b for b in gb if len(b.areas) > 1]
    back = [f"{b.lead} -> {b.areas[0]}" for b in gb if b.how in (BY_LEAD, BY_PLACE)]
    ni = [b for b in bids if not b.areas]
    total = sum(b.pence for b in bids)
    return (
        f"luf_outcomes_{key}: {len(bids)} bids, {_gbp(total)} (announced {spec['bids']} bids, "
        f"£{spec['total_gbp_m']:,.1f}m: reconciled); GB {len(gb)} bids {_gbp(total - sum(b.pence for b in ni))} "
        f"on {len({a for b in gb for a in b.areas})} areas, of which {len(shared)} bids "
        f"({_gbp(sum(b.pence for b in shared))}) shared by population over "
        f"{sum(len(b.areas) for b in shared)} area shares; successor codes mapped back by lead name or the "
        "project's place: "
        f"{'; '.join(back) or 'none'}; Northern Ireland {len(ni)} bids {_gbp(sum(b.pence for b in ni))} "
        "(outside the GB table)"
    )


def top_level(rounds: dict[str, list]) -> dict:
    """The metadata file's record of each round's totals, GB and Northern Ireland."""
    record = {}
    for key, bids in rounds.items():
        spec = ROUNDS[key]
        ni = [b for b in bids if not b.areas]
        record[spec["title"].replace(" ", "_")] = {
            "announced": spec["announced"], "price_base": _price_base(spec),
            "bids": len(bids), "total_gbp": sum(b.pence for b in bids) / 100,
            "great_britain": {"bids": len(bids) - len(ni),
                              "total_gbp": sum(b.pence for b in bids if b.areas) / 100},
            "northern_ireland": {"bids": len(ni), "total_gbp": sum(b.pence for b in ni) / 100,
                                 "leads": [b.lead for b in ni]},
        }
    return {"luf_awards": record}
