from __future__ import annotations

from allocsim.rules import apply_overrides, load_rule
from allocsim.rules.diff import diff_rules, documentation_differences


def test_diff_lists_changed_fields_only():
    base = load_rule("hle-only")
    variant = apply_overrides(base, ["normalisation=rank"])
    frame = diff_rules(base, variant)
    assert frame.to_dict("records") == [{"field": "normalisation", "a": "zscore", "b": "rank"}]


def test_diff_of_a_rule_with_itself_is_empty():
    assert diff_rules(load_rule("luf-2021"), load_rule("luf-2021")).empty


def test_diff_shows_effective_weights_and_indicators_added():
    frame = diff_rules(load_rule("hle-only"), load_rule("lu-need-2022")).set_index("field")
    assert "effective_weight.gva_per_hour" in frame.index
    assert frame.loc["indicators.gva_per_hour.direction", "hle-only"] == "—"


def test_documentation_differences_are_named_though_the_diff_leaves_them_out():
    base = load_rule("hle-only")
    variant = apply_overrides(base, ['description="Other words."', 'sources=["Elsewhere"]'])
    assert diff_rules(base, variant).empty
    assert documentation_differences(base, variant) == ["description", "sources"]
    assert documentation_differences(base, base) == []


def test_an_unused_default_and_an_unset_field_read_as_such():
    """luf-2021 against health-inclusive had shown the health indicators' unused winsorising pair (5.0, 95.0)
    beside 'transform none', and an unset field as 'None' where an absent one was '—'."""
    diff = diff_rules(load_rule("luf-2021"), load_rule("health-inclusive")).set_index("field")
    assert not diff.index.str.endswith("winsorise_percentiles").any()
    assert diff.loc["reconstructs", "health-inclusive"] == "(not set)"
    assert diff.loc["indicators.hle_male_2018_20.transform"].tolist() == ["—", "none"]
