"""Charts are Altair objects with a source note and tooltips, built from results only."""

from __future__ import annotations

import altair as alt
import numpy as np
import pytest

from allocsim import charts
from allocsim.charts.explorer import _explorer_frame
from allocsim.charts.theme import DATA_NOTE, FONT, OKABE_ITO
from allocsim.comparison import compare
from allocsim.datasets import load_boundaries
from allocsim.ranking import rank


@pytest.fixture(scope="module")
def comparison(dataset):
    return compare("luf-2021-published", "health-inclusive", dataset)


def _specs(chart):
    spec = charts.styled(chart).to_dict()
    text = str(spec)
    return spec, text


@pytest.mark.parametrize("make", [
    lambda c, d: charts.hle_vs_deprivation(c, d),
    lambda c, d: charts.focus_rank_change(c),
    lambda c, d: charts.transition_heatmap(c),
    lambda c, d: charts.group_maps(c, load_boundaries()),
], ids=["hle_vs_deprivation", "focus_rank_change", "transitions", "group_maps"])
def test_comparison_charts_have_source_notes_and_tooltips(comparison, dataset, make):
    chart = make(comparison, dataset)
    assert isinstance(chart, alt.TopLevelMixin)
    spec, text = _specs(chart)
    assert spec["title"]["subtitle"][-1] == DATA_NOTE
    assert "tooltip" in text
    assert spec["config"]["font"] == FONT


def test_groups_use_the_colour_blind_safe_palette(comparison):
    _, text = _specs(charts.group_maps(comparison, load_boundaries()))
    assert all(colour in text for colour in OKABE_ITO[:3])


def test_explorer_data_reproduces_the_engine_scores(dataset):
    result = rank("health-inclusive", dataset)
    frame, domains = _explorer_frame(result)
    rule = result.rule
    numerator = np.zeros(len(frame))
    denominator = np.zeros(len(frame))
    for i, indicator in enumerate(rule.indicators):
        peers = sum(x.weight for x in rule.indicators if x.domain == indicator.domain)
        weight = domains[indicator.domain] * indicator.weight / peers * frame[f"a{i}"]
        numerator += weight * frame[f"z{i}"]
        denominator += weight
    np.testing.assert_allclose(numerator / denominator, result.table["score"].to_numpy(), atol=1e-8)


def test_explorer_has_one_slider_per_domain(dataset):
    spec, _ = _specs(charts.weights_explorer(rank("health-inclusive", dataset), load_boundaries()))
    names = {p["name"] for p in spec["params"]}
    assert names == {"w_economy", "w_transport", "w_regeneration", "w_health"}


def test_explorer_refuses_a_published_rule(dataset):
    with pytest.raises(ValueError, match="needs an index rule"):
        charts.weights_explorer(rank("luf-2021-published", dataset), load_boundaries())


def test_money_and_robustness_charts(dataset):
    import pandas as pd

    from allocsim.money.per_head import per_head_by

    allocation = pd.DataFrame({"allocation": [100.0, 300.0, 50.0], "population": [10, 20, 5]},
                              index=pd.Index(["E06000001", "E06000002", "W06000001"], name="code"))
    by_region = per_head_by({"a": allocation, "b": allocation * [2, 1]}, dataset, "region")
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
