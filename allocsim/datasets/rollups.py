"""The geography roll-ups of the embedded dataset, declared as data and written into its metadata.

Each roll-up names the dataset column holding the group an area belongs to (a region, a
combined authority, ...), how to title it, and the ``views`` that break results down by it:
``money`` (allocation per resident) and ``health`` (the modelled health return), and the row the
areas in no group form (``unassigned``, default "(none)"), so that a breakdown adds up. Every table,
chart and report section that breaks results down by place reads these declarations from the
dataset's metadata (:mod:`allocsim.rollups`); adding a roll-up needs its column and an entry
here, and no other change. A user's own ``.meta.json`` may declare its own under ``rollups``.
"""

from __future__ import annotations

ROLLUPS: list[dict] = [
    {
        "name": "region",
        "column": "region",
        "title": "Region",
        "description": "English region (ONS, April 2020); Scotland and Wales each count as one.",
        "views": ["money", "health"],
    },
    {
        "name": "combined_authority",
        "column": "combined_authority",
        "title": "Combined authority (2021)",
        "description": "Combined authorities established by 3 March 2021; areas in none form a row of their own.",
        "views": ["money"],
        "unassigned": "Not in a combined authority",
    },
    {
        "name": "nation",
        "column": "country",
        "title": "Nation",
        "description": "England, Scotland and Wales.",
        "views": ["money", "health"],
    },
    {
        "name": "health_geography",
        "column": "icb_or_health_board",
        "title": "ICB (England) or health board (Wales)",
        "description": "The NHS body planning each area's health services: its Integrated Care Board "
        "(England, July 2022; a district straddling two ICBs is assigned whole to the one holding most "
        "of its LSOAs, not split) or its Local Health Board (Wales, 2022). The raw data have no Scottish "
        "health boards: Scottish areas form a row of their own.",
        "views": ["money", "health"],
        "unassigned": "No ICB or health board in the data (Scotland)",
    },
]
