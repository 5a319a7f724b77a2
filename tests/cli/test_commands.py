"""The command line imports a command only when it is used: ``allocsim --help`` and ``allocsim rules list``
leave the heavy libraries alone, and the listing of the commands reads as if every one were loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from allocsim.cli import COMMANDS, cli

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("altair", "dask", "scipy", "sklearn", "vl_convert")

# Runs the command line in a fresh interpreter (with every command imported first if asked), then
# names on stderr every module it imported.
IMPORTED = """
import sys
import click
from allocsim.cli import COMMANDS, cli
if sys.argv[1] == "load":
    [cli.get_command(click.Context(cli), name) for name in COMMANDS]
try:
    cli.main(sys.argv[2:])
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""


def run_fresh(*args: str, load: bool = False) -> tuple[str, set[str]]:
    """What ``allocsim ARGS`` prints, and the top-level packages it imported, in a new process
    (``load``: with every command imported first)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "80"}
    done = subprocess.run([sys.executable, "-c", IMPORTED, "load" if load else "lazy", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout, {name.partition(".")[0] for name in done.stderr.split()}


@pytest.mark.parametrize("args", [("--help",), ("rules", "list")])
def test_help_and_rules_list_import_no_heavy_library(args):
    output, imported = run_fresh(*args)
    assert output
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))


def test_help_imports_neither_pandas_nor_numpy():
    _, imported = run_fresh("--help")
    assert "pandas" not in imported and "numpy" not in imported


def test_the_listing_reads_as_it_does_with_every_command_imported():
    (lazy, imported), (loaded, _) = run_fresh("--help"), run_fresh("--help", load=True)
    assert "allocsim" in imported and "Commands:" in lazy
    assert lazy == loaded


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_summary_is_the_first_sentence_of_the_commands_help(name):
    command = cli.get_command(click.Context(cli), name)
    stand_in = click.Command(name, help=COMMANDS[name][1])
    assert command.name == name
    for limit in range(10, 200):
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), limit


def test_a_mistyped_command_is_answered_with_the_closest_names():
    result = CliRunner().invoke(cli, ["comprae", "a", "b"])
    assert result.exit_code == 2
    if getattr(click.exceptions, "NoSuchCommand", None):  # click 8.4 and later suggest
        assert result.stderr == "Error: No such command 'comprae'. Did you mean 'compare'?\n"
    assert "No such command 'comprae'." in result.stderr


@pytest.mark.parametrize("args", [
    ["rank", "{rule}", "--data", "{data}", "--out", "{data}"],
    ["simulate", "{rule}", "--budget", "1e9", "--data", "{data}", "--xlsx", "{data}"],
    ["compare", "luf-2021-published", "{rule}", "--data", "{data}", "--xlsx", "{rule}"],
    ["search", "{rule}", "--vary", "health", "--target", "kendall_tau>=0.5", "--data", "{data}", "--out", "{rule}"],
    ["rank", "{rule}", "--data", "{data}", "--out", "{meta}"],
    ["simulate", "{rule}", "--budget", "1e9", "--health-params", "{params}", "--xlsx", "{params}"],
], ids=["rank-out-data", "simulate-xlsx-data", "compare-xlsx-rule", "search-out-rule", "rank-out-metadata",
        "simulate-xlsx-parameters"])
def test_an_output_never_replaces_a_file_the_command_reads(tmp_path, dataset, args):
    """--xlsx naming the --data file once left a workbook where the CSV had been (exit 0)."""
    import shutil

    from allocsim.paths import dataset_path, metadata_path_for, rules_dir
    from allocsim.rules.load import rule_path

    files = {"data": tmp_path / "areas.csv", "meta": tmp_path / "areas.meta.json", "rule": tmp_path / "rule.toml",
             "params": tmp_path / "health.toml"}
    dataset.reset_index().to_csv(files["data"], index=False)
    shutil.copy(metadata_path_for(dataset_path()), files["meta"])
    shutil.copy(rule_path("health-inclusive"), files["rule"])
    shutil.copy(rules_dir() / "parameters" / "health-return.toml", files["params"])
    before = {p: p.read_bytes() for p in files.values()}
    result = CliRunner().invoke(cli, [a.format(**files) for a in args])
    assert result.exit_code == 2, result.output
    option, key = ("--xlsx" if "--xlsx" in args else "--out"), args[-1].strip("{}")
    what = {"data": "the dataset", "meta": "the dataset's metadata", "rule": f"the file of rule '{files['rule']}'",
            "params": "the health parameter file"}[key]
    assert result.stderr == f"Error: {option} {files[key]} is {what}, which this command reads; write to another file\n"
    assert {p: p.read_bytes() for p in before} == before
