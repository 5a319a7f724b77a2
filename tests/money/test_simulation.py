"""simulate() and compare(budget=...): the data contract, paired draws, parameter overrides."""

from __future__ import annotations

from importlib import import_module

import numpy as np
import pandas as pd
import pytest
from toys import make_toy_rule

import allocsim
import allocsim.health.model
from allocsim.comparison import compare
from allocsim.comparison.money import money_comparison
from allocsim.errors import AllocsimError
from allocsim.money.settings import budget_pence, money_settings
from allocsim.money.simulation import simulate

# the toy table has one declared roll-up column, region (the embedded data also combined_authority)
ALLOCATION = ["name", "country", "region", "group", "population", "allocation", "allocation_per_head"]
HEALTH = [f"modelled_{m}_{s}" for m in ("qalys", "healthy_months", "value_gbp", "bcr")
          for s in ("central", "median", "p05", "p95")]
BREAKDOWN = ["category", "areas", "allocation"] + [f"modelled_{m}_{s}" for m in ("qalys", "healthy_months")
                                                   for s in ("central", "median", "p05", "p95")]


def test_the_data_contract_for_a_formula(toy_data, toy_rule):
    sim = allocsim.simulate(toy_rule, toy_data, 1_000_000, draws=20)
    assert list(sim.allocation.columns) == ALLOCATION and sim.allocation.index.name == "code"
    assert sim.allocation["allocation"].sum() == pytest.approx(1_000_000, abs=1e-6)
    assert list(sim.health.table.columns) == HEALTH
    assert set(sim.health.breakdowns) == {"hle_decile", "imd_quintile", "region", "nation"}  # declared roll-ups
    assert all(list(frame.columns) == BREAKDOWN for frame in sim.health.breakdowns.values())
    s = sim.summary.to_json()
    assert (s["budget"], s["mechanism"], s["allocated"], s["unspent"], s["seed"], s["draws"]) == \
        (1_000_000, "formula", 1_000_000, 0, 0, 20)
    assert s["parameter_files"] == {"allocation": "rules/parameters/allocation.toml",
                                    "health": "rules/parameters/health-return.toml"}
    assert s["modelled_notice"].startswith("Modelled, not observed") and "modelled_qalys" in s["totals"]


def test_the_data_contract_for_competitive_bidding(toy_data, toy_rule):
    sim = simulate(toy_rule, toy_data, 100_000_000, mechanism="competitive", draws=50, seed=3)
    assert list(sim.allocation.columns) == ALLOCATION + ["allocation_p05", "allocation_p95", "funded_probability"]
    assert sim.allocation_pence.shape == (50, len(toy_data))
    per_draw = sim.allocation_pence.sum(axis=1)
    assert sim.summary.to_json()["allocated_per_draw"]["max"] == per_draw.max() / 100
    assert ((sim.allocation["funded_probability"] >= 0) & (sim.allocation["funded_probability"] <= 1)).all()
    assert sim.summary.to_json()["allocated"] + sim.summary.to_json()["unspent"] == pytest.approx(100_000_000)


def test_the_formula_follows_group_weights_per_head(toy_data, toy_rule):
    sim = simulate(toy_rule, toy_data, 1_000_000, draws=5)
    per_head = sim.allocation.groupby("group")["allocation_per_head"].agg(["min", "max"])
    assert (per_head["max"] - per_head["min"] < 1e-4).all()  # the same per head within a group, to the penny
    assert per_head["min"].to_numpy() / per_head.loc[3, "min"] == pytest.approx([3, 2, 1], rel=1e-4)


def test_same_seed_same_draws_other_seed_other_draws(toy_data, toy_rule):
    run = lambda seed: simulate(toy_rule, toy_data, 1e8, mechanism="competitive", draws=30, seed=seed)  # noqa: E731
    first, again, other = run(1), run(1), run(2)
    assert np.array_equal(first.allocation_pence, again.allocation_pence)
    assert np.array_equal(first.health.qalys, again.health.qalys)
    assert not np.array_equal(first.allocation_pence, other.allocation_pence)


def test_param_overrides_are_applied_and_recorded(toy_data, toy_rule):
    sim = simulate(toy_rule, toy_data, 1e6, draws=5,
                   param_overrides=["formula.group_weights.value=[1, 1, 1]", "curve.value=diminishing"])
    assert sim.allocation["allocation_per_head"].max() - sim.allocation["allocation_per_head"].min() < 1e-4
    assert sim.health.summary.to_json()["curve"] == "diminishing"
    assert sim.summary.to_json()["parameter_overrides"] == ["formula.group_weights.value=[1, 1, 1]", "curve.value=diminishing"]


