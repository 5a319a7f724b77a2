"""``allocsim compare --budget``: which rule buys more health, and for whom."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest


def test_compare_with_a_budget_says_which_rule_buys_more_health(run):
    result = run("compare", "luf-2021-published", "health-inclusive", "--budget", "4.8e9", "--draws", "50")
    assert result.exit_code == 0, result.output
    without = run("compare", "luf-2021-published", "health-inclusive")
    assert result.output.startswith(without.output)  # the comparison comes first, as without money
    assert "Which rule buys more health:" in result.output
    assert "Modelled, not observed:" in result.output
    assert ("For whom, by HLE decile (1 = lowest hle_male_2011_13; areas tied at a decile's edge split by area code, "
            "so that each decile has a tenth of the areas; alternative minus base):") in " ".join(result.output.split())


def test_compare_with_a_budget_writes_the_money_files(run, tmp_path):
    out = tmp_path / "cmp"
    result = run("compare", "luf-2021-published", "health-inclusive", "--budget", "4.8e9",
                 "--mechanism", "competitive", "--draws", "20", "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        ".allocsim-files.json", "allocation_comparison.csv", "comparison.csv", "health_comparison_by_hle_decile.csv",
        "health_one_way_difference.csv", "summary.json", "winners_losers_by_combined_authority.csv",
        "winners_losers_by_health_geography.csv", "winners_losers_by_nation.csv", "winners_losers_by_region.csv"]
    summary = json.loads((out / "summary.json").read_text())
    money = summary.pop("money")
    without = tmp_path / "without"
    assert run("compare", "luf-2021-published", "health-inclusive", "--out", without).exit_code == 0
    assert summary == json.loads((without / "summary.json").read_text())  # the rest of the summary is as before
    assert money["mechanism"] == "competitive" and money["draws"] == 20 and money["budget"] == 4.8e9
    assert money["modelled_notice"].startswith("Modelled, not observed")
    assert set(money["difference_alt_minus_base"]["modelled_qalys"]) == {"central", "median", "p05", "p95"}
    per_area = pd.read_csv(out / "allocation_comparison.csv")
    assert len(per_area) == 368
    assert {"base_allocation", "alt_allocation", "modelled_qalys_change_median"} <= set(per_area.columns)
    deciles = pd.read_csv(out / "health_comparison_by_hle_decile.csv")
    assert deciles["category"].tolist() == list(range(1, 11))
    for frame in (per_area, deciles):
        assert set(frame["parameters"]) == {"rules/parameters/health-return.toml and rules/parameters/allocation.toml"}
    # every roll-up's rows add up to the whole: areas in no combined authority or ICB have a row of their own
    for name in ("nation", "region", "combined_authority", "health_geography"):
        places = pd.read_csv(out / f"winners_losers_by_{name}.csv")
        assert places["areas"].sum() == 368, name
        assert places["base_allocation"].sum() == pytest.approx(per_area["base_allocation"].sum(), abs=0.01), name
        assert places["allocation_change"].sum() == pytest.approx(0, abs=0.01), name
    # the summary keeps the healthy months' significant figures (rounded to 4 places, 0.00003 had read 0.0)
    by_decile = pd.DataFrame(money["by_hle_decile"])
    months = [c for c in deciles.columns if c.startswith("modelled_healthy_months")]
    assert (deciles[months].abs() < 1e-3).any().any()
    pd.testing.assert_frame_equal(by_decile[months], deciles[months], rtol=1e-3)
    unassigned = {"combined_authority": ("Not in a combined authority", 315),
                  "health_geography": ("No ICB or health board in the data (Scotland)", 32)}
    for name, (row, areas) in unassigned.items():
        places = pd.read_csv(out / f"winners_losers_by_{name}.csv").set_index("place")
        assert places.loc[row, "areas"] == areas, name


def test_unspent_money_is_shown_for_each_rule(run):
    """£8bn is more than the bids absorb (about £5.5bn), so every draw leaves money unspent."""
    result = run("compare", "luf-2021-published", "health-inclusive", "--budget", "8e9", "--mechanism",
                 "competitive", "--draws", "20")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "unspent" in line and line.startswith("  '")]
    assert [line.split(":")[0] for line in lines] == ["  'luf-2021-published'", "  'health-inclusive'"]
    assert all(re.search(r"allocated £5,[\d,.]+m, unspent £2,[\d,.]+m \(mean over draws\); 20 of 20 draws left "
                         r"money unspent, max £2,[\d,.]+m$", line) for line in lines), lines


def test_compare_without_a_budget_is_unchanged(run, tmp_path):
    out = tmp_path / "cmp"
    result = run("compare", "luf-2021-published", "hle-only", "--out", out)
    assert result.exit_code == 0
    assert "Money" not in result.output and "Modelled" not in result.output
    assert sorted(p.name for p in out.iterdir()) == [".allocsim-files.json", "comparison.csv", "summary.json"]
    assert "money" not in json.loads((out / "summary.json").read_text())


@pytest.mark.parametrize("args, message", [
    (["--mechanism", "competitive"], "--mechanism needs --budget (the money to allocate)"),
    (["--param", "cost_per_qaly.central=4000"], "--param needs --budget (the money to allocate)"),
    (["--budget", "0"], "--budget: must be more than 0 pounds, got 0"),
    (["--budget", "4.8e9", "--param", "cost_per_qaly.central=5000"],
     "rules/parameters/health-return.toml with --param cost_per_qaly.central=5000: cost_per_qaly.central: must "
     "be one of the specifications 2725, 3412, 3800, 4845, got 5000"),
])
def test_bad_money_input_is_one_line_and_writes_nothing(run, tmp_path, args, message):
    out = tmp_path / "cmp"
    result = run("compare", "luf-2021-published", "health-inclusive", *args, "--out", out)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_change_that_rounds_to_nothing_is_zero_not_minus_zero(run, tmp_path):
    """England alone: the nation's change is the sum of its areas' changes, -1e-7 in floating point."""
    out = tmp_path / "cmp"
    result = run("compare", "luf-2021-published", "health-inclusive", "--budget", "4.8e9", "--countries", "England",
                 "--draws", "20", "--out", out)
    assert result.exit_code == 0, result.output
    nation = pd.read_csv(out / "winners_losers_by_nation.csv", dtype=str).iloc[0]
    assert (nation["allocation_change"], nation["change_per_head"]) == ("0.00", "0")
    assert "-0" not in (out / "health_one_way_difference.csv").read_text().replace("e-0", "")
    assert not re.search(r"(?<![\d.])-0\.0+(?!\d*[1-9])\b", result.output)


def test_a_focus_that_is_not_hle_leaves_the_health_model_its_own(run):
    """A standard error of HLE, named hle_..._se, was taken for an HLE: the health model was told to use it and
    refused it, naming a --param the user had not given."""
    result = run("compare", "luf-2021-published", "health-inclusive", "--focus", "hle_male_2011_13_district_se",
                 "--budget", "4.8e9", "--draws", "20")
    assert result.exit_code == 0, result.output
    assert "top minus bottom HLE decile by hle_male_2011_13:" in " ".join(result.output.split())
