"""Plain-text renderings of results for the terminal (pure: data in, string out)."""

from __future__ import annotations

import pandas as pd

from allocsim.comparison import Comparison
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


def overrides_line(overrides: tuple[str, ...]) -> list[str]:
    """The ``--set`` overrides a run applied, as one line (none when there are none)."""
    return [f"Overrides applied: --set {' --set '.join(overrides)}"] if overrides else []


def override_text(rule: Rule, overrides: tuple[str, ...]) -> str:
    """What a run with ``--set`` prints first: the overrides and the effective weights after them
    (a published rule has none: it still reads its groups from its column)."""
    if not overrides:
        return ""
    if rule.kind == "index":
        after = [f"Effective weights of '{rule.name}' after them:", weights_text(rule)]
    else:
        after = [f"'{rule.name}' has no weights: it reads its groups from column '{rule.column}'."]
    return "\n".join([*overrides_line(overrides), *after, "", ""])


def focus_text(column: str, selection: dict) -> str:
    """The focus areas in words, from :func:`allocsim.compare.focus_selection`; ties are named only
    when areas tied at the cut-off enlarged the set."""
    share = f"{selection['share'] * 100:g}% of areas"
    n = selection["areas"]
    lowest = f"the {n} area{'s' if n != 1 else ''} with the lowest {column}"
    if selection["areas"] == selection["target_areas"]:
        return f"{lowest} ({share})"
    return (f"{lowest} ({share} is {selection['target_areas']}; all {selection['tied_at_cutoff']} areas tied "
            f"at the cut-off {selection['cutoff_value']:g} are in)")


def rule_text(rule: Rule, overrides: tuple[str, ...] = ()) -> str:
    lines = [f"{rule.name}: {rule.title}", *overrides_line(overrides), "", rule.description.strip(), "",
             "Sources:"]
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
    if rule.no_downgrade_from:  # applies to either kind
        lines.append(f"No area is placed lower than under '{rule.no_downgrade_from}'.")
    lines += ["", "Effective weights (domain share x share within domain):", weights_text(rule)]
    return "\n".join(lines)


def rank_text(result: RankResult, top: int, overrides: tuple[str, ...] = ()) -> str:
    t = result.table
    counts = t.groupby(["country", "group"]).size().unstack(fill_value=0) if "country" in t else None
    shown = t.reset_index()[["rank", "code", "name", "country", "score", "group"]].sort_values("rank").head(top)
    lines = [f"{result.rule.name}: {len(t)} areas ranked (rank 1 = most need, group 1 = highest priority)"]
    lines += overrides_line(overrides)
    lines += [f"note: {n}" for n in result.notes]
    if result.rule.kind == "index":
        lines += ["", "Effective weights:", weights_text(result.rule)]
    if counts is not None:
        lines += ["", "Areas per group:", table(counts, index=True)]
    lines += ["", f"Top {min(top, len(t))}:", table(shown)]
    return "\n".join(lines)


