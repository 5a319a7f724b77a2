"""Money and the modelled health return for the terminal (``simulate``, ``compare --budget``)."""

from __future__ import annotations

import pandas as pd

from allocsim.allocation import MECHANISMS
from allocsim.comparison.health_difference import Estimate, signed
from allocsim.comparison.money import MoneyComparison, RuleMoney
from allocsim.health import HealthSummary
from allocsim.health.breakdowns import DECILE_TIES
from allocsim.money.simulation import Simulation, SimulationSummary
from allocsim.reality.scenario import Beside
from allocsim.results import plain
from allocsim.text.tables import HEALTHY_MONTHS, interval_text, pounds, table, table_money


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


FIGURES = (  # (attribute, label, format, scale)
    ("modelled_qalys", "QALYs (present value)", "{:,.0f}", 1.0),
    ("modelled_healthy_months_per_resident", HEALTHY_MONTHS, "{:.4f}", 1.0),
    ("modelled_value_gbp", "value (£bn)", "{:,.2f}", 1e9),
    ("modelled_bcr", "benefit-cost ratio", "{:.2f}", 1.0),
)


def health_totals_text(summary: HealthSummary) -> list[str]:
    """The modelled health totals, central case beside the Monte Carlo median and 90% interval."""
    rows = [{"": label, "central case": _number(getattr(summary.central, name), fmt, scale),
             "median (90% interval)": interval_text(getattr(summary.totals, name), fmt, scale)}
            for name, label, fmt, scale in FIGURES]
    cost, gap = summary.cost_per_qaly, summary.healthy_months_gap
    specs = ", ".join(f"£{s['value']:,.0f}" for s in cost.specifications if s["value"] != cost.central)
    return [
        table(pd.DataFrame(rows)),
        f"  Cost per QALY: £{cost.central_in_price_base:,.0f} in {summary.price_base} (£{cost.central:,.0f} in "
        f"{cost.price_base}, x{cost.factor_to_price_base:.3f} by the GDP deflator); the study's other "
        f"specifications, {specs} ({cost.price_base}), are alternative models, not an interval: the draws pick "
        "among all of them.",
        f"  {HEALTHY_MONTHS.capitalize()}, top minus bottom HLE decile by {gap.hle_column}: central "
        f"{_number(gap.central, '{:+.4f}')}, median {interval_text(gap.modelled_difference_months, '{:+.4f}')} "
        f"(negative: the bottom decile gains more). Not a change in the HLE gap: see the definitions in "
        f"summary.json.",
    ]


def one_way_text(summary: HealthSummary) -> list[str]:
    """The one-way sensitivity of the total QALYs, largest swing first."""
    rows = sorted(summary.one_way,
                  key=lambda r: -abs((r.modelled_qalys_at_high or 0) - (r.modelled_qalys_at_low or 0)))
    frame = pd.DataFrame([{"parameter": r.parameter, "low": _parameter_value(r.low, r.price_base),
                           "high": _parameter_value(r.high, r.price_base),
                           "QALYs at low": _number(r.modelled_qalys_at_low, "{:,.0f}"),
                           "QALYs at high": _number(r.modelled_qalys_at_high, "{:,.0f}")} for r in rows])
    return [f"One-way sensitivity (each parameter from low to high, the others central; central case "
            f"{_number(summary.central.modelled_qalys, '{:,.0f}')} QALYs):", table(frame)]


def _parameter_value(value: float, price_base: str | None) -> str:
    return f"£{value:,.0f} ({price_base})" if price_base else f"{value:,.4g}"


def simulation_text(simulation: Simulation, top: int = 15) -> str:
    """What ``allocsim simulate`` prints: the money, the areas that get most, the modelled health."""
    s, table_ = simulation.summary, simulation.allocation
    lines = [s.modelled_notice, "",
             f"{s.rule}: {pounds(s.budget)} ({s.price_base}) among {s.areas} areas; {s.mechanism_description}."]
    lines += _money_lines(s)
    groups = pd.DataFrame.from_dict(plain(s.by_group), orient="index").rename_axis("group")
    lines += ["", "By group:", table_money(groups.reset_index())]
    extra = list(MECHANISMS[s.mechanism].columns)
    shown = (table_.reset_index().sort_values(["allocation", "code"], ascending=[False, True])
             [["code", "name", "group", "population", "allocation", "allocation_per_head", *extra]].head(top))
    lines += ["", f"Top {len(shown)} areas by allocation:", table_money(shown)]
    health = s.health
    lines += ["", f"Modelled health return ({health.draws} draws; curve {health.curve}; money in "
                  f"{health.price_base}):"]
    lines += health_totals_text(health)
    lines += ["", *one_way_text(health)]
    decile = simulation.health.breakdowns["hle_decile"]
    lines += ["", f"By HLE decile (1 = lowest {health.hle_column}; {DECILE_TIES}):",
              table_money(decile, {"category": "HLE decile"})]
    return "\n".join(lines)


