"""``allocsim sensitivity`` and ``allocsim search`` as a user runs them."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from toys import strict_json

ROBUSTNESS_COLUMNS = ["code", "name", "country", "group", "p_group_1", "p_group_2", "p_group_3",
                      "modal_group", "median_rank", "rank_p05", "rank_p95"]


def test_sensitivity_prints_and_writes(run, tmp_path):
    out = tmp_path / "robust"
    result = run("sensitivity", "health-inclusive", "--draws", "2000", "--seed", "3", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("health-inclusive: 2,000 draws on 368 areas; spread 0.2 "
                                    "(Dirichlet concentration 24); seed 3.")
    assert "First-order sensitivity indices" in result.output and "Leave one indicator out" in result.output
    assert result.stderr == ""  # no progress bar off a terminal for a short run
    frame = pd.read_csv(out / "robustness.csv")
    assert list(frame.columns) == ROBUSTNESS_COLUMNS and len(frame) == 368
    summary = strict_json((out / "summary.json").read_text())
    assert summary["draws"] == 2000 and summary["seed"] == 3
    assert {row["factor"] for row in summary["indices"]} == {"economy", "transport", "regeneration",
                                                             "health", "normalisation"}


def test_sensitivity_options_reach_the_library(run):
    result = run("sensitivity", "luf-2021", "--draws", "300", "--spread", "0", "--normalisations", "minmax",
                 "--set", "domains.transport.weight=0.5", "--countries", "England")
    assert result.exit_code == 0, result.output
    assert "spread 0 (weights fixed)" in result.output
    assert "equally likely: minmax." in result.output
    assert "0 of 314 areas have a most likely group with probability below 0.8" in result.output


SPREAD = "Error: --spread: must be in [0, 1) (0 holds the weights fixed), got "
BAD_INPUT = [
    ("sensitivity", "robust", ["--draws", "0"], "Error: --draws: must be a whole number from 1 to 10,000,000, got 0"),
    ("sensitivity", "robust", ["--draws", "-5"], "Error: --draws: must be a whole number from 1 to 10,000,000, got -5"),
    ("sensitivity", "robust", ["--spread", "1.5"], SPREAD + "1.5"),
    ("sensitivity", "robust", ["--spread", "-0.2"], SPREAD + "-0.2"),
    ("sensitivity", "robust", ["--normalisations", "zscore,median"],
     "Error: --normalisations: unknown method 'median' (use zscore, minmax, rank, distance_to_best)"),
    ("sensitivity", "robust", ["--normalisations", ""],
     "Error: --normalisations: give at least one method (use zscore, minmax, rank, distance_to_best)"),
    ("sensitivity", "robust", ["--normalisations", " , "],
     "Error: --normalisations: give at least one method (use zscore, minmax, rank, distance_to_best)"),
    ("sensitivity", "robust", ["--scheduler", "tcp://127.0.0.1:1"],
     "Error: --scheduler tcp://127.0.0.1:1: only with --backend dask"),
    ("sensitivity", "robust", ["--backend", "spark"],
     "Error: Invalid value for '--backend': 'spark' is not one of 'local', 'dask'."),
    ("search", "frontier.csv", ["--vary", "wealth", "--target", "kendall_tau>=0.9"],
     "Error: --vary: unknown domain 'wealth' (rule 'health-inclusive' has economy, transport, regeneration, health)"),
    ("search", "frontier.csv", ["--vary", "health", "--target", "coverage>=0.8"],
     "Error: --target: unknown metric 'coverage' (use focus_in_group1_share, focus_in_group1, kendall_tau)"),
    ("search", "frontier.csv", ["--vary", "health", "--target", "kendall_tau=0.8"],
     "Error: --target: unknown operator '=' (use >=, >, <=, <)"),
    ("search", "frontier.csv", ["--vary", "health", "--target", "0.8"],
     "Error: --target: expected METRIC OP NUMBER, e.g. 'focus_in_group1_share>=0.8', got '0.8'"),
    ("search", "frontier.csv", ["--vary", "health", "--target", "focus_in_group1_share>=1.5"],
     "Error: --target focus_in_group1_share>=1.5: focus_in_group1_share lies from 0 to 1, so 1.5 is out of range"),
    ("search", "frontier.csv", ["--vary", "health", "--target", "kendall_tau<-1"],
     "Error: --target kendall_tau<-1: kendall_tau lies from -1 to 1, so it can never be < -1"),
    ("search", "frontier.csv", ["--vary", "health", "--target", "kendall_tau>=0.9", "--focus-share", "0"],
     "Error: --focus-share: must be in (0, 1], got 0"),
]


@pytest.mark.parametrize(("command", "out", "args", "message"), BAD_INPUT)
def test_bad_input_leaves_nothing_behind(run, tmp_path, command, out, args, message):
    result = run(command, "health-inclusive", *args, "--out", tmp_path / out)
    assert result.exit_code == 2
    assert result.stderr == message + "\n"
    assert list(tmp_path.iterdir()) == []


def test_sensitivity_with_few_draws_says_how_many_the_indices_need(run, tmp_path):
    result = run("sensitivity", "health-inclusive", "--draws", "10", "--out", tmp_path / "robust")
    assert result.exit_code == 0, result.output
    assert ("note: first-order indices of economy, transport, regeneration, health (at least 1,000 draws each) "
            "and normalisation (at least 400 draws) are left blank") in " ".join(result.output.split())
    assert "this run has 10; use --draws 1000 or more" in result.output
    assert "(blank: see the notes above)" in result.output
    summary = strict_json((tmp_path / "robust" / "summary.json").read_text())
    assert {row["first_order_rank"] for row in summary["indices"]} == {None}
    assert summary["notes"][0].startswith("first-order indices of economy")


def test_a_spread_near_one_is_not_reported_as_fixed(run, tmp_path):
    result = run("sensitivity", "hle-only", "--spread", "0.9999999", "--draws", "50", "--out", tmp_path / "r")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("hle-only: 50 draws on 368 areas; spread 0.9999999 "
                                    "(Dirichlet concentration 2e-07); seed 0.")
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    assert summary["concentration"] == 2e-07


def test_sensitivity_refuses_a_published_rule(run):
    result = run("sensitivity", "luf-2021-published", "--draws", "10")
    assert result.exit_code == 2
    assert result.stderr == ("Error: rule 'luf-2021-published' reads its groups from column "
                             "'luf_r1_category'; sensitivity needs an index rule built from indicators\n")


def test_search_prints_and_writes_the_frontier(run, tmp_path):
    out = tmp_path / "frontier.csv"
    result = run("search", "health-inclusive", "--vary", "health", "--target", "focus_in_group1_share>=0.7",
                 "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("health-inclusive: the smallest weight on 'health' with "
                                    "focus_in_group1_share>=0.7 is 0.2093 (the rule gives it 0.3)")
    frame = pd.read_csv(out)
    assert list(frame.columns) == ["weight", "focus_in_group1_share", "focus_in_group1", "kendall_tau",
                                   "meets_target"]
    assert len(frame) == 202 and frame["weight"].is_monotonic_increasing


def test_an_unreachable_target_prints_and_writes_the_frontier_and_exits_1(run, tmp_path):
    out = tmp_path / "f80.csv"
    result = run("search", "health-inclusive", "--vary", "health", "--target", "focus_in_group1_share>=0.8",
                 "--out", out)
    assert result.exit_code == 1, result.output
    assert result.stderr == ""
    assert result.output.startswith("health-inclusive: no weight on 'health' from 0 to 1 meets "
                                    "focus_in_group1_share>=0.8 (the rule gives it 0.3)")
    frame = pd.read_csv(out)
    assert len(frame) == 201 and not frame["meets_target"].any()
    best = frame.loc[frame["focus_in_group1_share"].idxmax()]
    verdict = (f"Target not met: best focus_in_group1_share {best['focus_in_group1_share']:g} "
               f"at weight {best['weight']:g}.")
    assert result.output.endswith(f"\n{verdict}\n\nwrote {out}\n")
    assert "Frontier (every 0.05 and the closest weight" in result.output


def test_search_help_documents_the_exit_codes(run):
    result = run("search", "--help")
    assert "Exit status: 0 target met; 1 target not met" in " ".join(result.output.split())
    assert "2 bad input" in result.output


def test_both_commands_have_help_with_an_example(run):
    for command in ("sensitivity", "search"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Example" in result.output, command


@pytest.mark.parametrize("command", [
    ["sensitivity", "health-inclusive", "--draws", "50"],
    ["search", "health-inclusive", "--vary", "economy", "--target", "kendall_tau>=0.5"],
])
def test_a_rule_override_is_shown(run, command):
    result = run(*command, "--set", "domains.health.weight=0.4")
    assert result.exit_code == 0
    assert result.output.startswith("Overrides applied: --set domains.health.weight=0.4\n"
                                    "Effective weights of 'health-inclusive' after them:\n")


def test_sensitivity_records_the_rule_and_its_overrides(run, tmp_path):
    out = tmp_path / "robust"
    assert run("sensitivity", "health-inclusive", "--draws", "50", "--set", "domains.health.weight=0.4",
               "--out", out).exit_code == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["rule_source"] == "rules/health-inclusive.toml with --set domains.health.weight=0.4"
    assert summary["weights"]["hle_male_2018_20"] == 0.127273  # the override's, not the rule's 0.105


def test_search_focus_share_selecting_no_area_names_that_cause(run, tmp_path):
    out = tmp_path / "frontier.csv"
    result = run("search", "health-inclusive", "--vary", "health", "--target", "focus_in_group1_share>=0.5",
                 "--focus-share", "0.001", "--out", out)
    assert result.exit_code == 2
    assert result.stderr == ("Error: --focus-share 0.001: selects no area (the lowest 0.001 of the 368 areas with "
                             "hle_male_2011_13 rounds to none); use at least 0.0014\n")
    assert not out.exists()


def test_search_takes_the_focus_end(run):
    lowest = run("search", "health-inclusive", "--vary", "health", "--target", "focus_in_group1_share>=0.5")
    highest = run("search", "health-inclusive", "--vary", "health", "--target", "focus_in_group1_share>=0.5",
                  "--focus", "hle_male_2011_13", "--focus-end", "highest")
    # the healthiest areas never reach group 1 as health weighs more: the target is met for one end alone
    assert lowest.exit_code == 0 and highest.exit_code == 1, highest.output
    assert "highest hle_male_2011_13" in " ".join(highest.output.split())
    assert "lowest hle_male_2011_13" in " ".join(lowest.output.split())


def test_the_text_says_the_ranks_come_from_the_first_draws(run):
    many = run("sensitivity", "health-inclusive", "--draws", "12000")
    assert many.exit_code == 0, many.output
    assert ("(ranks from the first 10,000 draws, group probabilities from all 12,000)."
            in " ".join(many.output.split()))
    few = run("sensitivity", "health-inclusive", "--draws", "2000")
    assert "ranks from the first" not in few.output


def test_one_draw_is_one_draw(run):
    result = run("sensitivity", "health-inclusive", "--draws", "1")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("health-inclusive: 1 draw on 368 areas;")
