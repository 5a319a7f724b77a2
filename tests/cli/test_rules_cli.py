"""``allocsim rules`` and ``allocsim rank`` as a user runs them."""

from __future__ import annotations

import pandas as pd


def test_rules_list_names_every_shipped_rule(run):
    result = run("rules", "list")
    assert result.exit_code == 0
    for name in ("luf-2021-published", "luf-2021", "lu-need-2022", "health-inclusive", "hle-only", "imd-2019"):
        assert name in result.output


def test_rules_show_prints_sources_and_effective_weights(run):
    result = run("rules", "show", "lu-need-2022")
    assert result.exit_code == 0
    assert "Sources:" in result.output and "Effective weights" in result.output
    assert "0.1250" in result.output  # each sex's HLE: a quarter of the index, halved


def test_rules_show_with_override(run):
    result = run("rules", "show", "hle-only", "--set", "indicators.hle_male_2018_20.weight=3")
    assert "0.7500" in result.output


def test_rules_validate_a_shipped_rule(run, repo):
    path = repo / "rules" / "hle-only.toml"
    result = run("rules", "validate", path)
    assert result.exit_code == 0 and result.output == f"{path}: valid rule 'hle-only' (index, 2 indicators)\n"


def test_rules_check_reports_agreement(run):
    result = run("rules", "check", "luf-2021", "--against", "luf-2021-published", "--top", "3")
    assert result.exit_code == 0
    assert "exact group agreement" in result.output and "Cohen's kappa" in result.output
    assert "Confusion matrix" in result.output


def test_rules_check_prints_the_agreement_from_the_counts(run):
    """239 of 368 is 64.95%: rounded to 0.6495 first, it had printed 65.0%; --top 0 had printed "(none)" under
    "Areas that disagree most" with 129 areas differing."""
    result = run("rules", "check", "luf-2021", "--against", "luf-2021-published", "--set", "normalisation=zscore",
                 "--top", "0")
    assert result.exit_code == 0, result.output
    assert "exact group agreement 64.9%;" in result.output and "129 areas differ" in result.output
    assert "Areas that disagree most" not in result.output


def test_rank_top_lists_the_areas_as_rank_out_orders_them(run, tmp_path):
    """A published rule ties each category at its mean rank: the screen had listed County Durham first, the CSV
    Hartlepool (ties by code)."""
    out = tmp_path / "ranked.csv"
    result = run("rank", "luf-2021-published", "--out", out, "--top", "5")
    assert result.exit_code == 0, result.output
    listed = [line.split()[1] for line in result.output.split("Top 5:")[1].strip().splitlines()[1:6]]
    assert listed == pd.read_csv(out)["code"].head(5).tolist()
    assert " 62 E06000001 " in result.output  # the mean rank as the CSV writes it, not 62.000


def test_rules_diff(run):
    result = run("rules", "diff", "hle-only", "lu-need-2022")
    assert result.exit_code == 0 and "effective_weight.gva_per_hour" in result.output


def test_rank_writes_every_area(run, tmp_path):
    out = tmp_path / "ranked.csv"
    result = run("rank", "hle-only", "--out", out, "--top", "3")
    assert result.exit_code == 0
    frame = pd.read_csv(out)
    assert len(frame) == 368
    assert {"code", "name", "country", "score", "rank", "group", "contrib:hle_male_2018_20"} <= set(frame.columns)
    assert frame["rank"].tolist() == sorted(frame["rank"])  # highest need first, not in dataset order


def test_rank_countries_option(run, tmp_path):
    out = tmp_path / "wales.csv"
    run("rank", "hle-only", "--countries", "wales", "--out", out)
    assert set(pd.read_csv(out)["country"]) == {"Wales"}


def test_rank_bad_override_gives_one_line(run):
    result = run("rank", "hle-only", "--set", "normalisation=robust")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: rules/hle-only.toml with --set normalisation=robust: normalisation: must be "
        "'zscore', 'minmax', 'rank' or 'distance_to_best' (got 'robust')\n"
    )


def test_unknown_rule_gives_one_line(run):
    result = run("rank", "hle-onyl")
    assert result.exit_code == 2
    assert result.stderr == "Error: rule 'hle-onyl' not found; did you mean 'hle-only'? run 'allocsim rules list'\n"


def test_unknown_country(run):
    result = run("rank", "hle-only", "--countries", "Ireland")
    assert result.stderr == "Error: --countries: unknown country 'Ireland' (use England, Scotland, Wales)\n"


def test_rules_diff_of_documentation_only_says_so(run, repo, tmp_path):
    text = (repo / "rules" / "hle-only.toml").read_text()
    changed = tmp_path / "h3.toml"
    changed.write_text(text.replace('title = "Healthy life expectancy only"', 'title = "Another title"'))
    result = run("rules", "diff", "hle-only", changed)
    assert result.exit_code == 0
    assert result.output == "The rules differ only in documentation fields (title); use --all to see them.\n"
    assert "Another title" in run("rules", "diff", "hle-only", changed, "--all").output
    assert run("rules", "diff", "hle-only", "hle-only").output == "The rules do not differ.\n"


def test_rank_prints_the_overrides_and_the_geometric_note(run, repo, tmp_path):
    text = (repo / "rules" / "hle-only.toml").read_text()
    assert 'normalisation = "zscore"' in text and 'aggregation = "arithmetic"' in text
    geometric = tmp_path / "geo.toml"
    geometric.write_text(text.replace('normalisation = "zscore"', 'normalisation = "minmax"')
                         .replace('aggregation = "arithmetic"', 'aggregation = "geometric"'))
    result = run("rank", geometric, "--set", "indicators.hle_male_2018_20.weight=3", "--top", "1")
    assert result.exit_code == 0
    assert "Overrides applied: --set indicators.hle_male_2018_20.weight=3" in result.output
    assert "they sum to log(1 + score), not to the score" in result.output
    assert "not to the score" not in run("rank", "hle-only", "--top", "1").output


