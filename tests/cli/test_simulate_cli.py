"""``allocsim simulate`` as a user runs it."""

from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd
import pytest

from allocsim.paths import rules_dir

SHIPPED_HEALTH = "rules/parameters/health-return.toml"
AREAS = ("code,name,country,population_2019,luf_r1_category,hle_male_2011_13\n"
         "E1,Alpha,England,1000,1,60.5\nE2,Beta,England,{beta},2,62.0\nE3,Gamma,England,3000,3,64.0\n")


def test_simulate_prints_the_money_and_the_modelled_health(run):
    result = run("simulate", "health-inclusive", "--budget", "4.8e9", "--draws", "50")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Modelled, not observed:") and SHIPPED_HEALTH in lines[0]
    assert "Budget £4,800.0m; allocated £4,800.0m; unspent £0.00." in result.output
    assert "QALYs (present value)" in result.output and "benefit-cost ratio" in result.output
    assert "central case" in result.output and "2020-21 prices" in result.output
    assert ("By HLE decile (1 = lowest hle_male_2011_13; areas tied at a decile's edge split by area code, so that "
            "each decile has a tenth of the areas):") in " ".join(result.output.split())


def test_simulate_writes_allocation_and_summary(run, tmp_path):
    out = tmp_path / "sim"
    result = run("simulate", "health-inclusive", "--budget", "4.8e9", "--draws", "20", "--out", out)
    assert result.exit_code == 0, result.output
    allocation = pd.read_csv(out / "allocation.csv", dtype={"allocation": str})
    assert list(allocation.columns) == ["code", "name", "group", "population", "allocation", "allocation_per_head",
                                        "price_base", "parameters"]
    assert len(allocation) == 368
    assert sum(Decimal(a) for a in allocation["allocation"]) == Decimal("4800000000.00")  # to the penny
    summary = json.loads((out / "summary.json").read_text())
    assert summary["parameter_files"]["health"] == SHIPPED_HEALTH
    assert summary["modelled_notice"].startswith("Modelled, not observed")
    assert (summary["budget"], summary["allocated"], summary["unspent"]) == (4.8e9, 4.8e9, 0)
    health = pd.read_csv(out / "health_return.csv")
    assert all(c.startswith("modelled_") for c in health.columns if c not in ("code", "name", "price_base", "parameters"))
    deciles = pd.read_csv(out / "health_by_hle_decile.csv")
    assert deciles["category"].tolist() == list(range(1, 11))
    # Scottish areas, which have no ICB or health board in the data, are a row of their own: the rows add up
    by_icb = pd.read_csv(out / "health_by_health_geography.csv").set_index("category")
    assert by_icb["areas"].sum() == 368 and by_icb.loc["No ICB or health board in the data (Scotland)", "areas"] == 32
    assert by_icb["allocation"].sum() == pytest.approx(4.8e9, abs=0.01)
    assert by_icb["modelled_qalys_central"].sum() == pytest.approx(deciles["modelled_qalys_central"].sum())
    # and the areas with no IMD 2019 value (Scotland, Wales and Buckinghamshire, created in 2020) come last
    by_imd = pd.read_csv(out / "health_by_imd_quintile.csv")
    assert by_imd["category"].tolist() == ["1", "2", "3", "4", "5", "No IMD 2019 value"]
    assert by_imd["areas"].tolist()[-1] == 32 + 22 + 1 and by_imd["allocation"].sum() == pytest.approx(4.8e9, abs=0.01)


