"""``explain``: the table adds up to the score the ranking used, and the words name the groups."""

from __future__ import annotations

import pytest
from toys import rule_with_shares

from allocsim.errors import AllocsimError
from allocsim.explain import explain
from allocsim.ranking import rank


@pytest.mark.parametrize("area", ["Blackpool", "E06000020", "S12000049", "W06000016"])
def test_contributions_add_up_to_the_score_the_ranking_used(dataset, area):
    e = explain(area, "luf-2021", "health-inclusive", dataset)
    for view in e.views:
        weights = e.indicators[f"weight:{view.label}"].dropna()
        added = e.indicators[f"contribution:{view.label}"].fillna(0).sum()
        assert view.score == pytest.approx(added, abs=1e-9)
        assert weights.sum() == pytest.approx(1.0)
        assert e.domains[view.label].sum() == pytest.approx(view.score, abs=1e-9)
        table = rank(view.label, dataset).table.loc[e.code]
        assert (view.group, view.rank, view.score) == (table["group"], table["rank"], pytest.approx(table["score"]))


def test_an_area_missing_an_indicator_gets_no_weight_on_it(dataset):
    e = explain("S12000049", "luf-2021", "health-inclusive", dataset)
    missing = e.indicators[e.indicators["value"].isna()]
    assert not missing.empty  # Glasgow lacks England-only indicators
    assert (missing["weight:health-inclusive"].fillna(0) == 0).all()


def test_the_words_name_the_move_and_the_edge(dataset):
    data = rank("luf-2021", dataset).table.join(rank("health-inclusive", dataset).table.add_suffix("_alt"))
    mover = data.index[(data["group"] == 2) & (data["group_alt"] == 1)][0]
    e = explain(mover, "luf-2021", "health-inclusive", dataset)
    words = " ".join(e.reasons)
    assert "rises from group 2 to group 1" in words
    assert "group 1 ends at rank" in words
    assert "health" in e.reasons[-1]


def test_a_published_rule_is_read_not_scored(dataset):
    e = explain("Blackpool", "luf-2021-published", "health-inclusive", dataset)
    assert e.views[0].score is None and e.views[0].kind == "published"
    assert "published list" in e.reasons[0]
    assert not any(c.endswith(":luf-2021-published") for c in e.indicators.columns)


def test_an_area_the_rule_does_not_cover_is_a_clear_error(run):
    result = run("explain", "Glasgow City", "luf-2021", "health-inclusive", "--set", 'countries=["England"]')
    assert result.exit_code == 2
    assert result.stderr == ('Error: rules/health-inclusive.toml with --set countries=["England"]: area S12000049 is '
                             "not among the areas the rule covers (England)\n")


def test_an_area_that_countries_leaves_out_is_a_clear_error(run):
    """The message had blamed the rule's file, which covers Scotland."""
    result = run("explain", "Glasgow City", "luf-2021", "health-inclusive", "--countries", "England")
    assert result.exit_code == 2
    assert result.stderr == "Error: --countries England: area Glasgow City (S12000049) is in Scotland, which it leaves out\n"


def test_cli_prints_and_writes_the_tables(run, tmp_path):
    result = run("explain", "Telford and Wrekin", "luf-2021", "health-inclusive", "--out", str(tmp_path / "e"))
    assert result.exit_code == 0, result.stderr
    assert "Telford and Wrekin (E06000020)" in result.stdout
    assert "imd2019_score" in result.stdout
    # luf-2021 has no health domain: a blank, not 0.000, and the heading says why
    assert "Contribution to the score by domain (blank: the rule has no such domain):" in result.stdout
    assert [line.split() for line in result.stdout.splitlines() if line.split()[:1] == ["health"]] == [["health", "0.195"]]
    written = (tmp_path / "e" / "indicators.csv").read_text()
    assert written.splitlines()[0].startswith("indicator,domain,value")


def test_cli_says_the_alternative_was_changed_by_set(run):
    """Blackpool's score under health-inclusive with its health weight raised was printed under the plain
    rule's name, with nothing to say it had been changed."""
    result = run("explain", "Blackpool", "luf-2021", "health-inclusive", "--set", "domains.health.weight=0.6")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Overrides applied: --set domains.health.weight=0.6\n"
                                    "Effective weights of 'health-inclusive' after them:")
    plain = run("explain", "Blackpool", "luf-2021", "health-inclusive")
    assert plain.exit_code == 0 and "Overrides applied" not in plain.stdout


@pytest.mark.parametrize(("arguments", "culprit"), [
    ((None, "hle-only", "hle-only", "data"), "area: must be text, got None"),
    ((5, "hle-only", "hle-only", "data"), "area: must be text, got 5"),
    (("Blackpool", 3, "hle-only", "data"), "base: must be a rule"),
    (("Blackpool", "hle-only", None, "data"), "alt: must be a rule"),
    (("Blackpool", "hle-only", "hle-only", None), "data: must be a pandas DataFrame"),
    (("Blackpool", "hle-only", "hle-only", "dict"), "data: must be a pandas DataFrame"),
    (("Blackpool", "hle-only", "hle-only", "no name"), "data: has no 'name' column"),
])
def test_the_python_function_refuses_bad_arguments_naming_them(dataset, arguments, culprit):
    """As the other API functions do: the project's errors, not an AttributeError or a KeyError."""
    frames = {"data": dataset, "dict": dataset.to_dict(), "no name": dataset.drop(columns="name"), None: None}
    *given, data = arguments
    with pytest.raises(AllocsimError) as refused:
        explain(*given, frames[data])
    assert culprit in str(refused.value)


def test_it_is_reached_from_import_allocsim_as_readme_shows():
    """In a new interpreter: this module's own imports already make ``allocsim.explain`` an attribute."""
    import subprocess
    import sys

    code = ("import allocsim; from allocsim.datasets import load_dataset; "
            "print(allocsim.explain.explain('Blackpool', 'hle-only', 'luf-2021', load_dataset()).code)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "E06000009"


def test_an_empty_group_ends_where_the_one_before_it_does(dataset, tmp_path):
    """A share too small to give group 1 an area: the report's explanation chart indexed the groups' ends by
    group number and ended in an IndexError (the rule ranks, compares and simulates)."""
    from allocsim.charts.explain import places_frame

    rule = rule_with_shares(tmp_path, [0.000001, 0.5, 0.499999])
    e = explain("Blackpool", "luf-2021", str(rule), dataset)
    view = e.views[1]  # Blackpool ranks 4th, in group 2: groups 1 and 2 run from rank 1
    assert view.group_edges == [{"group": 1, "areas": 0, "rank": 0.0, "score": None},
                                {"group": 2, "areas": 184, "rank": 184.0, "score": pytest.approx(0.4359, abs=1e-4)}]
    assert e.reasons[1].endswith("group 2 (group 2 runs to rank 184, score 0.4359; group 1 has no areas).")
    places = places_frame(e).set_index("rule")
    assert (places.at[view.label, "first"], places.at[view.label, "last"]) == (1, 184)


def test_the_last_group_with_areas_is_not_called_the_last_group(dataset, tmp_path):
    """Shares leaving group 3 empty: an area in group 2 was said to be in "the last group"."""
    rule = rule_with_shares(tmp_path, [0.5, 0.499999, 0.000001])
    e = explain("Wokingham", "luf-2021", str(rule), dataset)  # among the least needy: group 2 of two with areas
    assert e.views[1].group == 2 and e.views[1].groups == 3
    assert "group 2 (the last group with areas; group 1 ends at rank 184," in e.reasons[1]
