"""``allocsim rank``: apply one rule to the dataset."""

from __future__ import annotations

from pathlib import Path

import click

from allocsim.cli.options import (
    check_not_inputs,
    countries_option,
    data_option,
    load_data,
    set_option,
    split_countries,
)
from allocsim.cli.show import say
from allocsim.outputs import write_rank
from allocsim.ranking import rank as rank_areas
from allocsim.rules.load import load_rule
from allocsim.text import rules as rules_text


@click.command()
@click.argument("rule")
@data_option
@countries_option
@set_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every area's score, rank, group and contributions to this CSV.")
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True, help="How many areas to print.")
def rank(rule: str, data_file: Path | None, countries: tuple[str, ...], overrides: tuple[str, ...],
         out: Path | None, top: int) -> None:
    """Score, rank and group every area under RULE.

    \b
    Examples:
      allocsim rank health-inclusive --top 10
      allocsim rank luf-2021 --countries England --out luf-england.csv
      allocsim rank health-inclusive --set domains.health.weight=0.5
    """
    chosen = load_rule(rule, overrides)
    check_not_inputs({"--out": out}, data_file, [rule])
    result = rank_areas(chosen, load_data(data_file), split_countries(countries))
    if out is not None:  # written first: a failed write leaves nothing that looks like success
        write_rank(result, out)
    say(rules_text.rank_text(result, top, overrides))
    if out is not None:
        click.echo(f"\nwrote {out}")
