"""Charts of money and the modelled health return, from the results ``allocsim.compare(...,
budget=...)`` and ``allocsim.simulate`` give (or tables prepared from them)."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from allocsim.charts.inputs import is_simulations, money_of, simulations_of
from allocsim.charts.theme import DATA_NOTE, GUIDE, INK, MODELLED_NOTE, PAGE_WIDTH, rule_scale, title
from allocsim.comparison import Comparison, MoneyComparison
from allocsim.comparison.chain import Chain
from allocsim.hle import hle_label
from allocsim.money.per_head import per_head_by
from allocsim.results import Interval
from allocsim.rollups import rollups
from allocsim.text.tables import HEALTHY_MONTHS

NAME_WIDTH = 350  # room for the longest roll-up name, with "Integrated Care Board" shortened to "ICB"
SHORT_NAME = "replace(datum.label, 'Integrated Care Board', 'ICB')"
ALL_AREAS = "All areas"


def allocation_per_head(results, titles: Mapping[str, str] | None = None) -> alt.VConcatChart:
    """Money per resident by geography roll-up (region, combined authority, nation, ICB), one bar per rule.

    ``results`` is what a Python user has: a :class:`~allocsim.comparison.Comparison` made with a
    budget (``allocsim.compare(..., budget=4.8e9)``) or its ``money``, a chain compared with a budget,
    one :class:`~allocsim.money.simulation.Simulation` (``allocsim.simulate``), or a mapping of labels
    to simulations (``{"mine": sim}``) or to their allocation tables (``{"mine": sim.allocation}``). It
    may also be prepared tables: each roll-up's column mapped to
    :func:`allocsim.money.per_head.per_head_by`'s table (the column, ``rule``, ``allocation``,
    ``population`` and ``per_head``). ``titles`` names each panel (default: the roll-up's title).
    """
    if is_simulations(results):
        results = {label: s.allocation for label, s in simulations_of(results).items()}
    if _are_allocations(results):
        results, declared = per_head_tables(results)
        titles = titles or declared
    tables = results
    panels = []
    for column, frame in tables.items():
        labels = list(pd.unique(frame["rule"]))
        heading = (titles or {}).get(column, column)
        panels.append(alt.Chart(frame).mark_bar().encode(
            y=alt.Y(f"{column}:N", title=None, sort=alt.EncodingSortField("per_head", op="max", order="descending"),
                    axis=alt.Axis(labelLimit=NAME_WIDTH, minExtent=NAME_WIDTH, labelExpr=SHORT_NAME)),
            yOffset=alt.YOffset("rule:N", sort=labels),
            x=alt.X("per_head:Q", title="£ per resident (mid-2019 population)"),
            color=alt.Color("rule:N", title="Rule", sort=labels, scale=rule_scale(labels)),
            tooltip=[alt.Tooltip(f"{column}:N", title=heading), alt.Tooltip("rule:N"),
                     alt.Tooltip("per_head:Q", title="£ per head", format=",.0f"),
                     alt.Tooltip("allocation:Q", title="£ total", format=",.0f")],
        ).properties(width=PAGE_WIDTH - NAME_WIDTH - 30, height=alt.Step(24), title=heading))
    return alt.vconcat(*panels, title=title(
        "Allocation per resident", "Expected allocation under each rule and mechanism; see allocation tables.",
        DATA_NOTE))


def _are_allocations(tables) -> bool:
    """Whether ``tables`` maps labels to allocation tables (``Simulation.allocation``), not per-head tables."""
    return isinstance(tables, Mapping) and bool(tables) and all(
        isinstance(t, pd.DataFrame) and {"allocation", "population"} <= set(t.columns) and "per_head" not in t
        for t in tables.values())


def per_head_tables(allocations: Mapping[str, pd.DataFrame],
                    data: pd.DataFrame | None = None) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Each money roll-up's per-resident table for the labelled allocation tables
    (``Simulation.allocation``), and its title: the roll-ups ``data`` declares (by default, those whose
    columns the tables carry)."""
    data = next(iter(allocations.values())) if data is None else data
    places = rollups(data, "money")
    return ({r.column: per_head_by(allocations, data, r) for r in places},
            {r.column: r.title for r in places})


def health_by_decile(breakdowns, parameter_file: str | None = None,
                     measure: str = "modelled_qalys", hle_column: str | None = None) -> alt.LayerChart:
    """Median modelled health return by HLE decile with its 90% interval, one bar per rule.

    ``breakdowns`` is a :class:`~allocsim.comparison.Comparison` made with a budget or its ``money``,
    a chain compared with a budget, a :class:`~allocsim.money.simulation.Simulation`, or a mapping of
    labels to simulations; or a mapping of labels to ``HealthReturn.breakdowns["hle_decile"]`` frames.
    ``parameter_file`` (named in the subtitle) and ``hle_column`` (the HLE the deciles are of, named on the axis)
    default to the simulations'.
    """
    if is_simulations(breakdowns):
        simulations = simulations_of(breakdowns)
        first = next(iter(simulations.values()))
        parameter_file = parameter_file or first.summary.parameter_files["health"]
        hle_column = hle_column or first.health.summary.hle_column
        breakdowns = {label: s.health.breakdowns["hle_decile"] for label, s in simulations.items()}
    if parameter_file is None:
        raise ValueError("name the health parameter file the breakdowns rest on (parameter_file=...)")
    labels = list(breakdowns)
    frame = pd.concat([b.assign(rule=label) for label, b in breakdowns.items()])
    unit = _unit(measure)
    x = alt.X("category:O", title=_decile_axis(hle_column), axis=alt.Axis(labelAngle=0))
    offset = alt.XOffset("rule:N", sort=labels)
    colour = alt.Color("rule:N", title="Rule", sort=labels, scale=rule_scale(labels))
    bars = alt.Chart(frame).mark_bar().encode(
        x=x, xOffset=offset, color=colour,
        y=alt.Y(f"{measure}_median:Q", title=f"Modelled {unit} (median)"),
        tooltip=[alt.Tooltip("rule:N"), alt.Tooltip("category:O", title="decile"), alt.Tooltip("areas:Q"),
                 alt.Tooltip(f"{measure}_median:Q", title="median", format=",.1f"),
                 alt.Tooltip(f"{measure}_p05:Q", title="5th percentile", format=",.1f"),
                 alt.Tooltip(f"{measure}_p95:Q", title="95th percentile", format=",.1f")])
    whiskers = alt.Chart(frame).mark_rule(color=INK).encode(
        x=x, xOffset=offset, y=f"{measure}_p05:Q", y2=f"{measure}_p95:Q")
    return (bars + whiskers).properties(width=PAGE_WIDTH - 90, height=300, title=title(
        f"Modelled health return by HLE decile ({unit}, median and 90% interval)",
        MODELLED_NOTE.format(params=parameter_file),
        "Each rule's own interval: they overlap because both rules carry the same uncertain parameters; the "
        "difference between the rules, on paired draws, is charted on its own.", DATA_NOTE))


def _decile_axis(hle_column: str | None) -> str:
    """The decile axis's title, naming the HLE column the deciles are of where it is known."""
    if hle_column is None:
        return "HLE decile of areas (1 = lowest HLE)"
    return f"Decile of areas by {hle_label(hle_column) or hle_column} (1 = lowest)"


def _unit(measure: str) -> str:
    return "QALYs" if measure == "modelled_qalys" else HEALTHY_MONTHS


def health_difference_by_decile(by_hle_decile, base: str | None = None, alt_: str | None = None,
                                parameter_file: str | None = None, total: Interval | None = None,
                                measure: str = "modelled_qalys", hle_column: str | None = None) -> alt.LayerChart:
    """The paired difference in modelled health return, ``alt_`` minus ``base``, by HLE decile: median
    and 90% interval over draws that share their parameters, with a zero line; ``total`` (the
    difference over all areas) as a last column.

    ``by_hle_decile`` is a :class:`~allocsim.comparison.Comparison` made with a budget, its ``money``
    (a :class:`~allocsim.comparison.MoneyComparison`) or a chain compared with a budget (its first
    rule against its last): the rules' labels, the parameter file and the total come from it. Or it
    is :attr:`allocsim.comparison.MoneyComparison.by_hle_decile` itself (``category``, ``areas`` and
    ``{measure}_change_{median,p05,p95}``), with ``base``, ``alt_`` and ``parameter_file`` given (and
    ``hle_column``, the HLE the deciles are of, to name it on the axis).
    """
    if isinstance(by_hle_decile, (Comparison, MoneyComparison, Chain)):
        money = money_of(by_hle_decile)
        s = money.summary
        base, alt_ = base or s.base.label, alt_ or s.alt.label
        parameter_file = parameter_file or s.parameter_files["health"]
        total = total or (s.difference_alt_minus_base.modelled_qalys if measure == "modelled_qalys" else None)
        hle_column = hle_column or money.base.health.summary.hle_column
        by_hle_decile = money.by_hle_decile
    if base is None or alt_ is None or parameter_file is None:
        raise ValueError("with a table, name the rules (base, alt_) and the health parameter file")
    columns = {f"{measure}_change_{s}": s for s in ("median", "p05", "p95")}
    frame = by_hle_decile[["category", "areas", *columns]].rename(columns=columns)
    frame = frame.assign(column=frame["category"].astype(str), kind="decile")
    if total is not None:
        frame = pd.concat([frame, pd.DataFrame([{"column": ALL_AREAS, "kind": "all areas", "median": total.median,
                                                 "p05": total.p05, "p95": total.p95,
                                                 "areas": int(by_hle_decile["areas"].sum())}])])
    frame["verdict"] = [_verdict(lo, hi) for lo, hi in zip(frame["p05"], frame["p95"])]
    unit = _unit(measure)
    bold_total = alt.expr(f"datum.label == '{ALL_AREAS}' ? 'bold' : 'normal'")
    x = alt.X("column:N", sort=list(frame["column"]), title=_decile_axis(hle_column),
              axis=alt.Axis(labelAngle=0, labelFontWeight=bold_total))
    y_title = f"Modelled {unit}: difference"
    tooltip = [alt.Tooltip("column:N", title="HLE decile"), alt.Tooltip("areas:Q"),
               alt.Tooltip("median:Q", title="median difference", format=",.1f"),
               alt.Tooltip("p05:Q", title="5th percentile", format=",.1f"),
               alt.Tooltip("p95:Q", title="95th percentile", format=",.1f"), alt.Tooltip("verdict:N")]
    chart = alt.Chart(frame)
    zero = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color=GUIDE, strokeWidth=1.5).encode(y="zero:Q")
    interval = chart.mark_rule(color=INK, strokeWidth=2.5).encode(x=x, y=alt.Y("p05:Q", title=y_title), y2="p95:Q")
    point = chart.mark_point(filled=True, color=INK, opacity=1).encode(
        x=x, y=alt.Y("median:Q", title=y_title), tooltip=tooltip,
        size=alt.Size("kind:O", legend=None, scale=alt.Scale(domain=["decile", "all areas"], range=[70, 160])),
        shape=alt.Shape("kind:N", legend=None, scale=alt.Scale(domain=["decile", "all areas"],
                                                               range=["circle", "diamond"])))
    return alt.layer(zero, interval, point).properties(width=PAGE_WIDTH - 90, height=300, title=title(
        f"Difference in modelled health return, {alt_} minus {base} ({unit})",
        MODELLED_NOTE.format(params=parameter_file),
        "Median and 90% interval of the difference on paired draws (both rules in each draw share the same "
        "parameters and bids), so",
        "an interval that leaves zero is a difference between the rules even where each rule's own intervals "
        f"overlap. Above zero: {alt_} buys more.", DATA_NOTE))


def _verdict(p05: float, p95: float) -> str:
    if p05 > 0:
        return "more under the alternative (interval above 0)"
    if p95 < 0:
        return "less under the alternative (interval below 0)"
    return "no clear difference (interval includes 0)"
