"""Amounts of money written as text: commas only as thousands separators."""

from __future__ import annotations

import pytest

import allocsim
from allocsim.errors import AllocsimError
from allocsim.money.amounts import pounds_from_text
from allocsim.money.settings import budget_pence


@pytest.mark.parametrize(("text", "pounds"), [("4,800,000,000", 4.8e9), ("4.8e9", 4.8e9), ("1,000.5", 1000.5),
                                                ("999", 999.0), ("-1,000", -1000.0)])
def test_amounts_with_thousands_separators_are_read(text, pounds):
    assert pounds_from_text(text) == pounds


@pytest.mark.parametrize("text", ["4,8", "1,0000", ",100", "100,", "1,,000", "4,800,00", "1e9,000", "0,001", "00,001", "4_8"])
def test_a_misplaced_comma_is_refused_not_dropped(text):
    """"4,8" was read as 48 pounds: dropping every comma turns a typo into a wrong number (and float()
    reads "4_8" as 48 too)."""
    with pytest.raises(ValueError):
        pounds_from_text(text)
    with pytest.raises(AllocsimError, match=f"--budget: .*got '{text}'"):
        budget_pence(text)


def test_an_envelope_with_a_misplaced_comma_is_refused(dataset):
    with pytest.raises(AllocsimError, match="--envelopes: England's envelope '4,8' is not an amount in pounds"):
        allocsim.simulate("hle-only", dataset, 1e9, envelopes={"England": "4,8"})


@pytest.mark.parametrize("amount", [True, None, [1]])
def test_an_envelope_that_is_not_an_amount_is_refused(dataset, amount):
    """True was read as £1 (float(True))."""
    with pytest.raises(AllocsimError, match="--envelopes: England's envelope .* is not an amount in pounds"):
        allocsim.simulate("hle-only", dataset, 1e9, envelopes={"England": amount, "Scotland": 0, "Wales": 0})
