"""Healthy life expectancy columns, known by their names: ``hle_<sex>_<first year>_<yy>``, then
``_district`` for the modelled district estimate and ``_r2022`` for the 2022 release
(``hle_male_2011_13``, ``hle_female_2018_20_district``). A standard error (``..._se``) or any other
column is not one."""

from __future__ import annotations

import re

HLE = re.compile(r"^hle_(male|female)_(\d{4})_(\d{2})(_district)?(_r2022)?$")


def is_hle(column: str) -> bool:
    """Whether ``column`` holds healthy life expectancy."""
    return HLE.match(column) is not None


def is_district_estimate(column: str) -> bool:
    """Whether ``column`` is the modelled district estimate of HLE (shire districts not given their county's)."""
    match = HLE.match(column)
    return match is not None and match.group(4) is not None


def hle_label(column: str) -> str | None:
    """``column`` in words ("Male HLE 2011-13", "Female HLE 2018-20 (district, modelled)"); None where it is not
    an HLE column."""
    match = HLE.match(column)
    if match is None:
        return None
    sex, start, end, district, vintage = match.groups()
    extra = " (district, modelled)" if district else (" (2022 release)" if vintage else "")
    return f"{sex.title()} HLE {start}-{end}{extra}"
