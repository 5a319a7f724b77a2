"""Checking a dataset's ``.meta.json`` before anything reads it: a user writes their own.

Every problem is one :class:`DataError` naming the file, the entry and what is wrong, e.g.
``areas.meta.json: columns.population_2019: 'unit' is missing``. Only what the loader and the
tables read is required (each column's ``unit``); what is given must have the right shape.
"""

from __future__ import annotations

import math
import re
from typing import Any

from allocsim.errors import DataError
from allocsim.rollups import BUILT_IN, VIEWS

TEXT_KEYS = ("unit", "period", "source", "publisher", "geography", "licence", "description", "derivation",
             "flag_column", "direction", "title")
ROLLUP_NAME = re.compile(r"[a-z0-9][a-z0-9_]*")  # it names files: health_by_<name>.csv


def check_metadata(metadata: Any, shown: str) -> None:
    """Refuse metadata whose shape the loader, tables or file names could not use."""
    if not isinstance(metadata, dict) or not isinstance(metadata.get("columns"), dict):
        raise DataError(f"metadata {shown}: expected an object with a 'columns' object")
    for column, entry in metadata["columns"].items():
        _check_column(entry, f"{shown}: columns.{column}")
    rollups = metadata.get("rollups")
    if rollups is not None:
        if not isinstance(rollups, list):
            raise DataError(f"{shown}: rollups: must be a list of objects, got {_shown(rollups)}")
        named: dict[str, int] = {}
        for index, entry in enumerate(rollups):
            _check_rollup(entry, f"{shown}: rollups[{index}]")
            name = entry["name"]
            if name in BUILT_IN:
                raise DataError(f"{shown}: rollups[{index}].name: '{name}' names a breakdown allocsim makes itself "
                                f"({', '.join(BUILT_IN)}); choose another")
            if name in named:
                raise DataError(f"{shown}: rollups[{index}].name: '{name}' is already declared "
                                f"(rollups[{named[name]}])")
            named[name] = index


def _check_column(entry: Any, where: str) -> None:
    if not isinstance(entry, dict):
        raise DataError(f"{where}: must be an object with at least a 'unit', got {_shown(entry)}")
    if "unit" not in entry:
        raise DataError(f"{where}: 'unit' is missing (every column's entry needs one, e.g. \"persons\", "
                        f"\"years\" or \"text\")")
    for key in TEXT_KEYS:
        if key in entry and not isinstance(entry[key], str):
            raise DataError(f"{where}.{key}: must be text, got {_shown(entry[key])}")
    if "range" in entry:
        _check_range(entry["range"], f"{where}.range")


def _check_range(value: Any, where: str) -> None:
    numbers = isinstance(value, list) and len(value) == 2 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value)
    if not numbers or value[0] > value[1]:
        raise DataError(f"{where}: must be [low, high], two finite numbers with low <= high, got {_shown(value)}")


def _check_rollup(entry: Any, where: str) -> None:
    if not isinstance(entry, dict):
        raise DataError(f"{where}: must be an object with 'name' and 'column', got {_shown(entry)}")
    for key in ("name", "column"):
        if key not in entry:
            raise DataError(f"{where}: '{key}' is missing")
        if not isinstance(entry[key], str) or not entry[key]:
            raise DataError(f"{where}.{key}: must be text, got {_shown(entry[key])}")
    if not ROLLUP_NAME.fullmatch(entry["name"]):
        raise DataError(f"{where}.name: must be lower-case letters, digits or '_' (it names files such as "
                        f"health_by_<name>.csv), got {_shown(entry['name'])}")
    for key in ("title", "description"):
        if key in entry and not isinstance(entry[key], str):
            raise DataError(f"{where}.{key}: must be text, got {_shown(entry[key])}")
    if "unassigned" in entry and not (isinstance(entry["unassigned"], str) and entry["unassigned"].strip()):
        raise DataError(f"{where}.unassigned: must be text naming the row of areas in no group, got "
                        f"{_shown(entry['unassigned'])}")
    views = entry.get("views", list(VIEWS))
    if not isinstance(views, list) or not all(v in VIEWS for v in views):
        raise DataError(f"{where}.views: must be a list of {' and '.join(repr(v) for v in VIEWS)}, got "
                        f"{_shown(views)}")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
