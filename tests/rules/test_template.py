"""``rules new``: the template is a valid rule that ranks as its original, with every field explained."""

from __future__ import annotations

import pytest

from allocsim.ranking import rank
from allocsim.rules.load import list_rules, load_rule, parse_rule
from allocsim.rules.template import COMMENTS, DEFAULTED, rule_template


@pytest.mark.parametrize("original", [r.name for r in list_rules()])
def test_the_template_ranks_exactly_as_its_original(dataset, original):
    source = load_rule(original)
    text = rule_template(source, "my-copy", "my-copy.toml")
    copy = parse_rule(text, "my-copy.toml")
    assert copy.name == "my-copy" and copy.reconstructs is None
    assert f"A variant of '{original}'" in copy.description
    ours, theirs = rank(copy, dataset).table, rank(source, dataset).table
    assert ours["group"].equals(theirs["group"]) and ours["rank"].equals(theirs["rank"])


def test_every_field_written_or_defaulted_is_explained():
    text = rule_template(load_rule("health-inclusive"), "x", "x.toml")
    lines = text.splitlines()
    for key in ("name", "title", "description", "sources", "normalisation", *DEFAULTED):
        at = next(i for i, line in enumerate(lines) if line.startswith((f"{key} = ", f"# {key} = ")))
        assert lines[at - 1].startswith("#"), key
    for header in ("[domains.", "[categories]", "[[indicators]]"):
        at = next(i for i, line in enumerate(lines) if line.startswith(header))
        assert lines[at - 1].startswith("#"), header
    assert "# missing = \"reweight\"  (the default)" in lines
    assert all(len(line) <= 120 for line in lines if line.startswith("#"))
    assert COMMENTS["column"] not in text  # an index rule's indicator columns are not the published column


def test_a_published_rule_gets_only_its_own_fields():
    text = rule_template(load_rule("luf-2021-published"), "x", "x.toml")
    assert 'kind = "published"' in text and "normalisation" not in text
