"""The public functions' argument checks: what a Python caller can pass that the command line cannot."""

from __future__ import annotations

import pytest

import allocsim
from allocsim.errors import AllocsimError

HUGE = 10**400  # a whole number no float can hold: float() raises OverflowError


@pytest.mark.parametrize(("call", "culprit"), [
    (lambda d, h: allocsim.simulate("hle-only", d, h), "--budget: must be at most 1e+13 pounds"),
    (lambda d, h: allocsim.simulate("hle-only", d, 1e9, envelopes={"England": h}), "--envelopes: England's envelope"),
    (lambda d, h: allocsim.compare("luf-2021-published", "hle-only", d, focus_share=h), "--focus-share: must be a number"),
    (lambda d, h: allocsim.search("health-inclusive", d, vary="health", target="focus_in_group1_share>=0.5",
                                  focus_share=h), "--focus-share: must be a number"),
    (lambda d, h: allocsim.sensitivity("hle-only", d, spread=h), "--spread: must be a number"),
], ids=["simulate-budget", "simulate-envelope", "compare-focus-share", "search-focus-share", "sensitivity-spread"])
@pytest.mark.parametrize(("huge", "digits"), [(HUGE, 401), (10**5000, 5001)], ids=["401-digits", "5001-digits"])
def test_whole_numbers_beyond_a_float_are_refused_naming_the_argument(call, culprit, huge, digits, dataset):
    """10**5000 is beyond the 4,300 digits Python will write as text: its message once ended in a ValueError."""
    with pytest.raises(AllocsimError, match=f"whole number of {digits} digits") as refused:
        call(dataset, huge)
    assert culprit in str(refused.value)


@pytest.mark.parametrize("spread", [1e-300, 1e-160, 5e-7])
def test_a_spread_too_small_to_compute_is_refused(spread, dataset):
    """1e-300 ended in ZeroDivisionError, 1e-160 in a TypeError after the output was written."""
    with pytest.raises(AllocsimError, match=f"--spread: must be 0 .* or at least 1e-06, got {spread:g}"):
        allocsim.sensitivity("hle-only", dataset, draws=10, spread=spread)
