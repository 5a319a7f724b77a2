"""``--xlsx FILE``: a command's tables as one Excel workbook, beside or instead of its CSV folder.

The workbook and the ``--out`` folder are written together or not at all: the workbook is first
written beside its place, the folder is swapped in, and only then is the workbook renamed into
place; a failure at any step removes what this run created (a ``--out`` that existed before is
replaced only by the folder's own swap, which happens only once the workbook is safely written).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import pandas as pd

from allocsim.cli.options import command_line
from allocsim.errors import OutputError
from allocsim.io import remove_created, staged_file


def workbook(files: dict[str, str], title: str, data: pd.DataFrame, price_base: str | None) -> bytes:
    """The workbook of ``files`` (what the command writes as CSV); its README sheet names the
    command as run, the dataset and the price base. Built before anything is written, so a failure
    here leaves nothing."""
    from allocsim.workbook import About, workbook_bytes

    source = data.attrs.get("source")
    about = About(title, command_line(click.get_current_context()), str(Path(source).name) if source else "",
                  price_base)
    return workbook_bytes(files, about, data)


def check_xlsx(xlsx: Path | None, out: Path | None) -> None:
    """Refuse, before any work, an ``--xlsx`` path that is ``--out`` or inside it (the workbook would
    overwrite an output, or the folder's swap would remove it), that is a folder, or whose nearest
    existing parent is not a folder."""
    if xlsx is None:
        return
    path = Path(xlsx)
    if out is not None:
        folder, target = Path(out).resolve(), path.resolve()
        if target == folder or folder in target.parents:
            raise OutputError(f"--xlsx {xlsx} is inside --out {out}; write the workbook outside the output folder")
    if path.is_dir():
        raise OutputError(f"--xlsx {xlsx} is a folder; give the workbook's file name")
    parent = next((p for p in path.parents if p.exists() or p.is_symlink()), None)
    if parent is not None and not parent.is_dir():
        raise OutputError(f"--xlsx {xlsx}: {parent} is not a folder")


def write_outputs(write_out: Callable[[], None] | None, out: Path | None, xlsx: Path | None,
                  book: bytes | None) -> None:
    """Write the ``--out`` folder (by calling ``write_out``) and the workbook ``book`` at ``xlsx``,
    both or neither: a failure of either leaves neither the workbook nor a folder this run created."""
    existed = out is not None and (Path(out).exists() or Path(out).is_symlink())
    missing = [] if out is None else [p for p in reversed(Path(out).parents) if not p.exists()]
    with _staged_file(xlsx, book) as finish:
        if write_out is not None:
            write_out()
        try:
            finish()
        except BaseException:
            if out is not None and not existed:
                shutil.rmtree(out, ignore_errors=True)
                remove_created(missing)
            raise


@contextmanager
def _staged_file(path: Path | None, content: bytes | None) -> Iterator[Callable[[], None]]:
    """:func:`allocsim.io.staged_file` for the workbook; nothing to write without ``--xlsx``."""
    if path is None or content is None:
        yield lambda: None
        return
    with staged_file(Path(path), content, "--xlsx") as finish:
        yield finish
