"""Checks of numeric options shared by commands (draws, seeds), with one wording for all, and how a
number written with thousands separators looks."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from allocsim.errors import ParameterError

# Commas only as thousands separators: 1 to 3 digits (not starting with 0), then groups of exactly 3,
# then any decimals: 4,800,000,000 and 530,094.5, a spreadsheet's display format; 0,001 and 4,8 are not.
THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?")


def check_whole(value: Any, option: str, low: int, high: int | None = None) -> None:
    """Refuse anything but a whole number in ``low..high``, naming the option and the value."""
    whole = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not whole or value < low or (high is not None and value > high):
        allowed = f"from {low:,} to {high:,}" if high is not None else f"{low:,} or more"
        raise ParameterError(f"{option}: must be a whole number {allowed}, got {value!r}")


def digits(whole: int) -> int:
    """How many decimal digits ``whole`` has, worked out without writing it (Python refuses to write
    a whole number of more than 4,300 digits as text)."""
    whole = abs(int(whole))
    count = int(whole.bit_length() * math.log10(2)) + 1
    return count - 1 if count > 1 and 10 ** (count - 1) > whole else count
