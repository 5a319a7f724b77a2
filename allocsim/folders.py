"""Output folders: written whole or not at all, and never over files allocsim did not write.

Every command that writes a folder (``compare``, ``simulate``, ``sensitivity``, ``report``) builds
it beside ``--out`` and swaps it in whole (:func:`allocsim.io.staged_dir`), with a list of what it
wrote in ``.allocsim-files.json``. An existing ``--out`` is replaced only when it is empty or holds
nothing but an earlier output of the same command (its listed files; for folders written before
the list existed, the command's own file names); anything else is refused, naming the files
allocsim did not write. ``report`` asks for ``--force`` to replace an earlier report, as it always
has; the other commands replace their own earlier output, as a rerun is expected to.
"""

from __future__ import annotations

import json
import os
from fnmatch import fnmatch
from pathlib import Path

from allocsim.errors import OutputError
from allocsim.io import staged_dir

LISTING = ".allocsim-files.json"
MAX_NAMED = 5  # files named in a refusal; the rest are counted
# What each command's folder held before it listed its files: a file it always writes, then
# patterns every other entry must match.
EARLIER_LAYOUTS = {
    "compare": ("comparison.csv", ("summary.json", "allocation_comparison.csv", "health_comparison_by_hle_decile.csv",
                                   "steps.csv", "allocation_by_rule.csv", "health_one_way_difference.csv",
                                   "winners_losers_by_*.csv", "actual_beside_by_*.csv")),
    "simulate": ("allocation.csv", ("summary.json", "health_return.csv", "health_by_*.csv", "health_one_way.csv")),
    "awards": ("awards.csv", ("summary.json", "actual_by_*.csv", "calibration_by_group.csv", "reliability.csv")),
    "explain": ("indicators.csv", ("domains.csv",)),
    "sensitivity": ("robustness.csv", ("summary.json",)),
    "report": ("manifest.json", ("index.html", "charts", "tables", "charts/*.svg", "charts/*.png",
                                 "tables/*.csv", "tables/*.json")),
}


def write_folder(out: Path, files: dict[str, str | bytes], command: str, force: bool = False,
                 needs_force: bool = False) -> None:
    """Write ``files`` (relative path -> text or bytes) as the whole folder ``out``, with their list.

    ``out`` is checked first (:func:`check_out_folder`); a failure while writing is one
    :class:`OutputError` and leaves nothing behind.
    """
    check_out_folder(out, command, force, needs_force)
    listing = {"written_by": "allocsim", "command": command, "files": sorted(files)}
    with staged_dir(Path(out)) as stage:
        for folder in sorted({(stage / name).parent for name in files} - {stage}):
            folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (stage / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        (stage / LISTING).write_text(json.dumps(listing, indent=1) + "\n", encoding="utf-8")


def check_out_folder(out: Path, command: str, force: bool = False, needs_force: bool = False) -> None:
    """Refuse ``out`` unless it is absent, empty, or an earlier output of ``command`` and nothing
    else (with ``force`` too where ``needs_force``); never the current folder or one above it."""
    out = Path(out)
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputError(f"--out {out} exists and is not a folder")
    resolved, here = out.resolve(), Path.cwd().resolve()
    if resolved == here or resolved in here.parents:
        raise OutputError(f"--out {out}: refusing to replace the current folder or one that contains it")
    entries = _entries(out)
    if not entries:
        return
    owner, own = _earlier_output(out, entries)
    others = _unexpected(entries, own)
    if owner is None:
        raise OutputError(f"--out {out} already exists and holds files allocsim did not write "
                          f"({_named(others)}); choose a new folder, or empty this one")
    if owner != command:
        raise OutputError(f"--out {out} already exists and holds the output of 'allocsim {owner}'; "
                          f"choose another folder")
    if others:
        raise OutputError(f"--out {out} already exists and holds files the earlier 'allocsim {owner}' did not "
                          f"write ({_named(others)}); move them out, or choose a new folder")
    if needs_force and not force:
        raise OutputError(f"output folder {out} already exists; use --force to replace it")


def _entries(folder: Path) -> dict[str, bool]:
    """Every file and folder inside ``folder`` by relative path: whether it is a folder (links
    are not followed)."""
    found = {}
    for root, dirs, files in os.walk(folder):
        base = Path(root).relative_to(folder)
        found |= {(base / name).as_posix(): True for name in dirs}
        found |= {(base / name).as_posix(): False for name in files}
    return found


def _earlier_output(out: Path, entries: dict[str, bool]) -> tuple[str | None, set[str]]:
    """The command whose earlier output ``out`` holds (None if none) and the entries that are its."""
    if LISTING in entries:
        listed = _listing(out / LISTING)
        if listed is None:
            return None, set()
        command, files = listed
        return command, {LISTING, *files, *(p.as_posix() for f in files for p in Path(f).parents if p != Path("."))}
    for command, (marker, patterns) in EARLIER_LAYOUTS.items():
        if marker in entries and (command != "report" or _is_report_manifest(out / marker)):
            return command, {name for name in entries if name == marker or any(fnmatch(name, p) for p in patterns)}
    return None, set()


def _unexpected(entries: dict[str, bool], own: set[str]) -> list[str]:
    """The entries that are not ``own``, a folder only when nothing inside it is named (as ``name/``)."""
    others = [name for name in entries if name not in own]
    return sorted(name + "/" if entries[name] else name for name in others
                  if not any(other.startswith(name + "/") for other in others))


def _listing(path: Path) -> tuple[str, list[str]] | None:
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(listed, dict) or listed.get("written_by") != "allocsim":
        return None
    command, files = listed.get("command"), listed.get("files")
    if command not in EARLIER_LAYOUTS or not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return command, files


def _is_report_manifest(path: Path) -> bool:
    try:
        return "allocsim" in json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, RecursionError):
        return False


def _named(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMED])
    return shown + (f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else "")
