"""What the NHS geography columns mean."""

from __future__ import annotations

ENGLAND = "Integrated Care Boards (July 2022) from LSOA 2011 membership, English areas (England only)"
WALES = "Local Health Boards (2022), Welsh councils (Wales only)"
ASSIGNED = ("A district lies in the ICB holding most of its LSOAs (LSOA 2011 -> sub-ICB location -> ICB, "
            "July 2022). LSOAs hold 1,000 to 3,000 residents each, so the LSOA share approximates the "
            "population share; LSOA populations are not in the raw data. Northamptonshire's seven "
            "districts (merged in 2021) are found by the district named in each LSOA's 2011 name; all "
            "lie in NHS Northamptonshire ICB.")


def column_meta() -> dict[str, dict]:
    """The metadata entry of each NHS geography column: description, unit, source, period, geography and how
    districts were assigned to ICBs."""
    icb = dict(source="ons_icb_lookup", period="July 2022 (ICBs established 1 July 2022)", geography=ENGLAND)
    wales = dict(source="ons_lhb_lookup", period="2022", geography=WALES)
    return {
        "icb_code": dict(description="GSS code of the Integrated Care Board the area lies in (the one "
                         "holding most of its LSOAs)", unit="code", **icb, derivation=ASSIGNED,
                         flag_column="icb_geography"),
        "icb_name": dict(description="Name of that Integrated Care Board", unit="text", **icb,
                         derivation=ASSIGNED, flag_column="icb_geography"),
        "icb_lsoa_share": dict(description="Share of the area's LSOAs in that ICB", unit="%",
                               range=[0, 100], **icb,
                               derivation="100 where the area lies wholly in one ICB. " + ASSIGNED),
        "icb_geography": dict(
            description="How the ICB was assigned: 'whole' = every LSOA of the area is in that ICB; "
            "'majority' = the area straddles two ICBs and the one holding most of its LSOAs is given "
            "(flagged); 'tie' = it straddles two ICBs with equal numbers of LSOAs (East Suffolk, 73 "
            "and 73) and the lower ICB code is given, an arbitrary choice (flagged)",
            unit="flag", **icb, derivation="Empty outside England. " + ASSIGNED),
        "health_board_code": dict(description="GSS code of the Welsh Local Health Board", unit="code",
                                  **wales, derivation="As published; empty outside Wales."),
        "health_board_name": dict(description="Name of the Welsh Local Health Board", unit="text", **wales,
                                  derivation="As published; empty outside Wales."),
        "icb_or_health_board": dict(
            description="The NHS body that plans the area's health services: its ICB in England, its "
            "Local Health Board in Wales; empty in Scotland (the raw data have no Scottish health "
            "boards)", unit="text", source=["ons_icb_lookup", "ons_lhb_lookup"], period="2022",
            geography="ICBs (England, July 2022) and Local Health Boards (Wales, 2022)",
            derivation="icb_name in England, health_board_name in Wales. " + ASSIGNED),
    }
