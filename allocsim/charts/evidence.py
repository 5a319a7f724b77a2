"""Charts of what the health figures rest on and how the model compares with reality: the one-way
sensitivity (tornado), the central case beside the Monte Carlo median, the difference between two
rules split into what the money gives with no need gradient and what the gradient adds, and the
competitive model's calibration against the money actually awarded.

Each takes the result a Python user has: a :class:`~allocsim.money.simulation.Simulation`
(``allocsim.simulate``), a :class:`~allocsim.comparison.MoneyComparison` (``allocsim.compare(...,
budget=...).money``) or a :class:`~allocsim.reality.calibration.Calibration`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from allocsim.charts.inputs import money_of
from allocsim.charts.theme import DATA_NOTE, GUIDE, INK, MODELLED_NOTE, PAGE_WIDTH, rule_scale, title
from allocsim.comparison import Comparison, MoneyComparison
from allocsim.money.simulation import Simulation
from allocsim.reality.calibration import Calibration

# Greys: an end of a parameter's range is neither a group, a rule nor a change of group.
LOW_HIGH = {"at low value": "#BDBDBD", "at high value": "#616161"}
ESTIMATE = "Dot: Monte Carlo median; bar: 90% interval; open diamond: the central case (every parameter central)."


def one_way_rows(result: Simulation | MoneyComparison | Comparison) -> tuple[list[dict], float, str]:
    """The one-way table of ``result`` as rows (``parameter``, ``low``, ``high``, ``price_base``,
    ``at_low``, ``at_high``), its central value and what it measures: a simulation's total modelled
    QALYs, or a comparison's difference in them (alternative minus base)."""
    if isinstance(result, Comparison):
        result = money_of(result)
    if isinstance(result, MoneyComparison):
        rows = [{"parameter": r["parameter"], "low": r["low"], "high": r["high"], "price_base": r["price_base"],
                 "at_low": r["difference_at_low"], "at_high": r["difference_at_high"]}
                for r in result.summary.one_way_difference]
        central = result.summary.one_way_difference[0]["difference_central"] if rows else 0.0
        labels = (result.summary.base.label, result.summary.alt.label)
        return rows, central, f"difference in modelled QALYs, {labels[1]} minus {labels[0]}"
    table = result.health.one_way
    rows = [{"parameter": r.parameter, "low": r.low, "high": r.high, "price_base": r.price_base,
             "at_low": r.modelled_qalys_at_low, "at_high": r.modelled_qalys_at_high} for r in table.itertuples()]
    central = float(table["modelled_qalys_central"].iloc[0]) if len(table) else 0.0
    return rows, central, f"total modelled QALYs under {result.rule.name}"


def _parameter_file(result: Simulation | MoneyComparison) -> str:
    return result.summary.parameter_files["health"]


