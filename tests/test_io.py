"""Outputs are staged and moved into place whole; user files are read with one-line errors."""

from __future__ import annotations

import pytest

from allocsim.errors import DataError, OutputError
from allocsim.io import atomic_write_text, parse_toml, read_user_text, staged_dir


def test_a_failure_while_staging_leaves_nothing(tmp_path):
    out = tmp_path / "results"
    with pytest.raises(RuntimeError), staged_dir(out) as stage:
        (stage / "half.csv").write_text("a,b\n")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_files_move_in_and_named_stale_ones_go(tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    (out / "old.csv").write_text("stale")
    with staged_dir(out, remove=["old.csv"]) as stage:
        (stage / "new.csv").write_text("fresh")
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt", "new.csv"]


def test_replace_swaps_the_whole_folder(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    with staged_dir(out, replace=True) as stage:
        (stage / "index.html").write_text("<p>new</p>")
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "ranked.csv"
    path.write_text("old")

    def broken_replace(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("allocsim.io.os.replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_text(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["ranked.csv"]


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
