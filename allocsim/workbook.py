"""Excel workbooks: the tables a command writes as CSV, one sheet each, behind a README sheet that
names the command, the data, the price base, the sources and what every column means.

Written with XlsxWriter (see README, "Dependencies"): it writes .xlsx only, needs nothing else, is
maintained, and writes each cell with the type we give it, so no text is ever stored as a formula
(``strings_to_formulas`` off). Text cells that begin with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return are also given a leading ``'`` (OWASP's advice for CSV injection), as in the CSV
files, so a copied cell cannot become a formula either. Numbers stay numbers.

The workbook is byte-for-byte the same for the same inputs (a fixed creation date).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from allocsim.glossary import define
from allocsim.safe_csv import neutralise
from allocsim.version import __version__

SHEET_NAME_LIMIT = 31  # Excel's
FIXED_DATE = datetime(2020, 4, 1)  # reruns give identical bytes; the README sheet names the run instead
POUNDS_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class About:
    """What the README sheet says about the run."""

    title: str
    command: str
    dataset: str = ""
    price_base: str | None = None
    notes: list[str] = field(default_factory=list)


def tables_from_files(files: dict[str, str]) -> dict[str, pd.DataFrame]:
    """The CSV files of a run (name -> text) as tables, so the workbook holds what the CSVs hold."""
    return {name: pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
            for name, text in files.items() if name.endswith(".csv")}


def sheet_names(names: list[str]) -> dict[str, str]:
    """File name -> sheet name: the stem, cut to Excel's 31 characters and kept unique."""
    sheets: dict[str, str] = {}
    for name in names:
        stem = Path(name).stem[:SHEET_NAME_LIMIT]
        candidate, n = stem, 2
        while candidate.lower() in {s.lower() for s in sheets.values()} or candidate.lower() == "readme":
            suffix = f"~{n}"
            candidate, n = stem[:SHEET_NAME_LIMIT - len(suffix)] + suffix, n + 1
        sheets[name] = candidate
    return sheets


def workbook_bytes(files: dict[str, str], about: About, data: pd.DataFrame | None = None) -> bytes:
    """The workbook of a run's ``files`` (name -> text, as the command writes them): a README sheet,
    one sheet per CSV, and one per JSON file (``summary.json`` flattened to one key per row)."""
    import xlsxwriter

    tables = tables_from_files(files)
    tables |= {name: flatten(json.loads(text)) for name, text in files.items() if name.endswith(".json")}
    sheets = sheet_names(list(tables))
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    book.set_properties({"title": neutralise(about.title), "created": FIXED_DATE,
                         "comments": f"allocsim {__version__}"})
    formats = {"bold": book.add_format({"bold": True}), "pounds": book.add_format({"num_format": POUNDS_FORMAT}),
               "wrap": book.add_format({"text_wrap": True, "valign": "top"})}
    _readme(book.add_worksheet("README"), tables, sheets, about, data, formats)
    for name, frame in tables.items():
        _table(book.add_worksheet(sheets[name]), frame, formats)
    book.close()
    return buffer.getvalue()


def flatten(value, prefix: str = "") -> pd.DataFrame:
    """A JSON value as rows of ``key`` (dotted path) and ``value`` (text, number or blank)."""
    rows: list[tuple[str, object]] = []

    def walk(v, key):
        if isinstance(v, dict):
            for k, item in v.items():
                walk(item, f"{key}.{k}" if key else str(k))
        elif isinstance(v, list) and any(isinstance(i, (dict, list)) for i in v):
            for i, item in enumerate(v):
                walk(item, f"{key}[{i}]")
        else:
            rows.append((key, ", ".join(map(str, v)) if isinstance(v, list) else v))

    walk(value, prefix)
    return pd.DataFrame(rows, columns=["key", "value"])


def _table(sheet, frame: pd.DataFrame, formats: dict) -> None:
    for j, column in enumerate(frame.columns):
        sheet.write_string(0, j, neutralise(str(column)), formats["bold"])
        pounds = _is_pounds(column)
        for i, value in enumerate(frame[column].tolist(), start=1):
            _cell(sheet, i, j, value, formats["pounds"] if pounds else None)
    sheet.freeze_panes(1, 0)
    if len(frame.columns):
        sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    sheet.autofit()


def _cell(sheet, row: int, col: int, value, fmt) -> None:
    if value is None or (isinstance(value, float) and value != value):
        sheet.write_blank(row, col, None)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, fmt)
    else:
        sheet.write_string(row, col, neutralise(str(value)))


def _is_pounds(column: str) -> bool:
    from allocsim.outputs import POUNDS_COLUMNS

    return column in POUNDS_COLUMNS or str(column).startswith("allocation:")


def _readme(sheet, tables: dict[str, pd.DataFrame], sheets: dict[str, str], about: About,
            data: pd.DataFrame | None, formats: dict) -> None:
    rows: list[tuple] = [(about.title,), (),
                         ("Made by", f"allocsim {__version__}"), ("Command", about.command),
                         ("Dataset", about.dataset),
                         ("Price base", about.price_base or "no amounts in pounds"),
                         ("Formula safety", "text cells that begin with = + - @, a tab or a carriage return start "
                                            "with ' (OWASP); no cell is a formula"),
                         *[("Note", n) for n in about.notes], (), ("Sheet", "File", "Rows")]
    rows += [(sheets[name], name, len(frame)) for name, frame in tables.items()]
    rows += [(), ("Column", "Definition", "Sheets")]
    columns: dict[str, list[str]] = {}
    for name, frame in tables.items():
        for column in frame.columns if not name.endswith(".json") else ():
            columns.setdefault(str(column), []).append(sheets[name])
    rows += [(column, define(column, data) or "see allocsim's README, 'Outputs'", ", ".join(where))
             for column, where in columns.items()]
    rows += [(), ("Dataset column", "Source", "Publisher", "Licence", "Address")]
    rows += _sources(tables, data)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            bold = formats["bold"] if (i == 0 or row[0] in ("Sheet", "Column", "Dataset column")) else None
            _cell(sheet, i, j, value, bold)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 90, formats["wrap"])
    sheet.set_column(2, 2, 40)


def _sources(tables: dict[str, pd.DataFrame], data: pd.DataFrame | None) -> list[tuple]:
    meta = (data.attrs.get("columns") or {}) if data is not None else {}
    used = dict.fromkeys(c for frame in tables.values() for c in frame.columns if c in meta)
    return [(c, meta[c].get("source", ""), meta[c].get("publisher", ""), meta[c].get("licence", ""),
             meta[c].get("source_url", "")) for c in used]
