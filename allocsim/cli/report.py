"""``allocsim report``: a folder with an offline HTML report, static charts, tables and a manifest."""

from __future__ import annotations

from pathlib import Path

import click

from allocsim.cli.options import (
    chain_options,
    check_not_inputs,
    command_line,
    load_data,
    money_kwargs,
    split_countries,
    xlsx_option,
)
from allocsim.cli.show import say
from allocsim.cli.xlsx import check_xlsx, workbook, write_outputs
from allocsim.comparison.labels import clash_warning, rule_labels
from allocsim.money.settings import DEFAULT_SEED, require_budget
from allocsim.paths import dataset_path
from allocsim.prices import price_base_label
from allocsim.report import ReportInputs, assemble_report, check_inputs, check_output_folder, write_report
from allocsim.rules.load import load_rule, rule_path


@click.command()
@chain_options
@click.option("--robustness-draws", type=click.IntRange(min=0), default=2000, show_default=True,
              help="Weight draws for the robustness chart of ALT (0 leaves it out).")
@click.option("--spread", type=float, default=0.2, show_default=True,
              help="Spread of the weight draws for the robustness chart.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("report"),
              show_default=True, help="Folder to write (refused if it exists, unless --force).")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@xlsx_option
def report(rules: tuple[str, ...], data_file: Path | None, countries: tuple[str, ...], overrides: tuple[str, ...],
           labels: tuple[str, ...], focus: str, focus_share: float, focus_end: str, fairness_hle: str,
           budget: str | None, robustness_draws: int, spread: float, out: Path, force: bool, xlsx: Path | None,
           **money) -> None:
    """Write a report comparing rule ALT with rule BASE: index.html, charts, tables, manifest. Give
    more rules for a chain, compared step by step and as a whole (A B C: A to B, B to C, A to C).

    The HTML works offline (its JavaScript is inlined) and opens by double-click. With --budget
    (pounds, 2020-21 prices; or 'actual', the money awarded in LUF rounds 1 and 2, shown beside
    the rules') it adds where the money goes and the modelled health return. --set overrides
    apply to the last rule.

    \b
    Examples:
      allocsim report luf-2021-published health-inclusive --out report/
      allocsim report luf-2021-published health-inclusive --budget 4.8e9 --out report/ --force
      allocsim report luf-2021-published luf-2021 health-inclusive --budget 4.8e9 --out chain/
      allocsim report luf-2021-published health-inclusive --budget actual --out actual/
      allocsim report luf-2021-published health-inclusive --budget 4.8e9 --xlsx report.xlsx
    """
    if len(rules) < 2:
        raise click.UsageError("give at least two rules: BASE ALT, or a chain BASE NEXT ... LAST")
    check_xlsx(xlsx, out)
    money_given = money_kwargs(**money)
    seed = money_given.pop("seed", DEFAULT_SEED)  # also seeds the robustness draws, so allowed without --budget
    require_budget(budget, **money_given)
    loaded = [load_rule(r) for r in rules[:-1]] + [load_rule(rules[-1], overrides)]
    check_not_inputs({"--xlsx": xlsx}, data_file, rules, money)
    warning = None if labels else clash_warning(loaded, rule_labels(loaded))
    inputs = ReportInputs(
        base=loaded[0], alt=loaded[-1], middle=tuple(loaded[1:-1]), data=load_data(data_file),
        data_path=data_file or dataset_path(), rule_paths={"base": rule_path(rules[0]), "alt": rule_path(rules[-1])},
        middle_paths=tuple(rule_path(r) for r in rules[1:-1]),
        overrides=overrides, countries=split_countries(countries), focus=focus, focus_share=focus_share,
        focus_end=focus_end, fairness_hle=fairness_hle, labels=labels or None,
        seed=seed, budget=budget, money_options=money_given, robustness_draws=robustness_draws, spread=spread,
        command=command_line(click.get_current_context()),
    )
    checked = check_inputs(inputs)  # every option value first: a typo is reported before an existing --out
    check_output_folder(out, force)
    files = assemble_report(inputs, checked)
    book = None if xlsx is None else workbook(report_tables(files), f"allocsim report: {' against '.join(rules)}",
                                              inputs.data, None if budget is None else price_base_label())
    write_outputs(lambda: write_report(files, out, force), out, xlsx, book)
    if warning:
        say(warning, err=True)
    click.echo(f"wrote {out / 'index.html'} (open it in a browser; it works offline)")
    if xlsx is not None:
        click.echo(f"wrote {xlsx}")


def report_tables(files: dict[str, bytes]) -> dict[str, str]:
    """The report's tables (``tables/*.csv`` and ``.json``) by file name, as text, for the workbook."""
    return {name.removeprefix("tables/"): content.decode("utf-8") for name, content in files.items()
            if name.startswith("tables/") and name.endswith((".csv", ".json"))}