def comparison_text(comparison: Comparison, rows: int = 15, overrides: tuple[str, ...] = ()) -> str:
    """``overrides``: the ``--set`` assignments applied to the alternative rule."""
    s, t = comparison.summary, comparison.table
    f = s["focus"]
    base, alt = s["base_rule"], s["alt_rule"]
    lines = [f"Comparing '{base}' (base) with '{alt}' (alternative) on {s['areas']} areas."]
    if overrides:
        lines += override_text(comparison.alt.rule, overrides).splitlines()
    lines += [
        f"Focus: {focus_text(f['column'], f)}.",
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
        label = (f"Prosperous in group 1 (less deprived half by IMD 2019 and above-median "
                 f"{prosperous['hle_column']})")
        if prosperous["base"] is None:
            lines.append(f"{label}: n/a (no IMD for these areas).")
        else:
            assessed = (f" (assessed on the {prosperous['areas_with_imd']} of {s['areas']} areas with IMD)"
                        if prosperous["areas_with_imd"] < s["areas"] else "")
            lines.append(f"{label}: {len(prosperous['base'])} under '{base}', "
                         f"{len(prosperous['alt'])} under '{alt}'{assessed}.")
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


# -- money and modelled health (allocsim simulate, compare --budget) ---------------------------

def pounds(value: float) -> str:
    return f"£{value:,.2f}"


def _interval_text(q: dict, fmt: str = "{:,.0f}", scale: float = 1.0) -> str:
    """``median (p05 to p95)``, each formatted with ``fmt`` after dividing by ``scale``."""
    if q["median"] is None or pd.isna(q["median"]):
        return "n/a"
    median, low, high = (fmt.format(q[k] / scale) for k in ("median", "p05", "p95"))
    return f"{median} ({low} to {high})"


def _money_lines(s: dict) -> list[str]:
    per_draw = s["allocation_draws"] > 1
    lines = [f"Budget {pounds(s['budget'])}; allocated {pounds(s['allocated'])}; unspent {pounds(s['unspent'])}"
             + (" (mean over draws)." if per_draw else ".")]
    if per_draw:
        a, u = s["allocated_per_draw"], s["unspent_per_draw"]
        lines.append(f"  per draw: allocated {pounds(a['min'])} to {pounds(a['max'])}; unspent mean "
                     f"{pounds(u['mean'])}, min {pounds(u['min'])}, max {pounds(u['max'])}; "
                     f"{s['draws_with_unspent']} of {s['allocation_draws']} draws left money unspent")
    return lines


def unspent_text(s: dict) -> str:
    """The money a rule left unspent, and over many draws how often and at most."""
    shown = f"unspent {pounds(s['unspent'])}"
    if s["allocation_draws"] == 1:
        return shown
    return (f"{shown} (mean over draws); {s['draws_with_unspent']} of {s['allocation_draws']} draws left money "
            f"unspent, max {pounds(s['unspent_per_draw']['max'])}")


def health_totals_text(summary: dict) -> list[str]:
    """The modelled health totals and the HLE gap, as printed lines."""
    t, gap = summary["totals"], summary["hle_gap"]
    return [
        f"  QALYs (present value): {_interval_text(t['modelled_qalys'])}",
        f"  healthy months per resident: {_interval_text(t['modelled_hle_months_per_resident'], '{:.4f}')}",
        f"  value: {_interval_text(t['modelled_value_gbp'], '£{:.2f}bn', 1e9)}",
        f"  benefit-cost ratio: {_interval_text(t['modelled_bcr'], '{:.2f}')}",
        f"  HLE gap, top minus bottom decile by {gap['hle_column']} (now {gap['baseline_gap_years']:.1f} "
        f"years): change {_interval_text(gap['modelled_change_months'], '{:+.4f}')} months (negative = narrower)",
    ]


def simulation_text(simulation, top: int = 15) -> str:
    """What ``allocsim simulate`` prints: the money, the areas that get most, the modelled health."""
    s, table_ = simulation.summary, simulation.allocation
    lines = [s["modelled_notice"], "",
             f"{s['rule']}: {pounds(s['budget'])} among {s['areas']} areas; {s['mechanism_description']}."]
    lines += _money_lines(s)
    groups = pd.DataFrame.from_dict(s["by_group"], orient="index").rename_axis("group")
    lines += ["", "By group:", table_money(groups.reset_index())]
    extra = [c for c in ("allocation_p05", "allocation_p95", "funded_probability") if c in table_.columns]
    shown = (table_.reset_index().sort_values(["allocation", "code"], ascending=[False, True])
             [["code", "name", "group", "population", "allocation", "allocation_per_head", *extra]].head(top))
    lines += ["", f"Top {len(shown)} areas by allocation:", table_money(shown)]
    health = s["health"]
    lines += ["", f"Modelled health return ({health['draws']} draws; median and 90% interval; "
                  f"curve {health['curve']}):"]
    lines += health_totals_text(health)
    decile = simulation.health.breakdowns["hle_decile"]
    lines += ["", f"By HLE decile (1 = lowest {health['hle_column']}):", table_money(decile)]
    return "\n".join(lines)


def table_money(frame: pd.DataFrame) -> str:
    """A table with each ``<measure>_median/_p05/_p95`` trio shown as one ``median (p05 to p95)``
    column, pounds and QALYs as whole numbers, months to 4 decimals."""
    shown = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        stem = column.removesuffix("_median")
        if column.endswith(("_p05", "_p95")) and f"{column[:-4]}_median" in frame.columns:
            continue
        if column.endswith("_median"):
            trios = frame[[column, f"{stem}_p05", f"{stem}_p95"]].to_numpy()
            shown[stem] = [_interval_text(dict(zip(("median", "p05", "p95"), trio)), _money_format(stem))
                           for trio in trios]
        elif pd.api.types.is_float_dtype(frame[column]):
            fmt = _money_format(column)
            shown[column] = frame[column].map(lambda v, f=fmt: "" if pd.isna(v) else f.format(v))
        else:
            shown[column] = frame[column]
    return table(shown)


def _money_format(column: str) -> str:
    if column.endswith("per_head"):
        return "{:,.2f}"
    if "months" in column:
        return "{:+.4f}" if "change" in column else "{:.4f}"
    if "allocation" in column or "qalys" in column or "value_gbp" in column:
        return "{:+,.0f}" if "change" in column else "{:,.0f}"
    if "probability" in column or "bcr" in column:
        return "{:.2f}"
    return "{:.4g}"


def money_comparison_text(money) -> str:
    """What ``allocsim compare --budget`` adds: which rule buys more health, and for whom."""
    s = money.summary
    d, base, alt = s["difference_alt_minus_base"], s["base"]["rule"], s["alt"]["rule"]
    lines = [f"Money: {pounds(s['budget'])}; {s['mechanism_description']}; {s['draws']} paired draws, "
             f"seed {s['seed']}.", s["modelled_notice"]]
    for side in ("base", "alt"):
        r = s[side]
        lines.append(f"  '{r['rule']}': allocated {pounds(r['allocated'])}, {unspent_text(r)}")
        lines.append(f"    QALYs {_interval_text(r['totals']['modelled_qalys'])}, benefit-cost ratio "
                     f"{_interval_text(r['totals']['modelled_bcr'], '{:.2f}')}")
    lines += [
        f"Which rule buys more health: {s['buys_more_health']}.",
        f"  QALYs, '{alt}' minus '{base}': {_interval_text(d['modelled_qalys'], '{:+,.0f}')}; "
        f"more under '{alt}' in {d['probability_alt_buys_more_health']:.0%} of draws",
        f"  value (£m): {_interval_text(d['modelled_value_gbp'], '{:+,.1f}', 1e6)}; change in the HLE gap: "
        f"{_interval_text(d['modelled_hle_gap_change_months'], '{:+.4f}')} months",
        "",
        f"For whom, by HLE decile (1 = lowest {money.base.health.summary['hle_column']}; "
        f"alternative minus base):",
        table_money(money.by_hle_decile),
    ]
    return "\n".join(lines)


# -- robustness (allocsim sensitivity, allocsim search) -----------------------------------------

def sensitivity_text(result, rows: int = 15) -> str:
    """A :class:`~allocsim.sensitivity.Sensitivity` for the terminal: headline, least certain
    areas, first-order indices, leave-one-out."""
    s, t = result.summary, result.table
    methods = s["normalisations"]
    alpha = "weights fixed" if s["spread"] == 0 else f"Dirichlet concentration {s['concentration']:g}"
    r = s["robustness"]
    p_columns = [c for c in t.columns if c.startswith("p_group_")]
    least = (t.assign(p_modal=t[p_columns].max(axis=1)).reset_index()
             .sort_values(["p_modal", "median_rank"], kind="stable").head(rows))
    lines = [
        f"{s['rule']}: {s['draws']:,} draws on {s['areas']} areas; spread {s['spread']:.10g} ({alpha}); "
        f"seed {s['seed']}.",
        f"Normalisation per draw, equally likely: {', '.join(methods['drawn'])}.",
    ]
    lines += [f"Left out: {m} ({why})." for m, why in methods["left_out"].items()]
    lines += [f"note: {n}" for n in s["notes"]]
    lines += [
        "",
        f"{r['areas_modal_group_below']} of {s['areas']} areas have a most likely group with probability "
        f"below {r['probability_threshold']:g}; {r['areas_own_group_below']} are in the rule's own group "
        f"in fewer than {r['probability_threshold']:.0%} of draws, {r['areas_modal_group_not_own']} most "
        f"often in another group.",
        f"Median width of the 5-95% rank interval: {r['median_rank_interval_width']:g} ranks.",
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
    ]
    return "\n".join(lines)


def search_text(result, every: float = 0.05) -> str:
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
        f"'allocsim rank'): {m['focus_in_group1']} focus areas in group 1 ({m['focus_in_group1_share']:.1%}); "
        f"Kendall's tau with the unchanged rule {m['kendall_tau']:.3f}.",
        "",
        f"Frontier (every {every:g} and the {'weight found' if result.met else 'closest weight'}; the CSV has "
        f"every weight tried):",
        table(shown, floatfmt="{:.4f}"),
    ]
    if not result.met:
        lines += ["", f"Target not met: best {target.metric} {m[target.metric]:g} at weight {result.weight:g}."]
    return "\n".join(lines)
