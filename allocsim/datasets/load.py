"""Load the embedded dataset, or a user's own CSV, validated and indexed by area code.

The same checks run for both: ``code``, ``name`` and ``country`` present, codes unique, every
country England, Scotland or Wales (the only areas a rule can select), numeric columns numeric,
healthy life expectancy within 40-90 years, shares within 0-100, populations positive, and any
range the metadata states. :func:`validate_file` lists every problem;
:func:`load_dataset` refuses a file with any, naming the first.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from allocsim.checks import THOUSANDS
from allocsim.countries import COUNTRIES
from allocsim.datasets.metadata_checks import check_metadata
from allocsim.errors import DataError
from allocsim.io import read_user_text
from allocsim.paths import boundaries_path, dataset_path, metadata_path_for

TEXT_UNITS = {"code", "text", "flag"}
INTEGER_UNITS = {"persons", "rank", "category 1-3", "count"}
NUMERIC_SHARE_OF_TEXT = 0.8  # an unknown column this numeric is taken as a numeric column
HLE_RANGE = (40.0, 90.0)
SHARE_RANGE = (0.0, 100.0)
CATEGORY_COLUMN = "luf_r1_category"  # the published LUF round 1 priority category, 1-3
REQUIRED_COLUMNS = ("code", "name", "country")
STANDARD_ERROR_SUFFIX = "_se"  # hle_..._se is a standard error in years, not an HLE
# Doubles hold whole numbers exactly up to 2**53 (about 9e15), and the engine's sums of squares stay
# finite far beyond this; a larger value in an areas table is a mistake (1e19 people).
MAX_MAGNITUDE = 1e15


@dataclass(frozen=True)
class Problem:
    """One problem found in an areas file: the line (the header is line 1) and column where it is, each None
    where it does not apply, and the message; ``str()`` puts the place first."""

    line: int | None  # line in the file; the header is line 1
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line is not None else []
        where += [f"column '{self.column}'"] if self.column is not None else []
        return f"{', '.join(where)}: {self.message}" if where else self.message


@lru_cache(maxsize=1)
def load_boundaries() -> dict:
    """The embedded LAD 2020 boundaries (TopoJSON, object ``lad2020``; properties code, name)."""
    path = boundaries_path()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DataError(f"cannot read boundaries {path}: {error}") from None


def load_metadata(path: Path | None = None) -> dict:
    """Column metadata for a dataset: its own ``.meta.json`` if present, else the embedded one's."""
    return _read_metadata(metadata_file_for(path))


def _read_metadata(chosen: Path) -> dict:
    text = read_user_text(chosen, "metadata", DataError)
    try:
        metadata = json.loads(text)
    except ValueError as error:
        raise DataError(f"cannot read metadata {chosen}: {error}") from None
    except RecursionError:
        raise DataError(f"cannot read metadata {chosen}: nested too deeply") from None
    check_metadata(metadata, str(chosen))
    return metadata


def metadata_file_for(path: str | Path | None = None) -> Path:
    """The ``.meta.json`` describing a dataset: its own if present, else the embedded one."""
    own = metadata_path_for(Path(path)) if path is not None else None
    return own if own is not None and own.is_file() else metadata_path_for(dataset_path())


def display_path(path: str | Path | None) -> str | None:
    """How messages and manifests name a dataset file: the embedded one as ``datasets/<file>``, a
    user's as given (None stays None: a frame built in Python has no file)."""
    if path is None:
        return None
    if Path(path).resolve() == dataset_path().resolve():
        return f"datasets/{Path(path).name}"
    return str(Path(path))


def load_dataset(path: str | Path | None = None) -> pd.DataFrame:
    """The areas table indexed by ``code`` (GSS code); metadata in ``df.attrs['columns']``.

    Without ``path`` this is the embedded GB LAD 2020 dataset. A user's CSV is validated with
    the same checks and refused (:class:`DataError`) if any fails.
    """
    path = Path(path) if path is not None else dataset_path()
    frame, problems = _read_and_check(path)
    if problems:
        more = f" (and {len(problems) - 1} more; run 'allocsim data validate {path}')" if len(problems) > 1 else ""
        raise DataError(f"{path}: {problems[0]}{more}")
    return frame


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem found in a user's dataset file (empty list when it is valid)."""
    return _read_and_check(Path(path))[1]


