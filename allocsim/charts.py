"""Altair charts of allocsim results: DataFrames and result objects in, ``alt.Chart`` out.

No file I/O and no scoring happen here; every chart reads results computed elsewhere. All
charts share one theme (:func:`styled`) with colour-blind-safe colours (Okabe & Ito, 2008) and
carry a source note as their subtitle, so they can be used as they are in a notebook::

    from allocsim import charts
    charts.transition_heatmap(comparison)
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from allocsim.comparison import DEFAULT_FOCUS, Comparison
from allocsim.datasets import load_boundaries
from allocsim.engine.cut import group_sizes
from allocsim.ranking import RankResult

# Okabe & Ito (2008) palette: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#D55E00", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#CC79A7", "#000000"]
RULE_COLOURS = ["#0072B2", "#D55E00"]
CHANGE_COLOURS = {"gains priority": "#009E73", "loses priority": "#D55E00", "same group": "#999999"}
DATA_NOTE = "Source: allocsim on ONS, MHCLG, DfT and HM Treasury data (OGL v3.0)."
MODELLED_NOTE = "MODELLED, not observed: allocsim health-return model, parameters in {params}."
FONT = "Helvetica Neue, Arial, sans-serif"
BOUNDARIES_FEATURE = "lad2020"


def styled(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Apply the allocsim theme to a finished (top-level) chart."""
    return (
        chart.configure(font=FONT, background="white")
        .configure_title(anchor="start", fontSize=15, subtitleFontSize=11, subtitleColor="#555555")
        .configure_axis(labelFontSize=11, titleFontSize=12, gridColor="#e6e6e6")
        .configure_legend(labelFontSize=11, titleFontSize=12, orient="bottom")
        .configure_view(stroke=None)
    )


def _title(text: str, *notes: str) -> alt.TitleParams:
    return alt.TitleParams(text, subtitle=list(notes) or [DATA_NOTE])


def group_scale(n_groups: int = 3) -> alt.Scale:
    groups = list(range(1, n_groups + 1))
    return alt.Scale(domain=groups, range=OKABE_ITO[:n_groups])


def _rule_labels(comparison: Comparison) -> tuple[str, str]:
    base, alt_ = comparison.base.rule.name, comparison.alt.rule.name
    return (base, alt_) if base != alt_ else (f"{base} (base)", f"{alt_} (alternative)")


def _n_groups(comparison: Comparison) -> int:
    return int(max(comparison.table["base_group"].max(), comparison.table["alt_group"].max()))


# -- 1. HLE against deprivation ----------------------------------------------------------------

def hle_vs_deprivation(comparison: Comparison, data: pd.DataFrame, hle: str | None = None) -> alt.FacetChart:
    """HLE against IMD 2019 rank, coloured by priority group, one panel per rule (England)."""
    hle = hle or (comparison.focus if comparison.focus.startswith("hle_") else DEFAULT_FOCUS)
    base, alt_ = _rule_labels(comparison)
    extra = data[["imd2019_rank", hle]].rename(columns={hle: "hle"})
    table = comparison.table.drop(columns=[c for c in extra.columns if c in comparison.table]).join(extra)
    table = table[table["imd2019_rank"].notna()].reset_index()
    long = pd.concat([
        table.assign(rule=base, group=table["base_group"]),
        table.assign(rule=alt_, group=table["alt_group"]),
    ])[["code", "name", "rule", "group", "imd2019_rank", "hle"]]
    chart = alt.Chart(long).mark_circle(size=42, opacity=0.85).encode(
        x=alt.X("imd2019_rank:Q", title="IMD 2019 rank of average score (1 = most deprived)",
                scale=alt.Scale(domain=[0, 320])),
        y=alt.Y("hle:Q", title=f"{_hle_label(hle)} (years)", scale=alt.Scale(zero=False)),
        color=alt.Color("group:O", title="Priority group", scale=group_scale(_n_groups(comparison))),
        tooltip=[alt.Tooltip("name:N", title="area"), alt.Tooltip("code:N"), alt.Tooltip("rule:N"),
                 alt.Tooltip("group:O", title="group"), alt.Tooltip("imd2019_rank:Q", title="IMD rank"),
                 alt.Tooltip("hle:Q", title="HLE", format=".1f")],
    ).properties(width=330, height=260)
    return chart.facet(column=alt.Column("rule:N", title=None, sort=[base, alt_])).properties(
        title=_title(f"Healthy life expectancy and deprivation by priority group (England, {len(table)} areas)",
                     "IMD 2019 is published for England only; shire districts carry their county's HLE.",
                     DATA_NOTE))


