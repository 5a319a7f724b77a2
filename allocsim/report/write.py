"""Putting a report on disk: staged, swapped in whole, and never over files allocsim did not write."""

from __future__ import annotations

from pathlib import Path

from allocsim.folders import check_out_folder, write_folder


def check_output_folder(out: Path, force: bool) -> None:
    """Refuse an existing ``out`` unless ``force``, and even then unless it holds an earlier report
    and nothing else (see :mod:`allocsim.folders`); an empty folder is used as it is."""
    check_out_folder(Path(out), "report", force, needs_force=True)


def write_report(files: dict[str, bytes], out: Path, force: bool = False) -> None:
    """The report's ``files`` (relative path -> bytes) as the folder ``out``, staged and swapped in
    whole, with its file list; an earlier report there is replaced only with ``force``."""
    write_folder(Path(out), files, "report", force, needs_force=True)
