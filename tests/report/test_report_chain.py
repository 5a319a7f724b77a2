"""``allocsim report A B C``: a chain of rules, each step beside the total, with the same care as two."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner
from report.test_report_page import visible_text

from allocsim.charts.chain import focus_groups_frame, step_names
from allocsim.cli import cli
from allocsim.text.chain import step_figures


def test_a_chain_report_has_the_step_sections_then_the_whole_chains(report_chain_model):
    names = [s.name for s in report_chain_model.sections]
    assert names[:3] == ["chain_focus_steps", "chain_focus_groups", "chain_health"]
    assert {"group_maps", "weights_explorer", "allocation_per_head", "health_difference"} <= set(names)
    chain = report_chain_model.chain
    assert [c.summary.alt_label for c in chain.steps] == ["luf-2021", "health-inclusive"]
    assert report_chain_model.comparison is chain.total
    assert (chain.total.summary.base_label, chain.total.summary.alt_label) == ("luf-2021-published",
                                                                               "health-inclusive")


def test_each_step_is_labelled_by_what_it_measures(report_chain_model, report_chain_files):
    """luf-2021 declares reconstructs = "luf-2021-published": its step is the reconstruction's error."""
    assert step_names(report_chain_model.chain) == ["Step 1: reconstruction", "Step 2: criteria", "Total"]
    text = visible_text(report_chain_files["index.html"].decode())
    assert ("Step 1: reconstruction luf-2021-published → luf-2021 Step 2: criteria luf-2021 → health-inclusive "
            "Total luf-2021-published → health-inclusive") in text
    assert "Step 1: reconstruction, luf-2021-published → luf-2021: the reconstruction's error" in text
    assert "Step 2: criteria, luf-2021 → health-inclusive: a change of criteria." in text


def test_the_steps_table_shows_every_steps_figures_and_the_total(report_chain_model, report_chain_files):
    chain = report_chain_model.chain
    text = visible_text(report_chain_files["index.html"].decode())
    figures = [step_figures(c) for c in [*chain.steps, chain.total]]
    for label in ("focus areas gaining priority", "focus areas losing priority", "focus areas in group 1",
                  "money moved between areas (£m, 2020-21 prices)", "modelled QALYs, median (90%)"):
        row = " ".join([label, *(f[label] for f in figures)])
        assert row in text, row
    assert "Money: expected allocations by the formula mechanism, £m in 2020-21 prices. QALYs: MODELLED" in text
    steps = pd.read_csv(pd.io.common.StringIO(report_chain_model.tables["steps.csv"]))
    assert list(steps["kind"]) == ["reconstruction", "criteria", "total"]
    assert steps["focus_gain_priority"].tolist() == [int(f["focus areas gaining priority"]) for f in figures]
    assert set(steps["price_base"]) == {"2020-21 prices"}  # of money_moved_between_areas (it had none)
    moved = pd.read_csv(pd.io.common.StringIO(report_chain_model.tables["steps.csv"]), dtype=str)
    gains = [(c.money.alt.allocation["allocation"] - c.money.base.allocation["allocation"]).clip(lower=0).sum()
             for c in [*chain.steps, chain.total]]  # from the two rules' allocations
    assert moved["money_moved_between_areas"].tolist() == [f"{g:.2f}" for g in gains]  # to the penny (had: …978.3)


def test_the_focus_areas_each_step_moves_are_named(report_chain_model, report_chain_files):
    frame = focus_groups_frame(report_chain_model.chain)
    wide = frame.pivot(index="code", columns="rule", values="group")
    assert (wide.nunique(axis=1) > 1).all() and len(wide) > 0
    telford = frame[frame["code"] == "E06000020"]  # Telford and Wrekin: 3 -> 1 in the reconstruction
    assert telford["group"].tolist() == [3, 1, 1] and set(telford["moved_in"]) == {"Step 1: reconstruction"}
    text = visible_text(report_chain_files["index.html"].decode())
    assert f"Focus areas whose group changes along the chain ({len(wide)} of 119)" in text
    assert "E06000020 Telford and Wrekin 58.9 3 1 1 Step 1: reconstruction" in text


def test_the_money_of_every_rule_and_every_step_is_there(report_chain_model, report_chain_files):
    tables = report_chain_model.tables
    for i in (1, 2, 3):
        assert f"rule{i}_rank.csv" in tables and f"rule{i}_allocation.csv" in tables
    for i in (1, 2):
        assert f"step{i}_winners_losers_by_nation.csv" in tables
    by_rule = pd.read_csv(pd.io.common.StringIO(tables["allocation_by_rule.csv"]))
    assert [c for c in by_rule.columns if c.startswith("allocation:")] == [
        "allocation:luf-2021-published", "allocation:luf-2021", "allocation:health-inclusive"]
    assert set(by_rule["price_base"]) == {"2020-21 prices"}
    text = visible_text(report_chain_files["index.html"].decode())
    for rule in ("luf-2021-published", "luf-2021", "health-inclusive"):
        assert re.search(rf"{rule}: allocated £4,800\.0m, unspent £0\.00\.", text), rule
    per_head = next(s for s in report_chain_model.sections if s.name == "allocation_per_head")
    assert set(per_head.chart.to_dict()["vconcat"][0]["encoding"]["color"]["scale"]["domain"]) == {
        "luf-2021-published", "luf-2021", "health-inclusive"}


def test_the_steps_modelled_health_adds_up_to_the_totals(report_chain_model):
    from allocsim.charts.chain import health_steps_frame

    frame = health_steps_frame(report_chain_model.chain).set_index("step")
    assert frame.loc["Step 1: reconstruction", "central"] + frame.loc["Step 2: criteria", "central"] == \
        pytest.approx(frame.loc["Total", "central"], abs=1e-6)
    assert "need gradient" in frame.loc["Total", "explanation"]


def test_every_rule_of_the_chain_is_in_the_manifest_and_on_the_page(report_chain_model, report_chain_files, repo):
    chain = report_chain_model.manifest["inputs"]["chain"]
    assert [r["name"] for r in chain] == ["luf-2021-published", "luf-2021", "health-inclusive"]
    assert chain[1]["path"] == "rules/luf-2021.toml" and len(chain[1]["sha256"]) == 64
    text = visible_text(report_chain_files["index.html"].decode())
    assert "Effective weights of luf-2021 " in text and "Effective weights of health-inclusive " in text


def test_the_chain_report_command_and_its_manifest(tmp_path, no_images):
    out = tmp_path / "chain"
    args = ["report", "luf-2021-published", "luf-2021", "hle-only", "--budget", "1e9", "--draws", "20",
            "--robustness-draws", "0"]
    result = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["command"].startswith("allocsim report luf-2021-published luf-2021 hle-only ")
    assert [r["name"] for r in manifest["inputs"]["chain"]] == ["luf-2021-published", "luf-2021", "hle-only"]
    assert "<title>allocsim: luf-2021-published → luf-2021 → hle-only, step by step</title>" in \
        (out / "index.html").read_text()


@pytest.mark.parametrize("args, message", [
    (["luf-2021-published", "luf-2021", "luf-2021"], "is given twice in the chain"),
    (["luf-2021-published", "luf-2021", "hle-only", "--label", "a", "--label", "b"],
     "--label: give one label per rule (3), got 2"),
])
def test_a_bad_chain_is_refused_before_anything_is_written(tmp_path, args, message):
    out = tmp_path / "r"
    result = CliRunner().invoke(cli, ["report", *args, "--out", str(out)])
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and not out.exists()
