"""Summaries of a loaded dataset for people: what each column is, and one area's profile."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pandas as pd

from allocsim.datasets.load import COUNTRIES
from allocsim.errors import DataError
from allocsim.paths import metadata_path_for

PROVENANCE = ("unit", "period", "source", "publisher", "geography")
MAX_LISTED = 8  # areas named in an ambiguous-name error or a suggestion


def has_own_metadata(data: pd.DataFrame) -> bool:
    """Whether the metadata in ``data.attrs`` describes this very file (not borrowed by name):
    the metadata file is the one beside the data file. A frame not loaded from a file has only
    what it was given."""
    source, metadata = data.attrs.get("source"), data.attrs.get("metadata")
    if source is None or metadata is None:
        return True
    return Path(metadata) == metadata_path_for(Path(source))


def heading(data: pd.DataFrame) -> str:
    """``<file>: N areas, M columns (code + M-1)``; ``code`` is the index but a column of the file."""
    return f"{data.attrs.get('source', 'dataset')}: {len(data)} areas, " \
           f"{len(data.columns) + 1} columns (code + {len(data.columns)})"


def no_metadata_note(data: pd.DataFrame) -> str:
    """Why a user's file is shown without units or sources."""
    return (f"No metadata file of its own beside {data.attrs.get('source', 'the file')}, so no units, "
            "periods or sources are shown (columns named as in the embedded dataset were "
            "range-checked as those columns).")


def describe_columns(data: pd.DataFrame) -> pd.DataFrame:
    """One row per column, ``code`` first: unit, period, source publication, publisher,
    geography published for, and how many areas have a value, by country.

    The provenance columns are left out when the file has no metadata of its own.
    """
    meta = data.attrs.get("columns", {}) if has_own_metadata(data) else None
    table = data.reset_index()
    rows = []
    for column in table.columns:
        row = {"column": column}
        if meta is not None:
            entry = meta.get(column, {})
            row.update({key: entry.get(key, "?") for key in PROVENANCE})
        by_country = table.groupby("country")[column].count() if "country" in table else pd.Series()
        for country in COUNTRIES:
            row[country] = int(by_country.get(country, 0))
        row["all"] = int(table[column].notna().sum())
        rows.append(row)
    return pd.DataFrame(rows)


def columns_text(described: pd.DataFrame) -> str:
    """``describe_columns`` for a terminal: a table keyed to numbered source and geography notes."""
    if "source" not in described:
        return described.to_string(index=False)
    notes = list(dict.fromkeys(zip(described["source"], described["publisher"], described["geography"])))
    keys = [f"[{notes.index(n) + 1}]" for n in zip(described["source"], described["publisher"],
                                                     described["geography"])]
    table = described.drop(columns=["source", "publisher", "geography"]).assign(source=keys)
    legend = [f"[{i}] {source}; publisher: {publisher}; geography: {geography}"
              for i, (source, publisher, geography) in enumerate(notes, start=1)]
    return "\n".join([table.to_string(index=False), "Sources:", *legend])


def find_area(data: pd.DataFrame, query: str) -> str:
    """The code of the area coded or named ``query`` (case-insensitive).

    A code is matched first, then a whole name; a name that several areas share is refused, listing
    their codes. A query that is not a whole name may still pick one area if it is a whole word or a prefix
    of exactly one name ("Bristol" for "Bristol, City of"); otherwise the error lists the
    candidates, or suggests names containing the query, then near misses.
    """
    wanted = query.strip().casefold()
    if not wanted:
        raise DataError("no area given; give a code or a name, e.g. 'allocsim data show Blackpool'")
    names = data["name"].map(lambda name: "" if pd.isna(name) else str(name))
    codes = {str(code).casefold(): code for code in data.index}
    if wanted in codes:  # a code wins over another area's name that happens to be the same text
        return codes[wanted]
    named = [code for code, name in names.items() if name.casefold() == wanted]
    if len(named) == 1:
        return named[0]
    if named:
        raise DataError(f"area '{query}' is the name of {len(named)} areas: {_listing(names, sorted(named))}; "
                        f"give the code")
    exact = {**codes, **{name.casefold(): code for code, name in names.items() if name}}
    partial = _word_or_prefix_matches(names, wanted)
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise DataError(f"area '{query}' matches {len(partial)} areas: {_listing(names, partial)}; "
                        f"give the code or the full name")
    suggestions = _suggestions(names, exact, wanted)
    hint = (f"; did you mean {_listing(names, suggestions)}?" if suggestions
            else "; run 'allocsim data describe' to see the dataset")
    raise DataError(f"unknown area '{query}'{hint}")


def _word_or_prefix_matches(names: pd.Series, wanted: str) -> list[str]:
    word = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
    found = [(name, code) for code, name in names.items()
             if name.casefold().startswith(wanted) or word.search(name.casefold())]
    return [code for _, code in sorted(found)]


def _suggestions(names: pd.Series, exact: dict[str, str], wanted: str) -> list[str]:
    # Names containing the query first: where a word starts with it, then earliest occurrence;
    # after them spelling near misses of a name or code.
    word_start = re.compile(rf"(?<!\w){re.escape(wanted)}")
    containing = sorted((word_start.search(name.casefold()) is None, name.casefold().index(wanted), name, code)
                        for code, name in names.items() if wanted in name.casefold())
    # ONS names end in ", City of" or ", County of"; compare the part before that too.
    keys = {**exact, **{name.casefold().split(",")[0]: code for code, name in names.items()}}
    close = [keys[key] for key in difflib.get_close_matches(wanted, list(keys), n=3, cutoff=0.6)]
    return list(dict.fromkeys([row[-1] for row in containing] + close))[:MAX_LISTED]


def _listing(names: pd.Series, codes: list[str]) -> str:
    shown = ", ".join(f"{names[code]} ({code})" for code in codes[:MAX_LISTED])
    more = len(codes) - MAX_LISTED
    return f"{shown} and {more} more" if more > 0 else shown


def area_profile(data: pd.DataFrame, code: str) -> pd.DataFrame:
    """Every column's value for one area, with its unit and period when the file's own
    metadata gives them."""
    row = data.loc[code]
    profile = pd.DataFrame({"column": data.columns, "value": ["" if pd.isna(v) else v for v in row]})
    if has_own_metadata(data):
        meta = data.attrs.get("columns", {})
        for key in ("unit", "period"):
            profile[key] = [meta.get(c, {}).get(key, "") for c in data.columns]
    return profile
