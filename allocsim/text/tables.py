"""Tables and prose for the terminal: headers in words with units, money in £m, the number format of
each column declared by name, and everything fitted to the terminal's width (``COLUMNS``, or the
terminal itself)."""

from __future__ import annotations

import re
import shutil
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allocsim.hle import hle_label
from allocsim.results import Interval

if TYPE_CHECKING:
    import pandas as pd

SUFFIXES = ("median", "p05", "p95")
DEFAULT_FORMAT = "{:.4g}"
MIN_WIDTH = 60


# 12 x the QALYs before discounting over the population, shown beside present-value QALYs: said every time
HEALTHY_MONTHS = "healthy months per resident (undiscounted)"


@dataclass(frozen=True)
class Column:
    """How a known column is shown in a terminal table: its header in words with the unit, its number format,
    and what values are divided by first (1e6 for £m)."""

    label: str  # the header, in words, with the unit
    fmt: str = DEFAULT_FORMAT
    scale: float = 1.0  # values are divided by this before formatting (pounds shown in £m)


# How each known column is shown. An interval column (``<stem>_median``, ``_p05``, ``_p95``) is
# shown as one ``median (p05 to p95)`` column, and ``<stem>_central`` beside it, under its stem.
COLUMNS = {
    "code": Column("code"), "name": Column("area"), "country": Column("nation"),
    "areas": Column("areas"), "group": Column("group"), "population": Column("residents", "{:,.0f}"),
    "base_group": Column("group before"), "alt_group": Column("group after"),
    "base_rank": Column("rank before", "{:.1f}"), "alt_rank": Column("rank after", "{:.0f}"),
    "allocation": Column("£m", "{:,.1f}", 1e6), "base_allocation": Column("£m before", "{:,.1f}", 1e6),
    "alt_allocation": Column("£m after", "{:,.1f}", 1e6), "allocation_change": Column("change £m", "{:+,.1f}", 1e6),
    "allocation_p05": Column("£m, 5th pct", "{:,.1f}", 1e6), "allocation_p95": Column("£m, 95th pct", "{:,.1f}", 1e6),
    "allocation_per_head": Column("£ per resident", "{:,.2f}"),
    "funded_probability": Column("chance of money", "{:.0%}"),
    "modelled_qalys": Column("QALYs", "{:,.0f}"), "modelled_qalys_change": Column("QALY change", "{:+,.0f}"),
    "modelled_value_gbp": Column("value £m", "{:,.1f}", 1e6), "modelled_bcr": Column("benefit-cost ratio", "{:.2f}"),
    "modelled_healthy_months": Column(HEALTHY_MONTHS, "{:.4f}"),
    "modelled_healthy_months_change": Column(f"{HEALTHY_MONTHS}, change", "{:+.4f}"),
}


def label(column: str) -> str:
    """A column's header in words (HLE columns spelt out with their period and unit)."""
    hle = hle_label(column)
    if hle is not None:
        return f"{hle[0].lower()}{hle[1:]}, years"
    return COLUMNS[column].label if column in COLUMNS else column.replace("_", " ")


def width() -> int:
    """The terminal's width in characters: ``COLUMNS`` if set, else the terminal's, else 120."""
    return max(MIN_WIDTH, shutil.get_terminal_size(fallback=(120, 24)).columns)


def table(frame: pd.DataFrame, index: bool = False, floatfmt: str = "{:.3f}",
          labels: dict[str, str] | None = None) -> str:
    """``frame`` as text, two spaces in, headers in words, wrapped into blocks of columns that fit
    the terminal, each block led by the row labels (the index, or else the first column)."""
    import pandas as pd

    if frame.empty:
        return "  (none)"
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else floatfmt.format(v))
        elif pd.api.types.is_integer_dtype(shown[column]) and shown[column].hasnans:  # nullable: blank, not <NA>
            shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else str(v))
    shown = shown.rename(columns=lambda c: (labels or {}).get(c, label(c)) if isinstance(c, str) else c)
    text = "\n\n".join(block.to_string(index=index) for block in _blocks(shown, index, width() - 2))
    return "\n".join(("  " + line).rstrip() for line in text.splitlines())


