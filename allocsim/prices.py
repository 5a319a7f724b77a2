"""One price base for every pound: financial-year prices converted with the GDP deflator.

Every money figure allocsim prints is in :data:`PRICE_BASE` prices, the base of the Green Book's
QALY value (£70,000 in 2020-21 prices, HM Treasury's answer to HL5283). A value stated in another
year's prices is converted as ``amount x deflator(2020-21) / deflator(year)``, with the ONS GDP
deflator by financial year embedded in ``datasets/gdp_deflator.csv`` (built from series YBGB).
"""

from __future__ import annotations

import re
from functools import lru_cache

from allocsim.errors import ParameterError

PRICE_BASE = "2020-21"
FINANCIAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def price_base_label(base: str = PRICE_BASE) -> str:
    """How outputs name the price base: ``2020-21 prices``."""
    return f"{base} prices"


def own_price_base(parameter: object) -> str | None:
    """How outputs name a parameter's own price base ("2013-14 prices"); None where it is not in pounds."""
    base = getattr(parameter, "price_base", None)
    return price_base_label(base) if base else None


@lru_cache(maxsize=1)
def deflators() -> dict[str, float]:
    """The GDP deflator (2022 = 100) of every financial year in the embedded table."""
    import csv

    from allocsim.paths import deflator_path

    with open(deflator_path(), encoding="utf-8") as stream:
        return {row["financial_year"]: float(row["deflator_2022_100"]) for row in csv.DictReader(stream)}


def check_year(year: str, where: str) -> str:
    """``year`` if it is a financial year the deflator covers (``2013-14``), else an error naming ``where``."""
    known = deflators()
    if not isinstance(year, str) or not FINANCIAL_YEAR.match(year) or year not in known:
        first, last = next(iter(known)), next(reversed(known))
        raise ParameterError(f"{where}: price base must be a financial year from {first} to {last} "
                             f"such as '2013-14', got {year!r}")
    return year


def factor(from_year: str, to_year: str = PRICE_BASE) -> float:
    """What one pound in ``from_year`` prices is worth in ``to_year`` prices."""
    table = deflators()
    return table[to_year] / table[from_year]


def to_price_base(amount: float, from_year: str, to_year: str = PRICE_BASE) -> float:
    """``amount`` in ``from_year`` prices, in ``to_year`` prices."""
    return amount * factor(from_year, to_year)
