"""Plain-text renderings of results for the terminal (pure: data in, string out)."""

from __future__ import annotations

import pandas as pd

from allocsim.compare import Comparison
from allocsim.ranking import RankResult
from allocsim.rules.schema import Rule


def table(frame: pd.DataFrame, index: bool = False, floatfmt: str = "{:.3f}") -> str:
    if frame.empty:
        return "  (none)"
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else floatfmt.format(v))
    return "\n".join("  " + line for line in shown.to_string(index=index).splitlines())


def weights_text(rule: Rule) -> str:
    if rule.kind != "index":
        return f"groups read from column '{rule.column}'"
    indicators = {i.column: i for i in rule.indicators}
    frame = pd.DataFrame(
        [{"indicator": c, "domain": indicators[c].domain or "", "direction": indicators[c].direction,
          "weight": w} for c, w in rule.effective_weights().items()]
    )
    return table(frame, floatfmt="{:.4f}")


def rule_text(rule: Rule) -> str:
    lines = [f"{rule.name}: {rule.title}", "", rule.description.strip(), "", "Sources:"]
    lines += [f"  - {s}" for s in rule.sources]
    lines += ["", f"Countries: {', '.join(rule.countries)}"]
    if rule.kind == "index":
        cut = rule.categories
        how = (f"shares {list(cut.shares)}" if cut.shares is not None else f"thresholds {list(cut.thresholds)}")
        lines += [
            f"Normalisation: {rule.normalisation} ({rule.normalisation_scope}); aggregation: "
            f"{rule.aggregation}; missing values: {rule.missing}",
            f"Groups: {cut.n_groups} by {how} ({cut.scope})",
        ]
        if rule.no_downgrade_from:
            lines.append(f"No area is placed lower than under '{rule.no_downgrade_from}'.")
    lines += ["", "Effective weights (domain share x share within domain):", weights_text(rule)]
    return "\n".join(lines)


def rank_text(result: RankResult, top: int) -> str:
    t = result.table
    counts = t.groupby(["country", "group"]).size().unstack(fill_value=0) if "country" in t else None
    shown = t.reset_index()[["rank", "code", "name", "country", "score", "group"]].sort_values("rank").head(top)
    lines = [f"{result.rule.name}: {len(t)} areas ranked (rank 1 = most need, group 1 = highest priority)"]
    lines += [f"note: {n}" for n in result.notes]
    if result.rule.kind == "index":
        lines += ["", "Effective weights:", weights_text(result.rule)]
    if counts is not None:
        lines += ["", "Areas per group:", table(counts, index=True)]
    lines += ["", f"Top {min(top, len(t))}:", table(shown)]
    return "\n".join(lines)


def comparison_text(comparison: Comparison, rows: int = 15) -> str:
    s, t = comparison.summary, comparison.table
    f = s["focus"]
    base, alt = s["base_rule"], s["alt_rule"]
    lines = [
        f"Comparing '{base}' (base) with '{alt}' (alternative) on {s['areas']} areas.",
        f"Focus: the {f['areas']} areas with the lowest {f['column']} ({f['share']:.0%} of areas).",
        f"  gain priority {f['gain_priority']}, lose priority {f['lose_priority']}, keep {f['keep_priority']}",
        f"  in group 1: {f['in_group1_base']} under '{base}', {f['in_group1_alt']} under '{alt}'",
        f"All areas: gain {s['all_areas']['gain_priority']}, lose {s['all_areas']['lose_priority']}, "
        f"keep {s['all_areas']['keep_priority']}.",
        "",
        "Group transitions (rows: base group, columns: alternative group):",
        table(comparison.transitions, index=True),
        "",
        f"Rank correlation: Kendall's tau {s['rank_correlation']['kendall_tau']}, "
        f"Spearman's rho {s['rank_correlation']['spearman_rho']}.",
        f"Group 1 overlap: {s['group1_overlap']['both']} areas in both "
        f"(base {s['group1_overlap']['base']}, alternative {s['group1_overlap']['alt']}; "
        f"Jaccard {s['group1_overlap']['jaccard']}).",
    ]
    prosperous = s["prosperous_in_group1"]
    if "base" in prosperous:
        lines.append(
            f"Prosperous in group 1 (less deprived half by IMD 2019 and above-median "
            f"{prosperous['hle_column']}): {len(prosperous['base'])} under '{base}', "
            f"{len(prosperous['alt'])} under '{alt}'."
        )
    focus_rows = t[t["in_focus"]].reset_index()
    columns = ["code", "name", "country", comparison.focus, "base_group", "alt_group", "base_rank", "alt_rank"]
    for title, mask, order in (("gain", focus_rows["group_change"] > 0, False),
                               ("lose", focus_rows["group_change"] < 0, True)):
        chosen = focus_rows[mask].sort_values(["group_change", comparison.focus], ascending=[order, True])
        lines += ["", f"Focus areas that {title} priority ({len(chosen)}; first {min(rows, len(chosen))}):",
                  table(chosen[columns].head(rows), floatfmt="{:.1f}")]
    return "\n".join(lines)


def check_text(result: dict, rule: str, reference: str) -> str:
    a = result["agreement"]
    lines = [
        f"'{rule}' against '{reference}':",
        f"  exact group agreement {a['exact_share']:.1%}; Cohen's kappa {a['cohen_kappa']}; "
        f"{result['n_disagree']} areas differ",
        "",
        f"Confusion matrix (rows: {reference}, columns: {rule}):",
        table(result["confusion"], index=True),
        "",
        "Areas that disagree most:",
        table(result["disagreements"].reset_index()),
    ]
    return "\n".join(lines)
