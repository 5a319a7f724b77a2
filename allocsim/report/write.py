"""Putting a report on disk: refused over other files, staged, and swapped in whole."""

from __future__ import annotations

import json
from pathlib import Path

from allocsim.errors import OutputError
from allocsim.io import staged_dir


def check_output_folder(out: Path, force: bool) -> None:
    """Refuse an existing folder unless ``force``; even then replace only an earlier report.

    ``--force`` swaps the whole folder, so it must never be a folder of the user's own files
    (nor the current folder or one that contains it).
    """
    out = Path(out)
    if not out.exists():
        return
    if not force:
        raise OutputError(f"output folder {out} already exists; use --force to replace it")
    resolved, here = out.resolve(), Path.cwd().resolve()
    if resolved == here or resolved in here.parents:
        raise OutputError(f"--out {out}: refusing to replace the current folder or one that contains it")
    if out.is_dir() and any(out.iterdir()) and not _is_report(out):
        raise OutputError(f"--out {out}: the folder is not an allocsim report, so --force will not replace it; "
                          f"choose a new folder")


def _is_report(folder: Path) -> bool:
    try:
        return "allocsim" in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return False


def write_report(files: dict[str, bytes], out: Path, force: bool = False) -> None:
    check_output_folder(out, force)
    with staged_dir(out, replace=True) as stage:
        for name, content in files.items():
            path = stage / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
