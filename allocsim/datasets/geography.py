"""Match statistics published on other code vintages to LAD 2020 areas, saying how.

Sources use LAD 2018 to LAD 2024 codes, and health statistics are published for upper tiers
only. For each LAD 2020 area we try, in order: its own code, codes the same area had or has
under another vintage, a later code after a minor boundary change, its county (or the unitary
that replaced the county with the same area), the authority that absorbed it, and for health
statistics the area it is always combined with. The first code the source lists gives the value
(if the source lists the area but publishes no value, the gap stays), and the match is recorded
as one of :data:`FLAGS`. Each indicator says which of these fallbacks it accepts.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

OWN = "own"
OWN_RECODED = "own_recoded"
UPPER_TIER = "upper_tier"
SUCCESSOR = "successor"
PROXY = "proxy"
FLAGS = {
    OWN: "measured for this LAD 2020 area (possibly under an earlier code for the same area)",
    OWN_RECODED: "measured for the same authority under a later code after a minor boundary change",
    UPPER_TIER: "measured for the county (upper tier) containing this district",
    SUCCESSOR: "measured for the later authority that absorbed this district (flagged, not its own)",
    PROXY: "not published for this area (too few residents); the area it shares NHS and "
    "public-health services with stands in (flagged, not its own)",
}


def read_links(path: Path) -> pd.DataFrame:
    """The explicit table of code links that the mySociety register does not carry."""
    return pd.read_csv(path, dtype=str)


def links_from_mysociety(register: pd.DataFrame) -> pd.DataFrame:
    """``same_area`` links from former GSS codes and ``successor`` links from ``replaced-by``."""
    gss_by_short = dict(zip(register["local-authority-code"], register["gss-code"]))
    rows = []
    for row in register.itertuples(index=False):
        code = row[register.columns.get_loc("gss-code")]
        former = row[register.columns.get_loc("former-gss-codes")]
        replaced_by = row[register.columns.get_loc("replaced-by")]
        if isinstance(former, str):
            rows += [(code, old, "same_area") for old in former.split(",")]
        if isinstance(replaced_by, str):
            rows += [(code, gss_by_short[s], "successor") for s in replaced_by.split(",")]
    return pd.DataFrame(rows, columns=["code", "linked_code", "relation"])


def candidate_codes(area: str, county: str | None, links: pd.DataFrame) -> list[tuple[str, str]]:
    """Codes whose value may stand for ``area``, best first, each with its flag."""

    def linked(code: str, relation: str) -> list[str]:
        forward = links[(links["code"] == code) & (links["relation"] == relation)]["linked_code"]
        if relation != "same_area":
            return list(forward)
        backward = links[(links["linked_code"] == code) & (links["relation"] == relation)]["code"]
        return list(forward) + list(backward)

    chain = [(area, OWN)] + [(c, OWN) for c in linked(area, "same_area")]
    chain += [(c, OWN_RECODED) for c in linked(area, "recoded")]
    if county is not None:
        chain += [(county, UPPER_TIER)] + [(c, UPPER_TIER) for c in linked(county, "same_area")]
    chain += [(c, SUCCESSOR) for c in linked(area, "successor")]
    chain += [(c, PROXY) for c in linked(area, "proxy")]
    return chain


def resolve(
    values: pd.Series, chains: dict[str, list[tuple[str, str]]], accept: frozenset[str]
) -> pd.DataFrame:
    """For each area, the first candidate code, of a kind in ``accept``, listed in ``values``.

    Returns a frame indexed by area with ``value``, ``flag`` and ``used_code``; an area with no
    candidate in the source gets NaN and no flag (a gap, never filled in).
    Several successor codes (a district split between two new unitaries) is ambiguous, so the
    value is left empty rather than guessed.
    """
    rows = {}
    for area, chain in chains.items():
        rows[area] = _first_present(values, [(c, f) for c, f in chain if f in accept])
    return pd.DataFrame.from_dict(rows, orient="index", columns=["value", "flag", "used_code"])


def _first_present(values: pd.Series, chain: list[tuple[str, str]]):
    # A proxy exists only for areas too small to publish, whether the source lists them empty
    # or leaves them out, so listed-but-empty entries do not stop the search for one.
    if any(flag == PROXY for _, flag in chain):
        chain = [(c, f) for c, f in chain if f == PROXY or pd.notna(values.get(c))]
    for code, flag in chain:
        if code in values.index:
            if flag == SUCCESSOR:
                successors = [c for c, f in chain if f == SUCCESSOR and c in values.index]
                if len(successors) > 1:
                    return (float("nan"), None, None)
            if pd.isna(values[code]):
                return (float("nan"), None, None)
            return (float(values[code]), flag, code)
    return (float("nan"), None, None)
