"""The report's evidence (issue 13): the one-way sensitivity, the central case beside the median,
the difference split at the need gradient, winners and losers by place, the fairness audits, and
``--budget actual`` with the money awarded beside the rules'."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner
from report.test_report_page import visible_text

from allocsim.charts.evidence import estimate_rows, one_way_rows
from allocsim.cli import cli
from allocsim.reality.actual import actual_awards

EVIDENCE = ["fairness", "winners_losers", "health_central_median", "health_one_way", "health_one_way_difference"]


def _csv(files, name):
    return pd.read_csv(io.StringIO(files[f"tables/{name}"].decode()))


def test_the_evidence_sections_come_in_the_pages_order(report_money_model):
    names = [s.name for s in report_money_model.sections]
    assert all(name in names for name in EVIDENCE)
    assert names.index("transitions") < names.index("fairness") < names.index("group_maps")
    assert names.index("allocation_per_head") < names.index("winners_losers") < names.index("health_by_decile")
    assert names.index("health_central_median") < names.index("health_difference") < names.index("health_one_way")


def test_the_tornados_are_the_one_way_tables(report_money_model, report_money_files):
    money = report_money_model.comparison.money
    rows, central, _ = one_way_rows(money.alt)
    table = _csv(report_money_files, "alt_health_one_way.csv")
    assert [r["at_high"] for r in rows] == pytest.approx(table["modelled_qalys_at_high"].tolist())
    assert central == pytest.approx(table["modelled_qalys_central"].iloc[0])
    rows, central, measure = one_way_rows(money)
    assert central == 0 and measure == "difference in modelled QALYs, health-inclusive minus luf-2021-published"
    swings = {r["parameter"]: abs(r["at_high"] - r["at_low"]) for r in rows}
    assert max(swings, key=swings.get) == "need_elasticity"  # with no gradient the rules buy the same health
    spec = next(s for s in report_money_model.sections if s.name == "health_one_way").chart.to_dict()
    assert "cost_per_qaly (£2,725 to £4,845, 2013-14 prices)" in json.dumps(spec, ensure_ascii=False)


def test_the_central_case_stands_beside_the_median_and_the_difference_is_split(report_money_model,
                                                                                report_money_files):
    s = report_money_model.comparison.money.summary
    rows = estimate_rows(report_money_model.comparison.money).set_index("what")
    assert rows.loc["health-inclusive", "central"] == s.alt.central.modelled_qalys
    assert rows.loc["health-inclusive", "median"] == s.alt.totals.modelled_qalys.median
    d = s.difference_alt_minus_base
    assert rows.loc["of which with no need gradient"].tolist()[1:] == [0.0, 0.0, 0.0, 0.0]
    assert rows.loc["of which from the need gradient", "median"] == d.from_need_gradient.median
    text = visible_text(report_money_files["index.html"].decode())
    assert d.explanation in text
    assert re.search(r"QALYs \(present value\) health-inclusive 72,614 [\d,]+ \([\d,]+ to [\d,]+\)", text)
    assert "value (£bn, 2020-21 prices)" in text
    assert "with no need gradient health-inclusive minus luf-2021-published +0.0 +0.0 (+0.0 to +0.0)" in text


def test_winners_and_losers_by_nation_and_region(report_money_model, report_money_files):
    text = visible_text(report_money_files["index.html"].decode())
    nation = _csv(report_money_files, "winners_losers_by_nation.csv").set_index("place")
    england = nation.loc["England"]
    assert (f"England 314 £{england['base_allocation'] / 1e6:,.1f}m £{england['alt_allocation'] / 1e6:,.1f}m "
            f"-£{-england['allocation_change'] / 1e6:,.1f}m {england['change_per_head']:+,.2f}") in text
    assert "By region" in text and "Yorkshire and The Humber" in text
    spec = json.dumps(next(s for s in report_money_model.sections if s.name == "winners_losers").chart.to_dict())
    assert "2020-21 prices" in spec


def test_the_fairness_audits_name_the_areas_they_find(report_money_model, report_money_files):
    text = visible_text(report_money_files["index.html"].decode())
    audits = {a.name: a for a in report_money_model.comparison.summary.fairness}
    prosperous = audits["prosperous_in_group1"]
    names = report_money_model.comparison.table["name"]
    listed = ", ".join(names[c] for c in prosperous.codes["alt"])
    assert f"more prosperous areas in the top priority group health-inclusive {prosperous.counts['alt']} {listed}" \
        in text
    assert "The Health Foundation (2021)" in text and "HLE measure hle_male_2011_13" in text


def test_the_notice_names_the_price_base_and_the_central_case(report_money_files):
    text = visible_text(report_money_files["index.html"].decode())
    assert "Budget £4,800,000,000 (2020-21 prices) by the formula mechanism" in text
    assert re.search(r"difference in modelled QALYs: central case 0, Monte Carlo median [\d,]+ \(90% interval", text)


def test_budget_actual_shares_the_money_awarded_and_shows_it_beside(report_actual_model, report_actual_files,
                                                                     dataset):
    total = actual_awards(dataset).total_gbp
    assert report_actual_model.comparison.money.summary.budget == pytest.approx(total, abs=0.01)
    options = report_actual_model.manifest["options"]
    assert options["budget"] == "actual" and options["budget_gbp"] == round(total, 2)
    names = [s.name for s in report_actual_model.sections]
    assert names.index("winners_losers") < names.index("actual_beside") < names.index("health_by_decile")
    beside = _csv(report_actual_files, "actual_beside_by_luf_category.csv")
    assert beside.columns.tolist()[:4] == ["category", "areas", "population", "actual_per_head"]
    text = visible_text(report_actual_files["index.html"].decode())
    first = beside.iloc[0]
    assert (f"1 123 {first['population']:,.0f} {first['actual_per_head']:,.2f} "
            f"{first['per_head:luf-2021-published']:,.2f} {first['per_head:health-inclusive']:,.2f}") in text
    assert "the money actually awarded in LUF rounds 1 and 2 to GB areas" in text
    assert "£ per resident in 2020-21 prices." in text


def test_report_budget_actual_from_the_command(tmp_path, no_images):
    """``report --budget actual`` once failed: the report asked for a budget in pounds."""
    out = tmp_path / "actual"
    result = CliRunner().invoke(cli, ["report", "luf-2021-published", "hle-only", "--budget", "actual", "--draws",
                                      "20", "--robustness-draws", "0", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert (out / "tables" / "actual_beside_by_nation.csv").is_file()
    assert json.loads((out / "manifest.json").read_text())["options"]["budget"] == "actual"
