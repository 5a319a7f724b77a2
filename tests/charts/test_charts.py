"""Charts are Altair objects with a source note and tooltips, built from results only."""

from __future__ import annotations

import dataclasses
import json
import re

import altair as alt
import numpy as np
import pandas as pd
import pytest
from toys import rollup

from allocsim import charts
from allocsim.charts.explorer import explorer_frame
from allocsim.charts.focus import focus_frame, rank_span
from allocsim.charts.robustness import group_cutoffs
from allocsim.charts.theme import (
    CHANGE_COLOURS,
    DATA_NOTE,
    FONT,
    GROUP_RAMP,
    RULE_COLOURS,
    group_colours,
)
from allocsim.comparison import compare
from allocsim.datasets import load_boundaries
from allocsim.ranking import rank
from allocsim.results import Interval


@pytest.fixture(scope="module")
def comparison(dataset):
    return compare("luf-2021-published", "health-inclusive", dataset)


@pytest.fixture(scope="module")
def boundaries():
    """The LAD 2020 boundaries' areas (codes and names) without their shapes: a map's spec is the same
    but for the shapes, built in a twentieth of the time. The report's tests draw the real shapes."""
    real = load_boundaries()
    areas = [{"type": g["type"], "arcs": [], "properties": g["properties"]}
             for g in real["objects"]["lad2020"]["geometries"]]
    return {**real, "objects": {"lad2020": {**real["objects"]["lad2020"], "geometries": areas}}, "arcs": []}


def _specs(chart):
    spec = charts.styled(chart).to_dict()
    text = json.dumps(spec)
    return spec, text


