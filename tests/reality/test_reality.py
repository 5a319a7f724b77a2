"""The money actually awarded: totals equal the raw files', prices converted, and the model's check
computed from the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from allocsim import prices
from allocsim.reality.actual import actual_awards
from allocsim.reality.calibration import calibrate


def raw_total(raw_dir, name: str) -> float:
    frame = pd.read_csv(raw_dir / "luf_outcomes" / name)
    return float(pd.to_numeric(frame["Bid Value"], errors="coerce").sum())


def test_actual_award_totals_equal_the_raw_totals(dataset, raw_dir):
    """GB areas' awards plus Northern Ireland's (outside the table) are the raw files' totals,
    £1,693.3m and £2,088.2m."""
    from allocsim.datasets.load import load_metadata

    rounds = {r.round: r for r in actual_awards(dataset).rounds}
    awards = load_metadata()["luf_awards"]
    for name, file, published in (("round_1", "levelling-up-fund-round-1.csv", 1_693.3e6),
                                  ("round_2", "levelling-up-fund-round-2.csv", 2_088.2e6)):
        with_ni = rounds[name].cash_gbp + awards[name]["northern_ireland"]["total_gbp"]
        assert with_ni == pytest.approx(raw_total(raw_dir, file), abs=0.01)
        assert with_ni == pytest.approx(published, abs=0.05e6)


def test_each_round_is_converted_from_its_announcement_s_prices(dataset):
    actual = actual_awards(dataset)
    r1, r2 = actual.rounds
    assert (r1.financial_year, r2.financial_year) == ("2021-22", "2022-23")
    assert r1.in_price_base_gbp == pytest.approx(r1.cash_gbp * prices.factor("2021-22"), rel=1e-9)
    assert r2.in_price_base_gbp == pytest.approx(r2.cash_gbp * prices.factor("2022-23"), rel=1e-9)
    assert actual.total_gbp == pytest.approx(r1.in_price_base_gbp + r2.in_price_base_gbp)


@pytest.fixture(scope="module")
def checked(dataset):
    return calibrate(dataset, draws=200, seed=3)


def test_calibration_figures_are_computed_from_the_data(checked, dataset):
    calibration, simulation, actual = checked
    p = simulation.allocation["funded_probability"].to_numpy()
    y = actual.table["funded"].reindex(simulation.allocation.index).to_numpy(dtype=float)
    assert calibration.brier_score == pytest.approx(np.mean((p - y) ** 2), abs=1e-4)
    assert calibration.areas_actually_funded == int(y.sum())
    shares = [g.actual_share_of_money for g in calibration.by_group]
    assert sum(shares) == pytest.approx(1, abs=1e-3)


def test_calibration_follows_the_data_it_is_given(checked, dataset):
    """Take every award from category 3 and its share of the actual money falls to 0."""
    changed = dataset.copy()
    category3 = changed["luf_r1_category"] == 3
    changed.loc[category3, ["luf_r1_award_gbp", "luf_r2_award_gbp"]] = 0.0
    again, _, _ = calibrate(changed, draws=50, seed=3)
    assert {g.group: g.actual_share_of_money for g in again.by_group}[3] == 0
    assert {g.group: g.actually_funded_share for g in again.by_group}[3] == 0
    assert again.budget < checked[0].budget


def test_the_budget_actual_with_countries_is_what_those_areas_were_awarded(dataset):
    """--countries Wales once shared the whole GB total (£3,549.5m) among the 22 Welsh areas."""
    import allocsim

    comparison = allocsim.compare("luf-2021-published", "hle-only", dataset, countries=["Wales"], budget="actual",
                                  draws=20)
    wales = dataset[dataset["country"] == "Wales"]
    assert comparison.money.summary.budget == pytest.approx(round(actual_awards(wales).total_gbp, 2))
    assert comparison.money.summary.budget < actual_awards(dataset).total_gbp / 5
    assert "awarded in LUF rounds 1 and 2 to the 22 areas compared in Wales" in comparison.money.summary.budget_basis
    assert comparison.actual.scope == "the 22 areas compared in Wales"
    # the scope is the result's own, not carried in the tables' attrs, where an operation could drop it
    from allocsim.text.money import actual_text

    for frame in comparison.actual.values():
        frame.attrs.clear()
    text = "\n".join(actual_text(comparison.actual, {"base": "A", "alt": "B"}, "2020-21 prices"))
    assert "(LUF rounds 1 and 2, the 22 areas compared in Wales, 2020-21 prices)" in text
    assert "LUF round 1 priority category (published)" in text  # each view's title, not its key
    assert comparison.actual.heading("nation") == "Nation"


def test_the_budget_actual_is_the_awarded_total_beside_both_rules(dataset):
    import allocsim

    comparison = allocsim.compare("luf-2021-published", "health-inclusive", dataset, budget="actual", draws=20)
    assert comparison.money.summary.budget == pytest.approx(round(actual_awards(dataset).total_gbp, 2))
    assert "actually awarded" in comparison.money.summary.budget_basis
    nation = comparison.actual["nation"]
    assert list(nation.columns) == ["category", "areas", "population", "actual_per_head", "base_per_head",
                                    "alt_per_head"]


def test_the_budget_actual_of_a_table_of_welsh_areas_names_them(dataset):
    """A --data table of the 22 Welsh areas alone was labelled 'GB areas' (its total was right)."""
    import allocsim

    wales = dataset[dataset["country"] == "Wales"].copy()
    wales.attrs = dataset.attrs
    comparison = allocsim.compare("luf-2021-published", "hle-only", wales, budget="actual", draws=20)
    assert "the 22 areas compared in Wales" in comparison.money.summary.budget_basis
    assert "GB areas" not in comparison.money.summary.budget_basis


def test_actual_awards_of_a_table_without_countries(dataset):
    """The scope names no nation where the data has no 'country' column (it used to end in a KeyError)."""
    import allocsim

    some = dataset.drop(columns="country").head(40).copy()
    some.attrs = dataset.attrs
    comparison = allocsim.compare("luf-2021-published", "hle-only", some, budget="actual", draws=20)
    assert "the 40 areas compared" in comparison.money.summary.budget_basis


def test_a_chain_takes_the_money_awarded_as_a_two_rule_comparison_does(dataset):
    """``compare`` of three rules refused ``--budget actual`` ('must be an amount in pounds') where the report
    of the same chain took it."""
    import allocsim
    from allocsim.comparison.chain import compare_chain
    from allocsim.outputs import chain_files

    rules = ["luf-2021-published", "luf-2021", "hle-only"]
    chain = compare_chain(rules, dataset, countries=["Wales"], budget="actual", draws=20)
    pair = allocsim.compare("luf-2021-published", "hle-only", dataset, countries=["Wales"], budget="actual", draws=20)
    assert chain.total.money.summary.budget_basis == pair.money.summary.budget_basis
    assert "the 22 areas compared in Wales" in chain.total.money.summary.budget_basis
    assert set(chain.total.actual) == set(pair.actual)
    assert {f"actual_beside_by_{view}.csv" for view in pair.actual} <= set(chain_files(chain))
