"""``allocsim report``: a folder with an offline HTML report, static charts, tables and a manifest."""

from __future__ import annotations

import threading
from pathlib import Path

import click

from allocsim.cli.options import command_line, money_kwargs, split_countries, two_rules_options
from allocsim.datasets import load_dataset
from allocsim.money.settings import require_budget
from allocsim.paths import dataset_path
from allocsim.report import ReportInputs, assemble_report, check_inputs, check_output_folder, write_report
from allocsim.report.rendering import warm_up
from allocsim.rules.load import load_rule, rule_path


@click.command()
@two_rules_options
@click.option("--robustness-draws", type=click.IntRange(min=0), default=2000, show_default=True,
              help="Weight draws for the robustness chart of ALT (0 leaves it out).")
@click.option("--spread", type=float, default=0.2, show_default=True,
              help="Spread of the weight draws for the robustness chart.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("report"),
              show_default=True, help="Folder to write (refused if it exists, unless --force).")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def report(base: str, alt: str, data_file: Path | None, countries: tuple[str, ...], overrides: tuple[str, ...],
           labels: tuple[str, ...], focus: str, focus_share: float, fairness_hle: str, budget: str | None,
           robustness_draws: int, spread: float, out: Path, force: bool, **money) -> None:
    """Write a report comparing rule ALT with rule BASE: index.html, charts, tables, manifest.

    The HTML works offline (its JavaScript is inlined) and opens by double-click. With --budget
    it adds where the money goes and the modelled health return. --set overrides apply to ALT.

    \b
    Examples:
      allocsim report luf-2021-published health-inclusive --out report/
      allocsim report luf-2021-published health-inclusive --budget 4.8e9 --out report/ --force
    """
    money_given = money_kwargs(**money)
    seed = money_given.pop("seed", 0)  # also seeds the robustness draws, so allowed without --budget
    require_budget(budget, **money_given)
    base_rule, alt_rule = load_rule(base), load_rule(alt, overrides)
    inputs = ReportInputs(
        base=base_rule, alt=alt_rule, data=load_dataset(data_file), data_path=data_file or dataset_path(),
        rule_paths={"base": rule_path(base), "alt": rule_path(alt)},
        overrides=overrides, countries=split_countries(countries), focus=focus, focus_share=focus_share,
        fairness_hle=fairness_hle, labels=labels or None,
        seed=seed, budget=budget, money_options=money_given, robustness_draws=robustness_draws, spread=spread,
        command=command_line(click.get_current_context()),
    )
    checked = check_inputs(inputs)  # every option value first: a typo is reported before an existing --out
    check_output_folder(out, force)
    threading.Thread(target=warm_up, daemon=True).start()  # the chart converter starts while the report is computed
    write_report(assemble_report(inputs, checked), out, force)
    click.echo(f"wrote {out / 'index.html'} (open it in a browser; it works offline)")
