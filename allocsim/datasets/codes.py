"""Area codes a user's table shares with the embedded dataset, and those it does not.

A row whose code is not one of the 368 GB lower-tier council codes (LAD 2020) is ranked like any
other, but no map can draw it (there is no boundary for it); the commands say so and name the
areas, rather than letting them vanish from a map.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from allocsim.paths import dataset_path


@cache
def known_codes() -> frozenset[str]:
    """The embedded dataset's area codes (the LAD 2020 councils of GB)."""
    return frozenset(pd.read_csv(dataset_path(), usecols=["code"], dtype=str)["code"])


def unknown_areas(frame: pd.DataFrame) -> list[str]:
    """The areas of ``frame`` (indexed by code, with ``name``) whose code the embedded dataset does
    not have, as "name (code)" in code order."""
    unknown = sorted(set(frame.index.astype(str)) - known_codes())
    names = frame["name"] if "name" in frame.columns else pd.Series(dtype=str)
    return [f"{names.get(code, code)} ({code})" for code in unknown]


def unknown_areas_warning(frame: pd.DataFrame, shown: str) -> str | None:
    """One line naming the areas of ``frame`` with codes that are not LAD 2020 council codes, or
    None. Only a table that mixes council codes with others is warned about (a stray code is a
    likely mistake); a table of another geography altogether is the user's choice."""
    unknown = unknown_areas(frame)
    if not unknown or len(unknown) == len(frame):
        return None
    many = len(unknown) > 1
    listed = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
    return (f"Warning: {shown}: {len(unknown)} area code{'s are' if many else ' is'} not among the 368 GB council "
            f"codes (LAD 2020) of the embedded data: {listed}. {'They are' if many else 'It is'} ranked, but "
            f"{'they have' if many else 'it has'} no boundary, so no map draws {'them' if many else 'it'}.")
