"""Amounts of money given as numbers or written as text: ``4.8e9``, ``4800000000`` or ``4,800,000,000``."""

from __future__ import annotations

import numbers

from allocsim.checks import THOUSANDS


def pounds(value: object) -> float:
    """An amount in pounds given as text (:func:`pounds_from_text`) or as a real number, not a bool; raises
    :class:`TypeError` or :class:`ValueError` for anything else, and :class:`OverflowError` for a whole number
    beyond any float. Range checks are the caller's."""
    if isinstance(value, str):
        return pounds_from_text(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"not an amount: {value!r}")
    return float(value)


def pounds_from_text(text: str) -> float:
    """The number ``text`` writes, allowing commas only between groups of three digits
    (``4,800,000,000``); raises :class:`ValueError` for anything else, such as ``4,8`` (which
    dropping the comma would read as 48)."""
    text = text.strip()
    if "_" in text:  # float() reads 4_8 as 48, as dropping a comma would
        raise ValueError(f"an underscore in {text!r}")
    if "," in text:
        if not THOUSANDS.fullmatch(text):
            raise ValueError(f"misplaced comma in {text!r}")
        text = text.replace(",", "")
    return float(text)
