"""``allocsim data``: the user's exact experience, including each bad input's one line."""

from __future__ import annotations

import pytest


def test_describe_lists_columns_and_coverage(run):
    result = run("data", "describe")
    assert result.exit_code == 0
    assert "368 areas" in result.output
    assert "hle_male_2011_13" in result.output and "Office for National Statistics" in result.output


def test_show_finds_an_area_by_name_case_insensitively(run):
    result = run("data", "show", "kingston upon hull, city of")
    assert result.exit_code == 0
    assert result.output.startswith("Kingston upon Hull, City of (E06000010)")


def test_show_by_code(run):
    assert run("data", "show", "e06000009").output.startswith("Blackpool (E06000009)")


def test_validate_accepts_a_good_file(run, write_csv):
    path = write_csv("code,name,hle_male_2011_13\nA1,Alpha,60\n")
    result = run("data", "validate", path)
    assert result.exit_code == 0 and result.output == f"{path}: valid\n"


def test_validate_lists_each_problem_then_fails(run, write_csv):
    path = write_csv("code,name,nvq3_plus_share\nA1,Alpha,120\nA1,Beta,50\n")
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
        ("", "Error: {path} is empty; expected a CSV with a header row including code and name"),
        (b"code,name\nA1,Caf\xe9\n", "Error: {path} is not UTF-8 text (byte 0xe9 at offset 16); save the data file as UTF-8"),
        ("code,name\nA1,Alpha\nA1,Beta\n", "Error: {path}: line 3, column 'code': duplicate code 'A1' (first on line 2)"),
        ("code,name,gva_per_hour\nA1,Alpha,lots\n", "Error: {path}: line 2, column 'gva_per_hour': 'lots' is not a number"),
        ("code,name\nA1,Alpha,extra\n", "Error: {path}: line 2 has 3 fields, the header has 2"),
    ],
    ids=["missing", "empty", "not-utf8", "duplicate-code", "text-in-numeric", "ragged-row"],
)
def test_bad_data_file_gives_one_line(run, tmp_path, content, expected):
    path = tmp_path / "areas.csv"
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run("data", "describe", "--data", path)
    assert result.exit_code == 2
    assert result.stderr == expected.format(path=path) + "\n"
    assert "Traceback" not in result.output


def test_unknown_area_suggests_near_misses(run):
    result = run("data", "show", "Blackpol")
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown area 'Blackpol'; did you mean Blackpool (E06000009)?\n"


def _commands(group, path=()):
    import click

    for name, command in group.commands.items():
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