def _blocks(shown: pd.DataFrame, index: bool, room: int) -> list[pd.DataFrame]:
    """``shown`` cut into blocks of its columns that fit in ``room`` characters (at least one column each),
    every block led by the row labels: the index, or else the first column. pandas' own wrapping drops the
    first column from later blocks and ends each line of all blocks but the last with a backslash."""
    label = [] if index else list(shown.columns[:1])
    blocks, block = [], []
    for column in shown.columns[len(label):]:
        wider = shown[[*label, *block, column]].to_string(index=index)
        if block and max(map(len, wider.splitlines())) > room:
            blocks.append(shown[[*label, *block]])
            block = []
        block.append(column)
    return [*blocks, shown[[*label, *block]]]


def listing(rows: list[tuple[str, ...]], headers: tuple[str, ...]) -> str:
    """``rows`` as left-aligned columns under ``headers``, two spaces in, the last column wrapped to
    the terminal's width (for short listings; no pandas)."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers) - 1)]
    lead = 2 + sum(w + 2 for w in widths)
    room = max(20, width() - lead)
    lines = []
    for row in [headers, *rows]:
        first = "  " + "".join(f"{str(v):<{w}}  " for v, w in zip(row, widths))
        wrapped = textwrap.wrap(str(row[-1]), room) or [""]
        lines += [first + wrapped[0], *(" " * lead + rest for rest in wrapped[1:])]
    return "\n".join(line.rstrip() for line in lines)


def pounds(value: float) -> str:
    """An amount of money for reading: £m to one decimal from a million up, else to the penny."""
    return f"£{value / 1e6:,.1f}m" if abs(value) >= 1e6 else f"£{value:,.2f}"


def millions(value: float) -> str:
    """An amount in pounds as £m to one decimal, whatever its size (``£4,800.0m``; compare :func:`pounds`)."""
    return f"£{value / 1e6:,.1f}m"


def interval_text(q: Interval, fmt: str = "{:,.0f}", scale: float = 1.0) -> str:
    """``median (p05 to p95)``, each formatted with ``fmt`` after dividing by ``scale``."""
    import pandas as pd

    if q.median is None or pd.isna(q.median):
        return "n/a"
    median, low, high = (fmt.format(v / scale) for v in (q.median, q.p05, q.p95))
    return f"{median} ({low} to {high})"


def table_money(frame: pd.DataFrame, labels: dict[str, str] | None = None) -> str:
    """A table of money and modelled health: each ``<measure>_median/_p05/_p95`` trio shown as one
    ``median (p05 to p95)`` column and ``<measure>_central`` as ``... central``, each number in the
    format :data:`COLUMNS` declares (money in £m)."""
    import pandas as pd

    shown = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        stem = column.removesuffix("_median").removesuffix("_central")
        spec = COLUMNS.get(stem, Column(label(stem)))
        if column.endswith(("_p05", "_p95")) and f"{column[:-4]}_median" in frame.columns:
            continue
        if column.endswith("_median"):
            trios = frame[[column, f"{stem}_p05", f"{stem}_p95"]].to_numpy()
            shown[f"{spec.label}, median (90%)"] = [interval_text(Interval(*trio), spec.fmt, spec.scale)
                                                    for trio in trios]
        elif pd.api.types.is_float_dtype(frame[column]):
            name = f"{spec.label}, central" if column.endswith("_central") else spec.label
            shown[name] = frame[column].map(lambda v, s=spec: "" if pd.isna(v) else s.fmt.format(v / s.scale))
        else:
            shown[(labels or {}).get(column, label(column))] = frame[column]
    return table(shown, labels={})


def fit(text: str) -> str:
    """``text`` with every line of prose longer than the terminal wrapped, its indent kept (table
    lines, already wrapped into blocks of columns, are left alone)."""
    limit = width()
    out = []
    for line in text.splitlines():
        if len(line) <= limit or re.search(r"\S {2,}\S", line.strip()):
            out.append(line)
            continue
        indent = line[:len(line) - len(line.lstrip())]
        out += textwrap.wrap(line.strip(), limit, initial_indent=indent, subsequent_indent=indent + "  ",
                             break_on_hyphens=False, break_long_words=False)
    return "\n".join(out)
