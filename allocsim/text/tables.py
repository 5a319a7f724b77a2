"""Tables for the terminal, and the number format of each column, declared by name."""

from __future__ import annotations

import pandas as pd

from allocsim.results import Interval

SUFFIXES = ("median", "p05", "p95")
WHOLE_POUNDS, CHANGE_POUNDS = "{:,.0f}", "{:+,.0f}"
# How each known column is shown; any other number gets DEFAULT_FORMAT. An interval column
# (``<stem>_median``, ``_p05``, ``_p95``) is shown as one column under its stem's format.
FORMATS = {
    "allocation": WHOLE_POUNDS, "base_allocation": WHOLE_POUNDS, "alt_allocation": WHOLE_POUNDS,
    "allocation_p05": WHOLE_POUNDS, "allocation_p95": WHOLE_POUNDS, "allocation_change": CHANGE_POUNDS,
    "allocation_per_head": "{:,.2f}", "funded_probability": "{:.2f}",
    "modelled_qalys": WHOLE_POUNDS, "modelled_qalys_change": CHANGE_POUNDS,
    "modelled_value_gbp": WHOLE_POUNDS, "modelled_bcr": "{:.2f}",
    "modelled_healthy_months": "{:.4f}", "modelled_healthy_months_change": "{:+.4f}",
}
DEFAULT_FORMAT = "{:.4g}"


def table(frame: pd.DataFrame, index: bool = False, floatfmt: str = "{:.3f}") -> str:
    if frame.empty:
        return "  (none)"
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else floatfmt.format(v))
    return "\n".join("  " + line for line in shown.to_string(index=index).splitlines())


def pounds(value: float) -> str:
    return f"£{value:,.2f}"


def interval_text(q: Interval, fmt: str = "{:,.0f}", scale: float = 1.0) -> str:
    """``median (p05 to p95)``, each formatted with ``fmt`` after dividing by ``scale``."""
    if q.median is None or pd.isna(q.median):
        return "n/a"
    median, low, high = (fmt.format(v / scale) for v in (q.median, q.p05, q.p95))
    return f"{median} ({low} to {high})"


def table_money(frame: pd.DataFrame) -> str:
    """A table with each ``<measure>_median/_p05/_p95`` trio shown as one ``median (p05 to p95)``
    column, in the format :data:`FORMATS` declares for the measure (a ``<measure>_central`` column too)."""
    shown = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        stem = column.removesuffix("_median")
        if column.endswith(("_p05", "_p95")) and f"{column[:-4]}_median" in frame.columns:
            continue
        if column.endswith("_median"):
            trios = frame[[column, f"{stem}_p05", f"{stem}_p95"]].to_numpy()
            shown[stem] = [interval_text(Interval(*trio), FORMATS.get(stem, DEFAULT_FORMAT)) for trio in trios]
        elif pd.api.types.is_float_dtype(frame[column]):
            fmt = FORMATS.get(column.removesuffix("_central"), DEFAULT_FORMAT)
            shown[column] = frame[column].map(lambda v, f=fmt: "" if pd.isna(v) else f.format(v))
        else:
            shown[column] = frame[column]
    return table(shown)
