"""``allocsim data``: the user's exact experience, including each bad input's one line."""

from __future__ import annotations

import pytest


def test_describe_lists_columns_and_coverage(run):
    result = run("data", "describe")
    assert result.exit_code == 0
    assert "368 areas, 83 columns (code + 82)" in result.output.splitlines()[0]
    assert "hle_male_2011_13" in result.output and "Office for National Statistics" in result.output


def test_describe_shows_code_and_each_columns_source_and_geography(run):
    lines = run("data", "describe").output.splitlines()
    code = next(line for line in lines if line.split()[0] == "code")
    assert code.split()[-2:] == ["368", "[1]"]
    journey = next(line for line in lines if line.split()[0] == "journey_time_car")
    note = next(line for line in lines if line.startswith(journey.split()[-1] + " "))
    assert note.startswith(journey.split()[-1] + " Journey time statistics (JTS)")
    assert "publisher: Department for Transport" in note
    assert note.endswith("geography: lower-tier local authorities on LAD 2018 codes (England only)")


def test_a_user_file_is_not_labelled_with_the_embedded_provenance(run, write_csv):
    path = write_csv("code,name,country,hle_male_2018_20,my_score\nA1,Alpha,England,60,1\nA2,Beta,Wales,58,\n")
    note = (f"No metadata file of its own beside {path}, so no units, periods or sources are shown "
            "(columns named as in the embedded dataset were range-checked as those columns).")
    described = run("data", "describe", "--data", path).output.splitlines()
    assert described[0] == f"{path}: 2 areas, 5 columns (code + 4)"
    assert described[1].split() == ["column", "England", "Scotland", "Wales", "all"]
    assert described[-1] == note
    assert "Office for National Statistics" not in "\n".join(described) and "years" not in "\n".join(described)
    shown = run("data", "show", "alpha", "--data", path).output.splitlines()
    assert shown[1].split() == ["column", "value"] and shown[-1] == note


def test_a_user_file_with_its_own_metadata_shows_it(run, write_csv):
    path = write_csv("code,name,country,my_score\nA1,Alpha,England,1\n")
    path.with_suffix(".meta.json").write_text(
        '{"columns": {"my_score": {"unit": "points", "period": "2024", "source": "My survey", '
        '"publisher": "Me", "geography": "my areas"}}}')
    output = run("data", "describe", "--data", path).output
    assert "[2] My survey; publisher: Me; geography: my areas" in output
    assert output.splitlines()[-1] == f"Full descriptions and derivations: {path.with_suffix('.meta.json')}"


def test_show_finds_an_area_by_name_case_insensitively(run):
    result = run("data", "show", "kingston upon hull, city of")
    assert result.exit_code == 0
    assert result.output.startswith("Kingston upon Hull, City of (E06000010)")


def test_show_by_code(run):
    assert run("data", "show", "e06000009").output.startswith("Blackpool (E06000009)")


def test_validate_accepts_a_good_file(run, write_csv):
    path = write_csv("code,name,country,hle_male_2011_13\nA1,Alpha,Scotland,60\n")
    result = run("data", "validate", path)
    assert result.exit_code == 0 and result.output == f"{path}: valid\n"


