"""Geography roll-ups (region, combined authority, ...), read from the dataset's declarations.

The dataset's metadata declares each roll-up once, as data (``rollups`` in the ``.meta.json``;
:mod:`allocsim.datasets.rollups` writes the embedded one's): the column holding the group an
area belongs to, a title, and the ``views`` that break results down by it (``money``: allocation
per resident; ``health``: the modelled health return). Every breakdown table, chart and report
section reads :func:`rollups`, so a new roll-up needs its column and its declaration, no code.
Areas in no group of a roll-up (not in a combined authority, say) form a row of their own, last,
named by the declaration's ``unassigned``, so that every breakdown's rows add up to the whole: a
breakdown groups with ``dropna=False`` (pandas puts the empty group last) and names that group with
:meth:`RollUp.name_unassigned`.
A frame without declarations of its own (a user's file with no ``rollups`` in its metadata, or
one built in Python) uses the embedded dataset's, for the columns it has.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

VIEWS = ("money", "health")
UNASSIGNED = "(none)"  # the row of areas in no group, where a declaration names none
# breakdowns the tool makes itself (health by HLE decile and IMD quintile; the money awarded by published category
# and HLE deciles), whose files a roll-up of the same name would overwrite
BUILT_IN = ("hle_decile", "imd_quintile", "luf_category", "hle_decile_upper_tier", "hle_decile_district")


@dataclass(frozen=True)
class RollUp:
    """One geography roll-up as the dataset declares it: its ``name`` (in file and table names), the
    ``column`` holding each area's group, a title, a description, the ``views`` (``money``, ``health``)
    that use it and the row that the areas in no group form."""

    name: str  # used in file and table names: health_by_<name>.csv
    column: str
    title: str
    description: str
    views: tuple[str, ...]
    unassigned: str = UNASSIGNED

    def name_unassigned(self, keys: pd.Index) -> pd.Index:
        """A breakdown's group keys with the empty one (the areas in no group) named ``unassigned``; the
        others, text or numbers, as they are."""
        return keys.astype(object).where(keys.notna(), self.unassigned)


def rollups(data: pd.DataFrame, view: str | None = None) -> list[RollUp]:
    """The roll-ups declared for ``data`` whose column it has, in declared order; only those
    used by ``view`` when given."""
    declared = data.attrs.get("rollups")
    if declared is None:
        declared = embedded_declarations()
    chosen = [_parse(entry) for entry in declared]
    return [r for r in chosen if r.column in data.columns and (view is None or view in r.views)]


def embedded_declarations() -> list[dict]:
    """The roll-up declarations in the embedded dataset's metadata, as raw entries (an empty list if it has
    none). Read directly: the loader checks a user's metadata against this module's vocabulary, and the
    embedded file is the package's own (its build writes it, a test checks it)."""
    import json

    from allocsim.paths import dataset_path, metadata_path_for

    return json.loads(metadata_path_for(dataset_path()).read_text(encoding="utf-8")).get("rollups", [])


def _parse(entry: dict) -> RollUp:
    return RollUp(entry["name"], entry["column"], entry.get("title", entry["name"]), entry.get("description", ""),
                  tuple(entry.get("views", VIEWS)), entry.get("unassigned", UNASSIGNED))
