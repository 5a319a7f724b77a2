"""Every file in tests/rules/invalid/ is refused with its exact one-line message."""

from __future__ import annotations

from pathlib import Path

import pytest

INVALID = Path(__file__).parent / "invalid"

EXPECTED = {
    "categories_both_ways": "categories: give exactly one of 'shares' or 'thresholds'",
    "categories_missing": "categories: an index rule needs categories (shares or thresholds)",
    "column_not_numeric": "indicators[0].column: column 'name' is not numeric",
    "country_unknown": "countries[1]: must be 'England', 'Scotland' or 'Wales' (got 'Northern Ireland')",
    "direction_bad": "indicators[0].direction: must be 'higher_is_more_need' or 'lower_is_more_need' (got 'lower_is_better')",
    "domain_name_with_a_dot": "domains: domain name 'econ.omy' must be letters, digits, '_' or '-'",
    "domain_weights_sum_zero": "domains: domain weights sum to zero",
    "domain_without_indicators": "domains.health: has no indicators (the domains that have some: economy; "
                                 "is the name misspelt?)",
    "empty_file": "the rule file is empty",
    "geometric_with_zscore": "aggregation: 'geometric' needs non-negative normalised values; use normalisation minmax, rank or distance_to_best",
    "indicator_domain_unknown": "indicators[0].domain: 'econmy' is not one of the domains (economy)",
    "indicator_duplicate": "indicators[1].column: 'gva_per_hour' is listed more than once",
    "missing_policy_unknown": "missing: must be 'error', 'impute_median' or 'reweight' (got 'drop')",
    "name_not_a_slug": "name: must be lower-case letters, digits, '.', '_' or '-' (got 'Bad Name')",
    "no_downgrade_from_empty": "no_downgrade_from: String must have at least 1 character (got '')",
    "no_downgrade_from_unknown": "no_downgrade_from: rule 'no-such-rule' not found; run 'allocsim rules list'",
    "no_downgrade_from_itself_by_path": "no_downgrade_from forms a loop: self-by-path -> self-by-path",
    "no_downgrade_from_itself_via_dot": "no_downgrade_from forms a loop: via-dot -> via-dot",
    "no_downgrade_from_loop_a": "no_downgrade_from forms a loop: loop-a -> loop-b -> loop-a",
    "no_downgrade_from_loop_b": "no_downgrade_from forms a loop: loop-b -> loop-a -> loop-b",
    "nested_too_deep": "arrays or tables nested more than 32 levels deep",
    "tables_nested_too_deep": "arrays or tables nested more than 32 levels deep",
    "normalisation_unknown": "normalisation: must be 'zscore', 'minmax', 'rank' or 'distance_to_best' (got 'robust')",
    "published_with_index_field": "aggregation: only for kind = 'index'; a published rule reads its groups "
                                  "from column 'luf_r1_category'",
    "published_without_column": "column: a published rule needs the column holding the official group",
    "shares_not_summing_to_one": "categories.shares: must sum to 1, got 0.9",
    "shares_single_group": "categories.shares: needs at least two groups",
    "sources_missing": "sources: required field is missing",
    "thresholds_equal": "categories.thresholds: must be score cut-offs in descending order, no two equal "
                        "(an equal pair would leave a group empty)",
    "thresholds_not_descending": "categories.thresholds: must be score cut-offs in descending order, no two "
                                 "equal (an equal pair would leave a group empty)",
    "toml_syntax_error": "TOML syntax error: Unclosed array (at end of document)",
    "unknown_column": "indicators[0].column: 'gva_per_hr' is not a column of the dataset (did you mean 'gva_per_hour'?)",
    "unknown_key": "wieght: unknown key",
    "weight_negative": "indicators[0].weight: must be greater than or equal to 0 (got -0.5)",
    "weight_not_a_number": "indicators[0].weight: must be a valid number (got 'heavy')",
    "weight_true": "indicators[0].weight: must be a valid number (got True)",
    "shares_as_text": "categories.shares[0]: must be a valid number (got '0.5')",
    "weights_sum_zero": "indicators: indicator weights sum to zero",
    "winsorise_percentiles_reversed": "indicators[0].winsorise_percentiles: must be two percentiles with 0 <= low < high <= 100, got [95.0, 5.0]",
}


def test_every_invalid_file_has_an_expected_message():
    assert sorted(p.stem for p in INVALID.glob("*.toml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_rule_gives_one_exact_line(run, name):
    """``rules validate`` lists a rule's problems one a line and ends with their count; a file it
    cannot read as a rule at all (not TOML, a loop of references) is one ``Error:`` line."""
    path = INVALID / f"{name}.toml"
    result = run("rules", "validate", path)
    assert result.exit_code == 2
    listed = (result.stdout, result.stderr) == (f"{path}: {EXPECTED[name]}\n", f"Error: {path}: 1 problem found\n")
    refused = (result.stdout, result.stderr) == ("", f"Error: {path}: {EXPECTED[name]}\n")
    assert listed or refused, (result.stdout, result.stderr)


def test_every_misspelt_domain_is_listed(run, tmp_path, repo):
    """Three indicators with domain 'helth': rules validate had listed the first alone, '1 problem found'."""
    path = tmp_path / "helth.toml"
    path.write_text((repo / "rules" / "health-inclusive.toml").read_text().replace('domain = "health"',
                                                                                   'domain = "helth"'))
    result = run("rules", "validate", path)
    assert result.exit_code == 2 and result.stderr == f"Error: {path}: 4 problems found\n"
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == [
        "indicators[7].domain", "indicators[8].domain", "indicators[9].domain", "domains.health"]
    ranked = run("rank", path)
    assert ranked.exit_code == 2 and "(and 3 more); 'allocsim rules validate" in ranked.stderr
