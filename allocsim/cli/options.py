"""Options shared by several commands.

The library's defaults shown in help are imported when a command that takes the option is
defined, so that a command without it (``rules list``) does not import the library behind it.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable
from pathlib import Path

import click

from allocsim.countries import COUNTRIES
from allocsim.errors import ParameterError

data_option = click.option(
    "--data", "data_file", type=click.Path(path_type=Path), default=None,
    help="A CSV of areas to use instead of the embedded GB dataset (see 'allocsim data validate').",
)

countries_option = click.option(
    "--countries", multiple=True, metavar="COUNTRY[,COUNTRY]",
    help=f"Only these countries ({', '.join(COUNTRIES)}); repeat or separate with commas.",
)

set_option = click.option(
    "--set", "overrides", multiple=True, metavar="FIELD=VALUE",
    help="Override a rule field for this run, validated like the file; repeatable. "
    "E.g. --set domains.health.weight=0.4 or --set indicators.gva_per_hour.weight=2. "
    "Weights are relative: the others keep their values, so shares change in proportion.",
)


def focus_option(command):
    """``--focus``, ``--focus-share`` and ``--focus-end``, as compare, report and search take them."""
    from allocsim.comparison.focus import DEFAULT_FOCUS, DEFAULT_FOCUS_END, DEFAULT_FOCUS_SHARE, FOCUS_ENDS

    focus_options = [
        click.option("--focus", default=DEFAULT_FOCUS, show_default=True,
                     help="Indicator whose lowest values (or highest: --focus-end) define the focus areas."),
        click.option("--focus-share", type=float, default=DEFAULT_FOCUS_SHARE, show_default=True,
                     help="Share of areas (at --focus-end of --focus) in the focus set."),
        click.option("--focus-end", type=click.Choice(list(FOCUS_ENDS)), default=DEFAULT_FOCUS_END, show_default=True,
                     help="Take the focus areas from the lowest values of --focus, or the highest (for a "
                     "column where more means more need: imd2019_score, smoking_prevalence)."),
    ]
    for option in reversed(focus_options):
        command = option(command)
    return command


def money_options(budget_required: bool):
    """The options shared by ``simulate`` and ``compare --budget``; unset ones stay None so the
    library's defaults apply (and ``compare`` can tell that none was given)."""
    from allocsim.allocation import MECHANISMS
    from allocsim.money.envelopes import EXAMPLE

    options = [
        click.option("--budget", required=budget_required, metavar="POUNDS",
                     help="The money to allocate, in pounds of 2020-21 prices, e.g. 4.8e9."),
        click.option("--mechanism", type=click.Choice(list(MECHANISMS)),
                     help="formula (group weights x population) or competitive (simulated bidding "
                          "rounds). Default: formula."),
        click.option("--draws", type=int, help="Monte Carlo draws (default 1000)."),
        click.option("--seed", type=int, help="Random seed; the same seed gives the same draws (default 0)."),
        click.option("--allocation-params", type=click.Path(path_type=Path),
                     help="Your own allocation parameter file (default: the shipped rules/parameters/allocation.toml; "
                          "'allocsim rules show-parameters allocation' prints it)."),
        click.option("--health-params", type=click.Path(path_type=Path),
                     help="Your own health-return parameter file (default: the shipped "
                          "rules/parameters/health-return.toml; 'allocsim rules show-parameters health' prints it)."),
        click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
                     help="Override one parameter for this run, validated like the file; repeatable. "
                          "E.g. --param need_elasticity.central=1 or --param formula.cap_gbp.value=5e7."),
        click.option("--envelopes", metavar="NATION=POUNDS[,...]",
                     help="Fixed envelopes by nation, summing to --budget (2020-21 prices), shared within each "
                          f"nation: separates the shift between nations from the shift within them. E.g. {EXAMPLE} "
                          "(England's £4bn is the fund's own split; see README)."),
    ]

    def decorate(command):
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def money_kwargs(**given) -> dict:
    """The money options the user gave, named as :func:`allocsim.simulate` takes them."""
    names = {"params": "param_overrides"}
    return {names.get(k, k): v for k, v in given.items() if v not in (None, ())}


def split_countries(values: tuple[str, ...]) -> list[str] | None:
    """``--countries England,wales`` -> ``["England", "Wales"]`` (any case); None when not given."""
    names = [v.strip() for value in values for v in value.split(",") if v.strip()]
    if values and not names:
        raise ParameterError(f"--countries: give at least one of {', '.join(COUNTRIES)} (got nothing)")
    return [n.title() for n in names] or None


def fairness_option(command):
    """``--fairness-hle``, as compare and report take it."""
    from allocsim.comparison.fairness import DEFAULT_HLE

    return click.option(
        "--fairness-hle", default=DEFAULT_HLE, show_default=True, metavar="COLUMN",
        help="Male HLE measure of the fairness audits: published upper tier (hle_male_2011_13) or the modelled "
             "district estimate (hle_male_2011_13_district).")(command)