def test_every_csv_names_the_parameter_files_and_overrides(run, tmp_path):
    out = tmp_path / "sim"
    result = run("simulate", "health-inclusive", "--budget", "4.8e9", "--draws", "5", "--param",
                 "need_elasticity.central=2", "--out", out)
    assert result.exit_code == 0, result.output
    named = (f"{SHIPPED_HEALTH} and rules/parameters/allocation.toml, with --param need_elasticity.central=2")
    csvs = sorted(p.name for p in out.glob("*.csv"))
    assert csvs == ["allocation.csv", "health_by_health_geography.csv", "health_by_hle_decile.csv",
                    "health_by_imd_quintile.csv", "health_by_nation.csv", "health_by_region.csv", "health_one_way.csv",
                    "health_return.csv"]
    for name in csvs:
        frame = pd.read_csv(out / name, keep_default_na=False)
        assert set(frame["parameters"]) == {named}, name
        if name != "health_one_way.csv":
            assert set(frame["price_base"]) == {"2020-21 prices"}, name
    # each parameter's low and high in its own price base, blank where they are not pounds (every row read
    # "2020-21 prices": the cost per QALY's £2,725 to £4,845, which are 2013-14 pounds, among them)
    own = pd.read_csv(out / "health_one_way.csv", keep_default_na=False).set_index("parameter")["price_base"]
    assert own["cost_per_qaly"] == "2013-14 prices" and own["saturation_per_head"] == "2020-21 prices"
    assert own["need_elasticity"] == own["lag_years"] == own["health_share.transport"] == ""
    # summary.json names them as the CSVs do ("2013-14" stood beside "2020-21 prices"), and so does the text
    health = json.loads((out / "summary.json").read_text())["health"]
    assert health["price_base"] == health["cost_per_qaly"]["price_base"].replace("2013-14", "2020-21")
    assert health["cost_per_qaly"]["price_base"] == "2013-14 prices"
    assert {r["parameter"]: r["price_base"] for r in health["one_way"]} == {
        name: base or None for name, base in own.items()}
    assert "specifications, £2,725, £3,412, £4,845 (2013-14 prices), are" in " ".join(result.output.split())


def test_competitive_reports_intervals_and_unspent_per_draw(run, tmp_path):
    out = tmp_path / "sim"
    result = run("simulate", "luf-2021-published", "--budget", "4.8e9", "--mechanism", "competitive",
                 "--draws", "20", "--seed", "5", "--out", out)
    assert result.exit_code == 0, result.output
    assert "draws left money unspent" in result.output
    allocation = pd.read_csv(out / "allocation.csv", dtype={"allocation": str})
    assert list(allocation.columns)[-5:] == ["allocation_p05", "allocation_p95", "funded_probability", "price_base",
                                             "parameters"]
    summary = json.loads((out / "summary.json").read_text())
    # expected allocations are means over draws, rounded so they add up to the penny (naive rounding: +£0.03)
    assert sum(Decimal(a) for a in allocation["allocation"]) == Decimal(str(summary["allocated"])) == Decimal("4.8e9")
    assert set(summary["unspent_per_draw"]) == {"mean", "min", "max"}
    assert summary["allocated_per_draw"]["max"] <= 4.8e9


def test_user_parameter_file_and_override(run, tmp_path):
    own = tmp_path / "health.toml"
    own.write_text((rules_dir() / "parameters" / "health-return.toml").read_text())
    result = run("simulate", "health-inclusive", "--budget", "1e9", "--draws", "10", "--health-params", own,
                 "--param", "need_elasticity.central=2")
    assert result.exit_code == 0, result.output
    assert str(own) in result.output.splitlines()[0]


