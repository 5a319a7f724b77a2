"""Outputs are staged and moved into place whole; user files are read with one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from allocsim.errors import DataError, OutputError
from allocsim.io import atomic_write_text, parse_toml, read_user_text, staged_dir


def test_a_failure_while_staging_leaves_nothing(tmp_path):
    out = tmp_path / "results"
    with pytest.raises(RuntimeError), staged_dir(out) as stage:
        (stage / "half.csv").write_text("a,b\n")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_the_whole_folder_is_swapped_in(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    with staged_dir(out) as stage:
        (stage / "index.html").write_text("<p>new</p>")
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "ranked.csv"
    path.write_text("old")

    def broken_replace(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("allocsim.io.os.replace", broken_replace)
    with pytest.raises(OutputError, match=r"^cannot write .*ranked\.csv: No space left on device$"):
        atomic_write_text(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["ranked.csv"]


def test_a_failed_write_removes_the_folders_it_created(tmp_path, monkeypatch):
    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("allocsim.io.os.replace", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        atomic_write_text(tmp_path / "new" / "sub" / "ranked.csv", "x")
    with pytest.raises(OutputError, match="No space left on device"), staged_dir(tmp_path / "a" / "b" / "D") as stage:
        (stage / "x.csv").write_text("x")
    assert list(tmp_path.iterdir()) == []


def test_an_error_while_writing_the_folder_is_an_output_error(tmp_path):
    out = tmp_path / "new" / "D"
    with pytest.raises(OutputError, match=r"^cannot write .*D: File too large$"), staged_dir(out):
        raise OSError(27, "File too large")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_swap_puts_the_earlier_folder_back(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.csv").write_text("old")
    real = os.replace
    calls = []

    def second_rename_fails(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real(source, target)

    monkeypatch.setattr("allocsim.io.os.replace", second_rename_fails)
    with pytest.raises(OutputError, match="Input/output error"), staged_dir(out) as stage:
        (stage / "new.csv").write_text("new")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert [p.name for p in out.iterdir()] == ["old.csv"]


def test_leftovers_of_killed_runs_are_removed_and_live_ones_kept(tmp_path):
    out = tmp_path / "out"
    dead = _ended_pid()
    for name in (f".out.{dead}.abc123.new", f".out.{dead}.ff00.old", f".out.{os.getppid()}.live.new"):
        (tmp_path / name).mkdir()
    (tmp_path / f".outer.{dead}.abc.new").mkdir()  # another folder's, and not its to judge
    (tmp_path / ".out.notes").mkdir()  # not named as a staging folder: the user's
    with staged_dir(out) as stage:
        (stage / "a.csv").write_text("a")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out", f".out.{os.getppid()}.live.new", f".outer.{dead}.abc.new", ".out.notes"])


def _ended_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_writing_under_a_file_is_an_output_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="is not a folder"):
        atomic_write_text(tmp_path / "file" / "out.csv", "x")


def test_read_user_text_names_the_file(tmp_path):
    with pytest.raises(DataError, match=r"^data file not found: .*none\.csv$"):
        read_user_text(tmp_path / "none.csv", "data", DataError)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(DataError, match=r"not UTF-8 text \(byte 0xff at offset 0\); save the data file as UTF-8"):
        read_user_text(bad, "data", DataError)
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbfcode,name\n")
    assert read_user_text(bom, "data", DataError) == "code,name\n"


def test_parse_toml_reports_the_position():
    with pytest.raises(DataError, match=r"^x\.toml: TOML syntax error: .*line 1"):
        parse_toml("a = = 1", "x.toml", DataError)
