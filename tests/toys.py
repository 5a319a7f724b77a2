"""Small seeded toy tables and rules, so most tests run in milliseconds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from allocsim.rules.load import validate_rule


def make_toy_data(n: int = 12, seed: int = 7) -> pd.DataFrame:
    """A small seeded table shaped like the embedded dataset (three countries, a few indicators)."""
    rng = np.random.default_rng(seed)
    countries = np.array(["England", "Scotland", "Wales"])[np.arange(n) % 3]
    return pd.DataFrame(
        {
            "name": [f"Area {i:02d}" for i in range(n)],
            "country": countries,
            "region": np.where(countries == "England", np.array(["North", "South"])[np.arange(n) % 2], countries),
            "population_2019": rng.integers(50_000, 500_000, n),
            "gva_per_hour": rng.uniform(25, 45, n).round(2),
            "unemployment_rate": rng.uniform(2, 8, n).round(1),
            "hle_male_2011_13": rng.uniform(55, 70, n).round(1),
            "imd2019_rank": np.where(countries == "England", rng.permutation(n) + 1, np.nan),
        },
        index=pd.Index([f"T{i:03d}" for i in range(n)], name="code"),
    )


def make_toy_rule(**changes):
    """An index rule over the toy columns; keyword arguments replace top-level fields."""
    raw = {
        "name": "toy", "title": "Toy rule", "description": "For tests.", "sources": ["tests"],
        "indicators": [
            {"column": "gva_per_hour", "direction": "lower_is_more_need", "weight": 2},
            {"column": "unemployment_rate", "direction": "higher_is_more_need", "weight": 1},
        ],
        "categories": {"shares": [0.25, 0.25, 0.5]},
    }
    raw.update(changes)
    return validate_rule(raw, "toy")


def gva_rule_toml(name: str = "toy", reference: str | None = None, extra: str = "") -> str:
    """A small valid rule file: GVA per hour (plus any ``extra`` TOML appended, such as a second
    indicator), two halves, and ``no_downgrade_from = reference`` when given."""
    line = f'no_downgrade_from = "{reference}"\n' if reference else ""
    return (f'name = "{name}"\ntitle = "Toy"\ndescription = "For tests."\nsources = ["tests"]\n{line}'
            '[[indicators]]\ncolumn = "gva_per_hour"\ndirection = "lower_is_more_need"\n'
            f'{extra}[categories]\nshares = [0.5, 0.5]\n')


def strict_json(text: str):
    """``text`` read as JSON, refusing NaN and infinities, which Python's reader accepts but JSON has not."""
    import json

    def refuse(constant: str):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def rule_with_shares(folder, shares: list[float], shipped: str = "health-inclusive"):
    """A copy of the shipped rule ``shipped`` in ``folder`` with its categories' ``shares`` replaced; its path."""
    return rule_with_categories(folder, f"shares = {list(shares)}", shipped)


def rule_with_categories(folder, line: str, shipped: str = "health-inclusive"):
    """A copy of the shipped rule ``shipped`` in ``folder`` with its categories' ``shares = [...]`` line replaced by
    ``line`` (other shares, or ``thresholds = [...]``); its path."""
    import re

    from allocsim.rules.load import rule_path

    text, count = re.subn(r"(?m)^shares = \[.*\]$", line, rule_path(shipped).read_text())
    assert count == 1, f"{shipped}: no single 'shares = [...]' line to replace"
    path = folder / f"{shipped}-{line.split()[0]}.toml"
    path.write_text(text)
    return path


def rollup(data, name: str):
    """The roll-up named ``name`` that ``data`` declares (or the embedded dataset does, for its columns)."""
    from allocsim.rollups import rollups

    return next(r for r in rollups(data) if r.name == name)
