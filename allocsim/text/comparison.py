"""A comparison of two rules for the terminal."""

from __future__ import annotations

from allocsim.comparison import Comparison
from allocsim.comparison.fairness import AuditResult
from allocsim.comparison.focus import FocusSelection, lowest_first
from allocsim.text.rules import override_text
from allocsim.text.tables import table


def focus_text(column: str, selection: FocusSelection) -> str:
    """The focus areas in words (see :meth:`~allocsim.comparison.focus.FocusSelection.describe`)."""
    return selection.describe(column)


def comparison_text(comparison: Comparison, rows: int = 15, overrides: tuple[str, ...] = ()) -> str:
    """``overrides``: the ``--set`` assignments applied to the alternative rule."""
    s, t = comparison.summary, comparison.table
    f = s.focus
    base, alt = s.base_label, s.alt_label
    lines = [f"Comparing '{base}' (base) with '{alt}' (alternative) on {s.areas} areas."]
    if overrides:
        lines += override_text(comparison.alt.rule, overrides).splitlines()
    lines += notes_text({base: comparison.base, alt: comparison.alt})
    lines += [
        f"Focus: {focus_text(f.column, f.selection)}.",
        f"  gain priority {f.gain_priority}, lose priority {f.lose_priority}, keep {f.keep_priority}",
        f"  in group 1: {f.in_group1_base} under '{base}', {f.in_group1_alt} under '{alt}'",
        f"All areas: gain {s.all_areas.gain_priority}, lose {s.all_areas.lose_priority}, "
        f"keep {s.all_areas.keep_priority}.",
        "",
        "Group transitions (rows: base group, columns: alternative group):",
        table(comparison.transitions.rename_axis(index="before", columns="after"), index=True),
        "",
        f"Rank correlation: Kendall's tau {s.rank_correlation.kendall_tau}, "
        f"Spearman's rho {s.rank_correlation.spearman_rho}.",
        f"Group 1 overlap: {s.group1_overlap.both} areas in both "
        f"(base {s.group1_overlap.base}, alternative {s.group1_overlap.alt}; "
        f"Jaccard {s.group1_overlap.jaccard}).",
    ]
    lines += ["", *fairness_text(s.fairness, {"base": base, "alt": alt})]
    focus_rows = t[t["in_focus"]].reset_index()
    columns = ["code", "name", "country", comparison.focus, "base_group", "alt_group", "base_rank", "alt_rank"]
    for title, mask, order in (("gain", focus_rows["group_change"] > 0, False),
                               ("lose", focus_rows["group_change"] < 0, True)):
        chosen = focus_rows[mask].sort_values(["group_change", comparison.focus],
                                              ascending=[order, lowest_first(comparison.focus_end)])
        lines += ["", f"Focus areas that {title} priority ({len(chosen)}; first {min(rows, len(chosen))}):",
                  table(chosen[columns].head(rows), floatfmt="{:.1f}")]
    return "\n".join(lines)


def notes_text(results: dict) -> list[str]:
    """What each ranking noted: an indicator a whole nation lacks (its weight shared among the
    others there), missing values reweighted or imputed, a no-downgrade floor."""
    return [f"note ({label}): {note}" for label, result in results.items() for note in result.notes
            if "ranks tie within a group" not in note]


def fairness_text(audits: list[AuditResult], labels: dict[str, str]) -> list[str]:
    """The fairness audits, each with its count per rule, definition and source."""
    lines = ["Fairness audits (English areas with IMD 2019; each as its source defines it):"]
    for a in audits:
        if not a.areas_assessed:
            lines.append(f"  {a.question.capitalize()}: n/a (no compared area has IMD 2019)")
            continue
        counts = ", ".join(f"{a.counts[key]} under '{label}'" for key, label in labels.items())
        measure = f"; HLE measure {a.hle_column}" if a.hle_column else ""
        lines += [f"  {a.question.capitalize()}: {counts} (of {a.areas_assessed} areas assessed{measure})",
                  f"    {a.definition}; {a.source}."]
    return lines
