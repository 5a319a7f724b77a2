"""Find, read and validate rule files, and apply ``--set FIELD=VALUE`` overrides to a copy.

Every problem becomes a :class:`RuleError` whose message names the file and the field path,
for example ``rules/x.toml: domains.health.weight: must be greater than or equal to 0 (got -1)``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

import allocsim.overrides as overrides
from allocsim.errors import RuleError
from allocsim.io import parse_toml, read_user_text
from allocsim.paths import rules_dir
from allocsim.rules.schema import FieldProblem, Rule

if TYPE_CHECKING:
    import pandas as pd


def list_rules() -> list[Rule]:
    """Every rule shipped in ``rules/``, by name."""
    return sorted((load_rule(path) for path in rules_dir().glob("*.toml")), key=lambda r: r.name)


def rule_path(name_or_path: str | Path) -> Path:
    """The file for a shipped rule's name, or the path itself when it is a file."""
    candidate = Path(name_or_path)
    if candidate.is_file():
        return candidate
    shipped = rules_dir() / f"{name_or_path}.toml"
    if shipped.is_file() and candidate.suffix != ".toml":
        return shipped
    if candidate.is_dir():
        raise RuleError(f"rule file {candidate} is a folder; give a .toml file or a shipped rule's name")
    if candidate.exists():  # a FIFO or a device: refused unread, as read_user_text would
        read_rule_text(candidate)
    if candidate.suffix == ".toml" or len(candidate.parts) > 1:
        raise RuleError(f"rule file not found: {candidate}")
    names = sorted(p.stem for p in rules_dir().glob("*.toml"))
    close = difflib.get_close_matches(str(name_or_path), names, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise RuleError(f"rule '{name_or_path}' not found; {hint}run 'allocsim rules list'")


def load_rule(name_or_path: str | Path, overrides: Iterable[str] = ()) -> Rule:
    """A validated rule by shipped name or path, with ``FIELD=VALUE`` overrides applied."""
    path = rule_path(name_or_path)
    rule = parse_rule(read_rule_text(path), display_path(path))
    rule._path = path
    return apply_overrides(rule, overrides, display_path(path))


def display_path(path: Path) -> str:
    """How messages name a rule file: shipped rules as ``rules/<name>.toml``, others as given."""
    if path.resolve().parent == rules_dir().resolve():
        return f"rules/{path.name}"
    return str(path)


def read_rule_text(path: Path) -> str:
    """The text of the rule file at ``path``; a missing, unreadable, non-UTF-8 or empty file is a
    :class:`~allocsim.errors.RuleError` naming it."""
    text = read_user_text(path, "rule", RuleError)
    if not text.strip():
        raise RuleError(f"{path}: the rule file is empty")
    return text


def parse_rule(text: str, source: str) -> Rule:
    """The validated rule in TOML ``text``; every problem is a :class:`~allocsim.errors.RuleError` that names
    the file as ``source``."""
    return validate_rule(parse_toml(text, source, RuleError), source)


def validate_rule(raw: dict[str, Any], source: str) -> Rule:
    """``raw`` (a parsed rule file) validated as a :class:`Rule` that names itself ``source`` in messages; the
    first problem is a :class:`~allocsim.errors.RuleError` naming ``source`` and the field path."""
    try:
        rule = Rule.model_validate(raw)
    except ValidationError as error:
        message = f"{source}: {describe_validation_error(error)}"
        if len(error.errors()) > 1 and source.endswith(".toml"):
            message += f"; 'allocsim rules validate {source}' lists every one"
        raise RuleError(message) from None
    rule._source = source
    return rule


def rule_file_problems(path: Path) -> list[str]:
    """Every problem the rule file at ``path`` has against the schema, one message each naming the
    file and field (empty when it is valid). A file that is not TOML is one :class:`RuleError`."""
    source = display_path(path)
    try:
        Rule.model_validate(parse_toml(read_rule_text(path), source, RuleError))
    except ValidationError as error:
        return [f"{source}: {line}" for line in validation_problems(error)]
    return []


def validation_problems(error: ValidationError) -> list[str]:
    """Every problem of a pydantic error as ``field.path: message (got value)``."""
    return [_describe(problem) for problem in error.errors()]


def describe_validation_error(error: ValidationError) -> str:
    """The first problem as ``field.path: message (got value)``, noting how many more there are."""
    problems = error.errors()
    first = _describe(problems[0])
    return first + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")


def _describe(problem: dict) -> str:
    loc = list(problem["loc"])
    message = problem["msg"].removeprefix("Value error, ").replace("Input should be", "must be")
    message = message.replace("should have", "must have")
    cause = problem.get("ctx", {}).get("error")
    if isinstance(cause, FieldProblem) and cause.path:
        loc += cause.path.split(".")
    kind = problem["type"]
    if kind == "extra_forbidden":
        message = "unknown key"
    elif kind == "missing":
        message = "required field is missing"
    elif kind in {"model_type", "dict_type"}:  # pydantic's words name a Python class
        message = f"must be a table of fields (set one as {format_path(loc)}.FIELD), not a single value"
        if _scalar(problem.get("input")):
            message += f" (got {problem['input']!r})"
    elif kind not in {"value_error", "assertion_error"} and _scalar(problem.get("input")):
        message += f" (got {problem['input']!r})"
    path = format_path(loc)
    return f"{path}: {message}" if path else message


def format_path(loc: list) -> str:
    """A pydantic error location as a field path: names joined by dots, list positions in brackets
    (``indicators[2].weight``); empty parts skipped."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part:
            text += f".{part}" if text else str(part)
    return text


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


# -- overrides -------------------------------------------------------------------------------

def parse_assignment(assignment: str) -> tuple[str, Any]:
    """``"domains.health.weight=0.4"`` -> ``("domains.health.weight", 0.4)``; values are TOML."""
    return overrides.parse_assignment(assignment, "--set", "domains.health.weight=0.4", RuleError)


def apply_overrides(rule: Rule, assignments: Iterable[str], source: str = "rule") -> Rule:
    """A new rule with each ``FIELD=VALUE`` applied, validated exactly like a file; ``rule`` is untouched.

    Weights stay relative: changing one weight does not rescale the others, so its share of the
    index becomes ``new / (new + the rest)``; the effective weights are shown with every run.
    """
    assignments = list(assignments)
    if not assignments:
        return rule
    raw = rule.model_dump(mode="json", exclude_defaults=True)
    for assignment in assignments:
        field, value = parse_assignment(assignment)
        overrides.set_path(raw, field, value, f"{source}: --set {assignment}", RuleError)
    described = f"{source} with --set {' --set '.join(assignments)}"
    variant = validate_rule(raw, described)
    variant._path = rule.path
    return variant


def load_reference(rule: Rule, source: str | None = None) -> Rule:
    """The rule named by ``no_downgrade_from``, with an error that names the referring field."""
    try:
        return load_rule(reference_path(rule))
    except RuleError as error:
        raise RuleError(f"{source or rule.source}: no_downgrade_from: {error}") from None


def reference_path(rule: Rule) -> str | Path:
    """What ``no_downgrade_from`` names: a shipped rule's name, or a file; a relative path is
    looked for beside the referring rule's file first (then, as before, from the current folder)."""
    named = Path(rule.no_downgrade_from)
    if rule.path is not None and not named.is_absolute() and (named.suffix == ".toml" or len(named.parts) > 1):
        beside = Path(rule.path).parent / named
        if beside.exists():
            return beside
    return rule.no_downgrade_from


# -- checks against a dataset ----------------------------------------------------------------

def check_rule_against_data(rule: Rule, data: pd.DataFrame, source: str | None = None) -> None:
    """Every column the rule reads exists in ``data`` and is numeric; the first that does not is a
    :class:`~allocsim.errors.RuleError` (:func:`data_problems` lists them all)."""
    problems = data_problems(rule, data, source)
    if problems:
        raise RuleError(problems[0])


def data_problems(rule: Rule, data: pd.DataFrame, source: str | None = None) -> list[str]:
    """Each column the rule reads that ``data`` lacks or holds as text, one message each."""
    import pandas as pd

    where = f"{source or rule.source}: "
    columns = [("column", rule.column)] if rule.kind == "published" else [
        (f"indicators[{i}].column", ind.column) for i, ind in enumerate(rule.indicators)
    ]
    problems = []
    for path, column in columns:
        if column not in data.columns:
            close = difflib.get_close_matches(column, [str(c) for c in data.columns], n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(f"{where}{path}: '{column}' is not a column of the dataset{hint}")
        elif not pd.api.types.is_numeric_dtype(data[column]):
            problems.append(f"{where}{path}: column '{column}' is not numeric")
    return problems