def _hle_label(column: str) -> str:
    parts = column.split("_")
    if len(parts) >= 4 and parts[0] == "hle":
        return f"{parts[1].title()} HLE {parts[2]}-{parts[3]}"
    return column


# -- 2. rank change of the focus areas -----------------------------------------------------------

def focus_rank_change(comparison: Comparison) -> alt.Chart:
    """Slope chart of each focus (low-HLE) area's rank under the two rules."""
    base, alt_ = _rule_labels(comparison)
    focus = comparison.table[comparison.table["in_focus"]].reset_index()
    focus["change"] = np.select([focus["group_change"] > 0, focus["group_change"] < 0],
                                ["gains priority", "loses priority"], "same group")
    long = pd.concat([focus.assign(rule=base, rank=focus["base_rank"], group=focus["base_group"]),
                      focus.assign(rule=alt_, rank=focus["alt_rank"], group=focus["alt_group"])])
    long = long[["code", "name", "rule", "rank", "group", "change", comparison.focus]]
    colour = alt.Color("change:N", title=None, scale=alt.Scale(domain=list(CHANGE_COLOURS),
                                                               range=list(CHANGE_COLOURS.values())))
    encode = dict(
        x=alt.X("rule:N", title=None, sort=[base, alt_], axis=alt.Axis(labelAngle=0)),
        y=alt.Y("rank:Q", title="Rank (1 = most need)",
                scale=alt.Scale(reverse=True, domain=[1, len(comparison.table)])),
        detail="code:N", color=colour,
        tooltip=[alt.Tooltip("name:N", title="area"), alt.Tooltip("rule:N"), alt.Tooltip("rank:Q", format=".1f"),
                 alt.Tooltip("group:O"), alt.Tooltip(f"{comparison.focus}:Q", format=".1f")],
    )
    lines = alt.Chart(long).mark_line(opacity=0.55, strokeWidth=1.3).encode(**encode)
    points = alt.Chart(long).mark_circle(size=30).encode(**encode)
    return (lines + points).properties(width=360, height=420, title=_title(
        f"Rank of the {len(focus)} lowest-HLE areas under each rule",
        f"Focus: {comparison.summary.focus.selection.describe(comparison.focus)}. "
        "Published categories tie every area in a category at its mean rank.", DATA_NOTE))


# -- 3. transition matrix -------------------------------------------------------------------------

def transition_heatmap(comparison: Comparison) -> alt.LayerChart:
    base, alt_ = _rule_labels(comparison)
    matrix = comparison.transitions.stack().rename("areas").reset_index()
    x = alt.X("alt_group:O", title=f"Group under {alt_}", axis=alt.Axis(labelAngle=0))
    y = alt.Y("base_group:O", title=f"Group under {base}")
    heat = alt.Chart(matrix).mark_rect().encode(
        x=x, y=y, color=alt.Color("areas:Q", title="Areas", scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("base_group:O", title=base), alt.Tooltip("alt_group:O", title=alt_),
                 alt.Tooltip("areas:Q")])
    labels = alt.Chart(matrix).mark_text(fontSize=14).encode(
        x=x, y=y, text="areas:Q",
        color=alt.condition(alt.datum.areas > matrix["areas"].max() / 2, alt.value("white"), alt.value("black")))
    return (heat + labels).properties(width=260, height=260, title=_title(
        "How areas move between priority groups", "Diagonal: same group under both rules.", DATA_NOTE))


