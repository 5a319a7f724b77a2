"""The fairness audits (:mod:`allocsim.comparison.fairness`) under each rule: how many areas each
audit finds, for two rules (a :class:`~allocsim.comparison.Comparison`) or every rule of a chain (a
:class:`~allocsim.comparison.chain.Chain`)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from allocsim.charts.theme import DATA_NOTE, INK, PAGE_WIDTH, rule_scale, title
from allocsim.comparison import Comparison
from allocsim.comparison.chain import Chain
from allocsim.comparison.fairness import AuditResult


def audits_by_rule(result: Comparison | Chain) -> list[tuple[AuditResult, dict[str, int | None]]]:
    """Each audit (as the first comparison reports it) with its count under each rule, by label in
    order: a comparison's two rules, or every rule of a chain (each step's base, then the last alt)."""
    if isinstance(result, Chain):
        comparisons = result.steps
        labels = [comparisons[0].summary.base_label, *(c.summary.alt_label for c in comparisons)]
        found = []
        for i, audit in enumerate(comparisons[0].summary.fairness):
            counts = [c.summary.fairness[i].counts["base"] for c in comparisons]
            counts.append(comparisons[-1].summary.fairness[i].counts["alt"])
            found.append((audit, dict(zip(labels, counts))))
        return found
    s = result.summary
    return [(a, {s.base_label: a.counts["base"], s.alt_label: a.counts["alt"]}) for a in s.fairness]


def fairness_frame(result: Comparison | Chain) -> pd.DataFrame:
    """One row per audit and rule: the audit's ``question``, the ``rule`` and the ``areas`` it finds
    (audits that could assess no area, e.g. without England, are left out)."""
    rows = [{"audit": a.name, "question": a.question, "rule": label, "areas": count}
            for a, counts in audits_by_rule(result) if a.areas_assessed for label, count in counts.items()]
    return pd.DataFrame(rows, columns=["audit", "question", "rule", "areas"])


def fairness_chart(result: Comparison | Chain) -> alt.HConcatChart:
    """For each fairness audit, how many areas it finds under each rule (two rules of a comparison,
    or every rule of a chain), the audit's definition and source in the subtitle."""
    frame = fairness_frame(result)
    audits = [a for a, _ in audits_by_rule(result) if a.areas_assessed]
    if not audits:
        raise ValueError("no area could be assessed: the audits need English areas with IMD 2019")
    labels = list(pd.unique(frame["rule"]))
    panels = []
    for audit in audits:
        rows = frame[frame["audit"] == audit.name]
        bars = alt.Chart(rows).mark_bar().encode(
            y=alt.Y("rule:N", sort=labels, title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("areas:Q", title=f"Areas (of {audit.areas_assessed} assessed)"),
            color=alt.Color("rule:N", sort=labels, scale=rule_scale(labels), legend=None),
            tooltip=[alt.Tooltip("question:N", title="audit"), alt.Tooltip("rule:N"), alt.Tooltip("areas:Q")])
        counts = bars.mark_text(align="left", dx=4, color=INK, fontSize=11).encode(text="areas:Q",
                                                                                     color=alt.value(INK))
        panels.append(alt.layer(bars, counts, width=(PAGE_WIDTH - 360) // 2, height=alt.Step(26),
                                title=alt.TitleParams(audit.question[0].upper() + audit.question[1:], fontSize=12)))
    sources = [f"{a.question[0].upper() + a.question[1:]}: as defined by {a.source.split(',')[0]}." for a in audits]
    return alt.hconcat(*panels, spacing=60, title=title(
        "Fairness audits, as their sources define them", "English areas with IMD 2019 (England's only).", *sources,
        DATA_NOTE))
