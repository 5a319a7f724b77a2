"""``allocsim explain``: one area under two rules, indicator by indicator."""

from __future__ import annotations

from pathlib import Path

import click

from allocsim.cli.options import countries_option, data_option, load_data, set_option, split_countries
from allocsim.cli.show import say
from allocsim.explain import explain as explain_area
from allocsim.folders import write_folder
from allocsim.outputs import explain_files
from allocsim.rules.load import load_rule
from allocsim.text.explain import explain_text
from allocsim.text.rules import override_text


@click.command()
@click.argument("area")
@click.argument("base")
@click.argument("alt")
@data_option
@countries_option
@set_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write indicators.csv and domains.csv for the area into this folder.")
def explain(area: str, base: str, alt: str, data_file: Path | None, countries: tuple[str, ...],
            overrides: tuple[str, ...], out: Path | None) -> None:
    """Why AREA (a code or name) has its group under rule BASE and under rule ALT: each indicator's
    value, normalised need, weight and contribution under each rule, against the groups' edges.

    --set overrides apply to ALT.

    \b
    Examples:
      allocsim explain "Telford and Wrekin" luf-2021-published health-inclusive
      allocsim explain E08000016 luf-2021 health-inclusive --set domains.health.weight=0.5
    """
    changed = load_rule(alt, overrides)
    explanation = explain_area(area, load_rule(base), changed, load_data(data_file), split_countries(countries))
    files = explain_files(explanation)
    if out is not None:
        write_folder(out, files, "explain")
    say(override_text(changed, overrides) + explain_text(explanation))
    if out is not None:
        say(f"\nwrote {', '.join(str(out / n) for n in files)}")