def _colours(text: str) -> set[str]:
    """Every colour given as #RRGGBB in a spec's text."""
    return {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", text)}


@pytest.mark.parametrize("make", [
    lambda c, d, b: charts.hle_vs_deprivation(c, d),
    lambda c, d, b: charts.focus_rank_change(c),
    lambda c, d, b: charts.transition_heatmap(c),
    lambda c, d, b: charts.group_maps(c, b),
], ids=["hle_vs_deprivation", "focus_rank_change", "transitions", "group_maps"])
def test_comparison_charts_have_source_notes_and_tooltips(comparison, dataset, boundaries, make):
    chart = make(comparison, dataset, boundaries)
    assert isinstance(chart, alt.TopLevelMixin)
    spec, text = _specs(chart)
    assert spec["title"]["subtitle"][-1] == DATA_NOTE
    assert "tooltip" in text
    assert spec["config"]["font"] == FONT


# -- colours: each meaning one colour ------------------------------------------------------------

def test_each_meaning_has_colours_of_its_own():
    """Orange was group 1 on the maps and a rule in the allocation chart."""
    groups, rules, changes = set(GROUP_RAMP), set(RULE_COLOURS), set(CHANGE_COLOURS.values())
    assert not groups & rules and not groups & changes and not rules & changes
    assert group_colours(3) == ["#7F2704", "#F16913", "#FDAE6B"]  # darkest for group 1


def test_group_maps_use_group_and_change_colours_only(comparison, boundaries):
    _, text = _specs(charts.group_maps(comparison, boundaries))
    used = _colours(text) - {"#FFFFFF"}
    assert set(group_colours(3)) <= used and set(CHANGE_COLOURS.values()) <= used
    assert not used & set(RULE_COLOURS)


def test_money_charts_use_rule_colours_only(dataset):
    from allocsim.money.per_head import per_head_by

    allocation = pd.DataFrame({"allocation": [100.0, 300.0, 50.0], "population": [10, 20, 5]},
                              index=pd.Index(["E06000001", "E06000002", "W06000001"], name="code"))
    by_region = per_head_by({"a": allocation, "b": allocation * [2, 1]}, dataset, rollup(dataset, "region"))
    _, text = _specs(charts.allocation_per_head({"region": by_region}))
    assert _colours(text) & (set(GROUP_RAMP) | set(CHANGE_COLOURS.values())) == set()
    assert set(RULE_COLOURS) <= _colours(text)


# -- the lowest-HLE areas --------------------------------------------------------------------------

def test_rank_span_of_tied_ranks():
    low, high = rank_span(pd.Series([2.0, 2.0, 2.0, 4.5, 4.5, 6.0]))
    assert list(low) == [1, 1, 1, 4, 4, 6] and list(high) == [3, 3, 3, 5, 5, 6]


def test_the_focus_chart_names_every_focus_area_and_labels_the_biggest_movers(comparison):
    """Published categories tie every area at its category's mean rank: lines from three points
    named no area. Now each area is a named row, its place under the published list the whole span
    of its category, and the biggest movers are labelled."""
    frame = focus_frame(comparison).set_index("code")
    focus = comparison.table[comparison.table["in_focus"]]
    assert set(frame.index) == set(focus.index)
    sizes = comparison.table["base_group"].value_counts().sort_index()  # 123, 123, 122 areas
    assert (frame.loc[frame["base_group"] == 1, ["base_low", "base_high"]].drop_duplicates().values.tolist()
            == [[1, sizes[1]]])
    assert (frame.loc[frame["base_group"] == 3, ["base_low", "base_high"]].drop_duplicates().values.tolist()
            == [[sizes[1] + sizes[2] + 1, 368]])
    # Telford and Wrekin: category 3 under the published list, rank 91 under health-inclusive
    telford = frame.loc["E06000020"]
    assert telford["places_moved"] == telford["base_low"] - telford["alt_rank"] > 100
    assert telford["label"] == f"at least {telford['places_moved']:.0f} places up"
    labelled = frame[frame["label"] != ""]
    assert (labelled["places_moved"] > 0).sum() == 5 and (labelled["places_moved"] < 0).sum() == 5
    assert frame.loc[frame["places_moved"] == 0, "label"].eq("").all()
    spec, text = _specs(charts.focus_rank_change(comparison))
    names = {row["name"] for rows in spec["datasets"].values() for row in rows if "name" in row}
    assert names == set(focus["name"])
    assert len(spec["vconcat"]) == 3  # one panel per published category


def test_the_focus_chart_of_two_index_rules_moves_from_one_rank(dataset):
    frame = focus_frame(compare("luf-2021", "health-inclusive", dataset))
    assert (frame["base_low"] == frame["base_high"]).all()
    moved = frame["alt_rank"] - frame["base_rank"]
    np.testing.assert_array_equal(frame["places_moved"], -moved)
    assert not frame["label"].str.startswith("at least").any()


# -- maps ----------------------------------------------------------------------------------------

def _views(spec: dict) -> list[dict]:
    """Every single view (one with a mark) in a composed spec."""
    found = []
    for key in ("hconcat", "vconcat", "layer"):
        for child in spec.get(key, []):
            found += _views(child)
    return found + ([spec] if "mark" in spec else [])


def test_maps_draw_both_rules_the_changes_and_london_in_a_transverse_mercator(comparison, boundaries):
    spec, text = _specs(charts.group_maps(comparison, boundaries))
    views = _views(spec)
    assert len(views) == 6  # three maps of Great Britain, three London insets
    assert all(v["projection"] == {"type": "transverseMercator", "rotate": [2, 0, 0]} for v in views)
    london = [v for v in views if any("'E09'" in str(t.get("filter", "")) for t in v.get("transform", []))]
    assert len(london) == 3
    assert "1 = highest priority" in text
    changes = {row["change"] for rows in spec["datasets"].values() if isinstance(rows, list) for row in rows
               if "change" in row}
    assert changes == set(CHANGE_COLOURS)


def test_the_projection_keeps_scotland_in_shape():
    """A plain Mercator stretches north-south by 1/cos(latitude); a transverse Mercator about 2°W
    keeps the same scale north and south (here: Shetland at 60°N and the Channel at 50°N)."""
    import math

    def transverse_mercator(lon, lat, central=-2.0):  # spherical, as d3/Vega have it
        lam, phi = math.radians(lon - central), math.radians(lat)
        return (math.log(math.tan(math.pi / 4 + math.asin(math.cos(phi) * math.sin(lam)) / 2)),
                math.atan2(math.tan(phi), math.cos(lam)))

    def scale_north_south(lat):
        (_, a), (_, b) = transverse_mercator(-2, lat), transverse_mercator(-2, lat + 0.01)
        return (b - a) / math.radians(0.01)

    assert scale_north_south(60) == pytest.approx(scale_north_south(50), rel=1e-3)
    assert 1 / math.cos(math.radians(60)) / (1 / math.cos(math.radians(50))) > 1.28  # Mercator's stretch


def test_a_map_names_the_areas_it_cannot_draw(comparison, boundaries):
    table = comparison.table.copy()
    table.loc["E06000999"] = table.loc["E06000001"]
    table.loc["E06000999", "name"] = "Atlantis"
    shown = dataclasses.replace(comparison, table=table)
    spec, _ = _specs(charts.group_maps(shown, boundaries))
    assert "Not drawn (no LAD 2020 boundary): Atlantis (E06000999)." in spec["title"]["subtitle"]


# -- money ---------------------------------------------------------------------------------------

DECILES = pd.DataFrame({"category": [1, 2, 3], "areas": [2, 2, 1],
                        "modelled_qalys_change_median": [5.0, -3.0, 0.5],
                        "modelled_qalys_change_p05": [1.0, -4.0, -1.0],
                        "modelled_qalys_change_p95": [8.0, -1.0, 2.0]})


def test_the_difference_chart_shows_paired_intervals_and_zero():
    """Two overlapping intervals, one per rule, read as "no difference" while the paired difference
    said otherwise: the difference is charted with its own interval and a zero line."""
    chart = charts.health_difference_by_decile(DECILES, "base", "alt", "rules/parameters/health-return.toml",
                                               Interval(2.5, 0.5, 6.0))
    spec, text = _specs(chart)
    assert spec["title"]["subtitle"][0].startswith("MODELLED, not observed")
    rows = {r["column"]: r for d in spec["datasets"].values() for r in d if "column" in r}
    assert list(rows) == ["1", "2", "3", "All areas"]
    assert rows["1"]["verdict"].startswith("more under the alternative")
    assert rows["2"]["verdict"].startswith("less under the alternative")
    assert rows["3"]["verdict"].startswith("no clear difference")
    assert rows["All areas"]["median"] == 2.5 and rows["All areas"]["areas"] == 5
    assert any(r.get("zero") == 0 for d in spec["datasets"].values() for r in d)
    layers = {json.dumps(layer["encoding"].get("y2", {})) for layer in spec["layer"]}
    assert '{"field": "p95"}' in layers


def test_combined_authority_names_are_not_cut_off(dataset):
    """"Greater Manchester Combined Au…" was cut at Vega's default 180 px."""
    from allocsim.money.per_head import per_head_by

    allocation = pd.DataFrame({"allocation": 100.0, "population": 10}, index=dataset.index)
    frame = per_head_by({"a": allocation, "b": allocation}, dataset, rollup(dataset, "combined_authority"))
    spec, _ = _specs(charts.allocation_per_head({"combined_authority": frame}))
    axis = spec["vconcat"][0]["encoding"]["y"]["axis"]
    longest = frame["combined_authority"].str.len().max()
    # the areas in none are a bar of their own, so the bars cover every area
    assert frame.groupby("rule")["population"].sum().tolist() == [10 * len(dataset)] * 2
    assert "Not in a combined authority" in set(frame["combined_authority"])
    assert axis["labelLimit"] >= 6.5 * longest  # Helvetica at 11 px: under 6.5 px a character


def test_money_and_robustness_charts(dataset):
    from allocsim.money.per_head import per_head_by

    allocation = pd.DataFrame({"allocation": [100.0, 300.0, 50.0], "population": [10, 20, 5]},
                              index=pd.Index(["E06000001", "E06000002", "W06000001"], name="code"))
    by_region = per_head_by({"a": allocation, "b": allocation * [2, 1]}, dataset, rollup(dataset, "region"))
    assert by_region.set_index(["rule", "region"]).loc[("a", "North East"), "per_head"] == 400 / 30
    chart = charts.allocation_per_head({"region": by_region})
    assert "£ per resident" in str(charts.styled(chart).to_dict())

    deciles = pd.DataFrame({"category": [1, 2], "areas": [1, 1], "modelled_qalys_median": [5.0, 3.0],
                            "modelled_qalys_p05": [4.0, 2.0], "modelled_qalys_p95": [6.0, 4.0]})
    spec, _ = _specs(charts.health_by_decile({"a": deciles, "b": deciles}, "rules/parameters/health-return.toml"))
    assert spec["title"]["subtitle"][0].startswith("MODELLED, not observed")

    robustness = pd.DataFrame({"name": ["x", "y"], "group": [1, 2], "median_rank": [1, 2], "rank_p05": [1, 1],
                               "rank_p95": [2, 2]}, index=pd.Index(["A", "B"], name="code"))
    spec, text = _specs(charts.robustness_bands(robustness, "toy", 100))
    assert "100 draws" in text


# -- robustness ----------------------------------------------------------------------------------

def test_robustness_chart_draws_and_labels_the_group_cut_offs():
    table = pd.DataFrame({"name": list("abcdef"), "group": [1, 1, 2, 2, 3, 3],
                          "median_rank": [1, 2, 3, 4, 5, 6], "rank_p05": [1, 1, 2, 4, 4, 6],
                          "rank_p95": [2, 3, 4, 4, 6, 6]}, index=pd.Index(list("ABCDEF"), name="code"))
    cutoffs = group_cutoffs(table)
    assert cutoffs["line"].tolist() == [2.5, 4.5]
    assert cutoffs["crossing"].tolist() == [2, 1]  # b (1-3) and c (2-4) straddle 2.5, e (4-6) 4.5
    assert cutoffs["label"].tolist() == ["end of group 1 (rank 2): 2 areas' intervals cross it",
                                         "end of group 2 (rank 4): 1 area's interval crosses it"]
    spec, _ = _specs(charts.robustness_bands(table, "toy", 100))
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rule", "circle", "rule", "text"]


# -- the weights explorer ------------------------------------------------------------------------

def test_explorer_data_reproduces_the_engine_scores(dataset):
    result = rank("health-inclusive", dataset)
    frame, domains = explorer_frame(result)
    rule = result.rule
    numerator = np.zeros(len(frame))
    denominator = np.zeros(len(frame))
    for i, indicator in enumerate(rule.indicators):
        peers = sum(x.weight for x in rule.indicators if x.domain == indicator.domain)
        weight = domains[indicator.domain] * indicator.weight / peers * frame[f"a{i}"]
        numerator += weight * frame[f"z{i}"]
        denominator += weight
    np.testing.assert_allclose(numerator / denominator, result.table["score"].to_numpy(), rtol=1e-13)


def test_explorer_has_one_slider_per_domain_starting_at_the_rules_weights(dataset, boundaries):
    spec, _ = _specs(charts.weights_explorer(rank("health-inclusive", dataset, ["England"]), boundaries))
    params = {p["name"]: p["value"] for p in spec["params"]}
    assert params == {"w_economy": 0.35, "w_transport": 0.175, "w_regeneration": 0.175, "w_health": 0.3}


def test_explorer_counts_focus_areas_from_the_comparison(comparison, boundaries):
    frame, _ = explorer_frame(comparison.alt, comparison)
    assert frame["in_focus"].sum() == comparison.summary.focus.areas
    assert (frame.set_index("code")["base_group"] == comparison.table["base_group"]).all()
    spec, text = _specs(charts.weights_explorer(comparison.alt, boundaries, comparison=comparison))
    assert "Focus areas that gain priority against " in text and "Focus areas in group 1: " in text
    assert "Areas in another group than at the rule" in text


def test_explorer_refuses_all_weights_at_zero_on_the_page(comparison, boundaries):
    """With every slider at zero the page once ranked by area code without a word."""
    spec, text = _specs(charts.weights_explorer(comparison.alt, boundaries, comparison=comparison))
    zero = "(w_economy + w_transport + w_regeneration + w_health) <= 0"
    assert text.count(zero) >= 3  # the map's colour, the London inset's, and the counts' message
    assert "All weights are zero: there is no index to rank by." in text


def test_explorer_refuses_a_published_rule(dataset, boundaries):
    with pytest.raises(ValueError, match="needs an index rule"):
        charts.weights_explorer(rank("luf-2021-published", dataset), boundaries)


def test_focus_charts_name_the_focus_column(dataset):
    """A focus other than HLE: the titles said "the lowest-HLE areas" whatever --focus chose."""
    from allocsim.comparison.chain import compare_chain

    comparison = compare("luf-2021-published", "health-inclusive", dataset, focus="imd2019_rank")
    _, text = _specs(charts.focus_rank_change(comparison))
    assert f"Where the {comparison.summary.focus.areas} areas with the lowest imd2019_rank stand" in text
    chain = compare_chain(["luf-2021-published", "luf-2021", "health-inclusive"], dataset, focus="imd2019_rank")
    for chart in (charts.chain_focus_steps(chain), charts.chain_focus_groups(chain)):
        _, text = _specs(chart)
        assert "imd2019_rank" in text and "HLE" not in text
    _, text = _specs(charts.focus_rank_change(compare("luf-2021-published", "health-inclusive", dataset)))
    assert "lowest-HLE areas stand" in text
