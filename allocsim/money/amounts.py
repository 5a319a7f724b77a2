"""Amounts of money written as text: ``4.8e9``, ``4800000000`` or ``4,800,000,000``."""

from __future__ import annotations

import re

# Commas only as thousands separators: 1 to 3 digits, then groups of exactly 3, then any decimals.
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def pounds_from_text(text: str) -> float:
    """The number ``text`` writes, allowing commas only between groups of three digits
    (``4,800,000,000``); raises :class:`ValueError` for anything else, such as ``4,8`` (which
    dropping the comma would read as 48)."""
    text = text.strip()
    if "," in text:
        if not THOUSANDS.fullmatch(text):
            raise ValueError(f"misplaced comma in {text!r}")
        text = text.replace(",", "")
    return float(text)