def test_validate_lists_each_problem_then_fails(run, write_csv):
    path = write_csv("code,name,country,nvq3_plus_share\nA1,Alpha,England,120\nA1,Beta,England,50\n")
    result = run("data", "validate", path)
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{path}: line 2, column 'nvq3_plus_share': 120 is outside 0-100 %",
        f"{path}: line 3, column 'code': duplicate code 'A1' (first on line 2)",
    ]
    assert result.stderr == f"Error: {path}: 2 problems found\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "Error: data file not found: {path}"),
        ("", "Error: {path} is empty; expected a CSV with a header row including code, name and country"),
        (b"code,name\nA1,Caf\xe9\n", "Error: {path} is not UTF-8 text (byte 0xe9 at offset 16); save the data file as UTF-8"),
        ("code,name,country\nA1,Alpha,Wales\nA1,Beta,Wales\n",
         "Error: {path}: line 3, column 'code': duplicate code 'A1' (first on line 2)"),
        ("code,name,country,gva_per_hour\nA1,Alpha,Wales,lots\n",
         "Error: {path}: line 2, column 'gva_per_hour': 'lots' is not a number"),
        ("code,name,hle_male_2018_20\nA1,Alpha,60\n",
         "Error: {path}: column 'country': required column is missing (each area's country: England, Scotland or Wales)"),
        ("code,name,country\nA1,Alpha,\n", "Error: {path}: line 2, column 'country': empty country; "
         "use England, Scotland or Wales"),
        ("code,name\nA1,Alpha,extra\n", "Error: {path}: line 2 has 3 fields, the header has 2"),
    ],
    ids=["missing", "empty", "not-utf8", "duplicate-code", "text-in-numeric", "no-country-column", "blank-country",
         "ragged-row"],
)
def test_bad_data_file_gives_one_line(run, tmp_path, content, expected):
    path = tmp_path / "areas.csv"
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run("data", "describe", "--data", path)
    assert result.exit_code == 2
    assert result.stderr == expected.format(path=path) + "\n"
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [("data", "validate", "{path}"), ("rank", "hle-only", "--data", "{path}")])
def test_an_unknown_country_is_refused_alike_by_validate_and_rank(run, write_csv, command):
    # Before: validate said "valid" and rank silently left the French area out.
    path = write_csv("code,name,country,hle_male_2018_20,hle_female_2018_20\nA1,Alpha,England,60,61\n"
                     "B2,Beta,France,58,62\n")
    result = run(*[part.format(path=path) for part in command])
    assert result.exit_code == 2
    line = f"{path}: line 3, column 'country': 'France' is not a country of the dataset; use England, Scotland or Wales"
    assert line in result.stdout.splitlines() or result.stderr == f"Error: {line}\n"


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Bristol", "Bristol, City of (E06000023)"), ("bristo", "Bristol, City of (E06000023)"),
     ("Hull", "Kingston upon Hull, City of (E06000010)"), ("durham", "County Durham (E06000047)")],
)
def test_show_accepts_a_unique_whole_word_or_prefix_of_a_name(run, query, expected):
    result = run("data", "show", query)
    assert result.exit_code == 0 and result.output.splitlines()[0] == expected


def test_an_ambiguous_name_lists_the_candidates(run):
    result = run("data", "show", "Kingston")
    assert result.exit_code == 2
    assert result.stderr == ("Error: area 'Kingston' matches 2 areas: Kingston upon Hull, City of (E06000010), "
                             "Kingston upon Thames (E09000021); give the code or the full name\n")


def test_suggestions_put_names_containing_the_query_first(run):
    result = run("data", "show", "hul")
    assert result.stderr == ("Error: unknown area 'hul'; did you mean Kingston upon Hull, City of (E06000010), "
                             "Solihull (E08000029)?\n")
    assert run("data", "show", "Bristl").stderr == "Error: unknown area 'Bristl'; did you mean Bristol, City of (E06000023)?\n"


def test_unknown_area_suggests_near_misses(run):
    result = run("data", "show", "Blackpol")
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown area 'Blackpol'; did you mean Blackpool (E06000009)?\n"


def _commands(group, path=()):
    import click

    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the commands are imported when first asked for
        command = group.get_command(ctx, name)
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def test_every_command_has_help_with_an_example(run):
    from allocsim.cli import cli

    commands = list(_commands(cli))
    assert len(commands) >= 15
    for command in commands:
        for flag in ("--help", "-h"):
            result = run(*command, flag)
            assert result.exit_code == 0 and "Example" in result.output, command


def test_describe_lists_the_issue_12_columns(run):
    output = run("data", "describe").output
    for column in ("health_index_people_2019", "hle_male_2011_13_district", "hle_male_2011_13_district_se",
                   "hle_district_geography", "luf_r1_award_gbp", "luf_r2_bids", "icb_name", "icb_geography",
                   "health_board_name", "icb_or_health_board", "population_density_2019"):
        assert any(line.split()[0] == column for line in output.splitlines() if line.strip()), column


