"""The metadata file written beside the dataset: every column's description and provenance."""

from __future__ import annotations

import pandas as pd

from allocsim.datasets import geography, sources
from allocsim.datasets.boundaries import RAW_FILE as BOUNDARIES_RAW
from allocsim.datasets.indicator import Indicator
from allocsim.datasets.rollups import ROLLUPS
from allocsim.paths import BOUNDARIES_NAME, DATASET_NAME

TITLE = ("GB lower-tier local authorities (LAD 2020) with LUF round 1 categories, healthy life "
         "expectancy (published and modelled by district), the Health Index, deprivation, LUF-style "
         "need indicators, LUF awards and health geographies")


def indicator_meta(indicator: Indicator) -> dict:
    """``indicator``'s metadata entry: description, unit, period, geography, source key and derivation
    ("Published value, unchanged." when it has none), with its range and health direction when it has them."""
    meta = dict(description=indicator.description, unit=indicator.unit, period=indicator.period,
                geography=indicator.geography, source=indicator.source,
                derivation=indicator.derivation or "Published value, unchanged.")
    if indicator.value_range:
        meta["range"] = list(indicator.value_range)
    if indicator.direction:
        meta["direction"] = indicator.direction
    return meta


def column_entry(entry: dict, values: pd.Series) -> dict:
    """A column's metadata with its source key(s) expanded into publication details."""
    entry = dict(entry)
    keys = entry.pop("source")
    chosen = [sources.SOURCES[k] for k in ([keys] if isinstance(keys, str) else keys)]
    entry.setdefault("period", "April 2020 (LAD 2020 geography)")
    entry.setdefault("geography", "lower-tier local authorities, LAD 2020 (GB)")
    entry.setdefault("derivation", "As published.")
    entry.update(
        source=_joined(s.publication for s in chosen), publisher=_joined(s.publisher for s in chosen),
        licence=_joined(s.licence for s in chosen), source_url=_joined(s.url for s in chosen if s.url),
        raw_file=_joined(s.raw_path for s in chosen), non_missing=int(values.notna().sum()),
    )
    return entry


def _joined(parts) -> str:
    return "; ".join(dict.fromkeys(parts))


def dataset_metadata(table: pd.DataFrame, columns: dict[str, dict], top_level: dict) -> dict:
    """The whole metadata file's content: the dataset's name, title and row count, the flags, the boundaries
    file, the roll-ups whose columns ``table`` has, ``top_level`` entries, and each column's entry from
    ``columns`` with its sources spelt out."""
    return {
        "dataset": DATASET_NAME,
        "title": TITLE,
        "rows": len(table),
        "built_by": "python -m allocsim.datasets.build",
        "flags": geography.FLAGS,
        "boundaries": _boundaries(),
        "rollups": [r for r in ROLLUPS if r["column"] in table.columns],
        **top_level,
        "columns": {name: column_entry(columns[name], table[name]) for name in table.columns},
    }


def _boundaries() -> dict:
    return {
        "file": BOUNDARIES_NAME,
        "description": "LAD 2020 boundaries of the 368 areas (TopoJSON object 'lad2020', "
                       "properties code and name), for choropleth maps only",
        "source": "ONS Explore Local Statistics boundary topology (topo.json), generalised "
                  "by ONS from the Open Geography Portal; contains OS data (c) Crown "
                  "copyright and database right",
        "publisher": "Office for National Statistics",
        "licence": sources.OGL,
        "raw_file": BOUNDARIES_RAW,
        "derivation": "Areas existing in 2020 kept with only their arcs; grid coarsened 8x "
                      "and arcs simplified (Ramer-Douglas-Peucker, 1.5 grid steps) with end "
                      "points fixed so neighbours still meet.",
    }