# -- 4. allocation per head ---------------------------------------------------------------------

PER_HEAD_TITLES = {"region": "Region", "combined_authority": "Combined authority (2021)"}


def allocation_per_head(tables: Mapping[str, pd.DataFrame]) -> alt.VConcatChart:
    """Money per resident by area grouping (region, combined authority), one bar per rule.

    Each table is :func:`allocsim.simulate.per_head_by`'s: the grouping column, ``rule``,
    ``allocation``, ``population`` and ``per_head``.
    """
    panels = []
    for column, frame in tables.items():
        labels = list(pd.unique(frame["rule"]))
        title = PER_HEAD_TITLES.get(column, column)
        panels.append(alt.Chart(frame).mark_bar().encode(
            y=alt.Y(f"{column}:N", title=None, sort=alt.EncodingSortField("per_head", op="max", order="descending")),
            yOffset=alt.YOffset("rule:N", sort=labels),
            x=alt.X("per_head:Q", title="£ per resident (mid-2019 population)"),
            color=alt.Color("rule:N", title="Rule", sort=labels, scale=alt.Scale(domain=labels, range=RULE_COLOURS)),
            tooltip=[alt.Tooltip(f"{column}:N", title=title), alt.Tooltip("rule:N"),
                     alt.Tooltip("per_head:Q", title="£ per head", format=",.0f"),
                     alt.Tooltip("allocation:Q", title="£ total", format=",.0f")],
        ).properties(width=420, title=title))
    return alt.vconcat(*panels).properties(title=_title(
        "Allocation per resident", "Expected allocation under each rule and mechanism; see allocation tables.",
        DATA_NOTE))


# -- 5. maps ------------------------------------------------------------------------------------

def boundaries() -> alt.InlineData:
    """The embedded LAD 2020 boundaries as inline TopoJSON data."""
    return alt.InlineData(values=load_boundaries(), format=alt.DataFormat(feature=BOUNDARIES_FEATURE, type="topojson"))


def group_map(table: pd.DataFrame, group_column: str, title: str, n_groups: int) -> alt.Chart:
    """One choropleth of priority groups; ``table`` indexed by code with ``name`` and the group."""
    fields = ["name", group_column]
    return alt.Chart(boundaries()).mark_geoshape(stroke="white", strokeWidth=0.2).transform_lookup(
        lookup="properties.code", from_=alt.LookupData(table.reset_index()[["code", *fields]], "code", fields),
    ).encode(
        color=alt.Color(f"{group_column}:O", title="Priority group", scale=group_scale(n_groups)),
        tooltip=[alt.Tooltip("name:N", title="area"), alt.Tooltip("properties.code:N", title="code"),
                 alt.Tooltip(f"{group_column}:O", title="group")],
    ).project(type="mercator").properties(width=300, height=420, title=title)


def group_maps(comparison: Comparison) -> alt.HConcatChart:
    """Side-by-side maps of the priority groups under each rule."""
    base, alt_ = _rule_labels(comparison)
    n = _n_groups(comparison)
    return alt.hconcat(
        group_map(comparison.table, "base_group", base, n),
        group_map(comparison.table, "alt_group", alt_, n),
    ).properties(title=_title("Priority groups on the map", "Boundaries: ONS, LAD 2020, simplified; "
                              "contains OS data © Crown copyright and database right.", DATA_NOTE))


# -- 6. modelled health return by HLE decile ----------------------------------------------------

