"""Money and the modelled health return for the terminal (``simulate``, ``compare --budget``)."""

from __future__ import annotations

import pandas as pd

from allocsim.allocation import MECHANISMS
from allocsim.comparison.money import MoneyComparison, RuleMoney
from allocsim.health import HealthSummary
from allocsim.money.simulation import Simulation, SimulationSummary
from allocsim.results import plain
from allocsim.text.tables import interval_text, pounds, table_money


def _money_lines(s: SimulationSummary) -> list[str]:
    per_draw = s.allocation_draws > 1
    lines = [f"Budget {pounds(s.budget)}; allocated {pounds(s.allocated)}; unspent {pounds(s.unspent)}"
             + (" (mean over draws)." if per_draw else ".")]
    if per_draw:
        a, u = s.allocated_per_draw, s.unspent_per_draw
        lines.append(f"  per draw: allocated {pounds(a.min)} to {pounds(a.max)}; unspent mean "
                     f"{pounds(u.mean)}, min {pounds(u.min)}, max {pounds(u.max)}; "
                     f"{s.draws_with_unspent} of {s.allocation_draws} draws left money unspent")
    return lines


def unspent_text(s: SimulationSummary | RuleMoney) -> str:
    """The money a rule left unspent, and over many draws how often and at most."""
    shown = f"unspent {pounds(s.unspent)}"
    if s.allocation_draws == 1:
        return shown
    return (f"{shown} (mean over draws); {s.draws_with_unspent} of {s.allocation_draws} draws left money "
            f"unspent, max {pounds(s.unspent_per_draw.max)}")


def health_totals_text(summary: HealthSummary) -> list[str]:
    """The modelled health totals and the HLE gap, as printed lines."""
    t, gap = summary.totals, summary.hle_gap
    return [
        f"  QALYs (present value): {interval_text(t.modelled_qalys)}",
        f"  healthy months per resident: {interval_text(t.modelled_hle_months_per_resident, '{:.4f}')}",
        f"  value: {interval_text(t.modelled_value_gbp, '£{:.2f}bn', 1e9)}",
        f"  benefit-cost ratio: {interval_text(t.modelled_bcr, '{:.2f}')}",
        f"  HLE gap, top minus bottom decile by {gap.hle_column} (now {gap.baseline_gap_years:.1f} "
        f"years): change {interval_text(gap.modelled_change_months, '{:+.4f}')} months (negative = narrower)",
    ]


def simulation_text(simulation: Simulation, top: int = 15) -> str:
    """What ``allocsim simulate`` prints: the money, the areas that get most, the modelled health."""
    s, table_ = simulation.summary, simulation.allocation
    lines = [s.modelled_notice, "",
             f"{s.rule}: {pounds(s.budget)} among {s.areas} areas; {s.mechanism_description}."]
    lines += _money_lines(s)
    groups = pd.DataFrame.from_dict(plain(s.by_group), orient="index").rename_axis("group")
    lines += ["", "By group:", table_money(groups.reset_index())]
    extra = list(MECHANISMS[s.mechanism].columns)
    shown = (table_.reset_index().sort_values(["allocation", "code"], ascending=[False, True])
             [["code", "name", "group", "population", "allocation", "allocation_per_head", *extra]].head(top))
    lines += ["", f"Top {len(shown)} areas by allocation:", table_money(shown)]
    health = s.health
    lines += ["", f"Modelled health return ({health.draws} draws; median and 90% interval; "
                  f"curve {health.curve}):"]
    lines += health_totals_text(health)
    decile = simulation.health.breakdowns["hle_decile"]
    lines += ["", f"By HLE decile (1 = lowest {health.hle_column}):", table_money(decile)]
    return "\n".join(lines)


def money_comparison_text(money: MoneyComparison) -> str:
    """What ``allocsim compare --budget`` adds: which rule buys more health, and for whom."""
    s = money.summary
    d, base, alt = s.difference_alt_minus_base, s.base.rule, s.alt.rule
    lines = [f"Money: {pounds(s.budget)}; {s.mechanism_description}; {s.draws} paired draws, "
             f"seed {s.seed}.", s.modelled_notice]
    for r in (s.base, s.alt):
        lines.append(f"  '{r.rule}': allocated {pounds(r.allocated)}, {unspent_text(r)}")
        lines.append(f"    QALYs {interval_text(r.totals.modelled_qalys)}, benefit-cost ratio "
                     f"{interval_text(r.totals.modelled_bcr, '{:.2f}')}")
    lines += [
        f"Which rule buys more health: {s.buys_more_health}.",
        f"  QALYs, '{alt}' minus '{base}': {interval_text(d.modelled_qalys, '{:+,.0f}')}; "
        f"more under '{alt}' in {d.probability_alt_buys_more_health:.0%} of draws",
        f"  value (£m): {interval_text(d.modelled_value_gbp, '{:+,.1f}', 1e6)}; change in the HLE gap: "
        f"{interval_text(d.modelled_hle_gap_change_months, '{:+.4f}')} months",
        "",
        f"For whom, by HLE decile (1 = lowest {money.base.health.summary.hle_column}; "
        f"alternative minus base):",
        table_money(money.by_hle_decile),
    ]
    return "\n".join(lines)