label_option = click.option(
    "--label", "labels", multiple=True, metavar="LABEL",
    help="How outputs name each rule, one per rule in order (default: its name, or its file when two rules share "
         "a name).")


def shared_comparison_options(command):
    """The options every command comparing rules shares (compare, report)."""
    for option in reversed([data_option, countries_option, set_option, label_option, focus_option, fairness_option,
                            money_options(budget_required=False)]):
        command = option(command)
    return command


def two_rules_options(command):
    """BASE and ALT with the options every two-rule command shares (report)."""
    return click.argument("base")(click.argument("alt")(shared_comparison_options(command)))


def chain_options(command):
    """BASE ALT [MORE ...]: two rules, or a chain, with the options comparisons share (compare)."""
    return click.argument("rules", nargs=-1, required=True, metavar="BASE ALT [MORE]...")(
        shared_comparison_options(command))


def command_line(context: click.Context) -> str:
    """The run as a shell-quoted command line, rebuilt from every option's value (defaults too, so
    a later change of default cannot change the rerun). ``--out``, ``--force`` and ``--xlsx`` are left
    out: a manifest or workbook must not depend on where it was written."""
    parts = ["allocsim", context.info_name]
    unset = _defaults_used(context.params)
    for param in context.command.params:
        value = context.params.get(param.name)
        value = unset.get(param.name) if value is None else value
        if param.name in {"out", "force", "xlsx"} or value is None or value == () or value is False:
            continue
        if isinstance(param, click.Argument):
            parts += [str(v) for v in value] if isinstance(value, (tuple, list)) else [str(value)]
        elif param.multiple:
            parts += [x for v in value for x in (param.opts[0], str(v))]
        else:
            parts += [param.opts[0]] if param.is_flag else [param.opts[0], str(value)]
    return shlex.join(parts)


def _defaults_used(params: dict) -> dict:
    """The values that money options left unset (None, so that the library's defaults apply) stand for, where
    the run uses them: ``--mechanism`` and ``--draws`` with a budget, ``--seed`` with a budget or robustness
    draws (the defaults of :func:`allocsim.money.settings.money_settings`)."""
    from allocsim.money import settings  # imported when run: --help stays quick

    defaults = {"mechanism": settings.DEFAULT_MECHANISM, "draws": settings.DEFAULT_DRAWS, "seed": settings.DEFAULT_SEED}
    used = (["mechanism", "draws", "seed"] if params.get("budget") is not None else []) + (
        ["seed"] if params.get("robustness_draws") else [])
    return {name: defaults[name] for name in used}


xlsx_option = click.option(
    "--xlsx", type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every table as one Excel workbook: a sheet per table and a README sheet naming the "
         "command, data, price base, sources and what each column means.")


def check_not_inputs(outputs: dict[str, Path | None], data_file: Path | None, rules: Iterable[str] = (),
                     money: dict | None = None) -> None:
    """Refuse, before writing, an output file (``outputs``: option -> path) that is a file the command reads:
    the dataset (the ``--data`` file, else the embedded one) and its metadata beside it, one of ``rules``'
    files, by name or path (call it once they have loaded), and for a command with ``money`` options its
    parameter files (given, else shipped). Writing it would replace the input: ``--xlsx`` naming the
    ``--data`` file once left a workbook where the CSV had been."""
    from allocsim.errors import OutputError
    from allocsim.paths import PARAMETER_FILES, dataset_path, metadata_path_for, rules_dir
    from allocsim.rules.load import rule_path

    dataset = data_file or dataset_path()
    read = {"the dataset": dataset, "the dataset's metadata": metadata_path_for(Path(dataset)),
            **{f"the file of rule '{r}'": rule_path(r) for r in rules}}
    if money is not None:
        read |= {f"the {kind} parameter file": money.get(f"{kind}_params") or rules_dir() / "parameters" / name
                 for kind, name in PARAMETER_FILES.items()}
    for option, path in outputs.items():
        if path is None or not Path(path).is_file():
            continue
        for what, source in read.items():
            if Path(source).is_file() and os.path.samefile(path, source):
                raise OutputError(f"{option} {path} is {what}, which this command reads; write to another file")


def load_data(data_file: Path | None, warn: bool = True):
    """The dataset a command works on: the embedded one, or the user's ``--data`` file, with a
    warning on stderr naming any area whose code is not a GB council code (LAD 2020)."""
    from allocsim.cli.show import say
    from allocsim.datasets import load_dataset
    from allocsim.datasets.codes import unknown_areas_warning

    data = load_dataset(data_file)
    warning = None if data_file is None or not warn else unknown_areas_warning(data, str(data_file))
    if warning:
        say(warning, err=True)
    return data
