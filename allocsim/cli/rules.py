"""``allocsim rules``: list, show, validate, check and diff rule files."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from allocsim.cli.options import countries_option, data_option, load_data, set_option, split_countries
from allocsim.cli.show import say
from allocsim.comparison.agreement import check_agreement
from allocsim.errors import RuleError
from allocsim.parameters.load import PARAMETER_FILES
from allocsim.paths import rules_dir
from allocsim.ranking import rank
from allocsim.rules.diff import diff_rules, documentation_differences
from allocsim.rules.load import data_problems, list_rules, load_reference, load_rule, rule_file_problems, rule_path
from allocsim.rules.resolve import resolve
from allocsim.text import rules as rules_text
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
      allocsim rules new my-rule --from health-inclusive
      allocsim rules show-parameters health
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
    say(rules_text.rule_text(load_rule(rule, overrides), overrides))


@rules.command()
@click.argument("file", type=click.Path(path_type=Path))
@data_option
def validate(file: Path, data_file: Path | None) -> None:
    """Check a rule file, including that its columns exist in the dataset; list every problem.

    \b
    Example:
      allocsim rules validate my-rule.toml
    """
    path = rule_path(file)
    problems = rule_file_problems(path)
    if not problems:
        rule = load_rule(path)
        problems = data_problems(rule, load_data(data_file), str(path))
    for problem in problems:
        click.echo(problem)
    if problems:
        raise RuleError(f"{path}: {len(problems)} problem{'s' if len(problems) > 1 else ''} found")
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
    data = load_data(data_file)
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
    a, b = load_rule(rule_a), load_rule(rule_b)
    frame, hidden = diff_rules(a, b, include_identity), documentation_differences(a, b)
    if not frame.empty:
        say(tables_text.table(frame))
    elif hidden:
        click.echo(f"The rules differ only in documentation fields ({', '.join(hidden)}); use --all to see them.")
    else:
        click.echo("The rules do not differ.")


@rules.command()
@click.argument("name")
@click.option("--from", "original", required=True, help="The rule to start from (a shipped name or a file).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write it (default NAME.toml in the current folder).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def new(name: str, original: str, out: Path | None, force: bool) -> None:
    """Write a new rule NAME to edit: a copy of another rule, with a comment on every field.

    The copy is valid as written and ranks exactly as the original; change what you want to test,
    then 'allocsim rules validate' it and compare it with the original.

    \b
    Example:
      allocsim rules new my-rule --from health-inclusive
      allocsim compare health-inclusive my-rule.toml
    """
    from allocsim.io import atomic_write_text
    from allocsim.rules.template import new_rule, rule_template

    source = load_rule(original)
    path = out or Path(f"{name}.toml")
    try:
        new_rule(source, name)
    except ValueError as problem:
        raise RuleError(f"NAME {name!r}: must be lower-case letters, digits, '.', '_' or '-'") from problem
    if path.exists() and not force:
        raise RuleError(f"{path} already exists; choose another --out, or --force to replace it")
    atomic_write_text(path, rule_template(source, name, str(path)))
    click.echo(f"wrote {path}: rule '{name}', a copy of '{source.name}'. Edit it, then: allocsim rules validate {path}")


@rules.command("show-parameters")
@click.argument("kind", type=click.Choice(sorted(PARAMETER_FILES)), required=False)
def show_parameters(kind: str | None) -> None:
    """Print a shipped parameter file (KIND: allocation or health), comments and sources included;
    without KIND, list them and where they are installed.

    Messages and CSVs name these files as rules/parameters/<file>. To change a value, save a copy
    and pass it with --health-params or --allocation-params, or change one value with --param.

    \b
    Examples:
      allocsim rules show-parameters
      allocsim rules show-parameters health > my-health.toml
    """
    folder = rules_dir() / "parameters"
    if kind is None:
        for key, file in PARAMETER_FILES.items():
            click.echo(f"{key}: rules/parameters/{file}, installed at {folder / file}")
        return
    click.echo((folder / PARAMETER_FILES[kind]).read_text(encoding="utf-8"), nl=False)