def test_a_rule_compared_with_itself_buys_the_same_health(toy_data, toy_rule):
    money = compare(toy_rule, toy_rule, toy_data, budget=1e8, mechanism="competitive", draws=40).money
    difference = money.summary.to_json()["difference_alt_minus_base"]["modelled_qalys"]
    assert difference == {"central": 0.0, "median": 0.0, "p05": 0.0, "p95": 0.0}
    assert money.summary.to_json()["buys_more_health"].startswith("no difference")
    assert (money.table["allocation_change"] == 0).all()


def test_money_goes_into_the_comparison_summary(toy_data, toy_rule):
    alt = make_toy_rule(name="hle", indicators=[{"column": "hle_male_2011_13", "direction": "lower_is_more_need"}])
    comparison = compare(toy_rule, alt, toy_data)
    combined = compare(toy_rule, alt, toy_data, budget=1e6, draws=30)
    money = combined.money
    assert combined.summary.money is money.summary and "money" not in comparison.summary.to_json()
    # An HLE-only rule sends the money to low-HLE areas, so with a need gradient it buys more health.
    assert money.summary.to_json()["buys_more_health"].startswith("'hle' buys more modelled health")
    assert money.by_hle_decile["allocation_change"].sum() == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize("budget, message", [
    (0, "--budget: must be more than 0 pounds, got 0"),
    (-5, "--budget: must be more than 0 pounds, got -5"),
    ("lots", "--budget: must be an amount in pounds such as 4.8e9, got 'lots'"),
    (float("nan"), "--budget: must be a finite amount in pounds, got nan"),
    (0.001, "--budget: must be at least 0.01 pounds (one penny), got 0.001"),
])
def test_bad_budgets(budget, message):
    with pytest.raises(AllocsimError) as error:
        budget_pence(budget)
    assert str(error.value) == message


def test_budgets_in_pence():
    assert budget_pence("4.8e9") == 480_000_000_000 == budget_pence("4,800,000,000") == budget_pence(4.8e9)
    assert budget_pence(600.01) == 60_001


@pytest.mark.parametrize("options, message", [
    ({"mechanism": "lottery"}, "--mechanism: must be one of formula, competitive, got 'lottery'"),
    ({"draws": 0}, "--draws: must be a whole number from 1 to 20,000, got 0"),
    ({"seed": -1}, "--seed: must be a whole number 0 or more, got -1"),
    ({"param_overrides": ["nothing"]}, "--param nothing: expected NAME=VALUE, e.g. --param cost_per_qaly.central=4000"),
    ({"allocation_params": "missing.toml"}, "parameter file not found: missing.toml"),
])
def test_bad_options(toy_data, toy_rule, options, message):
    with pytest.raises(AllocsimError) as error:
        simulate(toy_rule, toy_data, 1e6, **options)
    assert str(error.value) == message


def test_data_without_population_is_refused(toy_data, toy_rule):
    with pytest.raises(AllocsimError) as error:
        simulate(toy_rule, toy_data.drop(columns="population_2019"), 1e6, draws=5)
    assert str(error.value) == ("the dataset has no 'population_2019' column; sharing a budget needs each "
                                "area's population")


@pytest.mark.parametrize("column, why", [
    ("name", "column 'name' is not numeric; it must hold healthy life expectancy in years (40-90)"),
    ("region", "column 'region' is not numeric; it must hold healthy life expectancy in years (40-90)"),
    ("gva_per_hour", "column 'gva_per_hour' has 25.11 for area T000, outside 40-90 years; it must hold healthy "
                     "life expectancy"),
    ("population", "'population' is not a column of the dataset"),
    ("group", "'group' is not a column of the dataset"),
])
def test_an_hle_column_that_does_not_hold_hle_is_refused(toy_data, toy_rule, column, why):
    """Text columns once crashed on duplicate labels and ``population`` (the frame's own column
    name, not the dataset's) was silently accepted; ``group`` is the rule's, not the dataset's."""
    with pytest.raises(AllocsimError) as error:
        simulate(toy_rule, toy_data, 1e6, draws=5, hle_column=column)
    assert str(error.value) == (f'rules/parameters/health-return.toml with --param hle_column.value="{column}": '
                                f"hle_column.value: {why}")


