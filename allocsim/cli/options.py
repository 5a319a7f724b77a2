"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

data_option = click.option(
    "--data", "data_file", type=click.Path(path_type=Path), default=None,
    help="A CSV of areas to use instead of the embedded GB dataset (see 'allocsim data validate').",
)
