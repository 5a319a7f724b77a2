"""``allocsim simulate``: share a budget among a rule's priority groups and model the health return."""

from __future__ import annotations

from pathlib import Path

import click

from allocsim.cli.options import (
    check_not_inputs,
    countries_option,
    data_option,
    load_data,
    money_kwargs,
    money_options,
    set_option,
    split_countries,
    xlsx_option,
)
from allocsim.cli.show import say
from allocsim.cli.xlsx import check_xlsx, workbook, write_outputs
from allocsim.folders import check_out_folder, write_folder
from allocsim.money.simulation import simulate as simulate_money
from allocsim.outputs import simulation_files
from allocsim.rules.load import load_rule
from allocsim.text import money as money_text
from allocsim.text import rules as rules_text


@click.command()
@click.argument("rule")
@data_option
@countries_option
@set_option
@money_options(budget_required=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write allocation.csv, health_return.csv, health_by_*.csv and summary.json here.")
@xlsx_option
@click.option("--top", type=click.IntRange(min=0), default=15, show_default=True, help="How many areas to print.")
def simulate(rule: str, data_file: Path | None, countries: tuple[str, ...], overrides: tuple[str, ...],
             budget: str, out: Path | None, xlsx: Path | None, top: int, **money) -> None:
    """Share a --budget among RULE's priority groups in pounds, and model the health return.

    The health figures are modelled, not observed: every parameter, with its source or the
    reason for assuming it, is in the shipped rules/parameters/health-return.toml (allocation
    parameters in rules/parameters/allocation.toml); 'allocsim rules show-parameters' prints them.

    \b
    Examples:
      allocsim simulate health-inclusive --budget 4.8e9
      allocsim simulate luf-2021-published --budget 4.8e9 --mechanism competitive --draws 2000
      allocsim simulate health-inclusive --budget 4.8e9 --param need_elasticity.central=2 --out sim/
      allocsim simulate health-inclusive --budget 4.8e9 --xlsx simulation.xlsx
    """
    check_xlsx(xlsx, out)
    chosen = load_rule(rule, overrides)
    check_not_inputs({"--xlsx": xlsx}, data_file, [rule], money)
    if out is not None:  # before the slow work; checked again when writing
        check_out_folder(out, "simulate")
    data = load_data(data_file)
    simulation = simulate_money(chosen, data, budget, countries=split_countries(countries), **money_kwargs(**money))
    files = simulation_files(simulation)
    book = None if xlsx is None else workbook(files, f"allocsim simulate: {chosen.name}", data,
                                              simulation.summary.price_base)
    write_outputs(None if out is None else lambda: write_folder(out, files, "simulate"), out, xlsx, book)
    say(rules_text.override_text(chosen, overrides) + money_text.simulation_text(simulation, top))
    if out is not None:
        click.echo(f"\nwrote {', '.join(str(out / n) for n in files)}")
    if xlsx is not None:
        click.echo(f"wrote {xlsx}")
