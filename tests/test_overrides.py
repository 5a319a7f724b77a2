"""``NAME=VALUE`` overrides: parsing values, and setting paths in nested tables and lists."""

from __future__ import annotations

import pytest

from allocsim.errors import RuleError
from allocsim.overrides import parse_assignment, set_path


@pytest.mark.parametrize(("text", "value"), [
    ("x=1", 1), ("x=0.25", 0.25), ("x=[1, 2]", [1, 2]), ('x="a b"', "a b"), ("x=rank", "rank"),
    ("x=true", True), ("x={a = 1}", {"a": 1}),
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
