"""``NAME=VALUE`` overrides: parsing values, setting paths in nested tables and lists, and how a run shows them."""

from __future__ import annotations

import pytest

from allocsim.errors import RuleError
from allocsim.overrides import parse_assignment, set_path
from allocsim.rules.load import load_rule
from allocsim.text.rules import override_text


@pytest.mark.parametrize(("text", "value"), [
    ("x=1", 1), ("x=0.25", 0.25), ("x=[1, 2]", [1, 2]), ('x="a b"', "a b"), ("x=rank", "rank"),
    ("x=true", True), ("x={a = 1}", {"a": 1}), ("x=.5", 0.5), ("x=5.", 5.0), ("x=-.5e2", -50.0),
    ("x=1.2.3", "1.2.3"),
])
def test_values_are_toml_or_a_bare_word(text, value):
    assert parse_assignment(text, "--set", "x=1", RuleError) == ("x", value)


@pytest.mark.parametrize("text", ["x", "=1", "x="])
def test_malformed_assignments_are_refused(text):
    with pytest.raises(RuleError, match=rf"^--set {text}: expected FIELD=VALUE, e\.g\. --set x=1$"):
        parse_assignment(text, "--set", "x=1", RuleError)


def test_set_path_creates_tables_and_addresses_list_entries_by_column():
    raw = {"indicators": [{"column": "a", "weight": 1}, {"column": "b", "weight": 1}]}
    set_path(raw, "indicators.b.weight", 3, "--set", RuleError)
    set_path(raw, "domains.health.weight", 0.3, "--set", RuleError)
    set_path(raw, "indicators.0.weight", 2, "--set", RuleError)
    assert raw == {"indicators": [{"column": "a", "weight": 2}, {"column": "b", "weight": 3}],
                   "domains": {"health": {"weight": 0.3}}}


def test_set_path_refuses_to_go_through_a_value():
    raw = {"normalisation": "zscore"}
    with pytest.raises(RuleError, match=r"'normalisation' is a value, not a table"):
        set_path(raw, "normalisation.method", "rank", "--set normalisation.method=rank", RuleError)
    with pytest.raises(RuleError, match=r"no entry 'c' in indicators"):
        set_path({"indicators": [{"column": "a"}]}, "indicators.c.weight", 1, "--set", RuleError)


def test_override_text_shows_weights_for_an_index_and_the_column_for_a_published_rule():
    index = load_rule("hle-only", ["indicators.hle_male_2018_20.weight=3"])
    assert override_text(index, ("indicators.hle_male_2018_20.weight=3",)).splitlines()[:2] == [
        "Overrides applied: --set indicators.hle_male_2018_20.weight=3",
        "Effective weights of 'hle-only' after them:"]
    published = load_rule("luf-2021-published", ['countries=["Wales"]'])
    assert override_text(published, ('countries=["Wales"]',)) == (
        "Overrides applied: --set countries=[\"Wales\"]\n"
        "'luf-2021-published' has no weights: it reads its groups from column 'luf_r1_category'.\n\n")
    assert override_text(published, ()) == ""
