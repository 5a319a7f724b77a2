"""``allocsim sensitivity`` and ``allocsim search``: how robust a ranking is, and which weight meets a target."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from allocsim.cli.options import (
    check_not_inputs,
    countries_option,
    data_option,
    focus_option,
    load_data,
    set_option,
    split_countries,
)
from allocsim.cli.show import say
from allocsim.folders import check_out_folder
from allocsim.outputs import write_search, write_sensitivity
from allocsim.robustness import MIN_SPREAD, check_options, is_long_run
from allocsim.robustness import sensitivity as run_sensitivity
from allocsim.rules.load import load_rule
from allocsim.text import robustness as robustness_text
from allocsim.text import rules as rules_text
from allocsim.weight_search import parse_target
from allocsim.weight_search import search as search_weight


@click.command()
@click.argument("rule")
@data_option
@countries_option
@set_option
@click.option("--draws", type=int, default=10_000, show_default=True,
              help="Monte Carlo draws; a first-order index needs 100 per bin (1,000 for a domain's ten bins, "
              "100 per normalisation drawn) and is left blank below that.")
@click.option("--spread", type=float, default=0.2, show_default=True,
              help="Weight uncertainty in [0, 1): weights ~ Dirichlet(w (1/spread^2 - 1)), so each weight's "
              f"sd is spread x sqrt(w (1 - w)); 0 holds the weights fixed (otherwise at least {MIN_SPREAD:g}).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random draws.")
@click.option("--normalisations", metavar="METHOD[,METHOD]",
              help="Methods a draw picks from, equally likely [default: zscore,minmax,rank,distance_to_best].")
@click.option("--backend", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where the draws run: this machine's cores, or Dask workers (allocsim[dask]).")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address [default: a new local cluster].")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write robustness.csv and summary.json into this folder.")
@click.option("--rows", type=click.IntRange(min=0), default=15, show_default=True,
              help="How many of the least certain areas to list.")
def sensitivity(rule: str, data_file: Path | None, countries: tuple[str, ...], overrides: tuple[str, ...],
                draws: int, spread: float, seed: int, normalisations: str | None, backend: str,
                scheduler: str | None, out: Path | None, rows: int) -> None:
    """How robust is RULE's ranking to its weights, normalisation and indicators?

    Draws weights around the rule's own and a normalisation method for each draw; reports each
    area's chance of each group and its rank interval, which domains the ranking hangs on, and
    what leaving out each indicator does.

    \b
    Examples:
      allocsim sensitivity health-inclusive
      allocsim sensitivity health-inclusive --draws 100000 --spread 0.1 --out out/robustness
      allocsim sensitivity luf-2021 --normalisations minmax --seed 7
    """
    check_options(draws, spread, seed, backend, scheduler)
    if out is not None:  # before the draws, which may take minutes; checked again when writing
        check_out_folder(out, "sensitivity")
    chosen, areas = load_rule(rule, overrides), load_data(data_file)
    # "" is a mistake, not the default: an empty list is refused, naming --normalisations
    methods = None if normalisations is None else [m.strip() for m in normalisations.split(",") if m.strip()]
    with _progress(draws, is_long_run(draws, len(areas))) as progress:
        result = run_sensitivity(chosen, areas, draws, spread, seed,
                                 split_countries(countries), normalisations=methods, backend=backend,
                                 scheduler=scheduler, progress=progress)
    if out is not None:  # written first: a failed write leaves nothing that looks like success
        write_sensitivity(result, out)
    say(rules_text.override_text(chosen, overrides) + robustness_text.sensitivity_text(result, rows))
    if out is not None:
        click.echo(f"\nwrote {out / 'robustness.csv'} and {out / 'summary.json'}")


@contextmanager
def _progress(draws: int, long_run: bool) -> Iterator:
    if not (long_run or sys.stderr.isatty()):
        yield None
        return
    with click.progressbar(length=draws, label="draws", file=sys.stderr) as bar:
        yield bar.update


@click.command()
@click.argument("rule")
@click.option("--vary", required=True, metavar="DOMAIN", help="The domain whose weight is searched.")
@click.option("--target", required=True, metavar="METRIC>=NUMBER",
              help="What the weight must achieve: focus_in_group1_share, focus_in_group1 or kendall_tau, "
              "then >=, >, <= or <, then a number.")
@focus_option
@data_option
@countries_option
@set_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the frontier (every weight tried) to this CSV.")
def search(rule: str, vary: str, target: str, focus: str, focus_share: float, focus_end: str, data_file: Path | None,
           countries: tuple[str, ...], overrides: tuple[str, ...], out: Path | None) -> int:
    """The smallest weight on one domain of RULE that meets a target.

    The other domains keep their relative weights. Prints the weight found and the frontier of
    focus coverage and rank correlation with the unchanged rule. When no weight meets the
    target, the frontier is still printed and written, followed by the best value reached.

    \b
    Exit status: 0 target met; 1 target not met (frontier printed and written);
    2 bad input (including a target outside its metric's range, e.g. a share above 1).

    \b
    Examples:
      allocsim search health-inclusive --vary health --target "focus_in_group1_share>=0.75"
      allocsim search luf-2021 --vary economy --target "kendall_tau>=0.9" --out frontier.csv
    """
    wanted = parse_target(target)
    chosen = load_rule(rule, overrides)
    check_not_inputs({"--out": out}, data_file, [rule])
    result = search_weight(chosen, load_data(data_file), vary, wanted, focus, focus_share,
                           split_countries(countries), focus_end)
    if out is not None:
        write_search(result, out)
    say(rules_text.override_text(chosen, overrides) + robustness_text.search_text(result))
    if out is not None:
        click.echo(f"\nwrote {out}")
    return 0 if result.met else 1
