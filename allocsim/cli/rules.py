"""``allocsim rules``: list, show, validate, check and diff rule files."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from allocsim.cli.options import countries_option, data_option, set_option, split_countries
from allocsim.cli.show import say
from allocsim.rules.load import check_rule_against_data, list_rules, load_reference, load_rule, rule_path
from allocsim.text import tables as tables_text


@click.group()
def rules() -> None:
    """List, show, check and compare prioritisation rules.

    RULE is the name of a rule shipped in rules/ (see 'allocsim rules list') or a path to a
    .toml file of your own.

    \b
    Examples:
      allocsim rules list
      allocsim rules show health-inclusive
      allocsim rules check luf-2021 --against luf-2021-published
    """


@rules.command("list")
def list_() -> None:
    """List the shipped rules.

    \b
    Example:
      allocsim rules list
    """
    frame = pd.DataFrame([{"name": r.name, "kind": r.kind, "title": r.title} for r in list_rules()])
    say(tables_text.table(frame))


@rules.command()
@click.argument("rule")
@set_option
def show(rule: str, overrides: tuple[str, ...]) -> None:
    """Show a rule: description, sources, method and effective weights.

    \b
    Example:
      allocsim rules show luf-2021 --set domains.transport.weight=0
    """
    from allocsim.text import rules as rules_text

    say(rules_text.rule_text(load_rule(rule, overrides), overrides))


@rules.command()
@click.argument("file", type=click.Path(path_type=Path))
@data_option
def validate(file: Path, data_file: Path | None) -> None:
    """Check a rule file, including that its columns exist in the dataset.

    \b
    Example:
      allocsim rules validate my-rule.toml
    """
    from allocsim.datasets import load_dataset
    from allocsim.rules.resolve import resolve

    path = rule_path(file)
    rule = load_rule(path)
    check_rule_against_data(rule, load_dataset(data_file), str(path))
    if rule.no_downgrade_from:
        load_reference(rule, str(path))
        resolve(rule)  # the whole chain of references, refusing a loop
    size = f"{len(rule.indicators)} indicators" if rule.kind == "index" else f"column '{rule.column}'"
    click.echo(f"{path}: valid rule '{rule.name}' ({rule.kind}, {size})")


@rules.command()
@click.argument("rule")
@click.option("--against", "reference", required=True, help="The rule to measure agreement with.")
@data_option
@countries_option
@set_option
@click.option("--top", type=click.IntRange(min=0), default=15, show_default=True,
              help="How many disagreeing areas to list.")
def check(rule: str, reference: str, data_file: Path | None, countries: tuple[str, ...],
          overrides: tuple[str, ...], top: int) -> None:
    """How closely RULE reproduces another rule's groups: agreement, kappa, confusion matrix.

    \b
    Example:
      allocsim rules check luf-2021 --against luf-2021-published
    """
    from allocsim.comparison.agreement import check_agreement
    from allocsim.datasets import load_dataset
    from allocsim.ranking import rank
    from allocsim.text import rules as rules_text

    data = load_dataset(data_file)
    chosen = split_countries(countries)
    result = check_agreement(rank(load_rule(rule, overrides), data, chosen),
                             rank(load_rule(reference), data, chosen), top)
    say(rules_text.check_text(result, load_rule(rule).name, load_rule(reference).name))


@rules.command()
@click.argument("rule_a")
@click.argument("rule_b")
@click.option("--all", "include_identity", is_flag=True, help="Also show title, description and sources.")
def diff(rule_a: str, rule_b: str, include_identity: bool) -> None:
    """Show how two rules differ, field by field.

    \b
    Example:
      allocsim rules diff luf-2021 health-inclusive
    """
    from allocsim.rules.diff import diff_rules, documentation_differences

    a, b = load_rule(rule_a), load_rule(rule_b)
    frame, hidden = diff_rules(a, b, include_identity), documentation_differences(a, b)
    if not frame.empty:
        say(tables_text.table(frame))
    elif hidden:
        click.echo(f"The rules differ only in documentation fields ({', '.join(hidden)}); use --all to see them.")
    else:
        click.echo("The rules do not differ.")
