"""A rule written as TOML reads back as the same rule (what the report's weights explorer exports)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocsim.rules import apply_overrides, load_rule
from allocsim.rules.dump import rule_toml
from allocsim.rules.load import list_rules, parse_rule


@pytest.mark.parametrize("rule", list_rules(), ids=lambda r: r.name)
def test_every_shipped_rule_reads_back_the_same(rule):
    assert parse_rule(rule_toml(rule), "dumped").model_dump() == rule.model_dump()


def test_a_rule_with_overrides_reads_back_with_them():
    rule = load_rule("health-inclusive", ["domains.health.weight=0.5", "indicators.gva_per_hour.weight=2"])
    back = parse_rule(rule_toml(rule), "dumped")
    assert back.domains["health"].weight == 0.5 and back.indicators[0].weight == 2
    assert back.effective_weights() == rule.effective_weights()


def test_literal_text_takes_a_fields_place():
    text = rule_toml(load_rule("health-inclusive"), {"domains.health.weight": "@@w_health@@"})
    assert "[domains.health]\nweight = @@w_health@@\n" in text
    back = parse_rule(text.replace("@@w_health@@", "0.6"), "filled")
    assert back.domains["health"].weight == 0.6


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=80))
def test_any_text_reads_back(title, description):
    """Quotes, backslashes, control characters and ''' all survive."""
    rule = apply_overrides(load_rule("hle-only"), [])
    rule = rule.model_copy(update={"title": title, "description": description, "sources": (description,)})
    back = parse_rule(rule_toml(rule), "dumped")
    assert (back.title, back.description, back.sources) == (title, description, (description,))
