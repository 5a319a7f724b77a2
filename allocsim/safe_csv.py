"""The one way allocsim turns a table into CSV text, safe to open in a spreadsheet.

Excel, LibreOffice and Google Sheets treat a cell that begins with ``=``, ``+``, ``-`` or ``@`` as
a formula, and a leading tab or carriage return can hide one, so an area named
``=HYPERLINK("http://x","a")`` in a user's data would become a live link in every output
(CSV or formula injection). Following OWASP's advice
(https://owasp.org/www-community/attacks/CSV_Injection), a text cell that begins with one of
those six characters is written with a single quote in front, which spreadsheets take as "this
cell is text" (it stays visible in a text editor). Only text cells change, and the header: a
column of numbers is written as numbers, so -1.5 stays -1.5. JSON outputs keep the raw values.

Every CSV the tool writes goes through :func:`csv_text` (a test refuses any other ``to_csv``, and
any workbook writer); a workbook writer, if one is added, must pass its text cells and headers
through :func:`neutralise` and keep them text cells.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FLOAT_FORMAT = "%.10g"


def neutralise(value: Any) -> Any:
    """``value`` with a ``'`` in front when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def is_text_column(values: pd.Series) -> bool:
    """Whether a column holds text (object, string or categorical), not numbers or dates."""
    dtype = values.dtype
    return (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
            or isinstance(dtype, pd.CategoricalDtype))


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are safe in a spreadsheet."""
    shown = frame.copy()
    for position in range(shown.shape[1]):
        values = shown.iloc[:, position]
        if is_text_column(values):
            shown.isetitem(position, values.astype(object).map(neutralise))
    shown.columns = [neutralise(c) for c in shown.columns]
    return shown


def csv_text(frame: pd.DataFrame, formats: Mapping[str, Callable[[Any], str]] | None = None) -> str:
    """``frame`` as CSV text without its index: text cells neutralised (decided on the columns'
    own types, before ``formats`` turns numbers into text), numbers to ten significant figures.

    ``formats`` writes chosen numeric columns in a fixed way (e.g. pounds to the penny).
    """
    shown = neutralised(frame)
    for column, show in (formats or {}).items():
        if column in frame.columns:
            shown[neutralise(column)] = frame[column].map(show).to_numpy()
    return shown.to_csv(index=False, lineterminator="\n", float_format=FLOAT_FORMAT)
