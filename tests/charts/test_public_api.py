"""Every public chart function takes the results a Python user has, made through the public API
(``allocsim.rank``, ``compare``, ``simulate``, ``sensitivity``, ``compare_chain``, ``explain``,
``calibrate``), and gives a chart whose Vega-Lite spec is valid."""

from __future__ import annotations

import inspect
import json

import pytest

import allocsim
from allocsim import charts
from allocsim.comparison.chain import compare_chain
from allocsim.datasets import load_boundaries
from allocsim.explain import explain
from allocsim.reality.calibration import calibrate

UTILITIES = {"boundaries_data", "chart_spec", "group_scale", "styled"}


@pytest.fixture(scope="module")
def results(dataset):
    """One of each result, small: few draws."""
    comparison = allocsim.compare("luf-2021-published", "health-inclusive", dataset, budget=4.8e9, draws=30)
    return {
        "data": dataset,
        "boundaries": load_boundaries(),
        "rank": allocsim.rank("health-inclusive", dataset),
        "comparison": comparison,
        "plain": allocsim.compare("luf-2021-published", "health-inclusive", dataset),
        "actual": allocsim.compare("luf-2021-published", "health-inclusive", dataset, budget="actual", draws=30),
        "simulation": allocsim.simulate("health-inclusive", dataset, budget=4.8e9, draws=30),
        "sensitivity": allocsim.sensitivity("health-inclusive", dataset, draws=200, seed=1),
        "chain": compare_chain(["luf-2021-published", "luf-2021", "health-inclusive"], dataset, budget=4.8e9,
                               draws=30),
        "explanation": explain("Barnsley", "luf-2021-published", "health-inclusive", dataset),
        "calibration": calibrate(dataset, draws=30)[0],
    }


CALLS = {  # each public chart function, called as a notebook user would
    "actual_beside": lambda r: charts.actual_beside(r["actual"]),
    "allocation_per_head": lambda r: charts.allocation_per_head(r["comparison"]),
    "calibration_chart": lambda r: charts.calibration_chart(r["calibration"]),
    "central_beside_median": lambda r: charts.central_beside_median(r["comparison"]),
    "chain_focus_groups": lambda r: charts.chain_focus_groups(r["chain"]),
    "chain_focus_steps": lambda r: charts.chain_focus_steps(r["chain"]),
    "chain_health": lambda r: charts.chain_health(r["chain"]),
    "explanation_chart": lambda r: charts.explanation_chart(r["explanation"]),
    "fairness_chart": lambda r: charts.fairness_chart(r["plain"]),
    "focus_rank_change": lambda r: charts.focus_rank_change(r["plain"]),
    "group_map": lambda r: charts.group_map(r["rank"], r["boundaries"]),
    "group_maps": lambda r: charts.group_maps(r["plain"], r["boundaries"]),
    "health_by_decile": lambda r: charts.health_by_decile(r["comparison"]),
    "health_difference_by_decile": lambda r: charts.health_difference_by_decile(r["comparison"]),
    "hle_vs_deprivation": lambda r: charts.hle_vs_deprivation(r["plain"], r["data"]),
    "movers_chart": lambda r: charts.movers_chart([r["explanation"]]),
    "one_way_chart": lambda r: charts.one_way_chart(r["simulation"]),
    "robustness_bands": lambda r: charts.robustness_bands(r["sensitivity"]),
    "transition_heatmap": lambda r: charts.transition_heatmap(r["plain"]),
    "weights_explorer": lambda r: charts.weights_explorer(r["rank"], r["boundaries"]),
    "winners_losers": lambda r: charts.winners_losers(r["comparison"]),
}


def test_every_public_chart_function_is_called_here_and_documented():
    public = set(charts.__all__) - UTILITIES
    assert public == set(CALLS)
    for name in charts.__all__:
        doc = inspect.getdoc(getattr(charts, name))
        assert doc and len(doc) > 40, name


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_public_chart_from_public_results(name, results):
    spec = charts.chart_spec(CALLS[name](results))  # validated against the Vega-Lite schema
    assert spec["title"] or spec.get("vconcat") or spec.get("hconcat")


def test_allocation_per_head_takes_simulations_and_their_allocations(results):
    """Once ``charts.allocation_per_head({rule: sim.allocation})`` failed with KeyError: 'rule'."""
    sim = results["simulation"]
    for given in ({"health-inclusive": sim.allocation}, {"health-inclusive": sim}, sim):
        spec = charts.chart_spec(charts.allocation_per_head(given))
        text = json.dumps(spec)
        assert '"health-inclusive"' in text and "Combined authority (2021)" in text and "Nation" in text


def test_the_money_charts_take_a_chain_and_a_comparisons_money(results):
    chain, money = results["chain"], results["comparison"].money
    for chart in (charts.allocation_per_head(chain), charts.health_by_decile(chain), charts.one_way_chart(money),
                  charts.health_difference_by_decile(money), charts.winners_losers(money),
                  charts.fairness_chart(chain)):
        charts.chart_spec(chart)
    domain = charts.chart_spec(charts.health_by_decile(chain))["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert domain == ["luf-2021-published", "luf-2021", "health-inclusive"]


def test_a_comparison_without_money_is_refused_with_a_reason(results):
    with pytest.raises(ValueError, match="without a budget"):
        charts.allocation_per_head(results["plain"])
    with pytest.raises(ValueError, match="budget='actual'"):
        charts.actual_beside(results["comparison"])


def test_the_decile_charts_name_the_hle_the_deciles_are_of(results):
    """The axis read "HLE decile of areas (1 = lowest HLE)" whichever HLE column the health model used."""
    for chart in (charts.health_by_decile(results["comparison"]), charts.health_difference_by_decile(
            results["comparison"]), charts.health_by_decile(results["simulation"])):
        assert "Decile of areas by Male HLE 2011-13 (1 = lowest)" in json.dumps(charts.chart_spec(chart))
    other = allocsim.simulate("health-inclusive", results["data"], budget=4.8e9, draws=20,
                              param_overrides=['hle_column.value="hle_female_2018_20"'])
    assert "Decile of areas by Female HLE 2018-20 (1 = lowest)" in json.dumps(charts.chart_spec(
        charts.health_by_decile(other)))


def test_the_deprivation_chart_says_what_a_district_estimate_is(dataset):
    """A district focus: the subtitle said shire districts carry their county's HLE, and the axis lost
    "(district, modelled)"."""
    district = allocsim.compare("luf-2021-published", "health-inclusive", dataset,
                                focus="hle_male_2011_13_district")
    text = json.dumps(charts.chart_spec(charts.hle_vs_deprivation(district, dataset)))
    assert "Male HLE 2011-13 (district, modelled) (years)" in text and "shire districts' HLE is modelled" in text
    assert "carry their county's HLE" not in text
    upper = json.dumps(charts.chart_spec(charts.hle_vs_deprivation(
        allocsim.compare("luf-2021-published", "health-inclusive", dataset, focus="hle_male_2011_13_district_se"),
        dataset)))  # a standard error is not an HLE: the chart plots the default HLE
    assert "Male HLE 2011-13 (years)" in upper and "carry their county's HLE" in upper