def health_by_decile(breakdowns: Mapping[str, pd.DataFrame], parameter_file: str,
                     measure: str = "modelled_qalys") -> alt.LayerChart:
    """Median modelled health return by HLE decile with its 90% interval, one bar per rule.

    ``breakdowns`` maps a rule label to its ``HealthReturn.breakdowns["hle_decile"]`` frame.
    """
    labels = list(breakdowns)
    frame = pd.concat([b.assign(rule=label) for label, b in breakdowns.items()])
    unit = "QALYs" if measure == "modelled_qalys" else "HLE months per resident"
    x = alt.X("category:O", title="HLE decile of areas (1 = lowest HLE)", axis=alt.Axis(labelAngle=0))
    offset = alt.XOffset("rule:N", sort=labels)
    colour = alt.Color("rule:N", title="Rule", sort=labels, scale=alt.Scale(domain=labels, range=RULE_COLOURS))
    bars = alt.Chart(frame).mark_bar().encode(
        x=x, xOffset=offset, color=colour,
        y=alt.Y(f"{measure}_median:Q", title=f"Modelled {unit} (median)"),
        tooltip=[alt.Tooltip("rule:N"), alt.Tooltip("category:O", title="decile"), alt.Tooltip("areas:Q"),
                 alt.Tooltip(f"{measure}_median:Q", title="median", format=",.1f"),
                 alt.Tooltip(f"{measure}_p05:Q", title="5th percentile", format=",.1f"),
                 alt.Tooltip(f"{measure}_p95:Q", title="95th percentile", format=",.1f")])
    whiskers = alt.Chart(frame).mark_rule(color="black").encode(
        x=x, xOffset=offset, y=f"{measure}_p05:Q", y2=f"{measure}_p95:Q")
    return (bars + whiskers).properties(width=520, height=280, title=_title(
        f"Modelled health return by HLE decile ({unit}, median and 90% interval)",
        MODELLED_NOTE.format(params=parameter_file), DATA_NOTE))


# -- 7. robustness ------------------------------------------------------------------------------

def robustness_bands(table: pd.DataFrame, rule_name: str, draws: int) -> alt.LayerChart:
    """Each area's median rank and 5-95% rank interval under uncertain weights.

    ``table`` is ``Sensitivity.table``: ``name, group, median_rank, rank_p05, rank_p95`` by code.
    """
    frame = table.reset_index().sort_values(["median_rank", "code"])
    frame["position"] = np.arange(1, len(frame) + 1)
    n_groups = int(frame["group"].max())
    x = alt.X("position:Q", title="Areas, ordered by median rank", axis=alt.Axis(labels=False, ticks=False),
              scale=alt.Scale(domain=[0, len(frame) + 1], nice=False))
    colour = alt.Color("group:O", title=f"Group under {rule_name}", scale=group_scale(n_groups))
    tooltip = [alt.Tooltip("name:N", title="area"), alt.Tooltip("median_rank:Q", title="median rank"),
               alt.Tooltip("rank_p05:Q", title="5th pct rank"), alt.Tooltip("rank_p95:Q", title="95th pct rank"),
               alt.Tooltip("group:O")]
    bands = alt.Chart(frame).mark_rule(opacity=0.6).encode(
        x=x, y=alt.Y("rank_p05:Q", title="Rank (1 = most need)",
                     scale=alt.Scale(reverse=True, domain=[1, len(frame)], nice=False)),
        y2="rank_p95:Q", color=colour, tooltip=tooltip)
    points = alt.Chart(frame).mark_circle(size=12, color="black").encode(x=x, y="median_rank:Q", tooltip=tooltip)
    return (bands + points).properties(width=620, height=300, title=_title(
        f"How sure is each area's rank under {rule_name}?",
        f"Median rank and 5-95% interval over {draws:,} draws of weights and normalisation methods.",
        DATA_NOTE))


# -- interactive: weights explorer ----------------------------------------------------------------

