"""``allocsim awards``: the money actually awarded, and how well the competitive model reproduces it."""

from __future__ import annotations

from pathlib import Path

import click

from allocsim.cli.options import data_option, load_data
from allocsim.cli.show import say
from allocsim.folders import write_folder
from allocsim.outputs import awards_files
from allocsim.reality.calibration import calibrate
from allocsim.text import reality as reality_text


@click.command()
@data_option
@click.option("--draws", type=int, default=2000, show_default=True, help="Monte Carlo draws of the competitive model.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the draws.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write awards.csv, actual_by_*.csv, calibration_by_group.csv, reliability.csv and summary.json.")
def awards(data_file: Path | None, draws: int, seed: int, out: Path | None) -> None:
    """The Levelling Up Fund money actually awarded (rounds 1 and 2), and the competitive model checked
    against it: each group's share of the money, each area's chance of any, Brier score and AUC.

    \b
    Examples:
      allocsim awards
      allocsim awards --draws 5000 --out out/awards
    """
    data = load_data(data_file)
    calibration, simulation, actual = calibrate(data, draws, seed)
    files = awards_files(calibration, actual, simulation, data)
    if out is not None:
        write_folder(out, files, "awards")
    say(reality_text.awards_text(calibration, actual, data))
    if out is not None:
        click.echo(f"\nwrote {', '.join(str(out / n) for n in files)}")