def _read_and_check(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    text = _read_text(path)
    raw = _parse_csv(text, path)
    chosen = metadata_file_for(path)
    described = _read_metadata(chosen)
    metadata = described["columns"]
    problems = _structural_problems(raw)
    if any(p.column in {"code", "name"} and p.line is None for p in problems):
        return raw, problems
    frame, type_problems = _typed(raw, metadata)
    problems += _country_problems(raw) + type_problems + _range_problems(frame, metadata)
    # Whole-file problems first, in the order found (code, name, country); then by line and column.
    problems.sort(key=lambda p: (0, "") if p.line is None else (p.line, p.column or ""))
    frame = frame.set_index("code")
    frame.attrs = {
        "source": str(path),
        # A user's file without its own .meta.json is checked with the embedded metadata of
        # the columns it shares, but that metadata is not the file's provenance
        # (describe.has_own_metadata tells the two apart).
        "metadata": str(chosen),
        "columns": SharedMetadata({c: metadata[c] for c in ["code", *frame.columns] if c in metadata}),
        "rollups": _rollups(described, frame.columns),
    }
    return frame, problems


class SharedMetadata(dict):
    """Metadata in a frame's ``attrs``, read-only by convention and shared, not copied: pandas
    deep-copies ``attrs`` into the result of every operation, and column metadata for a hundred
    columns made that a measurable share of a ranking's time."""

    def __deepcopy__(self, memo) -> SharedMetadata:
        return self


def _rollups(described: dict, columns: pd.Index) -> list[dict]:
    """The geography roll-ups declared for the file (its metadata's, else the embedded dataset's)
    whose column it has (see :mod:`allocsim.rollups`)."""
    declared = described.get("rollups")
    if declared is None:
        declared = _read_metadata(metadata_path_for(dataset_path())).get("rollups", [])
    return [entry for entry in declared if isinstance(entry, dict) and entry.get("column") in columns]


def _read_text(path: Path) -> str:
    text = read_user_text(path, "data", DataError)
    if not text.strip():
        raise DataError(f"{path} is empty; expected a CSV with a header row including code, name and country")
    return text


def _parse_csv(text: str, path: Path) -> pd.DataFrame:
    rows = _csv_rows(text, path)
    header = [h.strip() for h in rows[0]]
    kept = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]
    for number, row in kept:
        if len(row) != len(header):
            raise DataError(f"{path}: line {number} has {len(row)} fields, the header has {len(header)}")
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        raise DataError(f"{path}: column '{duplicated[0]}' appears more than once in the header")
    return pd.DataFrame([[cell.strip() for cell in row] for _, row in kept], columns=header,
                        index=[number for number, _ in kept], dtype=object)


def _csv_rows(text: str, path: Path) -> list[list[str]]:
    """The rows of CSV ``text``; a file whose lines all end in a lone carriage return (old Mac
    spreadsheets) is read as such. A carriage return elsewhere outside quotes, or a field longer
    than the csv module reads, is a :class:`DataError` naming the file and line."""
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")
    reader = csv.reader(io.StringIO(text))
    try:
        return list(reader)
    except csv.Error as error:
        if "field limit" in str(error):
            why = f"a field is longer than {csv.field_size_limit():,} characters"
        elif "new-line" in str(error):
            why = "a carriage return (\\r) inside a field that is not quoted; remove it or quote the field"
        else:
            why = f"not readable as CSV ({error})"
        raise DataError(f"{path}: line {reader.line_num}: {why}") from None


def _structural_problems(raw: pd.DataFrame) -> list[Problem]:
    problems = [Problem(None, c, _MISSING[c]) for c in REQUIRED_COLUMNS if c not in raw]
    if any(p.column != "country" for p in problems):
        return problems
    if raw.empty:
        return [*problems, Problem(None, None, "the file has a header but no rows")]
    first_seen: dict[str, int] = {}
    for line, code in raw["code"].items():
        if code == "":
            problems.append(Problem(line, "code", "empty code"))
        elif code in first_seen:
            problems.append(Problem(line, "code", f"duplicate code '{code}' (first on line {first_seen[code]})"))
        else:
            first_seen[code] = line
    # Commands find an area by name as well as code, and every output names it.
    problems += [Problem(line, "name", "empty name") for line, name in raw["name"].items() if name == ""]
    return problems


_COUNTRY_LIST = f"{', '.join(COUNTRIES[:-1])} or {COUNTRIES[-1]}"
_MISSING = {
    "code": "required column is missing",
    "name": "required column is missing",
    "country": f"required column is missing (each area's country: {_COUNTRY_LIST})",
}


def _country_problems(raw: pd.DataFrame) -> list[Problem]:
    # Rules select areas by country, so an area with no known country would silently drop out.
    if "country" not in raw:
        return []
    problems = []
    for line, country in raw["country"].items():
        if country == "":
            problems.append(Problem(line, "country", f"empty country; use {_COUNTRY_LIST}"))
        elif country not in COUNTRIES:
            problems.append(Problem(line, "country", f"'{country}' is not a country of the dataset; "
                                                     f"use {_COUNTRY_LIST}"))
    return problems


