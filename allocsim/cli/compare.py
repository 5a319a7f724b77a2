"""``allocsim compare``: two rules side by side."""

from __future__ import annotations

from pathlib import Path

import click

from allocsim import text
from allocsim.cli.options import countries_option, data_option, set_option, split_countries
from allocsim.compare import DEFAULT_FOCUS, DEFAULT_FOCUS_SHARE, compare as compare_rules
from allocsim.datasets import load_dataset
from allocsim.outputs import write_comparison
from allocsim.rules.load import load_rule


@click.command()
@click.argument("base")
@click.argument("alt")
@data_option
@countries_option
@set_option
@click.option("--focus", default=DEFAULT_FOCUS, show_default=True,
              help="Indicator whose lowest values define the focus areas.")
@click.option("--focus-share", type=float, default=DEFAULT_FOCUS_SHARE, show_default=True,
              help="Share of areas (lowest by --focus) in the focus set.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write comparison.csv and summary.json into this folder.")
@click.option("--rows", default=15, show_default=True, help="How many focus areas to list.")
def compare(base: str, alt: str, data_file: Path | None, countries: tuple[str, ...],
            overrides: tuple[str, ...], focus: str, focus_share: float, out: Path | None, rows: int) -> None:
    """Compare rule ALT with rule BASE: which low-HLE areas gain or lose priority.

    --set overrides apply to ALT, the variant under test.

    \b
    Examples:
      allocsim compare luf-2021-published health-inclusive
      allocsim compare luf-2021 hle-only --countries England --out out/
      allocsim compare luf-2021-published health-inclusive --set domains.health.weight=0.5
    """
    comparison = compare_rules(load_rule(base), load_rule(alt, overrides), load_dataset(data_file),
                               split_countries(countries), focus, focus_share)
    click.echo(text.comparison_text(comparison, rows))
    if out is not None:
        write_comparison(comparison, out)
        click.echo(f"\nwrote {out / 'comparison.csv'} and {out / 'summary.json'}")