def one_way_chart(result: Simulation | MoneyComparison | Comparison) -> alt.LayerChart:
    """Tornado: the total modelled QALYs of a :class:`Simulation` (``allocsim.simulate``), or the
    difference between the rules of a comparison made with a budget (``allocsim.compare(...,
    budget=...)`` or its ``money``), with each parameter at its low and
    its high value and the others central, widest swing first; a line at the central case. Each
    parameter is named with its range (money in its own price base)."""
    result = money_of(result) if isinstance(result, Comparison) else result
    rows, central, measure = one_way_rows(result)
    frame = pd.DataFrame([{"parameter": _parameter_label(r), "value": r[f"at_{end}"], "end": f"at {end} value",
                           "setting": r[end], "centre": central, "swing": abs(r["at_high"] - r["at_low"]),
                           "right": r[f"at_{end}"] >= central}
                          for r in rows for end in ("low", "high")],
                         columns=["parameter", "value", "end", "setting", "centre", "swing", "right"])
    order = (frame.groupby("parameter", sort=False)["swing"].max().sort_values(ascending=False, kind="stable")
             .index.tolist() if not frame.empty else [])
    y = alt.Y("parameter:N", sort=order, title=None, axis=alt.Axis(labelLimit=330))
    offset = alt.YOffset("end:N", sort=list(LOW_HIGH))
    scale = alt.Scale(zero=False, padding=40)
    bars = alt.Chart(frame).mark_bar().encode(
        y=y, yOffset=offset, x=alt.X("value:Q", title=measure, scale=scale), x2="centre:Q",
        color=alt.Color("end:N", title=None, scale=alt.Scale(domain=list(LOW_HIGH), range=list(LOW_HIGH.values()))),
        tooltip=[alt.Tooltip("parameter:N"), alt.Tooltip("end:N"), alt.Tooltip("setting:Q", title="set to"),
                 alt.Tooltip("value:Q", title=measure, format=",.1f")])
    labels = alt.Chart(frame).mark_text(fontSize=10, color=INK, dx=alt.expr("datum.right ? 4 : -4"),
                                        align=alt.expr("datum.right ? 'left' : 'right'")).encode(
        y=y, yOffset=offset, x=alt.X("value:Q", scale=scale), text=alt.Text("value:Q", format=",.0f"))
    centre = alt.Chart(pd.DataFrame({"centre": [central]})).mark_rule(color=INK, strokeWidth=1.5).encode(x="centre:Q")
    return alt.layer(bars, labels, centre).properties(width=PAGE_WIDTH - 350, height=alt.Step(18), title=title(
        f"One-way sensitivity: {measure}",
        f"Each parameter from its low to its high value (named beside it), the others central; the line is the "
        f"central case ({central:,.1f}).", MODELLED_NOTE.format(params=_parameter_file(result)), DATA_NOTE))


def _parameter_label(row: dict) -> str:
    """A parameter with its range: money in its own price base."""
    if row.get("price_base"):
        return f"{row['parameter']} (£{row['low']:,.0f} to £{row['high']:,.0f}, {row['price_base']})"
    return f"{row['parameter']} ({row['low']:g} to {row['high']:g})"


def estimate_rows(money: MoneyComparison | Comparison) -> pd.DataFrame:
    """Each rule's total modelled QALYs, then the difference between them and its two parts, as the
    central case beside the Monte Carlo median and 90% interval (``panel`` says which is which)."""
    s = money_of(money).summary
    rows = [{"panel": "each rule", "what": r.label, "central": r.central.modelled_qalys,
             "median": r.totals.modelled_qalys.median, "p05": r.totals.modelled_qalys.p05,
             "p95": r.totals.modelled_qalys.p95} for r in (s.base, s.alt)]
    d = s.difference_alt_minus_base
    for what, estimate in ((f"{s.alt.label} minus {s.base.label}", d.modelled_qalys),
                           ("of which with no need gradient", d.without_need_gradient),
                           ("of which from the need gradient", d.from_need_gradient)):
        rows.append({"panel": "difference", "what": what, "central": estimate.central, "median": estimate.median,
                     "p05": estimate.p05, "p95": estimate.p95})
    return pd.DataFrame(rows)


def _estimates(frame: pd.DataFrame, heading: str, colour, width: int, padding: int = 0) -> alt.LayerChart:
    y = alt.Y("what:N", sort=list(frame["what"]), title=None, axis=alt.Axis(labelLimit=330, minExtent=290))
    tooltip = [alt.Tooltip("what:N", title=" "), alt.Tooltip("central:Q", title="central case", format=",.1f"),
               alt.Tooltip("median:Q", format=",.1f"), alt.Tooltip("p05:Q", title="5th percentile", format=",.1f"),
               alt.Tooltip("p95:Q", title="95th percentile", format=",.1f")]
    chart = alt.Chart(frame)
    scale = alt.Scale(padding=padding)  # padding: a point at zero stays clear of the axis and its labels
    x = alt.X("p05:Q", title="Modelled QALYs", scale=scale, axis=alt.Axis(tickCount=8))
    interval = chart.mark_rule(strokeWidth=3).encode(y=y, x=x, x2="p95:Q", color=colour)
    median = chart.mark_point(filled=True, size=110, opacity=1).encode(
        y=y, x=alt.X("median:Q", scale=scale), color=colour, tooltip=tooltip)
    central = chart.mark_point(shape="diamond", filled=False, size=170, strokeWidth=1.8, color=INK, opacity=1).encode(
        y=y, x=alt.X("central:Q", scale=scale), tooltip=tooltip)
    return alt.layer(interval, median, central, width=width, height=alt.Step(34),
                     title=alt.TitleParams(heading, fontSize=12))