def test_a_missing_population_names_the_file_and_the_column(toy_data, toy_rule):
    toy_data.loc["T003", "population_2019"] = None
    toy_data.attrs["source"] = "areas.csv"
    with pytest.raises(AllocsimError) as error:
        simulate(toy_rule, toy_data, 1e6, draws=5)
    assert str(error.value) == ("areas.csv: column 'population_2019': area T003 has no value; every area needs a "
                                "population above 0 to share the budget per head")


@pytest.mark.parametrize("value, problem", [(None, "has no value"), ("n/a", "has 'n/a', which is not a number"),
                                            (0, "has 0")])
def test_a_bad_population_is_refused_once_in_one_wording(toy_data, toy_rule, value, problem):
    """Text such as 'n/a' was once reported as having no value."""
    toy_data["population_2019"] = toy_data["population_2019"].astype(object)
    toy_data.loc["T003", "population_2019"] = value
    with pytest.raises(AllocsimError) as error:
        simulate(toy_rule, toy_data, 1e6, draws=5)
    assert str(error.value) == (f"column 'population_2019': area T003 {problem}; every area needs a "
                                "population above 0 to share the budget per head")


def test_a_missing_hle_value_names_the_file_and_the_column(toy_data, toy_rule):
    toy_data.loc["T003", "hle_male_2011_13"] = np.nan
    toy_data.attrs["source"] = "areas.csv"
    with pytest.raises(AllocsimError) as error:
        simulate(toy_rule, toy_data, 1e6, draws=5)
    assert str(error.value) == ("areas.csv: column 'hle_male_2011_13': no value for area T003; the health model "
                                "needs one for every area (choose another column with --param "
                                "hle_column.value=COLUMN)")


def test_a_bad_hle_column_is_refused_before_any_money_is_allocated(toy_data, toy_rule, monkeypatch):
    """A competitive run at many draws takes seconds to allocate: a wrong HLE column must not wait for it."""
    module = import_module("allocsim.money.simulation")

    def never(*args, **kwargs):
        raise AssertionError("allocated before the HLE column was checked")

    monkeypatch.setattr(module, "allocate", never)
    with pytest.raises(AllocsimError, match="hle_column.value: column 'gva_per_hour' has"):
        simulate(toy_rule, toy_data, 1e6, mechanism="competitive", draws=5, hle_column="gva_per_hour")


def test_expected_allocations_are_worked_out_once_per_simulation(toy_data, toy_rule, monkeypatch):
    """They take ~0.25 s at 20,000 draws; the allocation table and the health model share them."""
    calls = []
    module = import_module("allocsim.money.simulation")  # the package's ``simulate`` is the function
    real = module.expected_pence

    def counted(pence):
        calls.append(pence.shape)
        return real(pence)

    monkeypatch.setattr(module, "expected_pence", counted)
    monkeypatch.setattr(allocsim.health.model, "expected_pence", counted)
    sim = simulate(toy_rule, toy_data, 1e8, mechanism="competitive", draws=30)
    assert calls == [(30, len(toy_data))]
    by_decile = sim.health.breakdowns["hle_decile"]["allocation"].sum()
    assert by_decile == pytest.approx(sim.allocation["allocation"].sum(), abs=1e-6)


def test_money_comparison_takes_settings_already_checked(toy_data, toy_rule):
    comparison = compare(toy_rule, toy_rule, toy_data)
    labels = (comparison.summary.base_label, comparison.summary.alt_label)
    given = money_comparison(comparison.base, comparison.alt, toy_data, money_settings(1e6, draws=5, seed=2), labels)
    direct = compare(toy_rule, toy_rule, toy_data, budget=1e6, draws=5, seed=2).money
    assert given.summary == direct.summary
    pd.testing.assert_frame_equal(given.table, direct.table)


def test_each_rule_s_unspent_money_is_in_the_comparison_summary(toy_data, toy_rule):
    """A budget far beyond what the bids can absorb leaves money unspent in every draw."""
    money = compare(toy_rule, toy_rule, toy_data, budget=1e12, mechanism="competitive", draws=10).money
    for role in ("base", "alt"):
        side, own = money.summary.to_json()[role], getattr(money, role).summary.to_json()
        assert side["draws_with_unspent"] == side["allocation_draws"] == 10
        assert side["unspent_per_draw"] == own["unspent_per_draw"] and side["unspent_per_draw"]["max"] > 0
