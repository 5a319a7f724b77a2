"""A chain of rules for the terminal: each step beside the total, and what each step measures."""

from __future__ import annotations

import pandas as pd

from allocsim.comparison.chain import Chain
from allocsim.comparison.compare_rules import Comparison
from allocsim.comparison.health_difference import signed
from allocsim.text.comparison import notes_text
from allocsim.text.tables import table


def chain_text(chain: Chain) -> str:
    """The steps side by side, then what they mean in words."""
    total = chain.total
    names = " -> ".join([chain.steps[0].summary.base_label, *(c.summary.alt_label for c in chain.steps)])
    lines = [f"Chain: {names}, on {total.summary.areas} areas.",
             f"Focus: {total.summary.focus.selection.describe(total.focus)}."]
    labels = [chain.steps[0].summary.base_label, *(c.summary.alt_label for c in chain.steps)]
    lines += [*notes_text(dict(zip(labels, chain.rules))), ""]
    columns = {_heading(i + 1, step): step_figures(c) for i, (step, c) in enumerate(zip(chain.described, chain.steps))}
    columns["total"] = step_figures(total)
    legend = [f"{heading}: {c.summary.base_label} -> {c.summary.alt_label}"
              for heading, c in zip(columns, [*chain.steps, total])]
    lines += ["Steps: " + "; ".join(legend) + ".", table(pd.DataFrame(columns), index=True), ""]
    lines += [f"Step {i + 1}, {step.base_rule} -> {step.alt_rule}: {step.meaning}." for i, step in
              enumerate(chain.described[:len(chain.steps)])]
    if total.money is not None:
        d = total.money.summary.difference_alt_minus_base
        lines += ["", f"Money and health: {total.money.summary.price_base}; health MODELLED, not observed "
                      f"(parameters {total.money.summary.parameter_files['health']}).",
                  f"  Total: {d.explanation}"]
    return "\n".join(lines)


def focus_moves_text(chain: Chain, rows: int = 15) -> str:
    """The focus areas whose group differs between any two rules of the chain, with their group
    under each rule, from the focus end's value inwards (lowest HLE first): which step moved each one."""
    total, moved = chain.total, chain.moved_focus()
    focus = int(total.table["in_focus"].sum())
    return "\n".join([f"Focus areas whose group changes along the chain ({len(moved)} of {focus}; group under each "
                      f"rule, 1 = highest priority; first {min(rows, len(moved))} by {total.focus}):",
                      table(moved.reset_index().head(rows), floatfmt="{:.1f}")])


def _heading(number: int, step) -> str:
    return f"{number}. {step.kind}"


def step_figures(c: Comparison) -> dict[str, str]:
    """The headline figures of one comparison, as text by row label."""
    s = c.summary
    f = s.focus
    rows = {
        "focus areas gaining priority": f"{f.gain_priority}",
        "focus areas losing priority": f"{f.lose_priority}",
        "focus areas in group 1": f"{f.in_group1_base} -> {f.in_group1_alt} ({f.in_group1_alt - f.in_group1_base:+d})",
        "all areas changing group": f"{s.all_areas.gain_priority + s.all_areas.lose_priority}",
        "Kendall's tau of ranks": f"{s.rank_correlation.kendall_tau}",
    }
    for a in s.fairness:
        if a.areas_assessed:
            rows[_short(a.name)] = f"{a.counts['base']} -> {a.counts['alt']}"
    if c.money is not None:
        m = c.money
        d = m.summary.difference_alt_minus_base
        rows[f"money moved between areas (£m, {m.summary.price_base})"] = f"{m.moved_between_areas / 1e6:,.0f}"
        if "nation" in m.places:
            for row in m.places["nation"].itertuples():
                rows[f"  to {row.place} (£m)"] = f"{row.allocation_change / 1e6:+,.0f}"
        rows["modelled QALYs, central case"] = "no difference" if d.modelled_qalys.is_zero else (
            "0" if d.modelled_qalys.central == 0 else signed(d.modelled_qalys.central))
        rows["modelled QALYs, median (90%)"] = ("no difference" if d.modelled_qalys.is_zero else
                                                f"{signed(d.modelled_qalys.median)} ({signed(d.modelled_qalys.p05)} "
                                                f"to {signed(d.modelled_qalys.p95)})")
        rows["  of which the need gradient (median)"] = signed(d.from_need_gradient.median)
    return rows


def _short(name: str) -> str:
    return {"prosperous_in_group1": "prosperous areas in group 1 (press)",
            "deprived_unhealthy_in_lowest_group": "deprived, unhealthy areas in lowest group (HF)"}.get(name, name)
