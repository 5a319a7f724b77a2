"""Charts of what the health figures rest on and how the model compares with reality: the one-way
sensitivity (tornado) and the competitive model's calibration against the money actually awarded."""

from __future__ import annotations

import altair as alt
import pandas as pd

from allocsim.charts.theme import DATA_NOTE, MODELLED_NOTE, title

LOW_HIGH = {"at low value": "#56B4E9", "at high value": "#E69F00"}


def one_way_chart(rows: list, central: float, measure: str, parameter_file: str) -> alt.LayerChart:
    """Tornado: ``measure`` (e.g. total modelled QALYs, or a difference between rules) with each
    parameter at its low and its high value, the others central; ``rows`` have ``parameter``,
    ``low``, ``high`` and the measure at each (``at_low``, ``at_high``)."""
    frame = pd.DataFrame([{"parameter": r["parameter"], "value": r[f"at_{end}"], "end": f"at {end} value",
                           "setting": r[end], "swing": abs(r["at_high"] - r["at_low"])}
                          for r in rows for end in ("low", "high")])
    order = (frame.groupby("parameter")["swing"].max().sort_values(ascending=False).index.tolist()
             if not frame.empty else [])
    y = alt.Y("parameter:N", sort=order, title=None)
    bars = alt.Chart(frame).mark_bar(opacity=0.85).encode(
        y=y, x=alt.X("value:Q", title=measure), x2=alt.X2("centre:Q"),
        color=alt.Color("end:N", title=None, scale=alt.Scale(domain=list(LOW_HIGH), range=list(LOW_HIGH.values()))),
        tooltip=[alt.Tooltip("parameter:N"), alt.Tooltip("end:N"), alt.Tooltip("setting:Q", title="set to"),
                 alt.Tooltip("value:Q", title=measure, format=",.0f")],
    ).transform_calculate(centre=f"{central}")
    centre = alt.Chart(pd.DataFrame({"centre": [central]})).mark_rule(color="black").encode(x="centre:Q")
    return (bars + centre).properties(width=560, height=max(120, 26 * len(order)), title=title(
        f"One-way sensitivity: {measure}", f"Each parameter from its low to its high value, the others central "
        f"(central case {central:,.0f}).", MODELLED_NOTE.format(params=parameter_file), DATA_NOTE))


def calibration_chart(calibration) -> alt.HConcatChart:
    """The competitive model against the money actually awarded: each group's share of the money,
    and the reliability of each area's predicted chance of any money."""
    shares = pd.DataFrame([{"group": g.group, "share": value, "what": what}
                           for g in calibration.by_group
                           for what, value in (("predicted", g.predicted_share_of_money),
                                               ("actual", g.actual_share_of_money))])
    kinds = {"predicted": "#0072B2", "actual": "#000000"}
    colour = alt.Color("what:N", title=None, scale=alt.Scale(domain=list(kinds), range=list(kinds.values())))
    by_group = alt.Chart(shares).mark_bar().encode(
        x=alt.X("group:O", title="LUF round 1 category", axis=alt.Axis(labelAngle=0)), xOffset="what:N",
        y=alt.Y("share:Q", title="Share of the money", axis=alt.Axis(format="%")), color=colour,
        tooltip=[alt.Tooltip("group:O"), alt.Tooltip("what:N"), alt.Tooltip("share:Q", format=".1%")],
    ).properties(width=260, height=240, title="Money by published category")
    bins = pd.DataFrame(calibration.reliability)
    diagonal = alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(color="#999999", strokeDash=[4, 4]).encode(
        x="x:Q", y="y:Q")
    points = alt.Chart(bins).mark_circle(size=90, color="#0072B2").encode(
        x=alt.X("mean_predicted:Q", title="Predicted chance of any money", scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("observed_rate:Q", title="Share actually funded", scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("areas:Q"), alt.Tooltip("mean_predicted:Q", format=".2f"),
                 alt.Tooltip("observed_rate:Q", format=".2f")])
    reliability = (diagonal + points).properties(width=260, height=240, title="Area by area (five bins)")
    return alt.hconcat(by_group, reliability).properties(title=title(
        "The competitive model against the money actually awarded (LUF rounds 1 and 2)",
        f"Brier score {calibration.brier_score} (predicting the overall rate everywhere: "
        f"{calibration.brier_score_of_the_base_rate}); AUC {calibration.auc}; {calibration.price_base}.", DATA_NOTE))
