"""``allocsim data``: describe, show and validate datasets."""

from __future__ import annotations

from pathlib import Path

import click

from allocsim.cli.options import data_option, load_data
from allocsim.cli.show import say
from allocsim.datasets import validate_file
from allocsim.datasets.describe import (
    area_profile,
    columns_text,
    describe_columns,
    find_area,
    has_own_metadata,
    heading,
    no_metadata_note,
)
from allocsim.errors import DataError


@click.group()
def data() -> None:
    """Look at the embedded dataset or check your own.

    \b
    Examples:
      allocsim data describe
      allocsim data show "Kingston upon Hull"
      allocsim data validate my_areas.csv
    """


@data.command()
@data_option
def describe(data_file: Path | None) -> None:
    """List every column with its unit, period, source, geography and coverage by country.

    For your own CSV (--data) this shows units and sources only from a .meta.json of its own
    beside it; otherwise columns and coverage only.

    \b
    Example:
      allocsim data describe
    """
    frame = load_data(data_file)
    click.echo(heading(frame))
    click.echo(columns_text(describe_columns(frame)))
    if has_own_metadata(frame):
        click.echo(f"Full descriptions and derivations: {frame.attrs['metadata']}")
    else:
        click.echo(no_metadata_note(frame))


@data.command()
@click.argument("area")
@data_option
def show(area: str, data_file: Path | None) -> None:
    """Show every value for one AREA, given by code or name (case-insensitive).

    \b
    Example:
      allocsim data show E06000009
    """
    frame = load_data(data_file)
    code = find_area(frame, area)
    click.echo(f"{frame.at[code, 'name']} ({code})")
    click.echo(area_profile(frame, code).to_string(index=False))
    if not has_own_metadata(frame):
        click.echo(no_metadata_note(frame))


@data.command()
@click.argument("file", type=click.Path(path_type=Path))
def validate(file: Path) -> None:
    """Check your own CSV and list every problem with its line and column.

    Needs `code`, `name` and `country` (England, Scotland or Wales); codes unique; numeric
    columns numeric; HLE within 40-90 years; shares within 0-100; populations positive.
    Every other column is optional; one named as in the embedded dataset (district HLE and
    its standard error, LUF awards, ICB, ...) is checked against that column's unit and range.
    Exit status 2 if anything is wrong.

    \b
    Example:
      allocsim data validate my_areas.csv
    """
    problems = validate_file(file)
    for problem in problems:
        click.echo(f"{file}: {problem}")
    if problems:
        raise DataError(f"{file}: {len(problems)} problem{'s' if len(problems) > 1 else ''} found")
    click.echo(f"{file}: valid")
    from allocsim.datasets.codes import unknown_areas_warning

    warning = unknown_areas_warning(load_data(file, warn=False), str(file))
    if warning:
        say(warning)
