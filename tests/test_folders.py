"""Which existing ``--out`` folders a command may replace: the same rule for every command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from toys import gva_rule_toml, make_toy_data

from allocsim.cli import cli
from allocsim.errors import OutputError
from allocsim.folders import LISTING, check_out_folder, write_folder

COMMANDS = {
    "compare": ["compare", "{rule}", "{rule}", "--focus", "hle_male_2011_13"],
    "simulate": ["simulate", "{rule}", "--budget", "1e6", "--draws", "10"],
    "sensitivity": ["sensitivity", "{rule}", "--draws", "20"],
    "report": ["report", "{rule}", "{rule}", "--robustness-draws", "0", "--force"],
}

REPORT = {"index.html": b"<p>report</p>", "manifest.json": b'{"allocsim": "0"}', "tables/comparison.csv": b"a\n",
          "charts/map.png": b"\x89PNG"}


@pytest.fixture
def command_line(tmp_path, monkeypatch):
    """Run a folder command on toy data into ``out``; the report's files are a stand-in (:data:`REPORT`)."""
    import allocsim.cli.report as report

    monkeypatch.setattr(report, "assemble_report", lambda *args: REPORT)
    make_toy_data(12).to_csv(tmp_path / "areas.csv")
    (tmp_path / "toy.toml").write_text(gva_rule_toml())

    def run(command: str, out, *extra: str):
        args = [a.format(rule=tmp_path / "toy.toml") for a in COMMANDS[command]]
        return CliRunner().invoke(cli, [*args, *extra, "--data", str(tmp_path / "areas.csv"), "--out", str(out)])

    return run


@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_command_lists_what_it_wrote_and_replaces_its_own_earlier_output(command, command_line, tmp_path):
    out = tmp_path / "out"
    assert command_line(command, out).exit_code == 0
    listing = json.loads((out / LISTING).read_text())
    assert listing["command"] == command
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != LISTING)
    assert listing["files"] == on_disk
    result = command_line(command, out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["areas.csv", "out", "toy.toml"]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_command_refuses_a_folder_holding_the_users_files(command, command_line, tmp_path):
    out = tmp_path / "out"
    assert command_line(command, out).exit_code == 0
    (out / "NOTES.txt").write_text("mine")
    (out / "tables").mkdir(exist_ok=True)
    (out / "tables" / "book.xlsx").write_bytes(b"PK")
    result = command_line(command, out)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --out {out} already exists and holds files the earlier 'allocsim {command}' "
                             "did not write (NOTES.txt, tables/book.xlsx); move them out, or choose a new folder\n")
    assert (out / "NOTES.txt").read_text() == "mine" and (out / "tables" / "book.xlsx").read_bytes() == b"PK"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_command_uses_an_empty_folder_and_refuses_a_folder_of_other_files(command, command_line, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert command_line(command, empty).exit_code == 0
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "summary.json").mkdir()  # a clash: a folder where the command writes a file
    (mine / "summary.json" / "x").write_text("x")
    result = command_line(command, mine)
    assert result.exit_code == 2
    assert "holds files allocsim did not write (summary.json/x)" in result.stderr
    assert (mine / "summary.json" / "x").read_text() == "x"


def test_another_commands_output_is_refused(command_line, tmp_path):
    out = tmp_path / "out"
    assert command_line("simulate", out).exit_code == 0
    result = command_line("compare", out)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --out {out} already exists and holds the output of 'allocsim simulate'; "
                             "choose another folder\n")


def test_report_needs_force_to_replace_an_earlier_report(command_line, tmp_path):
    out = tmp_path / "out"
    assert command_line("report", out).exit_code == 0
    without = CliRunner().invoke(cli, ["report", "luf-2021-published", "hle-only", "--out", str(out)])
    assert without.stderr == f"Error: output folder {out} already exists; use --force to replace it\n"


def test_the_budget_files_of_an_earlier_compare_go_with_it(command_line, tmp_path):
    out = tmp_path / "out"
    assert command_line("compare", out, "--budget", "1e6", "--draws", "10").exit_code == 0
    assert (out / "allocation_comparison.csv").exists()
    assert command_line("compare", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [LISTING, "comparison.csv", "summary.json"]


@pytest.mark.parametrize(("command", "files"), [
    ("compare", ["comparison.csv", "summary.json", "allocation_comparison.csv"]),
    ("simulate", ["allocation.csv", "summary.json", "health_return.csv", "health_by_region.csv"]),
    ("sensitivity", ["robustness.csv", "summary.json"]),
])
def test_an_output_written_before_files_were_listed_is_recognised(command, files, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in files:
        (out / name).write_text("earlier")
    check_out_folder(out, command)
    (out / "mine.txt").write_text("mine")
    with pytest.raises(OutputError, match=r"holds files the earlier 'allocsim .*' did not write \(mine\.txt\)"):
        check_out_folder(out, command)


def test_an_earlier_report_without_a_list_is_recognised_by_its_manifest(tmp_path):
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "comparison.csv").write_text("x")
    (out / "index.html").write_text("x")
    (out / "manifest.json").write_text("{}")  # not an allocsim manifest
    with pytest.raises(OutputError, match="holds files allocsim did not write"):
        check_out_folder(out, "report", force=True, needs_force=True)
    (out / "manifest.json").write_text('{"allocsim": "0.1"}')
    check_out_folder(out, "report", force=True, needs_force=True)


@pytest.mark.parametrize("listing", ["not json", "[]", '{"written_by": "allocsim", "command": "x", "files": []}',
                                     '{"written_by": "allocsim", "command": "simulate", "files": [1]}',
                                     "[" * 100_000 + "]" * 100_000])
def test_a_damaged_list_makes_the_folder_the_users(listing, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / LISTING).write_text(listing)
    with pytest.raises(OutputError, match=r"holds files allocsim did not write \(\.allocsim-files\.json\)"):
        check_out_folder(out, "simulate")


def test_out_that_is_a_file_or_the_current_folder_is_refused(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        check_out_folder(tmp_path / "file", "simulate")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").unlink()
    for out in (".", tmp_path, tmp_path.parent):
        with pytest.raises(OutputError, match="refusing to replace the current folder"):
            check_out_folder(out, "simulate")


def test_the_list_names_every_file_written(tmp_path):
    write_folder(tmp_path / "out", {"a.csv": "a", "sub/b.png": b"b"}, "report")
    assert json.loads((tmp_path / "out" / LISTING).read_text()) == {
        "written_by": "allocsim", "command": "report", "files": ["a.csv", "sub/b.png"]}
    assert (tmp_path / "out" / "sub" / "b.png").read_bytes() == b"b"
    write_folder(tmp_path / "out", {"c.csv": "c"}, "report", force=True, needs_force=True)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [LISTING, "c.csv"]


def test_many_unexpected_files_are_counted_not_all_named(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for i in range(8):
        (out / f"f{i}.txt").write_text("x")
    with pytest.raises(OutputError, match=r"\(f0\.txt, f1\.txt, f2\.txt, f3\.txt, f4\.txt and 3 more\)"):
        check_out_folder(out, "compare")
