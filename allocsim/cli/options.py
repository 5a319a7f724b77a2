"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

data_option = click.option(
    "--data", "data_file", type=click.Path(path_type=Path), default=None,
    help="A CSV of areas to use instead of the embedded GB dataset (see 'allocsim data validate').",
)

countries_option = click.option(
    "--countries", multiple=True, metavar="COUNTRY[,COUNTRY]",
    help="Only these countries (England, Scotland, Wales); repeat or separate with commas.",
)

set_option = click.option(
    "--set", "overrides", multiple=True, metavar="FIELD=VALUE",
    help="Override a rule field for this run, validated like the file; repeatable. "
    "E.g. --set domains.health.weight=0.4 or --set indicators.gva_per_hour.weight=2. "
    "Weights are relative: the others keep their values, so shares change in proportion.",
)


def split_countries(values: tuple[str, ...]) -> list[str] | None:
    names = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return [n.title() for n in names] or None
