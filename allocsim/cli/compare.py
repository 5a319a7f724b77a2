"""``allocsim compare``: two rules side by side."""

from __future__ import annotations

from pathlib import Path

import click

from allocsim.cli.options import money_kwargs, split_countries, two_rules_options
from allocsim.comparison import compare as compare_rules
from allocsim.datasets import load_dataset
from allocsim.money.settings import require_budget
from allocsim.outputs import money_comparison_files, write_comparison
from allocsim.rules.load import load_rule
from allocsim.text import comparison as comparison_text
from allocsim.text import money as money_text


@click.command()
@two_rules_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write comparison.csv and summary.json into this folder.")
@click.option("--rows", type=click.IntRange(min=0), default=15, show_default=True, help="How many focus areas to list.")
def compare(base: str, alt: str, data_file: Path | None, countries: tuple[str, ...],
            overrides: tuple[str, ...], focus: str, focus_share: float, out: Path | None, rows: int,
            budget: str | None, **money) -> None:
    """Compare rule ALT with rule BASE: which low-HLE areas gain or lose priority.

    --set overrides apply to ALT, the variant under test. With --budget, both rules also share
    the money (same seed, paired draws) and the modelled health return is compared: which rule
    buys more health, and for whom by HLE decile.

    \b
    Examples:
      allocsim compare luf-2021-published health-inclusive
      allocsim compare luf-2021 hle-only --countries England --out out/england
      allocsim compare luf-2021-published health-inclusive --set domains.health.weight=0.5
      allocsim compare luf-2021-published health-inclusive --budget 4.8e9 --mechanism competitive
    """
    require_budget(budget, **money_kwargs(**money))
    data = load_dataset(data_file)
    comparison = compare_rules(load_rule(base), load_rule(alt, overrides), data, split_countries(countries),
                               focus, focus_share, budget, **money_kwargs(**money))
    money_comparison = comparison.money
    extra = money_comparison_files(money_comparison) if money_comparison is not None else {}
    if out is not None:  # written first: a failed write leaves nothing that looks like success
        write_comparison(comparison, out, extra)
    click.echo(comparison_text.comparison_text(comparison, rows, overrides))
    if money_comparison is not None:
        click.echo("\n" + money_text.money_comparison_text(money_comparison))
    if out is not None:
        click.echo(f"\nwrote {', '.join(str(out / n) for n in ['comparison.csv', 'summary.json', *extra])}")