def test_show_prints_an_areas_icb_and_awards(run):
    lines = run("data", "show", "Burnley").output.splitlines()
    rows = {line.split()[0]: line for line in lines[2:] if line.strip()}
    assert rows["icb_name"].split()[1:7] == ["NHS", "Lancashire", "and", "South", "Cumbria", "Integrated"]
    assert rows["luf_r1_award_gbp"].split()[1] == "19900000.0" and rows["luf_r1_award_gbp"].split()[2] == "GBP"
    assert rows["luf_r2_award_attribution"].split()[1] == "attributed"
    assert rows["hle_district_geography"].split()[1] == "modelled"


def test_validate_accepts_a_file_without_the_new_columns_and_one_with_them(run, write_csv):
    bare = write_csv("code,name,country,hle_male_2011_13\nA1,Alpha,England,60\n", name="bare.csv")
    assert run("data", "validate", bare).output == f"{bare}: valid\n"
    full = write_csv("code,name,country,hle_male_2011_13_district,hle_male_2011_13_district_se,luf_r1_award_gbp,"
                     "luf_r1_bids,luf_r1_award_attribution,icb_name,icb_geography\n"
                     "A1,Alpha,England,58.2,1.5,19900000,1,own,NHS X ICB,whole\n", name="full.csv")
    assert run("data", "validate", full).output == f"{full}: valid\n"


def test_an_unknown_area_code_is_named_not_lost(run, tmp_path, repo):
    import pandas as pd

    data = pd.read_csv(repo / "datasets" / "gb_local_authorities_2020.csv")
    extra = data.iloc[[0]].assign(code="E06000999", name="Nowhere")
    path = tmp_path / "areas.csv"
    pd.concat([data, extra]).to_csv(path, index=False)
    validated = run("data", "validate", path)
    assert validated.exit_code == 0 and "Nowhere (E06000999)" in validated.output
    ranked = run("rank", "hle-only", "--data", path)
    assert ranked.exit_code == 0
    assert "1 area code is not among the 368 GB council codes" in ranked.stderr
    assert "Nowhere (E06000999)" in ranked.stderr and "no map draws it" in ranked.stderr
    assert "369 areas ranked" in ranked.stdout  # ranked like any other area
    assert "Warning" not in run("rank", "hle-only").stderr


def validated_with_separators(run, write_csv, repo, column: str, changed=lambda data: None):
    """``data validate`` on the embedded dataset with ``column`` holding its populations written with thousands
    separators (530,094), and ``changed`` done to it; the result and the file's path."""
    import pandas as pd

    data = pd.read_csv(repo / "datasets" / "gb_local_authorities_2020.csv")
    data[column] = data["population_2019"].map(lambda v: f"{int(v):,}")
    changed(data)
    path = write_csv(data.to_csv(index=False))
    return run("data", "validate", path), path


def test_a_thousands_separator_is_one_problem_for_the_column(run, write_csv, repo):
    def other_mistakes(data):
        data.loc[5, "population_2019"] = "lots"  # a different mistake is still listed on its line
        data.loc[6, "population_2019"] = "0,530"  # no thousands (as --budget reads it): listed on its line

    result, path = validated_with_separators(run, write_csv, repo, "population_2019", other_mistakes)
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{path}: column 'population_2019': 366 values written with a thousands separator, first on line 2 "
        "('530,094'); write numbers without separators (530094)",
        f"{path}: line 7, column 'population_2019': 'lots' is not a number",
        f"{path}: line 8, column 'population_2019': '0,530' is not a number"]
    assert result.stderr == f"Error: {path}: 3 problems found\n"


def test_a_column_of_its_own_written_with_thousands_separators_is_refused_as_numbers(run, write_csv, repo):
    """A column the metadata does not know, every value written as 530,094: it had been taken for text, and a
    rule using it was refused as "not numeric" without saying why."""
    result, path = validated_with_separators(run, write_csv, repo, "my_population")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{path}: column 'my_population': 368 values written with a thousands separator, first on line 2 "
        "('530,094'); write numbers without separators (530094)"]