def weights_explorer(result: RankResult, name: str = "explorer") -> alt.VConcatChart:
    """A map whose groups recompute in the browser as the reader moves one slider per domain.

    The browser repeats the engine's last steps - weight, aggregate, rank, cut - on the
    normalised values the engine computed, so at the rule's own weights it shows exactly the
    groups of ``allocsim rank``. Pooled shares only (the shipped index rules).
    """
    rule = result.rule
    if rule.kind != "index" or rule.categories.shares is None or rule.categories.scope != "pooled":
        raise ValueError("the weights explorer needs an index rule cut by pooled shares")
    frame, domains = _explorer_frame(result)
    params = [alt.param(name=f"w_{d}", value=round(w, 4),
                        bind=alt.binding_range(min=0, max=1, step=0.005, name=f"{d} weight "))
              for d, w in domains.items()]
    sizes = np.cumsum(group_sizes(len(frame), np.array(rule.categories.shares)))
    group_expr = " : ".join(f"datum.new_rank <= {b} ? {g}" for g, b in enumerate(sizes[:-1], start=1))
    group_expr += f" : {len(sizes)}"
    base = alt.Chart(frame).transform_calculate(
        score=_score_expression(result, domains),
    ).transform_window(
        new_rank="row_number()", sort=[alt.SortField("score", order="descending"), alt.SortField("code")],
    ).transform_calculate(new_group=group_expr).transform_calculate(
        label="datum.name + ' (' + datum.code + '): priority group ' + datum.new_group"
        " + ', rank ' + datum.new_rank",
    )
    geo = base.transform_lookup(
        lookup="code", from_=alt.LookupData(boundaries(), "properties.code"), as_="geo",
    ).mark_geoshape(stroke="white", strokeWidth=0.2).encode(
        shape="geo:G", description="label:N",
        color=alt.Color("new_group:O", title="Priority group", scale=group_scale(rule.categories.n_groups)),
        tooltip=[alt.Tooltip("name:N", title="area"), alt.Tooltip("code:N"),
                 alt.Tooltip("new_group:O", title="priority group"), alt.Tooltip("new_rank:Q", title="rank"),
                 alt.Tooltip("rule_group:O", title="group at the rule's weights")],
    ).project(type="mercator").properties(width=360, height=500, name=f"{name}_map")
    counts = base.mark_bar().encode(
        x=alt.X("count():Q", title="Areas"),
        y=alt.Y("country:N", title=None),
        color=alt.Color("new_group:O", title="Priority group", scale=group_scale(rule.categories.n_groups)),
        order=alt.Order("new_group:O"),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("new_group:O", title="group"),
                 alt.Tooltip("count():Q", title="areas")],
    ).properties(width=360, height=90, name=f"{name}_counts")
    return alt.vconcat(geo, counts).add_params(*params).properties(title=_title(
        f"Try other domain weights: {rule.name}",
        "Move the sliders: the index, ranks and groups recompute in your browser. Weights are "
        "relative (divided by their sum).", DATA_NOTE))


def _explorer_frame(result: RankResult) -> tuple[pd.DataFrame, dict[str, float]]:
    rule = result.rule
    domains = _domain_weights(rule)
    frame = result.table[["name", "country", "group"]].rename(columns={"group": "rule_group"}).copy()
    for i, column in enumerate(result.normalised.columns):
        values = result.normalised[column]
        frame[f"z{i}"] = values.fillna(0.0).round(10)
        frame[f"a{i}"] = values.notna().astype(int)
    return frame.reset_index(), domains


def _domain_weights(rule) -> dict[str, float]:
    if rule.domains:
        total = sum(d.weight for d in rule.domains.values())
        return {name: d.weight / total for name, d in rule.domains.items()}
    return {"index": 1.0}


def _score_expression(result: RankResult, domains: dict[str, float]) -> str:
    """Vega expression for the engine's score with the domain weights taken from the sliders."""
    rule = result.rule
    terms, weights = [], []
    for i, indicator in enumerate(rule.indicators):
        domain = indicator.domain or "index"
        peers = [x.weight for x in rule.indicators if (x.domain or "index") == domain]
        weight = f"(w_{domain} * {indicator.weight / sum(peers):.10g} * datum.a{i})"
        weights.append(weight)
        value = f"log(1 + datum.z{i})" if rule.aggregation == "geometric" else f"datum.z{i}"
        terms.append(f"{weight} * {value}")
    total = " + ".join(weights)
    mean = f"(({' + '.join(terms)}) / max(1e-12, {total}))"
    return f"exp({mean}) - 1" if rule.aggregation == "geometric" else mean
