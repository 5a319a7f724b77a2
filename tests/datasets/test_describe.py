"""Finding an area by code or name."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from allocsim.datasets.describe import find_area
from allocsim.errors import DataError

AREAS = pd.DataFrame({"name": ["B2", "Beta", "Alpha", "Alpha", np.nan]}, index=["A1", "B2", "C3", "D4", "E5"])


def test_a_code_wins_over_another_areas_name():
    assert find_area(AREAS, "b2") == "B2"
    assert find_area(AREAS, "beta") == "B2"


def test_a_name_that_several_areas_share_is_refused_listing_their_codes():
    with pytest.raises(DataError, match=r"^area 'Alpha' is the name of 2 areas: Alpha \(C3\), Alpha \(D4\); "
                                        r"give the code$"):
        find_area(AREAS, "Alpha")
    assert find_area(AREAS, "D4") == "D4"


def test_an_area_without_a_name_is_no_crash():
    assert find_area(AREAS, "E5") == "E5"
    with pytest.raises(DataError, match="unknown area 'Gamma'"):
        find_area(AREAS, "Gamma")
