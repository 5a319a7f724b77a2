"""``--xlsx FILE``: a command's tables as one Excel workbook, beside or instead of its CSV folder."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from allocsim.cli.options import command_line


def workbook(files: dict[str, str], title: str, data: pd.DataFrame, price_base: str | None) -> bytes:
    """The workbook of ``files`` (what the command writes as CSV); its README sheet names the
    command as run, the dataset and the price base. Built before anything is written, so a failure
    here leaves nothing."""
    from allocsim.workbook import About, workbook_bytes

    source = data.attrs.get("source")
    about = About(title, command_line(click.get_current_context()), str(Path(source).name) if source else "",
                  price_base)
    return workbook_bytes(files, about, data)


def write_xlsx(path: Path, book: bytes) -> None:
    """The workbook at ``path`` in one step: the file is complete or absent."""
    from allocsim.io import atomic_write_bytes

    atomic_write_bytes(Path(path), book)