def test_rank_override_of_a_published_rule_names_the_rule(run):
    result = run("rank", "luf-2021-published", "--set", "indicators.x.weight=1")
    assert result.exit_code == 2
    assert result.stderr == ("Error: rules/luf-2021-published.toml with --set indicators.x.weight=1: indicators: "
                             "only for kind = 'index'; a published rule reads its groups from column "
                             "'luf_r1_category'\n")
    assert run("rank", "luf-2021-published", "--set", "countries=[\"England\"]", "--top", "1").exit_code == 0


def test_rules_new_writes_a_valid_copy_and_refuses_to_overwrite(run, tmp_path):
    path = tmp_path / "mine.toml"
    result = run("rules", "new", "mine", "--from", "health-inclusive", "--out", path)
    assert result.exit_code == 0, result.stderr
    assert run("rules", "validate", path).output.strip() == f"{path}: valid rule 'mine' (index, 10 indicators)"
    again = run("rules", "new", "mine", "--from", "health-inclusive", "--out", path)
    assert again.exit_code == 2 and "already exists" in again.stderr and again.stderr.count("\n") == 1
    assert run("rules", "new", "mine", "--from", "luf-2021", "--out", path, "--force").exit_code == 0
    assert "copied from 'luf-2021'" in path.read_text()


def test_rules_new_refuses_a_bad_name(run, tmp_path):
    result = run("rules", "new", "My Rule", "--from", "luf-2021", "--out", tmp_path / "x.toml")
    assert result.exit_code == 2 and "NAME 'My Rule'" in result.stderr
    assert not (tmp_path / "x.toml").exists()


def test_show_parameters_prints_the_installed_file(run, repo):
    listing = run("rules", "show-parameters").output
    assert "health: rules/parameters/health-return.toml, installed at" in listing
    shown = run("rules", "show-parameters", "health").output
    assert shown == (repo / "rules" / "parameters" / "health-return.toml").read_text()


def test_a_shipped_parameter_file_named_where_it_is_not_says_how_to_read_it(run, tmp_path, monkeypatch):
    args = ("simulate", "luf-2021", "--budget", "1e9", "--param", "cost_per_qaly.central=-5")
    in_clone = run(*args)
    assert in_clone.exit_code == 2 and "show-parameters" not in in_clone.stderr  # the path exists from here
    monkeypatch.chdir(tmp_path)  # as an installed user, where rules/parameters/ does not exist
    elsewhere = run(*args)
    assert elsewhere.exit_code == 2 and elsewhere.stderr.count("\n") == 1
    assert elsewhere.stderr.strip().endswith(
        "('allocsim rules show-parameters health' prints rules/parameters/health-return.toml)")


def test_validate_lists_every_problem_at_once(run, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('name = "Bad Name"\ntitle = "t"\ndescription = "d"\nsources = ["s"]\nnormalisation = "foo"\n'
                    '[[indicators]]\ncolumn = "gva_per_hour"\ndirection = "up"\nweight = -1\n')
    result = run("rules", "validate", path)
    assert result.exit_code == 2
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == [
        "name", "indicators[0].direction", "indicators[0].weight", "normalisation"]
    assert result.stderr == f"Error: {path}: 4 problems found\n"
    other = run("rank", path)  # any other command: one line, saying where to see them all
    assert other.stderr.strip().endswith(f"(and 3 more); 'allocsim rules validate {path}' lists every one")


def test_validate_lists_every_column_the_data_lacks(run, tmp_path):
    path = tmp_path / "cols.toml"
    path.write_text('name = "cols"\ntitle = "t"\ndescription = "d"\nsources = ["s"]\n'
                    '[categories]\nshares = [0.5, 0.5]\n'
                    '[[indicators]]\ncolumn = "gva_per_hr"\ndirection = "lower_is_more_need"\n'
                    '[[indicators]]\ncolumn = "name"\ndirection = "lower_is_more_need"\n')
    result = run("rules", "validate", path)
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{path}: indicators[0].column: 'gva_per_hr' is not a column of the dataset (did you mean 'gva_per_hour'?)",
        f"{path}: indicators[1].column: column 'name' is not numeric"]


def test_rules_list_is_a_listing_headed_rule_kind_title(run):
    lines = run("rules", "list", env={"COLUMNS": "80"}).output.splitlines()
    assert lines[0].split() == ["rule", "kind", "title"]
    assert all(len(line) <= 80 for line in lines)
    published = next(line for line in lines if line.split()[0] == "luf-2021-published")
    assert published.split()[1] == "published"


def test_rules_show_heads_the_weights_as_the_rule_has_them(run):
    """A published rule has no weights, and a rule without domains no domain shares: both had been printed
    under "Effective weights (domain share x share within domain)", the second with an empty domain column."""
    published = run("rules", "show", "luf-2021-published")
    assert published.exit_code == 0 and "Effective weights" not in published.output
    assert published.output.rstrip().endswith("Groups read from column 'luf_r1_category' (a published rule has no "
                                              "weights).")
    flat = run("rules", "show", "hle-only")
    assert "Effective weights (each indicator's share of the total):" in flat.output
    assert "domain" not in flat.output.split("Effective weights")[1].splitlines()[1]
    assert "Effective weights (domain share x share within domain):" in run("rules", "show", "health-inclusive").output
