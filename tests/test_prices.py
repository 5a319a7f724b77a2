"""One price base: conversions follow the embedded GDP deflator, which follows the raw ONS series."""

from __future__ import annotations

import csv

import pytest

from allocsim import prices
from allocsim.datasets import deflator
from allocsim.errors import ParameterError
from allocsim.paths import deflator_path


def committed() -> dict[str, float]:
    with open(deflator_path(), encoding="utf-8") as stream:
        return {row["financial_year"]: float(row["deflator_2022_100"]) for row in csv.DictReader(stream)}


def test_conversion_matches_the_deflator_file():
    table = committed()
    assert prices.factor("2013-14") == pytest.approx(table["2020-21"] / table["2013-14"], rel=1e-12)
    assert prices.to_price_base(3800, "2013-14") == pytest.approx(3800 * 95.825 / 82.175)
    assert prices.to_price_base(70_000, "2020-21") == 70_000
    assert 1.16 < prices.factor("2013-14") < 1.17  # DOMAIN.md: about x1.166


def test_a_financial_year_is_the_mean_of_its_four_quarters(raw_dir):
    quarters = deflator.read_quarters(raw_dir)
    table = committed()
    assert table["2020-21"] == pytest.approx((quarters[(2020, 2)] + quarters[(2020, 3)] + quarters[(2020, 4)]
                                              + quarters[(2021, 1)]) / 4)
    assert table["2013-14"] == pytest.approx(82.175)  # 81.6, 82.2, 82.3, 82.6


@pytest.mark.parametrize("year", ["2013/14", "1900-01", "2013-2014", 2013])
def test_an_unknown_price_base_is_refused(year):
    with pytest.raises(ParameterError, match="price base must be a financial year"):
        prices.check_year(year, "cost_per_qaly.price_base")