def money_comparison_text(money: MoneyComparison) -> str:
    """What ``allocsim compare --budget`` adds: which rule buys more health, what that rests on, for whom."""
    s = money.summary
    d, base, alt = s.difference_alt_minus_base, s.base.label, s.alt.label
    lines = [f"Money: {pounds(s.budget)} ({s.price_base}); {s.mechanism_description}; {s.draws} paired draws, "
             f"seed {s.seed}.", s.modelled_notice]
    for r in (s.base, s.alt):
        lines.append(f"  '{r.label}': allocated {pounds(r.allocated)}, {unspent_text(r)}")
        lines.append(f"    QALYs central {_number(r.central.modelled_qalys, '{:,.0f}')}, median "
                     f"{interval_text(r.totals.modelled_qalys)}; benefit-cost ratio central "
                     f"{_number(r.central.modelled_bcr, '{:.2f}')}, median "
                     f"{interval_text(r.totals.modelled_bcr, '{:.2f}')}")
    more = ("" if d.probability_alt_buys_more_health is None
            else f"; more under '{alt}' in {d.probability_alt_buys_more_health:.0%} of draws")
    lines += [
        f"Which rule buys more health: {s.buys_more_health}.",
        f"  QALYs, '{alt}' minus '{base}': {estimate_text(d.modelled_qalys)}{more}",
        f"    with no need gradient: {estimate_text(d.without_need_gradient)}; what the gradient adds: "
        f"{estimate_text(d.from_need_gradient)}",
        f"  {d.explanation}",
        f"  value (£m): {estimate_text(d.modelled_value_gbp, 1e6, '{:+,.1f}')}; {HEALTHY_MONTHS}, top minus bottom "
        f"HLE decile by {money.base.health.summary.hle_column}: "
        f"{estimate_text(d.modelled_healthy_months_gap, 1.0, '{:+.4f}')}",
        "",
        f"For whom, by HLE decile (1 = lowest {money.base.health.summary.hle_column}; {DECILE_TIES}; alternative "
        f"minus base):",
        table_money(money.by_hle_decile, {"category": "HLE decile"}),
    ]
    if "nation" in money.places:
        lines += ["", f"Winners and losers by nation ({s.price_base}; region, combined authority and ICB in the "
                      f"winners_losers_by_*.csv files of --out, {UNASSIGNED_ROWS}):",
                  places_text(money.places["nation"])]
    return "\n".join(lines)


SHOWN_VIEWS = ("luf_category", "hle_decile_upper_tier", "hle_decile_district", "nation")
# so that a reader knows each file's rows add up to the whole
UNASSIGNED_ROWS = "each with a last row for the areas in no group"


def actual_text(tables: Beside, labels: dict[str, str], price_base: str) -> list[str]:
    """The money actually awarded beside the simulations, £ per resident, by the main views."""
    lines = [f"The money actually awarded (LUF rounds 1 and 2, {tables.scope}, {price_base}) beside each rule's "
             f"simulation of the same total, £ per resident (region, combined authority and ICB in the "
             f"actual_beside_by_*.csv files of --out, {UNASSIGNED_ROWS}):"]
    for name in SHOWN_VIEWS:
        if name not in tables:
            continue
        frame = tables[name]
        shown = pd.DataFrame({tables.titles[name]: frame["category"], "areas": frame["areas"],
                              "actual": frame["actual_per_head"].map("{:,.2f}".format)})
        for key, label in labels.items():
            shown[label] = frame[f"{key}_per_head"].map("{:,.2f}".format)
        lines += [table(shown)]
    return lines


def places_text(frame: pd.DataFrame) -> str:
    """A winners-and-losers table in £m, with the areas gaining and losing."""
    shown = pd.DataFrame({
        "": frame["place"], "areas": frame["areas"],
        "£m before": (frame["base_allocation"] / 1e6).map("{:,.1f}".format),
        "£m after": (frame["alt_allocation"] / 1e6).map("{:,.1f}".format),
        "change £m": (frame["allocation_change"] / 1e6).map("{:+,.1f}".format),
        "£ per head": frame["change_per_head"].map("{:+,.2f}".format),
        "areas gaining": frame["areas_gaining"], "areas losing": frame["areas_losing"],
    })
    return table(shown)


def estimate_text(e: Estimate, scale: float = 1.0, fmt: str | None = None) -> str:
    """``central X; median Y (p05 to p95)``, or ``no difference`` when every figure is 0."""
    if e.is_zero:
        return "no difference (0 in the central case and in every draw)"
    show = (lambda v: fmt.format(v / scale)) if fmt else (lambda v: signed(v / scale))
    central = show(e.central) if e.central is not None else "n/a"
    return f"central {central}; median {show(e.median)} ({show(e.p05)} to {show(e.p95)})"


def _number(value: float | None, fmt: str, scale: float = 1.0) -> str:
    return "n/a" if value is None else fmt.format(value / scale)