def _typed(raw: pd.DataFrame, metadata: dict) -> tuple[pd.DataFrame, list[Problem]]:
    """Each column as numbers (whole numbers where its unit counts things) or text, blanks as
    missing; the frame is built once from its columns (setting a thousand columns one by one into
    a frame took seconds), and each column is worked on as a numpy array (as pandas Series, the
    checks took most of a command's time to load its data)."""
    columns, problems = {}, []
    for column in raw.columns:
        text = raw[column].to_numpy()
        blank = text == ""
        given = text.copy()
        given[blank] = np.nan
        if not _is_numeric_column(column, text[~blank], metadata.get(column)):
            columns[column] = pd.Series(given, index=raw.index, dtype=object)  # kept as object, as read
            continue
        values = np.asarray(pd.to_numeric(given, errors="coerce"), dtype=float)
        bad = np.isnan(values) & ~blank
        if bad.any():
            problems += _not_numbers(raw[column], bad)
        for line in raw.index[np.isinf(values)]:
            problems.append(Problem(line, column, f"'{raw.at[line, column]}' is not a finite number"))
        for line in raw.index[np.isfinite(values) & (np.abs(values) > MAX_MAGNITUDE)]:
            problems.append(Problem(line, column, f"'{raw.at[line, column]}' is too large: numbers must lie "
                                                  f"within ±1e15 (beyond that, sums lose precision)"))
        columns[column] = _integer_or_float(values, metadata.get(column))
    return pd.DataFrame(columns, index=raw.index), problems


def _not_numbers(text: pd.Series, bad: np.ndarray) -> list[Problem]:
    """A problem for each text that is not a number, except that numbers written with a thousands
    separator (``530,094``) are one problem for the whole column, however many lines have them."""
    separated = bad & text.str.fullmatch(THOUSANDS.pattern).to_numpy(dtype=bool)
    problems = []
    if separated.any():
        first = text.index[separated.argmax()]
        example = text[first]
        problems.append(Problem(None, text.name, f"{int(separated.sum())} value{'s' if separated.sum() > 1 else ''} "
                                                 f"written with a thousands separator, first on line {first} "
                                                 f"('{example}'); write numbers without separators "
                                                 f"({example.replace(',', '')})"))
    return problems + [Problem(line, text.name, f"'{text[line]}' is not a number")
                       for line in text.index[bad & ~separated]]


def _is_numeric_column(column: str, present: np.ndarray, meta: dict | None) -> bool:
    """Whether ``column`` (``present``: its values that are not blank) holds numbers: as its metadata
    says, else if most of its values read as numbers, counting those written with a thousands separator
    (``530,094``: refused, as in a known column, rather than taken for text that no rule could use)."""
    if column in {"code", "name"}:
        return False
    if meta is not None:
        return meta["unit"] not in TEXT_UNITS
    if not len(present):
        return False
    numbers = pd.notna(pd.to_numeric(present, errors="coerce"))
    separated = np.array([THOUSANDS.fullmatch(value) is not None for value in present], dtype=bool)
    return (numbers | separated).mean() >= NUMERIC_SHARE_OF_TEXT


def _integer_or_float(values: np.ndarray, meta: dict | None) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """``values`` as whole numbers (pandas' nullable Int64) where the column's unit counts things and every
    value is whole and within range (else refused, and kept as floats), otherwise as floats."""
    if meta is None or meta["unit"] not in INTEGER_UNITS:
        return values
    whole = values[~np.isnan(values)]
    exact = np.isfinite(whole).all() and (np.abs(whole) <= MAX_MAGNITUDE).all()
    if exact and (whole == np.round(whole)).all():
        return pd.array(values, dtype="Int64")
    return values


def _range_problems(frame: pd.DataFrame, metadata: dict) -> list[Problem]:
    problems = []
    for column in frame.columns:
        bounds = _bounds(column, metadata.get(column))
        if bounds is None or not pd.api.types.is_numeric_dtype(frame[column]):
            continue
        low, high, what = bounds
        values = frame[column].to_numpy(dtype=float, na_value=np.nan)
        finite = np.isfinite(values)  # a value that is not finite is already a problem of its own
        for i in np.flatnonzero(finite & ((values < low) | (values > high))):
            problems.append(Problem(int(frame.index[i]), column, f"{values[i]:g} is outside {what}"))
        if column == CATEGORY_COLUMN:  # groups are whole numbers: 1.5 would pass the range and fail every rule
            for i in np.flatnonzero(finite & (values >= low) & (values <= high) & (values != np.round(values))):
                problems.append(Problem(int(frame.index[i]), column,
                                        f"{values[i]:g} is not a whole category (1, 2 or 3)"))
    return problems


def _bounds(column: str, meta: dict | None) -> tuple[float, float, str] | None:
    """A column's valid range and how to say it: by its kind where the name says (HLE, the LUF category), else
    the range its metadata gives (population_density_2019's), else by its kind (a population, a share)."""
    if column.startswith("hle_") and not column.endswith(STANDARD_ERROR_SUFFIX):
        return (*HLE_RANGE, "40-90 years (healthy life expectancy)")
    if column == CATEGORY_COLUMN:
        return (1.0, 3.0, "categories 1-3")
    if meta is not None and "range" in meta:
        low, high = meta["range"]
        return (low, high, f"{low:g}-{high:g} {meta['unit']}")
    if column.startswith("population"):
        return (1.0, np.inf, "a population's range (1 or more people)")
    if (meta is not None and meta["unit"] == "%") or column.endswith(("_share", "_rate", "_prevalence")):
        return (*SHARE_RANGE, "0-100 (a percentage share)")
    return None
