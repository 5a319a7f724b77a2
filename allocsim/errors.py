"""The one error family allocsim raises for a user's mistake.

The message of an :class:`AllocsimError` is a complete sentence naming the file, field or
value at fault; the CLI prints it as a single ``Error: ...`` line and exits with status 2.
"""


class AllocsimError(Exception):
    """Base class for every problem caused by input (data, rules, parameters, options)."""

    exit_code = 2


class DataError(AllocsimError):
    """A dataset file is missing, unreadable or invalid."""


class RuleError(AllocsimError):
    """A rule file or a rule override is invalid."""


class ParameterError(AllocsimError):
    """A simulation or health-model parameter is invalid."""


class OutputError(AllocsimError):
    """An output location cannot be written as asked."""
