"""``allocsim compare`` as a user runs it."""

from __future__ import annotations

import json

import pandas as pd

from allocsim.outputs import COMPARISON_COLUMNS


def test_compare_prints_the_focus_story(run):
    result = run("compare", "luf-2021-published", "hle-only")
    assert result.exit_code == 0
    # 30% of 368 is 110, but 12 areas share the cut-off value 62.1 and all are in (9 of them past 110)
    assert ("Focus: the 119 areas with the lowest hle_male_2011_13 (30% of areas is 110; all 12 areas tied "
            "at the cut-off 62.1 are in).") in result.output
    assert "Group transitions" in result.output and "Kendall's tau" in result.output


def test_compare_takes_the_focus_areas_from_the_highest_values_when_asked(run, tmp_path):
    """--focus-end highest: for a column where more means more need, listed from the highest value inwards."""
    out = tmp_path / "cmp"
    result = run("compare", "luf-2021-published", "health-inclusive", "--focus", "smoking_prevalence",
                 "--focus-end", "highest", "--rows", "100", "--out", out)
    assert result.exit_code == 0, result.output
    assert "Focus: the 114 areas with the highest smoking_prevalence (30% of the areas with a value is 110; 3 " \
           "areas have none; all 6 areas tied at the cut-off 13.7 are in)." in " ".join(result.output.split())
    frame = pd.read_csv(out / "comparison.csv")
    focus = frame[frame["in_focus"]]
    assert focus["smoking_prevalence"].min() == 13.7 >= frame.loc[~frame["in_focus"], "smoking_prevalence"].max()
    gaining = result.output.split("Focus areas that gain priority")[1].split("Focus areas that lose")[0]
    shown = [float(line.split()[-5]) for line in gaining.splitlines()[2:] if line.strip()]
    assert shown == sorted(shown, reverse=True) and len(shown) == 19  # the highest first
    assert json.loads((out / "summary.json").read_text())["focus"]["end"] == "highest"


def test_compare_writes_csv_and_summary(run, tmp_path):
    out = tmp_path / "cmp"
    result = run("compare", "luf-2021-published", "lu-need-2022", "--out", out)
    assert result.exit_code == 0
    frame = pd.read_csv(out / "comparison.csv")
    assert list(frame.columns) == COMPARISON_COLUMNS + ["hle_male_2011_13", "hle_geography"]  # the value and its flag
    assert len(frame) == 368 and frame["in_focus"].sum() == 119
    summary = json.loads((out / "summary.json").read_text())
    assert {k: summary["focus"][k] for k in ("target_areas", "cutoff_value", "tied_at_cutoff", "areas")} == {
        "target_areas": 110, "cutoff_value": 62.1, "tied_at_cutoff": 12, "areas": 119}
    # districts and unitaries tied at the cut-off are treated alike, whatever their code
    tied = frame[frame["hle_male_2011_13"] == 62.1]
    assert len(tied) == 12 and tied["in_focus"].all()
    assert summary["base_rule_source"] == "rules/luf-2021-published.toml"
    assert summary["alt_rule_source"] == "rules/lu-need-2022.toml"
    assert summary["alt_effective_weights"]["gva_per_hour"] == 0.25  # a quarter each
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


def test_compare_records_and_prints_the_override(run, tmp_path):
    out = tmp_path / "cmp"
    result = run("compare", "luf-2021", "health-inclusive", "--set", "domains.health.weight=0.4", "--out", out)
    assert result.exit_code == 0
    assert result.output.startswith(
        "Comparing 'luf-2021' (base) with 'health-inclusive' (alternative) on 368 areas.\n"
        "Overrides applied: --set domains.health.weight=0.4\n"
        "Effective weights of 'health-inclusive' after them:\n")
    assert "0.1273" in result.output  # each sex's HLE: 0.4 / 1.1 of the index, halved less inactivity
    summary = json.loads((out / "summary.json").read_text())
    assert summary["alt_rule"] == "health-inclusive"
    assert summary["alt_rule_source"] == "rules/health-inclusive.toml with --set domains.health.weight=0.4"
    assert "alt_overrides" not in summary
    assert summary["alt_effective_weights"]["hle_male_2018_20"] == 0.127273


def test_compare_override_of_a_published_alt_names_the_cause(run):
    result = run("compare", "health-inclusive", "luf-2021-published", "--set", "domains.health.weight=0.4")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: rules/luf-2021-published.toml with --set domains.health.weight=0.4: domains: only for "
        "kind = 'index'; a published rule reads its groups from column 'luf_r1_category'\n")


def test_compare_focus_share_selecting_no_area_is_refused(run, tmp_path):
    out = tmp_path / "cmp"
    result = run("compare", "luf-2021-published", "hle-only", "--focus-share", "0.001", "--out", out)
    assert result.exit_code == 2
    assert result.stderr == ("Error: --focus-share 0.001: selects no area (the lowest 0.001 of the 368 areas "
                             "with hle_male_2011_13 rounds to none); use at least 0.0014\n")
    # half an area rounds up to one: the share suggested works
    assert run("compare", "luf-2021-published", "hle-only", "--focus-share", "0.0014").output.splitlines()[1] == (
        "Focus: the 1 area with the lowest hle_male_2011_13 (0.14% of areas).")
    assert not out.exists()


def test_compare_without_imd_says_the_fairness_audits_are_undefined(run, tmp_path):
    out = tmp_path / "cmp"
    result = run("compare", "luf-2021", "health-inclusive", "--countries", "Scotland", "--out", out)
    assert result.exit_code == 0
    assert "  More prosperous areas in the top priority group: n/a (no compared area has IMD 2019)" in result.output
    audits = json.loads((out / "summary.json").read_text())["fairness"]
    assert all(a["counts"] == {"base": None, "alt": None} and a["areas_assessed"] == 0 for a in audits)
    both = run("compare", "luf-2021", "health-inclusive", "--countries", "England,Scotland")
    assert "(of 313 areas assessed)" in both.output
