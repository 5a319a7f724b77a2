"""One area explained under two rules, for the terminal: a table per rule, then the domains."""

from __future__ import annotations

import pandas as pd

from allocsim.explain import Explanation
from allocsim.text.tables import table

MEASURES = ("normalised", "weight", "contribution")
HEADERS = {"normalised": "need", "weight": "weight", "contribution": "adds"}
LEGEND = ("need: the normalised value, 0 = least need; weight: the share of the score for this area "
          "(rescaled over the indicators it has); adds = weight x need")


def explain_text(e: Explanation) -> str:
    """The reasons in words, each index rule's indicators (value, normalised need, weight,
    contribution = weight x need), and the contributions summed by domain."""
    lines = [f"{e.name} ({e.code})", *e.reasons, "", LEGEND]
    for view in e.views:
        columns = {f"{m}:{view.label}": m for m in MEASURES}
        if not set(columns) <= set(e.indicators.columns):
            continue
        shown = e.indicators[["indicator", "domain", "value", *columns]].rename(columns=columns)
        shown = shown[shown["weight"].notna()].copy()
        shown["value"] = shown["value"].map(lambda v: "" if pd.isna(v) else f"{v:,.4g}")
        lines += ["", f"Under '{view.label}' (score {view.score:.4f}, the sum of 'adds'):",
                  table(shown, floatfmt="{:.3f}", labels=HEADERS)]
    if not e.domains.empty:
        blank = " (blank: the rule has no such domain)" if e.domains.isna().any().any() else ""
        lines += ["", f"Contribution to the score by domain{blank}:",
                  table(e.domains, floatfmt="{:.3f}", labels={"domain": "domain"})]
    return "\n".join(lines)
