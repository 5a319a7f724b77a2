"""``allocsim report``: a folder with an offline HTML report, static charts, tables and a manifest."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from allocsim.cli.options import countries_option, data_option, set_option, split_countries
from allocsim.compare import DEFAULT_FOCUS, DEFAULT_FOCUS_SHARE
from allocsim.datasets import load_dataset
from allocsim.paths import dataset_path
from allocsim.report import ReportInputs, assemble_report, check_output_folder, write_report
from allocsim.rules.load import load_rule, rule_path


@click.command()
@click.argument("base")
@click.argument("alt")
@data_option
@countries_option
@set_option
@click.option("--focus", default=DEFAULT_FOCUS, show_default=True, help="Indicator defining the focus areas.")
@click.option("--focus-share", type=float, default=DEFAULT_FOCUS_SHARE, show_default=True,
              help="Share of areas (lowest by --focus) in the focus set.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for every random draw.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("report"),
              show_default=True, help="Folder to write (refused if it exists, unless --force).")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def report(base: str, alt: str, data_file: Path | None, countries: tuple[str, ...], overrides: tuple[str, ...],
           focus: str, focus_share: float, seed: int, out: Path, force: bool) -> None:
    """Write a report comparing rule ALT with rule BASE: index.html, charts, tables, manifest.

    The HTML works offline (its JavaScript is inlined) and opens by double-click.
    --set overrides apply to ALT.

    \b
    Example:
      allocsim report luf-2021-published health-inclusive --out report/
    """
    check_output_folder(out, force)
    data = load_dataset(data_file)
    inputs = ReportInputs(
        base=load_rule(base), alt=load_rule(alt, overrides), data=data,
        data_path=data_file or dataset_path(),
        rule_paths={load_rule(base).name: rule_path(base), load_rule(alt).name: rule_path(alt)},
        overrides=overrides, countries=split_countries(countries), focus=focus, focus_share=focus_share,
        seed=seed, command=_command(base, alt, data_file, countries, overrides, focus, focus_share, seed),
    )
    write_report(assemble_report(inputs), out, force)
    click.echo(f"wrote {out / 'index.html'} (open it in a browser; it works offline)")


def _command(base, alt, data_file, countries, overrides, focus, focus_share, seed) -> str:
    """The run as a command line, rebuilt from the options (output folder left out)."""
    parts = ["allocsim", "report", base, alt]
    parts += ["--data", str(data_file)] if data_file else []
    parts += [x for c in countries for x in ("--countries", c)]
    parts += [x for o in overrides for x in ("--set", o)]
    parts += ["--focus", focus, "--focus-share", f"{focus_share:g}", "--seed", str(seed)]
    return shlex.join(parts)
