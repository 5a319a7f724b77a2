"""``allocsim compare``: two rules side by side, or a chain of rules step by step."""

from __future__ import annotations

from pathlib import Path

import click

from allocsim.cli.options import (
    chain_options,
    check_not_inputs,
    load_data,
    money_kwargs,
    split_countries,
    xlsx_option,
)
from allocsim.cli.show import say
from allocsim.cli.xlsx import check_xlsx, workbook, write_outputs
from allocsim.comparison import compare as compare_rules
from allocsim.comparison.chain import compare_chain
from allocsim.comparison.labels import clash_warning, rule_labels
from allocsim.folders import check_out_folder, write_folder
from allocsim.money.settings import require_budget
from allocsim.outputs import chain_files, comparison_files
from allocsim.rules.load import load_rule
from allocsim.text import chain as chain_text
from allocsim.text import comparison as comparison_text
from allocsim.text import money as money_text


@click.command()
@chain_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write comparison.csv and summary.json (and with --budget the money tables) into this folder.")
@xlsx_option
@click.option("--rows", type=click.IntRange(min=0), default=15, show_default=True, help="How many focus areas to list.")
def compare(rules: tuple[str, ...], data_file: Path | None, countries: tuple[str, ...], overrides: tuple[str, ...],
            labels: tuple[str, ...], focus: str, focus_share: float, focus_end: str, fairness_hle: str,
            out: Path | None, xlsx: Path | None, rows: int, budget: str | None, **money) -> None:
    """Compare rule ALT with rule BASE: which focus areas (lowest by --focus, default male HLE) gain or
    lose priority. Give more rules for a chain, compared step by step and as a whole.

    --set overrides apply to the last rule, the variant under test. With --budget (pounds, 2020-21
    prices), the rules also share the money (same seed, paired draws) and the modelled health
    return is compared: which rule buys more health, what that rests on, and for whom.

    \b
    Examples:
      allocsim compare luf-2021-published health-inclusive
      allocsim compare luf-2021-published luf-2021 health-inclusive --budget 4.8e9
      allocsim compare luf-2021 hle-only --countries England --out out/england
      allocsim compare luf-2021-published health-inclusive --budget 4.8e9 --xlsx comparison.xlsx
      allocsim compare luf-2021-published health-inclusive --set domains.health.weight=0.5
      allocsim compare luf-2021-published health-inclusive --budget 4.8e9 --mechanism competitive
    """
    require_budget(budget, **money_kwargs(**money))
    check_xlsx(xlsx, out)
    if out is not None:  # before the slow work; checked again when writing
        check_out_folder(out, "compare")
    if len(rules) < 2:
        raise click.UsageError("give at least two rules: BASE ALT, or a chain BASE NEXT ... LAST")
    data = load_data(data_file)
    loaded = [load_rule(r) for r in rules[:-1]] + [load_rule(rules[-1], overrides)]
    check_not_inputs({"--xlsx": xlsx}, data_file, rules, money)
    options = dict(countries=split_countries(countries), focus=focus, focus_share=focus_share, focus_end=focus_end,
                   budget=budget, fairness_hle=fairness_hle, labels=labels or None, **money_kwargs(**money))
    warning = None if labels else clash_warning(loaded, rule_labels(loaded))
    if len(rules) == 2:
        comparison = compare_rules(loaded[0], loaded[1], data, **options)
        files = comparison_files(comparison)
        shown = [comparison_text.comparison_text(comparison, rows, overrides)]
        if comparison.money is not None:
            shown.append("\n" + money_text.money_comparison_text(comparison.money))
    else:
        chain = compare_chain(loaded, data, **options)
        files = chain_files(chain)
        shown = [chain_text.chain_text(chain), "", chain_text.focus_moves_text(chain, rows)]
        if chain.total.money is not None:
            shown += ["", f"The money and health of the whole chain, '{rules[0]}' against '{loaded[-1].name}':",
                      money_text.money_comparison_text(chain.total.money)]
    whole = comparison if len(rules) == 2 else chain.total
    if whole.actual is not None:
        names = {"base": whole.base.rule.name, "alt": whole.alt.rule.name}  # each rule's column, by name
        shown += ["", *money_text.actual_text(whole.actual, names, whole.money.summary.price_base)]
    money = whole.money
    book = None if xlsx is None else workbook(files, f"allocsim compare: {' against '.join(rules)}", data,
                                              None if money is None else money.summary.price_base)
    write_outputs(None if out is None else lambda: write_folder(out, files, "compare"), out, xlsx, book)
    if warning:
        say(warning, err=True)
    say("\n".join(shown))
    if out is not None:
        click.echo(f"\nwrote {', '.join(str(out / n) for n in files)}")
    if xlsx is not None:
        click.echo(f"wrote {xlsx}")