def central_beside_median(money: MoneyComparison | Comparison) -> alt.VConcatChart:
    """Each rule's total modelled QALYs, and the difference between the rules with its two parts
    (with no need gradient, and from the gradient): the central case beside the Monte Carlo median
    and 90% interval, on paired draws. ``money``: a comparison made with a budget, or its ``money``."""
    money = money_of(money)
    frame = estimate_rows(money)
    labels = [money.summary.base.label, money.summary.alt.label]
    rules = frame[frame["panel"] == "each rule"]
    difference = frame[frame["panel"] == "difference"]
    zero = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color=GUIDE, strokeWidth=1.5).encode(x="zero:Q")
    top = _estimates(rules, "Total modelled QALYs under each rule", alt.Color(
        "what:N", title="Rule", sort=labels, scale=rule_scale(labels), legend=None), PAGE_WIDTH - 340)
    bottom = alt.layer(zero, _estimates(difference, "The difference between the rules, and its two parts",
                                        alt.value(INK), PAGE_WIDTH - 340, padding=14))
    s = money.summary
    return alt.vconcat(top, bottom, spacing=24, title=title(
        "Central case beside the Monte Carlo median (modelled QALYs, present value)",
        ESTIMATE, f"The ranges are skewed, so the median sits away from the central case. Money in {s.price_base}; "
        f"{s.draws:,} paired draws.",
        MODELLED_NOTE.format(params=s.parameter_files["health"]), DATA_NOTE))


def calibration_chart(calibration: Calibration) -> alt.HConcatChart:
    """The competitive model against the money actually awarded: ``calibration`` is the first of what
    :func:`allocsim.reality.calibration.calibrate` returns (as ``allocsim awards`` shows it):
    each group's share of the money, and the reliability of each area's predicted chance of any money."""
    shares = pd.DataFrame([{"group": g.group, "share": value, "what": what}
                           for g in calibration.by_group
                           for what, value in (("predicted", g.predicted_share_of_money),
                                               ("actual", g.actual_share_of_money))])
    kinds = {"predicted": "#9E9E9E", "actual": INK}
    colour = alt.Color("what:N", title=None, scale=alt.Scale(domain=list(kinds), range=list(kinds.values())))
    by_group = alt.Chart(shares).mark_bar().encode(
        x=alt.X("group:O", title="LUF round 1 category", axis=alt.Axis(labelAngle=0)), xOffset="what:N",
        y=alt.Y("share:Q", title="Share of the money", axis=alt.Axis(format="%")), color=colour,
        tooltip=[alt.Tooltip("group:O"), alt.Tooltip("what:N"), alt.Tooltip("share:Q", format=".1%")],
    ).properties(width=260, height=240, title="Money by published category")
    bins = pd.DataFrame(calibration.reliability)
    diagonal = alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(color=GUIDE, strokeDash=[4, 4]).encode(
        x="x:Q", y="y:Q")
    points = alt.Chart(bins).mark_circle(size=90, color=INK).encode(
        x=alt.X("mean_predicted:Q", title="Predicted chance of any money", scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("observed_rate:Q", title="Share actually funded", scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("areas:Q"), alt.Tooltip("mean_predicted:Q", format=".2f"),
                 alt.Tooltip("observed_rate:Q", format=".2f")])
    reliability = (diagonal + points).properties(width=260, height=240, title="Area by area (five bins)")
    return alt.hconcat(by_group, reliability, title=title(
        "The competitive model against the money actually awarded (LUF rounds 1 and 2)",
        f"Brier score {calibration.brier_score} (predicting the overall rate everywhere: "
        f"{calibration.brier_score_of_the_base_rate}); AUC {calibration.auc}; {calibration.price_base}.", DATA_NOTE))
