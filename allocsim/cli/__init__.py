"""The ``allocsim`` command: a thin shell that parses options, calls the library and prints.

Every user mistake arrives as an :class:`~allocsim.errors.AllocsimError` (or a click usage
error) and leaves as one ``Error: ...`` line on stderr with exit status 2, never a traceback.
"""

from __future__ import annotations

import gc
import importlib
import sys

import click

from allocsim.errors import AllocsimError
from allocsim.version import __version__

NoSuchCommand = getattr(click.exceptions, "NoSuchCommand", None)  # new in click 8.4

# Each command: where it is defined, and the summary that ``allocsim --help`` lists (the first
# sentence of its help). A command's module, with the libraries it needs, is imported only when the
# command runs or shows its own help, so ``allocsim --help`` imports none of them.
# tests/cli/test_commands.py checks every summary against the command's own help.
COMMANDS: dict[str, tuple[str, str]] = {
    "awards": ("allocsim.cli.awards:awards", "The Levelling Up Fund money actually awarded (rounds 1 and 2), "
               "and the competitive model checked against it: each group's share of the money, each area's "
               "chance of any, Brier score and AUC."),
    "compare": ("allocsim.cli.compare:compare", "Compare rule ALT with rule BASE: which focus areas (lowest by "
                "--focus, default male HLE) gain or lose priority."),
    "data": ("allocsim.cli.data:data", "Look at the embedded dataset or check your own."),
    "explain": ("allocsim.cli.explain:explain", "Why AREA (a code or name) has its group under rule BASE and "
                "under rule ALT: each indicator's value, normalised need, weight and contribution under each "
                "rule, against the groups' edges."),
    "rank": ("allocsim.cli.rank:rank", "Score, rank and group every area under RULE."),
    "report": ("allocsim.cli.report:report", "Write a report comparing rule ALT with rule BASE: index.html, "
               "charts, tables, manifest."),
    "rules": ("allocsim.cli.rules:rules", "List, show, check and compare prioritisation rules."),
    "search": ("allocsim.cli.sensitivity:search", "The smallest weight on one domain of RULE that meets a target."),
    "sensitivity": ("allocsim.cli.sensitivity:sensitivity", "How robust is RULE's ranking to its weights, "
                    "normalisation and indicators?"),
    "simulate": ("allocsim.cli.simulate:simulate", "Share a --budget among RULE's priority groups in pounds, "
                 "and model the health return."),
}


class AllocsimGroup(click.Group):
    """A click group that turns every user error into one line and exit status 2, and imports each
    command of :data:`COMMANDS` only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, imported or not, in order."""
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """The command ``name``, its module imported now if it was not yet; None for an unknown name."""
        if name not in self.commands and name in COMMANDS:
            module, _, attribute = COMMANDS[name][0].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return self.commands.get(name)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        """click's, with every command's name offered when the one given is unknown."""
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as error:  # click >= 8.4 suggests close names, from the commands loaded
            if NoSuchCommand is None or not isinstance(error, NoSuchCommand):
                raise
            raise NoSuchCommand(error.command_name, possibilities=self.list_commands(ctx), ctx=ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing of the commands, each unloaded one shown by its summary, not imported."""
        listed = [(name, self.commands.get(name) or click.Command(name, help=COMMANDS[name][1]))
                  for name in self.list_commands(ctx)]
        listed = [(name, command) for name, command in listed if not command.hidden]
        if listed:
            limit = formatter.width - 6 - max(len(name) for name, _ in listed)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in listed])

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Run the command and exit with its status; an allocsim or click error leaves as one ``Error:`` line
        on stderr with the error's exit status, an abort with status 1, a closed output pipe with status 0."""
        try:
            result = super().main(args, prog_name or "allocsim", complete_var, standalone_mode=False, **extra)
        except AllocsimError as error:
            _fail(str(error), error.exit_code)
        except click.ClickException as error:
            _fail(error.format_message(), error.exit_code)
        except click.Abort:
            _fail("aborted", 1)
        except RecursionError:  # the readers refuse deep nesting themselves; this is the last net
            _fail("an input is nested too deeply to read (a rule, parameter or metadata file, a --set or "
                  "--param value, or a chain of no_downgrade_from rules)", 2)
        except BrokenPipeError:
            sys.exit(0)
        sys.exit(result if isinstance(result, int) else 0)


def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {' '.join(message.split())}{_where_shipped(message)}", err=True)
    sys.exit(code)


def _where_shipped(message: str) -> str:
    """For a message naming a shipped parameter file by its place in a clone
    (``rules/parameters/<file>``) where no such file is to be found from here (an installed
    allocsim), the command that prints it."""
    import re
    from pathlib import Path

    from allocsim.paths import PARAMETER_FILES

    for kind, file in PARAMETER_FILES.items():
        if re.search(rf"(?<![\w/.-])rules/parameters/{re.escape(file)}", message) and \
                not Path("rules/parameters", file).is_file():
            return f" ('allocsim rules show-parameters {kind}' prints rules/parameters/{file})"
    return ""


@click.group(cls=AllocsimGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="allocsim")
def cli() -> None:
    """allocsim: test how public money would be prioritised under different rules.

    \b
    Examples:
      allocsim compare luf-2021-published health-inclusive
      allocsim rank health-inclusive --top 10
      allocsim rules list
      allocsim data show Blackpool
    """


def main() -> None:
    """The ``allocsim`` console script's entry point: run the command line on ``sys.argv``, then
    end the process.

    As it ends, Python collects every object still alive a last time before freeing them, a
    tenth of a second or more after a report; :func:`gc.freeze` first spares the process that walk
    (the objects are freed all the same). Only here, where the process ends: in a process that goes
    on (tests, notebooks) frozen objects would never be collected."""
    try:
        cli.main()
    finally:
        gc.freeze()
