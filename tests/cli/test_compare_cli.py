"""``allocsim compare`` as a user runs it."""

from __future__ import annotations

import json

import pandas as pd

from allocsim.outputs import COMPARISON_COLUMNS


def test_compare_prints_the_focus_story(run):
    result = run("compare", "luf-2021-published", "hle-only")
    assert result.exit_code == 0
    assert "Focus: the 110 areas with the lowest hle_male_2011_13 (30% of areas)." in result.output
    assert "Group transitions" in result.output and "Kendall's tau" in result.output


def test_compare_writes_csv_and_summary(run, tmp_path):
    out = tmp_path / "cmp"
    result = run("compare", "luf-2021-published", "lu-need-2022", "--out", out)
    assert result.exit_code == 0
    frame = pd.read_csv(out / "comparison.csv")
    assert list(frame.columns) == COMPARISON_COLUMNS + ["hle_male_2011_13"]
    assert len(frame) == 368 and frame["in_focus"].sum() == 110
    summary = json.loads((out / "summary.json").read_text())
    assert summary["focus"]["areas"] == 110
    assert summary["group1_overlap"]["base"] == 123


def test_compare_england_only_rule_needs_countries(run):
    result = run("compare", "luf-2021-published", "imd-2019")
    assert result.exit_code == 2
    assert "cover different areas" in result.stderr and "--countries" in result.stderr
    assert run("compare", "luf-2021-published", "imd-2019", "--countries", "England").exit_code == 0


def test_compare_bad_focus_share_leaves_nothing_behind(run, tmp_path):
    out = tmp_path / "cmp"
    result = run("compare", "luf-2021-published", "hle-only", "--focus-share", "1.5", "--out", out)
    assert result.exit_code == 2
    assert result.stderr == "Error: --focus-share: must be in (0, 1], got 1.5\n"
    assert not out.exists() and list(tmp_path.iterdir()) == []
