"""Robustness for the terminal: ``allocsim sensitivity`` and ``allocsim search``."""

from __future__ import annotations

from allocsim.robustness import Sensitivity
from allocsim.text.comparison import focus_text
from allocsim.text.tables import table
from allocsim.weight_search import SearchResult


def sensitivity_text(result: Sensitivity, rows: int = 15) -> str:
    """A :class:`~allocsim.sensitivity.Sensitivity` for the terminal: headline, least certain
    areas, first-order indices, leave-one-out."""
    s, t = result.summary, result.table
    methods = s.normalisations
    alpha = "weights fixed" if s.spread == 0 else f"Dirichlet concentration {s.concentration:g}"
    r = s.robustness
    p_columns = [c for c in t.columns if c.startswith("p_group_")]
    least = (t.assign(p_modal=t[p_columns].max(axis=1)).reset_index()
             .sort_values(["p_modal", "median_rank"], kind="stable").head(rows))
    lines = [
        f"{s.rule}: {s.draws:,} draw{'' if s.draws == 1 else 's'} on {s.areas} areas; spread {s.spread:.10g} "
        f"({alpha}); seed {s.seed}.",
        f"Normalisation per draw, equally likely: {', '.join(methods.drawn)}.",
    ]
    lines += [f"Left out: {m} ({why})." for m, why in methods.left_out.items()]
    lines += [f"note: {n}" for n in s.notes]
    lines += [
        "",
        f"{r.areas_modal_group_below} of {s.areas} areas have a most likely group with probability "
        f"below {r.probability_threshold:g}; {r.areas_own_group_below} are in the rule's own group "
        f"in fewer than {r.probability_threshold:.0%} of draws, {r.areas_modal_group_not_own} most "
        f"often in another group.",
        f"Median width of the 5-95% rank interval: {r.median_rank_interval_width:g} ranks"
        + (f" (ranks from the first {s.ranked_draws:,} draws, group probabilities from all {s.draws:,})."
           if s.ranked_draws < s.draws else "."),
        "",
        f"Least certain areas (lowest probability of their most likely group; first {len(least)}):",
        table(least[["code", "name", "group", *p_columns, "modal_group", "median_rank", "rank_p05", "rank_p95"]],
              floatfmt="{:.2f}"),
        "",
        "First-order sensitivity indices (share of the variance of rank / group-1 membership",
        "explained by each factor alone, summed over areas):",
        table(result.indices, floatfmt="{:.3f}"),
        *(["  (blank: see the notes above)"] if result.indices.isna().any().any() else []),
        "",
        "Leave one indicator out (the rule's own weights and normalisation otherwise):",
        table(result.leave_one_out, floatfmt="{:.3f}"),
        *(["  (blank: see the notes above)"] if result.leave_one_out.isna().any().any() else []),
    ]
    return "\n".join(lines)


def search_text(result: SearchResult, every: float = 0.05) -> str:
    """A :class:`~allocsim.search.SearchResult` for the terminal: the weight found (or, when the
    target is not met, the closest) and the frontier; an unmet target ends with the best reached."""
    m, f, target = result.at_weight, result.frontier, result.target
    shown = f[((f["weight"] / every).round(6) % 1 == 0) | (f["weight"] == result.weight)]
    found = (f"the smallest weight on '{result.domain}' with {target} is {result.weight:.4g}" if result.met
             else f"no weight on '{result.domain}' from 0 to 1 meets {target}")
    lines = [
        f"{result.rule.name}: {found} (the rule gives it {result.rule_weight:.4g}); the other domains keep "
        f"their relative weights.",
        f"Focus: {focus_text(result.focus, result.focus_selection)}.",
        f"At {'that weight' if result.met else f'the closest weight, {result.weight:.4g}'} (checked with "
        f"'allocsim rank'): {m.focus_in_group1} focus areas in group 1 ({m.focus_in_group1_share:.1%}); "
        f"Kendall's tau with the unchanged rule {m.kendall_tau:.3f}.",
        "",
        f"Frontier (every {every:g} and the {'weight found' if result.met else 'closest weight'}; the CSV has "
        f"every step of 0.005{' tried' if result.left_out else ''} and the "
        f"{'weight found' if result.met else 'closest weight'}):",
        table(shown, floatfmt="{:.4f}"),
    ]
    if result.left_out:
        lines += ["", f"Not tried: weight{'s' if len(result.left_out) > 1 else ''} "
                      f"{' and '.join(f'{w:g}' for w in result.left_out)} on '{result.domain}', at which some areas "
                      f"would have no indicator with weight, and no score."]
    if not result.met:
        lines += ["", f"Target not met: best {target.metric} {m[target.metric]:g} at weight {result.weight:g}."]
    return "\n".join(lines)
