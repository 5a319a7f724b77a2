"""Shipped rules, finding rules by name, and --set overrides."""

from __future__ import annotations

import pytest

from allocsim.errors import RuleError
from allocsim.paths import rules_dir
from allocsim.rules import apply_overrides, list_rules, load_rule
from allocsim.rules.load import check_rule_against_data, parse_assignment

SHIPPED = {"luf-2021-published", "luf-2021", "lu-need-2022", "health-inclusive", "hle-only", "imd-2019"}


def test_the_six_rules_are_shipped_and_valid(dataset):
    rules = {rule.name: rule for rule in list_rules()}
    assert SHIPPED <= set(rules)
    for rule in rules.values():
        check_rule_against_data(rule, dataset)
        assert rule.sources and rule.description.strip()


def test_file_names_match_rule_names():
    for path in rules_dir().glob("*.toml"):
        assert load_rule(path).name == path.stem


def test_unknown_rule_name_suggests_a_near_miss():
    with pytest.raises(RuleError, match=r"^rule 'hle-onyl' not found; did you mean 'hle-only'\? run 'allocsim rules list'$"):
        load_rule("hle-onyl")


def test_missing_rule_file():
    with pytest.raises(RuleError, match=r"^rule file not found: nowhere/x\.toml$"):
        load_rule("nowhere/x.toml")


def test_a_folder_is_not_a_rule_file(tmp_path):
    folder = tmp_path / "mine.toml"
    folder.mkdir()
    with pytest.raises(RuleError, match=r"is a folder; give a \.toml file or a shipped rule's name$"):
        load_rule(folder)


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("domains.health.weight=0.4", ("domains.health.weight", 0.4)),
        ("normalisation=rank", ("normalisation", "rank")),
        ('normalisation="minmax"', ("normalisation", "minmax")),
        ("categories.shares=[0.2, 0.3, 0.5]", ("categories.shares", [0.2, 0.3, 0.5])),
    ],
)
def test_parse_assignment(assignment, expected):
    assert parse_assignment(assignment) == expected


def test_override_returns_a_new_rule_and_leaves_the_base_alone():
    base = load_rule("luf-2021")
    variant = apply_overrides(base, ["normalisation=rank", "indicators.gva_per_hour.weight=2"])
    assert variant.normalisation == "rank" and base.normalisation != "rank"
    weight = {i.column: i.weight for i in variant.indicators}["gva_per_hour"]
    assert weight == 2 and {i.column: i.weight for i in base.indicators}["gva_per_hour"] == 1


def test_override_keeps_other_weights_relative():
    rule = load_rule("health-inclusive", ["domains.health.weight=0"])
    assert "hle_male_2018_20" in rule.effective_weights()
    assert rule.effective_weights()["hle_male_2018_20"] == 0


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("domains.health.weight=-1", "domains.health.weight: must be greater than or equal to 0 (got -1)"),
        ("normalisaton=rank", "normalisaton: unknown key"),
        ("categories.shares=[0.5, 0.6]", "categories.shares: must sum to 1, got 1.1"),
    ],
)
def test_invalid_override_names_the_field(assignment, message):
    with pytest.raises(RuleError) as caught:
        load_rule("health-inclusive", [assignment])
    assert str(caught.value).endswith(f"with --set {assignment}: {message}")


@pytest.mark.parametrize("assignment", ['normalisation="rank"', "domains.health.weight=0.4",
                                        "indicators.x.weight=1", 'categories.scope="per_country"'])
def test_an_index_only_override_of_a_published_rule_is_refused_for_what_it_is(assignment):
    """Refused by the schema, whoever calls it, naming the field given and not a table it implied."""
    field = assignment.split(".")[0].split("=")[0]
    with pytest.raises(RuleError) as caught:
        load_rule("luf-2021-published", [assignment])
    assert str(caught.value) == (f"rules/luf-2021-published.toml with --set {assignment}: {field}: only for "
                                 f"kind = 'index'; a published rule reads its groups from column 'luf_r1_category'")


def test_a_published_rule_keeps_the_fields_it_reads():
    assert load_rule("luf-2021-published", ['countries=["Wales"]']).countries == ("Wales",)
    assert load_rule("luf-2021-published", ['column="imd2019_rank"']).column == "imd2019_rank"


def test_override_of_a_missing_indicator():
    with pytest.raises(RuleError, match=r"^rules/luf-2021\.toml: --set indicators\.nope\.weight=1: "
                                        r"no entry 'nope' in indicators$"):
        load_rule("luf-2021", ["indicators.nope.weight=1"])


def test_override_without_equals():
    with pytest.raises(RuleError, match="expected FIELD=VALUE"):
        load_rule("luf-2021", ["normalisation"])