@pytest.mark.parametrize("args, message", [
    (["--budget", "0"], "--budget: must be more than 0 pounds, got 0"),
    (["--budget", "-5"], "--budget: must be more than 0 pounds, got -5"),
    (["--budget", "abc"], "--budget: must be an amount in pounds such as 4.8e9, got 'abc'"),
    (["--budget", "4.8e9", "--mechanism", "lottery"],
     "Invalid value for '--mechanism': 'lottery' is not one of 'formula', 'competitive'."),
    (["--budget", "4.8e9", "--draws", "0"], "--draws: must be a whole number from 1 to 20,000, got 0"),
    (["--budget", "4.8e9", "--param", "cost_per_qaly.central=5000"],
     f"{SHIPPED_HEALTH} with --param cost_per_qaly.central=5000: cost_per_qaly.central: must "
     f"be one of the specifications 2725, 3412, 3800, 4845, got 5000"),
    (["--budget", "4.8e9", "--param", "health_share.transport.high=1.5"],
     f"{SHIPPED_HEALTH} with --param health_share.transport.high=1.5: health_share.transport.high: must be a "
     f"share between 0 and 1, got 1.5"),
    (["--budget", "4.8e9", "--param", "formula.floor_gbp.value=2e7"],
     "rules/parameters/allocation.toml with --param formula.floor_gbp.value=2e7: formula.floor_gbp.value: a "
     "floor of £20,000,000.00 (2020-21 prices) for each of 368 areas needs £7,360,000,000.00, more than the budget "
     "£4,800,000,000.00"),
    (["--budget", "4.8e9", "--param", "cost_per_qaly"],
     "--param cost_per_qaly: expected NAME=VALUE, e.g. --param cost_per_qaly.central=4000"),
    (["--budget", "4.8e9", "--param", "hle_column.value=region"],
     f"{SHIPPED_HEALTH} with --param hle_column.value=region: hle_column.value: column 'region' is not numeric; it "
     f"must hold healthy life expectancy in years (40-90)"),
    (["--budget", "4.8e9", "--param", "hle_column.value=name"],
     f"{SHIPPED_HEALTH} with --param hle_column.value=name: hle_column.value: column 'name' is not numeric; it "
     f"must hold healthy life expectancy in years (40-90)"),
    (["--budget", "4.8e9", "--param", "hle_column.value=population_2019"],
     f"{SHIPPED_HEALTH} with --param hle_column.value=population_2019: hle_column.value: column 'population_2019' "
     f"has 93663 for area E06000001, outside 40-90 years; it must hold healthy life expectancy"),
    (["--budget", "4.8e9", "--param", "hle_column.value=population"],
     f"{SHIPPED_HEALTH} with --param hle_column.value=population: hle_column.value: 'population' is not a column "
     f"of datasets/gb_local_authorities_2020.csv"),
    (["--budget", "4.8e9", "--param", "cost_per_qaly=abc"],
     f"{SHIPPED_HEALTH} with --param cost_per_qaly=abc: cost_per_qaly: must be a table of fields (set one as "
     f"cost_per_qaly.FIELD), not a single value (got 'abc')"),
])
def test_bad_input_is_one_line_and_writes_nothing(run, tmp_path, args, message):
    out = tmp_path / "sim"
    result = run("simulate", "health-inclusive", *args, "--out", out)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("beta, message", [
    ("", "{path}: column 'population_2019': area E2 has no value; every area needs a population above 0 to share "
         "the budget per head"),
    ("0", "{path}: line 3, column 'population_2019': 0 is outside a population's range (1 or more people)"),
])
def test_missing_or_zero_population(run, write_csv, tmp_path, beta, message):
    path = write_csv(AREAS.format(beta=beta))
    out = tmp_path / "sim"
    result = run("simulate", "luf-2021-published", "--data", path, "--budget", "600", "--out", out)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message.format(path=path)}\n"
    assert not out.exists()


def test_an_invalid_parameter_file_names_the_file_and_field(run, tmp_path):
    own = tmp_path / "health.toml"
    text = (rules_dir() / "parameters" / "health-return.toml").read_text()
    own.write_text(text.replace("values = [2725, 3412, 3800, 4845]", "values = [2725, 3412, 4845]"))
    result = run("simulate", "health-inclusive", "--budget", "1e9", "--health-params", own)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {own}: cost_per_qaly.central: must be one of the specifications 2725, 3412, "
                             f"4845, got 3800\n")


def test_the_hand_computable_case_on_the_command_line(run, write_csv, tmp_path):
    """3 areas in groups 1/2/3 with 1,000/2,000/3,000 people, weights 3:2:1: need 3,000 : 4,000 :
    3,000, so £600 is £180 / £240 / £180."""
    out = tmp_path / "sim"
    result = run("simulate", "luf-2021-published", "--data", write_csv(AREAS.format(beta=2000)), "--budget", "600",
                 "--draws", "5", "--out", out)
    assert result.exit_code == 0, result.output
    allocation = pd.read_csv(out / "allocation.csv", dtype={"allocation": str})
    assert allocation["allocation"].tolist() == ["180.00", "240.00", "180.00"]


def test_help_has_an_example(run):
    result = run("simulate", "--help")
    assert result.exit_code == 0 and "allocsim simulate health-inclusive --budget 4.8e9" in result.output


def test_a_rule_override_is_shown_and_recorded(run, tmp_path):
    out = tmp_path / "sim"
    result = run("simulate", "health-inclusive", "--budget", "4.8e9", "--set", "domains.health.weight=0.4",
                 "--out", out)
    assert result.exit_code == 0
    assert result.output.startswith("Overrides applied: --set domains.health.weight=0.4\n"
                                    "Effective weights of 'health-inclusive' after them:\n")
    assert "0.1273" in result.output  # each sex's HLE: 0.4 / 1.1 of the index, less inactivity, halved
    summary = json.loads((out / "summary.json").read_text())
    assert summary["rule_source"] == "rules/health-inclusive.toml with --set domains.health.weight=0.4"
