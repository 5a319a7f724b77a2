"""The focus areas of a comparison: the share of areas at one end of an indicator, with every area tied
at the cut-off: the lowest values by default (low HLE by default), the highest where a higher value means
more need (an IMD score, smoking prevalence: ``--focus-end highest``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from allocsim.errors import AllocsimError
from allocsim.hle import is_hle
from allocsim.results import JsonResult

DEFAULT_FOCUS = "hle_male_2011_13"
DEFAULT_FOCUS_SHARE = 0.3
# --focus-end: which end of the focus column the focus areas are taken from, and the sign that makes that end
# the lowest values
FOCUS_ENDS = {"lowest": 1.0, "highest": -1.0}
DEFAULT_FOCUS_END = "lowest"
# The columns a comparison's per-area table makes itself (allocsim.comparison.table); the focus
# column and its flag column are copied in beside them, so neither may take one of these names.
TABLE_COLUMNS = ("code", "name", "country", "base_rank", "alt_rank", "rank_change", "base_group", "alt_group",
                 "group_change", "in_focus")


def check_focus(data: pd.DataFrame, focus: str, focus_share: float, focus_end: str = DEFAULT_FOCUS_END) -> None:
    """Refuse (:class:`~allocsim.errors.AllocsimError`) a ``focus`` that is not a numeric column of ``data``,
    or one named like a column the comparison table makes itself (:data:`TABLE_COLUMNS`, which it would
    overwrite; its flag column too), a ``focus_share`` outside (0, 1]: above 0, and at most 1, or a
    ``focus_end`` not one of :data:`FOCUS_ENDS`."""
    _sign(focus_end)
    if focus not in data.columns:
        raise AllocsimError(f"--focus: '{focus}' is not a column of the dataset")
    if not pd.api.types.is_numeric_dtype(data[focus]):
        raise AllocsimError(f"--focus: column '{focus}' is not numeric")
    for column in (focus, flag_column(data, focus)):
        if column in TABLE_COLUMNS:
            raise AllocsimError(f"--focus {focus}: the dataset's column '{column}' has the name of a column the "
                                f"comparison table holds ({', '.join(TABLE_COLUMNS)}); rename it in the data")
    if not 0 < focus_share <= 1:
        raise AllocsimError(f"--focus-share: must be in (0, 1], got {focus_share:g}")


def money_hle_column(data: pd.DataFrame, focus: str, money_options: dict) -> dict:
    """The money options with the health model's HLE column set to the focus column when the focus
    is healthy life expectancy and the user set no HLE column of their own: the money tables then
    break down by the measure the comparison is about (``--focus hle_female_2018_20`` gives HLE
    deciles of female HLE 2018-20)."""
    chosen = [o for o in money_options.get("param_overrides", ()) if o.split("=")[0].strip().startswith("hle_column")]
    if money_options.get("hle_column") or chosen or not is_hle(focus):
        return money_options
    return {**money_options, "hle_column": focus}


def focus_areas(column: str, count: int | None = None, end: str = DEFAULT_FOCUS_END) -> str:
    """The focus areas in a heading: "110 lowest-HLE areas" where ``column`` is a healthy life expectancy,
    else "110 areas with the lowest imd2019_rank" (the ``end`` they are taken from; without ``count``, no
    number)."""
    number = "" if count is None else f"{count} "
    return f"{number}{end}-HLE areas" if is_hle(column) else f"{number}areas with the {end} {column}"


def lowest_first(end: str) -> bool:
    """Whether lists of focus areas run from the lowest value up (their end's value first, inwards)."""
    return _sign(end) > 0


def from_the_end(frame: pd.DataFrame, column: str, end: str) -> pd.DataFrame:
    """``frame`` (with a ``code`` column) listed as focus areas are: from the ``end``'s value of ``column``
    inwards, then by code."""
    return frame.sort_values([column, "code"], ascending=[lowest_first(end), True], kind="stable")


def _sign(end: str) -> float:
    """What the values are multiplied by so that the focus areas are the lowest: 1, or -1 for the highest; an
    end not in :data:`FOCUS_ENDS` is refused."""
    if end not in FOCUS_ENDS:
        raise AllocsimError(f"--focus-end: must be {' or '.join(FOCUS_ENDS)}, got {end!r}")
    return FOCUS_ENDS[end]


def flag_column(data: pd.DataFrame, column: str) -> str | None:
    """The column flagging how each value of ``column`` was obtained (upper tier, modelled, ...), as
    the dataset's metadata names it, when the data have it: shown beside the value wherever it is."""
    flag = data.attrs.get("columns", {}).get(column, {}).get("flag_column")
    return flag if flag in data.columns and flag != column else None


def focus_target(values: pd.Series, share: float) -> int:
    """How many areas ``share`` asks for: the share of areas with a value, rounded half up."""
    return _areas_asked(share, int(values.notna().sum()))


def _areas_asked(share: float, present: int) -> int:
    return int(np.floor(share * present + 0.5))


def minimum_focus_share(present: int) -> float:
    """The smallest share, rounded up to two significant figures, that asks for at least one of
    ``present`` areas (the count rounds half up, so the exact minimum is half an area)."""
    exact = 0.5 / present
    step = 10.0 ** (math.floor(math.log10(exact)) - 1)
    share = float(f"{math.ceil(exact / step) * step:.2g}")
    while _areas_asked(share, present) == 0:  # guards against binary rounding just below half an area
        share = float(f"{share + step:.2g}")
    return share


def focus_cutoff(values: pd.Series, share: float, end: str = DEFAULT_FOCUS_END) -> float | None:
    """The value of the focus set nearest the middle: its highest, or its lowest when the focus areas are the
    highest (None when ``share`` asks for no area)."""
    n, sign = focus_target(values, share), _sign(end)
    return sign * float(np.sort(sign * values.dropna().to_numpy(dtype=float))[n - 1]) if n else None


def focus_set(values: pd.Series, share: float, end: str = DEFAULT_FOCUS_END) -> pd.Index:
    """The lowest ``share`` of areas by ``values`` (or the highest, by ``end``), plus every area tied at the
    cut-off value.

    Areas with the same value are treated alike, so the set can be larger than ``share``
    (HLE is published to one decimal and shire districts share their county's value); it is
    listed from the end's value inwards, then by area code.
    """
    cutoff, sign = focus_cutoff(values, share, end), _sign(end)
    present = values.dropna()
    chosen = present[sign * present <= sign * cutoff] if cutoff is not None else present.iloc[:0]
    order = np.lexsort((chosen.index.to_numpy(dtype=str), sign * chosen.to_numpy(dtype=float)))
    return pd.Index(chosen.index[order])


@dataclass(frozen=True)
class FocusSelection(JsonResult):
    """How :func:`focus_set` chose: the ``share`` asked for, the ``target_areas`` it is, the
    ``cutoff_value``, the areas ``tied_at_cutoff`` and the ``areas`` in the set, which exceed the
    target only when areas tied at the cut-off were added; the share is of the areas with a value, and
    ``areas_without_value`` are left out of it (IMD 2019 is England's alone, for example); ``end``: the
    lowest values or the highest."""

    share: float
    target_areas: int
    cutoff_value: float | None
    tied_at_cutoff: int
    areas: int
    areas_without_value: int = 0
    end: str = DEFAULT_FOCUS_END

    def describe(self, column: str) -> str:
        """The focus areas in words; ties are named only when areas tied at the cut-off enlarged the set, and
        areas without a value when there are some."""
        share = f"{self.share * 100:g}% of {'the areas with a value' if self.areas_without_value else 'areas'}"
        none = (f"; {self.areas_without_value} area{'s have' if self.areas_without_value != 1 else ' has'} none"
                if self.areas_without_value else "")
        chosen = f"the {self.areas} area{'s' if self.areas != 1 else ''} with the {self.end} {column}"
        if self.areas == self.target_areas:
            return f"{chosen} ({share}{none})"
        return (f"{chosen} ({share} is {self.target_areas}{none}; all {self.tied_at_cutoff} areas tied "
                f"at the cut-off {self.cutoff_value:g} are in)")


def focus_selection(values: pd.Series, share: float, end: str = DEFAULT_FOCUS_END) -> FocusSelection:
    """How :func:`focus_set` chooses from ``values`` at ``share`` and ``end``: the areas asked for, the cut-off
    value, the areas tied at it and the areas in the set."""
    cutoff = focus_cutoff(values, share, end)
    return FocusSelection(share, focus_target(values, share), cutoff,
                          int((values == cutoff).sum()) if cutoff is not None else 0,
                          len(focus_set(values, share, end)), int(values.isna().sum()), end)


def check_focus_selects(values: pd.Series, focus: str, share: float, end: str = DEFAULT_FOCUS_END) -> None:
    """Refuse a focus share too small to select any of the areas in ``values``."""
    present = int(values.notna().sum())
    if not present:
        raise AllocsimError(f"--focus {focus}: none of the {len(values)} areas has a value")
    if focus_target(values, share) == 0:
        raise AllocsimError(f"--focus-share {share:g}: selects no area (the {end} {share:g} of the "
                            f"{present} areas with {focus} rounds to none); use at least "
                            f"{minimum_focus_share(present):g}")
