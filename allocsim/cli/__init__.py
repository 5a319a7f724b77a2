"""The ``allocsim`` command: a thin shell that parses options, calls the library and prints.

Every user mistake arrives as an :class:`~allocsim.errors.AllocsimError` (or a click usage
error) and leaves as one ``Error: ...`` line on stderr with exit status 2, never a traceback.
"""

from __future__ import annotations

import sys

import click

from allocsim.errors import AllocsimError
from allocsim.version import __version__


class AllocsimGroup(click.Group):
    """A click group that turns every user error into one line and exit status 2."""

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

    from allocsim.parameters.load import PARAMETER_FILES

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


def _register() -> None:
    from allocsim.cli import compare, data, rank, rules

    cli.add_command(data.data)
    cli.add_command(rules.rules)
    cli.add_command(rank.rank)
    cli.add_command(compare.compare)

    from allocsim.cli import simulate

    cli.add_command(simulate.simulate)

    from allocsim.cli import report

    cli.add_command(report.report)

    from allocsim.cli import sensitivity

    cli.add_command(sensitivity.sensitivity)
    cli.add_command(sensitivity.search)

    from allocsim.cli import awards, explain

    cli.add_command(awards.awards)
    cli.add_command(explain.explain)


_register()


def main() -> None:
    """The ``allocsim`` console script's entry point: run the command line on ``sys.argv``."""
    cli.main()
